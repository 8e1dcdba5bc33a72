"""Template context of every page: the bell's unread count (core.notifications)."""

from __future__ import annotations

import logging
from functools import cached_property

from django.db import DatabaseError

from tdkt.core.notifications import BELL_CAP, unread_count

logger = logging.getLogger(__name__)


class Bell:
    """The count is asked on first use, so a page or fragment that does not draw the header costs no
    query, and one that does costs one."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def unread(self) -> int:
        try:
            return unread_count(self._user)
        except DatabaseError:  # a badge never takes the page down with it (the error page included)
            logger.warning("the bell could not count unread notifications", exc_info=True)
            return 0

    @property
    def label(self) -> str:
        """What the badge shows: the number, or "99+" beyond."""
        return f"{BELL_CAP - 1}+" if self.unread >= BELL_CAP else str(self.unread)


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": Bell(user)}
