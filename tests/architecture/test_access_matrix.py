"""The access matrix: every URL of tdkt × every role held in department A (plus a staff member of A1,
a user with no role and an anonymous visitor) × an object in A, in A's sub-unit A1, in department B.

The expected outcomes are the intended policy written out by hand (PRODUCT.md, CONVENTIONS.md §4,
the role table of accounts/permissions.py read by a person, not imported): a test that asked the
permission code what to expect could never fail. A new URL pattern without a row here fails
`test_every_url_pattern_has_a_row_in_the_matrix`, so every future view gets its row.

Outcome codes
  200     the page opens; on an object, the object's name is on it
  302     a redirect (a POST that did its work: the database changed)
  403     refused for the role: it lacks the action altogether, whatever the object (the same answer
          for any id); the object's name is not on the page; a POST changed nothing in the database
  404     refused exactly like a nonexistent object: status 404 with the "not found" page, the object's
          name not on the page, a POST changed nothing — so trying ids tells nothing about records
          outside the scope
  400     an export whose filter does not validate (a unit outside the scope reads as a unit that does
          not exist): the message, no file, the object's name not on the page
  log     anonymous: sent to the login page (an htmx request: 403 with HX-Redirect to it); nothing changed
  own     a staff member asking for a list lands on their own record
  A       a list showing exactly the rows of A's subtree (A and A1), and no name from elsewhere
  all     a list showing the rows of the whole ministry
  B       a list showing exactly the rows of department B
  nil     the page opens with no rows at all (for a filter on an object outside the scope: the filter's
          error instead, and the object's name not on the page)
"""

from __future__ import annotations

import copy
import datetime
import importlib
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import get_resolver, resolve, reverse
from django.utils import timezone

from tdkt.accounts.models import RoleAssignment, User
from tdkt.core.models import AuditEvent, Job
from tdkt.org.models import AwardRecord, Collective, Evaluation, Person
from tdkt.rulebook.models import AgencySetting, EligibilityResult, EligibilityRun
from tdkt.rulebook.services import setting_definitions
from tests.architecture.matrix import SUBJECTS, Endpoint, Request, World, _parse
from tests.architecture.test_views_have_permissions import _walk
from tests.factories import make_user, person, unit

LAST_YEAR = timezone.localdate().year - 1
PASSWORD = "demo"
NEW_PASSWORD = "Ma-tran-quyen-2025!"

