"""The checklist of a dossier, from the rulebook: the papers each nomination's form requires (its own
`dossier_components`, or the regime's `dossier_defaults` when it names none), merged by code — one
tờ trình for the dossier, one báo cáo thành tích per nominee — with the article each comes from."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from tdkt.dossiers.enums import ComponentStatus
from tdkt.dossiers.models import Component, Dossier, Nomination
from tdkt.rulebook import services as rulebook


@dataclass(frozen=True)
class Paper:
    code: str
    name: str
    cite: str
    template: str
    generated: bool
    required: bool
    per: str  # dossier | nomination
    stage: str  # unit | ministry
    applies_to: str  # individual | collective | both


def papers_of(award_code: str, year: int, *, simplified: bool = False) -> list[Paper]:
    """The papers a nomination for `award_code` needs: its form's own list, or the regime's defaults;
    under the simplified procedure the regime's shorter list, whatever the form."""
    regime = rulebook.regime_for_year(year)
    award = regime.awards.get(award_code)
    listed = list(award.definition.dossier_components) if award is not None else []
    if simplified:
        source = list(regime.model.dossier_simplified) or listed or list(regime.model.dossier_defaults)
    else:
        source = listed or list(regime.model.dossier_defaults)
    return [
        Paper(
            code=c.code,
            name=c.name_vi,
            cite=rulebook.rulebook_text(c.cite),
            template=c.template or "",
            generated=c.generated,
            required=c.required,
            per=c.per,
            stage=c.stage,
            applies_to=c.applies_to,
        )
        for c in source
    ]


def _applies(paper: Paper, nomination: Nomination) -> bool:
    kind = "individual" if nomination.person_id else "collective"
    return paper.applies_to in ("both", kind)


def sync_components(dossier: Dossier, *, stage: str = "unit") -> int:
    """Make the checklist match the nominations: add the papers now required, drop the ones no longer
    required that hold no file (a paper with a file stays, shown as not required). Returns the count of
    papers added."""
    nominations = list(dossier.nominations.all())
    stages = {"unit"} if stage == "unit" else {"unit", "ministry"}
    wanted_dossier: dict[str, tuple[int, Paper]] = {}
    wanted_nomination: dict[tuple[int, str], tuple[int, Paper]] = {}
    for nomination in nominations:
        for order, paper in enumerate(
            papers_of(nomination.award_code, dossier.year, simplified=dossier.simplified)
        ):
            if paper.stage not in stages or not _applies(paper, nomination):
                continue
            if paper.per == "nomination":
                wanted_nomination.setdefault((nomination.pk, paper.code), (order, paper))
            else:
                current = wanted_dossier.get(paper.code)
                # a paper required by any form is required; the first form's wording is kept
                if current is None or (paper.required and not current[1].required):
                    wanted_dossier[paper.code] = (order, paper)
    existing = list(dossier.components.all())
    have_dossier = {c.code: c for c in existing if c.nomination_id is None}
    have_nomination = {(c.nomination_id, c.code): c for c in existing if c.nomination_id is not None}
    new = []
    for code, (order, paper) in wanted_dossier.items():
        if code not in have_dossier:
            new.append(_component(dossier, None, paper, order))
    for (nomination_id, code), (order, paper) in wanted_nomination.items():
        if (nomination_id, code) not in have_nomination:
            new.append(_component(dossier, nomination_id, paper, 100 + order))
    Component.objects.bulk_create(new)
    stale = [c.pk for c in have_dossier.values() if c.code not in wanted_dossier and c.stage in stages] + [
        c.pk for key, c in have_nomination.items() if key not in wanted_nomination and c.stage in stages
    ]
    if stale:
        Component.objects.filter(Q(pk__in=stale), files__isnull=True).delete()
        Component.objects.filter(pk__in=stale).update(required=False)
    return len(new)


def _component(dossier: Dossier, nomination_id: int | None, paper: Paper, order: int) -> Component:
    return Component(
        dossier=dossier,
        nomination_id=nomination_id,
        code=paper.code,
        name=paper.name[:255],
        cite=paper.cite[:500],
        template=paper.template[:120],
        generated=paper.generated,
        required=paper.required,
        stage=paper.stage,
        status=ComponentStatus.MISSING,
        order=order,
    )
