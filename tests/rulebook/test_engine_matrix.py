"""The eligibility matrix: every award code, every route, every criterion, under law-2022 and law-2013.

For each route of each award (read from the rulebook YAML) there is one base case built from facts in the case
format (shared/domain/eligibility-cases.md):

- a route of factual criteria only: the base case is `eligible`;
- a route with a judgment criterion the case format cannot record (an outstanding deed, a bloc's choice,
  the unread conditions of an order): the base case meets every factual criterion and is `not_eligible` only
  for the judgment, whose reason is `met: None` with a detail naming what must be recorded.

Then, for each factual criterion, cases identical to the base except that this one criterion fails
(`not_eligible`, and that criterion's reason — by its `rule` id — is `met: False`), and cases with a needed
fact missing (`undetermined`, the field named in `missing`). `test_every_route_and_criterion_has_a_case`
fails when the YAML gains a route or criterion without cases. The 2023→2024 transition (Luật 2022 Điều 94,
95) is at the end.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tdkt.rulebook.engine import evaluate, load_rulebooks, parse_case
from tdkt.rulebook.engine.codes import AWARD_CODES, RATING_RANK

BOOKS = load_rulebooks()
REGIMES = ("law-2022", "law-2013")
Y22 = 2024  # asked year of the law-2022 bases (proposed 01/03/2025 by default)
Y13 = 2022  # asked year of most law-2013 bases (proposed 01/03/2023 by default)
LOWER = {v: k for k, v in RATING_RANK.items()}


# ---------------------------------------------------------------- cases in the case format


@dataclass
class Case:
    award: str
    year: int
    years: dict[str, dict[str, Any]]
    kind: str = "individual"
    subject: dict[str, Any] = field(default_factory=dict)
    proposed_on: str | None = None
    overrides: dict[str, Any] | None = None

    def json(self, route: str | None) -> dict[str, Any]:
        ask: dict[str, Any] = {"award": self.award, "year": self.year}
        if self.proposed_on:
            ask["proposed_on"] = self.proposed_on
        if route:
            ask["route"] = route
        return {"subject": {"kind": self.kind, **self.subject}, "years": self.years, "ask": ask}

    def run(self, route: str | None = None):
        facts, q = parse_case(self.json(route))
        return evaluate(
            facts, q.award, q.year, proposed_on=q.proposed_on, route=q.route, overrides=self.overrides
        )


Change = Callable[[Case], None]


@dataclass(frozen=True)
class Fail:
    name: str  # readable id part
    criterion: str  # criterion id in the YAML
    change: Change
    also: tuple[str, ...] = ()  # other criteria that necessarily fail with it


@dataclass(frozen=True)
class Miss:
    name: str
    field: str  # expected in `missing`
    change: Change


@dataclass(frozen=True)
class Spec:
    regime: str
    award: str
    route: str
    base: Callable[[], Case]
    fails: tuple[Fail, ...]
    misses: tuple[Miss, ...]


SPECS: dict[tuple[str, str, str], Spec] = {}


def spec(regime: str, award: str, route: str, base: Callable[[], Case], fails=(), misses=()) -> None:
    key = (regime, award, route)
    assert key not in SPECS, key
    SPECS[key] = Spec(regime, award, route, base, tuple(fails), tuple(misses))


# ---------------------------------------------------------------- builders


def P(rating: str = "htt", titles=(), **more) -> dict[str, Any]:
    """One year of an individual: rating, a full year worked, no discipline, the titles held."""
    return {"rating": rating, "months_worked": 12, "discipline": [], "titles": list(titles), **more}


def C(rating: str = "htxs", **more) -> dict[str, Any]:
    """One year of a collective."""
    return {"rating": rating, **more}


def ini(scope: str = "co_so", **more) -> dict[str, Any]:
    return {"kind": "initiative", "scope": scope, "recognised": True, **more}


def prior(
    code: str, first: int, last: int | None = None, basis: str = "cong_trang", **more
) -> dict[str, Any]:
    return {"code": code, "basis": basis, "period": [first, last or first], **more}


def case(award: str, year: int, years: dict[int, dict], **kw) -> Case:
    return Case(award, year, {str(y): v for y, v in years.items()}, **kw)


# ---------------------------------------------------------------- changes (each returns a function of a Case)

DROP = object()


def at(year: int, **fields) -> Change:
    def f(c: Case) -> None:
        row = c.years[str(year)]
        for k, v in fields.items():
            if v is DROP:
                row.pop(k, None)
            else:
                row[k] = v

    return f


def members(year: int, **fields) -> Change:
    def f(c: Case) -> None:
        m = c.years[str(year)]["members"]
        for k, v in fields.items():
            if v is DROP:
                m.pop(k, None)
            else:
                m[k] = v

    return f


def untitle(year: int, code: str) -> Change:
    def f(c: Case) -> None:
        row = c.years[str(year)]
        row["titles"] = [t for t in row["titles"] if (t if isinstance(t, str) else t["code"]) != code]

    return f


def entitle(year: int, title) -> Change:
    def f(c: Case) -> None:
        c.years[str(year)].setdefault("titles", []).append(title)

    return f


def anchor(year: int, **fields) -> Change:
    """Change the first award recorded in `year` (the anchor of a chain)."""

    def f(c: Case) -> None:
        a = c.years[str(year)]["awards"][0]
        for k, v in fields.items():
            if v is DROP:
                a.pop(k, None)
            else:
                a[k] = v

    return f


def subject(**fields) -> Change:
    def f(c: Case) -> None:
        for k, v in fields.items():
            if v is DROP:
                c.subject.pop(k, None)
            else:
                c.subject[k] = v

    return f


def setting(key: str, value) -> Change:
    def f(c: Case) -> None:
        c.overrides = {**(c.overrides or {}), key: value}

    return f


def propose(day: str) -> Change:
    def f(c: Case) -> None:
        c.proposed_on = day

    return f


def seq(*changes: Change) -> Change:
    def f(c: Case) -> None:
        for ch in changes:
            ch(c)

    return f


# ---------------------------------------------------------------- reading the rulebook


def routes_of(regime: str, award: str):
    return BOOKS.regime(regime).awards[award].routes


def route_of(regime: str, award: str, route: str):
    return next(r for r in routes_of(regime, award) if r.id == route)


def judgment_ids(regime: str, award: str, route: str) -> set[str]:
    return {c.id for c in route_of(regime, award, route).criteria if c.kind == "judgment"}


def param(regime: str, award: str, route: str, criterion: str, key: str):
    crit = next(c for c in route_of(regime, award, route).criteria if c.id == criterion)
    return crit.params[key]


# ================================================================ law-2022

R = "law-2022"

# ---- Lao động tiên tiến, Luật 2022 Điều 24 k1; TT 01/2024 (6 months)
spec(
    R,
    "ldtt",
    "24.1",
    lambda: case("ldtt", Y22, {Y22: P("htt")}),
    fails=[
        Fail("rating_too_low", "rating", at(Y22, rating="ht")),
        Fail("not_completing", "rating", at(Y22, rating="kht")),
        Fail("under_6_months", "months_worked", at(Y22, months_worked=5)),
        Fail(
            "sick_leave_not_time_worked",
            "months_worked",
            at(Y22, months_worked=5, leave=[{"kind": "sick", "days": 60}]),
        ),
        Fail(
            "reprimanded", "discipline", at(Y22, discipline=[{"form": "khien_trach", "date": f"{Y22}-05-01"}])
        ),
        Fail(
            "admin_sanction_when_agency_adds_it",
            "admin_sanction",
            seq(setting("ldtt.exclude_admin_sanction", True), at(Y22, discipline=[{"admin_sanction": True}])),
        ),
    ],
    misses=[
        Miss("no_rating", f"years.{Y22}.rating", at(Y22, rating=DROP)),
        Miss("no_months", f"years.{Y22}.months_worked", at(Y22, months_worked=DROP)),
        Miss("no_discipline_record", f"years.{Y22}.discipline", at(Y22, discipline=DROP)),
    ],
)

# ---- Chiến sĩ thi đua cơ sở, Luật 2022 Điều 23: LĐTT and (HTXS or an initiative)
spec(
    R,
    "cstd_co_so",
    "23.htxs",
    lambda: case("cstd_co_so", Y22, {Y22: P("htxs")}),
    fails=[
        Fail("ldtt_not_met", "ldtt", at(Y22, months_worked=5)),
        Fail("only_htt", "rating_htxs", at(Y22, rating="htt")),
    ],
    misses=[
        Miss("no_rating", f"years.{Y22}.rating", at(Y22, rating=DROP)),
        Miss("no_months_for_ldtt", f"years.{Y22}.months_worked", at(Y22, months_worked=DROP)),
    ],
)
spec(
    R,
    "cstd_co_so",
    "23.sang_kien",
    lambda: case("cstd_co_so", Y22, {Y22: P("htt", initiatives=[ini()])}),
    fails=[
        Fail("ldtt_not_met", "ldtt", at(Y22, discipline=[{"form": "canh_cao"}])),
        Fail("no_initiative", "initiative", at(Y22, initiatives=[])),
        Fail(
            "initiative_used_for_bang_khen", "initiative", at(Y22, initiatives=[ini(used_for="bang_khen_bo")])
        ),
    ],
    misses=[Miss("no_initiative_record", f"years.{Y22}.initiatives", at(Y22, initiatives=DROP))],
)


# ---- Chiến sĩ thi đua bộ, tỉnh, Luật 2022 Điều 22: 3 consecutive CSTĐCS (2022, 2023 old law) + bộ initiative
def _cstd_bo(last: int) -> Case:
    years = {y: P("htxs", ["ldtt", "cstd_co_so"], initiatives=[]) for y in range(last - 2, last + 1)}
    years[last]["initiatives"] = [ini("bo")]
    return case("cstd_bo", last, years)


def _cstd_bo_fails(last: int):
    return [
        Fail("gap_in_chain", "three_cstd_co_so", untitle(last - 1, "cstd_co_so")),
        Fail("only_two_cstd_co_so", "three_cstd_co_so", untitle(last - 2, "cstd_co_so")),
        Fail("no_initiative", "initiative_bo", at(last, initiatives=[])),
        Fail(
            "initiative_used_for_cstd_bo",
            "initiative_bo",
            at(last, initiatives=[ini("bo", used_for="cstd_bo")]),
        ),
    ]


def _cstd_bo_misses(last: int):
    return [
        Miss("no_titles", f"years.{last}.titles", at(last, titles=DROP)),
        Miss("no_initiative_record", f"years.{last}.initiatives", at(last, initiatives=DROP)),
    ]


spec(R, "cstd_bo", "22", lambda: _cstd_bo(Y22), _cstd_bo_fails(Y22), _cstd_bo_misses(Y22))


# ---- Chiến sĩ thi đua toàn quốc, Luật 2022 Điều 21: 2 consecutive cycles of CSTĐ bộ + national initiative
def _cstd_tq(last: int) -> Case:
    years = {y: P("htxs", ["ldtt", "cstd_co_so"], initiatives=[]) for y in range(last - 5, last + 1)}
    years[last - 3]["titles"].append("cstd_bo")
    years[last]["titles"].append("cstd_bo")
    years[last]["initiatives"] = [ini("toan_quoc")]
    return case("cstd_toan_quoc", last, years)


def _cstd_tq_fails(last: int):
    return [
        Fail("only_one_cstd_bo", "two_cstd_bo", untitle(last - 3, "cstd_bo")),
        Fail(
            "earlier_cstd_bo_outside_cycle",
            "two_cstd_bo",
            seq(untitle(last - 3, "cstd_bo"), entitle(last - 4, "cstd_bo")),
        ),
        Fail(
            "no_cstd_bo_for_asked_year",
            "two_cstd_bo",
            seq(untitle(last, "cstd_bo"), entitle(last - 1, "cstd_bo")),
        ),
        Fail("no_national_initiative", "initiative_national", at(last, initiatives=[])),
        Fail(
            "initiative_used_before",
            "initiative_national",
            at(last, initiatives=[ini("toan_quoc", used_for="cstd_toan_quoc")]),
        ),
    ]


spec(
    R,
    "cstd_toan_quoc",
    "21",
    lambda: _cstd_tq(Y22),
    _cstd_tq_fails(Y22),
    [
        Miss("no_titles", f"years.{Y22}.titles", at(Y22, titles=DROP)),
        Miss("no_initiative_record", f"years.{Y22}.initiatives", at(Y22, initiatives=DROP)),
    ],
)


# ---- Tập thể lao động tiên tiến, Luật 2022 Điều 28 (previous law's conditions, docs/law.md §6.4)
def _tt_ldtt(year: int) -> Case:
    return case(
        "tt_ldtt",
        year,
        {year: C("htt", members={"total": 10, "ldtt": 6, "disciplined": 0})},
        kind="collective",
    )


def _tt_ldtt_fails(year: int):
    return [
        Fail("rating_too_low", "rating", at(year, rating="ht")),
        Fail("half_ldtt_is_not_more_than_half", "ldtt_share", members(year, ldtt=5)),
        Fail("member_warned", "no_member_warning", members(year, disciplined=1)),
    ]


def _tt_misses(year: int, field_: str):
    return [
        Miss("no_members", f"years.{year}.members", at(year, members=DROP)),
        Miss(f"no_members_{field_}", f"years.{year}.members.{field_}", members(year, **{field_: DROP})),
        Miss("no_rating", f"years.{year}.rating", at(year, rating=DROP)),
    ]


spec(R, "tt_ldtt", "28", lambda: _tt_ldtt(Y22), _tt_ldtt_fails(Y22), _tt_misses(Y22, "ldtt"))


# ---- Tập thể lao động xuất sắc, Luật 2022 Điều 27
def _tt_ldxs(year: int) -> Case:
    m = {"total": 10, "completing": 10, "ldtt": 7, "cstd_co_so": 1}
    return case("tt_ldxs", year, {year: C("htxs", members=m)}, kind="collective")


def _tt_ldxs_fails(year: int):
    return [
        Fail("rating_htt", "rating", at(year, rating="htt")),
        Fail("a_member_not_completing", "all_completing", members(year, completing=9)),
        Fail("ldtt_below_70pct", "ldtt_share", members(year, ldtt=6)),
        Fail("no_cstd_co_so", "has_cstd_co_so", members(year, cstd_co_so=0)),
    ]


spec(R, "tt_ldxs", "27", lambda: _tt_ldxs(Y22), _tt_ldxs_fails(Y22), _tt_misses(Y22, "cstd_co_so"))


# ---- Cờ thi đua bộ (Điều 26), Cờ thi đua Chính phủ (Điều 25): HTXS + the bloc's choice (judgment)
def _flag(award: str, year: int) -> Callable[[], Case]:
    return lambda: case(award, year, {year: C("htxs")}, kind="collective")


def _flag_fails(year: int):
    return [Fail("rating_htt", "rating", at(year, rating="htt"))]


def _flag_misses(year: int):
    return [Miss("no_rating", f"years.{year}.rating", at(year, rating=DROP))]


spec(R, "co_thi_dua_bo", "26", _flag("co_thi_dua_bo", Y22), _flag_fails(Y22), _flag_misses(Y22))
spec(R, "co_thi_dua_cp", "25.1", _flag("co_thi_dua_cp", Y22), _flag_fails(Y22), _flag_misses(Y22))
spec(R, "co_thi_dua_cp", "25.2", _flag("co_thi_dua_cp", Y22))
spec(R, "co_thi_dua_cp", "25.3", _flag("co_thi_dua_cp", Y22))


# ---- Giấy khen, Điều 75: rating ≥ setting giay_khen.min_rating (default HTT)
def _giay_khen(year: int) -> Case:
    return case("giay_khen", year, {year: P("htt")})


def _giay_khen_fails(year: int):
    return [
        Fail("rating_ht", "rating", at(year, rating="ht")),
        Fail("agency_requires_htxs", "rating", setting("giay_khen.min_rating", "htxs")),
    ]


spec(R, "giay_khen", "75", lambda: _giay_khen(Y22), _giay_khen_fails(Y22), _flag_misses(Y22))


# ---- Bằng khen bộ, tỉnh, Điều 74
def _judged(award: str, year: int, kind: str = "individual") -> Callable[[], Case]:
    """A judgment-only route: the facts are those of a good year; nothing factual is asked."""
    row = P("htxs") if kind == "individual" else C("htxs")
    return lambda: case(award, year, {year: dict(row)}, kind=kind)


for _r in ("74.1.a", "74.1.b", "74.1.c", "74.2"):
    spec(R, "bang_khen_bo", _r, _judged("bang_khen_bo", Y22))


def _bk_bo_d(last: int) -> Case:
    return case(
        "bang_khen_bo",
        last,
        {last - 1: P("htxs", ["ldtt"], initiatives=[ini()]), last: P("htxs", ["ldtt"], initiatives=[ini()])},
    )


def _bk_bo_d_fails(last: int, crit_htxs: str = "consecutive_htxs"):
    return [
        Fail("htt_in_first_year", crit_htxs, at(last - 1, rating="htt")),
        Fail("one_initiative", "two_initiatives", at(last - 1, initiatives=[])),
        Fail(
            "initiative_used_for_cstd_co_so",
            "two_initiatives",
            at(last - 1, initiatives=[ini(used_for="cstd_co_so")]),
        ),
        Fail(
            "initiative_consumed_by_cstd_co_so",
            "two_initiatives",
            entitle(last, {"code": "cstd_co_so", "ground": "initiative"}),
        ),
    ]


def _bk_bo_d_misses(last: int):
    return [
        Miss("no_rating_first_year", f"years.{last - 1}.rating", at(last - 1, rating=DROP)),
        Miss("no_initiative_record", f"years.{last - 1}.initiatives", at(last - 1, initiatives=DROP)),
    ]


spec(
    R,
    "bang_khen_bo",
    "74.1.d",
    lambda: _bk_bo_d(Y22),
    _bk_bo_d_fails(Y22),
    [
        *_bk_bo_d_misses(Y22),
        # a CSTĐCS of 2024 without its ground: did it consume an initiative? (docs/law.md §2)
        Miss("cstd_co_so_ground_unknown", f"years.{Y22}.titles", entitle(Y22, "cstd_co_so")),
    ],
)


def _bk_bo_collective(last: int) -> Case:
    return case("bang_khen_bo", last, {last - 1: C("htxs"), last: C("htxs")}, kind="collective")


def _bk_bo_collective_fails(last: int):
    return [Fail("htt_in_first_year", "consecutive_htxs", at(last - 1, rating="htt"))]


def _bk_bo_collective_misses(last: int):
    return [Miss("no_rating_first_year", f"years.{last - 1}.rating", at(last - 1, rating=DROP))]


spec(
    R,
    "bang_khen_bo",
    "74.3",
    lambda: _bk_bo_collective(Y22),
    _bk_bo_collective_fails(Y22),
    _bk_bo_collective_misses(Y22),
)


# ---- Orders and Bằng khen TTg: chains anchored on a prior award (NĐ 98/2023 Điều 30 k9, Điều 4 k3)
def chain(
    award: str,
    anchor_code: str,
    last: int,
    *,
    kind: str,
    rating: str,
    anchor_year: int | None = None,
    issuer: str | None = None,
    per_year: Callable[[int, dict], None] | None = None,
    **kw,
) -> Case:
    """Anchor in `anchor_year` (default last-5), then years up to `last` all rated `rating`."""
    first = anchor_year if anchor_year is not None else last - 5
    years = {}
    for y in range(first, last + 1):
        row = P(rating, ["ldtt"]) if kind == "individual" else C(rating)
        if per_year:
            per_year(y, row)
        years[y] = row
    a = prior(anchor_code, first, **({"issuer": issuer} if issuer else {}))
    years[first]["awards"] = [a]
    return case(award, last, years, kind=kind, **kw)


def chain_fails(last: int, *, rating_min: str, anchor_year: int | None = None, also_gap=()):
    first = anchor_year if anchor_year is not None else last - 5
    return [
        Fail("no_prior_award", "anchor", at(first, awards=[])),
        Fail("prior_award_one_off", "anchor", anchor(first, basis="dot_xuat")),
        Fail("prior_award_revoked", "anchor", anchor(first, revoked=True)),
        Fail("anchor_too_recent", "five_years", anchor(first, period=[first + 1, first + 1])),
        Fail(
            "rating_gap", "five_years", at(last - 2, rating=LOWER[RATING_RANK[rating_min] - 1]), also=also_gap
        ),
    ]


def chain_misses(last: int, anchor_year: int | None = None):
    first = anchor_year if anchor_year is not None else last - 5
    return [
        Miss("anchor_basis_unknown", f"years.{first}.awards", anchor(first, basis=DROP)),
        Miss("rating_unknown", f"years.{last - 2}.rating", at(last - 2, rating=DROP)),
    ]


def rating_min_of(regime: str, award: str, route: str) -> str:
    return param(regime, award, route, "five_years", "rating_min")


# Bằng khen TTg, Điều 73 k1 b: BK bộ (công trạng, counted issuer) + 5 years ≥ HTT + 3 CSTĐCS
def _cstd_in(years_with: tuple[int, ...]):
    def f(y: int, row: dict) -> None:
        if y in years_with:
            row["titles"].append("cstd_co_so")

    return f


def _bk_ttg_b(last: int) -> Case:
    return chain(
        "bang_khen_ttg",
        "bang_khen_bo",
        last,
        kind="individual",
        rating="htt",
        issuer="province",
        per_year=_cstd_in((last - 3, last - 1, last)),
    )


spec(
    R,
    "bang_khen_ttg",
    "73.1.b",
    lambda: _bk_ttg_b(Y22),
    [
        *chain_fails(Y22, rating_min="htt", also_gap=("three_cstd_co_so",)),
        Fail("prior_award_thematic", "anchor", anchor(Y22 - 5, basis="chuyen_de")),
        Fail("prior_award_provincial_org", "anchor", anchor(Y22 - 5, issuer="provincial_org")),
        Fail(
            "restarted_by_bang_khen_ttg",
            "five_years",
            at(Y22 - 3, awards=[prior("bang_khen_ttg", Y22 - 3)]),
            also=("three_cstd_co_so",),
        ),
        Fail("two_cstd_co_so", "three_cstd_co_so", untitle(Y22 - 3, "cstd_co_so")),
    ],
    [
        *chain_misses(Y22),
        Miss("no_award_records", f"years.{Y22}.awards", at(Y22 - 5, awards=DROP)),
        Miss(
            "anchor_basis_and_a_rating_unknown",
            f"years.{Y22 - 2}.rating",
            seq(anchor(Y22 - 5, basis=DROP), at(Y22 - 2, rating=DROP)),
        ),
    ],
)
spec(R, "bang_khen_ttg", "73.1.a", _judged("bang_khen_ttg", Y22))
spec(
    R,
    "bang_khen_ttg",
    "73.2",
    lambda: chain("bang_khen_ttg", "bang_khen_bo", Y22, kind="collective", rating="htxs", issuer="ministry"),
    [
        *chain_fails(Y22, rating_min="htxs"),
        Fail("prior_award_provincial_org", "anchor", anchor(Y22 - 5, issuer="provincial_org")),
    ],
    chain_misses(Y22),
)


# HCLĐ hạng Ba, Điều 44 k1 e: BK TTg + 5 years ≥ HTT, 1 HTXS, 3 CSTĐCS
def _hcld3_e(last: int) -> Case:
    def per_year(y: int, row: dict) -> None:
        _cstd_in((last - 3, last - 1, last))(y, row)
        if y == last - 2:
            row["rating"] = "htxs"

    return chain("hc_lao_dong_3", "bang_khen_ttg", last, kind="individual", rating="htt", per_year=per_year)


spec(
    R,
    "hc_lao_dong_3",
    "44.1.e",
    lambda: _hcld3_e(Y22),
    [
        *chain_fails(Y22, rating_min="htt")[:4],
        Fail("rating_gap", "five_years", at(Y22 - 1, rating="ht"), also=("one_htxs", "three_cstd_co_so")),
        Fail(
            "anchor_is_only_bang_khen_bo", "anchor", anchor(Y22 - 5, code="bang_khen_bo", issuer="ministry")
        ),
        Fail(
            "already_has_hcld3",
            "five_years",
            at(Y22 - 3, awards=[prior("hc_lao_dong_3", Y22 - 3)]),
            also=("three_cstd_co_so",),
        ),
        Fail("no_htxs_year", "one_htxs", at(Y22 - 2, rating="htt")),
        Fail("two_cstd_co_so", "three_cstd_co_so", untitle(Y22 - 3, "cstd_co_so")),
    ],
    [
        Miss("anchor_basis_unknown", f"years.{Y22 - 5}.awards", anchor(Y22 - 5, basis=DROP)),
        # the 2021 rating is unknown: the 3rd CSTĐCS (2021) may or may not fall within the streak
        Miss("rating_unknown", f"years.{Y22 - 3}.rating", at(Y22 - 3, rating=DROP)),
        Miss("titles_unknown", f"years.{Y22 - 3}.titles", at(Y22 - 3, titles=DROP)),
    ],
)
for _r in ("44.1.a", "44.1.g", "44.2"):
    spec(R, "hc_lao_dong_3", _r, _judged("hc_lao_dong_3", Y22))
spec(
    R,
    "hc_lao_dong_3",
    "44.3",
    lambda: chain("hc_lao_dong_3", "bang_khen_ttg", Y22, kind="collective", rating="htxs"),
    chain_fails(Y22, rating_min="htxs"),
    chain_misses(Y22),
)


# HCLĐ hạng Nhì, Điều 43 k1 (đ): HCLĐ3 + 5 years ≥ HTT, 2 HTXS, 1 CSTĐ bộ
def _hcld2_d(last: int) -> Case:
    def per_year(y: int, row: dict) -> None:
        if y in (last - 3, last - 1):
            row["rating"] = "htxs"
        if y == last - 1:
            row["titles"] += ["cstd_co_so", "cstd_bo"]

    return chain("hc_lao_dong_2", "hc_lao_dong_3", last, kind="individual", rating="htt", per_year=per_year)


spec(
    R,
    "hc_lao_dong_2",
    "43.1.đ",
    lambda: _hcld2_d(Y22),
    [
        *chain_fails(Y22, rating_min="htt")[:4],
        Fail("rating_gap", "five_years", at(Y22 - 2, rating="ht"), also=("two_htxs",)),
        Fail("one_htxs_year", "two_htxs", at(Y22 - 3, rating="htt")),
        Fail("no_cstd_bo", "one_cstd_bo", untitle(Y22 - 1, "cstd_bo")),
    ],
    [
        Miss("anchor_basis_unknown", f"years.{Y22 - 5}.awards", anchor(Y22 - 5, basis=DROP)),
        Miss("rating_unknown", f"years.{Y22 - 2}.rating", at(Y22 - 2, rating=DROP)),
    ],
)
spec(R, "hc_lao_dong_2", "43.1.a", _judged("hc_lao_dong_2", Y22))
spec(R, "hc_lao_dong_2", "43.2", _judged("hc_lao_dong_2", Y22))

# The orders whose other conditions are unread (docs/law.md §6.12): anchor + 5 years + judgment.
ORDER_ANCHOR = {
    "hc_lao_dong_2": "hc_lao_dong_3",
    "hc_lao_dong_1": "hc_lao_dong_2",
    "hc_doc_lap_3": "hc_lao_dong_1",
    "hc_doc_lap_2": "hc_doc_lap_3",
    "hc_doc_lap_1": "hc_doc_lap_2",
    "hc_ho_chi_minh": "hc_doc_lap_1",
    "hc_sao_vang": "hc_ho_chi_minh",
}
EST = "1990-01-01"  # a collective of 34 years in 2024 (≥ 30 for HC Độc lập hạng Ba)


def order_spec(regime: str, award: str, route: str, last: int) -> None:
    rt = route_of(regime, award, route)
    kind = rt.subject
    rmin = rating_min_of(regime, award, route)
    subj = {"established": EST} if kind == "collective" else {}
    fails = chain_fails(last, rating_min=rmin)
    misses = chain_misses(last)
    if any(c.id == "existence" for c in rt.criteria):
        fails.append(Fail("too_young", "existence", subject(established=f"{last - 20}-01-01")))
        misses.append(Miss("no_established", "subject.established", subject(established=DROP)))
    spec(
        regime,
        award,
        route,
        lambda: chain(award, ORDER_ANCHOR[award], last, kind=kind, rating=rmin, subject=dict(subj)),
        fails,
        misses,
    )


spec(
    R,
    "hc_lao_dong_2",
    "43.3",
    lambda: chain("hc_lao_dong_2", "hc_lao_dong_3", Y22, kind="collective", rating="htxs"),
    chain_fails(Y22, rating_min="htxs"),
    chain_misses(Y22),
)
for _code in (
    "hc_lao_dong_1",
    "hc_doc_lap_3",
    "hc_doc_lap_2",
    "hc_doc_lap_1",
    "hc_ho_chi_minh",
    "hc_sao_vang",
):
    for _rt in routes_of(R, _code):
        order_spec(R, _code, _rt.id, Y22)

spec(R, "anh_hung_lao_dong", "ahld", _judged("anh_hung_lao_dong", Y22))


# ---- Kỷ niệm chương, Điều 71 k2: years of service ≥ the agency's setting (unset by default: §6.21)
def _knc(year: int) -> Case:
    return case(
        "ky_niem_chuong",
        year,
        {year: P("htt")},
        subject={"joined": f"{year - 20}-09-01"},
        overrides={"ky_niem_chuong.min_service_years": 20},
    )


def _knc_fails(year: int):
    return [Fail("too_few_years", "service_years", subject(joined=f"{year - 19}-09-01"))]


def _knc_misses():
    return [Miss("no_joined", "subject.joined", subject(joined=DROP))]


spec(R, "ky_niem_chuong", "71", lambda: _knc(Y22), _knc_fails(Y22), _knc_misses())


# ================================================================ law-2013 (proposals before 01/01/2024)

R = "law-2013"
YL = 2016  # LĐTT under the old law: a year whose proposal (01/03/2017) falls in NĐ 65/2014's 40-day window

spec(
    R,
    "ldtt",
    "24.1",
    lambda: case("ldtt", YL, {YL: P("htt", leave=[])}),
    fails=[
        Fail("rating_too_low", "rating", at(YL, rating="ht")),
        Fail("under_10_months", "months_worked", at(YL, months_worked=9)),
        Fail("absent_45_working_days", "absence", at(YL, leave=[{"kind": "sick", "days": 45}])),
        Fail("reprimanded", "discipline", at(YL, discipline=[{"form": "khien_trach"}])),
        Fail(
            "admin_sanction_when_agency_adds_it",
            "admin_sanction",
            seq(setting("ldtt.exclude_admin_sanction", True), at(YL, discipline=[{"admin_sanction": True}])),
        ),
    ],
    misses=[
        Miss("no_rating", f"years.{YL}.rating", at(YL, rating=DROP)),
        Miss("no_months", f"years.{YL}.months_worked", at(YL, months_worked=DROP)),
        Miss("no_leave_record", f"years.{YL}.leave", at(YL, leave=DROP)),
        Miss("no_discipline_record", f"years.{YL}.discipline", at(YL, discipline=DROP)),
    ],
)
spec(
    R,
    "cstd_co_so",
    "23.sang_kien",
    lambda: case("cstd_co_so", Y13, {Y13: P("htxs", initiatives=[ini()])}),
    fails=[
        Fail("ldtt_not_met", "ldtt", at(Y13, months_worked=9)),
        Fail("htxs_without_initiative", "initiative", at(Y13, initiatives=[])),
    ],
    misses=[Miss("no_initiative_record", f"years.{Y13}.initiatives", at(Y13, initiatives=DROP))],
)
spec(R, "cstd_bo", "22", lambda: _cstd_bo(Y13), _cstd_bo_fails(Y13), _cstd_bo_misses(Y13))

# CSTĐ toàn quốc under the old law: proposed the year after the 2nd CSTĐ bộ (NĐ 91/2017 Điều 48 k1 a)
YQ = 2020
spec(
    R,
    "cstd_toan_quoc",
    "21",
    lambda: _cstd_tq(YQ),
    [
        *_cstd_tq_fails(YQ),
        Fail("proposed_too_late", "timing", propose("2023-06-01")),
    ],
    [Miss("no_initiative_record", f"years.{YQ}.initiatives", at(YQ, initiatives=DROP))],
)
spec(R, "tt_ldtt", "28", lambda: _tt_ldtt(Y13), _tt_ldtt_fails(Y13), _tt_misses(Y13, "ldtt"))
spec(
    R,
    "tt_ldxs",
    "27",
    lambda: _tt_ldxs(Y13),
    [*_tt_ldxs_fails(Y13), Fail("member_warned", "no_member_warning", members(Y13, disciplined=1))],
    _tt_misses(Y13, "cstd_co_so"),
)
spec(R, "co_thi_dua_bo", "26", _flag("co_thi_dua_bo", Y13), _flag_fails(Y13), _flag_misses(Y13))
spec(R, "co_thi_dua_cp", "25", _flag("co_thi_dua_cp", Y13), _flag_fails(Y13), _flag_misses(Y13))
spec(R, "giay_khen", "75", lambda: _giay_khen(Y13), _giay_khen_fails(Y13), _flag_misses(Y13))

# Bằng khen bộ under the old law: NĐ 91/2017 Điều 39 k1 b (2 years HTXS + 2 unit initiatives)
spec(
    R,
    "bang_khen_bo",
    "39.1.b",
    lambda: _bk_bo_d(Y13),
    [
        *_bk_bo_d_fails(Y13),
        # before 2024 a CSTĐCS always rested on an initiative (docs/law.md §1): no ground need be recorded
        Fail("old_cstd_co_so_consumed_initiative", "two_initiatives", entitle(Y13, "cstd_co_so")),
    ],
    _bk_bo_d_misses(Y13),
)
spec(R, "bang_khen_bo", "74.1.other", _judged("bang_khen_bo", Y13))
spec(
    R,
    "bang_khen_bo",
    "74.2",
    lambda: _bk_bo_collective(Y13),
    _bk_bo_collective_fails(Y13),
    _bk_bo_collective_misses(Y13),
)


# Bằng khen TTg under the old law: NĐ 91/2017 Điều 38 k1 c (BK bộ + 5 years HTXS + 5 unit initiatives)
def _bk_ttg_c(last: int) -> Case:
    def per_year(y: int, row: dict) -> None:
        row["initiatives"] = [ini()] if y > last - 5 else []

    return chain(
        "bang_khen_ttg",
        "bang_khen_bo",
        last,
        kind="individual",
        rating="htxs",
        issuer="ministry",
        per_year=per_year,
    )


spec(
    R,
    "bang_khen_ttg",
    "38.1.c",
    lambda: _bk_ttg_c(Y13),
    [
        *chain_fails(Y13, rating_min="htxs"),
        Fail("four_initiatives", "five_initiatives", at(Y13 - 2, initiatives=[])),
        Fail(
            "initiative_used_for_bang_khen_bo",
            "five_initiatives",
            at(Y13 - 2, initiatives=[ini(used_for="bang_khen_bo")]),
        ),
    ],
    [
        *chain_misses(Y13),
        Miss("no_initiative_record", f"years.{Y13 - 2}.initiatives", at(Y13 - 2, initiatives=DROP)),
    ],
)
spec(R, "bang_khen_ttg", "38.1.a", _judged("bang_khen_ttg", Y13))
spec(R, "bang_khen_ttg", "38.1.b", _judged("bang_khen_ttg", Y13))
spec(
    R,
    "bang_khen_ttg",
    "38.2",
    lambda: chain("bang_khen_ttg", "bang_khen_bo", Y13, kind="collective", rating="htxs", issuer="ministry"),
    chain_fails(Y13, rating_min="htxs"),
    chain_misses(Y13),
)


# HCLĐ hạng Ba under the old law: NĐ 91/2017 Điều 24 k1 a (BK TTg + 5 years HTXS + 2 bộ initiatives)
def _hcld3_91(last: int) -> Case:
    def per_year(y: int, row: dict) -> None:
        row["initiatives"] = [ini("bo")] if y in (last - 3, last - 1) else []

    return chain("hc_lao_dong_3", "bang_khen_ttg", last, kind="individual", rating="htxs", per_year=per_year)


spec(
    R,
    "hc_lao_dong_3",
    "nd91.24.1.a",
    lambda: _hcld3_91(Y13),
    [
        *chain_fails(Y13, rating_min="htxs"),
        Fail("one_initiative_bo", "two_initiatives_bo", at(Y13 - 3, initiatives=[])),
    ],
    [
        *chain_misses(Y13),
        Miss("no_initiative_record", f"years.{Y13 - 1}.initiatives", at(Y13 - 1, initiatives=DROP)),
    ],
)
spec(R, "hc_lao_dong_3", "44.1.other", _judged("hc_lao_dong_3", Y13))
spec(
    R,
    "hc_lao_dong_3",
    "44.3",
    lambda: chain("hc_lao_dong_3", "bang_khen_ttg", Y13, kind="collective", rating="htxs"),
    chain_fails(Y13, rating_min="htxs"),
    chain_misses(Y13),
)
for _code in (
    "hc_lao_dong_2",
    "hc_lao_dong_1",
    "hc_doc_lap_3",
    "hc_doc_lap_2",
    "hc_doc_lap_1",
    "hc_ho_chi_minh",
    "hc_sao_vang",
):
    for _rt in routes_of(R, _code):
        order_spec(R, _code, _rt.id, Y13)
spec(R, "anh_hung_lao_dong", "ahld", _judged("anh_hung_lao_dong", Y13))
spec(R, "ky_niem_chuong", "71", lambda: _knc(Y13), _knc_fails(Y13), _knc_misses())


# ================================================================ the matrix


def _label(s: Spec) -> str:
    """`ldtt-2022`, or `bang_khen_bo-2022-74.1.d` when the award has several routes in that regime."""
    head = f"{s.award}-{s.regime.split('-')[1]}"
    return head if len(routes_of(s.regime, s.award)) == 1 else f"{head}-{s.route}"


BASES = [pytest.param(s, id=_label(s)) for s in SPECS.values()]
FAILS = [pytest.param(s, f, id=f"{_label(s)}-{f.name}") for s in SPECS.values() for f in s.fails]
MISSES = [pytest.param(s, m, id=f"{_label(s)}-{m.name}") for s in SPECS.values() for m in s.misses]


def _reasons(v, s: Spec) -> dict[str, Any]:
    prefix = f"{s.award}.{s.route}."
    return {r.rule[len(prefix) :]: r for r in v.reasons if r.rule.startswith(prefix)}


def _build(s: Spec, change: Change | None = None) -> Case:
    c = copy.deepcopy(s.base())
    if change is not None:
        change(c)
    return c


@pytest.mark.parametrize("s", BASES)
def test_base_case(s: Spec):
    """Eligible on facts; or, where the route needs a judgment, every factual criterion met and only the
    judgment (`met: None`, naming what must be recorded) missing."""
    c = _build(s)
    v = c.run(s.route)
    assert v.regime == s.regime
    reasons = _reasons(v, s)
    judged = judgment_ids(s.regime, s.award, s.route)
    factual = {k: r for k, r in reasons.items() if k not in judged}
    assert all(r.met is True for r in factual.values()), factual
    if not judged:
        assert v.verdict == "eligible", reasons
        assert v.missing == []
        # the whole award (every route) is eligible on the same facts
        assert c.run().verdict == "eligible"
        return
    assert v.verdict == "not_eligible" and v.missing == []
    for cid in judged:
        r = reasons[cid]
        what = param(s.regime, s.award, s.route, cid, "what")
        assert r.met is None and r.detail == f"Cần {what}: hồ sơ chưa ghi nhận", r
        assert r.cite


@pytest.mark.parametrize("s, fail", FAILS)
def test_one_criterion_fails(s: Spec, fail: Fail):
    """Identical to the base case except for one criterion, which is the reason (`met: False`)."""
    v = _build(s, fail.change).run(s.route)
    assert v.regime == s.regime
    assert v.verdict == "not_eligible", v.reasons
    reasons = _reasons(v, s)
    assert reasons[fail.criterion].met is False, reasons
    assert "Điều" in reasons[fail.criterion].cite or "cài đặt" in reasons[fail.criterion].cite
    # every other factual criterion still holds: the case proves *why*
    judged = judgment_ids(s.regime, s.award, s.route)
    others = {
        k: r.met for k, r in reasons.items() if k not in judged and k != fail.criterion and k not in fail.also
    }
    assert all(m is True for m in others.values()), others
    for k in fail.also:
        assert reasons[k].met is False, reasons


@pytest.mark.parametrize("s, miss", MISSES)
def test_missing_fact_is_undetermined(s: Spec, miss: Miss):
    v = _build(s, miss.change).run(s.route)
    assert v.regime == s.regime
    assert v.verdict == "undetermined", v.reasons
    assert miss.field in v.missing, v.missing
    assert not any(r.met is False for r in v.reasons), v.reasons


def test_every_route_and_criterion_has_a_case():
    """A new award, route or criterion in the YAML must get its cases here."""
    gaps: list[str] = []
    for regime in REGIMES:
        for code in AWARD_CODES:
            for rt in routes_of(regime, code):
                s = SPECS.get((regime, code, rt.id))
                if s is None:
                    gaps.append(f"{regime} {code} {rt.id}: no base case")
                    continue
                failing = {f.criterion for f in s.fails}
                factual = [c.id for c in rt.criteria if c.kind != "judgment"]
                for cid in factual:
                    if cid not in failing:
                        gaps.append(f"{regime} {code} {rt.id}.{cid}: no failing case")
                if factual and not s.misses:
                    gaps.append(f"{regime} {code} {rt.id}: no missing-fact case")
                unknown = failing - {c.id for c in rt.criteria}
                if unknown:
                    gaps.append(f"{regime} {code} {rt.id}: cases for unknown criteria {sorted(unknown)}")
    stale = [k for k in SPECS if all(r.id != k[2] for r in routes_of(k[0], k[1]))]
    assert not gaps and not stale, "\n".join(gaps + [f"stale spec {k}" for k in stale])


# ================================================================ documented behaviours beside the matrix


def test_collective_of_a_both_award_is_judged_on_its_own_routes():
    """Giấy khen and Anh hùng Lao động are for individuals and collectives alike."""
    v = case("giay_khen", Y22, {Y22: C("htt")}, kind="collective").run()
    assert v.verdict == "eligible"
    v = case("anh_hung_lao_dong", Y22, {Y22: C("htxs")}, kind="collective").run()
    assert v.verdict == "not_eligible" and v.reasons[0].met is None


def test_an_individual_cannot_get_a_collective_title():
    v = case("tt_ldxs", Y22, {Y22: P("htxs")}).run()
    assert v.verdict == "not_eligible"
    assert v.reasons[0].rule == "tt_ldxs.subject" and v.reasons[0].met is False


def test_tt_ldtt_discipline_condition_skipped_when_not_recorded():
    """docs/law.md §3: no member cảnh cáo+ is checked *when `members.disciplined` is given*."""
    c = _tt_ldtt(Y22)
    members(Y22, disciplined=DROP)(c)
    v = c.run()
    assert v.verdict == "eligible"
    assert not any(r.rule.endswith("no_member_warning") for r in v.reasons)


def test_tt_ldtt_more_than_half_is_enough():
    c = _tt_ldtt(Y22)
    members(Y22, total=11, ldtt=6)(c)
    assert c.run().verdict == "eligible"


def test_ldtt_maternity_leave_counts_as_time_worked():
    c = case("ldtt", Y22, {Y22: P("htt", months_worked=4, leave=[{"kind": "maternity", "days": 180}])})
    assert c.run().verdict == "eligible"


def test_ky_niem_chuong_unconfigured_is_not_eligible_with_a_null_reason():
    """docs/law.md §6.21: without the agency's number of years the criterion cannot be met."""
    c = _knc(Y22)
    c.overrides = None
    v = c.run()
    assert v.verdict == "not_eligible" and v.missing == []
    assert v.reasons[0].met is None and "chưa cấu hình" in v.reasons[0].detail


