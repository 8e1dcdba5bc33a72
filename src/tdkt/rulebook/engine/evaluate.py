"""evaluate(facts, award, year) → Verdict with one reason per criterion, pending steps and a forecast."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from .codes import AWARD_SET
from .facts import SubjectFacts
from .loader import Regime, Rulebooks, load_rulebooks

NEW_LAW_FROM_YEAR = 2024  # Luật 06/2022/QH15 in force from 01/01/2024 (Điều 94)


class EngineError(ValueError):
    """The question itself is wrong (unknown award code, …)."""


class Reason:
    __slots__ = ("rule", "met", "detail", "cite")

    def __init__(self, rule: str, met: bool | None, detail: str, cite: str):
        self.rule, self.met, self.detail, self.cite = rule, met, detail, cite

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "met": self.met, "detail": self.detail, "cite": self.cite}

    def __repr__(self) -> str:
        return f"Reason({self.rule!r}, {self.met!r}, {self.detail!r})"


class Verdict:
    __slots__ = (
        "award",
        "year",
        "regime",
        "verdict",
        "reasons",
        "missing",
        "pending",
        "_forecast",
        "_fc_args",
    )

    def __init__(self, award, year, regime, verdict, reasons, missing, pending, fc_args):
        self.award: str = award
        self.year: int = year
        self.regime: str = regime
        self.verdict: str = verdict
        self.reasons: list[Reason] = reasons
        self.missing: list[str] = missing
        self.pending: tuple[dict[str, str], ...] = pending
        self._forecast: Any = _UNSET
        self._fc_args = fc_args

    @property
    def eligible(self) -> bool:
        return self.verdict == "eligible"

    @property
    def forecast(self) -> dict[str, Any] | None:
        """Computed on first access: batch runs that do not show it do not pay for it."""
        if self._forecast is _UNSET:
            if self.verdict != "not_eligible" or self._fc_args is None:
                self._forecast = None
            else:
                from .forecast import forecast

                self._forecast = forecast(*self._fc_args)
        return self._forecast

    def to_dict(self) -> dict[str, Any]:
        return {
            "award": self.award,
            "year": self.year,
            "regime": self.regime,
            "verdict": self.verdict,
            "reasons": [r.to_dict() for r in self.reasons],
            "missing": list(self.missing),
            "pending": [dict(p) for p in self.pending],
            "forecast": self.forecast,
        }


_UNSET = object()


class Ctx:
    """What a predicate sees: the facts, the asked year, and a per-route scratch cache."""

    __slots__ = (
        "facts",
        "year",
        "award",
        "route_cache",
        "rules_new_law_from",
        "_sub",
        "_day",
        "_overrides",
        "_books",
    )

    def __init__(self, facts, year, award, day, overrides, books):
        self.facts: SubjectFacts = facts
        self.year: int = year
        self.award: str = award
        self.route_cache: dict[Any, Any] = {}
        self.rules_new_law_from = NEW_LAW_FROM_YEAR
        self._sub: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._day = day
        self._overrides = overrides
        self._books = books

    def sub(self, code: str) -> tuple[str, tuple[str, ...]]:
        """Verdict of another award for the same subject and year (e.g. LĐTT inside CSTĐCS)."""
        hit = self._sub.get(code)
        if hit is None:
            v = _run(self._books, self.facts, code, self.year, self._day, None, self._overrides, False)
            hit = (v.verdict, tuple(v.missing))
            self._sub[code] = hit
        return hit


def default_proposal_date(year: int) -> date:
    return date(year + 1, 3, 1)


def evaluate(
    facts: SubjectFacts,
    award_code: str,
    year: int,
    *,
    proposed_on: date | None = None,
    route: str | None = None,
    overrides: dict[str, Any] | None = None,
    rulebooks: Rulebooks | None = None,
) -> Verdict:
    if award_code not in AWARD_SET:
        raise EngineError(f"Mã danh hiệu, hình thức khen thưởng không hợp lệ: {award_code}")
    books = rulebooks or load_rulebooks()
    day = proposed_on or default_proposal_date(year)
    if route is not None:
        award = books.regime_for(day).awards[award_code]
        if all(r.id != route for r in award.routes):
            known = ", ".join(r.id for r in award.routes)
            raise EngineError(f"Điểm '{route}' không có trong tiêu chuẩn {award_code} (có: {known})")
    return _run(books, facts, award_code, year, day, route, overrides, True)


def evaluate_many(
    facts: SubjectFacts,
    codes: Iterable[str],
    year: int,
    *,
    proposed_on: date | None = None,
    overrides: dict[str, Any] | None = None,
    rulebooks: Rulebooks | None = None,
) -> dict[str, Verdict]:
    """All `codes` for one subject; codes for the other kind of subject are skipped."""
    books = rulebooks or load_rulebooks()
    day = proposed_on or default_proposal_date(year)
    regime = books.regime_for(day)
    out: dict[str, Verdict] = {}
    kind = facts.kind
    for code in codes:
        subj = regime.awards[code].subject
        if subj != "both" and subj != kind:
            continue
        out[code] = _run(books, facts, code, year, day, None, overrides, True, regime)
    return out


def _run(books, facts, code, year, day, only_route, overrides, with_forecast, regime: Regime | None = None):
    regime = regime or books.regime_for(day)
    routes, pending, _award = regime.bind(code, day, overrides)
    ctx = Ctx(facts, year, code, day, overrides, books)
    kind = facts.kind
    reasons: list[Reason] = []
    any_ok = False
    undetermined_missing: list[str] = []
    examined = 0
    for route_id, subject, criteria in routes:
        if only_route is not None and route_id != only_route:
            continue
        if subject != "both" and subject != kind:
            continue
        examined += 1
        ctx.route_cache = {}
        ok = True
        failed = False
        route_missing: list[str] = []
        for rule, fn, params, cite, _kind in criteria:
            met, detail, missing = fn(ctx, params)
            if missing and missing[0] == "__skip__":
                continue
            reasons.append(Reason(rule, met, detail, cite))
            if met is not True:
                ok = False
                if met is False:
                    failed = True
                elif missing:
                    route_missing.extend(missing)
        if ok:
            any_ok = True
        elif not failed and route_missing:
            undetermined_missing.extend(route_missing)
    if examined == 0:
        who = "cá nhân" if kind == "individual" else "tập thể"
        msg = f"Không có tiêu chuẩn nào áp dụng cho {who}"
        if only_route:
            msg += f" theo điểm {only_route}"
        reasons.append(Reason(f"{code}.subject", False, msg, regime.awards[code].definition.cite))
    if any_ok:
        verdict, missing_out = "eligible", []
    elif undetermined_missing:
        verdict, missing_out = "undetermined", list(dict.fromkeys(undetermined_missing))
    else:
        verdict, missing_out = "not_eligible", []
    fc_args = (books, facts, code, year, day, only_route, overrides) if with_forecast else None
    return Verdict(code, year, regime.code, verdict, reasons, missing_out, pending, fc_args)
