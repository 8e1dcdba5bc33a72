"""What the councils pages read: councils and members, a meeting, the voter's ballot papers. Counters of an
open ballot are never read here: only how many have voted."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.accounts.scope import scope_for
from tdkt.councils.enums import ROLE_ORDER, Attendance, BallotMode, BallotStatus, Basis
from tdkt.councils.models import (
    Ballot,
    BallotReceipt,
    Council,
    CouncilMember,
    Meeting,
    MeetingAttendance,
    MeetingItem,
)
from tdkt.councils.selectors.results import ItemResult, compute_results, counter_rows
from tdkt.councils.selectors.rule import VoteRule, meeting_rule
from tdkt.org.models import Unit

# ---------------------------------------------------------------------------------------------- councils


def councils_of_unit(unit: Unit) -> list[Council]:
    """The councils of `unit`, the current term first (for a form offering where to send a list)."""
    return list(Council.objects.filter(unit=unit).select_related("unit").order_by("-term_from", "-id"))


def visible_councils(user) -> QuerySet[Council]:
    """Councils of the units the user's `councils.view` scope covers, and those the user sits on."""
    scope = scope_for(user, "councils.view")
    qs = Council.objects.all()
    if not scope.everything:
        q = scope.unit_q("unit")
        if getattr(user, "is_authenticated", False):
            q |= Q(pk__in=CouncilMember.objects.filter(person__user=user, active=True).values("council_id"))
        qs = qs.filter(q)
    return qs


def council_list(user) -> list[Council]:
    return list(
        visible_councils(user)
        .select_related("unit")
        .annotate(
            member_count=Count("members", filter=Q(members__active=True), distinct=True),
            meeting_count=Count("meetings", distinct=True),
        )
        .order_by("unit__path", "-term_from", "id")
    )


def role_rank():
    return role_rank_of("role")


def members_of(council_id: int, *, active_only: bool = True) -> list[CouncilMember]:
    """Members in role order (chair, vice-chairs, standing member, members, secretary), then by name the
    Vietnamese way (given name, then middle and family name: the person's sort key)."""
    qs = CouncilMember.objects.filter(council_id=council_id)
    if active_only:
        qs = qs.filter(active=True)
    return list(
        qs.select_related("person", "person__current_unit")
        .annotate(rank=role_rank())
        .order_by("rank", "person__sort_key", "id")
    )


def council_meetings(council: Council) -> list[Meeting]:
    return list(
        council.meetings.select_related("chair__person", "secretary__person")
        .annotate(item_count=Count("items", distinct=True), ballot_count=Count("ballots", distinct=True))
        .order_by("-starts_at", "-id")
    )


# ---------------------------------------------------------------------------------------------- a meeting


@dataclass
class BallotView:
    ballot: Ballot
    item_ids: list[int]
    voted: int
    roll: int
    results: list[ItemResult] | None = None
    expired: bool = False


@dataclass
class MeetingPage:
    meeting: Meeting
    items: list[MeetingItem]
    attendance: list[MeetingAttendance]
    rule: VoteRule
    voting_total: int
    present_voting: int
    quorum_needed: int | None
    unknown: int
    ballots: list[BallotView]
    open_ballot: bool
    needed_if_all_present: int
    warnings: list[str] = field(default_factory=list)


def meeting_for_page(pk: int) -> Meeting:
    return Meeting.objects.select_related(
        "council", "council__unit", "chair__person", "secretary__person"
    ).get(pk=pk)


