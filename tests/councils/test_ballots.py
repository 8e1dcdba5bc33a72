"""Secret ballots: opening (roll, quorum), one paper per present voting member, refusals that count
nothing, closing with results against the threshold and its basis, re-votes, listeners, reminders."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent, Notification
from tdkt.councils import services
from tdkt.councils.enums import Attendance, BallotStatus, Basis, Choice
from tdkt.councils.models import Ballot, BallotReceipt, BallotTally
from tdkt.councils.selectors import ballot_progress, ballot_results, results_by_key
from tdkt.rulebook.models import AgencySetting
from tests.councils.conftest import mark, open_ballot, vote
from tests.factories import make_user, person


def counters(ballot) -> dict[tuple[int, str], int]:
    return {(t.item_id, t.choice): t.count for t in BallotTally.objects.filter(ballot=ballot)}


def total_counted(ballot) -> int:
    return sum(counters(ballot).values())


# ---------------------------------------------------------------------------------------------- open


def test_open_makes_a_counter_per_item_and_choice_and_a_roll_of_present_voting_members(world):
    ballot = open_ballot(world, allow_abstain=True)

    assert ballot.status == BallotStatus.OPEN
    assert BallotTally.objects.filter(ballot=ballot).count() == 3 * 3
    assert set(ballot.voters.all()) == set(world.members)  # the secretary does not vote
    assert ballot.members_total == 6
    assert total_counted(ballot) == 0


def test_open_notifies_each_present_voting_member_with_the_deadline(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ballot = open_ballot(world)

    notes = Notification.objects.filter(kind="councils.ballot_open")
    assert {n.user_id for n in notes} == {world.user(m).pk for m in world.members}
    local = timezone.localtime(ballot.closes_at)
    assert all(n.title.startswith("Phiếu bầu đã mở: Xét danh hiệu thi đua năm 2025 — hạn đến") for n in notes)
    assert all(f"{local:%d/%m/%Y}" in n.title for n in notes)


def test_open_refused_when_the_quorum_of_the_rule_is_not_met_naming_the_rule(world):
    AgencySetting.objects.create(key="council.quorum", value="2/3 tổng số thành viên")
    mark(world, {m.pk: Attendance.ABSENT for m in world.members[:3]})

    with pytest.raises(ServiceError) as err:
        open_ballot(world)

    assert "có mặt 3/6 thành viên có quyền biểu quyết, cần ít nhất 4" in err.value.message
    assert "2/3 tổng số thành viên" in err.value.message
    assert not Ballot.objects.exists()


def test_open_refused_while_someone_is_not_marked(world):
    mark(world, {world.members[0].pk: Attendance.UNKNOWN})

    with pytest.raises(ServiceError, match="Chưa điểm danh: Nguyễn Văn Hùng"):
        open_ballot(world)


def test_open_refused_with_a_deadline_in_the_past(world):
    with pytest.raises(ServiceError, match="phải sau thời điểm hiện tại"):
        open_ballot(world, closes_at=timezone.now() - datetime.timedelta(minutes=1))


def test_open_refused_on_an_item_of_another_meeting(world, tree):
    other = services.meeting_create(
        actor=world.officer,
        council_id=world.council.pk,
        title="Phiên khác",
        starts_at=timezone.now(),
        online=True,
        items=[services.AgendaItem(key="x:1", label="Nội dung khác")],
    )
    with pytest.raises(ServiceError, match="không thuộc phiên họp này"):
        open_ballot(world, item_ids=[other.items.get().pk])


def test_only_the_secretary_or_a_manager_opens(world):
    with pytest.raises(PermissionDenied):
        services.ballot_open(
            actor=world.user(world.members[1]),
            meeting_id=world.meeting.pk,
            item_ids=[i.pk for i in world.items],
            closes_at=timezone.now() + datetime.timedelta(hours=1),
        )


def test_attendance_is_frozen_while_a_ballot_is_open(world):
    open_ballot(world)

    with pytest.raises(ServiceError, match="Đang có phiếu bầu chưa đóng"):
        mark(world, {world.members[0].pk: Attendance.ABSENT})


def test_absence_needs_a_reason(world):
    with pytest.raises(ServiceError, match="Cần ghi lý do vắng mặt của Nguyễn Văn Hùng"):
        services.attendance_set(
            actor=world.secretary_user,
            meeting_id=world.meeting.pk,
            entries={world.members[0].pk: (Attendance.ABSENT, "  ")},
        )


# ---------------------------------------------------------------------------------------------- cast


def test_a_vote_adds_one_to_the_chosen_counters_and_writes_a_receipt(world):
    ballot = open_ballot(world, allow_abstain=True)
    a, b, c = world.items
    member = world.members[0]

    services.ballot_cast(
        actor=world.user(member),
        ballot_id=ballot.pk,
        choices={a.pk: Choice.AGREE, b.pk: Choice.DISAGREE, c.pk: Choice.ABSTAIN},
    )

    got = counters(ballot)
    assert (
        got[(a.pk, Choice.AGREE)] == 1
        and got[(b.pk, Choice.DISAGREE)] == 1
        and got[(c.pk, Choice.ABSTAIN)] == 1
    )
    assert total_counted(ballot) == 3
    assert list(BallotReceipt.objects.filter(ballot=ballot).values_list("member_id", flat=True)) == [
        member.pk
    ]
    assert ballot_progress(ballot) == (1, 6)


def test_the_audit_names_the_voter_and_the_ballot_never_a_choice(world):
    ballot = open_ballot(world)
    vote(world, world.members[0], ballot, "disagree")

    event = AuditEvent.objects.get(event="ballot.cast")
    assert event.actor == world.user(world.members[0])
    assert event.object_id == str(ballot.pk)
    assert event.changes == {}


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("stranger", "Bạn không phải thành viên của Hội đồng bỏ phiếu này."),
        ("secretary", "Thư ký Hội đồng không có quyền biểu quyết."),
    ],
)
def test_non_voters_are_refused_and_nothing_is_counted(world, tree, who, message):
    ballot = open_ballot(world)
    actor = make_user("stranger", "council_member", tree["a"]) if who == "stranger" else world.secretary_user

    with pytest.raises(ServiceError) as err:
        services.ballot_cast(
            actor=actor, ballot_id=ballot.pk, choices={i.pk: "agree" for i in world.items[:2]}
        )

    assert err.value.message == message
    assert total_counted(ballot) == 0 and not BallotReceipt.objects.exists()


def test_an_absent_member_is_not_on_the_roll(world):
    mark(world, {world.members[1].pk: Attendance.ABSENT})
    ballot = open_ballot(world)

    with pytest.raises(ServiceError, match="không có tên trong danh sách thành viên có mặt"):
        vote(world, world.members[1], ballot)

    assert total_counted(ballot) == 0


def test_a_member_is_recused_on_their_own_line(world):
    ballot = open_ballot(world)
    recused = world.members[5]
    own = world.items[-1]
    assert own.person_id == recused.person_id

    with pytest.raises(ServiceError, match="Bạn không bỏ phiếu cho chính mình"):
        services.ballot_cast(
            actor=world.user(recused), ballot_id=ballot.pk, choices={i.pk: "agree" for i in world.items}
        )
    assert total_counted(ballot) == 0

    vote(world, recused, ballot, "agree")  # every other line

    assert counters(ballot)[(own.pk, "agree")] == 0
    assert total_counted(ballot) == 2


def test_a_ballot_only_about_oneself_takes_no_paper(world, client):
    own = world.items[-1]
    ballot = open_ballot(world, item_ids=[own.pk])
    member = world.members[5]

    with pytest.raises(ServiceError, match="chỉ có nội dung về chính bạn"):
        services.ballot_cast(actor=world.user(member), ballot_id=ballot.pk, choices={})
    client.force_login(world.user(member))
    page = client.get(reverse("councils:ballot_vote", args=[ballot.pk])).content.decode()

    assert "chỉ có nội dung về chính bạn" in page and "<fieldset" not in page
    assert not BallotReceipt.objects.exists()


def test_every_line_needs_a_choice(world):
    ballot = open_ballot(world)

    with pytest.raises(ServiceError, match="Chưa chọn ý kiến cho 2 nội dung: Bùi Văn Ứng1, Vũ Hải Châu."):
        services.ballot_cast(
            actor=world.user(world.members[0]), ballot_id=ballot.pk, choices={world.items[0].pk: "agree"}
        )

    assert total_counted(ballot) == 0 and not BallotReceipt.objects.exists()


def test_abstain_only_where_allowed(world):
    ballot = open_ballot(world, allow_abstain=False)

    with pytest.raises(ServiceError, match="Lựa chọn không hợp lệ"):
        vote(world, world.members[0], ballot, "abstain")

    assert total_counted(ballot) == 0


def test_an_item_of_another_ballot_is_refused(world):
    first = open_ballot(world, item_ids=[world.items[0].pk])
    second = open_ballot(world, item_ids=[world.items[1].pk])

    with pytest.raises(ServiceError, match="Nội dung không thuộc phiếu bầu này."):
        services.ballot_cast(
            actor=world.user(world.members[0]),
            ballot_id=first.pk,
            choices={world.items[0].pk: "agree", world.items[1].pk: "agree"},
        )

    assert total_counted(first) == total_counted(second) == 0


def test_a_second_paper_is_refused_and_nothing_counts_twice(world):
    ballot = open_ballot(world)
    vote(world, world.members[0], ballot, "agree")

    with pytest.raises(ServiceError) as err:
        vote(world, world.members[0], ballot, "disagree")

    assert err.value.message == "Bạn đã bỏ phiếu."
    assert total_counted(ballot) == 3
    assert BallotReceipt.objects.filter(ballot=ballot).count() == 1


def test_no_vote_after_the_deadline_or_after_close(world):
    ballot = open_ballot(world)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))

    with pytest.raises(ServiceError, match="Đã hết thời hạn bỏ phiếu"):
        vote(world, world.members[0], ballot)

    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() + datetime.timedelta(hours=1))
    services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)
    with pytest.raises(ServiceError, match="Phiếu bầu đã đóng."):
        vote(world, world.members[1], ballot)
    assert total_counted(ballot) == 0


def test_no_vote_before_the_ballot_opens(world):
    ballot = open_ballot(world)
    Ballot.objects.filter(pk=ballot.pk).update(opened_at=timezone.now() + datetime.timedelta(minutes=5))

    with pytest.raises(ServiceError, match="Phiếu bầu chưa mở."):
        vote(world, world.members[0], ballot)


# ---------------------------------------------------------------------------------------------- close


def test_results_against_90_percent_of_all_members(world):
    # six voting members, one absent: 90% of all six needs 6 agree (5.4 -> 6); the recused line needs 5 of 5
    mark(world, {world.members[4].pk: Attendance.ABSENT})
    ballot = open_ballot(world)
    a, b, c = world.items
    for m in world.members[:4] + [world.members[5]]:
        vote(world, m, ballot, "agree")

    results = {r.item_id: r for r in services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)}

    assert (results[a.pk].agree, results[a.pk].base, results[a.pk].needed, results[a.pk].passed) == (
        5,
        6,
        6,
        False,
    )
    assert results[a.pk].basis == Basis.ALL
    # the candidate of the last line is a member: not in the base of their own line, 4 of 5 do not reach 90%
    assert (results[c.pk].agree, results[c.pk].base, results[c.pk].needed, results[c.pk].recused) == (
        4,
        5,
        5,
        True,
    )
    assert results[c.pk].passed is False


def test_results_against_90_percent_of_those_present(world):
    AgencySetting.objects.create(key="council.vote_basis", value="số thành viên có mặt")
    mark(world, {world.members[4].pk: Attendance.ABSENT})
    ballot = open_ballot(world)
    a, b, c = world.items
    for m in world.members[:4] + [world.members[5]]:
        vote(world, m, ballot, "agree", {b.pk: "disagree"} if m == world.members[0] else None)

    results = {r.item_id: r for r in services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)}

    assert (results[a.pk].agree, results[a.pk].base, results[a.pk].needed, results[a.pk].passed) == (
        5,
        5,
        5,
        True,
    )
    assert (results[b.pk].agree, results[b.pk].passed) == (4, False)
    assert (results[c.pk].agree, results[c.pk].base, results[c.pk].passed) == (4, 4, True)
    assert results[a.pk].agree_percent == "100%"


def test_the_rule_in_force_at_open_decides_even_if_settings_change_before_close(world):
    ballot = open_ballot(world)
    for m in world.members:
        vote(world, m, ballot, "agree")
    AgencySetting.objects.create(key="council.vote_threshold", value=1.0)

    results = services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)

    assert all(r.needed == 6 and r.passed for r in results if not r.recused)


def test_close_is_final_and_results_are_read_only_after_it(world):
    ballot = open_ballot(world)
    with pytest.raises(ServiceError, match="Kết quả chỉ có sau khi đóng phiếu."):
        ballot_results(ballot)

    services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)
    ballot.refresh_from_db()

    assert len(ballot_results(ballot)) == 3
    with pytest.raises(ServiceError, match="Phiếu bầu đã đóng; kết quả là cuối cùng."):
        services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)


def test_close_notifies_the_council_members(world, django_capture_on_commit_callbacks):
    ballot = open_ballot(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)

    notified = set(
        Notification.objects.filter(kind="councils.ballot_closed").values_list("user_id", flat=True)
    )
    assert notified == {u.pk for u in world.users.values()}


def test_close_listeners_get_the_results_of_their_items(world, monkeypatch):
    from tdkt.councils.services import ballots

    monkeypatch.setattr(ballots, "_close_listeners", [])
    seen = []
    services.register_close_listener("test.candidate:", lambda b, results: seen.append((b.pk, results)))
    services.register_close_listener("other:", lambda b, results: seen.append(("other", results)))
    ballot = open_ballot(world)

    services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)

    assert [(pk, sorted(r.key for r in rs)) for pk, rs in seen] == [
        (ballot.pk, sorted(f"test.candidate:{c.pk}" for c in world.candidates))
    ]


def test_a_revote_is_a_new_ballot_with_a_reason_replacing_the_closed_one(world):
    first = open_ballot(world)
    services.ballot_close(actor=world.secretary_user, ballot_id=first.pk)
    a = world.items[0]

    with pytest.raises(ServiceError, match="Đã có kết quả bỏ phiếu của"):
        open_ballot(world, item_ids=[a.pk])
    with pytest.raises(ServiceError, match="Bỏ phiếu lại cần ghi rõ lý do."):
        open_ballot(world, item_ids=[a.pk], replaces_id=first.pk)

    again = open_ballot(
        world, item_ids=[a.pk], replaces_id=first.pk, reason="Phiếu lần 1 có sai sót về thời hạn"
    )
    for m in world.members:
        vote(world, m, again, "agree")
    services.ballot_close(actor=world.secretary_user, ballot_id=again.pk)

    assert again.replaces == first and again.number == 2
    latest = results_by_key(world.meeting)
    assert latest[a.key].ballot_id == again.pk and latest[a.key].passed
    assert latest[world.items[1].key].ballot_id == first.pk
    with pytest.raises(ServiceError, match="không phải kết quả sau cùng"):
        open_ballot(world, item_ids=[a.pk], replaces_id=first.pk, reason="lại")


# ---------------------------------------------------------------------------------------------- periodic


def test_members_who_have_not_voted_are_reminded_once_30_minutes_before_close(world):
    ballot = open_ballot(world, closes_at=timezone.now() + datetime.timedelta(minutes=50))
    vote(world, world.members[0], ballot)

    assert services.remind_closing_ballots(now=timezone.now()) == 0  # 50 minutes left
    later = timezone.now() + datetime.timedelta(minutes=25)
    assert services.remind_closing_ballots(now=later) == 5
    assert services.remind_closing_ballots(now=later + datetime.timedelta(minutes=1)) == 0

    reminded = set(
        Notification.objects.filter(kind="councils.ballot_closing").values_list("user_id", flat=True)
    )
    assert reminded == {world.user(m).pk for m in world.members[1:]}


def test_ballots_past_their_deadline_are_closed_by_the_system(world):
    ballot = open_ballot(world, closes_at=timezone.now() + datetime.timedelta(minutes=5))

    assert services.close_due_ballots(now=timezone.now()) == 0
    assert services.close_due_ballots(now=timezone.now() + datetime.timedelta(minutes=6)) == 1

    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.CLOSED
    assert AuditEvent.objects.get(event="ballot.close").actor_name == "system"


def test_the_periodic_job_is_registered():
    from tdkt.core.periodic import registered

    assert "councils.ballots_due" in registered()


def test_members_need_a_person_of_the_unit_and_one_chair(world, tree):
    outsider = person(tree["b"], given_name="Ngoài")
    with pytest.raises(ServiceError, match="Chỉ chọn được cán bộ của"):
        services.member_add(
            actor=world.officer, council_id=world.council.pk, person_id=outsider.pk, role="uy_vien"
        )
    insider = person(tree["a1"], given_name="Trong")
    with pytest.raises(ServiceError, match="Hội đồng đã có Chủ tịch: Nguyễn Văn Hùng"):
        services.member_add(
            actor=world.officer, council_id=world.council.pk, person_id=insider.pk, role="chu_tich"
        )
    with pytest.raises(ServiceError, match="Chỉ thư ký"):
        services.member_add(
            actor=world.officer,
            council_id=world.council.pk,
            person_id=insider.pk,
            role="uy_vien",
            votes=False,
        )


def test_a_member_appointed_after_the_meeting_was_called_is_on_its_attendance_list(world, tree):
    newcomer = person(tree["a"], family_name="Mai", middle_name="Văn", given_name="Tới")
    member = services.member_add(
        actor=world.officer, council_id=world.council.pk, person_id=newcomer.pk, role="uy_vien"
    )

    with pytest.raises(ServiceError, match="Chưa điểm danh: Mai Văn Tới"):
        open_ballot(world)
    mark(world, {member.pk: Attendance.PRESENT})
    assert open_ballot(world).members_total == 7
