"""Every view declares its permission (`permission_required`) or is marked `public`.

tests/architecture/test_views_have_permissions.py walks all URL patterns and fails on a view with
neither, so no page is ever left open by mistake.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseForbidden


def public(view):
    """Mark a view as intentionally open to anonymous users (login, health check, language)."""
    view.tdkt_public = True
    return view


def _login_required(view):
    """`login_required`, except that an anonymous htmx request gets 403 with `HX-Redirect` to the login
    page: a plain redirect would be followed inside the request and the login form swapped into a
    fragment (a progress box polling after the session expired, a filtered list)."""
    redirecting = login_required(view)

    @wraps(view)
    def inner(request, *args, **kwargs):
        if request.headers.get("HX-Request") == "true" and not request.user.is_authenticated:
            # come back to the page the user was on, not to the fragment it asked for
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            back = (current.path + (f"?{current.query}" if current.query else "")) or request.get_full_path()
            response = HttpResponseForbidden()
            response["HX-Redirect"] = redirect_to_login(back).url
            return response
        return redirecting(request, *args, **kwargs)

    return inner


def authenticated(view):
    """Any signed-in user; the view itself narrows what it shows to the user's scope."""
    wrapped = _login_required(view)
    wrapped.tdkt_permission = "authenticated"
    return wrapped


def permission_required(perm: str, *, object_getter=None):
    """Require `perm` (a rules permission); with `object_getter(request, **kwargs)`, on that object.

    Two answers, so that an id tells nothing about records outside the user's scope:
    - a user whose roles do not grant `perm` anywhere gets 403 before any object is looked at;
    - a user who holds `perm` somewhere, asking for an object outside their scope, gets 404 exactly
      like an object that does not exist (the getter raises Http404 for those): the same status and
      page, so trying ids cannot count the people, units or collectives of other units."""

    def decorator(view):
        @wraps(view)
        def inner(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            if object_getter is not None:
                obj = object_getter(request, **kwargs)
                if not request.user.has_perm(perm, obj):
                    raise Http404
                request.tdkt_object = obj
            return view(request, *args, **kwargs)

        wrapped = _login_required(inner)
        wrapped.tdkt_permission = perm
        return wrapped

    return decorator
