"""Engine invariants on random case files (hypothesis), and the batch path against the case-file path.

Case files are drawn in the format of shared/domain/eligibility-cases.md: individuals and collectives, years
with ratings and months worked, titles and awards of the catalogue, initiatives, discipline, leave (study
leave with or without its course facts), members, facts missing now and then, proposals under both regimes
and on both sides of the dated versions (NĐ 152/2025 from 01/07/2025, TT 15/2025 from 18/09/2025).

For every verdict:
- `not_eligible`: every route examined has a failed criterion or an open judgment (met None, nothing missing);
- `eligible`: one route has every criterion met;
- `undetermined`: `missing` names the facts, and no route is met or failed outright;
- the verdict over all routes is the combination of the verdicts of each route asked alone, every reason
  cites its article, and the regime is the one in force on the proposal date;
- the same facts give the same answer when one code is asked (case file, `tdkt eligibility check`) and when
  all codes are asked of one set of facts (`evaluate_many`, as the batch does).

The register-shaped subset (what the org tables can hold) is also written to the database and run through
the bulk adapter and `evaluate_subtree` (the path of `tdkt eligibility run`): every code's verdict, missing
facts and reasons equal those of the case file and of `check_main`. Examples are derandomized so CI is stable.
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import os
import re
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tdkt.rulebook.engine import evaluate, evaluate_many, load_rulebooks, parse_case
from tdkt.rulebook.engine.cli import check_main
from tdkt.rulebook.engine.codes import (
    AWARD_CODES,
    BASIS_CODES,
    DISCIPLINE_FORMS,
    EMPLOYMENT_KINDS,
    ISSUER_CODES,
    MEMBER_FIELDS,
    STUDY_RESULTS,
)
from tdkt.rulebook.engine.evaluate import default_proposal_date

D = datetime.date
BOOKS = load_rulebooks()
SETTINGS = settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
DB_SETTINGS = settings(SETTINGS, max_examples=100)

INDIVIDUAL_TITLES = ("ldtt", "cstd_co_so", "cstd_bo", "cstd_toan_quoc")
COLLECTIVE_TITLES = ("tt_ldtt", "tt_ldxs", "co_thi_dua_bo", "co_thi_dua_cp")
ORDERS = (
    "hc_lao_dong_3",
    "hc_lao_dong_2",
    "hc_lao_dong_1",
    "hc_doc_lap_3",
    "hc_doc_lap_2",
    "hc_doc_lap_1",
    "hc_ho_chi_minh",
    "hc_sao_vang",
    "anh_hung_lao_dong",
)
FORMS = ("giay_khen", "bang_khen_bo", "bang_khen_bo", "bang_khen_ttg", "ky_niem_chuong", *ORDERS)
RATINGS = ("htxs", "htxs", "htt", "htt", "ht", "kht")  # weighted toward the ratings that build chains
REGISTER_LEAVE = ("maternity", "sick", "study", "unpaid", "other")  # tdkt.org.enums.LeaveKind
ISSUER_LEVELS = ("", "unit", "ministry", "province", "central_org", "provincial_org", "government")
USED_FOR = ("", "", "cstd_co_so", "cstd_bo", "bang_khen_bo", "bang_khen_ttg", "cstd_toan_quoc")
BOUNDARIES = (
    D(2014, 8, 19),
    D(2014, 8, 20),
    D(2017, 9, 30),
    D(2017, 10, 1),
    D(2023, 12, 31),
    D(2024, 1, 1),
    D(2025, 6, 30),
    D(2025, 7, 1),
    D(2025, 9, 17),
    D(2025, 9, 18),
)
MISSING = re.compile(r"^(years\.\d{4}\.[a-z_]+(\.[a-z_]+)?|subject\.[a-z_]+)$")


# ================================================================ the register: what the org tables can hold


def _chance(n: int, out_of: int = 10):
    """True n times out of `out_of`."""
    return st.integers(0, out_of - 1).map(lambda x: x < n)


@st.composite
def _title(draw, code: str, year: int) -> dict[str, Any]:
    ground = draw(st.sampled_from(("", "htxs", "initiative"))) if code == "cstd_co_so" else ""
    decided_year = draw(st.sampled_from((year, year + 1, year + 1)))
    return {"code": code, "ground": ground, "decided_on": D(decided_year, draw(st.integers(1, 12)), 15)}


@st.composite
def _year(draw, kind: str, year: int, good: bool) -> dict[str, Any]:
    """One year of the register. A `good` record has the ratings, titles, initiatives and a Bằng khen anchor
    that chains are built of (so that every verdict shows up); any other record is drawn freely."""
    titles_pool = INDIVIDUAL_TITLES if kind == "individual" else COLLECTIVE_TITLES
    y: dict[str, Any] = {
        "eval": None,
        "leave": [],
        "discipline": [],
        "titles": [],
        "awards": [],
        "initiatives": [],
    }
    if draw(_chance(19 if good else 8, 20)):
        rating = draw(st.sampled_from(("htxs", "htxs", "htt", "htt", "htt", "ht") if good else RATINGS))
        months = None
        if kind == "individual":
            months = draw(
                st.sampled_from((12, 12, 12, 12, 10, 7, 5, None)) if good else st.none() | st.integers(0, 12)
            )
        y["eval"] = (rating, months)
    odds = (9, 6, 2, 1) if good else (5, 3, 1, 1)
    for code, n in zip(titles_pool, odds, strict=True):
        if draw(_chance(n)):
            y["titles"].append(draw(_title(code, year)))
    for _ in range(draw(st.integers(0, 2))):
        if draw(_chance(5 if good else 3)):
            pool = FORMS if kind == "individual" else tuple(c for c in FORMS if c != "ky_niem_chuong")
            code = draw(st.sampled_from(pool))
            good_basis = good and draw(_chance(8))
            y["awards"].append(
                {
                    "code": code,
                    "first": year - draw(st.integers(0, 2)),
                    "basis": "cong_trang" if good_basis else draw(st.sampled_from(sorted(BASIS_CODES))),
                    "issuer": draw(
                        st.sampled_from(("ministry", "province") if good_basis else ISSUER_LEVELS)
                    ),
                    "decided_on": D(year + 1, draw(st.integers(1, 12)), 10),
                    "revoked": draw(_chance(0 if good else 1)),
                }
            )
    for _ in range(draw(st.integers(0, 3 if good else 2))):
        scope = draw(st.sampled_from(("co_so", "co_so", "co_so", "bo", "toan_quoc", "")))
        y["initiatives"].append(
            {
                "kind": draw(st.sampled_from(("initiative", "initiative", "research"))),
                "scope": scope,
                "recognised": draw(_chance(9 if good else 6)),
                "used_for": draw(st.sampled_from(("",) if good and draw(st.booleans()) else USED_FOR)),
            }
        )
    if kind == "individual":
        for _ in range(draw(st.integers(0, 2))):
            if draw(_chance(2 if good else 5)):
                y["leave"].append((draw(st.sampled_from(REGISTER_LEAVE)), draw(st.integers(1, 240))))
        if draw(_chance(1 if good else 3, 20)):
            form = draw(st.sampled_from(DISCIPLINE_FORMS))
            y["discipline"].append((form, D(year, draw(st.integers(1, 12)), 5), draw(_chance(2))))
    return y


@st.composite
def register(draw) -> dict[str, Any]:
    """One subject's history as the register records it, and the year asked."""
    kind = draw(st.sampled_from(("individual", "individual", "collective")))
    asked = draw(st.sampled_from((2024, 2025, 2023, 2026, 2022, 2021, 2020, 2019, 2017, 2016, 2015, 2014)))
    good = draw(_chance(6))
    if good and draw(_chance(7)):  # a run of years up to the asked one, as chains need
        years = list(range(asked - draw(st.integers(0, 9)), asked + 1))
    else:
        earlier = draw(st.sets(st.integers(asked - 8, asked - 1), max_size=7))
        years = sorted(earlier | ({asked} if draw(_chance(9)) else set()))
    spec: dict[str, Any] = {
        "kind": kind,
        "asked": asked,
        "years": {y: draw(_year(kind, y, good)) for y in years},
    }
    if kind == "individual":
        spec["subject"] = {
            "employment": draw(st.sampled_from(("", *sorted(EMPLOYMENT_KINDS)))),
            "direct_worker": draw(st.booleans()),
            "leader": draw(st.booleans()),
            "joined": draw(st.one_of(st.none(), st.dates(D(1985, 1, 1), D(2025, 12, 31)))),
        }
    else:
        spec["subject"] = {
            "established": draw(st.one_of(st.none(), st.dates(D(1955, 1, 1), D(2022, 12, 31))))
        }
        member = st.tuples(
            st.sampled_from(("htxs", "htt", "htt") if good else RATINGS),
            _chance(9 if good else 6),
            _chance(3 if good else 1),
            _chance(0 if good else 1),
        )
        people = draw(st.lists(member, max_size=draw(st.sampled_from((0, 4, 8) if good else (0, 0, 3, 6)))))
        spec["people"] = people  # rated members of the collective's unit in the asked year
        spec["members_total"] = None if people else draw(st.one_of(st.none(), st.integers(1, 40)))
    return spec


