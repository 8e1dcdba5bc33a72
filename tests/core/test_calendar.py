"""The legal clock's calendar: the data file of days off and make-up Saturdays (2015 onward), counting
working days, the admin's page that adds next year's notice, and `tdkt calendar`."""

from __future__ import annotations

import datetime
import io
import math
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from tdkt.core import calendar, calendar_data
from tdkt.core.calendar import (
    SpecialDay,
    add_workdays,
    calendar_day_add,
    calendar_year,
    due_date,
    is_workday,
    workdays_between,
    workdays_used,
)
from tdkt.core.calendar_data import CalendarDataError
from tdkt.core.models import AuditEvent, CalendarDay
from tests.factories import make_user

D = datetime.date
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
PAGE = reverse("core:calendar")
ADD = reverse("core:calendar_add")


def _days_off(start: D, end: D) -> list[D]:
    day, off = start, []
    while day <= end:
        if not is_workday(day):
            off.append(day)
        day += datetime.timedelta(days=1)
    return off


# ------------------------------------------------------------------------------- counting over the data


def test_an_ordinary_week_works_monday_to_friday(db):
    assert workdays_between(D(2024, 3, 8), D(2024, 3, 11)) == 1  # Friday -> Monday: only the Monday
    assert workdays_between(D(2024, 3, 4), D(2024, 3, 11)) == 5
    assert workdays_between(D(2024, 3, 1), D(2024, 3, 31)) == 20
    assert not is_workday(D(2024, 3, 9)) and not is_workday(D(2024, 3, 10))
    assert is_workday(D(2024, 3, 11))


def test_no_working_day_is_used_when_the_end_is_not_after_the_start(db):
    assert workdays_between(D(2024, 3, 11), D(2024, 3, 11)) == 0
    assert workdays_between(D(2024, 3, 12), D(2024, 3, 11)) == 0


def test_tet_2024_follows_notice_5015(db):
    """TB 5015/TB-LĐTBXH: off from Thursday 08/02 to Wednesday 14/02/2024 (5 Tết days, 2 compensatory)."""
    assert _days_off(D(2024, 2, 5), D(2024, 2, 16)) == [
        D(2024, 2, 8), D(2024, 2, 9), D(2024, 2, 10), D(2024, 2, 11),
        D(2024, 2, 12), D(2024, 2, 13), D(2024, 2, 14),
    ]  # fmt: skip
    assert workdays_between(D(2024, 2, 7), D(2024, 2, 15)) == 1
    assert workdays_between(D(2024, 2, 2), D(2024, 2, 16)) == 5


def test_tet_2025_follows_notice_6150(db):
    """TB 6150/TB-BLĐTBXH: off from Saturday 25/01 to Sunday 02/02/2025, no swap."""
    assert _days_off(D(2025, 1, 24), D(2025, 2, 3)) == [
        D(2025, 1, 25) + datetime.timedelta(days=i) for i in range(9)
    ]
    assert workdays_between(D(2025, 1, 24), D(2025, 2, 3)) == 1
    assert add_workdays(D(2025, 1, 24), 1) == D(2025, 2, 3)


def test_30_april_2024_swaps_monday_29_for_saturday_4_may(db):
    """CV 2450/VPCP-KGVX: off 27/04–01/05/2024, Monday 29/04 worked on Saturday 04/05 instead."""
    assert _days_off(D(2024, 4, 26), D(2024, 5, 6)) == [
        D(2024, 4, 27), D(2024, 4, 28), D(2024, 4, 29), D(2024, 4, 30), D(2024, 5, 1), D(2024, 5, 5),
    ]  # fmt: skip
    assert workdays_between(D(2024, 4, 26), D(2024, 5, 6)) == 4  # 02/5, 03/5, Saturday 04/5, 06/5


def test_a_make_up_saturday_is_a_working_day(db):
    assert is_workday(D(2024, 5, 4))
    assert workdays_between(D(2024, 5, 3), D(2024, 5, 4)) == 1
    assert add_workdays(D(2024, 5, 3), 1) == D(2024, 5, 4)
    assert is_workday(D(2025, 4, 26)) and not is_workday(D(2025, 5, 2))  # the 2025 swap


def test_national_day_2025_has_its_adjacent_day(db):
    """Bộ luật Lao động 2019 Điều 112: 2/9 and one adjacent day; TB 6150: Monday 01/9 and Tuesday 02/9."""
    assert not is_workday(D(2025, 9, 1)) and not is_workday(D(2025, 9, 2))
    assert is_workday(D(2025, 9, 3))
    assert workdays_between(D(2025, 8, 29), D(2025, 9, 5)) == 3


