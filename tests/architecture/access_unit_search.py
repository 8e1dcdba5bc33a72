"""Access table of the unit picker's suggestions (issue 10, item 8): whoever may see units gets the
units of their scope matching what they type, and nothing of another unit — a unit of department B
typed by name is not suggested, exactly as a unit that does not exist.

Targets: - — no query (the top of the scope's tree); b — "Beta" typed (department B's name)."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.architecture.matrix import Endpoint, Request, World

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
org:unit_search                  GET    -       all A   A   A   A   A   A   A   403 403 403 log
org:unit_search                  GET    b       B   nil nil nil nil nil nil nil 403 403 403 log
"""
# fmt: on


def build(world: World) -> None:
    pass


def state() -> tuple:
    return ()


def _suggested(response) -> set[str]:
    """The units suggested: each <option>'s label without the direct unit it names after " — "."""
    labels = re.findall(r"<option value=\"[^\"]*\">([^<]*)</option>", response.content.decode())
    return {label.split(" — ")[0] for label in labels}


ENDPOINTS = {
    "org:unit_search": Endpoint(
        lambda w, t: Request(
            reverse("org:unit_search") + ("?q=Beta&for=org.view_person" if t == "b" else ""),
            marker=w.units["b"].name if t == "b" else None,
        ),
        rows=_suggested,
        expected_rows={
            "A": {"Vụ Alpha", "Phòng Alpha Một"},
            "all": {"Bộ Thử nghiệm", "Vụ Alpha", "Phòng Alpha Một", "Vụ Beta"},
            "B": {"Vụ Beta"},
            "nil": set(),
        },
    ),
}