INDIVIDUAL_ASKS = (
    *("ldtt", "cstd_co_so", "cstd_bo", "cstd_toan_quoc", "bang_khen_bo", "bang_khen_ttg", "hc_lao_dong_3"),
    *("ldtt", "cstd_co_so", "bang_khen_bo", "bang_khen_ttg", "giay_khen", "hc_lao_dong_2", "ky_niem_chuong"),
)
COLLECTIVE_ASKS = (
    *(
        "tt_ldtt",
        "tt_ldxs",
        "co_thi_dua_bo",
        "co_thi_dua_cp",
        "bang_khen_bo",
        "bang_khen_ttg",
        "hc_lao_dong_3",
    ),
    *("tt_ldtt", "tt_ldxs", "giay_khen", "hc_doc_lap_3", "hc_lao_dong_1"),
)


def case_of(spec: dict[str, Any], award: str) -> dict[str, Any]:
    """The case file of a register history: a year with any row is known, its lists empty when nothing was
    recorded; a year with no row is absent (rulebook/adapters.py)."""
    kind, asked = spec["kind"], spec["asked"]
    years: dict[str, dict[str, Any]] = {}

    def slot(y: int) -> dict[str, Any]:
        return years.setdefault(
            str(y), {"leave": [], "discipline": [], "titles": [], "awards": [], "initiatives": []}
        )

    for y, row in spec["years"].items():
        if row["eval"] is not None:
            rating, months = row["eval"]
            slot(y)["rating"] = rating
            if months is not None:
                slot(y)["months_worked"] = months
        for code_kind, days in row["leave"]:
            slot(y)["leave"].append({"kind": code_kind, "days": days})
        for form, day, admin in row["discipline"]:
            slot(y)["discipline"].append({"form": form, "date": day.isoformat(), "admin_sanction": admin})
        for t in row["titles"]:
            title = {"code": t["code"], "decided_on": t["decided_on"].isoformat()}
            if t["ground"]:
                title["ground"] = t["ground"]
            slot(y)["titles"].append(title)
        for a in row["awards"]:
            award_ = {
                "code": a["code"],
                "basis": a["basis"],
                "decided_on": a["decided_on"].isoformat(),
                "period": [a["first"], y],
                "revoked": a["revoked"],
            }
            if a["issuer"] in ISSUER_CODES:
                award_["issuer"] = a["issuer"]
            slot(y)["awards"].append(award_)
        for i in row["initiatives"]:
            ini = {"kind": i["kind"], "recognised": bool(i["recognised"] and i["scope"])}
            if i["scope"]:
                ini["scope"] = i["scope"]
            if i["used_for"]:
                ini["used_for"] = i["used_for"]
            slot(y)["initiatives"].append(ini)
    if kind == "collective":
        people = spec["people"]
        if people:
            slot(asked)["members"] = {
                "total": len(people),
                "completing": sum(r in ("htxs", "htt", "ht") for r, *_ in people),
                "ldtt": sum(ldtt for _, ldtt, _c, _d in people),
                "cstd_co_so": sum(cstd for _, _l, cstd, _d in people),
                "disciplined": sum(d for *_, d in people),
            }
        elif spec["members_total"] and spec["years"].get(asked, {}).get("eval"):
            slot(asked)["members"] = {"total": spec["members_total"]}
    subject: dict[str, Any] = {"kind": kind}
    for key, value in spec["subject"].items():
        if isinstance(value, D):
            subject[key] = value.isoformat()
        elif value not in ("", None):
            subject[key] = value
    return {"subject": subject, "years": years, "ask": {"award": award, "year": asked}}