def meeting_page(meeting: Meeting) -> MeetingPage:
    """Everything the meeting page shows, in a fixed number of queries whatever the size of the agenda
    and of the council. Counters of open ballots are not read: only how many have voted."""
    items = list(meeting.items.select_related("person").order_by("order", "id"))
    attendance = list(
        meeting.attendance.select_related("member", "member__person")
        .annotate(rank=role_rank_of("member__role"))
        .order_by("rank", "member__person__sort_key", "id")
    )
    rule = meeting_rule(meeting)
    voting = [a for a in attendance if a.member.votes and a.member.active]
    present_voting = sum(1 for a in voting if a.status == Attendance.PRESENT)
    unknown = sum(1 for a in attendance if a.status == Attendance.UNKNOWN and a.member.active)
    ballots = list(
        meeting.ballots.select_related("replaces")
        .prefetch_related(Prefetch("items", queryset=MeetingItem.objects.only("id")))
        .annotate(voted=Count("receipts", distinct=True), roll=Count("voters", distinct=True))
        .order_by("number")
    )
    rows = counter_rows([b.pk for b in ballots if b.status == BallotStatus.CLOSED])
    now = timezone.now()
    views = []
    for b in ballots:
        view = BallotView(
            ballot=b,
            item_ids=[i.pk for i in b.items.all()],
            voted=(b.papers_cast or 0) if b.mode == BallotMode.PAPER else b.voted,
            roll=b.roll,
            expired=bool(b.status == BallotStatus.OPEN and b.closes_at and b.closes_at <= now),
        )
        if b.status == BallotStatus.CLOSED:
            view.results = compute_results(b, rows.get(b.pk, []))
        views.append(view)
    voting_total = len(voting)
    base_all = voting_total if rule.basis == Basis.ALL else present_voting
    page = MeetingPage(
        meeting=meeting,
        items=items,
        attendance=attendance,
        rule=rule,
        voting_total=voting_total,
        present_voting=present_voting,
        quorum_needed=rule.quorum_needed(voting_total),
        unknown=unknown,
        ballots=views,
        open_ballot=any(v.ballot.status == BallotStatus.OPEN for v in views),
        needed_if_all_present=rule.needed(base_all),
    )
    if rule.basis == Basis.ALL and voting_total and present_voting < rule.needed(voting_total):
        page.warnings.append(
            _(
                "Có mặt %(present)s/%(total)s thành viên có quyền biểu quyết: ít hơn %(needed)s phiếu đồng ý "
                "cần có, nên không nội dung nào có thể đạt."
            )
            % {"present": present_voting, "total": voting_total, "needed": rule.needed(voting_total)}
        )
    return page


def role_rank_of(field_name: str):
    return Case(
        *[When(**{field_name: role}, then=Value(rank)) for role, rank in ROLE_ORDER.items()],
        default=Value(9),
        output_field=IntegerField(),
    )


# ---------------------------------------------------------------------------------------------- the voter


@dataclass
class MyBallot:
    ballot: Ballot
    voted: bool
    items: int


def my_ballots(user) -> list[MyBallot]:
    """The open ballots on whose roll the user is (present voting member), with whether they voted."""
    if not getattr(user, "is_authenticated", False):
        return []
    members = CouncilMember.objects.filter(person__user=user, active=True).values("id")
    ballots = (
        Ballot.objects.filter(status=BallotStatus.OPEN, mode=BallotMode.ELECTRONIC, voters__in=members)
        .select_related("meeting", "meeting__council", "meeting__council__unit")
        .annotate(
            item_count=Count("items", distinct=True),
            has_voted=Exists(BallotReceipt.objects.filter(ballot=OuterRef("pk"), member__in=members)),
        )
        .distinct()
        .order_by("closes_at", "id")
    )
    return [MyBallot(ballot=b, voted=b.has_voted, items=b.item_count) for b in ballots]


def ballot_for_voter(pk: int) -> Ballot:
    return Ballot.objects.select_related("meeting", "meeting__council", "meeting__council__unit").get(pk=pk)


@dataclass
class SheetLine:
    item: MeetingItem
    recused: bool


def voting_sheet(ballot: Ballot, member: CouncilMember | None) -> list[SheetLine]:
    """The lines of the member's ballot paper: one per item, recused where the item is about them."""
    person_id = member.person_id if member else None
    items = ballot.items.select_related("person").order_by("order", "id")
    return [SheetLine(item=i, recused=person_id is not None and i.person_id == person_id) for i in items]


@dataclass
class VoterState:
    member: CouncilMember | None
    on_roll: bool
    voted: bool


def member_of(user, council_id: int) -> CouncilMember | None:
    """The user's active membership of the council, with the person (None: not a member)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        CouncilMember.objects.filter(council_id=council_id, person__user=user, active=True)
        .select_related("person")
        .first()
    )


def voter_state(ballot: Ballot, member: CouncilMember | None) -> VoterState:
    if member is None:
        return VoterState(None, False, False)
    on_roll = ballot.voters.filter(pk=member.pk).exists()
    voted = BallotReceipt.objects.filter(ballot=ballot, member=member).exists()
    return VoterState(member, on_roll, voted)


def ballot_progress(ballot: Ballot) -> tuple[int, int]:
    """(voted, on the roll): all that anyone sees of an open ballot."""
    return ballot.receipts.count(), ballot.voters.count()
