"""A dossier's whole way through the services: built, its papers, the unit head's approval, sent, returned
with reasons per nomination and per paper, fixed and resent, accepted, voted by the ministry's council,
decided per nomination, the minister's decision issued into the register; and a State-level dossier
prepared, signed, sent up, with partial outcomes recorded."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tdkt.awards import services as award_services
from tdkt.core.errors import ServiceError
from tdkt.core.uploads import check_upload
from tdkt.councils import services as councils
from tdkt.councils.enums import Attendance
from tdkt.dossiers import services
from tdkt.dossiers.enums import Appraisal, ComponentStatus, Decided, Level, ReportStatus, StateOutcome, Status
from tdkt.dossiers.models import Component, ComponentFile, Transition
from tdkt.org.models import AwardRecord
from tests.dossiers.conftest import YEAR

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="giay-to.pdf", body=b""):
    return check_upload(SimpleUploadedFile(name, PDF + body), kinds={"pdf"}, max_bytes=1024 * 1024)


def vote_all(w, meeting, choice):
    """The ministry's council: everyone present, one electronic ballot, everyone votes `choice`."""
    everyone = [*w.council.members, w.council.secretary]
    councils.attendance_set(
        actor=w.specialist, meeting_id=meeting.pk, entries={m.pk: (Attendance.PRESENT, "") for m in everyone}
    )
    items = list(meeting.items.all())
    ballot = councils.ballot_open(
        actor=w.council.secretary_user,
        meeting_id=meeting.pk,
        item_ids=[i.pk for i in items],
        closes_at=timezone.now() + datetime.timedelta(hours=1),
    )
    for m in w.council.members:
        councils.ballot_cast(
            actor=w.council.user(m), ballot_id=ballot.pk, choices={i.pk: choice for i in items}
        )
    councils.ballot_close(actor=w.council.secretary_user, ballot_id=ballot.pk)


def ready_dossier(world, level=Level.MINISTRY, awards=(("fighter", "cstd_bo"), ("worker", "bang_khen_bo"))):
    """A dossier of department A with every paper in and every report confirmed, approved by the head."""
    w = world
    d = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=level, year=YEAR)
    for who, code in awards:
        services.nomination_add(
            actor=w.officer,
            dossier_id=d.pk,
            subject=services.Subject(person_id=getattr(w, who).pk),
            award_code=code,
        )
    for n in d.nominations.all():
        services.report_save(
            actor=w.officer,
            nomination_id=n.pk,
            sections={"achievements": "Hoàn thành xuất sắc nhiệm vụ."},
            submit=True,
        )
        services.report_confirm(actor=w.head, nomination_id=n.pk)
    for c in Component.objects.filter(dossier=d, generated=False, required=True):
        services.component_upload(actor=w.officer, component_id=c.pk, checked=pdf())
    # the unit council's minutes: no round here, so the unit uploads the signed minutes
    for c in Component.objects.filter(dossier=d, code="bien_ban"):
        services.component_upload(actor=w.officer, component_id=c.pk, checked=pdf("bien-ban.pdf"))
    services.dossier_approve(actor=w.head, dossier_id=d.pk)
    return d


def test_the_checklist_comes_from_the_rulebook_per_form(world):
    w = world
    d = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    services.nomination_add(
        actor=w.officer,
        dossier_id=d.pk,
        subject=services.Subject(person_id=w.fighter.pk),
        award_code="cstd_bo",
    )
    papers = {(c.nomination_id is not None, c.code): c for c in d.components.all()}
    # one submission letter and one set of minutes for the dossier, one report and one confirmation
    # of the initiative for the nominee, each with its article
    assert set(papers) == {
        (False, "to_trinh"),
        (False, "bien_ban"),
        (True, "bao_cao"),
        (True, "cong_nhan_sang_kien"),
    }
    assert "Điều 22" in papers[(True, "cong_nhan_sang_kien")].cite
    assert papers[(False, "to_trinh")].generated and not papers[(True, "cong_nhan_sang_kien")].generated

    # removing the nominee removes their papers that hold no file
    services.nomination_remove(actor=w.officer, nomination_id=d.nominations.get().pk)
    assert not d.components.filter(nomination__isnull=False).exists()


