"""Silent filters (issue 7, finding 5): an invalid filter must never show the unfiltered list.

Before the fix, on the people list an over-long search, a NUL byte in `q`, a unit outside the scope or
an unknown gender, rating, employment or page size was dropped without a word, and the list — and its
Excel export — showed everyone as if it were the result. The candidates list replaced an unknown award
or verdict, cut the search at 100 characters, and sent a NUL byte to the database (PostgreSQL rejects
it: a 500). Now every filter goes through a form: the error shows beside its field, the list shows no
rows and says why, and the export exports nothing (400 with the same message).
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tdkt.org.models import Collective
from tdkt.rulebook.models import EligibilityResult, EligibilityRun
from tests.factories import make_user, person

PEOPLE = reverse("org:person_list")
PEOPLE_EXPORT = reverse("org:person_export")
CANDIDATES = reverse("rulebook:candidates")
CANDIDATES_EXPORT = reverse("rulebook:candidates_export")
YEAR = 2024
NOTICE = "Bộ lọc không hợp lệ:"
FIX = "sửa bộ lọc để xem danh sách"
LONG = "a" * 101
NUL = "a\x00b"


@pytest.fixture
def results(tree, people):
    """A finished ministry-wide run with one stored result per person and per collective."""
    now = timezone.now()
    run = EligibilityRun.objects.create(
        unit=tree["root"], year=YEAR, status="done", started_at=now, finished_at=now
    )
    for p in people.values():
        EligibilityResult.objects.create(
            run=run, person=p, unit=p.current_unit, year=YEAR, award_code="ldtt", verdict="eligible",
            regime="law-2022",
        )  # fmt: skip
    team = Collective.objects.create(unit=tree["a"], kind="team", code="TO-KH", name="Tổ Kế hoạch")
    EligibilityResult.objects.create(
        run=run, collective=team, unit=tree["a"], year=YEAR, award_code="tt_ldtt", verdict="eligible",
        regime="law-2022",
    )  # fmt: skip
    return run


def _people_names(response) -> list[str]:
    return [p.full_name for p in response.context["page"].object_list]


def _candidate_names(response) -> list[str]:
    return [str(r.person or r.collective) for r in response.context["page"].object_list]


def _xlsx_names(response) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [row[1] for row in book.active.iter_rows(min_row=2, values_only=True)]


def _assert_refused_list(response, *, field_id: str, message: str, names) -> None:
    """The page opens, shows the error beside its field and the notice, lists nobody, offers no export."""
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="{field_id}-error">' in body and message in body
    assert re.search(
        rf'id="{field_id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field_id}"', body
    )
    assert NOTICE in body and FIX in body
    assert names(response) == []
    assert "Xuất Excel" not in body
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Cường"):
        assert name not in body


def _assert_refused_export(response, message: str) -> None:
    """The export answers 400 with the message and sends no workbook."""
    assert response.status_code == 400
    assert not response.streaming and "spreadsheetml" not in response["Content-Type"]
    body = response.content.decode()
    assert NOTICE in body and FIX in body and message in body
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Cường"):
        assert name not in body


# --------------------------------------------------------------------------------------- people list

PEOPLE_CASES = [
    pytest.param({"q": LONG}, "id_q", "Từ khoá dài quá 100 ký tự", id="q-101-chars"),
    pytest.param({"q": NUL}, "id_q", "Từ khoá có ký tự không hợp lệ", id="q-nul"),
    pytest.param({"gender": "xyz"}, "id_gender", "không có trong danh sách", id="gender"),
    pytest.param({"employment": "xyz"}, "id_employment", "không có trong danh sách", id="employment"),
    pytest.param({"rating": "xyz"}, "id_rating", "không có trong danh sách", id="rating"),
    pytest.param({"direct_worker": "2"}, "id_direct_worker", "không có trong danh sách", id="direct"),
    pytest.param({"leader": "yes"}, "id_leader", "không có trong danh sách", id="leader"),
    pytest.param({"active": "x"}, "id_active", "không có trong danh sách", id="active"),
    pytest.param({"per_page": "7"}, "id_per_page", "không có trong danh sách", id="per-page"),
    pytest.param({"rating_year": "1800"}, "id_rating_year", "Năm xếp loại phải từ 1990", id="year"),
    pytest.param({"unit": "999999"}, "id_unit", "Không có đơn vị này trong phạm vi", id="unit-missing"),
    pytest.param({"unit": "1\x00"}, "id_unit", "Không có đơn vị này trong phạm vi", id="unit-nul"),
]


@pytest.mark.parametrize(("params", "field_id", "message"), PEOPLE_CASES)
def test_people_list_with_an_invalid_filter_shows_the_error_and_no_rows(
    client, admin_user, people, params, field_id, message
):
    client.force_login(admin_user)  # sees everyone: an unfiltered list would show the three

    response = client.get(PEOPLE, params)

    _assert_refused_list(response, field_id=field_id, message=message, names=_people_names)


@pytest.mark.parametrize(("params", "field_id", "message"), PEOPLE_CASES)
def test_people_export_of_an_invalid_filter_exports_nothing(
    client, admin_user, people, params, field_id, message
):
    client.force_login(admin_user)

    response = client.get(PEOPLE_EXPORT, params)

    _assert_refused_export(response, message)
    assert 'href="/org/people/?' in response.content.decode()  # back to the list, filters kept


def test_people_unit_outside_the_scope_is_an_error_and_reads_as_a_unit_that_does_not_exist(
    client, tree, people, officer_a
):
    client.force_login(officer_a)

    outside = client.get(PEOPLE, {"unit": tree["b"].pk})
    missing = client.get(PEOPLE, {"unit": 999999})

    _assert_refused_list(outside, field_id="id_unit", message="Không có đơn vị này", names=_people_names)
    assert tree["b"].name not in outside.content.decode()
    assert _errors(outside) == _errors(missing)
    _assert_refused_export(client.get(PEOPLE_EXPORT, {"unit": tree["b"].pk}), "Không có đơn vị này")


def _errors(response) -> dict:
    return {k: [str(e) for e in v] for k, v in response.context["form"].errors.items()}


def test_people_htmx_filter_with_an_error_gets_the_notice_in_the_results(client, admin_user, people):
    client.force_login(admin_user)

    response = client.get(
        PEOPLE, {"gender": "xyz"}, headers={"HX-Request": "true", "HX-Target": "person-results"}
    )

    body = response.content.decode()
    assert (
        "<html" not in body and NOTICE in body and "Giới tính — Giá trị này không có trong danh sách" in body
    )
    assert "Nguyễn Văn An" not in body and "<strong>0</strong>" in body


def test_people_valid_filters_still_list_and_export(client, admin_user, people):
    client.force_login(admin_user)
    assert _people_names(client.get(PEOPLE, {"q": "a" * 100})) == []  # 100 is allowed, finds nobody
    assert _people_names(client.get(PEOPLE, {"q": "binh", "gender": "male"})) == ["Trần Thị Bình"]
    assert _xlsx_names(client.get(PEOPLE_EXPORT, {"q": "binh"})) == ["Trần Thị Bình"]


def test_people_list_with_an_invalid_filter_reads_no_people(
    client, admin_user, tree, people, django_assert_max_num_queries
):
    for i in range(30):
        person(tree["b"], given_name=f"Thêm{i}")
    client.force_login(admin_user)
    client.get(PEOPLE)
    with django_assert_max_num_queries(7):
        response = client.get(PEOPLE, {"gender": "xyz"})
    assert _people_names(response) == []


# ----------------------------------------------------------------------------------- candidates list

CANDIDATE_CASES = [
    pytest.param({"q": LONG}, "f-q", "Từ khoá dài quá 100 ký tự", id="q-101-chars"),
    pytest.param({"q": NUL}, "f-q", "Từ khoá có ký tự không hợp lệ", id="q-nul"),
    pytest.param({"award": "xyz"}, "f-award", "không có trong danh sách", id="award"),
    pytest.param({"verdict": "xyz"}, "f-verdict", "không có trong danh sách", id="verdict"),
    pytest.param({"year": "abc"}, "f-year", "Năm không hợp lệ", id="year-text"),
    pytest.param({"year": "1990"}, "f-year", "Không xét được năm 1990", id="year-unjudged"),
    pytest.param({"unit": "999999"}, "f-unit", "Không có đơn vị này trong phạm vi", id="unit-missing"),
    pytest.param({"unit": "x\x00"}, "f-unit", "Không có đơn vị này trong phạm vi", id="unit-nul"),
]


@pytest.mark.parametrize(("params", "field_id", "message"), CANDIDATE_CASES)
def test_candidates_with_an_invalid_filter_show_the_error_and_no_rows(
    client, admin_user, tree, results, params, field_id, message
):
    client.force_login(admin_user)

    response = client.get(CANDIDATES, {"unit": tree["root"].pk, "year": YEAR, "verdict": "all", **params})

    _assert_refused_list(response, field_id=field_id, message=message, names=_candidate_names)
    assert "Tổ Kế hoạch" not in response.content.decode()
    assert "Xem tác vụ" not in response.content.decode() and "Chạy lại" not in response.content.decode()


@pytest.mark.parametrize(("params", "field_id", "message"), CANDIDATE_CASES)
def test_candidates_export_of_an_invalid_filter_exports_nothing(
    client, admin_user, tree, results, params, field_id, message
):
    client.force_login(admin_user)

    response = client.get(
        CANDIDATES_EXPORT, {"unit": tree["root"].pk, "year": YEAR, "verdict": "all", **params}
    )

    _assert_refused_export(response, message)
    assert 'href="/rulebook/candidates/?' in response.content.decode()


def test_candidates_unit_outside_the_scope_reads_as_a_unit_that_does_not_exist(
    client, tree, results, officer_a
):
    client.force_login(officer_a)

    outside = client.get(CANDIDATES, {"unit": tree["b"].pk, "year": YEAR, "verdict": "all"})
    missing = client.get(CANDIDATES, {"unit": 999999, "year": YEAR, "verdict": "all"})

    _assert_refused_list(outside, field_id="f-unit", message="Không có đơn vị này", names=_candidate_names)
    assert tree["b"].name not in outside.content.decode()
    assert outside.status_code == missing.status_code and _errors(outside) == _errors(missing)
    export = client.get(CANDIDATES_EXPORT, {"unit": tree["b"].pk, "year": YEAR})
    _assert_refused_export(export, "Không có đơn vị này")


def test_candidates_search_of_exactly_100_characters_is_searched_not_cut(client, admin_user, tree, results):
    client.force_login(admin_user)
    response = client.get(CANDIDATES, {"unit": tree["root"].pk, "year": YEAR, "q": "an" + "x" * 98})
    assert response.status_code == 200 and NOTICE not in response.content.decode()
    assert _candidate_names(response) == []


def test_candidates_htmx_filter_with_an_error_swaps_in_the_notice(client, admin_user, tree, results):
    client.force_login(admin_user)

    response = client.get(
        CANDIDATES,
        {"unit": tree["root"].pk, "year": YEAR, "award": "xyz"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )

    body = response.content.decode()
    assert '<div id="results">' in body and NOTICE in body
    assert "Danh hiệu, hình thức — Giá trị này không có trong danh sách" in body
    assert "Nguyễn Văn An" not in body and 'class="result-row"' not in body


def test_candidates_with_an_invalid_filter_read_no_results(
    client, admin_user, tree, results, django_assert_max_num_queries
):
    client.force_login(admin_user)
    client.get(CANDIDATES)
    with django_assert_max_num_queries(7):
        response = client.get(CANDIDATES, {"unit": tree["root"].pk, "year": YEAR, "verdict": "xyz"})
    assert _candidate_names(response) == []


def test_a_council_member_sees_the_same_refusal_as_anyone(client, tree, results):
    council = make_user("council_a", "council_member", tree["a"])
    client.force_login(council)
    response = client.get(CANDIDATES, {"award": "xyz"})
    _assert_refused_list(
        response, field_id="f-award", message="không có trong danh sách", names=_candidate_names
    )


@pytest.mark.parametrize(
    "query",
    [{"action": "xoa-sach"}, {"event": "khong.co"}, {"date_from": "31/02/2024"}, {"actor": "a" * 101},
     {"actor": "ad\x00min"}, {"date_from": "02/01/2025", "date_to": "01/01/2025"}],
)  # fmt: skip
def test_the_audit_trail_with_an_invalid_filter_shows_the_error_and_no_events(client, admin_user, query):
    from tdkt.core.models import AuditEvent

    AuditEvent.objects.create(
        actor_name="admin", action="update", event="person.update", object_type="org.person"
    )
    client.force_login(admin_user)

    response = client.get(reverse("core:audit_list"), query)

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "Bộ lọc không hợp lệ" in response.content.decode()
