"""Every URL of tdkt leads to a view that declares its permission or is explicitly public."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name, entry.callback


def _declared(view) -> bool:
    # decorators built with functools.wraps (require_GET, never_cache) carry the attribute outward
    return bool(getattr(view, "tdkt_public", False) or getattr(view, "tdkt_permission", None))


def test_every_view_declares_a_permission_or_is_public():
    undeclared = [
        f"/{route} (name={name!r}, view={getattr(view, '__module__', '?')}.{getattr(view, '__name__', view)})"
        for route, name, view in _walk(get_resolver("tdkt.urls").url_patterns)
        if not _declared(view)
    ]
    assert not undeclared, "views without permission or `public`:\n" + "\n".join(undeclared)


def test_the_walk_sees_the_pages_of_the_interface():
    names = {name for _route, name, _view in _walk(get_resolver("tdkt.urls").url_patterns)}
    assert {"dashboard", "audit_list", "unit_tree", "person_list", "person_detail", "login"} <= names