# ================================================================ case files beyond the register


@st.composite
def case_file(draw) -> dict[str, Any]:
    """A register-shaped case file, then facts only a case file states: unknown lists and ratings, injury and
    study leave with its course facts, registration, partial member counts, later years, an explicit proposal
    date (around the dated versions) and sometimes one route."""
    spec = draw(register())
    kind, asked = spec["kind"], spec["asked"]
    asks = INDIVIDUAL_ASKS if kind == "individual" else COLLECTIVE_ASKS
    case = case_of(spec, draw(st.sampled_from(asks if draw(_chance(9)) else AWARD_CODES)))
    for key, year in list(case["years"].items()):
        for field in ("leave", "discipline", "titles", "awards", "initiatives"):
            if draw(_chance(1, 20)):
                year.pop(field)
        if draw(_chance(1, 20)):
            year.pop("rating", None)
        if kind == "individual" and draw(_chance(3)):
            leave = year.setdefault("leave", [])
            if draw(st.booleans()):
                leave.append({"kind": "injury_treatment", "days": draw(st.integers(1, 200))})
            else:
                study = {"kind": "study", "days": draw(st.integers(1, 300))}
                for field, values in (
                    ("course_under_one_year", (True, False)),
                    ("rules_kept", (True, True, False)),
                    ("result", tuple(sorted(STUDY_RESULTS))),
                ):
                    if draw(_chance(7)):
                        study[field] = draw(st.sampled_from(values))
                leave.append(study)
        if kind == "individual" and draw(_chance(1)):
            year["registered"] = draw(st.lists(st.sampled_from(INDIVIDUAL_TITLES), max_size=2))
        if kind == "collective" and key == str(asked) and draw(_chance(3)):
            total = draw(st.integers(1, 30))
            members = {"total": total}
            for field in MEMBER_FIELDS[1:]:
                if draw(_chance(7)):
                    members[field] = draw(st.integers(0, total))
            if draw(_chance(1)):
                members.pop("total")
            year["members"] = members
    if draw(_chance(1)):
        later = asked + 1
        case["years"][str(later)] = {"rating": draw(st.sampled_from(RATINGS)), "titles": []}
    near = [b for b in BOUNDARIES if b.year >= asked]
    proposed = draw(
        st.one_of(
            st.none(),
            st.sampled_from(near) if near else st.none(),
            st.dates(D(asked, 6, 1), D(asked + 2, 12, 31)),
        )
    )
    if proposed is not None:
        case["ask"]["proposed_on"] = proposed.isoformat()
    if draw(_chance(2)):
        day = proposed or default_proposal_date(asked)
        routes = [r.id for r in BOOKS.regime_for(day).awards[case["ask"]["award"]].routes]
        case["ask"]["route"] = draw(st.sampled_from(routes))
    return case


