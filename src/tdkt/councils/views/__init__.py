"""Screens of the councils app: councils and members, a meeting (agenda, attendance, ballots, results after
close, minutes), the counting committee's form, and the member's own ballot papers ("Phiếu bầu của tôi")."""

from tdkt.councils.views.ballots import ballot_close, ballot_tallies, counting_minutes_file
from tdkt.councils.views.councils import (
    council_create,
    council_detail,
    council_edit,
    council_list,
    member_add,
    member_remove,
    member_update,
)
from tdkt.councils.views.meetings import (
    ballot_open,
    meeting_attendance,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_minutes_file,
)
from tdkt.councils.views.voting import ballot_vote, my_ballots

__all__ = [
    "ballot_close",
    "ballot_open",
    "ballot_tallies",
    "ballot_vote",
    "council_create",
    "council_detail",
    "council_edit",
    "council_list",
    "counting_minutes_file",
    "meeting_attendance",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_minutes_file",
    "member_add",
    "member_remove",
    "member_update",
    "my_ballots",
]
