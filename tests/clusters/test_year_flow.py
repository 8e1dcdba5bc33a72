"""A cluster's year through the services: covenant, self-scoring with evidence, appraisal with reasons,
explanation, lock, ranking with the tie-break, the conference's paper ballot and the dossier."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tdkt import councils
from tdkt.clusters import services
from tdkt.clusters.enums import ProposalAward, SheetStatus, YearAction, YearStatus
from tdkt.clusters.models import Adjustment, ClusterYear, Sheet, Standing
from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent
from tdkt.core.uploads import check_upload
from tdkt.councils.enums import Attendance, BallotMode
from tdkt.dossiers.models import Dossier
from tests.clusters.conftest import sign_all

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="bao-cao.pdf", body=b""):
    return check_upload(SimpleUploadedFile(name, PDF + body), kinds={"pdf"}, max_bytes=1024 * 1024)


def deadline(days=10):
    return datetime.date.today() + datetime.timedelta(days=days)


def open_scoring(w):
    sign_all(w)
    return services.year_move(
        actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.OPEN_SCORING, deadline=deadline()
    )


def fill(w, i, *, achieved="95", digital="25", tdkt="28", bonus="0", deduction="0"):
    sheet = Sheet.objects.get(cluster_year=w.cy, unit=w.units[i])
    actor = w.officers[i]
    for code, value in (("1.1", achieved), ("1.2", digital), ("2", tdkt), ("3", bonus), ("4", deduction)):
        services.score_save(actor=actor, sheet_id=sheet.pk, criterion_id=w.lines[code].pk, value=value)
    score = sheet.scores.get(criterion=w.lines["1.1"])
    services.evidence_add(actor=actor, score_id=score.pk, checked=pdf(body=str(i).encode()))
    return services.sheet_submit(actor=actor, sheet_id=sheet.pk)


def test_a_year_from_covenant_to_dossier(world):
    w = world
    cy = open_scoring(w)
    assert cy.status == YearStatus.SCORING
    assert Sheet.objects.filter(cluster_year=cy).count() == 3

    # target line: 95 achieved of 95 → 40 points; 2 above the target of 95 → capped at 1.1 × 40
    a = fill(w, 0, achieved="95", digital="25", tdkt="28", bonus="2")
    b = fill(w, 1, achieved="104.5", digital="25", tdkt="26", bonus="0")
    c = fill(w, 2, achieved="76", digital="30", tdkt="30", deduction="3")
    assert (a.self_total, b.self_total) == (Decimal("95"), Decimal("95"))  # 40+25+28+2, 44+25+26
    assert c.self_total == Decimal("89")  # 32 (76/95 of 40) + 30 + 30 − 3
    assert b.group_totals["1"] == "69.00"

    services.year_move(actor=w.head, cluster_year_id=cy.pk, action=YearAction.START_APPRAISAL)
    score = b.scores.get(criterion=w.lines["2"])
    adj = services.score_adjust(
        actor=w.head,
        score_id=score.pk,
        points="20",
        reason="Thiếu kế hoạch thi đua năm",
        version=score.version,
    )
    services.year_move(
        actor=w.head, cluster_year_id=cy.pk, action=YearAction.START_EXPLANATION, deadline=deadline(5)
    )
    services.adjustment_explain(
        actor=w.officers[1], adjustment_id=adj.pk, text="Kế hoạch ban hành ngày 10/02, gửi kèm văn bản."
    )
    services.year_move(actor=w.head, cluster_year_id=cy.pk, action=YearAction.LOCK)
    assert set(Sheet.objects.filter(cluster_year=cy).values_list("status", flat=True)) == {SheetStatus.LOCKED}

    services.year_move(actor=w.head, cluster_year_id=cy.pk, action=YearAction.RANK)
    ranking = list(Standing.objects.filter(cluster_year=cy).order_by("rank"))
    # 89 and 89 after the adjustment: no bonus either, fewer deductions first (the tie-break setting)
    assert [(s.unit_id, s.rank, s.total, s.tied) for s in ranking] == [
        (w.units[0].pk, 1, Decimal("95"), False),
        (w.units[1].pk, 2, Decimal("89"), False),
        (w.units[2].pk, 3, Decimal("89"), False),
    ]
    by_unit = {s.unit_id: s for s in ranking}
    assert by_unit[w.units[0].pk].proposed_award == ProposalAward.CO_THI_DUA_BO

    meeting = services.conference_prepare(
        actor=w.head,
        cluster_year_id=cy.pk,
        starts_at=datetime.datetime(2025, 12, 20, 8, 0),
        place="Hội trường Sở Kinh tế Số tỉnh An Giang",
    )
    members = list(meeting.council.members.all())
    assert len(members) == 3
    councils.services.attendance_set(
        actor=w.head, meeting_id=meeting.pk, entries={m.pk: (Attendance.PRESENT, "") for m in members}
    )
    items = list(meeting.items.all())
    ballot = councils.services.ballot_open(
        actor=w.head,
        meeting_id=meeting.pk,
        item_ids=[i.pk for i in items],
        closes_at=None,
        mode=BallotMode.PAPER,
    )
    councils.services.ballot_enter_tallies(
        actor=w.head,
        ballot_id=ballot.pk,
        committee=[members[0].pk, members[1].pk],
        tallies={i.pk: (3, 0, 0) for i in items},
    )
    councils.services.ballot_close(actor=w.head, ballot_id=ballot.pk)
    cy.refresh_from_db()
    assert cy.status == YearStatus.VOTED
    dossier = services.proposals_to_dossier(actor=w.head, cluster_year_id=cy.pk)
    assert isinstance(dossier, Dossier) and dossier.unit_id == w.units[0].pk
    awards = {(n.collective.unit_id, n.award_code) for n in dossier.nominations.select_related("collective")}
    assert (w.units[0].pk, "co_thi_dua_bo") in awards
    services.year_move(actor=w.head, cluster_year_id=cy.pk, action=YearAction.PUBLISH)
    assert ClusterYear.objects.get(pk=cy.pk).status == YearStatus.PUBLISHED
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {
        "covenant.sign",
        "score.self",
        "score.evidence",
        "sheet.submit",
        "score.adjust",
        "score.explain",
    } <= events
    assert {
        "cluster_year.lock",
        "cluster_year.rank",
        "cluster_year.record_vote",
        "cluster_year.dossier",
    } <= events


def test_refusals(world):
    w = world
    with pytest.raises(ServiceError, match="Chưa ký giao ước"):
        services.year_move(
            actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.OPEN_SCORING, deadline=deadline()
        )
    open_scoring(w)
    sheet = Sheet.objects.get(cluster_year=w.cy, unit=w.units[1])
    with pytest.raises(ServiceError, match="Vượt điểm tối đa"):
        services.score_save(
            actor=w.officers[1], sheet_id=sheet.pk, criterion_id=w.lines["1.2"].pk, value="31"
        )
    with pytest.raises(ServiceError, match="không ghi số âm"):
        services.score_save(actor=w.officers[1], sheet_id=sheet.pk, criterion_id=w.lines["4"].pk, value="-1")
    with pytest.raises(ServiceError, match="phải là một số"):
        services.score_save(actor=w.officers[1], sheet_id=sheet.pk, criterion_id=w.lines["2"].pk, value="abc")
    for code, value in (("1.1", "90"), ("1.2", "20"), ("2", "20")):
        services.score_save(
            actor=w.officers[1], sheet_id=sheet.pk, criterion_id=w.lines[code].pk, value=value
        )
    with pytest.raises(ServiceError, match="Thiếu minh chứng bắt buộc cho các tiêu chí: 1.1"):
        services.sheet_submit(actor=w.officers[1], sheet_id=sheet.pk)
    assert Sheet.objects.get(pk=sheet.pk).status == SheetStatus.DRAFT
    # another member's officer cannot write this sheet
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.score_save(actor=w.officers[2], sheet_id=sheet.pk, criterion_id=w.lines["2"].pk, value="1")
    # after the deadline
    ClusterYear.objects.filter(pk=w.cy.pk).update(
        score_deadline=datetime.date.today() - datetime.timedelta(days=1)
    )
    with pytest.raises(ServiceError, match="quá hạn tự chấm"):
        services.score_save(actor=w.officers[1], sheet_id=sheet.pk, criterion_id=w.lines["2"].pk, value="1")


def test_two_appraisers_at_once_and_a_change_without_reason(world):
    w = world
    open_scoring(w)
    for i in range(3):
        fill(w, i)
    services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.START_APPRAISAL)
    score = Sheet.objects.get(cluster_year=w.cy, unit=w.units[2]).scores.get(criterion=w.lines["2"])
    seen = score.version
    with pytest.raises(ServiceError, match="lý do điều chỉnh"):
        services.score_adjust(actor=w.head, score_id=score.pk, points="10", reason="sai", version=seen)
    services.score_adjust(
        actor=w.spc, score_id=score.pk, points="20", reason="Không có kế hoạch năm", version=seen
    )
    with pytest.raises(ServiceError, match="vừa được người khác điều chỉnh"):
        services.score_adjust(
            actor=w.head, score_id=score.pk, points="15", reason="Thiếu báo cáo quý", version=seen
        )
    assert Adjustment.objects.filter(score=score).count() == 1
    with pytest.raises(ServiceError, match="từ 0 đến 30"):
        services.score_adjust(
            actor=w.head, score_id=score.pk, points="31", reason="Thiếu báo cáo quý", version=seen + 1
        )


def test_a_tie_the_rules_cannot_break_is_left_to_the_conference(world):
    w = world
    open_scoring(w)
    fill(w, 0, tdkt="28")
    fill(w, 1, tdkt="28")
    fill(w, 2, tdkt="10")
    services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.START_APPRAISAL)
    services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.LOCK)
    services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.RANK)
    first, second, third = Standing.objects.filter(cluster_year=w.cy).order_by("rank", "unit_id")
    assert (first.rank, second.rank, third.rank) == (1, 1, 3)
    assert first.tied and second.tied and not third.tied
    # one flag per cluster: the tie straddles its line, so both leaders go to Bằng khen and the third too
    # (two Bằng khen after the flag); the conference gives the flag to one of them
    assert [first.proposed_award, second.proposed_award, third.proposed_award] == [
        ProposalAward.BANG_KHEN_BO
    ] * 3
    services.standing_propose(actor=w.head, standing_id=first.pk, award=ProposalAward.CO_THI_DUA_BO)
    assert Standing.objects.get(pk=first.pk).proposed_award == ProposalAward.CO_THI_DUA_BO


def test_the_head_of_another_year_has_no_rights(world):
    w = world
    from tdkt.clusters.enums import BlocRole
    from tdkt.clusters.models import BlocMembership

    BlocMembership.objects.filter(year=2025, unit=w.units[0]).update(role=BlocRole.MEMBER)
    BlocMembership.objects.filter(year=2025, unit=w.units[2]).update(role=BlocRole.HEAD)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.covenant_set(actor=w.head, cluster_year_id=w.cy.pk, on=None, place="", content="")
    assert not w.head.has_perm("clusters.lead", w.cy)
    assert not w.head.has_perm("org.view_person", w.units[1])