def test_cstd_bo_initiative_recognised_only_in_the_unit_needs_the_ministry():
    """Luật 2022 Điều 22: the head of the ministry or province recognises the scope; a unit-level
    recognition is a judgment not yet made (`met: None`), not a fact that fails (QA case 017)."""
    c = _cstd_bo(Y22)
    at(Y22, initiatives=[ini("co_so")])(c)
    v = c.run()
    assert v.verdict == "not_eligible"
    r = _reasons(v, SPECS[("law-2022", "cstd_bo", "22")])["initiative_bo"]
    assert r.met is None and "bộ, ban, ngành, tỉnh" in r.detail


def test_hcld3_collective_anchored_on_co_thi_dua_cp_recorded_as_a_title():
    """Luật 2022 Điều 44 (collectives, docs/law.md §4): Cờ thi đua của Chính phủ anchors the chain. It is an
    emulation title, so the case format and the register record it under `titles`, not `awards`."""
    c = chain("hc_lao_dong_3", "bang_khen_ttg", Y22, kind="collective", rating="htxs")
    at(Y22 - 5, awards=[], titles=["co_thi_dua_cp"])(c)
    v = c.run(route="44.3")
    reasons = _reasons(v, SPECS[("law-2022", "hc_lao_dong_3", "44.3")])
    assert reasons["anchor"].met is True and reasons["five_years"].met is True
    assert "Cờ thi đua của Chính phủ" in reasons["anchor"].detail
    # a Cờ of the asked year itself is not a prior award
    at(Y22 - 5, titles=[])(c)
    at(Y22, titles=["co_thi_dua_cp"], awards=[])(c)
    v = c.run(route="44.3")
    assert _reasons(v, SPECS[("law-2022", "hc_lao_dong_3", "44.3")])["anchor"].met is False


