"""The ORM adapter: the facts it builds from the register equal the facts of the same case file."""

from __future__ import annotations

import datetime

import pytest

from tdkt.org.models import AwardRecord, Collective, Discipline, Evaluation, Initiative, Leave
from tdkt.org.services import fill_person_derived
from tdkt.rulebook.adapters import collective_facts, iter_people_facts, person_facts
from tdkt.rulebook.engine import evaluate, parse_case
from tests.factories import person

D = datetime.date


def rate(subject, year, rating, months=12, **extra):
    """Record a yearly evaluation of a person or a collective (in its current unit)."""
    if isinstance(subject, Collective):
        return Evaluation.objects.create(
            collective=subject, unit=subject.unit, year=year, rating=rating, months_worked=months, **extra
        )
    return Evaluation.objects.create(
        person=subject, unit=subject.current_unit, year=year, rating=rating, months_worked=months, **extra
    )


def award(
    subject, code, first, last=None, *, basis="cong_trang", issuer="", decided_on=None, number=None, ground=""
):
    field = "collective" if isinstance(subject, Collective) else "person"
    unit = subject.unit if field == "collective" else subject.current_unit
    return AwardRecord.objects.create(
        **{field: subject},
        unit=unit,
        award_code=code,
        first_year=first,
        last_year=last or first,
        decision_number=number or f"{code}-{last or first}-{subject.pk}",
        decided_on=decided_on or D((last or first) + 1, 2, 1),
        basis=basis,
        issuer_level=issuer,
        ground=ground,
    )


def initiative(p, year, scope="co_so", recognised=True, used_for=""):
    return Initiative.objects.create(
        person=p,
        unit=p.current_unit,
        year=year,
        title=f"Sáng kiến {year}",
        scope=scope,
        recognised_on=D(year, 11, 1) if recognised else None,
        used_for=used_for,
    )


def collective(unit, code="TT1", kind="unit"):
    return Collective.objects.create(unit=unit, kind=kind, code=code, name=f"Tập thể {unit.name}")


@pytest.fixture
def history(tree):
    """One civil servant with four years in the register and the same facts as a case file."""
    p = person(
        tree["a"],
        family_name="Phạm",
        middle_name="Thu",
        given_name="Hà",
        code="CB900",
        employment="civil_servant",
    )
    p.joined = D(2015, 9, 1)
    fill_person_derived(p)
    p.save()
    rate(p, 2021, "htt")
    rate(p, 2022, "htxs")
    rate(p, 2023, "htxs")
    rate(p, 2024, "htxs", months=12)
    Leave.objects.create(
        person=p, unit=p.current_unit, year=2023, kind="maternity", start=D(2023, 3, 1), end=D(2023, 8, 27)
    )
    Discipline.objects.create(
        person=p, unit=p.current_unit, year=2021, form="khien_trach", decided_on=D(2021, 6, 1)
    )
    award(p, "ldtt", 2022)
    award(p, "cstd_co_so", 2022, ground="initiative")
    award(p, "ldtt", 2023)
    award(p, "cstd_co_so", 2023, ground="htxs")
    award(p, "ldtt", 2024)
    award(p, "bang_khen_bo", 2021, 2022, issuer="ministry", decided_on=D(2023, 4, 10))
    initiative(p, 2022, used_for="cstd_co_so")
    initiative(p, 2023)
    initiative(p, 2024)
    initiative(p, 2024, scope="", recognised=False)
    case = {
        "subject": {
            "kind": "individual",
            "name": "Phạm Thu Hà",
            "employment": "civil_servant",
            "direct_worker": False,
            "leader": False,
            "joined": "2015-09-01",
        },
        "years": {
            "2021": {
                "rating": "htt",
                "months_worked": 12,
                "leave": [],
                "discipline": [{"form": "khien_trach", "date": "2021-06-01"}],
                "titles": [],
                "awards": [],
                "initiatives": [],
            },
            "2022": {
                "rating": "htxs",
                "months_worked": 12,
                "leave": [],
                "discipline": [],
                "titles": [
                    {"code": "ldtt", "decided_on": "2023-02-01"},
                    {"code": "cstd_co_so", "decided_on": "2023-02-01", "ground": "initiative"},
                ],
                "awards": [
                    {
                        "code": "bang_khen_bo",
                        "basis": "cong_trang",
                        "issuer": "ministry",
                        "decided_on": "2023-04-10",
                        "period": [2021, 2022],
                    }
                ],
                "initiatives": [
                    {"kind": "initiative", "scope": "co_so", "recognised": True, "used_for": "cstd_co_so"}
                ],
            },
            "2023": {
                "rating": "htxs",
                "months_worked": 12,
                "leave": [{"kind": "maternity", "days": 180}],
                "discipline": [],
                "titles": [
                    {"code": "ldtt", "decided_on": "2024-02-01"},
                    {"code": "cstd_co_so", "decided_on": "2024-02-01", "ground": "htxs"},
                ],
                "awards": [],
                "initiatives": [{"kind": "initiative", "scope": "co_so", "recognised": True}],
            },
            "2024": {
                "rating": "htxs",
                "months_worked": 12,
                "leave": [],
                "discipline": [],
                "titles": [{"code": "ldtt", "decided_on": "2025-02-01"}],
                "awards": [],
                "initiatives": [
                    {"kind": "initiative", "scope": "co_so", "recognised": True},
                    {"kind": "initiative", "recognised": False},
                ],
            },
        },
        "ask": {"award": "bang_khen_bo", "year": 2024},
    }
    return p, case


