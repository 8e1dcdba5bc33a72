"""Existence oracle (issue 7, finding 6): a record outside the user's scope must read as one that does
not exist.

Before the fix a record outside the scope answered 403 while a missing one answered 404, so any staff
member could count the people, units, collectives, eligibility runs and jobs of the whole ministry by
trying ids. Now every object-level refusal is the project's 404 page, byte for byte the page of a
missing id (apart from the address itself and the per-request CSRF token); a role that lacks the action
altogether, with no object looked at, still gets 403 — whatever the id.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tdkt.core.models import Job
from tdkt.org.models import Collective
from tdkt.rulebook.models import EligibilityRun
from tests.factories import make_user

MISSING = 999_999


@pytest.fixture
def objects(tree, people):
    """One of each kind of record in department B, outside the scope of A's users."""
    now = timezone.now()
    officer_b = make_user("officer_b", "officer", tree["b"])
    return {
        "person": people["cuong"],
        "unit": tree["b"],
        "collective": Collective.objects.create(
            unit=tree["b"], kind="team", code="TO-B", name="Tổ Kiểm soát"
        ),
        "run": EligibilityRun.objects.create(
            unit=tree["b"], year=2024, status="done", started_at=now, finished_at=now
        ),
        "job": Job.objects.create(
            kind="org.import.people", title="Nhập cán bộ Vụ B", created_by=officer_b, unit=tree["b"]
        ),
    }


# (url name, kind of record, the record's name as it would show on its page)
PAGES = [
    ("org:person_detail", "person", lambda o: o["person"].full_name),
    ("org:unit_detail", "unit", lambda o: o["unit"].name),
    ("rulebook:person_eligibility", "person", lambda o: o["person"].full_name),
    ("rulebook:collective_eligibility", "collective", lambda o: o["collective"].name),
    ("rulebook:run_status", "run", lambda o: o["run"].unit.name),
    ("core:job_detail", "job", lambda o: o["job"].title),
    ("org:import_status", "job", lambda o: o["job"].title),
]


def _missing_id(kind: str):
    return uuid.uuid4() if kind == "job" else MISSING


def _same_page(response, path: str) -> str:
    """The body with the request's own address and the per-request CSRF token blanked out."""
    body = response.content.decode()
    body = body.replace(path, "PATH")
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', body)
    return re.sub(r'"X-CSRFToken": "[^"]*"', '"X-CSRFToken": ""', body)


@pytest.mark.parametrize(("name", "kind", "marker"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("role", ["officer", "specialist"])
def test_a_record_outside_the_scope_answers_exactly_like_a_missing_one(
    client, tree, objects, name, kind, marker, role
):
    client.force_login(make_user(f"{role}_a", role, tree["a"]))
    outside_path = reverse(name, args=[objects[kind].pk])
    missing_path = reverse(name, args=[_missing_id(kind)])

    outside = client.get(outside_path)
    missing = client.get(missing_path)

    assert outside.status_code == missing.status_code == 404
    assert _same_page(outside, outside_path) == _same_page(missing, missing_path)
    assert marker(objects) not in outside.content.decode()
    assert "Không tìm thấy trang hoặc bản ghi." in outside.content.decode()


@pytest.mark.parametrize("role", ["council_member", "unit_head", "inspector"])
def test_every_role_that_reads_units_gets_the_same_404(client, tree, objects, role):
    client.force_login(make_user(f"{role}_a", role, tree["a"]))
    for name, kind in (
        ("org:person_detail", "person"),
        ("org:unit_detail", "unit"),
        ("rulebook:collective_eligibility", "collective"),
        ("rulebook:run_status", "run"),
    ):
        outside_path = reverse(name, args=[objects[kind].pk])
        missing_path = reverse(name, args=[MISSING])
        outside, missing = client.get(outside_path), client.get(missing_path)
        assert (outside.status_code, missing.status_code) == (404, 404), name
        assert _same_page(outside, outside_path) == _same_page(missing, missing_path), name


def test_a_staff_member_probing_colleagues_gets_404_like_a_missing_record(client, tree, people):
    staff = make_user("staff_an", "staff", tree["a"])
    people["an"].user = staff
    people["an"].save()
    client.force_login(staff)
    for name in ("org:person_detail", "rulebook:person_eligibility"):
        assert client.get(reverse(name, args=[people["an"].pk])).status_code == 200  # their own
        colleague = client.get(reverse(name, args=[people["binh"].pk]))
        missing = client.get(reverse(name, args=[MISSING]))
        assert colleague.status_code == missing.status_code == 404, name
        assert "Trần Thị Bình" not in colleague.content.decode()


def test_running_the_batch_for_another_unit_reads_as_a_unit_that_does_not_exist(client, tree, officer_a):
    client.force_login(officer_a)
    url = reverse("rulebook:candidates_run")

    outside = client.post(url, {"unit": tree["b"].pk, "year": 2024})
    missing = client.post(url, {"unit": MISSING, "year": 2024})

    assert outside.status_code == missing.status_code == 404
    assert not EligibilityRun.objects.exists()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("org:person_detail", "person"),
        ("org:unit_detail", "unit"),
        ("rulebook:person_eligibility", "person"),
        ("rulebook:collective_eligibility", "collective"),
    ],
)
@pytest.mark.parametrize("role", ["portal_editor", None])
def test_a_role_without_the_action_gets_403_whatever_the_id(client, tree, objects, name, kind, role):
    client.force_login(make_user("someone", role, tree["a"]))
    existing = client.get(reverse(name, args=[objects[kind].pk]))
    missing = client.get(reverse(name, args=[MISSING]))
    assert existing.status_code == missing.status_code == 403
    assert "Bạn không có quyền truy cập trang này." in existing.content.decode()


def test_a_role_without_jobs_gets_403_whatever_the_job(client, tree, objects):
    client.force_login(make_user("head_a", "unit_head", tree["a"]))
    for name in ("core:job_detail", "org:import_status"):
        assert client.get(reverse(name, args=[objects["job"].pk])).status_code == 403
        assert client.get(reverse(name, args=[uuid.uuid4()])).status_code == 403