def test_national_day_before_2021_is_one_day(db):
    assert _days_off(D(2020, 8, 31), D(2020, 9, 4)) == [D(2020, 9, 2)]  # Bộ luật Lao động 2012: 1 day


def test_compensatory_day_follows_a_holiday_on_a_weekend(db):
    assert not is_workday(D(2023, 1, 2))  # 01/01/2023 a Sunday
    assert _days_off(D(2023, 4, 28), D(2023, 5, 4)) == [
        D(2023, 4, 29), D(2023, 4, 30), D(2023, 5, 1), D(2023, 5, 2), D(2023, 5, 3),
    ]  # fmt: skip


def test_a_swap_across_the_new_year(db):
    """CV 6519/VPCP-KGVX: Monday 31/12/2018 off, Saturday 05/01/2019 worked."""
    assert not is_workday(D(2018, 12, 31)) and is_workday(D(2019, 1, 5))
    # 02/1, 03/1, 04/1, Saturday 05/1 and 07/1: not Monday 31/12 nor 01/1
    assert workdays_between(D(2018, 12, 28), D(2019, 1, 7)) == 5


def test_a_whole_year_counts_the_same_day_by_day_and_by_the_formula(db):
    day, by_day = D(2023, 12, 31), 0
    while day < D(2024, 12, 31):
        day += datetime.timedelta(days=1)
        by_day += is_workday(day)
    # 262 weekdays, 12 of them off, 1 make-up Saturday
    assert workdays_between(D(2023, 12, 31), D(2024, 12, 31)) == by_day == 251


def test_adding_working_days(db):
    assert add_workdays(D(2024, 2, 7), 0) == D(2024, 2, 7)
    assert add_workdays(D(2024, 2, 7), 1) == D(2024, 2, 15)
    assert add_workdays(D(2024, 1, 2), 250) == D(2024, 12, 31)
    for n in (1, 5, 10, 20, 25, 60):  # the inverse of the count
        assert workdays_between(D(2025, 1, 20), add_workdays(D(2025, 1, 20), n)) == n
    with pytest.raises(ValueError):
        add_workdays(D(2024, 2, 7), -1)


def test_a_step_started_during_a_day_counts_from_the_next_day(db):
    """Bộ luật Dân sự 2015 Điều 147 khoản 3: the day of the event is not counted, whatever its hour."""
    morning = datetime.datetime(2024, 3, 4, 8, 0, tzinfo=HANOI)  # Monday
    evening = datetime.datetime(2024, 3, 4, 16, 59, tzinfo=HANOI)
    for since in (morning, evening):
        assert workdays_used(since, datetime.datetime(2024, 3, 4, 17, 0, tzinfo=HANOI)) == 0
        assert workdays_used(since, datetime.datetime(2024, 3, 5, 7, 0, tzinfo=HANOI)) == 1  # day 1
        assert workdays_used(since, datetime.datetime(2024, 3, 11, 9, 0, tzinfo=HANOI)) == 5
    # 23:30 UTC on the 6th is 06:30 on Wednesday 07/02/2024 in Hà Nội: Tết follows, then Thursday 15/02
    since = datetime.datetime(2024, 2, 6, 23, 30, tzinfo=datetime.UTC)
    assert workdays_used(since, datetime.datetime(2024, 2, 15, 8, 0, tzinfo=HANOI)) == 1


def test_due_date_is_the_last_working_day_of_the_limit(db):
    received = datetime.datetime(2024, 4, 26, 10, 0, tzinfo=HANOI)  # Friday before the 2024 swap
    assert due_date(received, 3) == D(2024, 5, 4)  # 02/5, 03/5 and the make-up Saturday
    assert workdays_used(received, datetime.datetime(2024, 5, 4, 16, 0, tzinfo=HANOI)) == 3  # still in time
    assert due_date(received, 25) == D(2024, 6, 4)  # 3 in the first week, 20 in May's last 4 weeks, 03-04/6


def test_counting_reads_the_added_days_in_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        workdays_between(D(2024, 1, 1), D(2026, 12, 31))
    with django_assert_num_queries(1):
        add_workdays(D(2024, 1, 1), 500)
    batch = calendar.calendar_for(D(2024, 1, 1), D(2024, 12, 31))
    with django_assert_num_queries(0):
        assert batch.workdays_between(D(2024, 2, 7), D(2024, 2, 15)) == 1
        assert batch.add_workdays(D(2024, 4, 26), 3) == D(2024, 5, 4)


