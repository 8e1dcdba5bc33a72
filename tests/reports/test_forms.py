"""The periodic report forms: every figure of the Excel file, opened back, equals a count made here from
the records created; the national header and signature block are there; the unconfirmed layout says so;
the unit's subtree within the user's scope only; revoked awards outside the counts; layouts are data an
agency can replace, and a wrong one is refused with the file and the key named."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from tdkt.accounts.models import RoleAssignment
from tdkt.reports import layouts
from tests.factories import make_user, person
from tests.reports.register import (
    YEAR,
    Award,
    add_award,
    add_dossier,
    add_initiatives,
    add_movement_with_registrations,
    build,
)

A_UNITS = {"a", "a1", "ent"}
ALL_UNITS = {"root", "a", "a1", "b", "ent"}
STATE_CODES = {"bang_khen_ttg", "hc_lao_dong_3", "cstd_toan_quoc", "co_thi_dua_cp", "anh_hung_lao_dong"}
MINISTRY_FORMS = {"bang_khen_bo", "cstd_bo", "co_thi_dua_bo", "ky_niem_chuong"}
DIRECT = {"an", "binh", "em"}
WOMEN = {"binh", "chi", "em"}


@pytest.fixture
def reg(db):
    r = build()
    add_movement_with_registrations(r)
    add_initiatives(r)
    return r


def _download(client, user, form, unit, year=YEAR, period="year"):
    client.force_login(user)
    params = {"form": form, "year": year, "period": period, "unit": unit.pk}
    return client.get(reverse("reports:form_download"), params)


def _sheet(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _table(ws) -> tuple[dict, list[str]]:
    """{row code: {column label: value}} read off the sheet, and the text above the table."""
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[1] == "Mã số")
    labels = list(rows[head])
    first = 3 if labels[2] == "Đơn vị tính" else 2
    table = {}
    for r in rows[head + 2 :]:
        if r[1]:
            table[str(r[1])] = {labels[c]: r[c] for c in range(first, len(labels))}
    top = [str(v) for r in rows[:head] for v in r if v]
    return table, top


def _mine(reg, units, year=YEAR):
    return [a for a in reg.in_units(units) if a.year == year and not a.revoked]


def test_form_0603_figures_equal_the_records_for_the_ministry(client, reg):
    officer = make_user("officer", "officer", reg.units["root"])
    ws = _sheet(_download(client, officer, "0603", reg.units["root"]))
    table, top = _table(ws)
    awards = [a for a in _mine(reg, ALL_UNITS) if a.code in MINISTRY_FORMS]
    total = "Tổng số"
    assert table["01"][total] == len(awards)
    assert table["01"]["Bằng khen"] == sum(a.code == "bang_khen_bo" for a in awards)
    assert table["01"]["Chiến sĩ thi đua cấp bộ, cấp tỉnh"] == sum(a.code == "cstd_bo" for a in awards)
    kn = next(k for k in table["01"] if k.startswith("Huy hiệu"))
    assert table["01"][kn] == sum(a.code == "ky_niem_chuong" for a in awards) == 1
    assert table["02"][total] == sum(a.collective is not None for a in awards)  # collectives
    assert table["05"][total] == sum(a.person is not None for a in awards)  # persons
    assert table["10"][total] == sum(a.person in DIRECT for a in awards)  # direct workers
    assert table["11"][total] == sum(a.basis == "cong_trang" for a in awards)
    assert table["12"][total] == sum(a.basis == "chuyen_de" for a in awards) == 1
    assert table["13"][total] == sum(a.basis == "dot_xuat" for a in awards) == 1
    # rows the system has no data for are left blank for the preparer
    assert table["04"][total] is None and table["17"][total] is None
    # the national header and the form's identity
    assert "Biểu số: 0603.N/BNV-TĐKT" in top
    assert any("02/2023/TT-BNV" in t for t in top)
    assert f"Kỳ báo cáo: Năm {YEAR}" in top
    assert "Đơn vị báo cáo: Bộ Thống kê" in top
    assert any(t.startswith("Bố cục biểu CHƯA được đối chiếu") for t in top)
    texts = {str(v) for r in ws.iter_rows(values_only=True) for v in r if v}
    assert {"NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)"} <= texts


def test_form_0602_state_awards_by_subject(client, reg):
    officer = make_user("officer", "officer", reg.units["root"])
    table, _top = _table(_sheet(_download(client, officer, "0602", reg.units["root"])))
    state = [a for a in _mine(reg, ALL_UNITS) if a.code in STATE_CODES]
    assert table["1"]["Tổng số"] == len(state) == 3
    assert table["1"]["Huân chương – Cá nhân"] == sum(a.code == "hc_lao_dong_3" for a in state) == 2
    assert table["1"]["Bằng khen của Thủ tướng Chính phủ – Tập thể"] == 1
    assert table["6"]["Tổng số"] == sum(a.collective is not None for a in state) == 1
    assert table["7"]["Tổng số"] == 1  # the enterprise's Bằng khen of the Prime Minister
    assert table["9"]["Huân chương – Cá nhân"] == 2
    assert table["6"]["Huân chương – Cá nhân"] == 0  # a row of collectives, a column of persons
    assert table["1"]["Giải thưởng Hồ Chí Minh"] is None


def test_an_officer_of_a_gets_only_as_figures_and_not_another_unit(client, reg):
    officer = make_user("officer_a", "officer", reg.units["a"])
    table, top = _table(_sheet(_download(client, officer, "0603", reg.units["a"])))
    awards = [a for a in _mine(reg, A_UNITS) if a.code in MINISTRY_FORMS]
    assert table["01"]["Tổng số"] == len(awards) == 3  # An's, Chi's and Tổ An's; Bình's is revoked
    assert "Đơn vị báo cáo: Vụ An Toàn" in top
    response = _download(client, officer, "0603", reg.units["b"])
    assert response.status_code == 400
    assert "Bộ lọc không hợp lệ" in response.content.decode()
    response = _download(client, officer, "0603", reg.units["root"])
    assert response.status_code == 400


def test_revoked_awards_are_not_counted_but_the_summary_shows_them(client, reg):
    officer = make_user("officer", "officer", reg.units["root"])
    table, _top = _table(_sheet(_download(client, officer, "tong_hop_nam", reg.units["a1"])))
    mine = _mine(reg, {"a1"})
    assert table["01"]["Tổng số"] == len(mine) == 4
    assert table["05"]["Cá nhân"] == sum(a.code == "bang_khen_bo" for a in mine) == 1
    revoked = [a for a in reg.in_units({"a1"}) if a.year == YEAR and a.revoked]
    assert table["11"]["Tổng số"] == len(revoked) == 1


def test_yearly_summary_figures(client, reg):
    add_dossier(reg, "a", appraisal_days=12)
    add_dossier(reg, "a", appraisal_days=30)
    officer = make_user("officer", "officer", reg.units["root"])
    table, top = _table(_sheet(_download(client, officer, "tong_hop_nam", reg.units["root"])))
    mine = _mine(reg, ALL_UNITS)
    persons = [a for a in mine if a.person]
    assert table["01"]["Tổng số"] == len(mine)
    assert table["01"]["Cá nhân"] == len(persons)
    assert table["01"]["Tập thể"] == len(mine) - len(persons)
    assert table["06"]["Tổng số"] == sum(a.code in STATE_CODES for a in mine)
    assert table["07"]["Tổng số"] == sum(a.person in WOMEN for a in persons)
    assert table["08"]["Tổng số"] == sum(a.person in {"binh", "dung"} for a in persons)  # Tày, Thái
    assert table["09"]["Tổng số"] == sum(a.person in DIRECT for a in persons)
    assert table["10"]["Tổng số"] == sum(a.person in {"chi", "dung", "gia"} for a in persons)
    assert table["08"]["Tập thể"] == 0
    assert table["12"]["Tổng số"] == len(reg.initiatives) == 3
    assert table["13"]["Tổng số"] == sum(s == "co_so" for _u, s in reg.initiatives) == 2
    assert table["16"]["Tổng số"] == 2
    assert table["17"]["Tổng số"] == 0
    # receive 1+1 on time; appraisal 0, 8, 0 on time and 22 late (limit 10)
    assert (table["18"]["Tổng số"], table["19"]["Tổng số"]) == (5, 1)
    assert table["16"]["Cá nhân"] is None  # dossiers are not split by subject
    assert not any(t.startswith("Bố cục biểu CHƯA") for t in top)  # the system's own table


def test_form_0601_counts_the_movements(client, reg):
    officer = make_user("officer", "officer", reg.units["root"])
    table, _top = _table(_sheet(_download(client, officer, "0601", reg.units["root"])))
    assert table["01"]["Tổng số"] == 3
    cols = list(table["01"])
    ministry, units = cols[2], cols[3]
    assert (table["01"][ministry], table["01"][units]) == (1, 2)
    assert table["07"]["Tổng số"] == 1  # the year-long movement of A
    assert table["06"]["Tổng số"] == 1  # B's four-month campaign
    assert table["09"]["Tổng số"] == 1  # the ministry's three-year movement: "từ 3 năm đến dưới 5 năm"
    assert table["08"]["Tổng số"] == 0
    assert table["11"]["Tổng số"] == 1 and table["12"]["Tổng số"] == 2
    assert table["02"]["Tổng số"] is None


def test_first_half_counts_decisions_up_to_june(client, reg):
    add_award(
        reg, Award("b", "giay_khen", YEAR, "unit", person="dung", decided_on=datetime.date(YEAR, 5, 2)), 900
    )
    officer = make_user("officer", "officer", reg.units["root"])
    table, top = _table(_sheet(_download(client, officer, "tong_hop_nam", reg.units["b"], period="h1")))
    assert table["01"]["Tổng số"] == 1  # every other record of the year was decided the next January
    assert f"Kỳ báo cáo: 6 tháng đầu năm {YEAR}" in top


def test_the_page_previews_the_figures_and_marks_the_layout_unconfirmed(client, reg):
    officer = make_user("officer", "officer", reg.units["root"])
    client.force_login(officer)
    response = client.get(reverse("reports:forms"), {"form": "0603", "year": YEAR, "unit": reg.units["a"].pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "CHƯA được đối chiếu" in body and "0605.N/BNV-TĐKT" in body
    filled = response.context["filled"]
    assert filled.cells[0][0] == 3


def test_a_unit_head_cannot_export_forms(client, reg):
    head = make_user("head", "unit_head", reg.units["a"])
    client.force_login(head)
    assert client.get(reverse("reports:forms")).status_code == 403
    assert client.get(reverse("reports:form_download")).status_code == 403


def test_a_wrong_layout_is_refused_with_the_file_and_the_key():
    text = layouts.BUNDLED.read_text(encoding="utf-8").replace(
        "subject: person, direct_worker: true", "subject: person, salary: 3", 1
    )
    with pytest.raises(layouts.LayoutError) as err:
        layouts.parse(text, "bieu.yaml")
    assert "bieu.yaml: forms.0603.rows[10]" in str(err.value) and "salary" in str(err.value)
    with pytest.raises(layouts.LayoutError, match="award_codes"):
        layouts.parse("forms:\n  x:\n    number: 1\n    title: t\n    measure: awards\n    columns: []\n"
                      "    rows: [{label: a, where: {award_codes: ldtt}}]\n", "y.yaml")  # fmt: skip


def test_an_agency_layout_replaces_the_bundled_one(client, reg, settings, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report_forms.yaml").write_text(
        "circular: Thông tư thử\nforms:\n  kt:\n    number: KT-01\n    title: BIỂU THỬ\n    measure: awards\n"
        "    confirmed: true\n"
        "    columns: [{code: '1', label: Giấy khen, where: {award_codes: [giay_khen]}}]\n"
        "    rows: [{code: '01', label: Tổng, where: {}}]\n",
        encoding="utf-8",
    )
    settings.TDKT_TEMPLATE_DIR = tmp_path
    officer = make_user("officer", "officer", reg.units["root"])
    table, top = _table(_sheet(_download(client, officer, "kt", reg.units["root"], year=YEAR - 1)))
    assert (
        table["01"]["Giấy khen"] == sum(a.code == "giay_khen" for a in _mine(reg, ALL_UNITS, YEAR - 1)) == 1
    )
    assert "Biểu số: KT-01" in top


def _download_queries(client, user, unit, form="tong_hop_nam") -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    params = {"form": form, "year": YEAR, "period": "year", "unit": unit.pk}
    with CaptureQueriesContext(connection) as ctx:
        _sheet(client.get(reverse("reports:form_download"), params))
    return len(ctx.captured_queries)


def test_query_count_of_a_form_does_not_grow_with_the_data(client, reg, django_assert_max_num_queries):
    add_dossier(reg, "a")
    officer = make_user("officer", "officer", reg.units["root"])
    few = _download_queries(client, officer, reg.units["root"])
    for i in range(30):
        add_award(reg, Award("b", "ldtt", YEAR, "unit", person="em"), 300 + i)
        add_award(reg, Award("a1", "bang_khen_bo", YEAR, "ministry", collective="ta"), 400 + i)
    for _ in range(4):
        add_dossier(reg, "b")
    add_initiatives(reg)
    assert _download_queries(client, officer, reg.units["root"]) == few
    params = {"form": "tong_hop_nam", "year": YEAR, "period": "year", "unit": reg.units["root"].pk}
    with django_assert_max_num_queries(few):
        client.get(reverse("reports:form_download"), params)


# ------------------------------------------------------------------------------- 0605: the TĐKT staff

END = datetime.date(YEAR, 12, 31)
D = datetime.date


def _staff(reg, key, unit_key, roles, *, gender="male", birth_date=None, active=True, valid_to=None):
    """A person of `unit_key` whose account holds `roles` (role, unit key) in the unit's tree."""
    user = make_user(f"staff_{key}", None, None)
    p = person(
        reg.units[unit_key], given_name=key.capitalize(), code=f"S-{key}", user=user, gender=gender,
        birth_date=birth_date, active=active,
    )  # fmt: skip
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role, unit=reg.units[unit_key], valid_to=valid_to)
    return p


