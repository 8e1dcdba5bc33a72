"""The award register: every award record of the user's units (people and collectives) with filters,
sorting, pages and the Excel export; a record's page with its decision, certificate, audit trail and
the form that records its revocation."""

from __future__ import annotations

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tdkt.accounts.scope import scope_for
from tdkt.awards import selectors, services
from tdkt.awards.enums import DecisionStatus
from tdkt.awards.filters import RegisterFilterForm
from tdkt.awards.forms import RevokeForm
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.excel import Column
from tdkt.core.exports import (
    EXPORT_ACTION,
    Export,
    can_export,
    export_response,
    export_view,
    exporter,
    params_query,
    query_params,
)
from tdkt.core.filters import invalid_filter_notice, invalid_filter_response
from tdkt.core.links import id_link
from tdkt.core.paging import COUNT_CAP, paginate
from tdkt.org.models import AwardRecord, Unit
from tdkt.org.selectors import unit_labels, unit_labels_for

VIEW = "awards.view_register"
RESULTS_TARGET = "register-results"

# the sortable columns of the table: (sort key, header)
SORT_COLUMNS = ("name", "award", "year", "decision", "decided_on", "unit")


def _is_partial(request) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == RESULTS_TARGET
        and not request.headers.get("HX-History-Restore-Request")
    )


def _filter_form(user, data, action: str = VIEW) -> RegisterFilterForm:
    """The filter form, accepting the units of the user's scope for `action` (a picker that searches:
    nothing here reads the units)."""
    return RegisterFilterForm(data, units=scope_for(user, action).filter_units(Unit.objects.all()))


def _query(data, *drop: str) -> str:
    params = data.copy() if isinstance(data, QueryDict) else QueryDict(mutable=True)
    if not isinstance(data, QueryDict):
        for key, value in data.items():
            params[key] = value
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def _sort_links(form: RegisterFilterForm, current: str) -> dict[str, dict[str, str]]:
    """Per sortable column: the query that sorts by it (the other way round when it is the current
    sort), and its aria-sort state."""
    base = _query(form.data, "sort", "page")
    links = {}
    for key in SORT_COLUMNS:
        if current == key:
            target, state = f"-{key}", "ascending"
        elif current == f"-{key}":
            target, state = key, "descending"
        else:
            target, state = (f"-{key}" if key in ("year", "decided_on") else key), "none"
        links[key] = {"query": f"{base}&sort={target}" if base else f"sort={target}", "state": state}
    return links


def _subject_name(record: AwardRecord) -> str:
    return str(record.person or record.collective)


@require_GET
@permission_required(VIEW)
def register(request):
    form = _filter_form(request.user, request.GET)
    register_filter = form.to_filter()
    # an invalid filter shows its errors and no rows, never the whole register as if it were the result
    records = (
        selectors.register_for(request.user, register_filter)
        if register_filter
        else AwardRecord.objects.none()
    )
    page = paginate(request, records, form.page_size, count_cap=COUNT_CAP)
    page.object_list = list(page.object_list)
    labels = unit_labels_for({r.unit for r in page.object_list}, scope_for(request.user, VIEW))
    record_link = id_link("awards:record_detail")
    for r in page.object_list:
        r.unit_label = labels.get(r.unit_id, r.unit.name)
        r.link = record_link(r.pk)
    sort = register_filter.sort if register_filter else "-year"
    context = {
        "form": form,
        "page": page,
        "filter_error": invalid_filter_notice(form),
        "query": _query(request.GET, "page"),
        "export_query": _query(request.GET, "page", "per_page"),
        "can_export": can_export(request.user),
        "sort_links": _sort_links(form, sort),
        "results_target": RESULTS_TARGET,
        "breadcrumbs": [(_("Sổ khen thưởng"), None)],
    }
    template = "awards/register.html"
    if _is_partial(request):
        template += "#results"
    return render(request, template, context)


# --- export -------------------------------------------------------------------------------------------


