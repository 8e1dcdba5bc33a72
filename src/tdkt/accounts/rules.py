"""Permission predicates built on the scope helper, and `require_perm` for services and views.

Every permission is `<app>.<action>`; an object is covered when its unit (or, for a person, the
person) falls inside the user's scope for that action.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied

from tdkt.accounts.scope import has_action, scope_for


def _unit_of(obj):
    """The unit an object belongs to for scope: `scope_unit` when the model names it (a decision's
    issuing unit, a meeting's council's unit), else its `current_unit` or `unit`."""
    for attr in ("scope_unit", "current_unit", "unit"):
        unit = getattr(obj, attr, None)
        if unit is not None:
            return unit
    if obj.__class__.__name__ == "Unit":
        return obj
    return None


def scoped(action: str) -> rules.Predicate:
    @rules.predicate(name=f"scoped:{action}")
    def check(user, obj=None) -> bool:
        if obj is None:
            return has_action(user, action)
        scope = scope_for(user, action)
        if obj.__class__.__name__ == "Person":
            return scope.covers_person(obj)
        return scope.covers_record(obj, _unit_of(obj))

    return check


def register(*actions: str) -> None:
    for action in actions:
        if not rules.perm_exists(action):
            rules.add_perm(action, scoped(action))


def require_perm(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


register("core.view_audit", "core.view_job")
