"""Access table of the decisions (issue 8): read by those who read the unit's review; issued by the
unit head of the issuing unit or a leader whose scope holds it (the ministry's decisions are the
minister's: issue 9); a decision of another unit reads as nonexistent (404).

Targets: a — a draft decision of department A; b — a draft of department B.
"""

from __future__ import annotations

from django.urls import reverse

from tdkt.awards.models import Decision, DecisionLine
from tdkt.org.models import AwardRecord
from tests.architecture.matrix import Endpoint, Request, World

SUBJECTS = {"a": "Quyết định của Vụ Alpha", "b": "Quyết định của Vụ Beta"}

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
awards:decision_list             GET    -       all A   A   A   A   A   403 A   403 403 403 log
awards:decision_detail           GET    a       200 200 200 200 200 200 403 200 403 403 403 log
awards:decision_detail           GET    b       200 404 404 404 404 404 403 404 403 403 403 log
awards:decision_detail           POST   a       302 404 404 302 404 302 403 404 403 403 403 log
awards:decision_detail           POST   b       302 404 404 404 404 404 403 404 403 403 403 log
awards:decision_file             GET    a       200 200 200 200 200 200 403 200 403 403 403 log
awards:decision_file             GET    b       200 404 404 404 404 404 403 404 403 403 403 log
"""
# fmt: on


def build(world: World) -> None:
    from tests.architecture.test_access_matrix import LAST_YEAR

    decisions = {}
    for key, who in (("a", "a1"), ("b", "b")):
        p = world.people[who]
        d = Decision.objects.create(issuer_unit=world.units[key], year=LAST_YEAR + 1, subject=SUBJECTS[key])
        DecisionLine.objects.create(
            decision=d, person=p, unit=p.current_unit, award_code="giay_khen", first_year=LAST_YEAR + 1,
            last_year=LAST_YEAR + 1,
        )  # fmt: skip
        decisions[key] = d
    world.extra["decisions"] = decisions


def state() -> tuple:
    return (
        tuple(sorted(Decision.objects.values_list("id", "status"))),
        AwardRecord.objects.count(),
    )


def _d(w: World, t: str) -> Decision:
    return w.extra["decisions"][t]


ISSUE = {"number": "3", "symbol": "QĐ-TN", "decided_on": "15/01/2026", "signer_name": "Lê Văn Ký"}

ENDPOINTS = {
    "awards:decision_list": Endpoint(
        lambda w, t: Request(reverse("awards:decision_list")),
        rows=lambda r: {d.subject for d in r.context["page"].object_list},
        expected_rows={"A": {SUBJECTS["a"]}, "all": set(SUBJECTS.values())},
    ),
    "awards:decision_detail": Endpoint(
        lambda w, t: Request(
            reverse("awards:decision_detail", args=[_d(w, t).pk]),
            ISSUE,
            marker=SUBJECTS[t],
            redirect=reverse("awards:decision_detail", args=[_d(w, t).pk]),
        ),
        changes=True,
    ),
    "awards:decision_file": Endpoint(
        lambda w, t: Request(reverse("awards:decision_file", args=[_d(w, t).pk, "docx"]))
    ),
}
