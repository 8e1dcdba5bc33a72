"""The dashboard's registry: each domain app contributes cards and panels from its AppConfig.ready().

core sits below every domain app and imports none of them; apps register here instead (the
layered import contract stays intact and a new app adds its cards without touching core).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from tdkt.core.paging import COUNT_CAP, bounded_count, count_text

# provider(request) -> list of cards {"label", "value", "url" | None, "icon"} (+ "text": how the value
# reads, e.g. "hơn 10.000", from count_card)
CardProvider = Callable[[object], list[dict]]
# provider(request) -> list of panels {"template", "context"} rendered below the cards
PanelProvider = Callable[[object], list[dict]]

_card_providers: list[CardProvider] = []
_panel_providers: list[PanelProvider] = []


def register_cards(provider: CardProvider) -> CardProvider:
    if provider not in _card_providers:
        _card_providers.append(provider)
    return provider


def register_panels(provider: PanelProvider) -> PanelProvider:
    if provider not in _panel_providers:
        _panel_providers.append(provider)
    return provider


def count_seconds() -> int:
    """How long a dashboard count is reused: five minutes (none in tests, which change the data
    between requests); TDKT_DASHBOARD_COUNT_SECONDS in the settings changes it."""
    default = 0 if getattr(settings, "TESTING", False) else 300
    return getattr(settings, "TDKT_DASHBOARD_COUNT_SECONDS", default)


def count_card(label, queryset, *, url: str | None, icon: str, cap: int = COUNT_CAP) -> dict:
    """A card counting `queryset` up to `cap` ("hơn 10.000" beyond), the count kept in the cache for
    `count_seconds()` under its SQL (the user's scope is in it): the dashboard then opens in the same
    time for a unit and for the whole country. A filtered COUNT reads every matching row (up to the
    cap, and every row its filter must look at), on every visit of every user; the statistics page
    has the exact, current figures."""
    seconds = count_seconds()
    key = None
    if seconds and hasattr(queryset, "query"):
        sql = str(queryset.order_by().values("pk").query)
        key = "tdkt:count:" + hashlib.sha256(f"{cap}:{sql}".encode()).hexdigest()
    found = cache.get(key) if key else None
    if found is None:
        found = bounded_count(queryset, cap)
        if key:
            cache.set(key, found, seconds)
    value, capped = found
    return {"label": label, "value": value, "text": count_text(value, capped), "url": url, "icon": icon}


def cards(request) -> list[dict]:
    return [card for provider in _card_providers for card in provider(request)]


def panels(request) -> list[dict]:
    return [panel for provider in _panel_providers for panel in provider(request)]