def test_chain_counted_from_the_period_of_the_prior_decision():
    """NĐ 98/2023 Điều 30 k9: a BK bộ decided in 2021 for 2018–2019 counts from 2020."""
    c = _bk_ttg_b(Y22)
    anchor(Y22 - 5, period=[Y22 - 6, Y22 - 5], decided_on=f"{Y22 - 3}-04-01")(c)
    assert c.run(route="73.1.b").verdict == "eligible"


# ================================================================ the transition 2023 → 2024


def test_transition_regime_follows_the_proposal_date():
    """Luật 2022 Điều 94: proposals from 01/01/2024 under the new law, even for 2023 achievements."""
    c = case("ldtt", 2023, {2023: P("htt", months_worked=8)})
    assert c.run().regime == "law-2022"  # default proposal 01/03/2024
    propose("2023-12-31")(c)
    v = c.run()
    assert v.regime == "law-2013" and v.verdict == "not_eligible"  # 10 months under NĐ 91/2017
    assert _reasons(v, SPECS[("law-2013", "ldtt", "24.1")])["months_worked"].met is False
    propose("2024-01-01")(c)
    v = c.run()
    assert v.regime == "law-2022" and v.verdict == "eligible"  # 6 months, TT 01/2024


def test_transition_cstd_co_so_2023_on_htxs_alone():
    """2023 HTXS without an initiative: CSTĐCS only when proposed under the 2022 law (Điều 23)."""
    c = case("cstd_co_so", 2023, {2023: P("htxs", initiatives=[])})
    propose("2023-12-20")(c)
    v = c.run()
    assert v.regime == "law-2013" and v.verdict == "not_eligible"
    assert _reasons(v, SPECS[("law-2013", "cstd_co_so", "23.sang_kien")])["initiative"].met is False
    propose("2024-01-15")(c)
    v = c.run()
    assert v.regime == "law-2022" and v.verdict == "eligible"
    assert _reasons(v, SPECS[("law-2022", "cstd_co_so", "23.htxs")])["rating_htxs"].met is True