# the columns of the matrix: every role held in department A (with its subtree), then a staff member
# of A1 linked to their own record, a user with no role, and an anonymous visitor
# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
healthz                          GET    -       200 200 200 200 200 200 200 200 200 200 200 200
set_language                     POST   -       302 302 302 302 302 302 302 302 302 302 302 302
accounts:login                   GET    -       302 302 302 302 302 302 302 302 302 302 302 200
accounts:logout                  POST   -       302 302 302 302 302 302 302 302 302 302 302 302
accounts:password_change         GET    -       200 200 200 200 200 200 200 200 200 200 200 log
accounts:password_change         POST   -       302 302 302 302 302 302 302 302 302 302 302 log
core:dashboard                   GET    -       all A   A   A   A   A   A   A   nil nil nil log
core:audit_list                  GET    -       200 403 403 403 403 403 403 403 403 403 403 log
core:job_detail                  GET    own     200 200 200 403 403 403 403 403 403 403 403 log
core:job_detail                  GET    other   200 404 404 403 403 403 403 403 403 403 403 log
core:job_detail                  GET    unit    200 200 200 403 403 403 403 403 403 403 403 log
org:unit_tree                    GET    -       all A   A   A   A   A   A   A   403 403 403 log
org:unit_detail                  GET    a       200 200 200 200 200 200 200 200 403 403 403 log
org:unit_detail                  GET    a1      200 200 200 200 200 200 200 200 403 403 403 log
org:unit_detail                  GET    b       200 404 404 404 404 404 404 404 403 403 403 log
org:person_list                  GET    -       all A   A   A   A   A   A   A   403 own 403 log
org:person_export                GET    -       all A   A   A   403 A   403 A   403 403 403 log
org:person_detail                GET    a       200 200 200 200 200 200 200 200 403 404 403 log
org:person_detail                GET    a1      200 200 200 200 200 200 200 200 403 404 403 log
org:person_detail                GET    self    200 200 200 200 200 200 200 200 403 200 403 log
org:person_detail                GET    b       200 404 404 404 404 404 404 404 403 404 403 log
org:import_start                 GET    -       200 200 200 403 403 403 403 403 403 403 403 log
org:import_start                 POST   -       302 302 302 403 403 403 403 403 403 403 403 log
org:import_template              GET    -       200 200 200 403 403 403 403 403 403 403 403 log
org:import_status                GET    other   302 404 404 403 403 403 403 403 403 403 403 log
org:import_status                GET    unit    302 302 302 403 403 403 403 403 403 403 403 log
rulebook:catalogue               GET    -       200 200 200 200 200 200 200 200 200 200 200 log
rulebook:award_detail            GET    -       200 200 200 200 200 200 200 200 200 200 200 log
rulebook:person_eligibility      GET    a       200 200 200 200 200 200 403 200 403 404 403 log
rulebook:person_eligibility      GET    a1      200 200 200 200 200 200 403 200 403 404 403 log
rulebook:person_eligibility      GET    self    200 200 200 200 200 200 403 200 403 200 403 log
rulebook:person_eligibility      GET    b       200 404 404 404 404 404 403 404 403 404 403 log
rulebook:collective_eligibility  GET    a       200 200 200 200 200 200 403 200 403 404 403 log
rulebook:collective_eligibility  GET    a1      200 200 200 200 200 200 403 200 403 404 403 log
rulebook:collective_eligibility  GET    b       200 404 404 404 404 404 403 404 403 404 403 log
rulebook:candidates              GET    -       all A   A   A   A   A   403 A   403 403 403 log
rulebook:candidates              GET    b       B   nil nil nil nil nil 403 nil 403 403 403 log
rulebook:candidates_export       GET    -       all A   A   A   403 A   403 A   403 403 403 log
rulebook:candidates_export       GET    b       B   400 400 400 403 400 403 400 403 403 403 log
rulebook:candidates_run          POST   a1      302 302 302 403 403 403 403 403 403 403 403 log
rulebook:candidates_run          POST   b       302 404 404 403 403 403 403 403 403 403 403 log
rulebook:run_status              GET    a1      200 200 200 200 200 200 403 200 403 403 403 log
rulebook:run_status              GET    b       200 404 404 404 404 404 403 404 403 403 403 log
rulebook:settings                GET    -       200 403 403 403 403 403 403 403 403 403 403 log
rulebook:setting_edit            POST   -       302 403 403 403 403 403 403 403 403 403 403 log
rulebook:setting_reset           POST   -       302 403 403 403 403 403 403 403 403 403 403 log
"""
# fmt: on

# The policy behind the table, in words:
# - anyone may reach the health check, the language switch, login and logout; every other page needs
#   a signed-in user, and anonymous visitors are sent to log in;
# - the rulebook browser, the dashboard and the password page are for every signed-in user (the
#   dashboard counts only what the user's scope covers);
# - units and people of a subtree: specialist, officer, unit head, council member, leader, bloc head,
#   inspector of that subtree; a staff member sees only their own record; a portal editor nothing;
# - exporting any list in bulk (people, candidates): specialist, officer, unit head, leader, inspector
#   (not council member, bloc head) — one right for every export, rows kept to the export scope;
# - eligibility (a person's or a collective's tab, the candidates of a year, a run's progress): the same
#   as viewing people but without the bloc head, whose work is the bloc's covenant, scoring and
#   ranking (PRODUCT.md) — plus the staff member's own tab;
# - importing, running the eligibility batch, following background jobs: specialist and officer only —
#   their own jobs and the jobs of the units their scope covers; a job of another unit only by the admin;
# - a record outside the scope answers like a record that does not exist (404) to anyone who holds the
#   action somewhere; a role without the action gets 403 before any record is looked at; a filter on a
#   unit outside the scope is an invalid filter (its error, no rows; an export of it: 400);
# - the audit trail and the agency's settings: the system admin only.


# Each capability adds its own table beside this one, in tests/architecture/access_<app>.py: a MATRIX
# (same columns), its ENDPOINTS, `build(world)` to add its objects to `world.extra`, and `state()` with
# what its POSTs write. The tables are read together; the completeness test sees every URL.
EXTENSIONS = [
    importlib.import_module(f"tests.architecture.{path.stem}")
    for path in sorted(Path(__file__).parent.glob("access_*.py"))
]
ROWS = _parse(MATRIX) + [row for ext in EXTENSIONS for row in _parse(ext.MATRIX)]


# --------------------------------------------------------------------------------- the small ministry


# names: what a list in A's scope must show, and what it must never show
A_PEOPLE = {"Nguyễn Văn An", "Trần Thị Bình", "Phạm Thu Hà"}
B_PEOPLE = {"Lê Văn Cường"}
ROOT_PEOPLE = {"Đặng Quốc Khánh"}
A_COLLECTIVES = {"Tổ Kế hoạch", "Tổ Pháp chế"}
B_COLLECTIVES = {"Tổ Kiểm soát"}
A_UNITS = {"Vụ Alpha", "Phòng Alpha Một"}
OTHER_UNITS = {"Bộ Thử nghiệm", "Vụ Beta"}


def _build_world() -> World:
    root = unit(code="BO", name="Bộ Thử nghiệm", kind="ministry")
    a = unit(code="VU-A", name="Vụ Alpha", parent=root)
    a1 = unit(code="VU-A-P1", name="Phòng Alpha Một", kind="subunit", parent=a)
    b = unit(code="VU-B", name="Vụ Beta", parent=root)
    units = {"root": root, "a": a, "a1": a1, "b": b}
    people = {
        "a": person(a, family_name="Nguyễn", middle_name="Văn", given_name="An", code="M-A"),
        "self": person(a1, family_name="Trần", middle_name="Thị", given_name="Bình", code="M-SELF"),
        "a1": person(a1, family_name="Phạm", middle_name="Thu", given_name="Hà", code="M-A1"),
        "b": person(b, family_name="Lê", middle_name="Văn", given_name="Cường", code="M-B"),
        "root": person(root, family_name="Đặng", middle_name="Quốc", given_name="Khánh", code="M-ROOT"),
    }
    collectives = {
        "a": Collective.objects.create(unit=a, kind="team", code="T-A", name="Tổ Kế hoạch"),
        "a1": Collective.objects.create(unit=a1, kind="team", code="T-A1", name="Tổ Pháp chế"),
        "b": Collective.objects.create(unit=b, kind="team", code="T-B", name="Tổ Kiểm soát"),
    }
    for p in people.values():
        Evaluation.objects.create(
            person=p, unit=p.current_unit, year=LAST_YEAR, rating="htt", months_worked=12
        )
        AwardRecord.objects.create(
            person=p,
            unit=p.current_unit,
            award_code="ldtt",
            first_year=LAST_YEAR - 1,
            last_year=LAST_YEAR - 1,
            decision_number=f"{p.code}/QĐ",
            decided_on=datetime.date(LAST_YEAR, 1, 10),
        )
    officer_b = make_user("officer_b", "officer", b)
    now = timezone.now()
    runs = {
        key: EligibilityRun.objects.create(
            unit=units[key], year=LAST_YEAR, status="done", started_at=now, finished_at=now
        )
        for key in ("root", "a1", "b")
    }
    # stored results of the ministry-wide run: one row per subject, in the subject's unit
    for p in people.values():
        EligibilityResult.objects.create(
            run=runs["root"], person=p, unit=p.current_unit, year=LAST_YEAR, award_code="ldtt",
            verdict="eligible", regime="law-2022",
        )  # fmt: skip
    for c in collectives.values():
        EligibilityResult.objects.create(
            run=runs["root"], collective=c, unit=c.unit, year=LAST_YEAR, award_code="tt_ldtt",
            verdict="eligible", regime="law-2022",
        )  # fmt: skip
    other_job = Job.objects.create(
        kind="org.import.people", title="Tác vụ của Vụ Beta", created_by=officer_b, unit=b
    )
    # started by another officer of A: every officer and specialist of A may follow it
    officer_a2 = make_user("officer_a2", "officer", a)
    unit_job = Job.objects.create(
        kind="org.import.people", title="Tác vụ của đồng nghiệp Vụ Alpha", created_by=officer_a2, unit=a
    )
    definitions = setting_definitions()
    bool_key = next(k for k, d in definitions.items() if d.type == "bool")
    stored_key = next(k for k, d in definitions.items() if d.type == "rating")
    stored_value = "htxs" if definitions[stored_key].default != "htxs" else "htt"
    AgencySetting.objects.create(key=stored_key, value=stored_value)
    world = World(units, people, collectives, runs, other_job, unit_job, bool_key, stored_key)
    for ext in EXTENSIONS:
        ext.build(world)
    return world


def _sign_in(client, world: World, subject: str) -> None:
    if subject == "anonymous":
        return
    if subject == "no_role":
        user = make_user("no_role", None, None, password=PASSWORD)
    elif subject == "staff":
        user = make_user("staff", "staff", world.units["a1"], password=PASSWORD)
        Person.objects.filter(pk=world.people["self"].pk).update(user=user)
    else:
        user = make_user(subject, subject, world.units["a"], password=PASSWORD)
    world.own_job = Job.objects.create(kind="org.import.people", title="Tác vụ của tôi", created_by=user)
    client.force_login(user)


# --------------------------------------------------------------------------------- how to ask each URL


def _xlsx_names(response) -> set[str]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return {row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}


def _cards(response) -> set[str]:
    wanted = ("Đơn vị", "Tập thể", "Cán bộ đang công tác")
    return {f"{c['label']}={c['value']}" for c in response.context["cards"] if str(c["label"]) in wanted}


def _upload() -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cán bộ"
    sheet.append(["Mã cán bộ", "Họ", "Tên đệm", "Tên", "Giới tính", "Ngày sinh", "Mã đơn vị"])
    sheet.append(["N-NEW", "Vũ", "Thị", "Lan", "Nữ", "02/09/1991", "VU-A"])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("can-bo.xlsx", out.getvalue())


def _person_names(response) -> set[str]:
    return {p.full_name for p in response.context["page"].object_list}


def _candidate_names(response) -> set[str]:
    return {str(r.person or r.collective) for r in response.context["page"].object_list}


def _job(w: World, target: str) -> Job:
    """own: a job of the signed-in user; other: a job of department B; unit: a colleague's job of A."""
    if target == "own" and w.own_job:
        return w.own_job
    return w.unit_job if target == "unit" else w.other_job