# ================================================================ the invariants


def _route_of(code: str, rule: str) -> str:
    return rule[len(code) + 1 : rule.rindex(".")]


def _applicable_routes(facts, code: str, day: D, only: str | None):
    award = BOOKS.regime_for(day).awards[code]
    return [
        r.id
        for r in award.routes
        if (only is None or r.id == only) and (r.subject == "both" or r.subject == facts.kind)
    ]


def check_invariants(facts, ask, v) -> None:
    code = ask.award
    day = ask.proposed_on or default_proposal_date(ask.year)
    assert v.regime == BOOKS.regime_for(day).code
    assert v.verdict in ("eligible", "not_eligible", "undetermined")
    assert all(r.cite and r.cite.strip() for r in v.reasons), v.reasons
    assert all(r.met in (True, False, None) for r in v.reasons)
    routes = _applicable_routes(facts, code, day, ask.route)
    if not routes:
        assert v.verdict == "not_eligible" and [(r.rule, r.met) for r in v.reasons] == [
            (f"{code}.subject", False)
        ]
        return
    by_route = {rid: [r for r in v.reasons if _route_of(code, r.rule) == rid] for rid in routes}
    assert {_route_of(code, r.rule) for r in v.reasons} <= set(routes), v.reasons
    assert all(by_route.values()), f"a route gave no reason: {by_route}"
    met = [rid for rid, rs in by_route.items() if all(r.met is True for r in rs)]
    open_ = [rid for rid, rs in by_route.items() if rid not in met and not any(r.met is False for r in rs)]
    if v.verdict == "eligible":
        assert met, by_route
        assert v.missing == []
    elif v.verdict == "not_eligible":
        assert not met, by_route
        for rid, rs in by_route.items():  # a failed criterion or an open judgment on every route
            assert any(r.met is False for r in rs) or any(r.met is None for r in rs), (rid, rs)
        assert v.missing == []
    else:
        assert not met and open_, by_route
        assert v.missing and len(v.missing) == len(set(v.missing)), v.missing
        assert all(MISSING.match(m) for m in v.missing), v.missing
        assert all(really_missing(facts, m) for m in v.missing), v.missing


