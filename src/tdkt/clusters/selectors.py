"""Read paths of the clusters app: what a user may see, a sheet's lines in the table's order, a cluster's
year at a glance, and the figures of the published results. Each a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from tdkt.accounts.scope import scope_for
from tdkt.clusters.enums import BlocRole, CriterionKind
from tdkt.clusters.models import (
    Adjustment,
    Bloc,
    BlocMembership,
    ClusterYear,
    Criterion,
    Evidence,
    Pledge,
    Score,
    Sheet,
    Standing,
    Target,
)
from tdkt.org.models import Unit


def years_for(user, *, bloc: Bloc | None = None) -> QuerySet[ClusterYear]:
    """The cluster years the user may open: every one of the blocs they organise, and those of the
    clusters a unit of their scope is a member of that year (the bloc head's unit among them)."""
    qs = ClusterYear.objects.select_related("cluster__bloc")
    if bloc is not None:
        qs = qs.filter(cluster__bloc=bloc)
    organiser = scope_for(user, "clusters.view")
    if organiser.everything:
        return qs
    q = Q(pk__in=[])
    if organiser.units_only:
        q |= organiser.unit_q("cluster__bloc__owner_unit")
    for action in ("clusters.view", "clusters.score"):
        scope = scope_for(user, action)
        if scope.units_only:
            member = BlocMembership.objects.filter(cluster_id=OuterRef("cluster_id"), year=OuterRef("year"))
            q |= Exists(member.filter(scope.unit_q("unit")))
    return qs.filter(q)


def blocs_for(user) -> QuerySet[Bloc]:
    organiser = scope_for(user, "clusters.view")
    if organiser.everything:
        return Bloc.objects.select_related("owner_unit")
    ids = set(years_for(user).values_list("cluster__bloc_id", flat=True))
    if organiser.units_only:
        ids |= set(Bloc.objects.filter(organiser.unit_q("owner_unit")).values_list("pk", flat=True))
    return Bloc.objects.filter(pk__in=ids).select_related("owner_unit")


# ---------------------------------------------------------------------------------------------- a sheet


@dataclass
class SheetLine:
    criterion: Criterion
    depth: int
    score: Score | None = None
    target: Decimal | None = None
    evidence: list[Evidence] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return self.criterion.kind == CriterionKind.GROUP

    @property
    def top(self) -> Decimal | None:
        """The most points the line can make."""
        c = self.criterion
        if c.kind == CriterionKind.TARGET and c.cap_ratio and c.max_points is not None:
            return (c.max_points * c.cap_ratio).quantize(Decimal("0.01"))
        return c.max_points

    @property
    def missing_evidence(self) -> bool:
        s = self.score
        return bool(
            self.criterion.evidence_required
            and s is not None
            and s.value not in (None, Decimal(0))
            and not self.evidence
        )


def ordered_table(criteria: list[Criterion]) -> list[tuple[Criterion, int]]:
    """The table's lines in tree order with their depth (a group, then its lines)."""
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for c in criteria:
        children[c.parent_id].append(c)
    out: list[tuple[Criterion, int]] = []

    def walk(parent_id, depth):
        for c in children.get(parent_id, []):
            out.append((c, depth))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


def table_lines(bloc_id: int, year: int) -> list[tuple[Criterion, int]]:
    return ordered_table(list(Criterion.objects.filter(bloc_id=bloc_id, year=year).order_by("order", "id")))


def sheet_lines(sheet: Sheet) -> list[SheetLine]:
    """Every line of the table with the sheet's score, the member's target, the evidence and the
    adjustments: five queries whatever the table's size."""
    cy = sheet.cluster_year
    criteria = list(
        Criterion.objects.filter(bloc_id=cy.cluster.bloc_id, year=cy.year).order_by("order", "id")
    )
    scores = {s.criterion_id: s for s in Score.objects.filter(sheet=sheet)}
    targets = dict(
        Target.objects.filter(pledge__cluster_year=cy, pledge__unit_id=sheet.unit_id).values_list(
            "criterion_id", "value"
        )
    )
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for e in Evidence.objects.filter(score__sheet=sheet).order_by("uploaded_at", "id"):
        evidence[e.score_id].append(e)
    adjustments: dict[int, list[Adjustment]] = defaultdict(list)
    for a in (
        Adjustment.objects.filter(score__sheet=sheet)
        .select_related("by", "explained_by")
        .order_by("at", "id")
    ):
        adjustments[a.score_id].append(a)
    out = []
    for c, depth in ordered_table(criteria):
        s = scores.get(c.pk)
        out.append(
            SheetLine(
                criterion=c,
                depth=depth,
                score=s,
                target=targets.get(c.pk),
                evidence=evidence.get(s.pk, []) if s else [],
                adjustments=adjustments.get(s.pk, []) if s else [],
            )
        )
    return out


# ---------------------------------------------------------------------------------------------- a year


@dataclass
class MemberRow:
    membership: BlocMembership
    pledge: Pledge | None
    sheet: Sheet | None
    standing: Standing | None

    @property
    def unit(self) -> Unit:
        return self.membership.unit

    @property
    def is_head(self) -> bool:
        return self.membership.role == BlocRole.HEAD


def year_members(cy: ClusterYear) -> list[MemberRow]:
    """The cluster's members that year with their pledge, sheet and standing: four queries."""
    memberships = list(
        BlocMembership.objects.filter(cluster_id=cy.cluster_id, year=cy.year)
        .select_related("unit")
        .order_by("unit__path")
    )
    pledges = {p.unit_id: p for p in Pledge.objects.filter(cluster_year=cy)}
    sheets = {s.unit_id: s for s in Sheet.objects.filter(cluster_year=cy)}
    standings = {s.unit_id: s for s in Standing.objects.filter(cluster_year=cy)}
    rows = [
        MemberRow(m, pledges.get(m.unit_id), sheets.get(m.unit_id), standings.get(m.unit_id))
        for m in memberships
    ]
    rows.sort(key=lambda r: (r.standing.rank if r.standing else 999, r.unit.path))
    return rows


def group_figures(
    cy: ClusterYear,
) -> tuple[list[Criterion], list[tuple[Unit, dict[str, Decimal]]], dict[str, Decimal]]:
    """Per top-level group of the table: each member's points and the cluster's average (locked sheets).
    Deduction lines are left out: they have the ranking's own column, and a bar cannot be negative."""
    groups = list(
        Criterion.objects.filter(bloc_id=cy.cluster.bloc_id, year=cy.year, parent__isnull=True)
        .exclude(kind=CriterionKind.DEDUCTION)
        .order_by("order")
    )
    sheets = list(Sheet.objects.filter(cluster_year=cy).select_related("unit").order_by("unit__path"))
    rows = [(s.unit, {g.code: Decimal(s.group_totals.get(g.code, "0")) for g in groups}) for s in sheets]
    averages = {
        g.code: (sum((r[g.code] for _u, r in rows), Decimal(0)) / len(rows)).quantize(Decimal("0.01"))
        if rows
        else Decimal(0)
        for g in groups
    }
    return groups, rows, averages


def unit_history(cy: ClusterYear) -> dict[int, list[tuple[int, Decimal, int]]]:
    """Year over year, per member of this year: (year, total, rank) in the bloc's clusters — this year and
    the published years before it (a later year, or one not yet published, is nobody's to see here)."""
    from tdkt.clusters.enums import YearStatus

    units = BlocMembership.objects.filter(cluster_id=cy.cluster_id, year=cy.year).values("unit_id")
    out: dict[int, list[tuple[int, Decimal, int]]] = defaultdict(list)
    for s in (
        Standing.objects.filter(unit_id__in=units, cluster_year__cluster__bloc_id=cy.cluster.bloc_id)
        .filter(
            Q(cluster_year=cy) | Q(cluster_year__year__lt=cy.year, cluster_year__status=YearStatus.PUBLISHED)
        )
        .select_related("cluster_year")
        .order_by("cluster_year__year")
    ):
        out[s.unit_id].append((s.cluster_year.year, s.total, s.rank))
    return dict(out)


# ---------------------------------------------------------------------------------------------- H2: blocs


@dataclass
class BlocCard:
    """A bloc on the list page: its clusters, and per cluster the years the user may open."""

    bloc: Bloc
    clusters: list = field(default_factory=list)  # [(Cluster, [ClusterYear, ...] newest first)]


def bloc_cards(user) -> list[BlocCard]:
    """The blocs the user may see with their clusters and the cluster years they may open: three
    queries whatever the number of blocs, clusters and years."""
    from tdkt.clusters.models import Cluster

    blocs = list(blocs_for(user).order_by("code"))
    years: dict[int, list[ClusterYear]] = defaultdict(list)
    for cy in years_for(user).filter(cluster__bloc__in=[b.pk for b in blocs]).order_by("-year"):
        years[cy.cluster_id].append(cy)
    cards = {b.pk: BlocCard(b) for b in blocs}
    for c in Cluster.objects.filter(bloc__in=list(cards)).order_by("order", "code"):
        cards[c.bloc_id].clusters.append((c, years.get(c.pk, [])))
    return list(cards.values())


def own_memberships(user, *, limit: int = 50) -> list[BlocMembership]:
    """The memberships of the units the user scores for (a member unit's officer or head), newest year
    first, with the cluster's year when it is open: "Cụm của đơn vị"."""
    scope = scope_for(user, "clusters.score")
    if not scope.units_only or scope.everything:
        return []
    rows = list(
        BlocMembership.objects.filter(scope.unit_q("unit"), cluster__isnull=False)
        .select_related("unit", "cluster__bloc")
        .order_by("-year", "unit__path")[:limit]
    )
    opened = {
        (cy.cluster_id, cy.year): cy
        for cy in ClusterYear.objects.filter(
            cluster_id__in={m.cluster_id for m in rows}, year__in={m.year for m in rows}
        )
    }
    for m in rows:
        m.cluster_year = opened.get((m.cluster_id, m.year))
    return rows


def bloc_years(bloc: Bloc) -> list[int]:
    """The years the bloc has members, a table or an opened cluster year, newest first."""
    years = set(BlocMembership.objects.filter(bloc=bloc).values_list("year", flat=True).distinct())
    years |= set(Criterion.objects.filter(bloc=bloc).values_list("year", flat=True).distinct())
    years |= set(ClusterYear.objects.filter(cluster__bloc=bloc).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def bloc_clusters(bloc: Bloc, year: int) -> list[tuple]:
    """The bloc's clusters with, for `year`, their members (head, deputy, then the others) and the
    cluster's year when it is open: three queries."""
    from tdkt.clusters.models import Cluster

    order = {BlocRole.HEAD: 0, BlocRole.DEPUTY: 1, BlocRole.MEMBER: 2}
    members: dict[int, list[BlocMembership]] = defaultdict(list)
    for m in (
        BlocMembership.objects.filter(bloc=bloc, year=year).select_related("unit").order_by("unit__path")
    ):
        members[m.cluster_id].append(m)
    opened = {cy.cluster_id: cy for cy in ClusterYear.objects.filter(cluster__bloc=bloc, year=year)}
    out = []
    for c in Cluster.objects.filter(bloc=bloc).order_by("order", "code"):
        rows = sorted(members.get(c.pk, []), key=lambda m: order.get(m.role, 3))
        out.append((c, rows, opened.get(c.pk)))
    return out


def table_years(bloc_id: int) -> list[int]:
    """The years the bloc has a scoring table, newest first."""
    return sorted(
        set(Criterion.objects.filter(bloc_id=bloc_id).values_list("year", flat=True).distinct()), reverse=True
    )


def table_frozen(bloc_id: int, year: int) -> bool:
    """A cluster of the bloc has opened scoring that year: the table is fixed."""
    from tdkt.clusters.enums import YearStatus

    return (
        ClusterYear.objects.filter(cluster__bloc_id=bloc_id, year=year)
        .exclude(status=YearStatus.SETUP)
        .exists()
    )


@dataclass
class PledgeRow:
    """A member on the covenant page: its pledge (if any) and its target per target line."""

    membership: BlocMembership
    pledge: Pledge | None
    targets: dict[int, Decimal]

    @property
    def unit(self) -> Unit:
        return self.membership.unit


def covenant_rows(cy: ClusterYear) -> tuple[list[Criterion], list[PledgeRow]]:
    """The table's target lines, and every member with its pledge and targets: three queries."""
    lines = list(
        Criterion.objects.filter(
            bloc_id=cy.cluster.bloc_id, year=cy.year, kind=CriterionKind.TARGET
        ).order_by("order", "id")
    )
    pledges = {p.unit_id: p for p in Pledge.objects.filter(cluster_year=cy)}
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for t in Target.objects.filter(pledge__cluster_year=cy):
        targets[t.pledge_id][t.criterion_id] = t.value
    order = {BlocRole.HEAD: 0, BlocRole.DEPUTY: 1, BlocRole.MEMBER: 2}
    memberships = sorted(
        BlocMembership.objects.filter(cluster_id=cy.cluster_id, year=cy.year).select_related("unit"),
        key=lambda m: (order.get(m.role, 3), m.unit.path),
    )
    rows = []
    for m in memberships:
        p = pledges.get(m.unit_id)
        rows.append(PledgeRow(m, p, targets.get(p.pk, {}) if p else {}))
    return lines, rows


# ---------------------------------------------------------------------------------------------- the bloc


def gov_flag_candidates(bloc_id: int, year: int) -> tuple[list[Standing], int]:
    """The bloc's candidates for the Government's emulation flag: among the clusters' leaders the
    conference proposed for the ministry's flag (and passed), the first `bloc.gov_flag_per_bloc` by total,
    then by bonus, then by fewer deductions (the same table for every cluster makes totals comparable).
    Returns (candidates, the setting's number)."""
    from tdkt.clusters.enums import ProposalAward
    from tdkt.rulebook import services as rulebook

    number = int(rulebook.setting_value("bloc.gov_flag_per_bloc", year) or 0)
    if number <= 0:
        return [], 0
    leaders = (
        Standing.objects.filter(
            cluster_year__cluster__bloc_id=bloc_id,
            cluster_year__year=year,
            proposed_award=ProposalAward.CO_THI_DUA_BO,
            passed=True,
        )
        .select_related("unit", "cluster_year__cluster")
        .order_by("-total", "-bonus", "deduction", "unit__path")
    )
    return list(leaders[:number]), number
