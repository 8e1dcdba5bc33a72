"""What follows a ballot outside its transactions: the notices of an opened and of a closed ballot (sent by
tasks enqueued on commit), the reminder 30 minutes before the deadline, and the system's close of a
ballot whose time has run out (both run by the periodic job `councils.ballots_due`). No notice ever
carries a choice."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.core.errors import ServiceError
from tdkt.core.notifications import notify, remind_before
from tdkt.councils.enums import BallotMode, BallotStatus
from tdkt.councils.models import Ballot, BallotReceipt, CouncilMember
from tdkt.councils.services.ballots import _meeting_url, _vote_url, _when, ballot_close

REMIND_AHEAD = datetime.timedelta(minutes=30)


def send_open_notices(*, ballot_id: int) -> int:
    """ "Phiếu bầu đã mở: … hạn đến …" to each member on the roll (once: dedupe key)."""
    ballot = Ballot.objects.select_related("meeting").get(pk=ballot_id)
    if ballot.status != BallotStatus.OPEN or ballot.closes_at is None:
        return 0
    roll = CouncilMember.objects.filter(pk__in=ballot.voters.values("pk")).select_related("person__user")
    return len(
        notify(
            users=[m.person.user for m in roll],
            kind="councils.ballot_open",
            title=_("Phiếu bầu đã mở: %(title)s — hạn đến %(when)s")
            % {"title": ballot.meeting.title, "when": _when(ballot.closes_at)},
            url=_vote_url(ballot.pk),
            body=_("Bỏ phiếu kín %(n)s nội dung trong mục “Phiếu bầu của tôi”.")
            % {"n": ballot.items.count()},
            dedupe_key=f"councils.ballot:{ballot.pk}:open",
        )
    )


def send_close_notices(*, ballot_id: int) -> int:
    """The council's members learn that the results are out (once: dedupe key)."""
    ballot = Ballot.objects.select_related("meeting").get(pk=ballot_id)
    members = CouncilMember.objects.filter(
        council_id=ballot.meeting.council_id, active=True, person__user__isnull=False
    ).select_related("person__user")
    return len(
        notify(
            users=[m.person.user for m in members],
            kind="councils.ballot_closed",
            title=_("Đã có kết quả bỏ phiếu: %(title)s (lần %(n)s)")
            % {"title": ballot.meeting.title, "n": ballot.number},
            url=_meeting_url(ballot.meeting_id),
            dedupe_key=f"councils.ballot:{ballot.pk}:closed",
        )
    )


def close_due_ballots(*, now: datetime.datetime | None = None) -> int:
    """Close the electronic ballots whose time has run out (the system closes them). Returns how many."""
    now = now or timezone.now()
    closed = 0
    due = Ballot.objects.filter(
        status=BallotStatus.OPEN, mode=BallotMode.ELECTRONIC, closes_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due):
        try:
            ballot_close(actor=None, ballot_id=pk)
        except ServiceError:  # closed meanwhile by the secretary
            continue
        closed += 1
    return closed


def remind_closing_ballots(*, now: datetime.datetime | None = None) -> int:
    """Remind, once, each member on the roll who has not voted, when less than 30 minutes are left."""
    now = now or timezone.now()
    sent = 0
    ballots = Ballot.objects.filter(
        status=BallotStatus.OPEN,
        mode=BallotMode.ELECTRONIC,
        closes_at__gt=now,
        closes_at__lte=now + REMIND_AHEAD,
    ).select_related("meeting")
    for ballot in ballots:
        voted = BallotReceipt.objects.filter(ballot=ballot).values("member_id")
        waiting = (
            CouncilMember.objects.filter(pk__in=ballot.voters.values("pk"))
            .exclude(pk__in=voted)
            .select_related("person__user")
        )
        sent += len(
            remind_before(
                users=[m.person.user for m in waiting],
                kind="councils.ballot_closing",
                title=_("Sắp hết hạn bỏ phiếu: %(title)s — hạn đến %(when)s")
                % {"title": ballot.meeting.title, "when": _when(ballot.closes_at)},
                url=_vote_url(ballot.pk),
                due=ballot.closes_at,
                ahead=REMIND_AHEAD,
                key=f"councils.ballot:{ballot.pk}:closing",
                now=now,
            )
        )
    return sent
