"""People list (search, filters, pages, export) and the person profile, as each role sees them."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tdkt.org.models import AwardRecord, Discipline, Evaluation, Initiative, Leave, Person
from tests.factories import make_user, person

LIST = reverse("org:person_list")
EXPORT = reverse("org:person_export")


@pytest.fixture
def users(tree, people):
    staff_user = make_user("staff_an", "staff", tree["a"])
    Person.objects.filter(pk=people["an"].pk).update(user=staff_user)
    return {
        "admin": make_user("admin", "admin", tree["root"]),
        "officer_a": make_user("officer_a", "officer", tree["a"]),
        "officer_root": make_user("officer_root", "officer", tree["root"]),
        "officer_b": make_user("officer_b", "officer", tree["b"]),
        "head_a": make_user("head_a", "unit_head", tree["a"]),
        "council_a": make_user("council_a", "council_member", tree["a"]),
        "staff_an": staff_user,
        "nobody": make_user("nobody", None, None),
    }


def _names(response) -> list[str]:
    return [p.full_name for p in response.context["page"].object_list]


def _get(client, user, url, **headers):
    if user is not None:
        client.force_login(user)
    return client.get(url, headers=headers)


# --- the list ------------------------------------------------------------------------------------


def test_search_ignores_diacritics_and_case(client, users, people):
    response = _get(client, users["officer_a"], LIST + "?q=NGUYEN+van+AN")
    assert response.status_code == 200
    assert "Nguyễn Văn An" in response.content.decode()
    assert _names(response) == ["Nguyễn Văn An"]


def test_search_finds_by_code(client, users, people):
    response = _get(client, users["officer_a"], LIST + "?q=cb002")
    assert _names(response) == ["Trần Thị Bình"]


def test_search_with_accents_matches_the_same_people(client, users, people):
    response = _get(client, users["officer_a"], LIST + "?q=Bình")
    assert _names(response) == ["Trần Thị Bình"]


def test_officer_sees_own_unit_and_subunits_only(client, users, people):
    response = _get(client, users["officer_a"], LIST)
    body = response.content.decode()
    assert "Nguyễn Văn An" in body and "Trần Thị Bình" in body
    assert "Lê Cường" not in body
    assert response.context["page"].paginator.count == 2


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", {"Nguyễn Văn An", "Trần Thị Bình", "Lê Cường"}),
        ("officer_root", {"Nguyễn Văn An", "Trần Thị Bình", "Lê Cường"}),
        ("officer_a", {"Nguyễn Văn An", "Trần Thị Bình"}),
        ("officer_b", {"Lê Cường"}),
        ("head_a", {"Nguyễn Văn An", "Trần Thị Bình"}),
        ("council_a", {"Nguyễn Văn An", "Trần Thị Bình"}),
    ],
)
def test_list_shows_exactly_the_people_of_the_role_scope(client, users, people, who, expected):
    response = _get(client, users[who], LIST)
    assert response.status_code == 200
    assert set(_names(response)) == expected


def test_staff_member_opening_the_list_lands_on_their_own_profile(client, users, people):
    response = _get(client, users["staff_an"], LIST)
    assert response.status_code == 302
    assert response.url == reverse("org:person_detail", args=[people["an"].pk])


def test_user_without_role_is_refused_the_list(client, users):
    assert _get(client, users["nobody"], LIST).status_code == 403


def test_anonymous_is_sent_to_login(client, users):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_list_is_sorted_by_given_name_the_vietnamese_way(client, users, tree):
    for given, family in [("Bảo", "Lê"), ("Ánh", "Phạm"), ("Đức", "Hồ"), ("Dũng", "Vũ"), ("Ân", "Mai")]:
        person(tree["b"], family_name=family, middle_name="", given_name=given)
    response = _get(client, users["officer_b"], LIST)
    assert _names(response) == ["Phạm Ánh", "Mai Ân", "Lê Bảo", "Lê Cường", "Vũ Dũng", "Hồ Đức"]


def test_filter_by_unit_with_and_without_subunits(client, users, tree, people):
    with_sub = _get(client, users["officer_a"], LIST + f"?unit={tree['a'].pk}&subtree=on")
    assert set(_names(with_sub)) == {"Nguyễn Văn An", "Trần Thị Bình"}
    only = _get(client, users["officer_a"], LIST + f"?unit={tree['a'].pk}")
    assert _names(only) == ["Nguyễn Văn An"]


def test_unit_filter_offers_only_units_in_scope(client, users, tree, people):
    response = _get(client, users["officer_a"], LIST)
    options = [u.pk for u in response.context["form"].fields["unit"].queryset]
    assert options == [tree["a"].pk, tree["a1"].pk]
    refused = _get(client, users["officer_a"], LIST + f"?unit={tree['b'].pk}")
    assert "Lê Cường" not in refused.content.decode()


def test_filters_gender_leader_direct_worker_employment_active(client, users, tree):
    person(tree["b"], given_name="Hoa", gender="female", leader=True)
    person(tree["b"], given_name="Hùng", direct_worker=True, employment="worker")
    person(tree["b"], given_name="Khánh", active=False)
    officer = users["officer_b"]
    assert [n.split()[-1] for n in _names(_get(client, officer, LIST + "?gender=female&active=1"))] == ["Hoa"]
    assert [n.split()[-1] for n in _names(_get(client, officer, LIST + "?leader=1&active=1"))] == ["Hoa"]
    assert [n.split()[-1] for n in _names(_get(client, officer, LIST + "?direct_worker=1&active=1"))] == [
        "Hùng"
    ]
    assert [n.split()[-1] for n in _names(_get(client, officer, LIST + "?employment=worker&active=1"))] == [
        "Hùng"
    ]
    assert [n.split()[-1] for n in _names(_get(client, officer, LIST + "?active=0"))] == ["Khánh"]
    assert "Khánh" not in " ".join(_names(_get(client, officer, LIST)))  # active people by default


def test_filter_by_rating_in_a_year_and_the_rating_column(client, users, tree, people):
    Evaluation.objects.create(person=people["an"], unit=tree["a"], year=2023, rating="htxs")
    Evaluation.objects.create(person=people["binh"], unit=tree["a1"], year=2023, rating="htt")
    Evaluation.objects.create(person=people["binh"], unit=tree["a1"], year=2022, rating="htxs")
    response = _get(client, users["officer_a"], LIST + "?rating=htxs&rating_year=2023")
    assert _names(response) == ["Nguyễn Văn An"]
    assert "Xếp loại 2023" in response.content.decode()
    everyone = _get(client, users["officer_a"], LIST + "?rating_year=2023")
    ratings = {p.full_name: p.year_rating for p in everyone.context["page"].object_list}
    assert ratings == {"Nguyễn Văn An": "htxs", "Trần Thị Bình": "htt"}


def test_bad_year_shows_its_message_beside_the_field_and_no_rows(client, users, people):
    response = _get(client, users["officer_a"], LIST + "?rating_year=abc&q=an")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<div class="invalid-feedback d-block" id="id_rating_year-error">' in body
    assert "Năm xếp loại phải là số có 4 chữ số, ví dụ 2024." in body
    assert 'aria-invalid="true" aria-describedby="id_rating_year-error"' in body
    assert "Bộ lọc không hợp lệ: Năm xếp loại — Năm xếp loại phải là số có 4 chữ số" in body
    assert _names(response) == [] and "Nguyễn Văn An" not in body
    assert "Xuất Excel" not in body  # nothing to export from a list that is not shown


def test_page_size_is_selectable(client, users, tree):
    for i in range(55):
        person(tree["b"], given_name=f"Z{i:02d}")
    officer = users["officer_b"]
    assert len(_names(_get(client, officer, LIST))) == 20
    response = _get(client, officer, LIST + "?per_page=50")
    assert len(_names(response)) == 50
    assert 'aria-label="Phân trang"' in response.content.decode()
    last = _get(client, officer, LIST + "?per_page=50&page=2")
    assert len(_names(last)) == 6
    assert len(_names(_get(client, officer, LIST + "?per_page=100"))) == 56
    not_offered = _get(client, officer, LIST + "?per_page=7")
    assert _names(not_offered) == [] and "Số dòng/trang — Giá trị này không có trong danh sách" in (
        not_offered.content.decode()
    )


def test_htmx_request_gets_only_the_results_partial(client, users, people):
    response = _get(
        client, users["officer_a"], LIST + "?q=binh", HX_Request="true", HX_Target="person-results"
    )
    body = response.content.decode()
    assert "<html" not in body and "<form" not in body
    assert "Trần Thị Bình" in body and "Nguyễn Văn An" not in body
    assert "<strong>1</strong>" in body


def test_without_javascript_the_filter_form_is_a_plain_get_form(client, users, people):
    body = _get(client, users["officer_a"], LIST).content.decode()
    assert 'method="get"' in body and 'hx-get="/org/people/"' in body
    assert 'id="person-results"' in body
    for field in ("q", "unit", "gender", "employment", "rating", "per_page"):
        assert f'<label class="form-label small mb-1" for="id_{field}">' in body


def _list_queries(client, user, n, tree, url=LIST):
    for _ in range(n):
        p = person(tree["b"])
        Evaluation.objects.create(person=p, unit=tree["b"], year=2024, rating="htt")
    client.force_login(user)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_list_query_count_is_constant_for_1_20_and_100_rows(client, users, tree, people):
    one, r1 = _list_queries(client, users["officer_b"], 0, tree, LIST + "?per_page=100")
    twenty, r20 = _list_queries(client, users["officer_b"], 19, tree, LIST + "?per_page=100")
    hundred, r100 = _list_queries(client, users["officer_b"], 80, tree, LIST + "?per_page=100")
    assert [len(_names(r)) for r in (r1, r20, r100)] == [1, 20, 100]
    assert one == twenty == hundred
    assert one <= 10


# --- the export ----------------------------------------------------------------------------------


def _sheet(response):
    content = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_export_lists_every_matching_person_with_dates_as_dd_mm_yyyy(client, users, tree, people):
    Person.objects.filter(pk=people["an"].pk).update(id_number="001085012345", position="Chuyên viên")
    for _ in range(25):
        person(tree["a1"])
    response = _get(client, users["officer_a"], EXPORT + "?per_page=20&page=2")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "danh-sach-can-bo.xlsx" in response["Content-Disposition"]
    ws = _sheet(response)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "Mã cán bộ",
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Đơn vị",
        "Chức vụ",
        "Loại cán bộ",
        "Lao động trực tiếp",
        "Lãnh đạo, quản lý",
        "Số định danh cá nhân",
    )
    assert ws["A1"].font.b
    assert len(rows) == 1 + 27  # all matching rows, not one page
    an = next(r for r in rows if r[1] == "Nguyễn Văn An")
    assert an[0] == "CB001" and an[4] == "Vụ A" and an[5] == "Chuyên viên" and an[9] == "001085012345"
    assert an[3] == datetime.datetime(1985, 5, 1)
    date_cell = next(c for c in ws["D"] if c.value == datetime.datetime(1985, 5, 1))
    assert date_cell.number_format == "dd/mm/yyyy"
    assert "Lê Cường" not in [r[1] for r in rows]


def test_export_follows_the_search(client, users, people):
    ws = _sheet(_get(client, users["officer_a"], EXPORT + "?q=binh"))
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == ["Trần Thị Bình"]


def test_export_without_private_right_has_no_id_number_column(client, users, people):
    Person.objects.filter(pk=people["an"].pk).update(id_number="001085012345")
    ws = _sheet(_get(client, users["head_a"], EXPORT))
    headers = [c.value for c in ws[1]]
    assert "Số định danh cá nhân" not in headers
    assert "001085012345" not in [v for row in ws.iter_rows(values_only=True) for v in row]


@pytest.mark.parametrize(("who", "status"), [("council_a", 403), ("staff_an", 403), ("nobody", 403)])
def test_export_refused_to_roles_without_export_right(client, users, who, status):
    assert _get(client, users[who], EXPORT).status_code == status


# --- the profile ---------------------------------------------------------------------------------


def _profile(p):
    return reverse("org:person_detail", args=[p.pk])


@pytest.mark.parametrize(
    ("who", "person_key", "status"),
    [
        ("admin", "cuong", 200),
        ("officer_root", "cuong", 200),
        ("officer_a", "an", 200),
        ("officer_a", "binh", 200),  # subtree
        ("officer_a", "cuong", 404),  # other unit: as if it did not exist
        ("officer_b", "an", 404),
        ("head_a", "binh", 200),
        ("council_a", "an", 200),
        ("council_a", "cuong", 404),
        ("staff_an", "an", 200),  # own record
        ("staff_an", "binh", 404),  # a colleague's
        ("nobody", "an", 403),  # no role that sees anyone: refused outright
    ],
)
def test_profile_access_by_role_and_unit(client, users, people, who, person_key, status):
    response = _get(client, users[who], _profile(people[person_key]))
    assert response.status_code == status
    if status == 200:
        assert people[person_key].full_name in response.content.decode()
    else:
        assert people[person_key].full_name not in response.content.decode()


def test_profile_offers_the_eligibility_tab_only_to_who_may_open_it(client, tree, people):
    tab = reverse("rulebook:person_eligibility", args=[people["an"].pk])
    officer = _get(client, make_user("officer_x", "officer", tree["a"]), _profile(people["an"]))
    assert f'href="{tab}"' in officer.content.decode()
    # a bloc head sees the profile, but eligibility is the unit's and the ministry's work, not the bloc's
    bloc_head = _get(client, make_user("bloc_x", "bloc_head", tree["a"]), _profile(people["an"]))
    body = bloc_head.content.decode()
    assert bloc_head.status_code == 200 and "Nguyễn Văn An" in body
    assert tab not in body
    assert client.get(tab).status_code == 403


def test_profile_anonymous_goes_to_login(client, people):
    response = client.get(_profile(people["an"]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_missing_person_is_404(client, users):
    assert _get(client, users["admin"], reverse("org:person_detail", args=[99999])).status_code == 404


def test_id_number_shown_to_officer_masked_for_unit_head(client, users, people):
    Person.objects.filter(pk=people["an"].pk).update(id_number="001085012345")
    assert "001085012345" in _get(client, users["officer_a"], _profile(people["an"])).content.decode()
    masked = _get(client, users["head_a"], _profile(people["an"])).content.decode()
    assert "001085012345" not in masked
    assert "•••••••••345" in masked and "đã che" in masked


def test_staff_sees_own_id_number(client, users, people):
    Person.objects.filter(pk=people["an"].pk).update(id_number="001085012345")
    assert "001085012345" in _get(client, users["staff_an"], _profile(people["an"])).content.decode()


def _history(p, unit, years):
    for year in years:
        Evaluation.objects.create(person=p, unit=unit, year=year, rating="htxs", months_worked=12)
        Initiative.objects.create(
            person=p,
            unit=unit,
            year=year,
            title=f"Sáng kiến {year}",
            scope="co_so",
            recognised_on=datetime.date(year, 11, 1),
        )
        AwardRecord.objects.create(
            person=p,
            unit=unit,
            award_code="ldtt",
            first_year=year,
            last_year=year,
            decision_number=f"{year}/QĐ-BTN",
            decided_on=datetime.date(year + 1, 1, 10),
        )
        Leave.objects.create(
            person=p,
            unit=unit,
            year=year,
            kind="sick",
            start=datetime.date(year, 3, 1),
            end=datetime.date(year, 3, 5),
        )


def test_profile_shows_history_by_year(client, users, tree, people):
    an = people["an"]
    _history(an, tree["a"], [2023, 2024])
    Discipline.objects.create(
        person=an, unit=tree["a"], year=2022, form="khien_trach", decided_on=datetime.date(2022, 6, 3)
    )
    AwardRecord.objects.create(
        person=an,
        unit=tree["a"],
        award_code="cstd_co_so",
        first_year=2022,
        last_year=2022,
        decision_number="9/QĐ-BTN",
        decided_on=datetime.date(2023, 1, 9),
        revoked=True,
        revoked_decision="77/QĐ-BTN",
        revoked_on=datetime.date(2023, 5, 2),
    )
    response = _get(client, users["officer_a"], _profile(an))
    body = response.content.decode()
    assert [row.year for row in response.context["years"]] == [2024, 2023, 2022]
    assert "Hoàn thành xuất sắc nhiệm vụ" in body
    assert "Sáng kiến 2024" in body and "Cấp cơ sở" in body and "đã công nhận 01/11/2024" in body
    assert "Nghỉ ốm: 5 ngày" in body and "01/03/2024" in body
    assert "2024/QĐ-BTN" in body and "10/01/2025" in body and "Lao động tiên tiến" in body
    assert "Khiển trách" in body and "03/06/2022" in body
    assert "<del><strong>Chiến sĩ thi đua cơ sở</strong>" in body
    assert "Đã huỷ bỏ" in body and "theo QĐ 77/QĐ-BTN" in body


def test_profile_shows_units_over_time_and_the_tab_bar(client, users, tree, people):
    an = people["an"]
    an.positions.update(end=datetime.date(2019, 12, 31))
    an.positions.create(unit=tree["a"], position="Phó Vụ trưởng", start=datetime.date(2020, 1, 1))
    body = _get(client, users["officer_a"], _profile(an)).content.decode()
    assert "Quá trình công tác" in body and "Phó Vụ trưởng" in body and "31/12/2019" in body
    assert 'class="nav-link active"' in body and "Thông tin" in body
    assert 'aria-current="page">Thông tin' in body


def test_profile_query_count_does_not_grow_with_years(client, users, tree, people):
    client.force_login(users["officer_a"])
    _history(people["an"], tree["a"], [2024])
    _history(people["binh"], tree["a1"], range(2015, 2025))
    counts = []
    for p in (people["an"], people["binh"]):
        client.get(_profile(p))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_profile(p))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_profile_stays_under_a_query_budget(client, users, tree, people, django_assert_max_num_queries):
    _history(people["binh"], tree["a1"], range(2015, 2025))
    client.force_login(users["officer_a"])
    client.get(_profile(people["binh"]))
    with django_assert_max_num_queries(14):
        client.get(_profile(people["binh"]))


def test_profile_shows_the_latest_years_and_links_the_whole_timeline(client, users, tree, people):
    binh = people["binh"]
    _history(binh, tree["a1"], range(2015, 2025))
    response = _get(client, users["officer_a"], _profile(binh))
    assert [row.year for row in response.context["years"]] == [2024, 2023, 2022]
    assert f'href="/org/people/{binh.pk}/timeline/"' in response.content.decode()
    timeline = _get(client, users["officer_a"], f"/org/people/{binh.pk}/timeline/")
    assert timeline.context["years"][0].year == 2024
    assert "2015" in timeline.content.decode()
