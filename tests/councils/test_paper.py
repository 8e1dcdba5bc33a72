"""Paper ballots in the room: the counting committee enters the figures, checked, audited, then closed."""

from __future__ import annotations

import re

import pytest

from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent
from tdkt.councils import services
from tdkt.councils.enums import Attendance, BallotMode
from tdkt.councils.models import BallotTally
from tests.councils.conftest import mark, open_ballot


@pytest.fixture
def paper(world):
    mark(world, {world.members[4].pk: Attendance.ABSENT})  # five present voting members
    return open_ballot(world, mode=BallotMode.PAPER, closes_at=None, allow_abstain=True)


def enter(world, ballot, tallies, *, committee=None, **kwargs):
    return services.ballot_enter_tallies(
        actor=world.secretary_user,
        ballot_id=ballot.pk,
        committee=committee if committee is not None else [world.members[2].pk, world.members[3].pk],
        tallies=tallies,
        **kwargs,
    )


def test_the_committee_enters_the_figures_and_the_close_reads_them(world, paper):
    a, b, c = world.items
    enter(world, paper, {a.pk: (5, 0, 0), b.pk: (3, 1, 1), c.pk: (4, 0, 0)}, invalid_papers=0)

    results = {r.item_id: r for r in services.ballot_close(actor=world.secretary_user, ballot_id=paper.pk)}

    assert (results[a.pk].agree, results[a.pk].base, results[a.pk].passed) == (5, 6, False)  # 90% of 6 is 6
    assert (results[b.pk].agree, results[b.pk].disagree, results[b.pk].abstain) == (3, 1, 1)
    event = AuditEvent.objects.get(event="ballot.tallies_enter")
    assert event.changes["papers_cast"] == 5 and event.changes["committee"] == ["Lê Văn Bảo", "Phạm Thu Yến"]


@pytest.mark.parametrize(
    ("kwargs", "tallies", "message"),
    [
        (
            {},
            {0: (5, 1, 0), 1: (0, 0, 0), 2: (0, 0, 0)},
            "Tổng số phiếu của “Bùi Văn Ứng0” (6) vượt số phiếu hợp lệ",
        ),
        (
            {"invalid_papers": 1},
            {0: (5, 0, 0), 1: (0, 0, 0), 2: (0, 0, 0)},
            "vượt số phiếu hợp lệ được tính (4)",
        ),
        # the candidate of the last line is on the roll: their paper does not count on that line
        (
            {},
            {0: (0, 0, 0), 1: (0, 0, 0), 2: (5, 0, 0)},
            "“Vũ Hải Châu” (5) vượt số phiếu hợp lệ được tính (4)",
        ),
        (
            {"papers_cast": 6},
            {0: (1, 0, 0), 1: (0, 0, 0), 2: (0, 0, 0)},
            "lớn hơn số thành viên có quyền biểu quyết",
        ),
        ({}, {0: (1, 0, 0), 1: (0, 0, 0)}, "Thiếu kết quả của: Vũ Hải Châu."),
        ({}, {0: (-1, 0, 0), 1: (0, 0, 0), 2: (0, 0, 0)}, "không được âm"),
    ],
)
def test_figures_are_checked(world, paper, kwargs, tallies, message):
    items = world.items
    with pytest.raises(ServiceError, match=re.escape(message)):
        enter(world, paper, {items[i].pk: t for i, t in tallies.items()}, **kwargs)

    assert sum(BallotTally.objects.filter(ballot=paper).values_list("count", flat=True)) == 0


def test_the_committee_is_two_or_three_members_present(world, paper):
    items = {i.pk: (0, 0, 0) for i in world.items}
    with pytest.raises(ServiceError, match="Ban kiểm phiếu gồm 2 đến 3"):
        enter(world, paper, items, committee=[world.members[0].pk])
    with pytest.raises(ServiceError, match="Ban kiểm phiếu gồm 2 đến 3"):
        enter(world, paper, items, committee=[world.members[0].pk, world.members[4].pk])  # 4 is absent


def test_no_close_before_the_figures_and_no_electronic_vote_on_paper(world, paper):
    with pytest.raises(ServiceError, match="chưa nhập kết quả kiểm phiếu"):
        services.ballot_close(actor=world.secretary_user, ballot_id=paper.pk)
    with pytest.raises(ServiceError, match="phiếu giấy"):
        services.ballot_cast(
            actor=world.user(world.members[0]),
            ballot_id=paper.pk,
            choices={i.pk: "agree" for i in world.items},
        )


def test_abstain_figures_only_where_allowed(world):
    ballot = open_ballot(world, mode=BallotMode.PAPER, closes_at=None, allow_abstain=False)
    a, b, c = world.items
    with pytest.raises(ServiceError, match="không có lựa chọn “không có ý kiến”"):
        enter(world, ballot, {a.pk: (1, 0, 1), b.pk: (0, 0, 0), c.pk: (0, 0, 0)})