def really_missing(facts, path: str) -> bool:
    """The fact a `missing` path names is absent from the facts (or, for a list, lacks the detail that
    decides: a Chiến sĩ thi đua cơ sở title without its ground, an award without its basis, a study leave
    without its course facts)."""
    parts = path.split(".")
    if parts[0] == "subject":
        return getattr(facts, parts[1]) is None
    yf = facts.years.get(int(parts[1]))
    if yf is None:
        return True
    field = parts[2]
    value = getattr(yf, field)
    if value is None:
        return True
    if field == "members":
        return len(parts) > 3 and not getattr(value, parts[3])  # an unknown count, or a total of zero
    if field == "titles":
        return any(t.code == "cstd_co_so" and t.ground is None for t in value)
    if field == "awards":
        return any(a.basis is None for a in value)
    if field == "leave":
        return any(
            lv.kind == "study" and None in (lv.course_under_one_year, lv.rules_kept, lv.result)
            for lv in value
        )
    return False


def combine(verdicts: list[str]) -> str:
    if "eligible" in verdicts:
        return "eligible"
    return "undetermined" if "undetermined" in verdicts else "not_eligible"


def _reasons(v) -> list[dict[str, Any]]:
    return [r.to_dict() for r in v.reasons]


@SETTINGS
@given(case=case_file())
def test_verdicts_keep_the_engine_invariants(case):
    facts, ask = parse_case(case)
    v = evaluate(facts, ask.award, ask.year, proposed_on=ask.proposed_on, route=ask.route)
    check_invariants(facts, ask, v)
    day = ask.proposed_on or default_proposal_date(ask.year)
    routes = _applicable_routes(facts, ask.award, day, ask.route)
    if ask.route is None and len(routes) > 1:
        singles = []
        for rid in routes:
            f, a = parse_case(case)
            one = evaluate(f, a.award, a.year, proposed_on=a.proposed_on, route=rid)
            check_invariants(f, a.__class__(a.award, a.year, a.proposed_on, rid), one)
            singles.append(one.verdict)
        assert v.verdict == combine(singles), (v.verdict, dict(zip(routes, singles, strict=True)))


@SETTINGS
@given(case=case_file())
def test_one_code_asked_alone_equals_every_code_asked_of_the_same_facts(case):
    """The case file asks one code of fresh facts; the batch asks every code of one set of facts, whose
    derived views (memo) are shared between codes."""
    case["ask"].pop("route", None)
    facts, ask = parse_case(case)
    codes = [c for c in AWARD_CODES if BOOKS.regime_for(ask.proposed_on or default_proposal_date(ask.year))
             .awards[c].subject in (facts.kind, "both")]  # fmt: skip
    many = evaluate_many(facts, reversed(codes), ask.year, proposed_on=ask.proposed_on)
    for code in codes:
        fresh, _ = parse_case(case)
        alone = evaluate(fresh, code, ask.year, proposed_on=ask.proposed_on)
        assert (many[code].verdict, many[code].missing, _reasons(many[code])) == (
            alone.verdict,
            alone.missing,
            _reasons(alone),
        ), code


# ================================================================ the batch path on the register


_serial = itertools.count(1)


