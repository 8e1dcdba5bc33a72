"""Writes of the accounts app: logins and lockouts in the audit trail, lifting a lockout, role assignments.

Counting failed logins and locking out is django-axes' (see accounts/lockout.py); these functions record
what happened and let the system admin lift a lockout early.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.db import transaction
from django.utils.translation import gettext as _

from tdkt.accounts.models import RoleAssignment, User
from tdkt.accounts.rules import require_perm
from tdkt.accounts.selectors import lockout_of
from tdkt.core.audit import audit
from tdkt.core.enums import AuditAction
from tdkt.core.errors import ServiceError


def record_login_success(*, user, ip: str | None) -> None:
    audit(user, "user.login", user, changes={"ip": ip})


def _audit_lockout(actor, event: str, *, username: str, ip: str | None, failures: int) -> None:
    # the user name may be one that does not exist (a guess): the trail still names it
    user = User.objects.filter(username=username).first()
    audit(
        actor,
        event,
        user,
        changes={"user": username, "ip": ip, "failures": failures},
        object_type=None if user else User._meta.label_lower,
        object_repr=None if user else username,
    )


def record_lockout(*, username: str, ip: str | None, failures: int) -> None:
    """A client has just reached the failure limit for a user name. The trail keeps which name, from
    which address and how many failures; never a password that was tried."""
    _audit_lockout(None, "user.locked", username=username, ip=ip, failures=failures)


def lockout_clear(*, actor, username: str, ip: str | None) -> int:
    """The system admin lifts the lockout of one user name at one address before its cool-off ends.
    Returns the number of failures forgotten."""
    require_perm(actor, "core.view_audit")
    with transaction.atomic():
        lockout = lockout_of(username=username, ip=ip)
        deleted = 0
        if lockout is not None:
            deleted, _rows = AccessAttempt.objects.filter(username=username, ip_address=ip).delete()
        if not deleted:  # expired meanwhile, or another admin was quicker
            raise ServiceError(
                _("Tài khoản %(user)s tại địa chỉ %(ip)s hiện không bị khoá.")
                % {"user": username, "ip": ip or "—"}
            )
        _audit_lockout(actor, "user.unlock", username=username, ip=ip, failures=lockout.failures)
    return lockout.failures


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
