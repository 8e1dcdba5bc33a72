"""The legal moves of a decision: a draft is issued once; an issued decision is final (a revocation is
a decision of its own, recorded on the award records)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tdkt.awards.enums import DecisionAction as A
from tdkt.awards.enums import DecisionStatus as S
from tdkt.core.errors import ServiceError

TRANSITIONS = {(S.DRAFT, A.ISSUE): S.ISSUED}


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        if status == S.ISSUED:
            raise ServiceError(_("Quyết định này đã được ban hành; không thể ban hành lần nữa.")) from None
        raise ServiceError(
            _("Không thể thực hiện thao tác này với quyết định ở trạng thái hiện tại.")
        ) from None