CODES = ["ldtt", "cstd_co_so", "cstd_bo", "bang_khen_bo", "bang_khen_ttg", "giay_khen", "hc_lao_dong_3"]


def test_orm_facts_equal_case_file_facts(history):
    p, case = history
    from_case, _ask = parse_case(case)
    from_db = person_facts(p.pk, 2024)
    assert from_db.years.keys() == from_case.years.keys()
    for year in from_case.years:
        db_year, case_year = from_db.years[year], from_case.years[year]
        assert db_year.rating == case_year.rating, year
        assert db_year.leave == case_year.leave, year
        assert sorted(db_year.titles, key=lambda t: t.code) == sorted(case_year.titles, key=lambda t: t.code)
        assert db_year.awards == case_year.awards, year
        assert sorted(db_year.initiatives, key=repr) == sorted(case_year.initiatives, key=repr), year
        assert [d.form for d in db_year.discipline] == [d.form for d in case_year.discipline]
    assert (from_db.employment, from_db.joined, from_db.name) == (
        "civil_servant",
        D(2015, 9, 1),
        "Phạm Thu Hà",
    )


@pytest.mark.parametrize("code", CODES)
def test_orm_and_case_file_give_the_same_verdict(history, code):
    p, case = history
    from_case, _ask = parse_case(case)
    from_db = person_facts(p.pk, 2024)
    by_db = evaluate(from_db, code, 2024)
    by_case = evaluate(from_case, code, 2024)
    assert by_db.verdict == by_case.verdict
    assert [r.to_dict() for r in by_db.reasons] == [r.to_dict() for r in by_case.reasons]
    assert by_db.missing == by_case.missing


def test_history_after_the_asked_year_is_not_read(history):
    p, _case = history
    facts = person_facts(p.pk, 2023)
    assert sorted(facts.years) == [2021, 2022, 2023]


def test_a_year_without_any_record_is_absent_so_the_engine_names_it(tree):
    p = person(tree["a"], code="CB901")
    rate(p, 2024, "htt")
    facts = person_facts(p.pk, 2024)
    assert list(facts.years) == [2024]
    verdict = evaluate(facts, "bang_khen_bo", 2024)
    assert verdict.verdict in ("not_eligible", "undetermined")
    assert evaluate(facts, "ldtt", 2024).verdict == "eligible"


def test_revoked_title_does_not_count(tree):
    p = person(tree["a"], code="CB902")
    rate(p, 2024, "htt")
    rec = award(p, "ldtt", 2024)
    AwardRecord.objects.filter(pk=rec.pk).update(revoked=True)
    assert person_facts(p.pk, 2024).years[2024].titles == ()


def test_people_are_read_in_chunks_with_a_fixed_number_of_queries(tree, django_assert_num_queries):
    for i in range(7):
        p = person(tree["a1"], code=f"CH{i:03d}")
        rate(p, 2024, "htt")
        award(p, "ldtt", 2023)
    # per chunk: people + evaluations, leave, discipline, initiatives, awards; then one empty page
    with django_assert_num_queries(3 * 6 + 1):
        chunks = list(iter_people_facts(2024, unit=tree["a"], chunk_size=3))
    assert [len(c) for c in chunks] == [3, 3, 1]
    assert all(row.unit_id == tree["a1"].pk for chunk in chunks for row, _facts in chunk)


def test_collective_members_are_counted_from_the_people_of_its_subtree(tree):
    team = collective(tree["a"], code="TT-A")
    rate(team, 2024, "htxs")
    members = [
        person(tree["a"], code="M1"),
        person(tree["a1"], code="M2"),
        person(tree["a1"], code="M3"),
        person(tree["b"], code="OUT"),
    ]
    for m, rating in zip(members, ["htxs", "htt", "kht", "htxs"], strict=True):
        rate(m, 2024, rating)
    award(members[0], "ldtt", 2024)
    award(members[0], "cstd_co_so", 2024)
    award(members[1], "ldtt", 2024)
    award(members[3], "ldtt", 2024)  # unit B: not a member
    Discipline.objects.create(
        person=members[2], unit=tree["a1"], year=2024, form="canh_cao", decided_on=D(2024, 5, 1)
    )
    facts = collective_facts(team.pk, 2024)
    m = facts.years[2024].members
    assert (m.total, m.completing, m.ldtt, m.cstd_co_so, m.disciplined) == (3, 2, 2, 1, 1)
    assert facts.years[2024].rating == "htxs"
    assert evaluate(facts, "tt_ldxs", 2024).verdict == "not_eligible"  # one member did not complete


def test_collective_without_rated_members_uses_the_recorded_total(tree):
    team = collective(tree["b"], code="TT-B")
    rate(team, 2024, "htt", members_total=12)
    verdict = evaluate(collective_facts(team.pk, 2024), "tt_ldtt", 2024)
    assert verdict.verdict == "undetermined"
    assert "years.2024.members.ldtt" in verdict.missing
