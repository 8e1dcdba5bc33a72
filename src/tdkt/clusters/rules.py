"""Rights of the clusters app.

A cluster's year is not "in" one unit: it concerns the organising unit (the ministry) and the members of
the cluster that year. So:
- `clusters.view` on a cluster's year (or bloc): the organiser's roles in scope, or a unit of the user's
  scope is a member of that cluster that year;
- `clusters.manage` (blocs, clusters, memberships, the scoring table): the organiser's TĐKT specialists;
- `clusters.lead` (covenant, deadlines, appraisal, lock, ranking, conference, proposals, publication): the
  organiser's specialists, and the bloc head — a user holding the bloc-head role (or the TĐKT officer's) in
  the unit that heads that cluster that year, for that year only;
- `clusters.score` on a sheet: the member unit's TĐKT officer and head, while the user's unit is the sheet's.
The head's rights reach the members' bloc work of that year (their sheets, evidence, scores), never their
people's records: no org permission is granted here.
"""

from __future__ import annotations

import rules

from tdkt.accounts.scope import has_action, scope_for

ACTIONS = ("clusters.view", "clusters.manage", "clusters.lead", "clusters.score")


def _year_of(obj):
    """The ClusterYear an object belongs to, or None (a Bloc)."""
    from tdkt.clusters.models import Adjustment, ClusterYear, Evidence, Score, Sheet, Standing

    if isinstance(obj, ClusterYear):
        return obj
    if isinstance(obj, Sheet | Standing):
        return obj.cluster_year
    if isinstance(obj, Score):
        return obj.sheet.cluster_year
    if isinstance(obj, Evidence | Adjustment):
        return obj.score.sheet.cluster_year
    return None


def _unit_of(obj):
    from tdkt.clusters.models import Adjustment, Evidence, Score, Sheet

    if isinstance(obj, Sheet):
        return obj.unit
    if isinstance(obj, Score):
        return obj.sheet.unit
    if isinstance(obj, Evidence | Adjustment):
        return obj.score.sheet.unit
    return None


def _owner(obj):
    from tdkt.clusters.models import Bloc

    if isinstance(obj, Bloc):
        return obj.owner_unit
    year = _year_of(obj)
    return year.cluster.bloc.owner_unit if year is not None else None


def _organiser(user, action: str, obj) -> bool:
    owner = _owner(obj)
    return owner is not None and scope_for(user, action).covers(owner)


def heads(user, cluster_year) -> bool:
    """The user holds the bloc-head (or TĐKT officer's) role in the unit heading the cluster that year."""
    from tdkt.accounts.enums import Role
    from tdkt.accounts.models import RoleAssignment
    from tdkt.clusters.enums import BlocRole
    from tdkt.clusters.models import BlocMembership

    head_units = BlocMembership.objects.filter(
        cluster_id=cluster_year.cluster_id, year=cluster_year.year, role=BlocRole.HEAD
    ).values("unit_id")
    return (
        RoleAssignment.objects.current()
        .filter(user=user, role__in=[Role.BLOC_HEAD, Role.OFFICER], unit_id__in=head_units)
        .exists()
    )


def member_of(user, cluster_year, action: str = "clusters.view") -> bool:
    """A unit of the user's scope for `action` is a member of the cluster that year."""
    from tdkt.clusters.models import BlocMembership
    from tdkt.org.models import Unit

    scope = scope_for(user, action)
    if scope.everything:
        return True
    if not scope.units_only:
        return False
    members = BlocMembership.objects.filter(cluster_id=cluster_year.cluster_id, year=cluster_year.year)
    return scope.filter_units(Unit.objects.filter(pk__in=members.values("unit_id"))).exists()


@rules.predicate(name="clusters:view")
def can_view(user, obj=None) -> bool:
    if obj is None:
        return has_action(user, "clusters.view") or has_action(user, "clusters.score")
    if _organiser(user, "clusters.view", obj):
        return True
    year = _year_of(obj)
    if year is None:
        return False
    unit = _unit_of(obj)
    if unit is not None:  # a sheet and what is in it: its own unit, the head, or everyone once locked
        if scope_for(user, "clusters.view").covers(unit):
            return True
        from tdkt.clusters.enums import YearStatus

        if year.status not in (
            YearStatus.SETUP,
            YearStatus.SCORING,
            YearStatus.APPRAISAL,
            YearStatus.EXPLANATION,
        ):
            return member_of(user, year)
        return heads(user, year)
    return member_of(user, year) or heads(user, year)


@rules.predicate(name="clusters:manage")
def can_manage(user, obj=None) -> bool:
    if obj is None:
        return has_action(user, "clusters.manage")
    return _organiser(user, "clusters.manage", obj)


@rules.predicate(name="clusters:lead")
def can_lead(user, obj=None) -> bool:
    if obj is None:
        return has_action(user, "clusters.manage") or has_action(user, "clusters.lead")
    if _organiser(user, "clusters.manage", obj):
        return True
    year = _year_of(obj)
    return year is not None and heads(user, year)


@rules.predicate(name="clusters:score")
def can_score(user, obj=None) -> bool:
    if obj is None:
        return has_action(user, "clusters.score")
    unit = _unit_of(obj)
    return unit is not None and scope_for(user, "clusters.score").covers(unit)


for _name, _pred in (
    ("clusters.view", can_view),
    ("clusters.manage", can_manage),
    ("clusters.lead", can_lead),
    ("clusters.score", can_score),
):
    if not rules.perm_exists(_name):
        rules.add_perm(_name, _pred)


def head_users(cluster_year) -> list:
    """The users who lead the cluster that year (the bloc-head or TĐKT officer's role in the unit heading
    it), for notices."""
    from tdkt.accounts.enums import Role
    from tdkt.accounts.models import RoleAssignment
    from tdkt.clusters.enums import BlocRole
    from tdkt.clusters.models import BlocMembership

    head_units = BlocMembership.objects.filter(
        cluster_id=cluster_year.cluster_id, year=cluster_year.year, role=BlocRole.HEAD
    ).values("unit_id")
    return [
        a.user
        for a in RoleAssignment.objects.current()
        .filter(role__in=[Role.BLOC_HEAD, Role.OFFICER], unit_id__in=head_units)
        .select_related("user")
    ]
