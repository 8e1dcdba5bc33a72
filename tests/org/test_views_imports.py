"""The import pages: upload → job page with progress → result; templates; malformed files; permissions."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.core.enums import JobStatus
from tdkt.core.models import Job
from tdkt.org.models import Person
from tests.factories import make_user

URL = "/org/import/"
HEADER = ["Mã cán bộ", "Họ", "Tên đệm", "Tên", "Giới tính", "Ngày sinh", "Mã đơn vị"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(rows, header=HEADER, name="can-bo.xlsx") -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cán bộ"
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


GOOD = [
    ["N1", "Phạm", "Thu", "Hà", "Nữ", "02/09/1991", "VU-A"],
    ["N2", "Đỗ", "", "Minh", "Nam", "", "VU-A-P1"],
]


def test_import_page_offers_the_form_and_the_three_templates(client, officer_a):
    client.force_login(officer_a)

    page = client.get(URL).content.decode()

    assert 'enctype="multipart/form-data"' in page
    for kind in ("people", "evaluations", "awards"):
        assert reverse("org:import_template", args=[kind]) in page
    assert "Bạn chưa nhập tệp nào." in page


def test_upload_runs_the_import_and_shows_the_finished_job(
    client, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"kind": "people", "file": upload(GOOD)})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.result["created"] == 2
    assert job.file.name.endswith(".xlsx") and "can-bo" not in job.file.name  # stored under a random name
    assert job.params["filename"] == "can-bo.xlsx"
    page = client.get(response["Location"]).content.decode()
    assert "Hoàn tất." in page
    assert "Đã nhập 2 dòng: 2 thêm mới, 0 cập nhật, 0 không đổi." in page
    assert "hx-trigger" not in page
    assert set(Person.objects.values_list("code", flat=True)) >= {"N1", "N2"}
    listing = client.get(URL).content.decode()
    assert reverse("core:job_detail", args=[job.pk]) in listing and "can-bo.xlsx" in listing


def test_upload_with_a_bad_row_shows_the_error_table_and_writes_nothing(
    client, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    rows = GOOD + [["N3", "Vũ", "", "Lan", "Nữ", "31/02/1990", "VU-A"]]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"kind": "people", "file": upload(rows)})

    page = client.get(response["Location"]).content.decode()
    assert "Không thành công." in page
    assert "Tệp có 1 lỗi; chưa ghi dữ liệu nào." in page
    assert "<td>Cán bộ</td><td>4</td><td>Ngày sinh</td>" in page
    assert "không phải ngày hợp lệ (định dạng dd/mm/yyyy)" in page
    assert not Person.objects.filter(code__in=["N1", "N2", "N3"]).exists()
    assert Job.objects.get().status == JobStatus.FAILED


def test_reuploading_the_same_file_reports_all_rows_unchanged(
    client, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"kind": "people", "file": upload(GOOD)})
        client.post(URL, {"kind": "people", "file": upload(GOOD)})

    latest = Job.objects.order_by("-created_at").first()
    assert (latest.result["created"], latest.result["updated"], latest.result["unchanged"]) == (0, 0, 2)


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("a.xlsx", b""), "Tệp rỗng."),
        (SimpleUploadedFile("a.csv", "Mã,Họ\n1,An\n".encode()), "Tệp không phải Excel .xlsx"),
        (SimpleUploadedFile("a.xlsx", b"PK\x03\x04\x00\x00broken"), "tệp bị hỏng"),
        (upload([["N1", "An", "Nam"]], header=["Mã cán bộ", "Tên", "Giới tính"]), "thiếu cột bắt buộc"),
        (upload([], header=HEADER), "không có dòng dữ liệu nào"),
    ],
)
def test_malformed_files_get_a_message_and_no_job(client, officer_a, file, message):
    client.force_login(officer_a)

    response = client.post(URL, {"kind": "people", "file": file})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_oversized_file_is_refused(client, officer_a, settings):
    settings.TDKT_IMPORT_MAX_BYTES = 1024
    client.force_login(officer_a)

    response = client.post(URL, {"kind": "people", "file": upload(GOOD * 40)})

    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert not Job.objects.exists()


def test_missing_file_is_asked_for(client, officer_a):
    client.force_login(officer_a)
    response = client.post(URL, {"kind": "people"})
    assert "Hãy chọn tệp Excel cần nhập." in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "sheet", "first_headers"),
    [
        ("people", "Cán bộ", ["Mã cán bộ", "Họ", "Tên đệm", "Tên", "Giới tính"]),
        ("evaluations", "Đánh giá", ["Mã cán bộ", "Mã tập thể", "Năm", "Xếp loại", "Số tháng công tác"]),
        ("awards", "Khen thưởng", ["Mã cán bộ", "Mã tập thể", "Danh hiệu, hình thức", "Từ năm", "Đến năm"]),
    ],
)
def test_templates_download_with_header_example_and_guide(client, officer_a, kind, sheet, first_headers):
    client.force_login(officer_a)

    response = client.get(reverse("org:import_template", args=[kind]))

    assert response["Content-Disposition"] == f'attachment; filename="mau-nhap-{kind}.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [sheet, "Hướng dẫn"]
    assert [c.value for c in wb[sheet][1]][:5] == first_headers
    assert wb[sheet]["A2"].value  # the example row
    guide_columns = [r[0].value for r in wb["Hướng dẫn"].iter_rows(min_row=5)]
    assert guide_columns[:2] == first_headers[:2]


def test_people_template_example_uses_a_unit_the_officer_may_import_into(client, officer_a):
    client.force_login(officer_a)
    wb = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("org:import_template", args=["people"])).content)
    )
    headers = [c.value for c in wb["Cán bộ"][1]]
    assert wb["Cán bộ"].cell(row=2, column=headers.index("Mã đơn vị") + 1).value == "VU-A"
    guide = {r[0].value: r[2].value for r in wb["Hướng dẫn"].iter_rows(min_row=5)}
    assert "female = Nữ" in guide["Giới tính"]


def test_the_filled_in_template_imports(client, officer_a, django_capture_on_commit_callbacks):
    client.force_login(officer_a)
    template = client.get(reverse("org:import_template", args=["people"])).content

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"kind": "people", "file": SimpleUploadedFile("mau.xlsx", template)})

    assert Job.objects.get().status == JobStatus.DONE
    assert Person.objects.get(code="CB0001").full_name == "Nguyễn Văn An"


def test_unknown_template_kind_is_404(client, officer_a):
    client.force_login(officer_a)
    assert client.get("/org/import/template/khac.xlsx").status_code == 404


@pytest.mark.parametrize("role", ["staff", "unit_head", "council_member"])
def test_roles_without_import_right_are_refused(client, tree, role):
    client.force_login(make_user("u", role, tree["a"]))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("org:import_template", args=["people"])).status_code == 403
    assert client.post(URL, {"kind": "people", "file": upload(GOOD)}).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(URL).status_code == 302


def test_import_status_leads_to_the_job_page(client, officer_a):
    job = Job.objects.create(kind="org.import.people", title="T", created_by=officer_a)
    client.force_login(officer_a)
    response = client.get(reverse("org:import_status", args=[job.pk]))
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])


def test_import_page_query_count_does_not_grow_with_recent_jobs(client, officer_a, django_assert_num_queries):
    client.force_login(officer_a)
    Job.objects.create(kind="org.import.people", title="T", created_by=officer_a)
    client.get(URL)
    with django_assert_num_queries(5) as one:
        client.get(URL)
    for n in range(15):
        Job.objects.create(kind="org.import.people", title=f"T{n}", created_by=officer_a)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(URL).content.decode()
    assert page.count("/jobs/") == 10