PEOPLE_ROWS = {"A": A_PEOPLE, "all": A_PEOPLE | B_PEOPLE | ROOT_PEOPLE, "nil": set()}
CANDIDATE_ROWS = {
    "nil": set(),
    "A": A_PEOPLE | A_COLLECTIVES,
    "all": A_PEOPLE | B_PEOPLE | ROOT_PEOPLE | A_COLLECTIVES | B_COLLECTIVES,
    "B": B_PEOPLE | B_COLLECTIVES,
}


ENDPOINTS: dict[str, Endpoint] = {
    "healthz": Endpoint(lambda w, t: Request(reverse("healthz"))),
    "set_language": Endpoint(
        lambda w, t: Request(reverse("set_language"), {"language": "en", "next": "/"}, redirect="/")
    ),
    "accounts:login": Endpoint(
        lambda w, t: Request(reverse("accounts:login"), redirect=reverse("core:dashboard"))
    ),
    "accounts:logout": Endpoint(
        lambda w, t: Request(reverse("accounts:logout"), {}, redirect=reverse("accounts:login"))
    ),
    "accounts:password_change": Endpoint(
        lambda w, t: Request(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            redirect=reverse("core:dashboard"),
        ),
        changes=True,
    ),
    "core:dashboard": Endpoint(
        lambda w, t: Request(reverse("core:dashboard")),
        rows=_cards,
        expected_rows={
            "A": {"Đơn vị=2", "Tập thể=2", "Cán bộ đang công tác=3"},
            "all": {"Đơn vị=4", "Tập thể=3", "Cán bộ đang công tác=5"},
            "nil": set(),
        },
    ),
    "core:audit_list": Endpoint(lambda w, t: Request(reverse("core:audit_list"))),
    "core:job_detail": Endpoint(
        lambda w, t: Request(reverse("core:job_detail", args=[_job(w, t).pk]), marker=_job(w, t).title)
    ),
    "org:unit_tree": Endpoint(
        lambda w, t: Request(reverse("org:unit_tree")),
        rows=lambda r: {u.name for u in r.context["units"]},
        expected_rows={"A": A_UNITS, "all": A_UNITS | OTHER_UNITS},
    ),
    "org:unit_detail": Endpoint(
        lambda w, t: Request(reverse("org:unit_detail", args=[w.units[t].pk]), marker=w.units[t].name)
    ),
    "org:person_list": Endpoint(
        lambda w, t: Request(reverse("org:person_list")), rows=_person_names, expected_rows=PEOPLE_ROWS
    ),
    "org:person_export": Endpoint(
        lambda w, t: Request(reverse("org:person_export")), rows=_xlsx_names, expected_rows=PEOPLE_ROWS
    ),
    "org:person_detail": Endpoint(
        lambda w, t: Request(
            reverse("org:person_detail", args=[w.people[t].pk]), marker=w.people[t].full_name
        )
    ),
    "org:import_start": Endpoint(
        lambda w, t: Request(
            reverse("org:import_start"), {"kind": "people", "file": _upload()}, redirect="/jobs/"
        ),
        changes=True,
    ),
    "org:import_template": Endpoint(lambda w, t: Request(reverse("org:import_template", args=["people"]))),
    "org:import_status": Endpoint(
        lambda w, t: Request(
            reverse("org:import_status", args=[_job(w, t).pk]),
            marker=_job(w, t).title,
            redirect=reverse("core:job_detail", args=[_job(w, t).pk]),
        )
    ),
    "rulebook:catalogue": Endpoint(lambda w, t: Request(reverse("rulebook:catalogue"))),
    "rulebook:award_detail": Endpoint(
        lambda w, t: Request(reverse("rulebook:award_detail", args=["bang_khen_bo"]))
    ),
    "rulebook:person_eligibility": Endpoint(
        lambda w, t: Request(
            reverse("rulebook:person_eligibility", args=[w.people[t].pk]), marker=w.people[t].full_name
        )
    ),
    "rulebook:collective_eligibility": Endpoint(
        lambda w, t: Request(
            reverse("rulebook:collective_eligibility", args=[w.collectives[t].pk]),
            marker=w.collectives[t].name,
        )
    ),
    "rulebook:candidates": Endpoint(
        lambda w, t: Request(
            reverse("rulebook:candidates") + (f"?unit={w.units['b'].pk}" if t == "b" else ""),
            marker=w.units["b"].name if t == "b" else None,
        ),
        rows=_candidate_names,
        expected_rows=CANDIDATE_ROWS,
    ),
    "rulebook:candidates_export": Endpoint(
        lambda w, t: Request(
            reverse("rulebook:candidates_export") + (f"?unit={w.units['b'].pk}" if t == "b" else ""),
            marker=w.units["b"].name if t == "b" else None,
        ),
        rows=_xlsx_names,
        expected_rows=CANDIDATE_ROWS,
    ),
    "rulebook:candidates_run": Endpoint(
        lambda w, t: Request(
            reverse("rulebook:candidates_run"),
            {"unit": w.units[t].pk, "year": LAST_YEAR},
            redirect=reverse("rulebook:candidates") + f"?unit={w.units[t].pk}&year={LAST_YEAR}",
        ),
        changes=True,
    ),
    "rulebook:run_status": Endpoint(
        lambda w, t: Request(reverse("rulebook:run_status", args=[w.runs[t].pk]), marker=w.runs[t].unit.name)
    ),
    "rulebook:settings": Endpoint(lambda w, t: Request(reverse("rulebook:settings"))),
    "rulebook:setting_edit": Endpoint(
        lambda w, t: Request(
            reverse("rulebook:setting_edit", args=[w.bool_key]),
            {"value": "on"},
            redirect=reverse("rulebook:settings"),
        ),
        changes=True,
    ),
    "rulebook:setting_reset": Endpoint(
        lambda w, t: Request(
            reverse("rulebook:setting_reset", args=[w.stored_key]), {}, redirect=reverse("rulebook:settings")
        ),
        changes=True,
    ),
}
for _ext in EXTENSIONS:
    ENDPOINTS.update(_ext.ENDPOINTS)


