"""The legal moves of a dossier and the clock step each status is in; services.transition is the only
writer of a dossier's status.

    unit:      draft --send--> sent                              (the head has approved it)
    ministry:  sent --receive--> received --start--> appraising --return--> returned   (back to the unit)
    unit:      returned --resend--> resent
    ministry:  resent --start--> appraising --accept--> accepted
               accepted --to_council--> in_council --decide--> decided       (or accepted --decide--> decided)
    ministry level:  decided --issue--> issued                               (the minister's decision)
    State level:     decided --prepare--> prepared --sign--> signed --send_up--> sent_up --close--> closed
                     sent_up --resend_up--> sent_up    (nominations the central body returned, supplemented)
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tdkt.core.errors import ServiceError
from tdkt.dossiers.enums import Action as A
from tdkt.dossiers.enums import Level
from tdkt.dossiers.enums import Status as S

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, A.SEND): S.SENT,
    (S.SENT, A.RECEIVE): S.RECEIVED,
    (S.RECEIVED, A.START): S.APPRAISING,
    (S.RESENT, A.START): S.APPRAISING,
    (S.APPRAISING, A.RETURN): S.RETURNED,
    (S.RECEIVED, A.RETURN): S.RETURNED,
    (S.RETURNED, A.RESEND): S.RESENT,
    (S.APPRAISING, A.ACCEPT): S.ACCEPTED,
    (S.ACCEPTED, A.TO_COUNCIL): S.IN_COUNCIL,
    (S.IN_COUNCIL, A.DECIDE): S.DECIDED,
    (S.ACCEPTED, A.DECIDE): S.DECIDED,
    (S.DECIDED, A.ISSUE): S.ISSUED,
    (S.DECIDED, A.PREPARE): S.PREPARED,
    (S.PREPARED, A.SIGN): S.SIGNED,
    (S.SIGNED, A.SEND_UP): S.SENT_UP,
    (S.SENT_UP, A.RESEND_UP): S.SENT_UP,  # what the central body returned, supplemented and sent again
    (S.SENT_UP, A.CLOSE): S.CLOSED,
}

# moves that belong to one level only
LEVEL_ONLY = {A.ISSUE: Level.MINISTRY, A.PREPARE: Level.STATE}

# the clock: which step a status is in (its limit comes from the rulebook: services.step_limit)
STEPS = {
    S.SENT: "receive",
    S.RESENT: "receive",
    S.RECEIVED: "appraisal",
    S.APPRAISING: "appraisal",
    S.RETURNED: "unit_fix",
    S.ACCEPTED: "council",
    S.IN_COUNCIL: "council",
    S.DECIDED: "decision",
    S.PREPARED: "state_prepare",
    S.SIGNED: "state_prepare",
    S.SENT_UP: "central_appraisal",
}
# where the dossier is held: the proposing unit, the ministry, or above the ministry
HELD_BY_UNIT = {S.DRAFT, S.RETURNED}
HELD_ABOVE = {S.SENT_UP, S.CLOSED}
# the unit may change its papers and nominations only while it holds the dossier
EDITABLE = HELD_BY_UNIT
PENDING = {s for s in S.values if s not in (S.ISSUED, S.CLOSED)}


def next_status(status: str, action: str, level: str) -> str:
    new = TRANSITIONS.get((status, action))
    if new is None or LEVEL_ONLY.get(action, level) != level:
        raise ServiceError(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”; có thể người khác vừa xử lý.")
            % {"action": A(action).label, "status": S(status).label}
        )
    return new