def test_a_dossier_goes_to_a_ministry_decision_with_a_return_and_a_resend(world):
    w = world
    d = ready_dossier(world)
    fighter_n = d.nominations.get(award_code="cstd_bo")
    proof = Component.objects.get(nomination=fighter_n, code="cong_nhan_sang_kien")

    services.dossier_send(actor=w.officer, dossier_id=d.pk, message="Kính gửi Vụ TĐKT")
    d.refresh_from_db()
    assert d.status == Status.SENT and d.holder == w.tree["root"] and d.step == "receive" and d.step_limit

    # a second click finds it sent and changes nothing
    with pytest.raises(ServiceError, match="đã được gửi"):
        services.dossier_send(actor=w.officer, dossier_id=d.pk)
    assert Transition.objects.filter(dossier=d).count() == 1

    services.dossier_receive(actor=w.specialist, dossier_id=d.pk)
    services.dossier_return(
        actor=w.specialist,
        dossier_id=d.pk,
        reasons=[
            services.Reason("Bản công nhận sáng kiến chưa có dấu đỏ", component_id=proof.pk),
            services.Reason("Bổ sung số liệu thành tích năm 2025", nomination_id=fighter_n.pk),
        ],
    )
    d.refresh_from_db()
    proof.refresh_from_db()
    assert d.status == Status.RETURNED and d.holder == w.tree["a"] and d.approved_at is None
    assert proof.status == ComponentStatus.RETURNED and "dấu đỏ" in proof.return_reason
    back = Transition.objects.filter(dossier=d, action="return").get()
    assert [r.reason for r in back.reasons.all()] == [
        "Bản công nhận sáng kiến chưa có dấu đỏ",
        "Bổ sung số liệu thành tích năm 2025",
    ]
    # not sendable until the paper is replaced and the head approves again
    with pytest.raises(ServiceError, match="dấu đỏ"):
        services.dossier_send(actor=w.officer, dossier_id=d.pk)
    services.component_upload(actor=w.officer, component_id=proof.pk, checked=pdf("sang-kien-co-dau.pdf"))
    assert ComponentFile.objects.filter(component=proof).count() == 2  # the first version stays
    services.dossier_approve(actor=w.head, dossier_id=d.pk)
    services.dossier_send(actor=w.officer, dossier_id=d.pk)
    d.refresh_from_db()
    assert d.status == Status.RESENT and d.sent_count == 2

    # a paper cannot be replaced while the ministry holds the dossier
    with pytest.raises(ServiceError, match="cấp trên xử lý"):
        services.component_upload(actor=w.officer, component_id=proof.pk, checked=pdf())

    services.dossier_receive(actor=w.specialist, dossier_id=d.pk)
    services.dossier_accept(actor=w.specialist, dossier_id=d.pk)
    meeting = services.dossier_to_council(
        actor=w.specialist,
        dossier_id=d.pk,
        council_id=w.council.council.pk,
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        place="Phòng họp Bộ",
    )
    # only the form that needs the council's vote goes before it
    assert [i.label for i in meeting.items.all()] == [str(w.fighter)]
    vote_all(w, meeting, "agree")
    fighter_n.refresh_from_db()
    assert fighter_n.council_result == "passed" and fighter_n.council_votes == "6/6"

    services.dossier_decide(actor=w.specialist, dossier_id=d.pk)
    assert set(d.nominations.values_list("decided", flat=True)) == {Decided.APPROVED}
    decision = services.dossier_draft_decision(actor=w.specialist, dossier_id=d.pk)
    award_services.decision_issue(
        actor=w.leader,
        decision_id=decision.pk,
        number="120",
        symbol="QĐ-BO",
        decided_on=timezone.localdate(),
        signer_name="Nguyễn Minh Đức",
        signer_title="Thứ trưởng",
    )
    d.refresh_from_db()
    assert d.status == Status.ISSUED and d.step_due is None
    records = AwardRecord.objects.filter(decision_number="120/QĐ-BO")
    assert {(r.person_id, r.award_code) for r in records} == {
        (w.fighter.pk, "cstd_bo"),
        (w.worker.pk, "bang_khen_bo"),
    }
    steps = list(Transition.objects.filter(dossier=d).values_list("from_status", "to_status"))
    assert steps == [
        ("draft", "sent"),
        ("sent", "received"),
        ("received", "appraising"),
        ("appraising", "returned"),
        ("returned", "resent"),
        ("resent", "appraising"),
        ("appraising", "accepted"),
        ("accepted", "in_council"),
        ("in_council", "decided"),
        ("decided", "issued"),
    ]


