"""The legal moves of a review round; the transition service (services.round_transition) is the only
writer of its status."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tdkt.core.errors import ServiceError
from tdkt.reviews.enums import RoundAction as A
from tdkt.reviews.enums import RoundStatus as S

TRANSITIONS = {
    (S.PREPARING, A.SEND): S.IN_COUNCIL,
    (S.IN_COUNCIL, A.REOPEN): S.PREPARING,
    (S.IN_COUNCIL, A.CONCLUDE): S.CONCLUDED,
    (S.PREPARING, A.CONCLUDE): S.CONCLUDED,  # nothing needed a vote, and the council met on paper
    (S.CONCLUDED, A.CLOSE): S.CLOSED,
}


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise ServiceError(
            _("Không thể “%(action)s” khi đợt bình xét đang ở trạng thái “%(status)s”.")
            % {"action": A(action).label, "status": S(status).label}
        ) from None
