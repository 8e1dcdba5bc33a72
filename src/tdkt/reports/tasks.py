"""Background tasks of the reports app: recomputing the yearly summary on request."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from tdkt.core import jobs

logger = logging.getLogger(__name__)


@task()
def refresh_tally(job_id: str, years: list[int]) -> None:
    """Recompute the summary of `years` (services.tally_refresh) for the Job the statistics page made."""
    from tdkt.reports.services import tally_refresh

    jobs.job_start(job_id, total=len(years), message=_("Đang tính lại số liệu thống kê…"))
    try:
        done = tally_refresh(years=years)
    except Exception:
        logger.exception("tally refresh job %s failed", job_id)
        jobs.job_fail(job_id, message=_("Lỗi hệ thống khi tính lại số liệu. Hãy báo quản trị viên."))
        raise
    jobs.job_finish(
        job_id,
        result={"years": done},
        message=_("Đã tính lại số liệu các năm %(years)s.") % {"years": ", ".join(map(str, done)) or "—"},
    )