def test_transition_cstd_bo_2024_on_cstd_co_so_2022_2023_of_the_old_law():
    """Luật 2022 Điều 95: CSTĐCS 2022, 2023 (old law) + 2024 → CSTĐ bộ 2024; a bộ initiative of 2023
    counts."""
    c = _cstd_bo(2024)
    at(2024, initiatives=[])(c)
    at(2023, initiatives=[ini("bo")])(c)
    v = c.run()
    assert v.regime == "law-2022" and v.verdict == "eligible"
    r = _reasons(v, SPECS[("law-2022", "cstd_bo", "22")])["three_cstd_co_so"]
    assert "2022, 2023, 2024" in r.detail
    # the same chain ending in 2023, proposed in 2023: the old law (CSTĐCS 2021–2023)
    old = _cstd_bo(2023)
    propose("2023-11-30")(old)
    v = old.run()
    assert v.regime == "law-2013" and v.verdict == "eligible"
    # proposed in 2024 for 2023 achievements: the new law, same chain
    propose("2024-02-01")(old)
    assert old.run().regime == "law-2022" and old.run().verdict == "eligible"


def test_transition_bang_khen_bo_2024_old_cstd_co_so_consumed_its_initiative():
    """74.1.d across 2023/2024: a 2023 CSTĐCS (old law) rested on an initiative, consumed (docs/law.md §1)."""
    years = {
        2023: P("htt", ["ldtt", "cstd_co_so"], initiatives=[ini()]),
        2024: P("htt", ["ldtt", {"code": "cstd_co_so", "ground": "htxs"}], initiatives=[ini(), ini()]),
    }
    years[2024]["rating"] = "htxs"
    c = case("bang_khen_bo", 2024, years)
    v = c.run(route="74.1.d")
    assert v.regime == "law-2022" and v.verdict == "eligible"
    at(2024, initiatives=[ini()])(c)
    v = c.run(route="74.1.d")
    assert v.verdict == "not_eligible"
    assert _reasons(v, SPECS[("law-2022", "bang_khen_bo", "74.1.d")])["two_initiatives"].met is False