@exporter("awards.register")
def register_export(*, user, params: dict) -> Export:
    """The register as the user sees it with `params` (the list's GET filters), kept to both the
    register's scope and the export scope (core.exports); filters that do not validate are refused."""
    form = _filter_form(user, params_query(params), EXPORT_ACTION)
    register_filter = form.to_filter()
    if register_filter is None:
        raise ServiceError(invalid_filter_notice(form))
    records = scope_for(user, VIEW).filter(
        selectors.register_for(user, register_filter, action=EXPORT_ACTION), "unit"
    )
    export_units = scope_for(user, EXPORT_ACTION).filter_units(Unit.objects.all())
    labels = unit_labels(list(export_units.only("id", "name", "path")))
    columns = [
        Column(_("Mã cán bộ, tập thể"), 14),
        Column(_("Họ và tên / Tập thể"), 30),
        Column(_("Giới tính"), 9),
        Column(_("Dân tộc"), 10),
        Column(_("Đơn vị"), 36),
        Column(_("Danh hiệu, hình thức"), 32),
        Column(_("Từ năm"), 8, "int"),
        Column(_("Đến năm"), 8, "int"),
        Column(_("Số quyết định"), 18),
        Column(_("Ngày quyết định"), 12, "date"),
        Column(_("Người ký"), 22),
        Column(_("Cấp khen"), 22),
        Column(_("Cơ quan khen"), 30),
        Column(_("Nguồn"), 20),
        Column(_("Đã huỷ bỏ"), 9, "bool"),
        Column(_("Quyết định huỷ bỏ"), 18),
        Column(_("Ngày huỷ bỏ"), 12, "date"),
        Column(_("Lý do huỷ bỏ"), 40),
    ]

    def rows():
        for r in records.iterator(chunk_size=2000):
            subject = r.person or r.collective
            yield [
                subject.code,
                _subject_name(r),
                r.person.get_gender_display() if r.person else "",
                r.person.ethnicity if r.person else "",
                labels.get(r.unit_id, r.unit.name),
                r.get_award_code_display(),
                r.first_year,
                r.last_year,
                r.decision_number,
                r.decided_on,
                r.signer,
                r.get_issuer_level_display(),
                r.issuer_name,
                r.get_source_display(),
                r.revoked,
                r.revoked_decision,
                r.revoked_on,
                r.revoked_reason,
            ]

    return Export("so-khen-thuong.xlsx", _("Sổ khen thưởng"), columns, rows(), records.count())


@require_GET
@export_view
def register_export_view(request):
    """Up to core.exports.SYNC_EXPORT_ROWS rows the file at once; a larger register is written by a
    worker and offered on the job page."""
    query = _query(request.GET, "page")
    back = reverse("awards:register") + (f"?{query}" if query else "")
    form = _filter_form(request.user, request.GET, EXPORT_ACTION)
    if form.to_filter() is None:
        return invalid_filter_response(request, form, back_url=back)
    params = query_params(request.GET)
    params.pop("page", None)
    params.pop("per_page", None)
    return export_response(request, kind="awards.register", params=params, back_url=back)


# --- a record -----------------------------------------------------------------------------------------


def _record(request, pk: int) -> AwardRecord:
    return get_object_or_404(
        AwardRecord.objects.select_related("person__current_unit", "collective__unit", "unit", "revoked_by"),
        pk=pk,
    )


def _record_context(request, record: AwardRecord, form: RevokeForm | None) -> dict:
    page = selectors.record_page(record)
    decision = page["decision"]
    may_revoke = not record.revoked and request.user.has_perm("awards.revoke", record)
    issued = decision is not None and decision.status == DecisionStatus.ISSUED
    subject = record.person or record.collective
    return {
        "record": record,
        "subject": subject,
        "decision": decision,
        "decision_link": decision is not None and request.user.has_perm("awards.view_decision", decision),
        "certificate_link": issued
        and not record.revoked
        and request.user.has_perm("awards.view_decision", decision),
        "person_link": record.person is not None and request.user.has_perm("org.view_person", record.person),
        "collective_link": record.collective is not None
        and request.user.has_perm("org.view_unit", record.collective),
        "events": page["events"],
        "form": (form or RevokeForm()) if may_revoke or form is not None else None,
        "breadcrumbs": [
            (_("Sổ khen thưởng"), reverse("awards:register")),
            (f"{record.get_award_code_display()} — {subject}", None),
        ],
    }


@require_GET
@permission_required(VIEW, object_getter=_record)
def record_detail(request, pk: int):
    record = request.tdkt_object
    return render(request, "awards/record_detail.html", _record_context(request, record, None))


@require_POST
@permission_required("awards.revoke", object_getter=_record)
def record_revoke(request, pk: int):
    record = request.tdkt_object
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.award_revoke(actor=request.user, award_id=record.pk, **form.cleaned_data)
        except ServiceError as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("Đã ghi nhận quyết định huỷ bỏ khen thưởng; hồ sơ vẫn được lưu."))
            return redirect("awards:record_detail", pk=record.pk)
    record.refresh_from_db()
    return render(request, "awards/record_detail.html", _record_context(request, record, form), status=400)
