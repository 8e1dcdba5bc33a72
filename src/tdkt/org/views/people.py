"""People: the list (search, filters, pages, Excel export) and the profile with its history by year."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tdkt.accounts.scope import scope_for
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.excel import Column
from tdkt.core.exports import (
    EXPORT_ACTION,
    Export,
    can_export,
    export_request,
    export_response,
    export_view,
    exporter,
    query_params,
)
from tdkt.core.filters import invalid_filter_notice, invalid_filter_response
from tdkt.core.links import id_link
from tdkt.core.paging import COUNT_CAP, paginate
from tdkt.org.enums import Rating
from tdkt.org.filters import PersonFilterForm
from tdkt.org.models import Person, Unit
from tdkt.org.selectors import (
    history_by_year,
    last_year,
    mask_id_number,
    people_for,
    prefetch_profile,
    unit_labels,
    unit_labels_for,
)

RESULTS_TARGET = "person-results"
RECENT_YEARS = 3  # years of history on the profile's first tab


def _is_partial(request, target: str) -> bool:
    """An htmx request that swaps only `target` (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == target
        and not request.headers.get("HX-History-Restore-Request")
    )


RATING_LABELS = dict(Rating.choices)


class _ScopeUnitLabels:
    """The distinguishing label of every unit of a scope (org.selectors.unit_labels), read on first use:
    the export labels all its rows with it; the list never asks (it labels only its page's units)."""

    def __init__(self, units):
        self.units = units
        self._labels: dict[int, str] | None = None

    def get(self, unit_id: int, default: str | None = None) -> str | None:
        if self._labels is None:
            self._labels = unit_labels(list(self.units.only("id", "name", "path")))
        return self._labels.get(unit_id, default)


def _filter_form(request, action: str) -> tuple[PersonFilterForm, _ScopeUnitLabels]:
    """The filter form, accepting the units of the user's scope for `action` (a picker that searches:
    nothing here reads the units), and the labels of the scope's units, read only if asked."""
    units = scope_for(request.user, action).filter_units(Unit.objects.all())
    return PersonFilterForm(request.GET, units=units), _ScopeUnitLabels(units)


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@require_GET
@permission_required("org.view_person")
def person_list(request):
    scope = scope_for(request.user, "org.view_person")
    if not scope.units_only:
        # a staff member has no list to browse: their own record is the page
        if scope.own_person_id:
            return redirect("org:person_detail", pk=scope.own_person_id)
        raise PermissionDenied
    form, _labels = _filter_form(request, "org.view_person")
    person_filter = form.to_filter()
    # an invalid filter shows its errors and no rows, never everyone as if it were the result
    people = people_for(request.user, person_filter) if person_filter else Person.objects.none()
    # the count stops at COUNT_CAP ("hơn 10.000"): the same cost on a unit and on the whole country
    page = paginate(request, people, form.page_size, count_cap=COUNT_CAP)
    page.object_list = list(page.object_list)
    labels = unit_labels_for({p.current_unit for p in page.object_list}, scope)
    person_link = id_link("org:person_detail")
    for p in page.object_list:
        p.unit_label = labels.get(p.current_unit_id, p.current_unit.name)
        p.year_rating_label = RATING_LABELS.get(p.year_rating, "")
        p.link = person_link(p.pk)
    context = {
        "form": form,
        "page": page,
        "filter_error": invalid_filter_notice(form),
        "rating_year": (person_filter.rating_year if person_filter else None) or last_year(),
        "query": _query_without(request, "page"),
        "export_query": _query_without(request, "page", "per_page"),
        "can_export": can_export(request.user),
        "results_target": RESULTS_TARGET,
        "breadcrumbs": [(_("Cán bộ"), None)],
    }
    template = "org/person_list.html"
    if _is_partial(request, RESULTS_TARGET):
        template += "#results"
    return render(request, template, context)


