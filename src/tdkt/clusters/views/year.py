"""Pages of a cluster's year (see views/__init__.py): the hub (`year_detail`) with its steps, members and the
head's moves, and the proposals' dossier. The sheets are in views/sheet.py, the ranking, the conference and
the results in views/ranking.py; their URL patterns are joined here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tdkt.accounts.scope import scope_for
from tdkt.clusters import selectors, services
from tdkt.clusters.enums import YearAction, YearStatus
from tdkt.clusters.forms_year import NEEDS_DEADLINE, MoveForm, errors_text
from tdkt.clusters.models import ClusterYear
from tdkt.clusters.scoring import fmt
from tdkt.clusters.workflow import allowed_actions
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError

# a member sees the other members' sheets once the scores are locked
OPEN_BOOK = {YearStatus.LOCKED, YearStatus.RANKED, YearStatus.VOTED, YearStatus.PUBLISHED}
RANKED = {YearStatus.RANKED, YearStatus.VOTED, YearStatus.PUBLISHED}


def get_year(request, pk: int, **_kwargs) -> ClusterYear:
    return get_object_or_404(ClusterYear.objects.select_related("cluster__bloc__owner_unit"), pk=pk)


def require_lead(request, cy: ClusterYear) -> None:
    if not request.user.has_perm("clusters.lead", cy):
        raise PermissionDenied


def back_to_year(cy_id: int, anchor: str = ""):
    return redirect(reverse("clusters:year_detail", args=[cy_id]) + (f"#{anchor}" if anchor else ""))


def bloc_crumbs(bloc, year: int) -> list:
    """The list of blocs and the bloc's page for the year."""
    detail = reverse("clusters:bloc_detail", args=[bloc.pk])
    return [(_("Khối, cụm thi đua"), reverse("clusters:bloc_list")), (bloc.name, f"{detail}?year={year}")]


def breadcrumbs(cy: ClusterYear, *tail) -> list:
    """The page's path: blocs, the bloc, the cluster's year (a link unless it is the page), then `tail`."""
    here = f"{cy.cluster.name} — {cy.year}"
    year = (here, reverse("clusters:year_detail", args=[cy.pk]) if tail else None)
    return [*bloc_crumbs(cy.cluster.bloc, cy.year), year, *tail]


def steps(cy: ClusterYear) -> list[dict]:
    order = list(YearStatus)
    at = order.index(YearStatus(cy.status))
    return [
        {"label": s.label, "state": "done" if i < at else "current" if i == at else "todo"}
        for i, s in enumerate(order)
    ]


def sheet_visibility(user, cy: ClusterYear, can_lead: bool):
    """Which member's sheet the user may open (the rules of clusters.view on a Sheet, without a query per
    member): the organiser and the head every one; a member its own, and every one once locked."""
    if can_lead or cy.status in OPEN_BOOK:
        return lambda unit: True
    scope = scope_for(user, "clusters.view")
    return scope.covers


@require_GET
@permission_required("clusters.view", object_getter=get_year)
def year_detail(request, pk: int):
    cy = request.tdkt_object
    user = request.user
    can_lead = user.has_perm("clusters.lead", cy)
    visible = sheet_visibility(user, cy, can_lead)
    rows = selectors.year_members(cy)
    members = [
        {
            "row": r,
            "sheet_url": reverse("clusters:sheet", args=[r.sheet.pk])
            if r.sheet is not None and visible(r.unit)
            else None,
            "self_total": fmt(r.sheet.self_total) if r.sheet else "",
            "total": fmt(r.sheet.total) if r.sheet else "",
        }
        for r in rows
    ]
    moves = []
    if can_lead:
        for action in allowed_actions(cy.status):
            if action == YearAction.RECORD_VOTE or (action == YearAction.RANK and cy.meeting_id):
                continue  # the vote is the ballot's; no new ranking once the conference is prepared
            moves.append(
                {"action": action, "label": YearAction(action).label, "deadline": action in NEEDS_DEADLINE}
            )
    ctx = {
        "cy": cy,
        "steps": steps(cy),
        "members": members,
        "can_lead": can_lead,
        "moves": moves,
        "move_form": MoveForm(),
        "covenant_url": reverse("clusters:covenant", args=[cy.pk]),
        "table_url": reverse("clusters:table", args=[cy.cluster.bloc_id, cy.year]),
        "ranked": cy.status in RANKED,
        "voted": cy.status in (YearStatus.VOTED, YearStatus.PUBLISHED),
        "published": cy.status == YearStatus.PUBLISHED,
        # the dossier is the head unit's: its officer carries it on (the bloc-head role does not see dossiers)
        "dossier_url": reverse("dossiers:detail", args=[cy.dossier_id])
        if cy.dossier_id and user.has_perm("dossiers.view", cy.dossier)
        else None,
        "meeting_url": reverse("councils:meeting_detail", args=[cy.meeting_id]) if cy.meeting_id else None,
        "breadcrumbs": breadcrumbs(cy),
    }
    return render(request, "clusters/year_detail.html", ctx)


@require_POST
@permission_required("clusters.view", object_getter=get_year)
def year_move(request, pk: int):
    cy = request.tdkt_object
    require_lead(request, cy)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return back_to_year(cy.pk, "moves")
    action = form.cleaned_data["action"]
    try:
        moved = services.year_move(
            actor=request.user,
            cluster_year_id=cy.pk,
            action=action,
            deadline=form.cleaned_data["deadline"] if action in NEEDS_DEADLINE else None,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã thực hiện “%(action)s”: cụm chuyển sang bước “%(status)s”.")
            % {"action": YearAction(action).label, "status": moved.get_status_display()},
        )
    return back_to_year(cy.pk, "moves")


@require_POST
@permission_required("clusters.view", object_getter=get_year)
def year_dossier(request, pk: int):
    cy = request.tdkt_object
    require_lead(request, cy)
    try:
        dossier = services.proposals_to_dossier(actor=request.user, cluster_year_id=cy.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return back_to_year(cy.pk, "proposals")
    messages.success(request, _("Đã lập hồ sơ đề nghị khen thưởng “%(t)s”.") % {"t": dossier.title})
    if request.user.has_perm("dossiers.view", dossier):
        return redirect("dossiers:detail", dossier.pk)
    return back_to_year(cy.pk, "proposals")


def _joined() -> list:
    from tdkt.clusters.views import ranking, sheet

    return [*sheet.urlpatterns, *ranking.urlpatterns]


urlpatterns: list = [
    path("nam/<int:pk>/", year_detail, name="year_detail"),
    path("nam/<int:pk>/chuyen-buoc/", year_move, name="year_move"),
    path("nam/<int:pk>/lap-ho-so/", year_dossier, name="year_dossier"),
    *_joined(),
]
