"""The bloc's scoring table for a year: the tree of criteria with their points and evidence; the organiser
adds, changes and removes lines and copies an earlier year's table until a cluster opens scoring."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tdkt.clusters import scoring, selectors, services
from tdkt.clusters.enums import CriterionKind
from tdkt.clusters.forms_setup import FIRST_YEAR, LAST_YEAR, CriterionForm, TableCopyForm, typed
from tdkt.clusters.views.setup_common import MANAGE, VIEW, bloc_for, crumbs
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError

ACTIONS = ("save", "remove", "copy")


def _maxima(criteria) -> tuple[Decimal, Decimal, Decimal]:
    """The most points the table gives (every fixed and target line at its maximum, groups capped), and
    the limits of its bonus and its deduction."""
    lines = services.lines(criteria)
    full = {c.pk: c.max_points for c in criteria if c.kind in (CriterionKind.FIXED, CriterionKind.TARGET)}
    extra = {c.pk: c.max_points for c in criteria if c.kind in (CriterionKind.BONUS, CriterionKind.DEDUCTION)}
    base = scoring.totals(lines, full).total
    limits = scoring.totals(lines, extra)
    return base, limits.bonus, limits.deduction


def _line_initial(c) -> dict:
    return {
        "criterion": c.pk,
        "code": c.code,
        "name": c.name,
        "kind": c.kind,
        "parent": c.parent_id,
        "max_points": typed(c.max_points),
        "cap_ratio": typed(c.cap_ratio),
        "unit_label": c.unit_label,
        "evidence_required": c.evidence_required,
        "evidence_note": c.evidence_note,
    }


@require_http_methods(["GET", "POST"])
@permission_required(VIEW)
def scoring_table(request, pk: int, year: int):
    bloc = bloc_for(request, pk)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    can_manage = request.user.has_perm(MANAGE, bloc)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    here = reverse("clusters:table", args=[bloc.pk, year])
    tree = selectors.table_lines(bloc.pk, year)
    criteria = [c for c, _depth in tree]
    groups = [c for c in criteria if c.kind == CriterionKind.GROUP]
    frozen = selectors.table_frozen(bloc.pk, year)
    earlier = [y for y in selectors.table_years(bloc.pk) if y != year]
    form = copy_form = None
    editing = None
    if can_manage and not frozen:
        raw_edit = request.GET.get("edit", "")
        editing = next((c for c in criteria if raw_edit.isdigit() and c.pk == int(raw_edit)), None)
        form = CriterionForm(groups=groups, initial=_line_initial(editing) if editing else None)
        if not criteria and earlier:
            copy_form = TableCopyForm(
                years=earlier, initial={"from_year": max([y for y in earlier if y < year] or earlier)}
            )
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTIONS:
            messages.error(request, _("Yêu cầu không hợp lệ."))
            return redirect(here)
        try:
            if action == "save":
                form = CriterionForm(request.POST, groups=groups)
                if form.is_valid():
                    d = form.cleaned_data
                    row = services.criterion_save(
                        actor=request.user,
                        bloc_id=bloc.pk,
                        year=year,
                        code=d["code"],
                        name=d["name"],
                        kind=d["kind"],
                        max_points=d["max_points"],
                        parent_id=d["parent"],
                        cap_ratio=d["cap_ratio"],
                        unit_label=d["unit_label"],
                        evidence_required=d["evidence_required"],
                        evidence_note=d["evidence_note"],
                        criterion_id=d["criterion"],
                    )
                    messages.success(request, _("Đã ghi tiêu chí %(code)s.") % {"code": row.code})
                    return redirect(here)
            elif action == "remove":
                raw = request.POST.get("criterion", "")
                line = next((c for c in criteria if raw.isdigit() and c.pk == int(raw)), None)
                if line is None:
                    raise ServiceError(_("Không có tiêu chí này trong bảng."))
                services.criterion_remove(actor=request.user, criterion_id=line.pk)
                messages.success(request, _("Đã bỏ tiêu chí %(code)s.") % {"code": line.code})
                return redirect(here)
            else:
                copy_form = TableCopyForm(request.POST, years=earlier)
                if copy_form.is_valid():
                    n = services.table_copy(
                        actor=request.user,
                        bloc_id=bloc.pk,
                        year=year,
                        from_year=copy_form.cleaned_data["from_year"],
                    )
                    messages.success(request, _("Đã sao chép %(n)s tiêu chí.") % {"n": n})
                    return redirect(here)
        except ServiceError as exc:
            target = copy_form if action == "copy" and copy_form is not None else form
            if target is not None and target.is_bound:
                exc.show_on(target)
            else:
                messages.error(request, exc.message)
    base, bonus, deduction = _maxima(criteria)
    context = {
        "bloc": bloc,
        "year": year,
        "tree": [
            {"c": c, "depth": depth, "max": scoring.fmt(c.max_points), "cap": scoring.fmt(c.cap_ratio)}
            for c, depth in tree
        ],
        "frozen": frozen,
        "can_manage": can_manage,
        "form": form,
        "copy_form": copy_form,
        "editing": editing,
        "total_max": scoring.fmt(base),
        "bonus_max": scoring.fmt(bonus),
        "deduction_max": scoring.fmt(deduction),
        "years": sorted(set(earlier) | {year}, reverse=True),
        "breadcrumbs": crumbs(
            (bloc.name, reverse("clusters:bloc_detail", args=[bloc.pk]) + f"?year={year}"),
            (_("Bảng điểm năm %(year)s") % {"year": year}, None),
        ),
    }
    return render(request, "clusters/table.html", context)


urlpatterns = [
    path("khoi/<int:pk>/bang-diem/<int:year>/", scoring_table, name="table"),
]
