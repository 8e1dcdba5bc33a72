"""Background tasks of the review: filling a round's list from the engine."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from tdkt.core import jobs
from tdkt.core.errors import ServiceError

logger = logging.getLogger(__name__)


@task()
def prefill_round(job_id: str, round_id: int) -> dict:
    from tdkt.reviews import services

    job = jobs.job_start(job_id, message=_("Đang xét tiêu chuẩn"))
    try:
        counts = services.prefill(actor=job.created_by, round_id=round_id, progress=jobs.JobProgress(job_id))
    except ServiceError as exc:
        jobs.job_fail(job_id, message=exc.message)
        return {}
    except Exception:
        logger.exception("prefill of round %s failed", round_id)
        jobs.job_fail(
            job_id, message=_("Lỗi hệ thống khi lập danh sách; chưa ghi gì. Hãy báo quản trị viên.")
        )
        raise
    jobs.job_finish(
        job_id,
        result=counts,
        message=_("Đã lập danh sách: thêm %(added)s ứng viên, cập nhật %(refreshed)s; tổng %(total)s.")
        % counts,
    )
    return counts
