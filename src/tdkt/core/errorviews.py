"""The error pages, in the interface's language and the site's frame (handler403/404/500 in urls.py,
CSRF_FAILURE_VIEW in settings.py)."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    """A form sent with a missing or stale security token: most often a page left open past a new
    login (the token changes at every login), or one kept open in another tab. Say so in plain words
    and offer the page back, never Django's technical page. `reason` is for logs, not for users."""
    referer = request.META.get("HTTP_REFERER", "")
    back = (
        referer
        if referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    return render(request, "errors/csrf.html", {"back_url": back}, status=403)
