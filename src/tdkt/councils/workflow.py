"""Legal moves of a ballot. A closed ballot is final: a re-vote is a new ballot that replaces it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tdkt.core.errors import ServiceError
from tdkt.councils.enums import BallotAction, BallotStatus

TRANSITIONS: dict[tuple[str, str], str] = {
    (BallotStatus.OPEN, BallotAction.CLOSE): BallotStatus.CLOSED,
}


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        if status == BallotStatus.CLOSED:
            raise ServiceError(_("Phiếu bầu đã đóng; kết quả là cuối cùng.")) from None
        raise ServiceError(_("Không thực hiện được thao tác này với phiếu bầu.")) from None