def test_transition_bang_khen_ttg_anchor_given_under_the_old_law():
    """A BK bộ decided in 2023 for 2022–2023 (old law) anchors 73.1.b: counted from 2024 (Điều 95)."""
    years = {
        y: P("htt", ["ldtt"] + (["cstd_co_so"] if y in (2024, 2026, 2028) else [])) for y in range(2023, 2029)
    }
    years[2023]["awards"] = [prior("bang_khen_bo", 2022, 2023, issuer="province", decided_on="2023-06-01")]
    c = case("bang_khen_ttg", 2028, years)
    v = c.run(route="73.1.b")
    assert v.regime == "law-2022" and v.verdict == "eligible"
    # one year short if asked for 2027
    c.year = 2027
    v = c.run(route="73.1.b")
    assert _reasons(v, SPECS[("law-2022", "bang_khen_ttg", "73.1.b")])["five_years"].met is False


def test_transition_hcld3_2024_chain_of_old_and_new_years():
    """HCLĐ hạng Ba 2024: BK TTg 2019 and CSTĐCS 2021, 2023 under the old law, 2024 under the new one."""
    v = _hcld3_e(2024).run()
    assert v.regime == "law-2022" and v.verdict == "eligible"
    # proposed in 2023 for 2023: the old law's route (NĐ 91/2017 Điều 24: 5 years HTXS, 2 bộ initiatives)
    c = _hcld3_e(2023)
    propose("2023-10-01")(c)
    v = c.run()
    assert v.regime == "law-2013" and v.verdict == "not_eligible"
    old = _reasons(v, SPECS[("law-2013", "hc_lao_dong_3", "nd91.24.1.a")])
    assert old["anchor"].met is True and old["five_years"].met is False  # HTT years do not count there


