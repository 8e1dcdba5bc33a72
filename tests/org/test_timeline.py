"""A person's timeline (a tab of the profile) and a collective's page with its timeline: one row per
year, every kind of fact in its column, revoked awards marked with their revocation, and a number of
queries that does not grow with the years."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tdkt.org.models import (
    AwardRecord,
    Collective,
    Discipline,
    Evaluation,
    Initiative,
    Leave,
    Person,
    Position,
)
from tests.factories import make_user

D = datetime.date


def _timeline(p) -> str:
    return reverse("org:person_timeline", args=[p.pk])


def _collective(c) -> str:
    return reverse("org:collective_detail", args=[c.pk])


def _award(subject, code, year, **extra) -> AwardRecord:
    field = "collective" if isinstance(subject, Collective) else "person"
    unit = subject.unit if field == "collective" else subject.current_unit
    return AwardRecord.objects.create(
        **{field: subject}, unit=unit, award_code=code, first_year=year, last_year=year,
        decision_number=extra.pop("number", f"{code}-{year}/QĐ"), decided_on=D(year + 1, 1, 15), **extra,
    )  # fmt: skip


def _history(p, years) -> None:
    for year in years:
        Evaluation.objects.create(person=p, unit=p.current_unit, year=year, rating="htt", months_worked=12)
        _award(p, "ldtt", year)
        _award(p, "giay_khen", year)
        Initiative.objects.create(person=p, unit=p.current_unit, year=year, title=f"Sáng kiến {year}")
        Discipline.objects.create(
            person=p, unit=p.current_unit, year=year, form="khien_trach", decided_on=D(year, 6, 1)
        )
        Leave.objects.create(
            person=p, unit=p.current_unit, year=year, kind="sick", start=D(year, 3, 1), end=D(year, 3, 5)
        )


@pytest.fixture
def officer(tree):
    return make_user("officer_a", "officer", tree["a"])


@pytest.fixture
def binh(tree, people):
    p = people["binh"]
    Evaluation.objects.create(person=p, unit=p.current_unit, year=2023, rating="htxs", months_worked=12)
    Evaluation.objects.create(person=p, unit=p.current_unit, year=2024, rating="htt", months_worked=10)
    _award(p, "ldtt", 2023, number="11/QĐ-VA")
    _award(p, "cstd_co_so", 2023, number="12/QĐ-VA")
    _award(
        p, "bang_khen_bo", 2024, number="30/QĐ-BTN", revoked=True, revoked_decision="44/QĐ-BTN",
        revoked_on=D(2025, 6, 2), revoked_reason="Kê khai sai",
    )  # fmt: skip
    Discipline.objects.create(
        person=p, unit=p.current_unit, year=2022, form="canh_cao", decided_on=D(2022, 5, 3)
    )
    Leave.objects.create(person=p, unit=p.current_unit, year=2024, kind="maternity", start=D(2024, 2, 1),
                         end=D(2024, 7, 31))  # fmt: skip
    Initiative.objects.create(person=p, unit=p.current_unit, year=2023, title="Số hoá hồ sơ", scope="co_so",
                              recognised_on=D(2023, 11, 1))  # fmt: skip
    # transferred from department A to its team on 01/03/2021
    Position.objects.filter(person=p).update(unit=tree["a"], end=D(2021, 2, 28), position="Chuyên viên")
    Position.objects.create(person=p, unit=tree["a1"], start=D(2021, 3, 1), position="Phó trưởng phòng")
    return p


def _row(response, year):
    return next(r for r in response.context["years"] if r.year == year)


def test_one_row_per_year_with_every_kind_of_fact(client, officer, binh):
    client.force_login(officer)
    response = client.get(_timeline(binh))
    assert response.status_code == 200
    assert [r.year for r in response.context["years"]] == [2024, 2023, 2022, 2021, 2010]
    y2023 = _row(response, 2023)
    assert y2023.evaluation.rating == "htxs"
    assert {a.award_code for a in y2023.titles} == {"ldtt", "cstd_co_so"}
    assert y2023.commendations == [] and [i.title for i in y2023.initiatives] == ["Số hoá hồ sơ"]
    y2024 = _row(response, 2024)
    assert [a.award_code for a in y2024.commendations] == ["bang_khen_bo"] and y2024.leaves
    assert [d.form for d in _row(response, 2022).disciplines] == ["canh_cao"]
    assert [p.position for p in _row(response, 2021).positions] == ["Phó trưởng phòng"]
    body = response.content.decode()
    for text in ("Hoàn thành xuất sắc nhiệm vụ", "Chiến sĩ thi đua cơ sở", "Cảnh cáo", "Nghỉ thai sản",
                 "Số hoá hồ sơ", "01/03/2021", "Phòng 1 Vụ A", "Phó trưởng phòng", "10 tháng"):  # fmt: skip
        assert text in body, text


def test_a_revoked_award_is_marked_with_its_revocation(client, officer, binh):
    client.force_login(officer)
    body = client.get(_timeline(binh)).content.decode()
    assert "Đã huỷ bỏ" in body and "theo QĐ 44/QĐ-BTN" in body and "02/06/2025" in body
    assert "<del>" in body


def test_awards_link_to_their_record_for_who_reads_the_register(client, tree, officer, binh):
    record = AwardRecord.objects.get(decision_number="11/QĐ-VA")
    client.force_login(officer)
    assert reverse("awards:record_detail", args=[record.pk]) in client.get(_timeline(binh)).content.decode()
    client.force_login(make_user("blc", "bloc_head", tree["a"]))  # reads people, not the register
    response = client.get(_timeline(binh))
    assert response.status_code == 200
    assert reverse("awards:record_detail", args=[record.pk]) not in response.content.decode()


def test_the_timeline_is_a_tab_beside_eligibility(client, officer, binh):
    client.force_login(officer)
    tabs = client.get(reverse("org:person_detail", args=[binh.pk])).context["tabs"]
    keys = [t["key"] for t in tabs]
    assert keys.index("timeline") == keys.index("eligibility") + 1
    timeline_tabs = client.get(_timeline(binh)).context["tabs"]
    assert [t["key"] for t in timeline_tabs if t["active"]] == ["timeline"]


def test_staff_member_sees_their_own_timeline_and_nobody_elses(client, tree, people, binh):
    staff = make_user("staff_binh", "staff", tree["a1"])
    Person.objects.filter(pk=binh.pk).update(user=staff)
    client.force_login(staff)
    own = client.get(_timeline(binh))
    assert own.status_code == 200 and "Chiến sĩ thi đua cơ sở" in own.content.decode()
    assert client.get(_timeline(people["an"])).status_code == 404


def test_another_units_person_reads_as_nonexistent(client, officer, people):
    client.force_login(officer)
    response = client.get(_timeline(people["cuong"]))
    assert response.status_code == 404 and "Lê Cường" not in response.content.decode()


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_person_timeline_queries_do_not_grow_with_the_years(client, officer, people):
    short, long = people["an"], people["binh"]
    _history(short, range(2022, 2025))
    _history(long, range(2005, 2025))
    client.force_login(officer)
    assert _count(client, _timeline(short)) == _count(client, _timeline(long))


# --- the collective's page --------------------------------------------------------------------------


@pytest.fixture
def team(tree):
    c = Collective.objects.create(unit=tree["a1"], kind="team", code="T-KH", name="Tổ Kế hoạch")
    Evaluation.objects.create(collective=c, unit=c.unit, year=2024, rating="htxs", members_total=12)
    _award(c, "tt_ldxs", 2024, number="70/QĐ-VA")
    _award(c, "giay_khen", 2023, number="60/QĐ-VA", revoked=True, revoked_decision="61/QĐ-VA")
    Initiative.objects.create(collective=c, unit=c.unit, year=2023, title="Quy trình một cửa")
    return c


def test_collective_page_shows_its_years(client, officer, team):
    client.force_login(officer)
    response = client.get(_collective(team))
    assert response.status_code == 200
    assert [r.year for r in response.context["years"]] == [2024, 2023]
    y2024 = _row(response, 2024)
    assert y2024.evaluation.members_total == 12 and [a.award_code for a in y2024.titles] == ["tt_ldxs"]
    body = response.content.decode()
    for text in ("Tổ Kế hoạch", "Phòng 1 Vụ A", "Tập thể lao động xuất sắc", "12 thành viên",
                 "Quy trình một cửa", "theo QĐ 61/QĐ-VA"):  # fmt: skip
        assert text in body, text
    assert reverse("rulebook:collective_eligibility", args=[team.pk]) in body


def test_collective_of_another_unit_reads_as_nonexistent(client, tree, team):
    client.force_login(make_user("officer_b", "officer", tree["b"]))
    response = client.get(_collective(team))
    assert response.status_code == 404 and "Tổ Kế hoạch" not in response.content.decode()


def test_staff_member_has_no_collective_page(client, tree, team):
    client.force_login(make_user("stf", "staff", tree["a1"]))
    assert client.get(_collective(team)).status_code == 403


def test_collective_page_queries_do_not_grow_with_the_years(client, officer, tree):
    small = Collective.objects.create(unit=tree["a"], kind="team", code="T-1", name="Tổ Một")
    big = Collective.objects.create(unit=tree["a"], kind="team", code="T-2", name="Tổ Hai")
    for c, years in ((small, range(2023, 2025)), (big, range(2000, 2025))):
        for year in years:
            Evaluation.objects.create(collective=c, unit=c.unit, year=year, rating="htt")
            _award(c, "tt_ldtt", year)
            Initiative.objects.create(collective=c, unit=c.unit, year=year, title=f"Đề tài {year}")
    client.force_login(officer)
    assert _count(client, _collective(small)) == _count(client, _collective(big))
