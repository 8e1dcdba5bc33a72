"""Access table of the notifications (issue 8, item 8): every signed-in user has their own list, opens
and marks their own notifications; another user's notification reads as nonexistent."""

from __future__ import annotations

from django.urls import reverse

from tdkt.core.models import Notification
from tests.architecture.matrix import Endpoint, Request, World

# own: a notification of the signed-in user; other: one of an officer of department B
# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
core:notification_list           GET    -       200 200 200 200 200 200 200 200 200 200 200 log
core:notification_open           GET    own     302 302 302 302 302 302 302 302 302 302 302 log
core:notification_open           GET    other   404 404 404 404 404 404 404 404 404 404 404 log
core:notification_read_all       POST   -       302 302 302 302 302 302 302 302 302 302 302 log
"""
# fmt: on

OWN_TITLE = "Thông báo của chính tôi"
OTHER_TITLE = "Thông báo riêng của Vụ Beta"


def build(world: World) -> None:
    # the officer of department B who created the other unit's job
    world.extra["other_notification"] = Notification.objects.create(
        user=world.other_job.created_by, kind="test", title=OTHER_TITLE, url="/org/people/"
    )


def state() -> tuple:
    return tuple(sorted(Notification.objects.values_list("id", "user_id", "read_at")))


def _own(w: World) -> Notification:
    """An unread notification of the signed-in user (the anonymous visitor has none: the other one)."""
    user = w.own_job.created_by if w.own_job else None
    if user is None:
        return w.extra["other_notification"]
    notification, _created = Notification.objects.get_or_create(
        user=user,
        dedupe_key="access-matrix",
        defaults={"kind": "test", "title": OWN_TITLE, "url": _own_url()},
    )
    return notification


def _own_url() -> str:
    return reverse("accounts:password_change")


def _read_all(w: World) -> Request:
    _own(w)  # something unread, so that marking all read changes the database
    return Request(reverse("core:notification_read_all"), {}, redirect=reverse("core:notification_list"))


def _target(w: World, t: str) -> Notification:
    return _own(w) if t == "own" else w.extra["other_notification"]


ENDPOINTS = {
    "core:notification_list": Endpoint(
        lambda w, t: Request(reverse("core:notification_list"), marker=_own(w).title if w.own_job else None)
    ),
    "core:notification_open": Endpoint(
        lambda w, t: Request(
            reverse("core:notification_open", args=[_target(w, t).pk]),
            marker=_target(w, t).title if t == "other" else None,
            redirect=_own_url(),
        )
    ),
    "core:notification_read_all": Endpoint(lambda w, t: _read_all(w), changes=True),
}