@pytest.fixture
def staff(db):
    """Department A's tree (a, a1, ent) has five people doing TĐKT work on 31/12/YEAR; around them, people
    who must not be counted."""
    reg = build(with_awards=False)
    # counted: Lan is 30 exactly on 31/12 (le30); Hải 31 that day (a31_40); Minh 45; Nga 53 with two roles
    _staff(reg, "lan", "a1", ["officer"], gender="female", birth_date=D(YEAR - 30, 12, 31))
    _staff(reg, "hai", "a", ["officer"], birth_date=D(YEAR - 31, 12, 31))
    _staff(reg, "minh", "a", ["specialist"], birth_date=D(YEAR - 45, 3, 1))
    _staff(reg, "nga", "a", ["officer", "specialist"], gender="female", birth_date=D(YEAR - 53, 7, 9))
    _staff(reg, "tuan", "ent", ["officer"])  # no birth date: in the total only
    # not counted
    _staff(reg, "phong", "b", ["officer"], birth_date=D(1980, 1, 1))  # outside A's tree
    _staff(reg, "quang", "a", ["officer"], birth_date=D(1980, 1, 1), valid_to=D(YEAR, 11, 30))  # role over
    _staff(reg, "son", "a1", ["officer"], birth_date=D(1980, 1, 1), active=False)  # no longer working
    _staff(reg, "vy", "a", ["unit_head"], gender="female", birth_date=D(1980, 1, 1))  # not a TĐKT role
    return reg