def test_a_year_lists_its_special_days_with_their_sources(db):
    days = calendar_year(2024)
    assert days[0] == SpecialDay(D(2024, 1, 1), "holiday", "Tết Dương lịch", days[0].source)
    by_day = {d.day: d for d in days}
    assert by_day[D(2024, 5, 4)].kind == "makeup"
    assert "2450/VPCP-KGVX" in by_day[D(2024, 5, 4)].source
    assert "5015/TB-LĐTBXH" in by_day[D(2024, 2, 13)].source
    assert all(d.day.year == 2024 for d in days)
    assert D(2018, 12, 31) in {d.day for d in calendar_year(2018)}  # filed under the 2019 notice


# ------------------------------------------------------------------------------------------ the data file


def _new_moon_day(k: int) -> int:
    """Hồ Ngọc Đức's lunar calendar algorithm (after Meeus), local time UTC+7: the Julian day number of
    the k-th new moon after 01/01/1900."""
    t = k / 1236.85
    t2, t3, dr = t * t, t * t * t, math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 -= 0.4068 * math.sin(mpr * dr) - 0.0161 * math.sin(dr * 2 * mpr)
    c1 -= 0.0004 * math.sin(dr * 3 * mpr)
    c1 += 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 -= 0.0074 * math.sin(dr * (m - mpr)) - 0.0004 * math.sin(dr * (2 * f + m))
    c1 -= 0.0004 * math.sin(dr * (2 * f - m)) - 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 += 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    deltat = -0.000278 + 0.000265 * t + 0.000262 * t2
    return int(jd1 + c1 - deltat + 0.5 + 7 / 24)


def _sun_sector(jdn: int) -> int:
    t = (jdn - 0.5 - 7 / 24 - 2451545.0) / 36525
    t2, dr = t * t, math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    lon = ((l0 + dl) * dr) % (2 * math.pi)
    return int(lon / math.pi * 6)


def _month11(year: int) -> int:
    k = int((D(year, 12, 31).toordinal() + 1721425 - 2415021) / 29.530588853)
    day = _new_moon_day(k)
    return _new_moon_day(k - 1) if _sun_sector(day) >= 9 else day


def _lunar_to_solar(day: int, month: int, year: int) -> D:
    """A day of a lunar year (no leap month asked for) as a solar date, Vietnamese time zone."""
    a11, b11 = (_month11(year - 1), _month11(year)) if month < 11 else (_month11(year), _month11(year + 1))
    k = int(0.5 + (a11 - 2415021.076998695) / 29.530588853)
    offset = (month - 11) % 12
    if b11 - a11 > 365:  # a leap year: the leap month is the first without a major solar term
        i, arc = 1, _sun_sector(_new_moon_day(k + 1))
        while True:
            last, i = arc, i + 1
            arc = _sun_sector(_new_moon_day(k + i))
            if arc == last or i >= 14:
                break
        if offset >= i - 1:
            offset += 1
    return D.fromordinal(_new_moon_day(k + offset) - 1721425 + day - 1)


def test_the_lunar_conversion_knows_well_known_dates():
    assert _lunar_to_solar(1, 1, 2024) == D(2024, 2, 10)
    assert _lunar_to_solar(10, 3, 2025) == D(2025, 4, 7)
    assert _lunar_to_solar(1, 1, 2007) == D(2007, 2, 17)  # a year Vietnam (UTC+7) and China differ


def test_lunar_days_of_the_data_match_an_independent_conversion():
    data = calendar_data.load()
    checked = 0
    for day in data.days.values():
        if day.lunar is None:
            continue
        lunar_day, lunar_month = map(int, day.lunar.split("/"))
        lunar_year = day.date.year if lunar_month < 11 or day.date.month > 6 else day.date.year - 1
        assert _lunar_to_solar(lunar_day, lunar_month, lunar_year) == day.date, day
        checked += 1
    assert checked > 60
    for year in range(2015, data.last_year + 1):  # every year has Tết and Giỗ Tổ Hùng Vương
        assert data.days[_lunar_to_solar(1, 1, year)].lunar == "1/1"
        assert data.days[_lunar_to_solar(10, 3, year)].note.startswith("Giỗ Tổ Hùng Vương")


