"""E-mail of notifications through Django's e-mail backend (SMTP from TDKT_EMAIL_URL; console in the demo).

Only the task worker calls `send_pending` (the task `send_notification_emails`, enqueued by `notify` on
commit, and the periodic job `core.notification_emails`, which picks up what a failed run left). Rows
are claimed before they are sent, so two workers running at once never mail the same notification.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from tdkt.core.models import Notification
from tdkt.core.notifications import local_path

logger = logging.getLogger(__name__)

BATCH = 200
# a claim this old belongs to a worker that died mid-batch: its rows go back to the queue
STALE_CLAIM = datetime.timedelta(minutes=15)

State = Notification.EmailState


def send_pending(*, batch: int = BATCH) -> int:
    """Send what is pending, oldest first, a batch at a time, until none is left or the mail server
    fails; each notification is marked once sent. Users without an address (or no longer active) are
    marked not to be mailed. A failing server leaves the rest pending and logs one line. Returns the
    number sent."""
    if not settings.TDKT_EMAIL_ENABLED:
        return 0
    now = timezone.now()
    Notification.objects.filter(email_state=State.SENDING, email_claimed_at__lt=now - STALE_CLAIM).update(
        email_state=State.PENDING, email_claim="", email_claimed_at=None
    )
    Notification.objects.filter(email_state=State.PENDING).filter(
        Q(user__email="") | Q(user__is_active=False)
    ).update(email_state=State.SKIPPED)
    sent = 0
    while True:
        ids = list(
            Notification.objects.filter(email_state=State.PENDING)
            .order_by("created_at", "id")
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            return sent
        token = get_random_string(32)
        # the state in the WHERE makes the claim exclusive: a row another worker took meanwhile is left
        Notification.objects.filter(pk__in=ids, email_state=State.PENDING).update(
            email_state=State.SENDING, email_claim=token, email_claimed_at=timezone.now()
        )
        rows = list(
            Notification.objects.filter(pk__in=ids, email_claim=token)
            .select_related("user")
            .order_by("created_at", "id")
        )
        done, server_ok = _send(rows, token)
        sent += done
        if not server_ok:
            return sent


def _send(rows: list[Notification], token: str) -> tuple[int, bool]:
    """Send the claimed rows on one connection: (how many were sent, whether the server kept working)."""
    sent = 0
    try:
        with get_connection() as connection, translation.override(settings.LANGUAGE_CODE):
            for n in rows:
                if not n.user.email or not n.user.is_active:
                    _finish(n, token, State.SKIPPED)
                    continue
                try:
                    connection.send_messages([_message(n)])
                except smtplib.SMTPRecipientsRefused:
                    # this address will never take it; the others still can
                    logger.warning("notification e-mail %s: address refused by the mail server", n.pk)
                    _finish(n, token, State.SKIPPED)
                    continue
                except smtplib.SMTPDataError as exc:
                    if exc.smtp_code < 500:  # "try again later": the whole queue waits for the next run
                        raise
                    logger.warning(
                        "notification e-mail %s: refused by the mail server (%s)", n.pk, exc.smtp_code
                    )
                    _finish(n, token, State.SKIPPED)
                    continue
                except ValueError as exc:  # a header or text that cannot be encoded: skip it, not the queue
                    logger.warning("notification e-mail %s: not sendable (%s)", n.pk, type(exc).__name__)
                    _finish(n, token, State.SKIPPED)
                    continue
                _finish(n, token, State.SENT)
                sent += 1
    except OSError as exc:  # the server or the network (smtplib's errors are OSErrors)
        # no address, name or text in the log: only what failed
        logger.warning(
            "notification e-mails: mail server failed (%s); the unsent ones stay pending for the next run",
            type(exc).__name__,
        )
        _release(rows, token)
        return sent, False
    except BaseException:  # our own bug or a stop: nothing is lost, the rows go back to the queue
        _release(rows, token)
        raise
    return sent, True


def _release(rows: list[Notification], token: str) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in rows], email_claim=token).update(
        email_state=State.PENDING, email_claim="", email_claimed_at=None
    )


def _finish(n: Notification, token: str, state: str) -> None:
    Notification.objects.filter(pk=n.pk, email_claim=token).update(
        email_state=state,
        email_claim="",
        email_claimed_at=None,
        emailed_at=timezone.now() if state == State.SENT else None,
    )


def _message(n: Notification) -> EmailMessage:
    site = settings.TDKT_SITE_URL
    parts = [n.body.strip()] if n.body.strip() else []
    if local_path(n.url):
        parts.append(_("Xem chi tiết: %(link)s") % {"link": site + n.url})
    parts.append(
        "-- \n"
        + _("Thư tự động của hệ thống quản lý thi đua, khen thưởng. Mọi thông báo của bạn: %(link)s")
        % {"link": site + reverse("core:notification_list")}
    )
    return EmailMessage(
        subject=" ".join(n.title.split()),
        body="\n\n".join(parts),
        to=[n.user.email],
        headers={"Auto-Submitted": "auto-generated"},  # RFC 3834: no vacation auto-replies
    )
