"""A collective's page: what it is, where it sits, and its years (ratings, titles, awards, initiatives)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tdkt.accounts.scope import scope_for
from tdkt.core.access import permission_required
from tdkt.org.models import Collective
from tdkt.org.selectors import collective_timeline, predecessor_collective_years


def _collective(request, pk: int) -> Collective:
    return get_object_or_404(Collective.objects.select_related("unit"), pk=pk)


@require_GET
@permission_required("org.view_unit", object_getter=_collective)
def collective_detail(request, pk: int):
    collective = request.tdkt_object
    unit_scope = scope_for(request.user, "org.view_unit")
    context = {
        "collective": collective,
        "years": collective_timeline(collective, request.user),
        # the own collectives of the units this collective's unit succeeded, shown "tại <old unit>"
        "earlier": predecessor_collective_years(collective, request.user),
        "eligibility_link": request.user.has_perm("rulebook.view_eligibility", collective),
        "breadcrumbs": [
            (_("Đơn vị"), reverse("org:unit_tree")),
            (
                collective.unit.name,
                reverse("org:unit_detail", args=[collective.unit_id])
                if unit_scope.covers(collective.unit)
                else None,
            ),
            (collective.name, None),
        ],
    }
    return render(request, "org/collective_detail.html", context)
