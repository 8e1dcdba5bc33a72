"""How django-axes is fitted to tdkt: which client, which user name, what limit, what page.

Failures are counted per user name AND client address (AXES_LOCKOUT_PARAMETERS), so a guesser locks
only their own address, never the real user elsewhere (docs/decisions/0003-login-lockout.md). The
settings name these functions by their dotted path.
"""

from __future__ import annotations

import datetime
import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django.conf import settings
from django.contrib.auth.forms import UsernameField


def login_username(value) -> str:
    """The user name as the login form cleans it (surrounding spaces dropped, Unicode NFKC; case
    kept: Django user names are case-sensitive), so counting and authentication see the same name."""
    return UsernameField().to_python(value)


def client_username(request, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the name from the credentials given to `authenticate`, else the form."""
    if credentials and credentials.get("username") is not None:
        value = credentials["username"]
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username", "")
    return login_username(value)


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE, and the address written to the audit trail.

    REMOTE_ADDR by default. Behind TDKT_PROXY_COUNT reverse proxies that each append the address they
    received the request from to X-Forwarded-For (nginx `$proxy_add_x_forwarded_for`), the client is
    the N-th entry from the right; the entries left of it are whatever the client sent and are never
    trusted. A header shorter than that (a request that bypassed the proxies) falls back to REMOTE_ADDR.
    """
    if request is None:
        return None
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    count = settings.TDKT_PROXY_COUNT
    if count > 0:
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            return _valid_ip(hops[-count]) or remote
    return remote


def failure_limit(request=None, credentials: dict | None = None) -> int:
    """AXES_FAILURE_LIMIT: failures that lock a user name at one address."""
    return settings.TDKT_LOGIN_MAX_FAILURES


def cool_off(request=None) -> datetime.timedelta:
    """AXES_COOLOFF_TIME: how long a lockout lasts after the failure that caused it."""
    return datetime.timedelta(minutes=settings.TDKT_LOGIN_LOCKOUT_MINUTES)


def is_locked_out(request, username: str) -> bool:
    """True when axes refuses this user name from this request's client."""
    return not AxesProxyHandler.is_allowed(request, get_credentials(username))


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login form already says, in Vietnamese, that the client is locked
    out and for how long; keep that page instead of axes' English one."""
    return original_response


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check. A call without a request (the test client's `login`, a shell) has no
    client address to count against; it goes on to the password check. Every login through the web
    passes its request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
