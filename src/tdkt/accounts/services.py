"""Writes of the accounts app: login failures and lockout, role assignments."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tdkt.accounts.models import LoginFailure, RoleAssignment
from tdkt.core.audit import audit
from tdkt.core.enums import AuditAction


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.TDKT_LOGIN_LOCKOUT_MINUTES)


def is_locked_out(username: str) -> bool:
    recent = LoginFailure.objects.filter(username__iexact=username, at__gte=_window_start()).count()
    return recent >= settings.TDKT_LOGIN_MAX_FAILURES


def record_login_failure(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], ip=ip)


def record_login_success(*, user, ip: str | None) -> None:
    with transaction.atomic():
        LoginFailure.objects.filter(username__iexact=user.username).delete()
        audit(user, "user.login", user, changes={"ip": ip})


def role_assign(*, actor, user, role: str, unit, include_subtree: bool = True) -> RoleAssignment:
    with transaction.atomic():
        assignment, _created = RoleAssignment.objects.get_or_create(
            user=user, role=role, unit=unit, defaults={"include_subtree": include_subtree}
        )
        audit(
            actor,
            "role.assign",
            assignment,
            action=AuditAction.CREATE,
            changes={"user": user.username, "role": role, "unit": unit.pk, "subtree": include_subtree},
            unit_id=unit.pk,
        )
    return assignment