def _database_state() -> tuple:
    """What a refused POST must leave as it was: every table a POST of tdkt writes to."""
    return (
        sorted(Job.objects.values_list("id", flat=True)),
        sorted(EligibilityRun.objects.values_list("id", flat=True)),
        sorted(AgencySetting.objects.values_list("key", "value")),
        AuditEvent.objects.count(),
        sorted(User.objects.values_list("username", "password")),
        sorted(Person.objects.values_list("code", flat=True)),
        RoleAssignment.objects.count(),
        *(ext.state() for ext in EXTENSIONS),
    )


def _send(client, method: str, req: Request, **headers):
    if method == "POST":
        return client.post(req.path, req.data or {}, headers=headers)
    return client.get(req.path, headers=headers)


def _login_url() -> str:
    return reverse("accounts:login")


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world is built once for the module inside a transaction that is rolled back at its end; each
    test runs in its own savepoint inside it (pytest-django's `db`), so what a request changes is undone
    before the next one, as if the world were built anew. Building it for each of the ~3,000 cases cost
    most of the suite's time on PostgreSQL."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world(), media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_shared_world, db, settings) -> World:
    built, media = _shared_world
    settings.MEDIA_ROOT = media
    # a copy per test, like Django's setUpTestData: a test that changes an object in memory (or
    # `world.own_job`) leaves the next test's world as built
    return copy.deepcopy(built)


CASES = [pytest.param(row, subject, id=f"{row.id}-{subject}") for row in ROWS for subject in SUBJECTS]


@pytest.mark.parametrize(("row", "subject"), CASES)
def test_access(client, world, row, subject):
    expected = row.outcomes[subject]
    endpoint = ENDPOINTS[row.name]
    _sign_in(client, world, subject)
    req = endpoint.request(world, row.target)
    before = _database_state()

    response = _send(client, row.method, req)

    body = response.content.decode(errors="replace") if not response.streaming else ""
    if expected == "log":
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(_login_url() + "?next="), response["Location"]
    elif expected == "own":
        assert response.status_code == 302
        assert response["Location"] == reverse("org:person_detail", args=[world.people["self"].pk])
    elif expected in ("200", "302", "403", "404", "400"):
        assert response.status_code == int(expected), (response.status_code, response.get("Location"))
        if expected == "302" and req.redirect:
            assert response["Location"].startswith(req.redirect), response["Location"]
        if expected == "404":
            assert "Không tìm thấy trang hoặc bản ghi." in body  # the page of an id that does not exist
        if expected == "400":
            assert not response.streaming and "Bộ lọc không hợp lệ" in body  # no file, the reason
    else:  # a list: exactly the rows of the scope, and no name from outside it
        assert response.status_code == 200, response.status_code
        assert endpoint.rows is not None, f"{row.name} has no row reader for {expected!r}"
        shown = endpoint.rows(response)
        assert shown == endpoint.expected_rows[expected]
        hidden = set().union(*endpoint.expected_rows.values()) - shown
        for name in hidden:
            assert name not in body, f"{name!r} shown to {subject}"

    if req.marker and row.method == "GET":
        if expected == "200":
            assert req.marker in body
        elif expected in ("403", "404", "400", "nil", "log"):
            assert req.marker not in body

    if row.method == "POST":
        after = _database_state()
        if expected in ("403", "404", "log"):
            assert after == before, "a refused request changed the database"
        elif endpoint.changes:
            assert after != before, "an allowed request changed nothing"


ANONYMOUS_PROTECTED = [pytest.param(row, id=row.id) for row in ROWS if row.outcomes["anonymous"] == "log"]


@pytest.mark.parametrize("row", ANONYMOUS_PROTECTED)
def test_anonymous_htmx_request_gets_403_that_sends_the_page_to_login(client, world, row):
    req = ENDPOINTS[row.name].request(world, row.target)
    before = _database_state()

    response = _send(
        client, row.method, req, HX_Request="true", HX_Current_URL="http://testserver/org/people/?q=an"
    )

    assert response.status_code == 403
    assert response["HX-Redirect"] == _login_url() + "?next=/org/people/%3Fq%3Dan"
    assert _database_state() == before


# --------------------------------------------------------------------------------- the matrix is complete


def test_every_url_pattern_has_a_row_in_the_matrix(world):
    routes = {route for route, _name, _view in _walk(get_resolver("tdkt.urls").url_patterns)}
    covered = set()
    world.own_job = world.other_job
    for row in ROWS:
        path = ENDPOINTS[row.name].request(world, row.target).path.split("?")[0]
        match = resolve(path)
        assert match.view_name == row.name, f"{path} resolves to {match.view_name}, not {row.name}"
        covered.add(match.route)
    missing = sorted(routes - covered)
    assert not missing, "URL patterns with no row in the access matrix:\n" + "\n".join(missing)


def test_every_row_names_a_known_endpoint_and_every_endpoint_is_used():
    assert {row.name for row in ROWS} == set(ENDPOINTS)
    assert len({row.id for row in ROWS}) == len(ROWS), "a row is repeated"
