"""Access table of the restructuring of units (issue 11, item 7): the ministry's TĐKT department
(specialists) records mergers, splits, renamings and moves of the units its scope covers; a unit outside
it is answered like a unit that does not exist (the form's message), and the list shows only the
restructurings whose every unit is inside the scope."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tdkt.org.models import Restructuring, UnitSuccession
from tests.architecture.matrix import Endpoint, Request, World

# a1: merge A's sub-unit A1 into A (inside A's scope); b: merge department B into A (B is outside it:
# the specialist of A gets the form back with "not in your scope", nothing written)
# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
org:restructuring_list           GET    -       all A   403 403 403 403 403 403 403 403 403 log
org:restructuring_create         GET    -       200 200 403 403 403 403 403 403 403 403 403 log
org:restructuring_create         POST   a1      302 302 403 403 403 403 403 403 403 403 403 log
org:restructuring_create         POST   b       302 200 403 403 403 403 403 403 403 403 403 log
"""
# fmt: on

ROWS = {"A": {"QĐ-A1-TEN"}, "all": {"QĐ-A1-TEN", "QĐ-B-TEN"}}


def build(world: World) -> None:
    # two renamings already recorded (rows only: the units keep the names the other tables look for)
    for key, number in (("a1", "QĐ-A1-TEN"), ("b", "QĐ-B-TEN")):
        r = Restructuring.objects.create(kind="rename", on=datetime.date(2024, 1, 1), decision_number=number)
        UnitSuccession.objects.create(
            restructuring=r, predecessor=world.units[key], successor=world.units[key]
        )


def state() -> tuple:
    return (
        tuple(sorted(Restructuring.objects.values_list("id", flat=True))),
        tuple(sorted(UnitSuccession.objects.values_list("id", flat=True))),
    )


def _merge(w: World, t: str) -> Request:
    return Request(
        reverse("org:restructuring_create"),
        {
            "kind": "merge",
            "predecessors": w.units[t].code,
            "successor": str(w.units["a"].pk),
            "on": "01/07/2025",
            "decision_number": "12/QĐ-BO",
        },
        redirect=reverse("org:restructuring_list"),
    )


ENDPOINTS = {
    "org:restructuring_list": Endpoint(
        lambda w, t: Request(reverse("org:restructuring_list")),
        rows=lambda r: {x.decision_number for x in r.context["page"].object_list},
        expected_rows=ROWS,
    ),
    "org:restructuring_create": Endpoint(
        lambda w, t: _merge(w, t) if t != "-" else Request(reverse("org:restructuring_create"))
    ),
}
