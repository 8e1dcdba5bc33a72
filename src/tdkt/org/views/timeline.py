"""A person's timeline: one row per year with rating, titles, awards (revoked ones marked), discipline,
leave, initiatives and transfers — a tab of the profile."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tdkt.accounts.scope import scope_for
from tdkt.core.access import permission_required
from tdkt.org.models import Person
from tdkt.org.selectors import person_timeline as select_person_timeline
from tdkt.org.selectors import prefetch_profile
from tdkt.org.views.people import person_tabs


def _person(request, pk: int) -> Person:
    return get_object_or_404(Person.objects.select_related("current_unit"), pk=pk)


@require_GET
@permission_required("org.view_person", object_getter=_person)
def person_timeline(request, pk: int):
    person = prefetch_profile(request.tdkt_object)
    person_scope = scope_for(request.user, "org.view_person")
    context = {
        "person": person,
        "years": select_person_timeline(person, request.user),
        "tabs": person_tabs(person, "timeline", request.user),
        "breadcrumbs": ([(_("Cán bộ"), reverse("org:person_list"))] if person_scope.units_only else [])
        + [
            (person.full_name, reverse("org:person_detail", args=[person.pk])),
            (_("Quá trình theo năm"), None),
        ],
    }
    return render(request, "org/timeline.html", context)
