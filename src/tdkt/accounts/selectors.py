"""Read paths of the accounts app: the login lockouts in force."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.utils import timezone

from tdkt.accounts.lockout import cool_off, failure_limit


@dataclass(frozen=True)
class Lockout:
    username: str
    ip: str | None
    failures: int
    locked_since: datetime.datetime
    ends: datetime.datetime

    def remaining_minutes(self, now: datetime.datetime | None = None) -> int:
        return minutes_left(self.ends, now)


def minutes_left(ends: datetime.datetime, now: datetime.datetime | None = None) -> int:
    """Whole minutes until `ends`, rounded up, at least 1 (a locked client is never told "0 minutes")."""
    seconds = (ends - (now or timezone.now())).total_seconds()
    return max(1, math.ceil(seconds / 60))


def _lockout(username, ip, rows, limit, window, now) -> Lockout | None:
    """`rows`: (attempt time, failures) of one user name at one address, one per browser (axes keeps a
    row per user agent and adds them up). Failures during a lockout are not recorded, so the lockout
    began at the newest row, and ends when the rows still in the window fall below the limit: when the
    row at which the newest-first running total reaches the limit leaves the window."""
    rows = sorted(rows, reverse=True)
    total = 0
    for at, failures in rows:
        total += failures
        if total >= limit:
            ends = at + window
            if ends < now:  # axes counts a row while attempt time >= now - cool-off
                return None
            return Lockout(username, ip, sum(f for _at, f in rows), rows[0][0], ends)
    return None


def current_lockouts(now: datetime.datetime | None = None) -> list[Lockout]:
    """Every user name and address locked out now, the most recent first. One query."""
    now = now or timezone.now()
    window = cool_off()
    limit = failure_limit()
    groups: dict[tuple[str, str | None], list[tuple[datetime.datetime, int]]] = defaultdict(list)
    attempts = AccessAttempt.objects.filter(attempt_time__gte=now - window).values_list(
        "username", "ip_address", "attempt_time", "failures_since_start"
    )
    for username, ip, at, failures in attempts:
        groups[(username or "", ip)].append((at, failures))
    found = [_lockout(u, ip, rows, limit, window, now) for (u, ip), rows in groups.items()]
    return sorted(
        (x for x in found if x is not None), key=lambda x: (-x.locked_since.timestamp(), x.username)
    )


def lockout_of(*, username: str, ip: str | None, now: datetime.datetime | None = None) -> Lockout | None:
    """The lockout of this user name at this address, or None."""
    now = now or timezone.now()
    window = cool_off()
    rows = AccessAttempt.objects.filter(
        username=username, ip_address=ip, attempt_time__gte=now - window
    ).values_list("attempt_time", "failures_since_start")
    return _lockout(username, ip, list(rows), failure_limit(), window, now)


def users_with(action: str, unit) -> list:
    """The active users whose current roles grant `action` on `unit` (held there, or above it with the
    subtree): who to notify about a unit's work. Admins are not included. One query."""
    from tdkt.accounts.models import RoleAssignment
    from tdkt.accounts.permissions import ACTION_ROLES

    ancestors = [int(x) for x in unit.path.strip("/").split("/") if x]
    rows = (
        RoleAssignment.objects.current()
        .filter(role__in=ACTION_ROLES.get(action, ()), unit_id__in=ancestors, user__is_active=True)
        .select_related("user")
    )
    users = {a.user_id: a.user for a in rows if a.unit_id == unit.pk or a.include_subtree}
    return list(users.values())
