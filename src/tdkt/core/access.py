"""Every view declares its permission (`permission_required`) or is marked `public`.

tests/architecture/test_views_have_permissions.py walks all URL patterns and fails on a view with
neither, so no page is ever left open by mistake.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def public(view):
    """Mark a view as intentionally open to anonymous users (login, health check, language)."""
    view.tdkt_public = True
    return view


def authenticated(view):
    """Any signed-in user; the view itself narrows what it shows to the user's scope."""
    wrapped = login_required(view)
    wrapped.tdkt_permission = "authenticated"
    return wrapped


def permission_required(perm: str, *, object_getter=None):
    """Require `perm` (a rules permission); with `object_getter(request, **kwargs)`, on that object."""

    def decorator(view):
        @wraps(view)
        def inner(request, *args, **kwargs):
            obj = object_getter(request, **kwargs) if object_getter else None
            if not request.user.has_perm(perm, obj):
                raise PermissionDenied
            if obj is not None:
                request.tdkt_object = obj
            return view(request, *args, **kwargs)

        wrapped = login_required(inner)
        wrapped.tdkt_permission = perm
        return wrapped

    return decorator
