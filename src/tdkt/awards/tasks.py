"""Background tasks of the award register: read and match a legacy list, then write it once reviewed."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_tasks import task

from tdkt.awards import legacy
from tdkt.core import jobs
from tdkt.core.errors import ServiceError
from tdkt.core.models import Job

logger = logging.getLogger(__name__)

PARSE_KIND = "awards.legacy_parse"
WRITE_KIND = "awards.legacy_write"


def _summary(parsed: legacy.ParsedList) -> dict[str, int]:
    counts = {"total": len(parsed.rows), "link": 0, "existing": 0, "create": 0, "review": 0}
    for r in parsed.rows:
        if r.status in counts:
            counts[r.status] += 1
    return counts


@task()
def parse_legacy(job_id: str) -> dict:
    """Read the Job's file and match its rows; the Job keeps the parsed rows for the review page."""
    job = jobs.job_start(job_id, message=_("Đang đọc tệp"))
    if job.kind != PARSE_KIND or job.created_by is None or not job.file:
        jobs.job_fail(job_id, message=_("Tác vụ nhập danh sách không hợp lệ."))
        return {}
    filename = job.params.get("filename") or job.file.name
    try:
        with job.file.open("rb") as handle:
            parsed = legacy.parse_and_match(
                handle.read(), filename, actor=job.created_by, progress=jobs.JobProgress(job_id)
            )
    except Exception:
        logger.exception("legacy parse job %s failed", job_id)
        jobs.job_fail(
            job_id, message=_("Lỗi hệ thống khi đọc tệp; chưa ghi dữ liệu nào. Hãy báo quản trị viên.")
        )
        raise
    summary = _summary(parsed)
    result = {
        "parsed": parsed.as_dict(),
        "errors": parsed.errors,
        "error_count": parsed.error_count,
    } | summary
    if parsed.error_count:
        jobs.job_fail(
            job_id,
            result=result,
            message=_("Tệp có %(n)s lỗi; chưa ghi dữ liệu nào. Hãy sửa các chỗ dưới đây rồi tải lên lại.")
            % {"n": parsed.error_count},
        )
    else:
        jobs.job_finish(
            job_id,
            result=result,
            message=_(
                "Đã đọc %(total)s dòng: %(link)s nhận ra, %(existing)s đã có, %(create)s người mới, "
                "%(review)s cần xem xét. Chưa ghi gì: hãy xem lại và xác nhận."
            )
            % summary,
        )
    return summary


@task()
def write_legacy(job_id: str) -> dict:
    """Write a reviewed list (the parse Job named in params) in one transaction, or nothing."""
    job = jobs.job_start(job_id, message=_("Đang ghi"))
    source = Job.objects.filter(pk=job.params.get("parse_job"), kind=PARSE_KIND).first()
    if job.kind != WRITE_KIND or job.created_by is None or source is None:
        jobs.job_fail(job_id, message=_("Tác vụ nhập danh sách không hợp lệ."))
        return {}
    parsed = legacy.ParsedList.from_dict((source.result or {}).get("parsed") or {})
    choices = {int(k): v for k, v in (job.params.get("choices") or {}).items()}
    try:
        result = legacy.write_award_list(
            actor=job.created_by,
            parsed=parsed,
            choices=choices,
            source=parsed.file,
            progress=jobs.JobProgress(job_id),
        )
    except ServiceError as exc:
        jobs.job_fail(job_id, message=exc.message)
        return {}
    except PermissionDenied:
        jobs.job_fail(job_id, message=_("Bạn không có quyền nhập khen thưởng cho một số đơn vị trong tệp."))
        return {}
    except Exception:
        logger.exception("legacy write job %s failed", job_id)
        jobs.job_fail(job_id, message=_("Lỗi hệ thống khi ghi; chưa ghi dữ liệu nào. Hãy báo quản trị viên."))
        raise
    Job.objects.filter(pk=source.pk).update(params=source.params | {"written_by_job": str(job.pk)})
    jobs.job_finish(
        job_id,
        result=result,
        message=_(
            "Đã ghi %(created)s khen thưởng mới, %(linked)s đã có (không ghi lại), %(skipped)s bỏ qua; "
            "%(people_created)s cán bộ mới."
        )
        % result,
    )
    return {k: v for k, v in result.items() if k != "report"}
