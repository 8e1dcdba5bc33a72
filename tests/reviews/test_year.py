"""A unit's year through the services: the round, its list from the engine with reasons, changes with
reasons, caps and registration that block sending, the council's ballot, conclusion, the unit
decision, and the awards in the register and in the next verdict."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tdkt.awards import services as award_services
from tdkt.councils import services as councils
from tdkt.councils.enums import Attendance
from tdkt.org.models import AwardRecord, Evaluation, Initiative
from tdkt.reviews import services
from tdkt.reviews.enums import Outcome, RoundStatus, VoteResult
from tdkt.reviews.models import Candidate, CandidateChange
from tdkt.rulebook.models import AgencySetting
from tests.councils.conftest import build_council
from tests.factories import make_user, person

YEAR = 2025


@pytest.fixture
def staff(tree):
    """Six people of department A rated for the year: four 'hoàn thành tốt', two 'xuất sắc' with an
    initiative (so they also qualify for Chiến sĩ thi đua cơ sở)."""
    people = []
    for n, (given, rating) in enumerate(
        [("Anh", "htt"), ("Bình", "htt"), ("Châu", "htt"), ("Dung", "htt"), ("Giang", "htxs"), ("Hà", "htxs")]
    ):
        p = person(tree["a"], family_name="Ngô", middle_name="Thị", given_name=given, code=f"NV{n}")
        for year in (YEAR - 1, YEAR):
            Evaluation.objects.create(person=p, unit=tree["a"], year=year, rating=rating, months_worked=12)
        if rating == "htxs":
            Initiative.objects.create(
                person=p, unit=tree["a"], year=YEAR, title=f"Sáng kiến {n}", scope="co_so",
                recognised_on=datetime.date(YEAR, 11, 1), decision_number=f"{n}/QĐ-SK",
            )  # fmt: skip
        people.append(p)
    return people


@pytest.fixture
def head_a(tree):
    return make_user("head_a", "unit_head", tree["a"])


def new_round(officer, tree, year=YEAR):
    review = services.round_create(actor=officer, unit_id=tree["a"].pk, year=year)
    services.prefill(actor=officer, round_id=review.pk)
    return review


def test_the_list_comes_from_the_engine_with_its_reasons(tree, staff, officer_a):
    review = new_round(officer_a, tree)

    ldtt = Candidate.objects.filter(round=review, award_code="ldtt")
    assert {c.person.given_name for c in ldtt} == {"Anh", "Bình", "Châu", "Dung", "Giang", "Hà"}
    one = ldtt.first()
    assert one.verdict == "eligible" and one.origin == "engine"
    # the reasons are kept as they were, with the article
    texts = [r["detail"] + r["cite"] for route in one.reasons["routes"] for r in route["reasons"]]
    assert any("Điều 24" in t for t in texts)


def test_prefill_twice_adds_nothing_and_keeps_what_the_unit_did(tree, staff, officer_a):
    review = new_round(officer_a, tree)
    first = Candidate.objects.filter(round=review).count()
    dropped = Candidate.objects.filter(round=review, award_code="ldtt").first()
    services.candidate_drop(actor=officer_a, candidate_id=dropped.pk, reason="Đang bị xem xét kỷ luật")

    services.prefill(actor=officer_a, round_id=review.pk)

    assert Candidate.objects.filter(round=review).count() == first
    assert not Candidate.objects.get(pk=dropped.pk).included


@pytest.mark.parametrize("reason", ["", "ok", "         "])
def test_adding_or_dropping_needs_a_written_reason(tree, staff, officer_a, reason):
    from tdkt.core.errors import ServiceError

    review = new_round(officer_a, tree)
    candidate = Candidate.objects.filter(round=review).first()

    with pytest.raises(ServiceError, match="lý do"):
        services.candidate_drop(actor=officer_a, candidate_id=candidate.pk, reason=reason)
    with pytest.raises(ServiceError, match="lý do"):
        services.candidate_add(
            actor=officer_a, round_id=review.pk, subject=services.Subject(person_id=staff[0].pk),
            award_code="giay_khen", reason=reason,
        )  # fmt: skip

    assert Candidate.objects.get(pk=candidate.pk).included
    assert not CandidateChange.objects.exists()


def test_an_added_candidate_keeps_its_reason_and_its_verdict(tree, staff, officer_a):
    review = new_round(officer_a, tree)

    added = services.candidate_add(
        actor=officer_a, round_id=review.pk, subject=services.Subject(person_id=staff[0].pk),
        award_code="cstd_co_so", reason="Có thành tích đột xuất trong phòng chống thiên tai",
    )  # fmt: skip

    assert added.origin == "added" and added.verdict == "not_eligible"  # rated htt: the record says so
    change = added.changes.get()
    assert (change.action, change.reason, change.actor) == (
        "add",
        "Có thành tích đột xuất trong phòng chống thiên tai",
        officer_a,
    )


def test_a_person_of_another_unit_cannot_be_added(tree, staff, people, officer_a):
    from tdkt.core.errors import ServiceError

    review = new_round(officer_a, tree)
    with pytest.raises(ServiceError, match="của đơn vị này"):
        services.candidate_add(
            actor=officer_a, round_id=review.pk, subject=services.Subject(person_id=people["cuong"].pk),
            award_code="ldtt", reason="Thử thêm người của Vụ B",
        )  # fmt: skip


def test_a_cap_exceeded_blocks_sending_and_names_its_article(tree, staff, officer_a):
    """Under the previous law (achievements of 2022) CSTĐCS were at most 15% of LĐTT."""
    year = 2022
    for p in staff:
        Evaluation.objects.create(person=p, unit=tree["a"], year=year, rating="htxs", months_worked=12)
        Evaluation.objects.create(person=p, unit=tree["a"], year=year - 1, rating="htxs", months_worked=12)
    AgencySetting.objects.create(key="registration.required", value=False)
    review = services.round_create(actor=officer_a, unit_id=tree["a"].pk, year=year)
    for p in staff[:3]:
        services.candidate_add(
            actor=officer_a, round_id=review.pk, subject=services.Subject(person_id=p.pk),
            award_code="cstd_co_so", reason="Đề xuất của tổ chuyên môn",
        )  # fmt: skip
    for p in staff:
        services.candidate_add(
            actor=officer_a, round_id=review.pk, subject=services.Subject(person_id=p.pk),
            award_code="ldtt", reason="Đề xuất của tổ chuyên môn",
        )  # fmt: skip
    w = build_council(tree["a"], officer=officer_a)
    from tdkt.core.errors import ServiceError

    with pytest.raises(ServiceError) as exc:
        services.round_send(
            actor=officer_a, round_id=review.pk, council_id=w.council.pk, starts_at=timezone.now()
        )

    assert "Chiến sĩ thi đua cơ sở (3)" in exc.value.message and "15%" in exc.value.message
    assert "tối đa 0" in exc.value.message and "Điều" in exc.value.message
    review.refresh_from_db()
    assert review.status == RoundStatus.PREPARING and review.meeting is None


def test_titles_without_registration_block_where_the_rules_require_it(tree, staff, officer_a):
    AgencySetting.objects.create(key="registration.required", value=True)
    review = new_round(officer_a, tree)
    w = build_council(tree["a"], officer=officer_a)
    from tdkt.core.errors import ServiceError

    with pytest.raises(ServiceError, match="Chưa đăng ký thi đua"):
        services.round_send(
            actor=officer_a, round_id=review.pk, council_id=w.council.pk, starts_at=timezone.now()
        )


def test_the_whole_year_from_list_to_register(tree, staff, officer_a, head_a):
    review = new_round(officer_a, tree)
    w = build_council(tree["a"], officer=officer_a)

    meeting = services.round_send(
        actor=officer_a, round_id=review.pk, council_id=w.council.pk, starts_at=timezone.now(),
        place="Phòng họp 2",
    )  # fmt: skip

    review.refresh_from_db()
    assert review.status == RoundStatus.IN_COUNCIL and review.meeting == meeting
    voted = Candidate.objects.filter(round=review, needs_vote=True)
    assert {i.key for i in meeting.items.all()} == {c.ballot_key for c in voted}
    assert voted.filter(award_code="cstd_co_so").count() == 2

    councils.attendance_set(
        actor=officer_a,
        meeting_id=meeting.pk,
        entries={m.pk: (Attendance.PRESENT, "") for m in [*w.members, w.secretary]},
    )
    items = list(meeting.items.order_by("order"))
    ballot = councils.ballot_open(
        actor=w.secretary_user, meeting_id=meeting.pk, item_ids=[i.pk for i in items],
        closes_at=timezone.now() + datetime.timedelta(hours=1),
    )  # fmt: skip
    giang = next(i for i in items if "Giang" in i.label)
    for n, member in enumerate(w.members):
        choices = {i.pk: "agree" for i in items}
        if n < 4:
            choices[giang.pk] = "disagree"  # Giang does not pass
        councils.ballot_cast(actor=w.user(member), ballot_id=ballot.pk, choices=choices)
    councils.ballot_close(actor=w.secretary_user, ballot_id=ballot.pk)

    results = dict(
        Candidate.objects.filter(round=review, needs_vote=True).values_list(
            "person__given_name", "vote_result"
        )
    )
    assert results["Giang"] == VoteResult.FAILED and results["Hà"] == VoteResult.PASSED

    services.round_conclude(actor=officer_a, round_id=review.pk)
    outcomes = {
        (c.person.given_name, c.award_code): c.outcome
        for c in Candidate.objects.filter(round=review).select_related("person")
        if c.person_id
    }
    assert outcomes[("Hà", "cstd_co_so")] == Outcome.DECIDE_HERE
    assert outcomes[("Giang", "cstd_co_so")] == Outcome.NOT_AWARDED
    assert outcomes[("Anh", "ldtt")] == Outcome.DECIDE_HERE

    decision = services.round_draft_decision(actor=officer_a, round_id=review.pk)
    award_services.decision_issue(
        actor=head_a, decision_id=decision.pk, number="7", symbol="QĐ-VA", decided_on=timezone.localdate(),
        signer_name="Lê Thị Hoa", signer_title="Vụ trưởng",
    )  # fmt: skip

    review.refresh_from_db()
    assert review.status == RoundStatus.CLOSED
    ha = staff[5]
    assert AwardRecord.objects.filter(
        person=ha, award_code="cstd_co_so", last_year=YEAR, decision_number="7/QĐ-VA"
    ).exists()
    assert not AwardRecord.objects.filter(person=staff[4], award_code="cstd_co_so").exists()
    assert Candidate.objects.get(round=review, person=ha, award_code="cstd_co_so").outcome == Outcome.AWARDED
    # the next verdict sees the recognised title: LĐTT of the year is now a title Hà holds
    from tdkt.rulebook.adapters import person_facts

    facts = person_facts(ha.pk, YEAR + 1)
    titles = {t.code: t for t in facts.years[YEAR].titles}
    assert set(titles) == {"ldtt", "cstd_co_so"}
    assert titles["cstd_co_so"].ground == "htxs"  # rated xuất sắc: the year's initiative stays available


def test_a_ballot_that_is_not_closed_blocks_the_conclusion(tree, staff, officer_a):
    from tdkt.core.errors import ServiceError

    review = new_round(officer_a, tree)
    w = build_council(tree["a"], officer=officer_a)
    services.round_send(
        actor=officer_a, round_id=review.pk, council_id=w.council.pk, starts_at=timezone.now(), online=True
    )

    with pytest.raises(ServiceError, match="chưa có kết quả bỏ phiếu"):
        services.round_conclude(actor=officer_a, round_id=review.pk)