def test_transition_cstd_toan_quoc_timing_only_under_the_old_law():
    """NĐ 91/2017 Điều 48 k1 a (proposed the year after the 2nd CSTĐ bộ) is not applied under law-2022
    (docs/law.md §6.10)."""
    c = _cstd_tq(2020)  # 2nd CSTĐ bộ for 2020, decided in 2021 at the latest: proposed by 2022
    propose("2023-06-01")(c)
    v = c.run()
    assert v.regime == "law-2013" and v.verdict == "not_eligible"
    assert _reasons(v, SPECS[("law-2013", "cstd_toan_quoc", "21")])["timing"].met is False
    propose("2024-06-01")(c)
    v = c.run()
    assert v.regime == "law-2022" and v.verdict == "eligible"
    assert not any(r.rule.endswith(".timing") for r in v.reasons)


def test_transition_proposal_in_2023_for_a_2023_bang_khen_bo_uses_the_old_route():
    c = _bk_bo_d(2023)
    propose("2023-12-01")(c)
    v = c.run()
    assert v.regime == "law-2013" and v.verdict == "eligible"
    assert any(r.rule.startswith("bang_khen_bo.39.1.b.") for r in v.reasons)
    propose("2024-01-02")(c)
    v = c.run()
    assert v.regime == "law-2022" and v.verdict == "eligible"
    assert any(r.rule.startswith("bang_khen_bo.74.1.d.") for r in v.reasons)


