"""Pagination the same way on every list: page-size choice, an out-of-range page falls back, elided links.

A list that can hold millions of rows (the people, the award register, a search) passes `count_cap`:
its pager counts at most that many rows and says "hơn 10.000" beyond, so the count costs the same on
a thousand rows and on twenty million (an exact COUNT(*) reads every matching row on each request).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

# beyond this many rows a list says "hơn 10.000" and pages up to here: nobody pages through 500 pages,
# they narrow the filter
COUNT_CAP = 10_000


def bounded_count(object_list, cap: int) -> tuple[int, bool]:
    """(rows, True) when `object_list` holds more than `cap` rows (rows is then `cap`), else (rows, False).

    On a queryset: one COUNT over at most cap + 1 ids, without the list's ordering (an ORDER BY under
    the LIMIT would sort every matching row first) and without its annotations and joins for display."""
    if hasattr(object_list, "query") and hasattr(object_list, "order_by"):
        n = object_list.order_by().values("pk")[: cap + 1].count()
    else:
        n = len(object_list)
    return (cap, True) if n > cap else (n, False)


def count_text(n: int, capped: bool = False) -> str:
    """A count as a list shows it: "1.234", or "hơn 10.000" when the count stopped at its cap."""
    shown = number_format(n, force_grouping=True)
    return _("hơn %(count)s") % {"count": shown} if capped else shown


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap` (`capped` says it did); pages run up to the cap."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        n, self.capped = bounded_count(self.object_list, self.cap)
        return n


def paginate(request, object_list, per_page: int, *, count_cap: int | None = None) -> Page:
    """A page of `object_list` (count query + page query), with `elided_range` for the page links and
    `count_text` ("1.234", or "hơn 10.000" when `count_cap` stopped the count)."""
    if count_cap:
        paginator: Paginator = CappedPaginator(object_list, per_page, cap=count_cap)
    else:
        paginator = Paginator(object_list, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    page.count_capped = getattr(paginator, "capped", False)
    page.count_text = count_text(paginator.count, page.count_capped)
    return page
