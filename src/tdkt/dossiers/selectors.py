"""Read paths of dossiers: scoped lists sorted by the days left of their step, one dossier's page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from tdkt.accounts.scope import scope_for
from tdkt.dossiers.enums import Status
from tdkt.dossiers.models import AchievementReport, Component, Dossier, Nomination, Transition
from tdkt.dossiers.workflow import PENDING


@dataclass(frozen=True)
class DossierFilter:
    status: str = ""
    level: str = ""
    unit_id: int | None = None
    overdue: bool = False
    q: str = ""


def dossiers_for(user, f: DossierFilter | None = None) -> QuerySet[Dossier]:
    """The dossiers of the user's units (the ministry's department: every unit's), the nearest deadline
    first, those without a running clock last."""
    f = f or DossierFilter()
    qs = scope_for(user, "dossiers.view").filter(Dossier.objects.all(), "unit")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.unit_id:
        qs = qs.filter(unit_id=f.unit_id)
    if f.overdue:
        qs = qs.filter(step_due__lt=timezone.localdate(), status__in=PENDING)
    if f.q:
        qs = qs.filter(title__icontains=f.q)
    return (
        qs.select_related("unit", "holder")
        .annotate(n_nominations=Count("nominations"))
        .order_by(F("step_due").asc(nulls_last=True), "-updated_at", "-id")
    )


def overdue_count(user) -> int:
    return (
        scope_for(user, "dossiers.view")
        .filter(Dossier.objects.filter(step_due__lt=timezone.localdate(), status__in=PENDING), "unit")
        .count()
    )


def nominations_of(dossier: Dossier) -> list[Nomination]:
    return list(
        dossier.nominations.select_related(
            "person", "collective", "unit", "report", "decision_line__decision"
        ).order_by("award_code", "collective_id", "sort_key", "id")
    )


def components_of(dossier: Dossier) -> list[Component]:
    """The checklist with every version of each paper, the latest first (two queries)."""
    from tdkt.dossiers.models import ComponentFile

    papers = list(dossier.components.select_related("nomination__person", "nomination__collective"))
    versions: dict[int, list[ComponentFile]] = {}
    for f in (
        ComponentFile.objects.filter(component__dossier=dossier)
        .select_related("uploaded_by")
        .order_by("component_id", "-version")
    ):
        versions.setdefault(f.component_id, []).append(f)
    for c in papers:
        c.versions = versions.get(c.pk, [])
        c.latest = c.versions[0] if c.versions else None
        c.version_count = len(c.versions)
    return papers


def attach_clocks(dossiers: list[Dossier]) -> None:
    """`d.clock` of each dossier with ONE calendar query for the whole page (not one per row)."""
    from tdkt.core import calendar
    from tdkt.dossiers.services import Clock

    now = timezone.now()
    today = calendar.local_date(now)
    starts = [calendar.local_date(d.step_since) for d in dossiers if d.step_since]
    cal = calendar.calendar_for(min(starts), today) if starts else None
    for d in dossiers:
        used = (
            cal.workdays_between(calendar.local_date(d.step_since), today) if d.step_since and cal else None
        )
        left = d.step_limit - used if d.step_limit is not None and used is not None else None
        d.clock = Clock(d.holder_label, d.step_since, used, d.step_limit, left, d.step_due, d.step_cite)


def rounds_to_propose(user) -> list:
    """Review rounds of the user's units whose results propose someone to a higher level, with no dossier
    of theirs made yet."""
    from tdkt.reviews.enums import Outcome, RoundStatus
    from tdkt.reviews.models import ReviewRound

    made = Dossier.objects.filter(review_round__isnull=False).values("review_round_id")
    return list(
        scope_for(user, "dossiers.prepare")
        .filter(ReviewRound.objects.filter(status__in=[RoundStatus.CONCLUDED, RoundStatus.CLOSED]), "unit")
        .filter(candidates__outcome=Outcome.PROPOSE, candidates__included=True)
        .exclude(pk__in=made)
        .select_related("unit")
        .distinct()
        .order_by("-year", "unit__name")[:20]
    )


def comments_of(dossier: Dossier) -> list:
    return list(dossier.comments.select_related("author", "nomination__person", "nomination__collective"))


def timeline_of(dossier: Dossier) -> list[Transition]:
    from tdkt.dossiers.enums import Action

    steps = list(dossier.transitions.select_related("actor").prefetch_related("reasons"))
    for t in steps:
        t.action_label = Action(t.action).label if t.action in Action.values else t.action
        t.from_label = Status(t.from_status).label if t.from_status in Status.values else t.from_status
        t.to_label = Status(t.to_status).label if t.to_status in Status.values else t.to_status
    return steps


def reports_of(dossier: Dossier) -> dict[int, AchievementReport]:
    return {r.nomination_id: r for r in AchievementReport.objects.filter(nomination__dossier=dossier)}


def own_nominations(person_id: int) -> QuerySet[Nomination]:
    """A staff member's nominations (to draft their achievement report)."""
    return (
        Nomination.objects.filter(person_id=person_id)
        .exclude(dossier__status__in=[Status.ISSUED, Status.CLOSED])
        .select_related("dossier", "report")
        .order_by("-dossier__year")
    )


def pending_reports(user) -> QuerySet[AchievementReport]:
    """Reports waiting for the unit head's confirmation in the user's units."""
    from tdkt.dossiers.enums import ReportStatus

    return (
        scope_for(user, "dossiers.approve")
        .filter(AchievementReport.objects.filter(status=ReportStatus.SUBMITTED), "nomination__dossier__unit")
        .select_related("nomination__person", "nomination__dossier")
    )


def dashboard_cards(request) -> list[dict]:
    """The dossiers in progress and the overdue ones among them, for whoever reads dossiers, in one
    query; nothing while no dossier is in progress (an empty year shows no empty cards)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    user = request.user
    scope = scope_for(user, "dossiers.view")
    if scope.empty:
        return []
    counts = scope.filter(
        Dossier.objects.filter(status__in=PENDING).exclude(status=Status.DRAFT), "unit"
    ).aggregate(waiting=Count("id"), overdue=Count("id", filter=Q(step_due__lt=timezone.localdate())))
    if not counts["waiting"]:
        return []
    cards = [
        {
            "label": _("Hồ sơ đề nghị đang xử lý"),
            "value": counts["waiting"],
            "url": reverse("dossiers:list"),
            "icon": "folder2-open",
        }
    ]
    cards.append(
        {
            "label": _("Hồ sơ quá hạn"),
            "value": counts["overdue"],
            "url": reverse("dossiers:list") + "?overdue=on",
            "icon": "alarm",
        }
    )
    return cards
