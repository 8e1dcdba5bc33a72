"""The one place that turns a user's role assignments into the units (and records) they may act on.

Predicates call `scope_for(user, action).covers(unit)`; selectors call `.filter(queryset, "unit")`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from tdkt.accounts.enums import Role
from tdkt.accounts.models import RoleAssignment
from tdkt.accounts.permissions import ACTION_ROLES, SELF_ACTIONS


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    subtree_paths: tuple[str, ...] = ()
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    own_person_id: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.everything or self.subtree_paths or self.unit_ids or self.own_person_id)

    @property
    def units_only(self) -> bool:
        """True when the scope covers whole units (not just the user's own record)."""
        return self.everything or bool(self.subtree_paths or self.unit_ids)

    def covers(self, unit) -> bool:
        if self.everything:
            return True
        if unit is None:
            return False
        if unit.pk in self.unit_ids:
            return True
        return self.covers_path(unit.path)

    def covers_path(self, path: str) -> bool:
        """Whether the unit at `path` lies in one of the scope's subtrees (or the scope is everything)."""
        return self.everything or any(path.startswith(p) for p in self.subtree_paths)

    def covers_record(self, obj, unit) -> bool:
        """A record of a person or collective (an award, a nomination): the user's own, or its `unit`
        covered (what the rules' scoped predicate asks of any object but a person)."""
        person_id = getattr(obj, "person_id", None)
        if person_id and self.own_person_id == person_id:
            return True
        return self.covers(unit)

    def covers_person(self, person) -> bool:
        if self.own_person_id and person.pk == self.own_person_id:
            return True
        return self.covers(person.current_unit)

    def unit_q(self, field_name: str) -> Q:
        """Q over a unit foreign key named `field_name` (e.g. "unit" or "current_unit")."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        for path in self.subtree_paths:
            q |= Q(**{f"{field_name}__path__startswith": path})
        if self.unit_ids:
            q |= Q(**{f"{field_name}_id__in": sorted(self.unit_ids)})
        return q

    def filter(self, qs: QuerySet, field_name: str = "unit", person_field: str | None = None) -> QuerySet:
        """Keep rows whose unit is covered; with `person_field`, also the user's own rows."""
        if self.everything:
            return qs
        q = self.unit_q(field_name)
        if self.own_person_id and person_field:
            q |= Q(**{person_field: self.own_person_id})
        return qs.filter(q)

    def filter_units(self, qs: QuerySet) -> QuerySet:
        if self.everything:
            return qs
        q = Q(pk__in=sorted(self.unit_ids))
        for path in self.subtree_paths:
            q |= Q(path__startswith=path)
        return qs.filter(q)


def _assignments(user):
    cache = getattr(user, "_tdkt_assignments", None)
    if cache is None:
        cache = list(RoleAssignment.objects.current().filter(user=user).select_related("unit"))
        user._tdkt_assignments = cache
    return cache


def is_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or any(a.role == Role.ADMIN for a in _assignments(user))


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {a.role for a in _assignments(user)} | ({Role.ADMIN} if user.is_superuser else set())


def scope_for(user, action: str) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if is_admin(user):
        return Scope(everything=True)
    roles = ACTION_ROLES.get(action, frozenset())
    paths: list[str] = []
    unit_ids: set[int] = set()
    for assignment in _assignments(user):
        if assignment.role not in roles:
            continue
        if assignment.include_subtree:
            paths.append(assignment.unit.path)
        else:
            unit_ids.add(assignment.unit_id)
    own = None
    if action in SELF_ACTIONS:
        own = getattr(getattr(user, "person", None), "pk", None) if _has_person(user) else None
    return Scope(subtree_paths=tuple(sorted(set(paths))), unit_ids=frozenset(unit_ids), own_person_id=own)


def _has_person(user) -> bool:
    try:
        return user.person is not None
    except Exception:  # RelatedObjectDoesNotExist: the account is not linked to a person
        return False


def has_action(user, action: str) -> bool:
    """True when the user may take `action` somewhere (to show a menu entry)."""
    return not scope_for(user, action).empty
