"""The statistics page: figures equal to counts made here from the records created, scoped to the user's
units, revoked awards outside the counts and shown apart, charts drawn as accessible SVG each followed by
its table, each chart's Excel export, and a number of queries that does not grow with the data."""

from __future__ import annotations

import io
import re
from collections import Counter

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tdkt.org.enums import AwardCode, IssuerLevel
from tdkt.rulebook.services import regime_for_year
from tests.factories import make_user
from tests.reports.register import (
    PEOPLE,
    YEAR,
    Award,
    add_award,
    add_dossier,
    add_movement_with_registrations,
    build,
)

A_UNITS = {"a", "a1", "ent"}
ALL_UNITS = {"root", "a", "a1", "b", "ent"}
# the level that decides each form in the 2022 rulebook (rulebook data, read by a person)
TIER = {
    "ldtt": "co_so", "cstd_co_so": "co_so", "tt_ldxs": "co_so", "giay_khen": "co_so",
    "bang_khen_bo": "bo", "cstd_bo": "bo", "co_thi_dua_bo": "bo", "ky_niem_chuong": "bo",
    "bang_khen_ttg": "nha_nuoc", "hc_lao_dong_3": "nha_nuoc",
}  # fmt: skip


@pytest.fixture
def reg(db):
    r = build()
    add_movement_with_registrations(r)
    return r


def _get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reports:statistics"), {"year_from": YEAR - 2, "year_to": YEAR, **params})


def _series(response, key):
    return next(s for s in response.context["stats"].charts if s.key == key)


def test_counts_by_year_level_and_form_equal_the_records_for_the_ministry(client, reg):
    admin = make_user("admin", "admin", reg.units["root"])
    response = _get(client, admin)
    assert response.status_code == 200
    in_force = [a for a in reg.awards if not a.revoked]
    years = {r["label"]: r["value"] for r in _series(response, "year").rows}
    assert years == {str(y): sum(a.year == y for a in in_force) for y in (YEAR - 2, YEAR - 1, YEAR)}
    levels = {r["key"]: r["value"] for r in _series(response, "level").rows}
    assert levels == dict(Counter(a.level for a in in_force))
    forms = {r["key"]: r["value"] for r in _series(response, "award").rows}
    assert forms == dict(Counter(a.code for a in in_force))
    assert response.context["stats"].total == len(in_force)
    assert response.context["stats"].revoked == sum(a.revoked for a in reg.awards)
    # the whole tree is one ministry: its departments are the chart's bars
    units = {r["label"]: r["value"] for r in _series(response, "unit").rows}
    assert units == {
        "Bộ Thống kê (trực tiếp)": sum(a.unit == "root" for a in in_force),
        "Vụ An Toàn": sum(a.unit in A_UNITS for a in in_force),
        "Vụ Bình Minh": sum(a.unit == "b" for a in in_force),
    }


def test_a_unit_head_of_a_sees_only_the_figures_of_a(client, reg):
    head = make_user("head_a", "unit_head", reg.units["a"])
    response = _get(client, head)
    mine = [a for a in reg.in_units(A_UNITS) if not a.revoked]
    assert response.context["stats"].total == len(mine)
    forms = {r["key"]: r["value"] for r in _series(response, "award").rows}
    assert forms == dict(Counter(a.code for a in mine))
    assert "ky_niem_chuong" not in forms  # department B's only
    # by unit: the children of A (and A itself), never B or the ministry
    units = {r["label"]: r["value"] for r in _series(response, "unit").rows}
    assert units == {
        "Vụ An Toàn (trực tiếp)": sum(a.unit == "a" for a in mine),
        "Phòng Một Vụ An Toàn": sum(a.unit == "a1" for a in mine),
        "Công ty Alpha": sum(a.unit == "ent" for a in mine),
    }
    body = response.content.decode()
    assert "Vụ Bình Minh" not in body


def test_another_units_filter_is_an_error_with_no_figures(client, reg):
    head = make_user("head_a", "unit_head", reg.units["a"])
    response = _get(client, head, unit=reg.units["b"].pk)
    assert response.context["stats"] is None
    body = response.content.decode()
    assert "Không có đơn vị này trong phạm vi bạn được xem." in body
    assert 'id="total-in-force"' not in body


