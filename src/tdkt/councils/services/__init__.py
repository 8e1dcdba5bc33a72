"""Writes of the councils app, one function per use case (keyword-only, one transaction, permission
re-checked inside, one audit event). Other apps call these names from `tdkt.councils.services`:

    AgendaItem(key, label, person_id=None, group="", order=None)
    meeting_create(*, actor, council_id, title, starts_at, place="", online=False, items, chair_id=None,
                   secretary_id=None) -> Meeting
    ballot_open(*, actor, meeting_id, item_ids, closes_at, mode="electronic", allow_abstain=False,
                reason="", replaces_id=None) -> Ballot
    ballot_cast(*, actor, ballot_id, choices: {item_id: "agree" | "disagree" | "abstain"}) -> None
    ballot_enter_tallies(*, actor, ballot_id, committee, tallies, invalid_papers=0, papers_cast=None)
    ballot_close(*, actor, ballot_id) -> list[ItemResult]
    register_close_listener(prefix, fn)   # fn(ballot, results) for items whose key starts with prefix
    conference_create(*, actor, unit_id, name, starts_at, place, people, items) -> (Council, Meeting)
"""

from tdkt.councils.selectors import ItemResult, VoteRule, ballot_results, results_by_key, vote_rule
from tdkt.councils.services.ballots import ballot_cast, ballot_close, ballot_open, register_close_listener
from tdkt.councils.services.councils import (
    conference_create,
    council_create,
    council_update,
    member_add,
    member_remove,
    member_update,
)
from tdkt.councils.services.meetings import AgendaItem, attendance_set, meeting_create, meeting_update
from tdkt.councils.services.notices import close_due_ballots, remind_closing_ballots
from tdkt.councils.services.tallies import ballot_enter_tallies

__all__ = [
    "AgendaItem",
    "ItemResult",
    "VoteRule",
    "attendance_set",
    "ballot_cast",
    "ballot_close",
    "ballot_enter_tallies",
    "ballot_open",
    "ballot_results",
    "close_due_ballots",
    "conference_create",
    "council_create",
    "council_update",
    "meeting_create",
    "meeting_update",
    "member_add",
    "member_remove",
    "member_update",
    "register_close_listener",
    "remind_closing_ballots",
    "results_by_key",
    "vote_rule",
]
