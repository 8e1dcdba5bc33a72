"""Read paths of the councils app: the vote rule, ballot results, and what each page shows.

`vote_rule(unit, level)` is the one place the threshold, its basis and the quorum are read; `ballot_results`
and `results_by_key` are what other apps (the unit's review, later the ministry council) read.
"""

from tdkt.councils.selectors.pages import (
    BallotView,
    MeetingPage,
    MyBallot,
    SheetLine,
    VoterState,
    ballot_for_voter,
    ballot_progress,
    council_list,
    council_meetings,
    councils_of_unit,
    meeting_for_page,
    meeting_page,
    member_of,
    members_of,
    my_ballots,
    role_rank,
    role_rank_of,
    visible_councils,
    voter_state,
    voting_sheet,
)
from tdkt.councils.selectors.results import (
    ItemResult,
    ballot_results,
    compute_results,
    counter_rows,
    results_by_key,
)
from tdkt.councils.selectors.rule import VoteRule, meeting_rule, parse_basis, parse_quorum, vote_rule

__all__ = [
    "BallotView",
    "ItemResult",
    "MeetingPage",
    "MyBallot",
    "SheetLine",
    "VoteRule",
    "VoterState",
    "ballot_for_voter",
    "ballot_progress",
    "ballot_results",
    "compute_results",
    "council_list",
    "council_meetings",
    "councils_of_unit",
    "counter_rows",
    "meeting_for_page",
    "meeting_page",
    "meeting_rule",
    "member_of",
    "members_of",
    "my_ballots",
    "parse_basis",
    "parse_quorum",
    "results_by_key",
    "role_rank",
    "role_rank_of",
    "visible_councils",
    "vote_rule",
    "voter_state",
    "voting_sheet",
]
