"""Background tasks of core: the e-mails of notifications."""

from __future__ import annotations

from django_tasks import task


@task()
def send_notification_emails() -> int:
    """Send the e-mail of every notification not yet e-mailed (to users with an address)."""
    from tdkt.core.mail import send_pending

    return send_pending()