def test_unit_filter_takes_the_subtree(client, reg):
    admin = make_user("admin", "admin", reg.units["root"])
    response = _get(client, admin, unit=reg.units["a"].pk)
    assert response.context["stats"].total == sum(not a.revoked for a in reg.in_units(A_UNITS))
    response = _get(client, admin, unit=reg.units["a1"].pk, subject="person", level="ministry")
    expected = [a for a in reg.in_units({"a1"}) if not a.revoked and a.person and a.level == "ministry"]
    assert response.context["stats"].total == len(expected) == 1


def test_revoked_awards_are_outside_every_count_and_shown_apart(client, reg):
    admin = make_user("admin", "admin", reg.units["root"])
    response = _get(client, admin, unit=reg.units["a1"].pk)
    stats = response.context["stats"]
    a1 = reg.in_units({"a1"})
    assert stats.total == sum(not a.revoked for a in a1)
    assert stats.revoked == sum(a.revoked for a in a1) == 1
    bk = next(r for r in _series(response, "award").rows if r["key"] == "bang_khen_bo")
    assert (bk["value"], bk["revoked"]) == (1, 1)  # Chi's counts; Bình's revoked one is apart
    body = response.content.decode()
    assert re.search(r'id="total-revoked">\s*1\s*<', body)


def test_shares_per_level_against_the_staff(client, reg):
    admin = make_user("admin", "admin", reg.units["root"])
    response = _get(client, admin, year_from=YEAR, year_to=YEAR)
    stats = response.context["stats"]
    awarded = [a for a in reg.awards if not a.revoked and a.person and a.year == YEAR]
    for tier in ("co_so", "bo", "nha_nuoc"):
        rows = [a for a in awarded if TIER[a.code] == tier]
        shown = next(
            r
            for r in stats.shares
            if r.label.startswith({"co_so": "Cấp cơ sở", "bo": "Cấp bộ", "nha_nuoc": "Cấp Nhà nước"}[tier])
        )
        assert shown.total == len(rows)
        assert shown.women == sum(PEOPLE[a.person][1] == "female" for a in rows)
        assert shown.minorities == sum(PEOPLE[a.person][2] not in ("Kinh", "") for a in rows)
        assert shown.direct == sum(PEOPLE[a.person][3] for a in rows)
        assert shown.leaders == sum(PEOPLE[a.person][4] for a in rows)
    staff = stats.staff
    assert staff.total == len(PEOPLE)
    assert staff.direct == sum(p[3] for p in PEOPLE.values())
    assert staff.minorities == 2  # Tày and Thái; the blank ethnicity is not a minority
    body = response.content.decode()
    assert "Điều 5" in body  # the principle the shares are read against


def test_registration_against_achievement(client, reg):
    head = make_user("head_a", "unit_head", reg.units["a"])
    response = _get(client, head)
    rows = {r["label"]: (r["value"], r["achieved"]) for r in response.context["stats"].registrations.rows}
    mine = [r for r in reg.registrations if r[1] in ("an", "binh", "chi")]
    expected = {}
    for _unit, _key, code, achieved in mine:
        label = str(AwardCode(code).label)
        n, done = expected.get(label, (0, 0))
        expected[label] = (n + 1, done + achieved)
    assert rows == expected


def test_processing_time_against_the_step_limits(client, reg):
    add_dossier(reg, "a", appraisal_days=12)  # 8 working days of appraisal
    add_dossier(reg, "a", appraisal_days=30)  # 22 working days: late
    add_dossier(reg, "b", appraisal_days=40)  # another unit's
    head = make_user("head_a", "unit_head", reg.units["a"])
    response = _get(client, head)
    steps = {s.step: s for s in response.context["stats"].steps}
    limits = {d.step: d.working_days for d in regime_for_year(YEAR).model.dossier_steps}
    appraisal = steps["appraisal"]
    # each dossier: received → started the same day (0 days), started → accepted (8 or 22)
    assert sorted(appraisal.days) == [0, 0, 8, 22]
    assert appraisal.limits == {limits["appraisal"]}
    assert (appraisal.on_time, appraisal.late) == (3, 1)
    assert steps["receive"].days == [1, 1] and steps["receive"].late == 0
    body = response.content.decode()
    assert "Thẩm định hồ sơ" in body


