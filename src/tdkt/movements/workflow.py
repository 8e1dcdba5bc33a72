"""The legal moves of a movement and of a registration. Only the transition services write `status`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tdkt.core.errors import ServiceError
from tdkt.movements.enums import MovementAction as MA
from tdkt.movements.enums import MovementStatus as MS
from tdkt.movements.enums import RegistrationAction as RA
from tdkt.movements.enums import RegistrationStatus as RS

MOVEMENT_MOVES: dict[tuple[str, str], str] = {
    (MS.DRAFT, MA.LAUNCH): MS.LAUNCHED,
    (MS.LAUNCHED, MA.CLOSE): MS.CLOSED,
}

REGISTRATION_MOVES: dict[tuple[str, str], str] = {
    (RS.PENDING, RA.APPROVE): RS.APPROVED,
    (RS.PENDING, RA.REJECT): RS.REJECTED,
    (RS.PENDING, RA.WITHDRAW): RS.WITHDRAWN,
    (RS.APPROVED, RA.WITHDRAW): RS.WITHDRAWN,
}


def next_movement_status(status: str, action: str) -> str:
    try:
        return MOVEMENT_MOVES[(status, action)]
    except KeyError:
        raise ServiceError(
            _("Không thể “%(action)s” phong trào đang ở trạng thái “%(status)s”.")
            % {"action": MA(action).label, "status": MS(status).label}
        ) from None


def next_registration_status(status: str, action: str) -> str:
    try:
        return REGISTRATION_MOVES[(status, action)]
    except KeyError:
        raise ServiceError(
            _("Không thể “%(action)s” đăng ký đang ở trạng thái “%(status)s”.")
            % {"action": RA(action).label, "status": RS(status).label}
        ) from None
