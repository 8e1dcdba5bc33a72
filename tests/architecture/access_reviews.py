"""Access table of the review rounds (issue 8): who reads a round, who changes its list, sends it to the
council, concludes it and drafts the decision; a staff member's own candidacies.

Targets: a — department A's round of last year (preparing, with candidates of A); b — department B's;
council — A1's round before the council; concluded — A1's round of the year before, concluded with one
candidate for the unit head's decision. For candidates: a / b — an included candidate of that round;
out — a dropped candidate of A's round.

The policy, in words:
- reading rounds and a person's candidacies: specialist, officer, unit head, council member, leader,
  inspector of the unit (not the bloc head, whose work is the bloc); a staff member reads only their
  own candidacies; a round of another unit reads as nonexistent (404);
- changing the list, sending it, reopening, concluding, drafting the decision: specialist and officer
  managing the unit;
- the list's export: the export right (not council members, bloc heads, staff).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tdkt.councils import services as councils
from tdkt.councils.enums import MemberRole
from tdkt.councils.models import Meeting
from tdkt.reviews.enums import Origin, Outcome, RoundStatus
from tdkt.reviews.models import Candidate, CandidateChange, ReviewRound
from tests.architecture.matrix import Endpoint, Request, World
from tests.factories import make_user

ROUND_TITLES = {"a": "Bình xét Vụ Alpha", "b": "Bình xét Vụ Beta"}

# fmt: off
MATRIX = """
# url name                       method target     adm spc off hd  cnc ldr blc ins prt stf non ano
reviews:round_list               GET    -          all A   A   A   A   A   403 A   403 302 403 log
reviews:round_create             POST   -          302 302 302 403 403 403 403 403 403 403 403 log
reviews:round_detail             GET    a          200 200 200 200 200 200 403 200 403 404 403 log
reviews:round_detail             GET    b          200 404 404 404 404 404 403 404 403 404 403 log
reviews:round_prefill            POST   a          302 302 302 403 403 403 403 403 403 403 403 log
reviews:round_prefill            POST   b          302 404 404 403 403 403 403 403 403 403 403 log
reviews:candidate_add            POST   a          302 302 302 403 403 403 403 403 403 403 403 log
reviews:candidate_add            POST   b          302 404 404 403 403 403 403 403 403 403 403 log
reviews:candidate_drop           POST   a          302 302 302 403 403 403 403 403 403 403 403 log
reviews:candidate_drop           POST   b          302 404 404 403 403 403 403 403 403 403 403 log
reviews:candidate_restore        POST   out        302 302 302 403 403 403 403 403 403 403 403 log
reviews:round_send               POST   a          302 302 302 403 403 403 403 403 403 403 403 log
reviews:round_reopen             POST   council    302 302 302 403 403 403 403 403 403 403 403 log
reviews:round_conclude           POST   council    302 302 302 403 403 403 403 403 403 403 403 log
reviews:round_decision           POST   concluded  302 302 302 403 403 403 403 403 403 403 403 log
reviews:round_export             GET    a          200 200 200 200 403 200 403 200 403 403 403 log
reviews:round_export             GET    b          200 404 404 404 403 404 403 404 403 403 403 log
reviews:mine                     GET    -          403 403 403 403 403 403 403 403 403 200 403 log
reviews:person_candidacies       GET    a          200 200 200 200 200 200 403 200 403 404 403 log
reviews:person_candidacies       GET    self       200 200 200 200 200 200 403 200 403 200 403 log
reviews:person_candidacies       GET    b          200 404 404 404 404 404 403 404 403 404 403 log
"""
# fmt: on


def build(world: World) -> None:
    from tests.architecture.test_access_matrix import LAST_YEAR

    units, people = world.units, world.people
    rounds = {
        "a": ReviewRound.objects.create(unit=units["a"], year=LAST_YEAR, title=ROUND_TITLES["a"]),
        "b": ReviewRound.objects.create(unit=units["b"], year=LAST_YEAR, title=ROUND_TITLES["b"]),
        "council": ReviewRound.objects.create(
            unit=units["a1"], year=LAST_YEAR, title="Bình xét Phòng Alpha Một", status=RoundStatus.IN_COUNCIL
        ),
        "concluded": ReviewRound.objects.create(
            unit=units["a1"], year=LAST_YEAR - 1, title="Bình xét năm trước", status=RoundStatus.CONCLUDED
        ),
    }

    def candidate(review, who, **extra):
        p = people[who]
        return Candidate.objects.create(
            round=review, person=p, unit=p.current_unit, award_code="ldtt", origin=Origin.ENGINE,
            verdict="eligible", **extra,
        )  # fmt: skip

    candidates = {
        "a": candidate(rounds["a"], "a"),
        "self": candidate(rounds["a"], "self"),
        "out": candidate(rounds["a"], "a1", included=False),
        "b": candidate(rounds["b"], "b"),
    }
    candidate(rounds["concluded"], "a1", outcome=Outcome.DECIDE_HERE)
    builder = make_user("hd-builder", "officer", units["a"])
    council = councils.council_create(
        actor=builder, unit_id=units["a"].pk, name="Hội đồng TĐKT Vụ Alpha", term_from=timezone.localdate()
    )
    councils.member_add(actor=builder, council_id=council.pk, person_id=people["a"].pk, role=MemberRole.CHAIR)
    world.extra.update(rounds=rounds, candidates=candidates, council=council)


def state() -> tuple:
    return (
        tuple(sorted(ReviewRound.objects.values_list("id", "status", "decision_id"))),
        tuple(sorted(Candidate.objects.values_list("id", "included"))),
        CandidateChange.objects.count(),
        Meeting.objects.count(),
    )


def _round(w: World, t: str) -> ReviewRound:
    return w.extra["rounds"][t]


def _cand(w: World, t: str) -> Candidate:
    return w.extra["candidates"][t]


REASON = {"reason": "Lý do ghi đủ để lưu lại"}

ENDPOINTS = {
    "reviews:round_list": Endpoint(
        lambda w, t: Request(reverse("reviews:round_list"), redirect=reverse("reviews:mine")),
        rows=lambda r: {x.title for x in r.context["page"].object_list},
        expected_rows={
            "A": {ROUND_TITLES["a"], "Bình xét Phòng Alpha Một", "Bình xét năm trước"},
            "all": {ROUND_TITLES["a"], ROUND_TITLES["b"], "Bình xét Phòng Alpha Một", "Bình xét năm trước"},
        },
    ),
    "reviews:round_create": Endpoint(
        lambda w, t: Request(
            reverse("reviews:round_create"),
            {"unit": w.units["a"].pk, "year": _last_year() - 1, "title": "Đợt mới"},
            redirect="/reviews/",
        ),
        changes=True,
    ),
    "reviews:round_detail": Endpoint(
        lambda w, t: Request(
            reverse("reviews:round_detail", args=[_round(w, t).pk]), marker=_round(w, t).title
        )
    ),
    "reviews:round_prefill": Endpoint(
        lambda w, t: Request(reverse("reviews:round_prefill", args=[_round(w, t).pk]), {}, redirect="/jobs/"),
        changes=True,
    ),
    "reviews:candidate_add": Endpoint(
        lambda w, t: Request(
            reverse("reviews:candidate_add", args=[_round(w, t).pk]),
            {"code": w.people[t].code, "award": "giay_khen", **REASON},
            redirect=reverse("reviews:round_detail", args=[_round(w, t).pk]),
        ),
        changes=True,
    ),
    "reviews:candidate_drop": Endpoint(
        lambda w, t: Request(
            reverse("reviews:candidate_drop", args=[_cand(w, t).pk]), REASON, redirect="/reviews/"
        ),
        changes=True,
    ),
    "reviews:candidate_restore": Endpoint(
        lambda w, t: Request(
            reverse("reviews:candidate_restore", args=[_cand(w, t).pk]), REASON, redirect="/reviews/"
        ),
        changes=True,
    ),
    "reviews:round_send": Endpoint(
        lambda w, t: Request(
            reverse("reviews:round_send", args=[_round(w, t).pk]),
            {"council": w.extra["council"].pk, "starts_at": "20/01/2026 08:30", "place": "Phòng họp 1"},
            redirect="/councils/",
        ),
        changes=True,
    ),
    "reviews:round_reopen": Endpoint(
        lambda w, t: Request(
            reverse("reviews:round_reopen", args=[_round(w, t).pk]), REASON, redirect="/reviews/"
        ),
        changes=True,
    ),
    "reviews:round_conclude": Endpoint(
        lambda w, t: Request(
            reverse("reviews:round_conclude", args=[_round(w, t).pk]), {}, redirect="/reviews/"
        ),
        changes=True,
    ),
    "reviews:round_decision": Endpoint(
        lambda w, t: Request(
            reverse("reviews:round_decision", args=[_round(w, t).pk]), {}, redirect="/awards/decisions/"
        ),
        changes=True,
    ),
    "reviews:round_export": Endpoint(
        lambda w, t: Request(reverse("reviews:round_export", args=[_round(w, t).pk]))
    ),
    "reviews:mine": Endpoint(lambda w, t: Request(reverse("reviews:mine"))),
    "reviews:person_candidacies": Endpoint(
        lambda w, t: Request(
            reverse("reviews:person_candidacies", args=[w.people[t].pk]), marker=w.people[t].full_name
        )
    ),
}


def _last_year() -> int:
    from tests.architecture.test_access_matrix import LAST_YEAR

    return LAST_YEAR