def test_form_0605_counts_the_tdkt_staff_of_the_subtree(client, staff):
    officer = make_user("officer_a", "officer", staff.units["a"])  # no person record: not counted
    ws = _sheet(_download(client, officer, "0605", staff.units["a"]))
    table, top = _table(ws)
    total, women = "Tổng số", "Trong đó: Nữ"
    assert (table["01"][total], table["01"][women]) == (5, 2)
    bands = {code: (table[code][total], table[code][women]) for code in ("02", "03", "04", "05", "06", "07")}
    assert bands == {"02": (1, 1), "03": (1, 0), "04": (1, 0), "05": (1, 1), "06": (0, 0), "07": (0, 0)}
    # training level and seniority in TĐKT work are not recorded: blank for the preparer
    for code in ("08", "09", "10", "11", "12", "13", "14", "15"):
        assert table[code] == {total: None, women: None}
    assert "Biểu số: 0605.N/BNV-TĐKT" in top
    assert "Đơn vị tính: Người" in top
    assert any(t.startswith("Bố cục biểu CHƯA được đối chiếu") for t in top)
    texts = {str(v) for r in ws.iter_rows(values_only=True) for v in r if v}
    assert {"1. Chia theo độ tuổi", "2. Chia theo trình độ đào tạo"} <= texts


