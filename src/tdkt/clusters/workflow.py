"""The legal moves of a cluster's year; `services.year_move` is the only writer of its status.

setup --open_scoring--> scoring --start_appraisal--> appraisal --start_explanation--> explanation
appraisal | explanation --lock--> locked --rank--> ranked --record_vote--> voted --publish--> published
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tdkt.clusters.enums import YearAction as A
from tdkt.clusters.enums import YearStatus as S
from tdkt.core.errors import ServiceError

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SETUP, A.OPEN_SCORING): S.SCORING,
    (S.SCORING, A.START_APPRAISAL): S.APPRAISAL,
    (S.APPRAISAL, A.START_EXPLANATION): S.EXPLANATION,
    (S.APPRAISAL, A.LOCK): S.LOCKED,
    (S.EXPLANATION, A.LOCK): S.LOCKED,
    (S.LOCKED, A.RANK): S.RANKED,
    (S.RANKED, A.RANK): S.RANKED,  # ranked again (a setting changed) before the vote
    (S.RANKED, A.RECORD_VOTE): S.VOTED,
    (S.VOTED, A.PUBLISH): S.PUBLISHED,
}

# what may change in each status
SCORING_OPEN = {S.SCORING}
APPRAISAL_OPEN = {S.APPRAISAL, S.EXPLANATION}
EXPLANATION_OPEN = {S.EXPLANATION}
SETUP_OPEN = {S.SETUP}


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise ServiceError(
            _("Không thực hiện được “%(action)s” khi năm thi đua của cụm đang ở bước “%(status)s”.")
            % {"action": A(action).label if action in A.values else action, "status": S(status).label}
        ) from None


def allowed_actions(status: str) -> list[str]:
    return [a for (s, a) in TRANSITIONS if s == status]
