"""Access table of the working-day calendar (issue 9, item 4): the system admin reads a year's days off
and make-up days, adds next year's notice and removes an added day; every other role is refused."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tdkt.core.models import CalendarDay
from tests.architecture.matrix import Endpoint, Request, World

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
core:calendar                    GET    -       200 403 403 403 403 403 403 403 403 403 403 log
core:calendar_add                POST   -       302 403 403 403 403 403 403 403 403 403 403 log
core:calendar_remove             POST   -       302 403 403 403 403 403 403 403 403 403 403 log
"""
# fmt: on

ADDED_NOTE = "Ngày nghỉ thêm của ma trận quyền"


def build(world: World) -> None:
    world.extra["calendar_day"] = CalendarDay.objects.create(
        date=datetime.date(2030, 11, 25), kind="holiday", note=ADDED_NOTE, source="Thông báo thử 1/TB-BNV"
    )


def state() -> tuple:
    return tuple(sorted(CalendarDay.objects.values_list("date", "kind", "note")))


ENDPOINTS = {
    "core:calendar": Endpoint(
        lambda w, t: Request(reverse("core:calendar") + "?year=2030", marker=ADDED_NOTE)
    ),
    "core:calendar_add": Endpoint(
        lambda w, t: Request(
            reverse("core:calendar_add"),
            {"date": "26/11/2030", "kind": "holiday", "note": "Ngày nghỉ thử", "source": "Thông báo thử"},
            redirect=reverse("core:calendar"),
        ),
        changes=True,
    ),
    "core:calendar_remove": Endpoint(
        lambda w, t: Request(
            reverse("core:calendar_remove", args=[w.extra["calendar_day"].pk]),
            {},
            redirect=reverse("core:calendar"),
        ),
        changes=True,
    ),
}
