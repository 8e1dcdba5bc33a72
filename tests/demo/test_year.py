"""The demo's year of work (demo/year.py): every capability opens on something to click."""

from __future__ import annotations

from tdkt.awards.models import Decision
from tdkt.councils.models import Ballot, BallotReceipt
from tdkt.demo.generator import generate
from tdkt.movements.models import Movement, Registration
from tdkt.org.models import AwardRecord
from tdkt.reviews.models import ReviewRound
from tdkt.rulebook.models import EligibilityRun


def test_the_demo_year_opens_on_finished_and_running_work(db):
    generate(people=900, seed=5)

    # the past year: reviewed, voted, decided, in the register, with a ministry-wide run behind it
    past = ReviewRound.objects.get(year=2025)
    assert past.status == "closed"
    decision = Decision.objects.get(pk=past.decision_id)
    assert decision.status == "issued" and decision.reference.startswith("05/QĐ-")
    issued = AwardRecord.objects.filter(decision_number=decision.reference, source="issued")
    assert issued.count() == decision.lines.count() > 0
    assert Ballot.objects.get(meeting=past.meeting).status == "closed"
    assert EligibilityRun.objects.filter(year=2025, status="done", unit__parent__isnull=True).exists()

    # the current year: a ballot under way that uyvien1 (and the chair) can still cast
    current = ReviewRound.objects.get(year=2026)
    assert current.status == "in_council"
    ballot = Ballot.objects.get(meeting=current.meeting)
    assert ballot.status == "open"
    voted = set(
        BallotReceipt.objects.filter(ballot=ballot).values_list("member__person__user__username", flat=True)
    )
    assert voted and "uyvien1" not in voted and "thutruong" not in voted

    # movements launched, registrations made, one self-registration waiting for the unit head
    assert Movement.objects.filter(status="launched").count() == 2
    assert Movement.objects.filter(status="closed", year=2025).exists()
    assert Registration.objects.filter(status="approved").exists()
    assert Registration.objects.get(status="pending").self_registered
