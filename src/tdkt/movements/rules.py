"""Permissions of movements and registrations.

A movement is not "in" one unit the way a person is: the ministry's movement concerns every unit
taking part. So `movements.view` (and register, view_consolidated) on a movement asks whether one of
its participating units meets the user's scope (selectors.movement_allowed); drafts are seen only by
those who may manage the owning unit. `movements.manage` on a movement covers its owning unit.
On a unit, a registration or an attachment the ordinary scope applies.
"""

from __future__ import annotations

import rules

from tdkt.accounts.scope import has_action, scope_for

ACTIONS = (
    "movements.view",
    "movements.manage",
    "movements.register",
    "movements.approve_registration",
    "movements.view_consolidated",
)


def _predicate(action: str) -> rules.Predicate:
    @rules.predicate(name=f"movements:{action}")
    def check(user, obj=None) -> bool:
        from tdkt.movements.models import Movement, MovementAttachment, Registration
        from tdkt.movements.selectors import movement_allowed

        if obj is None:
            return has_action(user, action)
        if isinstance(obj, MovementAttachment):
            obj = obj.movement
        if isinstance(obj, Movement):
            return movement_allowed(user, action, obj)
        scope = scope_for(user, action)
        if isinstance(obj, Registration):
            if obj.person_id and scope.own_person_id == obj.person_id:
                return True
            return scope.covers(obj.unit)
        if obj.__class__.__name__ == "Person":
            return scope.covers_person(obj)
        if obj.__class__.__name__ == "Unit":
            return scope.covers(obj)
        return False

    return check


for _action in ACTIONS:
    if not rules.perm_exists(_action):
        rules.add_perm(_action, _predicate(_action))
