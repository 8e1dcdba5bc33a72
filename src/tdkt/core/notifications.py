"""The one notification service: in-app (the bell) and e-mail, for every app.

`notify(users=..., kind=..., title=..., url=..., body=..., dedupe_key=...)` writes one Notification per
user (a user who already has one with the same `dedupe_key` is skipped, so a reminder is sent once)
and, after the transaction commits, enqueues the e-mail task: a slow or absent mail server never
blocks a page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from tdkt.core.models import Notification


def notify(
    *, users: Iterable, kind: str, title: str, url: str = "", body: str = "", dedupe_key: str = ""
) -> list[Notification]:
    recipients = {u.pk: u for u in users if u is not None and getattr(u, "pk", None) and u.is_active}
    if dedupe_key:
        done = set(
            Notification.objects.filter(user_id__in=list(recipients), dedupe_key=dedupe_key).values_list(
                "user_id", flat=True
            )
        )
        recipients = {pk: u for pk, u in recipients.items() if pk not in done}
    rows = [
        Notification(
            user_id=pk,
            kind=kind,
            title=str(title)[:255],
            body=str(body),
            url=url[:500],
            dedupe_key=dedupe_key,
        )
        for pk in recipients
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(dedupe_key))
    if rows:
        transaction.on_commit(_enqueue_emails)
    return rows


def _enqueue_emails() -> None:
    from tdkt.core.tasks import send_notification_emails

    send_notification_emails.enqueue()