def test_transition_cstd_co_so_of_2023_decided_in_2024_without_its_ground():
    """A 2023 CSTĐCS decided in January 2024 may have been proposed under Luật 2022 (Điều 94) and rest on HTXS
    alone: without its ground, whether it consumed the 2023 initiative is unknown (docs/law.md §1, §2)."""
    years = {
        2023: P("htxs", ["ldtt", {"code": "cstd_co_so", "decided_on": "2024-01-20"}], initiatives=[ini()]),
        2024: P("htxs", ["ldtt", {"code": "cstd_co_so", "ground": "htxs"}], initiatives=[ini()]),
    }
    c = case("bang_khen_bo", 2024, years)
    v = c.run(route="74.1.d")
    assert v.verdict == "undetermined" and "years.2023.titles" in v.missing
    c.years["2023"]["titles"][1]["ground"] = "htxs"
    assert c.run(route="74.1.d").verdict == "eligible"
    c.years["2023"]["titles"][1]["ground"] = "initiative"
    assert c.run(route="74.1.d").verdict == "not_eligible"
    # decided in 2023: the old law's CSTĐCS rested on its initiative
    c.years["2023"]["titles"][1] = {"code": "cstd_co_so", "decided_on": "2023-12-20"}
    v = c.run(route="74.1.d")
    assert v.verdict == "not_eligible"
    assert _reasons(v, SPECS[("law-2022", "bang_khen_bo", "74.1.d")])["two_initiatives"].met is False
