"""The dashboard's registry: each domain app contributes cards and panels from its AppConfig.ready().

core sits below every domain app and imports none of them; apps register here instead (the
layered import contract stays intact and a new app adds its cards without touching core).
"""

from __future__ import annotations

from collections.abc import Callable

# provider(request) -> list of cards {"label", "value", "url" | None, "icon"}
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


def cards(request) -> list[dict]:
    return [card for provider in _card_providers for card in provider(request)]


def panels(request) -> list[dict]:
    return [panel for provider in _panel_providers for panel in provider(request)]
