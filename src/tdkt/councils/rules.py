"""Rights of the councils app.

- `councils.view`: the roles of `councils.view` in the unit's subtree, and the council's own members
  (a member without a role still reads their council, its meetings and, after close, the results);
- `councils.manage`: the roles of `councils.manage` (councils, members, meetings);
- `councils.run_meeting`: those who manage, and the meeting's secretary (attendance, opening and
  closing ballots, the counting committee's tallies, conclusions).
Voting is not a right of a role: the ballot service checks that the user is a present voting member.
"""

from __future__ import annotations

import rules

from tdkt.accounts.rules import scoped


def _council_id(obj) -> int | None:
    from tdkt.councils.models import Ballot, Council, CouncilMember, Meeting

    if isinstance(obj, Council):
        return obj.pk
    if isinstance(obj, Meeting | CouncilMember):
        return obj.council_id
    if isinstance(obj, Ballot):
        return obj.meeting.council_id
    return None


@rules.predicate
def is_council_member(user, obj=None) -> bool:
    from tdkt.councils.models import CouncilMember

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    members = CouncilMember.objects.filter(person__user=user, active=True)
    if obj is None:
        return members.exists()
    council_id = _council_id(obj)
    return council_id is not None and members.filter(council_id=council_id).exists()


@rules.predicate
def is_meeting_secretary(user, obj=None) -> bool:
    from tdkt.councils.models import Meeting

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if obj is None:
        return Meeting.objects.filter(secretary__person__user=user, secretary__active=True).exists()
    meeting = obj if isinstance(obj, Meeting) else getattr(obj, "meeting", None)
    if meeting is None or meeting.secretary_id is None:
        return False
    return Meeting.objects.filter(
        pk=meeting.pk, secretary__person__user=user, secretary__active=True
    ).exists()


@rules.predicate
def is_council_host(user, obj=None) -> bool:
    """The host of a conference council (a cluster's year-end conference) runs it."""
    from tdkt.councils.models import Council

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if obj is None:
        return Council.objects.filter(host=user).exists()
    council_id = _council_id(obj)
    return council_id is not None and Council.objects.filter(pk=council_id, host=user).exists()


@rules.predicate
def hosts_this_council(user, obj=None) -> bool:
    """The host, on their conference only: managing councils in general is not theirs."""
    return obj is not None and is_council_host(user, obj)


if not rules.perm_exists("councils.view"):
    rules.add_perm("councils.view", scoped("councils.view") | is_council_member | is_council_host)
if not rules.perm_exists("councils.manage"):
    rules.add_perm("councils.manage", scoped("councils.manage") | hosts_this_council)
if not rules.perm_exists("councils.run_meeting"):
    rules.add_perm("councils.run_meeting", scoped("councils.manage") | is_meeting_secretary | is_council_host)
