"""Large Excel exports run in the background (issue 10): above TDKT_SYNC_EXPORT_ROWS rows the export
becomes a Job written by a worker with progress, and the job page offers the file to who may see the
job. Smaller exports are streamed at once as before; the access rules of each export are unchanged."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from tdkt.accounts.models import RoleAssignment
from tdkt.core import exports
from tdkt.core.models import Job
from tests.factories import make_user, person

PEOPLE_EXPORT = reverse("org:person_export")


@pytest.fixture(autouse=True)
def small_limit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TDKT_SYNC_EXPORT_ROWS = 2


@pytest.fixture
def many(tree, people):
    """Six people in A's subtree (three more than the limit), one in B."""
    for i in range(4):
        person(tree["a1"], family_name="Võ", middle_name="Thị", given_name=f"Hoa{i}", code=f"VT{i:03d}")
    return people


def _book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def _download(response) -> bytes:
    return b"".join(response.streaming_content)


def _export(client, capture, **query):
    with capture(execute=True):  # the on-commit enqueue; the tests' immediate backend runs the task
        return client.get(PEOPLE_EXPORT, query)


def test_a_large_people_export_runs_in_the_background_and_opens_back_with_its_rows(
    client, tree, many, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    response = _export(client, django_capture_on_commit_callbacks)

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.kind == "export.org.people" and job.status == "done" and job.unit is None
    assert job.done == job.total == 6 and job.result == {"rows": 6, "filename": "danh-sach-can-bo.xlsx"}
    page = client.get(response["Location"]).content.decode()
    assert "Tải tệp Excel" in page and reverse("core:job_file", args=[job.pk]) in page

    download = client.get(reverse("core:job_file", args=[job.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="danh-sach-can-bo.xlsx"'
    sheet = _book(_download(download))
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Cán bộ" and rows[0][:2] == ("Mã cán bộ", "Họ và tên")
    names = {r[1] for r in rows[1:]}
    assert names == {"Nguyễn Văn An", "Trần Thị Bình"} | {f"Võ Thị Hoa{i}" for i in range(4)}
    assert "Lê Cường" not in names  # department B: outside the officer's export scope
    assert ("VT002", "Võ Thị Hoa2") in {r[:2] for r in rows}


def test_the_background_export_keeps_the_filters_of_the_list(
    client, tree, many, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    _export(
        client, django_capture_on_commit_callbacks, unit=tree["a1"].pk, subtree="on", active="1", q="vo thi"
    )
    job = Job.objects.get()
    assert job.params["filters"]["q"] == "vo thi"
    rows = list(
        _book(_download(client.get(reverse("core:job_file", args=[job.pk])))).iter_rows(values_only=True)
    )
    assert {r[1] for r in rows[1:]} == {f"Võ Thị Hoa{i}" for i in range(4)}


def test_a_small_export_is_still_streamed_at_once_without_a_job(client, tree, people, officer_a, settings):
    settings.TDKT_SYNC_EXPORT_ROWS = 5000
    client.force_login(officer_a)
    response = client.get(PEOPLE_EXPORT)
    assert response.status_code == 200 and response.streaming
    assert {r[1] for r in _book(_download(response)).iter_rows(min_row=2, values_only=True)} == {
        "Nguyễn Văn An",
        "Trần Thị Bình",
    }
    assert not Job.objects.exists()


def test_an_invalid_filter_is_refused_with_400_and_no_job(client, tree, many, officer_a):
    client.force_login(officer_a)
    response = client.get(PEOPLE_EXPORT, {"unit": tree["b"].pk})  # outside the scope: as nonexistent
    assert response.status_code == 400 and "Bộ lọc không hợp lệ" in response.content.decode()
    assert not Job.objects.exists()


def test_another_units_officer_gets_404_for_the_job_and_its_file(
    client, tree, many, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    _export(client, django_capture_on_commit_callbacks)
    job = Job.objects.get()

    client.force_login(make_user("officer_b", "officer", tree["b"]))
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    download = client.get(reverse("core:job_file", args=[job.pk]))
    assert page.status_code == 404 and download.status_code == 404 and not download.streaming
    assert job.title not in page.content.decode()


def test_a_colleague_of_the_same_unit_does_not_get_anothers_export(
    client, tree, many, officer_a, django_capture_on_commit_callbacks
):
    """An export job belongs to no unit: the rows are its creator's export scope, not the unit's."""
    client.force_login(officer_a)
    _export(client, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    client.force_login(make_user("officer_a2", "officer", tree["a"]))
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404


def test_a_unit_head_follows_their_own_export_without_the_job_right(
    client, tree, many, django_capture_on_commit_callbacks
):
    """A unit head may export but does not follow the unit's jobs: their own export's page, file and
    list are open to them, anything else stays 403."""
    head = make_user("head_a", "unit_head", tree["a"])
    client.force_login(head)
    _export(client, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 200
    assert len(list(_book(_download(client.get(reverse("core:job_file", args=[job.pk])))).iter_rows())) == 7
    assert [j.pk for j in client.get(reverse("core:job_list")).context["page"].object_list] == [job.pk]
    other = Job.objects.create(kind="org.import.people", title="Nhập của Vụ A", unit=tree["a"])
    assert client.get(reverse("core:job_detail", args=[other.pk])).status_code == 403


def test_a_right_lost_before_the_worker_runs_fails_the_job_without_a_file(
    client, tree, many, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.get(PEOPLE_EXPORT)
    RoleAssignment.objects.filter(user=officer_a).update(role="council_member")
    officer_a.__dict__.pop("_tdkt_assignments", None)
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == "failed" and "không còn quyền xuất" in job.message and not job.output


def test_a_file_is_served_only_once_the_export_is_done(client, tree, many, officer_a):
    client.force_login(officer_a)
    job = Job.objects.create(
        kind="export.org.people", title="Đang xuất", created_by=officer_a, status="running"
    )
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404


def test_an_unknown_export_kind_is_a_programming_error(rf, officer_a):
    request = rf.get("/")
    request.user = officer_a
    with pytest.raises(LookupError):
        exports.export_response(request, kind="no.such.export", params={})


def test_a_kind_is_registered_once():
    @exports.exporter("test.once")
    def first(*, user, params):  # pragma: no cover - never called
        raise AssertionError

    with pytest.raises(ValueError, match="already registered"):

        @exports.exporter("test.once")
        def second(*, user, params):  # pragma: no cover - never called
            raise AssertionError
