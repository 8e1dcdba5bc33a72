"""Pagination the same way on every list: page-size choice, an out-of-range page falls back, elided links."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def paginate(request, object_list, per_page: int) -> Page:
    """A page of `object_list` (count query + page query), with `elided_range` for the page links."""
    paginator = Paginator(object_list, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