def test_charts_are_accessible_svg_followed_by_their_table(client, reg):
    admin = make_user("admin", "admin", reg.units["root"])
    body = _get(client, admin).content.decode()
    svgs = re.findall(r"<svg.*?</svg>", body, re.S)
    assert len(svgs) >= 6
    for svg in svgs:
        assert 'role="img"' in svg
        ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        title_id, desc_id = ids
        assert f'<title id="{title_id}">' in svg and f'<desc id="{desc_id}">' in svg
        assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "<script" not in svg
    # patterns besides colours, numbers written on the bars
    assert 'fill="url(#p-shares-hatch)"' in body
    for key in ("year", "level", "award", "unit", "shares", "registration"):
        chart_at = body.index(f'id="chart-{key}"')
        table_at = body.index(f'id="table-{key}"')
        assert chart_at < table_at
    assert "cdn" not in body.lower()


def test_each_chart_exports_its_table_to_excel(client, reg):
    head = make_user("head_a", "unit_head", reg.units["a"])
    client.force_login(head)
    params = {"year_from": YEAR - 2, "year_to": YEAR}
    response = client.get(reverse("reports:statistics_export", args=["award"]), params)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    mine = reg.in_units(A_UNITS)
    expected = {
        str(AwardCode(code).label): (
            sum(a.code == code and not a.revoked for a in mine),
            sum(a.code == code and a.revoked for a in mine),
        )
        for code in {a.code for a in mine}
    }
    assert {r[0]: (r[1], r[2] or 0) for r in rows} == expected
    response = client.get(reverse("reports:statistics_export", args=["level"]), params)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    labels = {r[0] for r in book.active.iter_rows(min_row=2, values_only=True)}
    assert str(IssuerLevel.STATE.label) in labels
    assert client.get(reverse("reports:statistics_export", args=["nonsense"]), params).status_code == 404


def test_a_role_without_the_right_is_refused(client, reg):
    staff = make_user("staff", "staff", reg.units["a"])
    client.force_login(staff)
    assert client.get(reverse("reports:statistics")).status_code == 403


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reports:statistics"), {"year_from": YEAR - 2, "year_to": YEAR})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_data(client, reg, django_assert_max_num_queries):
    add_dossier(reg, "a")
    admin = make_user("admin", "admin", reg.units["root"])
    few = _queries(client, admin)
    for i in range(40):  # more records, units, years, levels and dossiers
        add_award(reg, Award("b", "ldtt", YEAR - 1 - i % 2, "unit", person="em", basis="cong_trang"), 100 + i)
        add_award(reg, Award("a1", "giay_khen", YEAR, "ministry", collective="ta"), 200 + i)
    for _ in range(5):
        add_dossier(reg, "b")
    many = _queries(client, admin)
    assert many == few
    client.force_login(admin)
    with django_assert_max_num_queries(few):
        client.get(reverse("reports:statistics"), {"year_from": YEAR - 2, "year_to": YEAR})


def test_the_registered_exporter_gives_the_same_rows_and_refuses_an_invalid_filter(reg):
    from tdkt.core.errors import ServiceError
    from tdkt.core.exports import exporter_for

    head = make_user("head_a", "unit_head", reg.units["a"])
    export = exporter_for("reports.statistics")(
        user=head, params={"chart": "year", "year_from": str(YEAR - 2), "year_to": str(YEAR)}
    )
    mine = [a for a in reg.in_units(A_UNITS) if not a.revoked]
    assert [row[1] for row in export.rows] == [
        sum(a.year == y for a in mine) for y in (YEAR - 2, YEAR - 1, YEAR)
    ]
    assert export.count == 3
    with pytest.raises(ServiceError):
        exporter_for("reports.statistics")(
            user=head, params={"chart": "year", "unit": str(reg.units["b"].pk)}
        )
    staff = make_user("staff", "staff", reg.units["a"])
    with pytest.raises(PermissionDenied):
        exporter_for("reports.statistics")(user=staff, params={"chart": "year"})
