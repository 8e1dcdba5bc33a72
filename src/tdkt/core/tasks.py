"""Background tasks of core: the e-mails of notifications."""

from __future__ import annotations

from django_tasks import task


@task()
def send_notification_emails() -> int:
    """Send the pending notification e-mails (enqueued by `notify` after its transaction commits; the
    periodic job `core.notification_emails` catches up on what a failed run left). Returns how many."""
    from tdkt.core.mail import send_pending

    return send_pending()
