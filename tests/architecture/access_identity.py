"""Access table of the ID-number review queue (issue 7, finding 3): the ministry's TĐKT department
(specialists) decides, within a scope covering both records; a clash reaching outside it reads as
nonexistent."""

from __future__ import annotations

from django.urls import reverse

from tdkt.org.models import IdentityReview
from tests.architecture.matrix import Endpoint, Request, World
from tests.factories import person

# a: both records in A's subtree; b: the holder is in department B (outside A's specialist)
# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
org:identity_list                GET    -       200 200 403 403 403 403 403 403 403 403 403 log
org:identity_detail              GET    a       200 200 403 403 403 403 403 403 403 403 403 log
org:identity_detail              GET    b       200 404 403 403 403 403 403 403 403 403 403 log
org:identity_merge               POST   a       302 302 403 403 403 403 403 403 403 403 403 log
org:identity_merge               POST   b       302 404 403 403 403 403 403 403 403 403 403 log
org:identity_reject              POST   a       302 302 403 403 403 403 403 403 403 403 403 log
"""
# fmt: on


def build(world: World) -> None:
    p = world.people
    # the records an officer of A just wrote, each with a number another record already held
    written = {
        key: person(
            world.units["a1"],
            family_name="Hồ",
            middle_name="Văn",
            given_name=name,
            code=f"M-NEW-{key}",
            active=False,  # not on the lists the core table counts
        )
        for key, name in (("a", "Lộc"), ("b", "Phúc"))
    }
    world.extra["reviews"] = {
        key: IdentityReview.objects.create(
            person=written[key],
            person_repr=written[key].code,
            holder=p[holder],
            id_number=number,
            source="t.xlsx",
        )
        for key, holder, number in (("a", "a", "001090000111"), ("b", "b", "001090000222"))
    }


def state() -> tuple:
    return tuple(sorted(IdentityReview.objects.values_list("id", "status")))


def _review(w: World, t: str) -> IdentityReview:
    return w.extra["reviews"][t]


ENDPOINTS = {
    "org:identity_list": Endpoint(lambda w, t: Request(reverse("org:identity_list"))),
    "org:identity_detail": Endpoint(
        lambda w, t: Request(
            reverse("org:identity_detail", args=[_review(w, t).pk]), marker=_review(w, t).holder.full_name
        )
    ),
    "org:identity_merge": Endpoint(
        lambda w, t: Request(
            reverse("org:identity_merge", args=[_review(w, t).pk]),
            {"unit_from": "holder"},
            redirect=reverse("org:identity_list"),
        ),
        changes=True,
    ),
    "org:identity_reject": Endpoint(
        lambda w, t: Request(
            reverse("org:identity_reject", args=[_review(w, t).pk]),
            {"note": "Khác người"},
            redirect=reverse("org:identity_list"),
        ),
        changes=True,
    ),
}
