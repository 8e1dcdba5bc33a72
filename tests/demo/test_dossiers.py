"""The demo's proposal dossiers (demo/dossiers.py): one in every status, made through the services, with
eligible nominees, PDF papers, the ministry's council voting, one overdue and one returned with reasons."""

from __future__ import annotations

import io

import pypdf
from django.utils import timezone

from tdkt.awards.models import Decision
from tdkt.clusters.models import ClusterYear
from tdkt.councils.models import Ballot, BallotReceipt
from tdkt.demo.catalogue import DEFAULT_PEOPLE, DEFAULT_SEED
from tdkt.demo.generator import demo_logins, generate
from tdkt.dossiers.enums import Status
from tdkt.dossiers.gate import run_gate
from tdkt.dossiers.models import ComponentFile, Dossier, Nomination, ReturnReason, Transition
from tdkt.dossiers.services import clock_of
from tdkt.dossiers.workflow import PENDING
from tdkt.org.models import AwardRecord


def test_the_demo_holds_a_dossier_in_every_status(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    counts = generate(people=DEFAULT_PEOPLE, seed=DEFAULT_SEED)  # the demo as `tdkt demo` builds it
    # the emulation clusters' proposals are dossiers too (drafts of the head units: tests/demo/test_blocs.py)
    plan = Dossier.objects.exclude(pk__in=ClusterYear.objects.exclude(dossier=None).values("dossier"))
    assert counts["dossier"] == plan.count() == 14

    # every status of the workflow, each reached through the transitions (no status written by hand)
    assert sorted(plan.values_list("status", flat=True)) == sorted(Status.values)
    for d in plan.exclude(status=Status.DRAFT):
        last = Transition.objects.filter(dossier=d).order_by("-id").first()
        assert last.to_status == d.status, d.title

    # nominees really eligible, then and on today's data: the gate finds nothing about eligibility
    assert set(Nomination.objects.filter(dossier__in=plan).values_list("verdict", flat=True)) == {"eligible"}
    for d in plan:
        assert not [f for f in run_gate(d).findings if f.kind in ("eligibility", "identity")], d.title

    # exactly one overdue: its step's due date is past and the list's clock shows it
    overdue = list(Dossier.objects.filter(step_due__lt=timezone.localdate(), status__in=PENDING))
    assert len(overdue) == 1 and clock_of(overdue[0]).overdue

    # the returned one: a reason for each nomination and one for a paper, the paper marked returned
    returned = Dossier.objects.get(status=Status.RETURNED)
    reasons = ReturnReason.objects.filter(transition__dossier=returned)
    assert set(reasons.exclude(nomination=None).values_list("nomination_id", flat=True)) == set(
        returned.nominations.values_list("pk", flat=True)
    )
    paper = reasons.exclude(component=None).get().component
    assert paper.status == "returned" and paper.return_reason

    # the papers are PDFs made by the document layer, naming the nominees
    files = list(ComponentFile.objects.select_related("component"))
    assert files and all(f.kind == "pdf" for f in files)
    minutes = next(f for f in files if f.component.code == "bien_ban")
    with minutes.file.open("rb") as fh:
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(fh.read())).pages)
    text = " ".join(text.split())  # names wrap inside the table's cells
    assert returned.nominations.first().person.full_name in text

    # the ministry's council: an open ballot before it, which hoidong and the chair can still cast
    in_council = Dossier.objects.get(status=Status.IN_COUNCIL)
    ballot = Ballot.objects.get(meeting=in_council.meeting)
    assert ballot.status == "open"
    voted = set(
        BallotReceipt.objects.filter(ballot=ballot).values_list("member__person__user__username", flat=True)
    )
    assert voted == {"uyvienbo1", "uyvienbo2", "uyvienbo3"}
    decided = Dossier.objects.get(status=Status.DECIDED)
    assert set(decided.nominations.values_list("decided", flat=True)) == {"approved", "not_approved"}
    assert Ballot.objects.get(meeting=decided.meeting).status == "closed"

    # the minister's decision in the register; the State's decision recorded from above
    issued = Dossier.objects.get(status=Status.ISSUED)
    decision = Decision.objects.get(pk=issued.decision_id)
    assert decision.status == "issued"
    in_register = AwardRecord.objects.filter(decision_number=decision.reference, source="issued")
    assert in_register.count() == issued.nominations.count()
    assert AwardRecord.objects.filter(award_code="bang_khen_ttg", source="recorded").count() == 1

    # the ministry's people who act on dossiers are among the printed logins
    printed = {u for u, _role, _unit in demo_logins()}
    assert {"chuyenvien", "lanhdao", "hoidong", "uyvienbo1", "uyvienbo2", "uyvienbo3"} <= printed
