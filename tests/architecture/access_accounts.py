"""Access table of the login lockouts (issue 7): only the system admin sees or lifts them."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tests.architecture.matrix import Endpoint, Request, World

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
accounts:lockout_list            GET    -       200 403 403 403 403 403 403 403 403 403 403 log
accounts:lockout_unlock          POST   -       302 403 403 403 403 403 403 403 403 403 403 log
"""
# fmt: on

LOCKED = ("truongphong", "10.1.2.3")  # a user name locked at one address


def build(world: World) -> None:
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username=LOCKED[0], ip_address=LOCKED[1], user_agent="", failures_since_start=5,
        attempt_time=timezone.now(), get_data="", post_data="", http_accept="", path_info="/",
    )  # fmt: skip


def state() -> tuple:
    from axes.models import AccessAttempt

    return tuple(sorted(AccessAttempt.objects.values_list("username", "ip_address")))


ENDPOINTS = {
    "accounts:lockout_list": Endpoint(lambda w, t: Request(reverse("accounts:lockout_list"))),
    "accounts:lockout_unlock": Endpoint(
        lambda w, t: Request(
            reverse("accounts:lockout_unlock"),
            {"username": LOCKED[0], "ip": LOCKED[1]},
            redirect=reverse("accounts:lockout_list"),
        ),
        changes=True,
    ),
}
