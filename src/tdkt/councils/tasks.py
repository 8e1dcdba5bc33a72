"""Background work of the councils app. Tasks take ids and call services:
- the notices of an opened and of a closed ballot, enqueued when the transaction commits;
- the periodic job (registered with core.periodic in CouncilsConfig.ready): close the electronic ballots
  whose time has run out, and remind the members who have not voted 30 minutes before the deadline."""

from __future__ import annotations

import datetime

from django_tasks import task

from tdkt.councils.services import notices

EVERY = datetime.timedelta(minutes=1)


@task()
def notify_ballot_opened(ballot_id: int) -> int:
    return notices.send_open_notices(ballot_id=ballot_id)


@task()
def notify_ballot_closed(ballot_id: int) -> int:
    return notices.send_close_notices(ballot_id=ballot_id)


def ballots_due(*, now: datetime.datetime) -> None:
    notices.close_due_ballots(now=now)
    notices.remind_closing_ballots(now=now)