def test_a_form_the_council_votes_on_cannot_be_decided_without_its_vote(world):
    w = world
    d = ready_dossier(world)
    services.dossier_send(actor=w.officer, dossier_id=d.pk)
    services.dossier_receive(actor=w.specialist, dossier_id=d.pk)
    services.dossier_accept(actor=w.specialist, dossier_id=d.pk)
    # the council's vote is needed first for cstd_bo: deciding without it is refused
    with pytest.raises(ServiceError, match="Hội đồng"):
        services.dossier_decide(actor=w.specialist, dossier_id=d.pk)


def test_the_same_person_cannot_be_pending_twice_for_the_same_form(world):
    w = world
    first = ready_dossier(world, awards=(("worker", "bang_khen_bo"),))
    services.dossier_send(actor=w.officer, dossier_id=first.pk)
    second = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    services.nomination_add(
        actor=w.officer,
        dossier_id=second.pk,
        subject=services.Subject(person_id=w.worker.pk),
        award_code="bang_khen_bo",
    )
    from tdkt.dossiers.gate import run_gate

    kinds = {f.kind for f in run_gate(second).blocking}
    assert "pending" in kinds


def test_reports_are_confirmed_by_the_head_and_a_change_needs_a_new_confirmation(world):
    w = world
    d = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    n = services.nomination_add(
        actor=w.officer,
        dossier_id=d.pk,
        subject=services.Subject(person_id=w.worker.pk),
        award_code="bang_khen_bo",
    )
    with pytest.raises(ServiceError):
        services.report_confirm(actor=w.head, nomination_id=n.pk)  # nothing submitted yet
    services.report_save(actor=w.officer, nomination_id=n.pk, sections={"achievements": "A"}, submit=True)
    report = services.report_confirm(actor=w.head, nomination_id=n.pk)
    assert report.status == ReportStatus.CONFIRMED
    services.report_save(actor=w.officer, nomination_id=n.pk, sections={"achievements": "B"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.confirmed_at is None


def test_rejected_nominations_go_no_further(world):
    w = world
    d = ready_dossier(world, awards=(("worker", "bang_khen_bo"),))
    services.dossier_send(actor=w.officer, dossier_id=d.pk)
    services.dossier_receive(actor=w.specialist, dossier_id=d.pk)
    n = d.nominations.get()
    with pytest.raises(ServiceError, match="trả lại"):
        services.dossier_accept(
            actor=w.specialist, dossier_id=d.pk, rejected={n.pk: "Thành tích chưa tiêu biểu"}
        )
    n.refresh_from_db()
    assert n.appraisal == Appraisal.PENDING  # nothing half saved


def veteran(world, given: str, code: str):
    """Bằng khen của Bộ trưởng in 2019, then five years rated at least 'hoàn thành tốt' and three Chiến sĩ
    thi đua cơ sở: the path to the Prime Minister's Bằng khen (Luật 2022, Điều 73, khoản 1, điểm b)."""
    from tests.dossiers.conftest import cstd_co_so_records, rated
    from tests.factories import person

    a = world.tree["a"]
    p = person(a, family_name="Đặng", middle_name="Văn", given_name=given, code=code)
    AwardRecord.objects.create(
        person=p,
        unit=a,
        award_code="bang_khen_bo",
        first_year=2019,
        last_year=2019,
        decision_number=f"9{code[-1]}/QĐ-BO",
        decided_on=datetime.date(2020, 2, 1),
        issuer_level="ministry",
    )
    rated(p, a, range(2020, YEAR + 1), rating="htt")
    cstd_co_so_records(p, a, (2021, 2022, 2023))
    return p


def _decided_state_dossier(w):
    w.vet1 = veteran(w, "Long", "NV-LONG1")
    w.vet2 = veteran(w, "Minh", "NV-MINH2")
    d = ready_dossier(w, level=Level.STATE, awards=(("vet1", "bang_khen_ttg"), ("vet2", "bang_khen_ttg")))
    services.dossier_send(actor=w.officer, dossier_id=d.pk)
    services.dossier_receive(actor=w.specialist, dossier_id=d.pk)
    services.dossier_accept(actor=w.specialist, dossier_id=d.pk)
    if services.rulebook.needs_council_vote("bang_khen_ttg", YEAR):
        meeting = services.dossier_to_council(
            actor=w.specialist,
            dossier_id=d.pk,
            council_id=w.council.council.pk,
            starts_at=timezone.now() + datetime.timedelta(hours=1),
        )
        vote_all(w, meeting, "agree")
    services.dossier_decide(actor=w.specialist, dossier_id=d.pk)
    return d


def test_what_the_central_body_returns_is_supplemented_and_sent_up_again(world):
    w = world
    d = _decided_state_dossier(w)
    services.dossier_prepare_state(actor=w.specialist, dossier_id=d.pk)
    services.dossier_sign(actor=w.leader, dossier_id=d.pk)
    services.dossier_send_up(actor=w.specialist, dossier_id=d.pk, message="Tờ trình số 45/TTr-BO")
    one, two = d.nominations.order_by("id")
    paper = d.components.get(stage="ministry", code="to_trinh_bo")
    # nothing returned yet: nothing to send again, and the ministry's papers stay as sent
    with pytest.raises(ServiceError, match="trả lại"):
        services.dossier_resend_up(actor=w.specialist, dossier_id=d.pk, message="Bổ sung tờ trình số 45")
    with pytest.raises(ServiceError, match="bổ sung"):
        services.component_upload(actor=w.specialist, component_id=paper.pk, checked=pdf("to-trinh-2.pdf"))

    services.record_state_outcome(
        actor=w.specialist,
        nomination_id=one.pk,
        outcome=StateOutcome.RETURNED,
        note="Thiếu ý kiến Bộ Công an",
    )
    d.refresh_from_db()
    assert d.status == Status.SENT_UP
    # the ministry replaces its paper while the returned nomination waits, and says what it added
    services.component_upload(actor=w.specialist, component_id=paper.pk, checked=pdf("to-trinh-2.pdf"))
    with pytest.raises(ServiceError, match="ít nhất"):
        services.dossier_resend_up(actor=w.specialist, dossier_id=d.pk, message="Bổ sung")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.dossier_resend_up(actor=w.officer, dossier_id=d.pk, message="Văn bản 51/BO-TĐKT bổ sung")
    before = d.step_since
    services.dossier_resend_up(actor=w.specialist, dossier_id=d.pk, message="Văn bản 51/BO-TĐKT bổ sung")

    d.refresh_from_db()
    one.refresh_from_db()
    assert d.status == Status.SENT_UP and d.step == "central_appraisal" and d.step_since > before
    assert one.state_outcome == StateOutcome.PENDING
    step = Transition.objects.filter(dossier=d).order_by("-id").first()
    assert (step.action, step.from_status, step.to_status) == ("resend_up", "sent_up", "sent_up")
    assert step.message == "Văn bản 51/BO-TĐKT bổ sung" and step.actor == w.specialist
    assert [f.name for f in paper.files.all()] == ["to-trinh-2.pdf"]
    # once sent again, the paper is closed again until the next return
    with pytest.raises(ServiceError, match="bổ sung"):
        services.component_upload(actor=w.specialist, component_id=paper.pk, checked=pdf("to-trinh-3.pdf"))
    for n in (one, two):
        services.record_state_outcome(
            actor=w.specialist,
            nomination_id=n.pk,
            outcome=StateOutcome.APPROVED,
            decision_number="88/QĐ-TTg",
            decided_on=timezone.localdate(),
        )
    d.refresh_from_db()
    assert d.status == Status.CLOSED
    assert AwardRecord.objects.filter(award_code="bang_khen_ttg", decision_number="88/QĐ-TTg").count() == 2


def test_a_state_dossier_is_prepared_signed_sent_up_and_its_outcomes_recorded_one_by_one(world):
    w = world
    w.vet1 = veteran(w, "Long", "NV-LONG1")
    w.vet2 = veteran(w, "Minh", "NV-MINH2")
    d = ready_dossier(world, level=Level.STATE, awards=(("vet1", "bang_khen_ttg"), ("vet2", "bang_khen_ttg")))
    services.dossier_send(actor=w.officer, dossier_id=d.pk)
    services.dossier_receive(actor=w.specialist, dossier_id=d.pk)
    services.dossier_accept(actor=w.specialist, dossier_id=d.pk)
    if services.rulebook.needs_council_vote("bang_khen_ttg", YEAR):
        meeting = services.dossier_to_council(
            actor=w.specialist,
            dossier_id=d.pk,
            council_id=w.council.council.pk,
            starts_at=timezone.now() + datetime.timedelta(hours=1),
        )
        vote_all(w, meeting, "agree")
    services.dossier_decide(actor=w.specialist, dossier_id=d.pk)
    # a ministry decision is not the way of a State dossier
    with pytest.raises(ServiceError):
        services.dossier_draft_decision(actor=w.specialist, dossier_id=d.pk)

    services.dossier_prepare_state(actor=w.specialist, dossier_id=d.pk)
    d.refresh_from_db()
    assert d.status == Status.PREPARED
    assert d.components.filter(stage="ministry", code="to_trinh_bo").exists()
    # the specialist may not sign; the leader does
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.dossier_sign(actor=w.specialist, dossier_id=d.pk)
    services.dossier_sign(actor=w.leader, dossier_id=d.pk)
    services.dossier_send_up(actor=w.specialist, dossier_id=d.pk, message="Tờ trình số 45/TTr-BO")
    d.refresh_from_db()
    assert d.status == Status.SENT_UP and d.holder is None and "Trung ương" in d.holder_label

    one, two = d.nominations.order_by("id")
    services.record_state_outcome(
        actor=w.specialist,
        nomination_id=one.pk,
        outcome=StateOutcome.APPROVED,
        decision_number="1234/QĐ-TTg",
        decided_on=timezone.localdate(),
        signer="Thủ tướng Chính phủ",
    )
    d.refresh_from_db()
    assert d.status == Status.SENT_UP  # one outcome is still missing
    record = AwardRecord.objects.get(person=w.vet1, award_code="bang_khen_ttg")
    assert (record.decision_number, record.source) == ("1234/QĐ-TTg", "recorded")
    # approved twice: refused, nothing written twice
    with pytest.raises(ServiceError):
        services.record_state_outcome(
            actor=w.specialist,
            nomination_id=one.pk,
            outcome=StateOutcome.APPROVED,
            decision_number="1234/QĐ-TTg",
            decided_on=timezone.localdate(),
        )
    services.record_state_outcome(
        actor=w.specialist, nomination_id=two.pk, outcome=StateOutcome.NOT_APPROVED, note="Chưa đủ thời gian"
    )
    d.refresh_from_db()
    assert d.status == Status.CLOSED
    assert AwardRecord.objects.filter(award_code="bang_khen_ttg").count() == 1


def test_the_simplified_procedure_has_its_shorter_dossier_and_clock(world):
    w = world
    with pytest.raises(ServiceError, match="đột xuất"):
        services.dossier_create(
            actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR, simplified=True
        )
    d = services.dossier_create(
        actor=w.officer,
        unit_id=w.tree["a"].pk,
        level=Level.MINISTRY,
        year=YEAR,
        kind="dot_xuat",
        simplified=True,
    )
    n = services.nomination_add(
        actor=w.officer,
        dossier_id=d.pk,
        subject=services.Subject(person_id=w.worker.pk),
        award_code="bang_khen_bo",
    )
    # a submission letter and the nominee's summary: no council minutes, no full report
    assert {c.code for c in d.components.all()} == {"to_trinh", "tom_tat"}
    services.report_save(
        actor=w.officer, nomination_id=n.pk, sections={"achievements": "Cứu người"}, submit=True
    )
    services.report_confirm(actor=w.head, nomination_id=n.pk)
    services.dossier_approve(actor=w.head, dossier_id=d.pk)
    services.dossier_send(actor=w.officer, dossier_id=d.pk)
    d.refresh_from_db()
    normal = services.rulebook.regime_for_year(YEAR).model.dossier_steps
    simplified = next(s.working_days for s in normal if s.step == "simplified")
    assert d.step_limit == simplified
    assert simplified < next(s.working_days for s in normal if s.step == "appraisal")
