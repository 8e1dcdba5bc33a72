"""Collectives of the demo units: their yearly ratings and collective titles."""

from __future__ import annotations

from collections import defaultdict

from tdkt.core.text import fold
from tdkt.demo.catalogue import AWARD_YEARS, MINISTRY_ABBR, MINISTRY_NAME, TEAMS, YEARS
from tdkt.demo.draws import COLLECTIVE_RATINGS
from tdkt.demo.history import Context, Facts, decision_of
from tdkt.demo.units import UnitSpec
from tdkt.org.enums import (
    AwardBasis,
    AwardCode,
    CollectiveKind,
    IssuerLevel,
    Rating,
    UnitKind,
)
from tdkt.org.models import Collective


def build_collectives(
    ctx: Context, units: list[UnitSpec], chunk: list[Facts]
) -> list[tuple[Collective, dict]]:
    """The unit's own collective for every unit, some teams, each with ratings and awards per year."""
    rng = ctx.rng
    evaluated: dict[tuple[str, int], int] = defaultdict(int)
    for f in chunk:
        for year, unit in f.eval_unit.items():
            evaluated[(unit.code, year)] += 1
            if unit.parent is not None and unit.parent.parent is not None:
                evaluated[(unit.parent.code, year)] += 1
    result = []
    for unit in units:
        top = unit.top
        label = unit.name if unit.kind != UnitKind.SUBUNIT else f"{unit.name} – {top.name}"
        subjects = [(CollectiveKind.UNIT, f"TT-{unit.code}", label, None)]
        if unit.kind != UnitKind.SUBUNIT and unit.active_to is None:
            for k, team in enumerate(TEAMS.get(unit.family, []), start=1):
                if rng.random() < 0.6:
                    subjects.append(
                        (
                            CollectiveKind.TEAM,
                            f"TT-{unit.code}-N{k}",
                            f"{team} – {unit.name}",
                            rng.randint(6, 20),
                        )
                    )
        for kind, code, name, size in subjects:
            collective = Collective(
                unit_id=unit.obj.pk,
                kind=kind,
                code=code,
                name=name,
                established=unit.active_from,
                active=unit.active_to is None,
                search_text=fold(f"{name} {code}"),
            )
            history: dict = {"ratings": {}, "members": {}, "awards": []}
            for year in YEARS:
                if unit.active_to is not None and year > unit.active_to.year - 1:
                    continue
                winner = code == f"TT-{unit.code}" and unit.code in ctx.bloc_winners.get(year, ())
                rating = Rating.HTXS if winner else COLLECTIVE_RATINGS.pick(rng)
                history["ratings"][year] = rating
                history["members"][year] = size or max(evaluated.get((unit.code, year), 0), 1)
                if year not in AWARD_YEARS or rating not in (Rating.HTXS, Rating.HTT):
                    continue
                if not winner and rng.random() > 0.9:
                    continue
                is_top = unit.kind != UnitKind.SUBUNIT and kind == CollectiveKind.UNIT
                history["awards"].append(
                    collective_award(ctx, top, unit, AwardCode.TT_LDTT, year, ministry=is_top)
                )
                if rating == Rating.HTXS and (winner or rng.random() < 0.5):
                    history["awards"].append(collective_award(ctx, top, unit, AwardCode.TT_LDXS, year))
                    if is_top and (winner or (unit.kind != UnitKind.PROVINCIAL and rng.random() < 0.25)):
                        history["awards"].append(
                            collective_award(ctx, top, unit, AwardCode.CO_THI_DUA_BO, year)
                        )
            result.append((collective, history))
    return result


def collective_award(
    ctx: Context, top: UnitSpec, unit: UnitSpec, code: str, year: int, ministry: bool = True
) -> dict:
    if ministry or code != AwardCode.TT_LDTT:
        number, day = decision_of(ctx, MINISTRY_ABBR, code, year, 2, 4)
        return {
            "code": code,
            "first": year,
            "last": year,
            "number": f"{number}/QĐ-{MINISTRY_ABBR}",
            "date": day,
            "signer": ctx.minister,
            "basis": AwardBasis.CONG_TRANG,
            "issuer_level": IssuerLevel.MINISTRY,
            "issuer_name": MINISTRY_NAME,
            "ground": "",
            "unit": unit,
        }
    number, day = decision_of(ctx, top.code, code, year)
    return {
        "code": code,
        "first": year,
        "last": year,
        "number": f"{number}/QĐ-{top.abbr}",
        "date": day,
        "signer": top.head_full_name,
        "basis": AwardBasis.CONG_TRANG,
        "issuer_level": IssuerLevel.UNIT,
        "issuer_name": top.name,
        "ground": "",
        "unit": unit,
    }
