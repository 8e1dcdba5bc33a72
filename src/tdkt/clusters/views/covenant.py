"""The covenant of a cluster's year (giao ước thi đua): its date, place and common content, each member's
pledge and targets, the signatures recorded at the meeting; and the covenant document (Word, PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tdkt.clusters import scoring, selectors, services
from tdkt.clusters.documents import covenant_file
from tdkt.clusters.enums import YearStatus
from tdkt.clusters.forms_setup import CovenantForm, PledgeForm, SignForm, typed
from tdkt.clusters.models import Sheet
from tdkt.clusters.views.setup_common import KINDS, LEAD, VIEW, cluster_year, crumbs
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.http import attachment

ACTIONS = ("covenant", "pledge", "sign")


def _may_pledge(user, cy, unit, can_lead: bool) -> bool:
    """The head or organiser for every member; a member's officer for its own, while in setup."""
    if can_lead:
        return True
    return cy.status == YearStatus.SETUP and user.has_perm(
        "clusters.score", Sheet(unit=unit, cluster_year=cy)
    )


@require_http_methods(["GET", "POST"])
@permission_required(VIEW, object_getter=cluster_year)
def covenant(request, cy_pk: int):
    cy = request.tdkt_object
    user = request.user
    can_lead = user.has_perm(LEAD, cy)
    setup = cy.status == YearStatus.SETUP
    lines, rows = selectors.covenant_rows(cy)
    here = reverse("clusters:covenant", args=[cy.pk])
    covenant_form = None
    if can_lead and setup:
        covenant_form = CovenantForm(
            prefix="g",
            initial={"on": cy.covenant_on, "place": cy.covenant_place, "content": cy.covenant_content},
        )
    for row in rows:
        row.may_edit = (
            setup
            and (row.pledge is None or row.pledge.signed_on is None)
            and _may_pledge(user, cy, row.unit, can_lead)
        )
        row.form = None
        row.sign_form = None
        row.cells = [(c, scoring.fmt(row.targets.get(c.pk))) for c in lines]
        if row.may_edit:
            initial = {"content": row.pledge.content if row.pledge else ""}
            initial.update({f"target_{c}": typed(v) for c, v in row.targets.items()})
            row.form = PledgeForm(prefix=f"p{row.unit.pk}", lines=lines, initial=initial)
        if can_lead and setup and row.pledge is not None and row.pledge.signed_on is None:
            row.sign_form = SignForm(prefix=f"s{row.pledge.pk}", initial={"on": cy.covenant_on})
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTIONS:
            messages.error(request, _("Yêu cầu không hợp lệ."))
            return redirect(here)
        done = _covenant_action(request, cy, action, lines, rows, can_lead)
        if done:
            return redirect(here)
        covenant_form = getattr(request, "tdkt_covenant_form", covenant_form)
    context = {
        "cy": cy,
        "bloc": cy.cluster.bloc,
        "lines": lines,
        "rows": rows,
        "can_lead": can_lead,
        "setup": setup,
        "covenant_form": covenant_form,
        "signed": sum(1 for r in rows if r.pledge and r.pledge.signed_on),
        "breadcrumbs": crumbs(
            (
                cy.cluster.bloc.name,
                reverse("clusters:bloc_detail", args=[cy.cluster.bloc_id]) + f"?year={cy.year}",
            ),
            (
                _("Giao ước thi đua năm %(year)s — %(cluster)s")
                % {"year": cy.year, "cluster": cy.cluster.name},
                None,
            ),
        ),
    }
    return render(request, "clusters/covenant.html", context)


def _covenant_action(request, cy, action: str, lines, rows, can_lead: bool) -> bool:
    """True when done (redirect); otherwise the page is drawn again with the form that has the errors."""
    user = request.user
    if action == "covenant":
        if not can_lead:
            raise PermissionDenied
        form = CovenantForm(request.POST, prefix="g")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.covenant_set(
                    actor=user, cluster_year_id=cy.pk, on=d["on"], place=d["place"], content=d["content"]
                )
            except ServiceError as exc:
                exc.show_on(form)
            else:
                messages.success(request, _("Đã ghi nội dung giao ước."))
                return True
        request.tdkt_covenant_form = form
        return False
    raw = request.POST.get("unit" if action == "pledge" else "pledge", "")
    if action == "pledge":
        row = next((r for r in rows if raw.isdigit() and r.unit.pk == int(raw)), None)
        if row is None:
            raise Http404
        if not _may_pledge(user, cy, row.unit, can_lead):
            raise PermissionDenied
        form = row.form = PledgeForm(request.POST, prefix=f"p{row.unit.pk}", lines=lines)
        if form.is_valid():
            try:
                services.pledge_save(
                    actor=user,
                    cluster_year_id=cy.pk,
                    unit_id=row.unit.pk,
                    content=form.cleaned_data["content"],
                    targets=form.targets(),
                )
            except ServiceError as exc:
                exc.show_on(form)
            else:
                messages.success(request, _("Đã ghi đăng ký của %(unit)s.") % {"unit": row.unit.name})
                return True
        return False
    row = next((r for r in rows if r.pledge is not None and raw.isdigit() and r.pledge.pk == int(raw)), None)
    if row is None:
        raise Http404
    if not can_lead:
        raise PermissionDenied
    form = row.sign_form = SignForm(request.POST, prefix=f"s{row.pledge.pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.pledge_sign(
                actor=user,
                pledge_id=row.pledge.pk,
                signer=d["signer"],
                signer_title=d["signer_title"],
                on=d["on"],
            )
        except ServiceError as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("Đã ghi nhận %(unit)s ký giao ước.") % {"unit": row.unit.name})
            return True
    return False


@require_GET
@permission_required(VIEW, object_getter=cluster_year)
def covenant_document(request, cy_pk: int, kind: str):
    if kind not in KINDS:
        raise Http404
    cy = request.tdkt_object
    try:
        data = covenant_file(cy, kind)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("clusters:covenant", cy_pk=cy.pk)
    return attachment(data, f"giao-uoc-thi-dua-{cy.year}-{cy.cluster.code}.{kind}".lower(), KINDS[kind])


urlpatterns = [
    path("nam/<int:cy_pk>/giao-uoc/", covenant, name="covenant"),
    path("nam/<int:cy_pk>/giao-uoc.<str:kind>", covenant_document, name="covenant_document"),
]
