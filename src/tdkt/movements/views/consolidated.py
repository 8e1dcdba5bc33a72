"""The consolidated table of a movement for the ministry: who registered what, who has not registered,
and its Excel export."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tdkt.accounts.scope import scope_for
from tdkt.core.access import permission_required
from tdkt.core.excel import Column, xlsx_response
from tdkt.core.exports import EXPORT_ACTION, can_export, export_view
from tdkt.core.filters import invalid_filter_notice, invalid_filter_response
from tdkt.movements.filters import SHOW_MISSING, SHOW_REGISTERED, TableFilterForm
from tdkt.movements.models import Movement
from tdkt.movements.selectors import CONSOLIDATED, RegistrationTable, movement_allowed, registration_table
from tdkt.movements.views.movements import crumbs, query_without


def _movement(request, pk: int) -> Movement:
    movement = Movement.objects.select_related("unit").prefetch_related("participants").filter(pk=pk).first()
    if movement is None:
        raise Http404
    return movement


def _shown(table: RegistrationTable, show: str) -> list:
    if show == SHOW_MISSING:
        return table.missing
    if show == SHOW_REGISTERED:
        return [r for r in table.rows if r.registered]
    return table.rows


@require_GET
@permission_required(CONSOLIDATED, object_getter=_movement)
def consolidated(request, pk: int):
    movement = request.tdkt_object
    form = TableFilterForm(request.GET or None)
    table = registration_table(movement, scope_for(request.user, CONSOLIDATED))
    valid = not form.is_bound or form.is_valid()
    show = form.cleaned_data.get("show", "") if form.is_bound and valid else ""
    context = {
        "movement": movement,
        "form": form,
        "filter_error": invalid_filter_notice(form) if form.is_bound else "",
        "table": table,
        "rows": _shown(table, show) if valid else [],
        "missing": table.missing,
        "show": show,
        "can_export": can_export(request.user),
        "export_query": query_without(request, "page"),
        "breadcrumbs": crumbs(
            (movement.name, reverse("movements:movement_detail", args=[movement.pk])),
            (_("Tổng hợp đăng ký"), None),
        ),
    }
    return render(request, "movements/consolidated.html", context)


def table_columns(table: RegistrationTable) -> list[tuple[Column, str, str]]:
    """(column, award code, "people" | "collectives") for every count column of the export."""
    columns = []
    for code, label, subject in table.codes:
        if subject in ("individual", "both"):
            columns.append((Column(_("%(award)s — cá nhân") % {"award": label}, 14, "int"), code, "people"))
        if subject in ("collective", "both"):
            columns.append(
                (Column(_("%(award)s — tập thể") % {"award": label}, 14, "int"), code, "collectives")
            )
    return columns


@require_GET
@export_view
def consolidated_export(request, pk: int):
    if not request.user.has_perm(CONSOLIDATED):
        raise PermissionDenied
    movement = _movement(request, pk)
    if not movement_allowed(request.user, CONSOLIDATED, movement):
        raise Http404
    form = TableFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        back = reverse("movements:consolidated", args=[movement.pk])
        query = query_without(request, "page")
        return invalid_filter_response(request, form, back_url=back + (f"?{query}" if query else ""))
    show = form.cleaned_data.get("show", "") if form.is_bound else ""
    # the rows of both scopes: the table's own and the export right's
    table = registration_table(
        movement, scope_for(request.user, CONSOLIDATED), also=scope_for(request.user, EXPORT_ACTION)
    )
    counts = table_columns(table)
    columns = [
        Column(_("Mã đơn vị"), 12),
        Column(_("Đơn vị"), 44),
        *[c for c, _code, _which in counts],
        Column(_("Tổng cá nhân"), 10, "int"),
        Column(_("Tổng tập thể"), 10, "int"),
        Column(_("Nộp muộn"), 10, "int"),
        Column(_("Chờ duyệt"), 10, "int"),
        Column(_("Chưa đăng ký"), 10, "bool"),
    ]

    def rows():
        for r in _shown(table, show):
            yield [
                r.unit.code,
                r.label,
                *[getattr(r.cells[code], which) for _c, code, which in counts],
                r.people,
                r.collectives,
                r.late,
                r.pending,
                not r.registered,
            ]

    name = slugify(f"tong-hop-dang-ky-{movement.pk}-{movement.name}")[:80] or "tong-hop-dang-ky"
    return xlsx_response(f"{name}.xlsx", columns=columns, rows=rows(), sheet=_("Tổng hợp đăng ký"))
