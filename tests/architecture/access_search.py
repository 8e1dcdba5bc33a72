"""Access table of the search page (issue 10): whoever may look people up searches within the same
scope — people and collectives of the units in it, the award records of those; a staff member finds
only themselves; nothing from outside the scope shows, not even in a count.

Targets: people — the query "m", which begins every person's code (M-A, M-SELF, ...) and no name;
collectives — the query "to", which begins every collective's name ("Tổ ...") and no person's.
Rows read: the names of the people and collectives found and of the holders of the awards shown.
"""

from __future__ import annotations

from django.urls import reverse

from tdkt.core.text import fold
from tdkt.org.models import Collective
from tests.architecture.matrix import Endpoint, Request, World

# A / all: the people of A's subtree / of the ministry (and their awards); At / allt: the same for the
# collectives; me: a staff member's own record (and its awards), nothing else
# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
org:search                       GET    people  all A   A   A   A   A   A   A   403 me  403 log
org:search                       GET    teams   allt At  At  At  At  At  At  At  403 nil 403 log
"""
# fmt: on

A_PEOPLE = {"Nguyễn Văn An", "Trần Thị Bình", "Phạm Thu Hà"}
OTHER_PEOPLE = {"Lê Văn Cường", "Đặng Quốc Khánh"}
A_TEAMS = {"Tổ Kế hoạch", "Tổ Pháp chế"}
OTHER_TEAMS = {"Tổ Kiểm soát"}
KNOWN = A_PEOPLE | OTHER_PEOPLE | A_TEAMS | OTHER_TEAMS


def build(world: World) -> None:
    # the world's collectives are created bare; give them the folded text their writer stores
    for c in world.collectives.values():
        Collective.objects.filter(pk=c.pk).update(search_text=fold(f"{c.name} {c.code}"))


def state() -> tuple:
    return ()


def _found(response) -> set[str]:
    results = response.context["results"]
    names = {p.full_name for p in results.people} | {c.name for c in results.collectives}
    names |= {a.person.full_name if a.person_id else a.collective.name for a in results.awards}
    return names & KNOWN  # people other tables add are theirs to check


ENDPOINTS = {
    "org:search": Endpoint(
        lambda w, t: Request(reverse("org:search") + ("?q=m" if t == "people" else "?q=to")),
        rows=_found,
        expected_rows={
            "A": A_PEOPLE,
            "all": A_PEOPLE | OTHER_PEOPLE,
            "At": A_TEAMS,
            "allt": A_TEAMS | OTHER_TEAMS,
            "me": {"Trần Thị Bình"},
            "nil": set(),
        },
    ),
}
