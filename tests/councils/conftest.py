"""A council of department A with members who have accounts, and a meeting about three candidates (the
third candidate sits on the council and is recused on their own line)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from tdkt.accounts.models import User
from tdkt.councils import services
from tdkt.councils.enums import Attendance, MemberRole
from tdkt.councils.models import Ballot, Council, CouncilMember, Meeting
from tests.factories import make_user, person

NAMES = [
    # (family, middle, given, role)
    ("Nguyễn", "Văn", "Hùng", MemberRole.CHAIR),
    ("Trần", "Thị", "Lan", MemberRole.VICE_CHAIR),
    ("Lê", "Văn", "Bảo", MemberRole.STANDING),
    ("Phạm", "Thu", "Yến", MemberRole.MEMBER),
    ("Đỗ", "Minh", "Anh", MemberRole.MEMBER),
    ("Vũ", "Hải", "Châu", MemberRole.MEMBER),
]


@dataclass
class CouncilWorld:
    council: Council
    officer: User
    members: list[CouncilMember]  # voting members, in NAMES order
    users: dict[int, User]  # member id -> user
    secretary: CouncilMember
    secretary_user: User
    meeting: Meeting | None = None
    candidates: list = field(default_factory=list)  # people the items are about

    def user(self, member: CouncilMember) -> User:
        return self.users[member.pk]

    @property
    def items(self):
        return list(self.meeting.items.order_by("order"))


def build_council(unit, *, officer, prefix="m", names=NAMES, secretary=True) -> CouncilWorld:
    council = services.council_create(
        actor=officer,
        unit_id=unit.pk,
        name=f"Hội đồng Thi đua – Khen thưởng {unit.name}",
        term_from=datetime.date(2024, 1, 1),
        term_to=datetime.date(2026, 12, 31),
        decision_number="15/QĐ-TĐKT",
        decision_date=datetime.date(2024, 1, 5),
    )
    members, users = [], {}
    for n, (family, middle, given, role) in enumerate(names):
        user = make_user(f"{prefix}{n}", None, None)
        p = person(unit, family_name=family, middle_name=middle, given_name=given, user=user)
        m = services.member_add(actor=officer, council_id=council.pk, person_id=p.pk, role=role)
        members.append(m)
        users[m.pk] = user
    sec_user = make_user(f"{prefix}sec", None, None)
    sec = None
    if secretary:
        p = person(unit, family_name="Hoàng", middle_name="Thị", given_name="Thư", user=sec_user)
        sec = services.member_add(
            actor=officer, council_id=council.pk, person_id=p.pk, role=MemberRole.SECRETARY
        )
        users[sec.pk] = sec_user
    return CouncilWorld(council, officer, members, users, sec, sec_user)


def add_meeting(world: CouncilWorld, unit, *, items=3, recused_member: int | None = 5, present="all"):
    """A meeting with `items` candidates; the last item is about member `recused_member` (when given)."""
    candidates = [
        person(unit, family_name="Bùi", middle_name="Văn", given_name=f"Ứng{n}") for n in range(items)
    ]
    if recused_member is not None and items:
        candidates[-1] = world.members[recused_member].person
    agenda = [
        services.AgendaItem(
            key=f"test.candidate:{c.pk}", label=str(c), person_id=c.pk, group="Chiến sĩ thi đua cơ sở"
        )
        for c in candidates
    ]
    world.meeting = services.meeting_create(
        actor=world.officer,
        council_id=world.council.pk,
        title="Xét danh hiệu thi đua năm 2025",
        starts_at=timezone.now(),
        place="Phòng họp tầng 3",
        items=agenda,
    )
    world.candidates = candidates
    if present == "all":
        mark(
            world,
            {
                m.pk: Attendance.PRESENT
                for m in world.members + ([world.secretary] if world.secretary else [])
            },
        )
    return world.meeting


def mark(world: CouncilWorld, statuses: dict[int, str], reason="Đi công tác") -> None:
    services.attendance_set(
        actor=world.officer,
        meeting_id=world.meeting.pk,
        entries={
            pk: (status, reason if status == Attendance.ABSENT else "") for pk, status in statuses.items()
        },
    )


def open_ballot(world: CouncilWorld, **kwargs) -> Ballot:
    options = {
        "item_ids": [i.pk for i in world.items],
        "closes_at": timezone.now() + datetime.timedelta(hours=1),
    }
    options.update(kwargs)
    return services.ballot_open(actor=world.secretary_user, meeting_id=world.meeting.pk, **options)


def vote(world: CouncilWorld, member: CouncilMember, ballot: Ballot, choice="agree", per_item=None) -> None:
    """The member votes `choice` on every item they may vote on (per_item: {item_id: choice} overrides)."""
    choices = {}
    for item in ballot.items.order_by("order"):
        if item.person_id == member.person_id:
            continue
        choices[item.pk] = (per_item or {}).get(item.pk, choice)
    services.ballot_cast(actor=world.user(member), ballot_id=ballot.pk, choices=choices)


@pytest.fixture(autouse=True)
def decree_rule_for_units(monkeypatch):
    """The ballot tests count on the decree's rule of a ministry's council (90% of all members, no quorum
    of its own) for every council they build; a unit council's own rule is tested in test_vote_rule.py."""
    from tdkt.councils.selectors import rule

    monkeypatch.setitem(rule.KEYS, "unit", rule.KEYS["ministry"])


@pytest.fixture
def officer(tree):
    return make_user("officer_a", "officer", tree["a"])


@pytest.fixture
def world(tree, officer) -> CouncilWorld:
    w = build_council(tree["a"], officer=officer)
    add_meeting(w, tree["a"])
    return w
