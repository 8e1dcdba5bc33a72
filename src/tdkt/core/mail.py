"""E-mail of notifications through Django's e-mail backend (SMTP from TDKT_EMAIL_URL; console in the demo)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from tdkt.core.models import Notification

BATCH = 200


def send_pending() -> int:
    """Send what is pending, oldest first, a batch at a time; a notification is marked once sent."""
    sent = 0
    pending = (
        Notification.objects.filter(emailed_at__isnull=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("created_at", "id")[:BATCH]
    )
    rows = list(pending)
    if not rows:
        return 0
    with get_connection() as connection:
        for n in rows:
            link = f"{settings.TDKT_SITE_URL}{n.url}" if n.url else ""
            message = EmailMessage(
                subject=n.title,
                body="\n\n".join(t for t in (n.body, link) if t),
                to=[n.user.email],
                connection=connection,
            )
            message.send()
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent
