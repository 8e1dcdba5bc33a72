"""The award register: every award record (people and collectives) of the user's units, filtered,
sorted, paged and exported; each filter narrows to exactly what it says."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tdkt.core.text import fold
from tdkt.org.models import AwardRecord, Collective, Person
from tests.factories import make_user

REGISTER = reverse("awards:register")
EXPORT = reverse("awards:register_export")
D = datetime.date


def award(subject, code, first, last=None, *, number=None, **extra) -> AwardRecord:
    field = "collective" if isinstance(subject, Collective) else "person"
    unit = subject.unit if field == "collective" else subject.current_unit
    return AwardRecord.objects.create(
        **{field: subject},
        unit=unit,
        award_code=code,
        first_year=first,
        last_year=last or first,
        decision_number=number or f"{code}-{last or first}-{subject.pk}/QĐ",
        decided_on=extra.pop("decided_on", D((last or first) + 1, 1, 15)),
        **extra,
    )


@pytest.fixture
def book(tree, people):
    """A small register: An (dept A, Tày, leader), Bình (A's team, woman, direct worker), Cường (dept
    B), and the planning team of A."""
    Person.objects.filter(pk=people["an"].pk).update(ethnicity="Tày", leader=True)
    Person.objects.filter(pk=people["binh"].pk).update(gender="female", direct_worker=True)
    team = Collective.objects.create(
        unit=tree["a"], kind="team", code="T-KH", name="Tổ Kế hoạch", search_text=fold("Tổ Kế hoạch T-KH")
    )
    return {
        "team": team,
        "an_ldtt": award(people["an"], "ldtt", 2023, number="12/QĐ-VA", issuer_level="unit", source="issued"),
        "an_bk": award(
            people["an"],
            "bang_khen_bo",
            2021,
            2022,
            number="88/QĐ-BTN",
            issuer_level="ministry",
            signer="Lê Văn Ký",
        ),  # fmt: skip
        "binh_cstd": award(people["binh"], "cstd_co_so", 2024, number="5/QĐ-VA", source="recorded"),
        "binh_old": award(
            people["binh"],
            "ldtt",
            2020,
            number="3/QĐ-VA",
            revoked=True,
            revoked_decision="9/QĐ-VA",
            revoked_on=D(2021, 6, 1),
            revoked_reason="Vi phạm kỷ luật",
        ),  # fmt: skip
        "team_tt": award(team, "tt_ldtt", 2024, number="7/QĐ-VA"),
        "cuong": award(people["cuong"], "ldtt", 2024, number="40/QĐ-VB"),
    }


@pytest.fixture
def officer(tree):
    return make_user("officer_a", "officer", tree["a"])


def _numbers(response) -> set[str]:
    return {r.decision_number for r in response.context["page"].object_list}


def _open(client, user, query=""):
    client.force_login(user)
    return client.get(REGISTER + (f"?{query}" if query else ""))


A_NUMBERS = {"12/QĐ-VA", "88/QĐ-BTN", "5/QĐ-VA", "3/QĐ-VA", "7/QĐ-VA"}


def test_officer_sees_every_record_of_the_units_subtree_people_and_collectives(client, officer, book):
    response = _open(client, officer)
    assert response.status_code == 200
    assert _numbers(response) == A_NUMBERS
    body = response.content.decode()
    assert "Tổ Kế hoạch" in body and "Nguyễn Văn An" in body
    assert "40/QĐ-VB" not in body and "Lê Cường" not in body


def test_the_ministry_sees_the_whole_register(client, tree, book):
    response = _open(client, make_user("spc", "specialist", tree["root"]))
    assert _numbers(response) == A_NUMBERS | {"40/QĐ-VB"}


def test_rows_show_the_register_columns(client, officer, book):
    body = _open(client, officer, "q=88").content.decode()
    for text in ("Bằng khen của bộ, ban, ngành, tỉnh", "2021–2022", "88/QĐ-BTN", "15/01/2023", "Lê Văn Ký",
                 "Bộ, ngành", "Nhập từ danh sách", "Còn hiệu lực"):  # fmt: skip
        assert text in body, text


def test_a_revoked_record_is_listed_and_marked(client, officer, book):
    response = _open(client, officer, "revoked=1")
    assert _numbers(response) == {"3/QĐ-VA"}
    body = response.content.decode()
    assert "Đã huỷ bỏ" in body and "9/QĐ-VA" in body
    assert _numbers(_open(client, officer, "revoked=0")) == A_NUMBERS - {"3/QĐ-VA"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2022", {"88/QĐ-BTN"}),  # inside the 2021–2022 period
        ("year=2021", {"88/QĐ-BTN"}),
        ("year=2024", {"5/QĐ-VA", "7/QĐ-VA"}),
        ("award_code=ldtt", {"12/QĐ-VA", "3/QĐ-VA"}),
        ("level=ministry", {"88/QĐ-BTN"}),
        ("source=issued", {"12/QĐ-VA"}),
        ("source=recorded", {"5/QĐ-VA"}),
        ("gender=female", {"5/QĐ-VA", "3/QĐ-VA"}),
        ("ethnicity=t%C3%A0y", {"12/QĐ-VA", "88/QĐ-BTN"}),
        ("direct_worker=1", {"5/QĐ-VA", "3/QĐ-VA"}),
        ("direct_worker=0", {"12/QĐ-VA", "88/QĐ-BTN"}),
        ("leader=1", {"12/QĐ-VA", "88/QĐ-BTN"}),
        ("subject=collective", {"7/QĐ-VA"}),
        ("subject=person", A_NUMBERS - {"7/QĐ-VA"}),
        ("q=tran+thi", {"5/QĐ-VA", "3/QĐ-VA"}),
        ("q=ke+hoach", {"7/QĐ-VA"}),
        ("q=5%2FQ", {"5/QĐ-VA"}),
        ("q=an", {"12/QĐ-VA", "88/QĐ-BTN"}),  # "an" begins a word: Văn does not count
        ("award_code=ldtt&revoked=0&year=2023", {"12/QĐ-VA"}),
    ],
)
def test_each_filter_narrows_to_what_it_says(client, officer, book, query, expected):
    response = _open(client, officer, query)
    assert response.status_code == 200
    assert not response.context["filter_error"]
    assert _numbers(response) == expected


def test_unit_filter_with_and_without_sub_units(client, officer, tree, book):
    with_sub = _open(client, officer, f"unit={tree['a'].pk}&subtree=on")
    assert _numbers(with_sub) == A_NUMBERS
    alone = _open(client, officer, f"unit={tree['a'].pk}")
    assert _numbers(alone) == {"12/QĐ-VA", "88/QĐ-BTN", "7/QĐ-VA"}
    team = _open(client, officer, f"unit={tree['a1'].pk}&subtree=on")
    assert _numbers(team) == {"5/QĐ-VA", "3/QĐ-VA"}


def _order(response) -> list[str]:
    return [r.decision_number for r in response.context["page"].object_list]


def test_columns_sort_both_ways(client, officer, book):
    by_year = _order(_open(client, officer, "sort=year"))
    assert by_year[0] == "3/QĐ-VA" and by_year[-1] in {"5/QĐ-VA", "7/QĐ-VA"}
    assert _order(_open(client, officer, "sort=-year"))[0] in {"5/QĐ-VA", "7/QĐ-VA"}
    by_name = _order(_open(client, officer, "sort=name"))
    # Vietnamese order by given name: An, Bình (×2), then the team "Tổ Kế hoạch"
    assert by_name[:2] == ["88/QĐ-BTN", "12/QĐ-VA"] or by_name[:2] == ["12/QĐ-VA", "88/QĐ-BTN"]
    assert by_name[-1] == "7/QĐ-VA"
    assert _order(_open(client, officer, "sort=-name"))[0] == "7/QĐ-VA"
    by_number = _order(_open(client, officer, "sort=decision"))
    assert by_number == sorted(by_number)


def test_sort_links_keep_the_filters_and_turn_the_order_round(client, officer, book):
    response = _open(client, officer, "award_code=ldtt&sort=name")
    links = response.context["sort_links"]
    assert "award_code=ldtt" in links["name"]["query"] and "sort=-name" in links["name"]["query"]
    assert links["name"]["state"] == "ascending"
    assert links["year"]["state"] == "none"


def test_htmx_filter_swaps_only_the_results(client, officer, book):
    client.force_login(officer)
    response = client.get(
        REGISTER + "?award_code=ldtt", headers={"HX-Request": "true", "HX-Target": "register-results"}
    )
    body = response.content.decode()
    assert "<html" not in body and 'role="search"' not in body
    assert "12/QĐ-VA" in body and "88/QĐ-BTN" not in body


def test_pages_of_the_register(client, officer, people):
    for year in range(1990, 2015):
        award(people["an"], "giay_khen", year, number=f"{year}/GK")
    first = _open(client, officer, "sort=year")
    assert len(first.context["page"].object_list) == 20
    assert first.context["page"].paginator.count == 25
    second = _open(client, officer, "sort=year&page=2")
    assert _order(second) == [f"{y}/GK" for y in range(2010, 2015)]


def _rows_query_count(client, user, n_rows: int, per_page: int) -> int:
    client.force_login(user)
    client.get(REGISTER)  # session, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(REGISTER + f"?per_page={per_page}")
    assert len(response.context["page"].object_list) == n_rows
    return len(ctx.captured_queries)


def test_query_count_is_flat_at_20_and_100_rows(client, officer, tree, people, django_assert_max_num_queries):
    team = Collective.objects.create(unit=tree["a1"], kind="team", code="T-X", name="Tổ X")
    for i in range(100):
        subject = [people["an"], people["binh"], team][i % 3]
        award(subject, "giay_khen", 1900 + i, number=f"{i}/GK")
    at_20 = _rows_query_count(client, officer, 20, 20)
    at_100 = _rows_query_count(client, officer, 100, 100)
    assert at_20 == at_100
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        client.get(REGISTER + "?per_page=100")


def test_council_member_and_staff_have_no_register(client, tree, people, book):
    for user in (make_user("cnc", "council_member", tree["a"]), make_user("stf", "staff", tree["a"])):
        client.force_login(user)
        assert client.get(REGISTER).status_code == 403


def test_menu_offers_the_register_to_who_may_read_it(client, officer, tree):
    client.force_login(officer)
    assert REGISTER in client.get(reverse("core:dashboard")).content.decode()
    client.force_login(make_user("blc", "bloc_head", tree["a"]))
    assert REGISTER not in client.get(reverse("core:dashboard")).content.decode()


# --- export -------------------------------------------------------------------------------------------


def _sheet(response):
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_export_is_the_filtered_register_opened_back(client, officer, book):
    client.force_login(officer)
    response = client.get(EXPORT + "?award_code=ldtt")
    assert response.status_code == 200
    header, rows = _sheet(response)
    assert header[:2] == ("Mã cán bộ, tập thể", "Họ và tên / Tập thể")
    by_number = {row[8]: row for row in rows}
    assert set(by_number) == {"12/QĐ-VA", "3/QĐ-VA"}
    revoked = by_number["3/QĐ-VA"]
    assert revoked[1] == "Trần Thị Bình" and revoked[2] == "Nữ"
    assert revoked[5] == "Lao động tiên tiến" and revoked[6] == 2020
    assert revoked[14] == "Có" and revoked[15] == "9/QĐ-VA" and revoked[17] == "Vi phạm kỷ luật"
    assert revoked[16] == datetime.datetime(2021, 6, 1)
    assert by_number["12/QĐ-VA"][3] == "Tày" and by_number["12/QĐ-VA"][13] == "Quyết định của hệ thống"


def test_export_of_everything_keeps_to_the_scope_and_lists_collectives(client, officer, book):
    client.force_login(officer)
    _header, rows = _sheet(client.get(EXPORT))
    assert {row[8] for row in rows} == A_NUMBERS
    assert ("T-KH", "Tổ Kế hoạch") in {(row[0], row[1]) for row in rows}


def test_export_with_an_invalid_filter_gives_no_file(client, officer, book):
    client.force_login(officer)
    response = client.get(EXPORT + "?year=abcd")
    assert response.status_code == 400
    assert not response.streaming
    assert "Năm thành tích" in response.content.decode()


def test_export_needs_the_export_right(client, tree, book):
    client.force_login(make_user("cnc", "council_member", tree["a"]))
    assert client.get(EXPORT).status_code == 403


def test_a_large_register_export_runs_in_the_background_with_its_filters(
    client, officer, book, settings, tmp_path, django_capture_on_commit_callbacks
):
    from tdkt.core.models import Job

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TDKT_SYNC_EXPORT_ROWS = 2
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):  # the tests' immediate backend runs the task
        response = client.get(EXPORT + "?subject=person&sort=name")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.kind == "export.awards.register" and job.status == "done"
    assert job.params["filters"] == {"subject": "person", "sort": "name"}
    assert job.result == {"rows": 4, "filename": "so-khen-thuong.xlsx"}
    _header, rows = _sheet(client.get(reverse("core:job_file", args=[job.pk])))
    assert {row[8] for row in rows} == A_NUMBERS - {"7/QĐ-VA"}  # people only, A's subtree only
