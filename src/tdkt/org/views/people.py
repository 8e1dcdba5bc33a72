"""People: the list (search, filters, pages, Excel export) and the profile with its history by year."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tdkt.accounts.scope import scope_for
from tdkt.core.access import permission_required
from tdkt.core.excel import Column, xlsx_response
from tdkt.core.exports import EXPORT_ACTION, can_export, export_view
from tdkt.core.filters import invalid_filter_notice, invalid_filter_response
from tdkt.core.paging import paginate
from tdkt.org.enums import Rating
from tdkt.org.filters import PersonFilterForm
from tdkt.org.models import Person, Unit
from tdkt.org.selectors import (
    history_by_year,
    last_year,
    mask_id_number,
    people_for,
    prefetch_profile,
    tree_order,
    unit_labels,
)

RESULTS_TARGET = "person-results"


def _is_partial(request, target: str) -> bool:
    """An htmx request that swaps only `target` (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == target
        and not request.headers.get("HX-History-Restore-Request")
    )


RATING_LABELS = dict(Rating.choices)


def _filter_form(request, action: str) -> tuple[PersonFilterForm, dict[int, str]]:
    """The filter form with the units of the user's scope in tree order (units closed before today
    left out of the choices), and the distinguishing label of every unit of the scope."""
    scope = scope_for(request.user, action)
    units = scope.filter_units(Unit.objects.all())
    rows = tree_order(list(units.only("id", "name", "depth", "path", "sort_order", "kind", "active_to")))
    today = timezone.localdate()
    choices = [u for u in rows if u.active_to is None or u.active_to >= today]
    form = PersonFilterForm(request.GET, units=units, choices=choices)
    return form, unit_labels(rows)


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
    form, labels = _filter_form(request, "org.view_person")
    person_filter = form.to_filter()
    # an invalid filter shows its errors and no rows, never everyone as if it were the result
    people = people_for(request.user, person_filter) if person_filter else Person.objects.none()
    page = paginate(request, people, form.page_size)
    page.object_list = list(page.object_list)
    for p in page.object_list:
        p.unit_label = labels.get(p.current_unit_id, p.current_unit.name)
        p.year_rating_label = RATING_LABELS.get(p.year_rating, "")
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


@require_GET
@export_view
def person_export(request):
    form, labels = _filter_form(request, EXPORT_ACTION)
    person_filter = form.to_filter()
    if person_filter is None:
        back = reverse("org:person_list") + (
            f"?{query}" if (query := _query_without(request, "page")) else ""
        )
        return invalid_filter_response(request, form, back_url=back)
    people = people_for(request.user, person_filter, action=EXPORT_ACTION)
    private = scope_for(request.user, "org.view_private")
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

    return xlsx_response("danh-sach-can-bo.xlsx", columns=columns, rows=rows(), sheet=_("Cán bộ"))


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
        "years": history_by_year(person),
        "tabs": person_tabs(person, "info", request.user),
        "breadcrumbs": ([(_("Cán bộ"), reverse("org:person_list"))] if person_scope.units_only else [])
        + [(person.full_name, None)],
    }
    return render(request, "org/person_detail.html", context)