def test_every_year_has_the_statutory_days_of_its_labour_code():
    data = calendar_data.load()
    assert data.last_year >= 2027
    for year in range(2015, data.last_year + 1):
        for month, day in ((1, 1), (4, 30), (5, 1), (9, 2)):
            assert data.days[D(year, month, day)].kind == "holiday", (year, month, day)
        adjacent = [
            day for day in (D(year, 9, 1), D(year, 9, 3))
            if day in data.days and data.days[day].note.startswith("Quốc khánh")
        ]  # fmt: skip
        assert len(adjacent) == (1 if year >= 2021 else 0), year  # Bộ luật Lao động 2019 Điều 112 đ
        tet = _lunar_to_solar(1, 1, year)
        tet_days = [
            d for d in data.days.values() if d.kind == "holiday" and abs((d.date - tet).days) <= 9
            and d.note.startswith("Tết Âm lịch")
        ]  # fmt: skip
        assert len(tet_days) == 5, year  # 05 ngày under both codes


def test_years_without_a_notice_are_marked_and_days_carry_sources():
    data = calendar_data.load()
    assert 2027 in data.unconfirmed_years
    assert not any(y in data.unconfirmed_years for y in range(2015, 2027))
    assert all(d.source for d in data.days.values())
    assert "9441/TB-BNV" in data.days[D(2026, 2, 16)].source


def test_the_kinds_of_the_file_are_those_of_the_admin_rows():
    assert set(calendar_data.KINDS) == set(CalendarDay.Kind.values)


GOOD = """
laws:
  law: {title: Bộ luật Lao động 2019, number: 45/2019/QH14}
years:
  2015:
    confirmed: true
    days:
      - {date: %s, kind: %s, note: Một ngày, source: law%s}
"""


