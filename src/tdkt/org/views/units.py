"""Units: the tree the user's scope covers, and one unit's page."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tdkt.accounts.permissions import ACTION_ROLES
from tdkt.accounts.scope import scope_for
from tdkt.core.access import permission_required
from tdkt.core.filters import UNIT_PICKER_MAX
from tdkt.org.models import Unit
from tdkt.org.selectors import predecessor_awards, predecessors_of, search_units, unit_page
from tdkt.org.selectors import unit_tree as select_unit_tree


@require_GET
@permission_required("org.view_unit")
def unit_tree(request):
    units = select_unit_tree(request.user)
    context = {
        "units": units,
        "total_people": sum(u.people_count for u in units),
        "breadcrumbs": [(_("Đơn vị"), None)],
    }
    return render(request, "org/unit_tree.html", context)


def _unit(request, pk: int) -> Unit:
    return get_object_or_404(Unit, pk=pk)


@require_GET
@permission_required("org.view_unit", object_getter=_unit)
def unit_detail(request, pk: int):
    unit = request.tdkt_object
    data = unit_page(unit)
    scope = scope_for(request.user, "org.view_unit")
    crumbs = [(_("Đơn vị"), reverse("org:unit_tree"))]
    for ancestor in data.ancestors:
        crumbs.append(
            (
                ancestor.name,
                reverse("org:unit_detail", args=[ancestor.pk]) if scope.covers(ancestor) else None,
            )
        )
    crumbs.append((unit.name, None))
    people_url = reverse("org:person_list") + f"?unit={unit.pk}&subtree=on"
    predecessors = predecessors_of(unit)  # merged or split into this unit: their history is its history
    context = {
        "unit": unit,
        "data": data,
        "predecessors": predecessors,
        "predecessor_awards": predecessor_awards([u.pk for u in predecessors]),
        "breadcrumbs": crumbs,
        "people_url": people_url if scope_for(request.user, "org.view_person").covers(unit) else None,
    }
    return render(request, "org/unit_detail.html", context)


UNIT_SEARCH_LIMIT = 20


@require_GET
@permission_required("org.view_unit")
def unit_search(request):
    """The suggestions of a unit picker (core.filters.UnitPickerWidget): at most 20 units matching `q`
    (or the picker's own field `unit`, as htmx sends it), as <option>s of a <datalist>.

    Only units the user may see, and, with `for=<action>`, only those of that action's scope too (the
    list being filtered: the people list offers the units whose people the user may see)."""
    query = request.GET.get("q", request.GET.get("unit", ""))
    query = "" if "\x00" in query else query[:UNIT_PICKER_MAX]
    scope = scope_for(request.user, "org.view_unit")
    action = request.GET.get("for", "")
    units = []
    if action in ACTION_ROLES and action != "org.view_unit":
        narrow = scope_for(request.user, action)
        units = [u for u in search_units(narrow, query, limit=UNIT_SEARCH_LIMIT) if scope.covers(u)]
    else:
        units = search_units(scope, query, limit=UNIT_SEARCH_LIMIT)
    return render(request, "org/_unit_options.html", {"units": units, "query": query})
