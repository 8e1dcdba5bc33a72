"""Bulk exports of lists, and what a list and its export do with a filter that does not validate.

One right governs every bulk export: `org.export` (accounts.permissions.ACTION_ROLES). Reading a list
is not taking it away in bulk: a council member reads the candidates of a year but does not export
their names and codes. Every export view therefore
- is decorated with `export_view` (403 to a role without the right; the right is what the
  view-permission test reads);
- keeps only the rows of the export scope, `scope_for(user, EXPORT_ACTION)`, besides the page's own
  scope (core cannot ask accounts for it: the view does, through its selector);
- is offered (its "Xuất Excel" button) only where `can_export(user)`;
- validates its filters with the list's own form and, when they do not validate, exports nothing:
  `core.filters.invalid_filter_response` answers 400 with the errors and a link back to the list.

A list whose filters do not validate shows no rows and `core.filters.invalid_filter_notice(form)`,
never the unfiltered list as if it were the result.
"""

from __future__ import annotations

from tdkt.core.access import permission_required

EXPORT_ACTION = "org.export"


def export_view(view):
    """Mark `view` as a bulk export: it requires the export right."""
    wrapped = permission_required(EXPORT_ACTION)(view)
    wrapped.tdkt_export = True
    return wrapped


def can_export(user) -> bool:
    """Whether to offer the "Xuất Excel" button (the user holds the export right somewhere)."""
    return user.has_perm(EXPORT_ACTION)
