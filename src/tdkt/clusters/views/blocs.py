"""Pages of the clusters app (see views/__init__.py): the blocs a user may see, a bloc's clusters and
members by year (H2); the scoring table (views/table.py) and the covenant (views/covenant.py) add their
patterns here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tdkt.clusters import selectors, services
from tdkt.clusters.forms_setup import BlocForm, ClusterForm, MembershipForm, YearOpenForm, parse_year
from tdkt.clusters.models import BlocMembership
from tdkt.clusters.views import covenant, table
from tdkt.clusters.views.setup_common import MANAGE, VIEW, bloc_for, crumbs
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError


@require_http_methods(["GET", "POST"])
@permission_required(VIEW)
def bloc_list(request):
    can_manage = request.user.has_perm(MANAGE)
    form = None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = BlocForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                bloc = services.bloc_create(
                    actor=request.user, code=d["code"], name=d["name"], owner_unit_id=d["owner_unit"].pk
                )
            except ServiceError as exc:
                exc.show_on(form)
            else:
                messages.success(request, _("Đã tạo khối thi đua “%(name)s”.") % {"name": bloc.name})
                return redirect("clusters:bloc_detail", pk=bloc.pk)
    elif can_manage:
        form = BlocForm(user=request.user)
    context = {
        "cards": selectors.bloc_cards(request.user),
        "own": selectors.own_memberships(request.user),
        "form": form,
        "breadcrumbs": [(_("Khối, cụm thi đua"), None)],
    }
    return render(request, "clusters/bloc_list.html", context)


ACTIONS = ("cluster", "member", "remove_member", "year")


@require_http_methods(["GET", "POST"])
@permission_required(VIEW)
def bloc_detail(request, pk: int):
    bloc = bloc_for(request, pk)
    can_manage = request.user.has_perm(MANAGE, bloc)
    years = selectors.bloc_years(bloc)
    default = years[0] if years else timezone.localdate().year
    year = parse_year(request.GET.get("year"), default)
    clusters = list(bloc.clusters.order_by("order", "code"))
    forms = {}
    if can_manage:
        forms = {
            "cluster": ClusterForm(prefix="c"),
            "member": MembershipForm(
                prefix="m", user=request.user, bloc=bloc, clusters=clusters, initial={"year": year}
            ),
            "year": YearOpenForm(prefix="y", clusters=clusters, initial={"year": year}),
        }
    if request.method == "POST":
        action = request.POST.get("action")
        if not can_manage:
            raise PermissionDenied
        if action not in ACTIONS:
            messages.error(request, _("Yêu cầu không hợp lệ."))
            return redirect(reverse("clusters:bloc_detail", args=[bloc.pk]) + f"?year={year}")
        if action == "remove_member":
            return _remove_member(request, bloc, year)
        done = _bloc_action(request, bloc, clusters, action, forms)
        if done is not None:
            return redirect(reverse("clusters:bloc_detail", args=[bloc.pk]) + f"?year={done}")
    context = {
        "bloc": bloc,
        "year": year,
        "years": sorted(set(years) | {year}, reverse=True),
        "rows": selectors.bloc_clusters(bloc, year),
        "can_manage": can_manage,
        "forms": forms,
        "has_table": year in selectors.table_years(bloc.pk),
        "breadcrumbs": crumbs((bloc.name, None)),
    }
    return render(request, "clusters/bloc_detail.html", context)


def _remove_member(request, bloc, year: int):
    """The organiser takes a unit out of a cluster for a year (a membership of this bloc only)."""
    back = reverse("clusters:bloc_detail", args=[bloc.pk]) + f"?year={year}"
    raw = request.POST.get("membership", "")
    row = (
        BlocMembership.objects.filter(pk=int(raw), bloc=bloc).first()
        if raw.isdigit() and len(raw) < 10
        else None
    )
    if row is None:
        messages.error(request, _("Không có thành viên này trong khối."))
        return redirect(back)
    name = row.unit.name
    try:
        services.membership_remove(actor=request.user, membership_id=row.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã bỏ %(unit)s khỏi cụm năm %(year)s.") % {"unit": name, "year": row.year}
        )
    return redirect(back)


def _bloc_action(request, bloc, clusters, action: str, forms: dict) -> int | None:
    """Do one of the organiser's actions; the year to show after it, or None (the form has the errors)."""
    user = request.user
    if action == "cluster":
        form = forms["cluster"] = ClusterForm(request.POST, prefix="c")
    elif action == "member":
        form = forms["member"] = MembershipForm(
            request.POST, prefix="m", user=user, bloc=bloc, clusters=clusters
        )
    else:
        form = forms["year"] = YearOpenForm(request.POST, prefix="y", clusters=clusters)
    if not form.is_valid():
        return None
    d = form.cleaned_data
    try:
        if action == "cluster":
            cluster = services.cluster_create(actor=user, bloc_id=bloc.pk, code=d["code"], name=d["name"])
            messages.success(request, _("Đã thêm cụm “%(name)s”.") % {"name": cluster.name})
            return parse_year(request.GET.get("year"), timezone.localdate().year)
        if action == "member":
            row = services.membership_set(
                actor=user, cluster_id=d["cluster"], unit_id=d["unit"].pk, year=d["year"], role=d["role"]
            )
            messages.success(
                request,
                _("Đã ghi %(unit)s là %(role)s của %(cluster)s năm %(year)s.")
                % {
                    "unit": d["unit"].name,
                    "role": row.get_role_display().lower(),
                    "cluster": row.cluster.name,
                    "year": row.year,
                },
            )
            return row.year
        cy = services.year_open(actor=user, cluster_id=d["cluster"], year=d["year"])
        messages.success(
            request,
            _("Đã mở năm thi đua %(year)s của %(cluster)s.") % {"year": cy.year, "cluster": cy.cluster},
        )
        return cy.year
    except ServiceError as exc:
        exc.show_on(form)
        return None


urlpatterns = [
    path("", bloc_list, name="bloc_list"),
    path("khoi/<int:pk>/", bloc_detail, name="bloc_detail"),
    *table.urlpatterns,
    *covenant.urlpatterns,
]