def test_form_0605_whole_ministry_and_first_half(client, staff):
    officer = make_user("officer", "officer", staff.units["root"])
    table, _top = _table(_sheet(_download(client, officer, "0605", staff.units["root"])))
    assert table["01"]["Tổng số"] == 6  # Phong of B as well
    # on 30/6 Quang's role still held, Lan 29; Phong 43 as at the year's end
    table, top = _table(_sheet(_download(client, officer, "0605", staff.units["root"], period="h1")))
    assert table["01"]["Tổng số"] == 7
    assert (table["02"]["Tổng số"], table["03"]["Tổng số"]) == (2, 0)  # Hải is 30 until 31/12
    assert table["04"]["Tổng số"] == 3 and table["05"]["Tổng số"] == 1
    assert f"Kỳ báo cáo: 6 tháng đầu năm {YEAR}" in top


def test_form_0605_the_page_offers_it_and_previews_it(client, staff):
    officer = make_user("officer", "officer", staff.units["root"])
    client.force_login(officer)
    params = {"form": "0605", "year": YEAR, "unit": staff.units["a"].pk}
    response = client.get(reverse("reports:forms"), params)
    assert response.status_code == 200
    assert "0605" in dict(layouts.form_choices())
    assert '<option value="0605" selected>' in response.content.decode()
    assert response.context["filled"].cells[0] == [5, 2]
    assert not response.context["unread"]
    assert "Biểu chưa lập" not in response.content.decode()


