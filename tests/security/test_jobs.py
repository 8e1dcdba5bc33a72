"""Background jobs belong to a unit (issue 7, finding 7c).

Before the fix only a job's creator (or the admin) could open it: a second officer of the same unit
could not follow the import or the eligibility run a colleague started, and the candidates page showed
"Xem tác vụ" to unit heads, council members and colleagues who were then refused. Now a job carries the
unit it works on (the run's unit; the importer's unit), whoever may follow jobs in that unit opens it,
an officer of another unit gets the 404 of a missing job, and the link shows only to who may open it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tdkt.core.models import Job
from tdkt.rulebook.models import EligibilityRun
from tests.factories import make_user
from tests.org.test_views_imports import GOOD, upload

YEAR = 2024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officers(tree):
    return {
        "first_a": make_user("officer_a1", "officer", tree["a"]),
        "second_a": make_user("officer_a2", "officer", tree["a"]),
        "b": make_user("officer_b", "officer", tree["b"]),
    }


def _start_import(client, user) -> Job:
    client.force_login(user)
    response = client.post(reverse("org:import_start"), {"kind": "people", "file": upload(GOOD)})
    assert response.status_code == 302
    return Job.objects.get(created_by=user)


def test_a_second_officer_of_the_unit_follows_a_colleagues_import(client, tree, officers):
    job = _start_import(client, officers["first_a"])
    assert job.unit == tree["a"]  # the importer's unit

    client.force_login(officers["second_a"])
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    status = client.get(reverse("org:import_status", args=[job.pk]))

    assert page.status_code == 200 and job.title in page.content.decode()
    assert status.status_code == 302 and status["Location"] == reverse("core:job_detail", args=[job.pk])


def test_an_officer_of_another_unit_gets_the_404_of_a_missing_job(client, tree, officers):
    job = _start_import(client, officers["first_a"])

    client.force_login(officers["b"])
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    status = client.get(reverse("org:import_status", args=[job.pk]))

    assert page.status_code == 404 and status.status_code == 404
    assert job.title not in page.content.decode()


def test_an_officer_above_the_unit_follows_its_jobs_one_below_does_not(client, tree, officers):
    job = _start_import(client, officers["first_a"])
    above = make_user("officer_root", "officer", tree["root"])
    below = make_user("officer_a1_only", "officer", tree["a1"])

    client.force_login(above)
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 200
    client.force_login(below)
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404


def test_an_import_by_a_ministry_specialist_belongs_to_the_highest_unit_of_their_scope(client, tree):
    specialist = make_user("specialist", "specialist", tree["root"])
    job = _start_import(client, specialist)
    assert job.unit == tree["root"]


def _start_run(client, user, unit, capture) -> Job:
    client.force_login(user)
    with capture(execute=False):  # the job stays pending: the page shows it running
        response = client.post(reverse("rulebook:candidates_run"), {"unit": unit.pk, "year": YEAR})
    assert response.status_code == 302
    return Job.objects.get(kind="rulebook.eligibility")


def test_a_second_officer_opens_the_run_a_colleague_started_and_sees_the_link(
    client, tree, people, officers, django_capture_on_commit_callbacks
):
    job = _start_run(client, officers["first_a"], tree["a"], django_capture_on_commit_callbacks)
    assert job.unit == tree["a"]
    link = reverse("core:job_detail", args=[job.pk])

    client.force_login(officers["second_a"])
    page = client.get(reverse("rulebook:candidates"), {"unit": tree["a"].pk, "year": YEAR})

    assert "Xem tác vụ" in page.content.decode() and link in page.content.decode()
    assert client.get(link).status_code == 200
    status = client.get(reverse("rulebook:run_status", args=[EligibilityRun.objects.get(job=job).pk]))
    assert link in status.content.decode()


@pytest.mark.parametrize("role", ["unit_head", "council_member", "leader", "inspector"])
def test_the_job_link_shows_only_to_who_may_open_it(
    client, tree, people, officers, role, django_capture_on_commit_callbacks
):
    job = _start_run(client, officers["first_a"], tree["a"], django_capture_on_commit_callbacks)
    link = reverse("core:job_detail", args=[job.pk])

    client.force_login(make_user(role, role, tree["a"]))
    page = client.get(reverse("rulebook:candidates"), {"unit": tree["a"].pk, "year": YEAR})
    status = client.get(reverse("rulebook:run_status", args=[EligibilityRun.objects.get(job=job).pk]))

    body = page.content.decode()
    assert page.status_code == 200 and "Đang xét tiêu chuẩn" in body  # the run is shown ...
    assert "Xem tác vụ" not in body and link not in body  # ... without a link that would be refused
    assert status.status_code == 200 and "Xem tác vụ" not in status.content.decode()
    assert client.get(link).status_code == 403


def test_the_candidates_page_checks_the_link_without_more_queries(
    client, tree, people, officers, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    _start_run(client, officers["first_a"], tree["a"], django_capture_on_commit_callbacks)
    client.force_login(officers["second_a"])
    url = reverse("rulebook:candidates")
    client.get(url, {"unit": tree["a"].pk, "year": YEAR})
    with django_assert_max_num_queries(14):
        page = client.get(url, {"unit": tree["a"].pk, "year": YEAR})
    assert "Xem tác vụ" in page.content.decode()