def _write_register(spec: dict[str, Any], root):
    """The register rows of a history, in a fresh unit under `root`; returns (unit, subject)."""
    from tdkt.org.models import AwardRecord, Collective, Discipline, Evaluation, Initiative, Leave
    from tests.factories import person, unit

    n = next(_serial)
    u = unit(code=f"PROP{n}", name=f"Đơn vị thử {n}", kind="department", parent=root)
    asked = spec["asked"]
    if spec["kind"] == "individual":
        subject = person(u, code=f"PP{n:05d}", given_name=f"Thử{n}")
        s = spec["subject"]
        subject.employment, subject.direct_worker, subject.leader = (
            s["employment"],
            s["direct_worker"],
            s["leader"],
        )
        subject.joined = s["joined"]
        subject.save()
        owner = {"person": subject}
    else:
        subject = Collective.objects.create(
            unit=u,
            kind="unit",
            code=f"PT{n}",
            name=f"Tập thể {n}",
            established=spec["subject"]["established"],
        )
        owner = {"collective": subject}
        for i, (rating, ldtt, cstd, disciplined) in enumerate(spec["people"]):
            member = person(u, code=f"PM{n:05d}{i}", given_name=f"Viên{i}")
            Evaluation.objects.create(person=member, unit=u, year=asked, rating=rating, months_worked=12)
            for code, has in (("ldtt", ldtt), ("cstd_co_so", cstd)):
                if has:
                    AwardRecord.objects.create(
                        person=member, unit=u, award_code=code, first_year=asked, last_year=asked,
                        decision_number=f"M{n}-{i}-{code}", decided_on=D(asked + 1, 1, 20),
                    )  # fmt: skip
            if disciplined:
                Discipline.objects.create(
                    person=member, unit=u, year=asked, form="canh_cao", decided_on=D(asked, 3, 1)
                )
    for y, row in spec["years"].items():
        if row["eval"] is not None:
            rating, months = row["eval"]
            total = spec.get("members_total") if y == asked else None
            Evaluation.objects.create(
                **owner, unit=u, year=y, rating=rating, months_worked=months, members_total=total
            )
        for k, days in row["leave"]:
            start = D(y, 1, 1)
            Leave.objects.create(
                **owner, unit=u, year=y, kind=k, start=start, end=start + datetime.timedelta(days - 1)
            )
        for form, day, admin in row["discipline"]:
            Discipline.objects.create(
                **owner, unit=u, year=y, form=form, decided_on=day, admin_sanction=admin
            )
        for i, t in enumerate(row["titles"]):
            AwardRecord.objects.create(
                **owner, unit=u, award_code=t["code"], first_year=y, last_year=y,
                decision_number=f"T{n}-{y}-{i}", decided_on=t["decided_on"], ground=t["ground"],
            )  # fmt: skip
        for i, a in enumerate(row["awards"]):
            AwardRecord.objects.create(
                **owner, unit=u, award_code=a["code"], first_year=a["first"], last_year=y,
                decision_number=f"A{n}-{y}-{i}", decided_on=a["decided_on"], basis=a["basis"],
                issuer_level=a["issuer"], revoked=a["revoked"],
            )  # fmt: skip
        for i, ini in enumerate(row["initiatives"]):
            Initiative.objects.create(
                **owner, unit=u, year=y, kind=ini["kind"], title=f"Sáng kiến {i}", scope=ini["scope"],
                recognised_on=D(y, 11, 1) if ini["recognised"] else None, used_for=ini["used_for"],
            )  # fmt: skip
    return u, subject


@pytest.fixture
def root(db):
    from tests.factories import unit

    return unit(code="PROP-ROOT", name="Bộ thử tính chất", kind="ministry")


@pytest.mark.django_db
@DB_SETTINGS
@given(spec=register(), pick=st.integers(0, 10_000))
def test_batch_on_the_register_equals_the_case_file(root, spec, pick):
    from tdkt.rulebook.services import evaluate_subtree

    with transaction.atomic():
        u, subject = _write_register(spec, root)
        rows = [pair for chunk in evaluate_subtree(spec["asked"], unit=u) for pair in chunk]
        transaction.set_rollback(True)
    (row, verdicts), *_ = [(r, vs) for r, vs in rows if r.kind == spec["kind"] and r.id == subject.pk]
    assert verdicts
    for code, by_batch in verdicts.items():
        facts, ask = parse_case(case_of(spec, code))
        check_invariants(facts, ask, by_batch)
        by_case = evaluate(facts, ask.award, ask.year)
        assert (by_batch.regime, by_batch.verdict, by_batch.missing, _reasons(by_batch)) == (
            by_case.regime,
            by_case.verdict,
            by_case.missing,
            _reasons(by_case),
        ), (code, case_of(spec, code))
    code = sorted(verdicts)[pick % len(verdicts)]  # one code also through `tdkt eligibility check`
    out, err = io.StringIO(), io.StringIO()
    path = _tmp_case(case_of(spec, code))
    try:
        assert check_main(path, out, err) == 0, err.getvalue()
    finally:
        os.unlink(path)
    printed = json.loads(out.getvalue())
    assert (printed["verdict"], printed["missing"], printed["reasons"]) == (
        verdicts[code].verdict,
        verdicts[code].missing,
        _reasons(verdicts[code]),
    )


def _tmp_case(case: dict[str, Any]) -> str:
    import tempfile

    fh = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")
    with fh:
        json.dump(case, fh, ensure_ascii=False)
    return fh.name
