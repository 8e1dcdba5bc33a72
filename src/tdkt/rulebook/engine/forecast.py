"""Earliest achievement year the subject could qualify, if every year from now goes as needed."""

from __future__ import annotations

from datetime import date
from typing import Any

from .facts import Initiative, Members, SubjectFacts, Title, YearFacts

HORIZON = 12


def _hypothetical_year(assume: dict[str, Any], template: YearFacts | None) -> YearFacts:
    members = None
    if "members" in assume:
        total = template.members.total if template and template.members and template.members.total else 10
        m = assume["members"]
        members = Members(
            total=total,
            completing=total,
            ldtt=total if m.get("ldtt", True) else 0,
            cstd_co_so=max(1, int(m.get("cstd_co_so", 1))),
            disciplined=0,
        )
    return YearFacts(
        rating=assume.get("rating", "htt"),
        months_worked=12,
        leave=(),
        discipline=(),
        titles=tuple(Title(code=c, ground=assume.get("ground")) for c in assume.get("titles", ())),
        awards=(),
        initiatives=tuple(
            Initiative(kind="initiative", scope=i.get("scope", "co_so"), recognised=True)
            for i in assume.get("initiatives", ())
        ),
        registered=tuple(assume.get("titles", ())),
        members=members,
    )


def forecast(books, facts: SubjectFacts, code: str, year: int, day: date, route, overrides) -> dict[str, Any]:
    from .evaluate import _run

    regime = books.regime_for(day)
    award = regime.awards[code]
    assume = award.forecast_assume
    template = facts.years.get(year)
    hypo = _hypothetical_year(assume, template)
    known = {y: f for y, f in facts.years.items() if y <= year}
    for target in range(year + 1, year + HORIZON + 1):
        years = dict(known)
        for y in range(year + 1, target + 1):
            years[y] = hypo
        trial = SubjectFacts(
            kind=facts.kind,
            name=facts.name,
            employment=facts.employment,
            direct_worker=facts.direct_worker,
            leader=facts.leader,
            joined=facts.joined,
            established=facts.established,
            years=years,
        )
        target_day = (
            date(target + (day.year - year), day.month, day.day)
            if day.month != 2 or day.day != 29
            else date(target + 1, 3, 1)
        )
        v = _run(books, trial, code, target, target_day, route, overrides, False)
        if v.verdict == "eligible":
            return {"year": target, "assumed": f"Từ năm {year + 1}: {award.forecast_text}"}
    return {
        "year": None,
        "assumed": f"Từ năm {year + 1}: {award.forecast_text}",
        "detail": "Không thể đạt chỉ nhờ kết quả các năm tới: cần điều kiện khác (khen thưởng trước đó, "
        "thành tích được công nhận hoặc quyết định của cấp có thẩm quyền)",
    }