@exporter("org.people")
def people_export_rows(*, user, params: dict) -> Export:
    """The people list as an Excel export (core.exports): the list's filters validated by its form, rows
    kept to the export scope; the ID number in full only where the user may read it."""
    form, labels = _filter_form(export_request(user, params), EXPORT_ACTION)
    person_filter = form.to_filter()
    if person_filter is None:
        raise ServiceError(invalid_filter_notice(form))
    people = people_for(user, person_filter, action=EXPORT_ACTION)
    private = scope_for(user, "org.view_private")
    columns = [
        Column(_("Mã cán bộ"), 12),
        Column(_("Họ và tên"), 28),
        Column(_("Giới tính"), 9),
        Column(_("Ngày sinh"), 12, "date"),
        Column(_("Đơn vị"), 36),
        Column(_("Chức vụ"), 24),
        Column(_("Loại cán bộ"), 18),
        Column(_("Lao động trực tiếp"), 11, "bool"),
        Column(_("Lãnh đạo, quản lý"), 11, "bool"),
    ]
    show_private = not private.empty
    if show_private:
        columns.append(Column(_("Số định danh cá nhân"), 16))

    def rows():
        for p in people.iterator(chunk_size=2000):
            row = [
                p.code,
                p.full_name,
                p.get_gender_display(),
                p.birth_date,
                labels.get(p.current_unit_id, p.current_unit.name),
                p.position,
                p.get_employment_display(),
                p.direct_worker,
                p.leader,
            ]
            if show_private:
                row.append(p.id_number if private.covers_person(p) else mask_id_number(p.id_number))
            yield row

    return Export("danh-sach-can-bo.xlsx", _("Cán bộ"), columns, rows(), people.count())


@require_GET
@export_view
def person_export(request):
    """Up to core.exports.SYNC_EXPORT_ROWS rows the file at once; a larger list is written by a worker
    and offered on the job page."""
    form, _labels = _filter_form(request, EXPORT_ACTION)
    back = reverse("org:person_list") + (f"?{query}" if (query := _query_without(request, "page")) else "")
    if form.to_filter() is None:
        return invalid_filter_response(request, form, back_url=back)
    params = query_params(request.GET)
    params.pop("page", None)
    return export_response(request, kind="org.people", params=params, back_url=back)


def _person(request, pk: int) -> Person:
    return get_object_or_404(Person.objects.select_related("current_unit"), pk=pk)


def person_tabs(person: Person, active: str, user) -> list[dict]:
    """The profile's tab bar; another page of the person adds its tab here with one line.

    A tab shows only to a user who may open it on this person (a bloc head sees the profile but not
    the eligibility tab, which is the unit's and the ministry's work)."""
    tabs = [
        {
            "key": "info",
            "label": _("Thông tin"),
            "url": reverse("org:person_detail", args=[person.pk]),
            "perm": "org.view_person",
        },
        {
            "key": "eligibility",
            "label": _("Xét danh hiệu"),
            "url": reverse("rulebook:person_eligibility", args=[person.pk]),
            "perm": "rulebook.view_eligibility",
        },
        {
            "key": "timeline",
            "label": _("Quá trình theo năm"),
            "url": reverse("org:person_timeline", args=[person.pk]),
            "perm": "org.view_person",
        },
        {
            "key": "reviews",
            "label": _("Bình xét"),
            "url": reverse("reviews:person_candidacies", args=[person.pk]),
            "perm": "reviews.view",
        },
    ]
    tabs = [tab for tab in tabs if user.has_perm(tab["perm"], person)]
    for tab in tabs:
        tab["active"] = tab["key"] == active
    return tabs


@require_GET
@permission_required("org.view_person", object_getter=_person)
def person_detail(request, pk: int):
    person = prefetch_profile(request.tdkt_object)
    can_see_private = request.user.has_perm("org.view_private", person)
    person_scope = scope_for(request.user, "org.view_person")
    unit_scope = scope_for(request.user, "org.view_unit")
    context = {
        "person": person,
        "id_number": person.id_number if can_see_private else mask_id_number(person.id_number),
        "can_see_private": can_see_private,
        "unit_link": unit_scope.covers(person.current_unit),
        "positions": person.positions.all(),
        # the latest years; the whole of them, with transfers, on the timeline tab
        "years": history_by_year(person)[:RECENT_YEARS],
        "timeline_url": reverse("org:person_timeline", args=[person.pk]),
        "tabs": person_tabs(person, "info", request.user),
        "breadcrumbs": ([(_("Cán bộ"), reverse("org:person_list"))] if person_scope.units_only else [])
        + [(person.full_name, None)],
    }
    return render(request, "org/person_detail.html", context)
