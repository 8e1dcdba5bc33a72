"""The search page: people, collectives and award records matching a query, best match first, within
the user's scope (org.selectors.search). The header's search box sends its query here."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tdkt.accounts.scope import scope_for
from tdkt.core.access import permission_required
from tdkt.core.filters import style_fields
from tdkt.core.links import id_link
from tdkt.core.search import query_field, search_words
from tdkt.org.selectors import search


class SearchForm(forms.Form):
    q = query_field(gettext_lazy("Tìm cán bộ, tập thể, khen thưởng"))


PERSON, COLLECTIVE, RECORD = "org:person_detail", "org:collective_detail", "awards:record_detail"


def _link(results, user) -> None:
    """The page each result links to: the person's, the collective's, the award record's in the register
    for who may read the register (the `awards.view_register` rule: its unit in scope, or the user's own
    record), else its holder's. The scope is worked out once and each URL reversed once."""
    person, collective, record = (id_link(name) for name in (PERSON, COLLECTIVE, RECORD))
    for p in results.people:
        p.link = person(p.pk)
    for c in results.collectives:
        c.link = collective(c.pk)
    register = scope_for(user, "awards.view_register")
    for a in results.awards:
        if register.covers_record(a, a.unit):
            a.link = record(a.pk)
        elif a.person_id:
            a.link = person(a.person_id)
        else:
            a.link = collective(a.collective_id)


@require_GET
@permission_required("org.view_person")
def search_page(request):
    form = SearchForm(request.GET)
    if not request.GET.get("q"):
        form.fields["q"].widget.attrs["autofocus"] = True  # reached from the header's search button
    style_fields(form)
    results = None
    notice = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        if query.strip() and not search_words(query):
            notice = _("Từ khoá chỉ có dấu câu hoặc ký hiệu; hãy gõ tên hoặc mã cần tìm.")
        elif query.strip():
            results = search(request.user, query)
            _link(results, request.user)
    context = {
        "form": form,
        "results": results,
        "notice": notice,
        "people_url": reverse("org:person_list"),
        "breadcrumbs": [(_("Tìm kiếm"), None)],
    }
    return render(request, "org/search.html", context)