@pytest.mark.parametrize(
    ("day", "kind", "extra", "message"),
    [
        (
            "2015-02-30",
            "holiday",
            "",
            "calendar.yaml: years.2015.days[0].date: ngày '2015-02-30' không hợp lệ",
        ),
        (
            "2015-02-03",
            "weekend",
            "",
            "calendar.yaml: years.2015.days[0].kind: loại ngày 'weekend' không hợp lệ",
        ),
        ("2015-02-03", "makeup", ", swap: 2015-02-02", "calendar.yaml: years.2015.days[0].kind: ngày làm bù"),
        (
            "2015-02-07",
            "makeup",
            ", swap: 2015-02-02",
            "calendar.yaml: years.2015.days[0].swap: ngày 2015-02-02",
        ),
        ("2015-02-03", "holiday", ", colour: red", "calendar.yaml: years.2015.days[0].colour: Extra inputs"),
        (
            "2016-02-03",
            "holiday",
            "",
            "calendar.yaml: years.2015.days[0].date: ngày 2016-02-03 không thuộc năm",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_key(day, kind, extra, message):
    with pytest.raises(CalendarDataError) as caught:
        calendar_data.parse(GOOD % (day, kind, extra), "calendar.yaml")
    assert str(caught.value).startswith(message), str(caught.value)


def test_a_day_listed_twice_or_an_unknown_source_is_refused():
    twice = (
        GOOD % ("2015-02-03", "holiday", "")
        + "      - {date: 2015-02-03, kind: holiday, note: Lại, source: law}\n"
    )
    with pytest.raises(
        CalendarDataError, match=r"days\[1\]\.date: ngày 2015-02-03 đã có ở years.2015.days\[0\]"
    ):
        calendar_data.parse(twice)
    with pytest.raises(CalendarDataError, match=r"days\[0\]\.source: không có nguồn 'lawx'"):
        calendar_data.parse(GOOD % ("2015-02-03", "holiday", "x"))
    assert D(2015, 2, 3) in calendar_data.parse(GOOD % ("2015-02-03", "holiday", "")).days


def test_start_up_stops_on_a_bad_calendar_file(tmp_path, monkeypatch):
    bad = tmp_path / "calendar.yaml"
    bad.write_text(GOOD % ("2015-02-30", "holiday", ""), encoding="utf-8")
    monkeypatch.setattr(calendar_data, "DATA_FILE", bad)
    with pytest.raises(CalendarDataError, match=r"^calendar.yaml: years.2015.days\[0\].date"):
        apps.get_app_config("core").ready()


# ------------------------------------------------------------------------------ the admin's added days


@pytest.fixture
def admin(tree):
    return make_user("admin", "admin", tree["root"])


def test_an_added_day_changes_the_count(admin):
    assert workdays_between(D(2026, 11, 20), D(2026, 11, 27)) == 5
    calendar_day_add(
        actor=admin, day=D(2026, 11, 24), kind="holiday", note="Ngày Văn hóa Việt Nam", source="Thông báo thử"
    )
    assert workdays_between(D(2026, 11, 20), D(2026, 11, 27)) == 4
    assert add_workdays(D(2026, 11, 23), 1) == D(2026, 11, 25)
    # a day the data lists as off turned back into a working day
    assert not is_workday(D(2027, 9, 3))
    calendar_day_add(actor=admin, day=D(2027, 9, 3), kind="workday", note="Làm việc", source="Thông báo thử")
    assert is_workday(D(2027, 9, 3))
    assert {d.day: d.kind for d in calendar_year(2027)}[D(2027, 9, 3)] == "workday"


# ------------------------------------------------------------------------------------------- the page


def test_only_the_system_admin_opens_the_calendar(client, tree):
    for role in ("specialist", "officer", "unit_head", "inspector", "staff", None):
        client.force_login(make_user(f"u-{role}", role, tree["root"]))
        assert client.get(PAGE).status_code == 403
        assert (
            client.post(
                ADD, {"date": "24/11/2026", "kind": "holiday", "note": "x", "source": "y"}
            ).status_code
            == 403
        )
    client.logout()
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert not CalendarDay.objects.exists()


def test_the_page_lists_a_year_with_its_sources(client, admin, django_assert_max_num_queries):
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        response = client.get(PAGE + "?year=2024")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lịch làm việc năm 2024" in body
    assert "13/02/2024" in body and "Nghỉ bù mùng 1 Tết trùng thứ Bảy" in body
    assert "04/05/2024" in body and "Làm bù cho thứ Hai 29/04/2024" in body
    assert "5015/TB-LĐTBXH" in body and "2450/VPCP-KGVX" in body
    assert response.context["workdays"] == 251
    unconfirmed = client.get(PAGE + "?year=2027").content.decode()
    assert "Chưa có thông báo lịch nghỉ năm 2027" in unconfirmed
    assert "Chưa có dữ liệu năm 2028" in client.get(PAGE + "?year=2028").content.decode()


def test_admin_adds_a_day_and_it_is_audited(client, admin):
    client.force_login(admin)
    response = client.post(
        ADD,
        {
            "date": "24/11/2026",
            "kind": "holiday",
            "note": "Ngày Văn hóa Việt Nam",
            "source": "Thông báo 1/TB-BNV",
        },
    )
    assert response.status_code == 302 and response["Location"] == PAGE + "?year=2026"
    row = CalendarDay.objects.get()
    assert (row.date, row.kind, row.source) == (D(2026, 11, 24), "holiday", "Thông báo 1/TB-BNV")
    event = AuditEvent.objects.get(event="calendar.day_add")
    assert event.actor == admin and event.object_id == str(row.pk)
    assert event.changes["date"] == "2026-11-24" and event.changes["kind"] == "holiday"
    body = client.get(response["Location"]).content.decode()
    assert "Đã thêm ngày 24/11/2026" in body and "Ngày Văn hóa Việt Nam" in body and "đã thêm" in body
    assert not is_workday(D(2026, 11, 24))


def test_admin_corrects_a_day_of_the_data(client, admin):
    client.force_login(admin)
    response = client.post(
        ADD,
        {"date": "03/09/2027", "kind": "workday", "note": "Nghỉ 01/9 thay vì 03/9", "source": "TB 2/TB-BNV"},
    )
    assert response.status_code == 302
    assert (
        AuditEvent.objects.get(event="calendar.day_add").changes["replaces"].startswith("holiday: Quốc khánh")
    )
    body = client.get(PAGE + "?year=2027").content.decode()
    assert "Thay cho dữ liệu: Quốc khánh (ngày liền kề sau; dự kiến)" in body


def test_admin_removes_an_added_day_and_it_is_audited(client, admin):
    row = calendar_day_add(actor=admin, day=D(2026, 11, 24), kind="holiday", note="Ngày thử", source="TB 3")
    client.force_login(admin)
    response = client.post(reverse("core:calendar_remove", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == PAGE + "?year=2026"
    assert not CalendarDay.objects.exists()
    removed = AuditEvent.objects.get(event="calendar.day_remove")
    assert removed.object_id == str(row.pk) and removed.changes["note"] == "Ngày thử"
    assert is_workday(D(2026, 11, 24))
    again = client.post(reverse("core:calendar_remove", args=[row.pk]), follow=True)
    assert "không còn trong lịch" in again.content.decode()
    assert AuditEvent.objects.filter(event="calendar.day_remove").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "31/02/2027", "kind": "holiday"}, "Ngày không hợp lệ: nhập dd/mm/yyyy"),
        ({"date": "2027-11-24", "kind": "holiday"}, "Ngày không hợp lệ: nhập dd/mm/yyyy"),
        ({"date": "24/11/2027", "kind": "weekend"}, "Loại ngày không hợp lệ."),
        ({"date": "30/04/2024", "kind": "holiday"}, "Ngày 30/04/2024 đã có trong lịch (Ngày Chiến thắng)."),
        ({"date": "24/11/2027", "kind": "makeup"}, "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật."),
        (
            {"date": "27/11/2027", "kind": "swap_off"},
            "Ngày nghỉ do hoán đổi phải là ngày làm việc trong tuần.",
        ),
        ({"date": "24/11/2027", "kind": "workday"}, "Ngày 24/11/2027 vốn là ngày làm việc."),
        ({"date": "24/11/2027", "kind": "holiday", "source": ""}, "bắt buộc"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, admin, data, message):
    client.force_login(admin)
    before = AuditEvent.objects.count()
    response = client.post(ADD, {"note": "Ngày thử", "source": "TB 4", **data})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'aria-invalid="true"' in body
    assert not CalendarDay.objects.exists() and AuditEvent.objects.count() == before


def test_a_date_already_added_is_refused(client, admin):
    client.force_login(admin)
    data = {"date": "24/11/2026", "kind": "holiday", "note": "Ngày thử", "source": "TB 5"}
    assert client.post(ADD, data).status_code == 302
    response = client.post(ADD, {**data, "kind": "swap_off"})
    assert response.status_code == 400
    assert "Ngày 24/11/2026 đã được thêm vào lịch." in response.content.decode()
    assert (
        CalendarDay.objects.count() == 1 and AuditEvent.objects.filter(event="calendar.day_add").count() == 1
    )


def test_changes_need_the_csrf_token(admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert (
        client.post(ADD, {"date": "24/11/2026", "kind": "holiday", "note": "x", "source": "y"}).status_code
        == 403
    )
    assert not CalendarDay.objects.exists()


# ----------------------------------------------------------------------------------------- the command


def test_command_prints_just_the_number(db):
    out = io.StringIO()
    call_command("calendar", "workdays", "2024-02-07", "2024-02-15", stdout=out)
    assert out.getvalue() == "1\n"
    out = io.StringIO()
    call_command("calendar", "workdays", "2025-08-29", "2025-09-05", stdout=out)
    assert out.getvalue() == "3\n"


def test_command_refuses_a_bad_date_in_vietnamese(db):
    with pytest.raises(CommandError, match="FROM: ngày không hợp lệ '2024-02-31'") as caught:
        call_command("calendar", "workdays", "2024-02-31", "2024-03-01")
    assert caught.value.returncode == 2


def test_command_lists_a_year(db):
    out = io.StringIO()
    call_command("calendar", "year", "2025", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("2025-01-01\tnghỉ lễ, Tết\tTết Dương lịch\t")
    assert any(line.startswith("2025-04-26\tlàm bù\t") for line in lines)
    assert any(line.startswith("2025-05-02\tnghỉ hoán đổi\t") and "6150/TB-BLĐTBXH" in line for line in lines)


def _tdkt(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["TDKT_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "tdkt.cli", *args], capture_output=True, text=True, env=env, timeout=180
    )


def test_tdkt_calendar_on_the_command_line(tmp_path):
    assert _tdkt("migrate", "-v", "0", data_dir=tmp_path).returncode == 0
    result = _tdkt("calendar", "workdays", "2024-04-26", "2024-05-06", data_dir=tmp_path)
    assert (result.returncode, result.stdout) == (0, "4\n"), result.stderr
    bad = _tdkt("calendar", "workdays", "2024-02-31", "2024-03-01", data_dir=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "Lỗi: FROM: ngày không hợp lệ '2024-02-31'; nhập theo dạng YYYY-MM-DD, ví dụ 2025-09-02."
    )
    assert bad.stdout == ""