def test_form_0605_layout_is_data():
    layout = layouts.catalogue().forms["0605"]
    assert layout.number == "0605.N/BNV-TĐKT"
    codes = [r.code for r in layout.rows if not r.heading]
    assert codes == [f"{i:02d}" for i in range(1, 16)]  # the template's second "14" numbered 15
    assert not layout.confirmed
    assert [r.measure for r in layout.rows] == ["tdkt_staff"] * len(layout.rows)
    assert [r.code for r in layout.rows if r.where is None and not r.heading] == codes[7:]
    with pytest.raises(layouts.LayoutError, match="tdkt_staff|age"):
        layouts.parse("forms:\n  x:\n    number: 1\n    title: t\n    measure: tdkt_staff\n    columns: []\n"
                      "    rows: [{label: a, where: {age: [u30]}}]\n", "y.yaml")  # fmt: skip
    with pytest.raises(layouts.LayoutError, match="subject"):
        layouts.parse("forms:\n  x:\n    number: 1\n    title: t\n    measure: tdkt_staff\n    columns: []\n"
                      "    rows: [{label: a, where: {subject: person}}]\n", "y.yaml")  # fmt: skip


def test_form_0605_query_count_does_not_grow_with_the_staff(client, staff, django_assert_max_num_queries):
    officer = make_user("officer", "officer", staff.units["root"])
    few = _download_queries(client, officer, staff.units["a"], form="0605")
    for i in range(17):  # the 5 people of A's tree become 22, each with two roles
        _staff(staff, f"more{i}", "a1", ["officer", "specialist"], birth_date=D(1960 + i, 1, 1))
    assert _download_queries(client, officer, staff.units["a"], form="0605") == few
    params = {"form": "0605", "year": YEAR, "period": "year", "unit": staff.units["a"].pk}
    with django_assert_max_num_queries(few):
        table, _top = _table(_sheet(client.get(reverse("reports:form_download"), params)))
    assert table["01"]["Tổng số"] == 5 + 17
