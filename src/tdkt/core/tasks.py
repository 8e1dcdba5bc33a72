"""Background tasks of core: the e-mails of notifications, the large Excel exports."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from tdkt.core import jobs

logger = logging.getLogger(__name__)


@task()
def send_notification_emails() -> int:
    """Send the pending notification e-mails (enqueued by `notify` after its transaction commits; the
    periodic job `core.notification_emails` catches up on what a failed run left). Returns how many."""
    from tdkt.core.mail import send_pending

    return send_pending()


@task()
def run_export(job_id: str) -> None:
    """Write a large Excel export (core.exports.export_response) to its Job's output file."""
    from tdkt.core.exports import write_background_export

    try:
        write_background_export(job_id)
    except Exception:
        logger.exception("export job %s failed", job_id)
        jobs.job_fail(job_id, message=_("Lỗi hệ thống khi xuất Excel. Hãy báo quản trị viên."))
        raise
