"""Background tasks of the organisation: take ids, call the import pipeline, keep the Job up to date."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_tasks import task

from tdkt.core import imports, jobs
from tdkt.core.errors import ServiceError
from tdkt.org.imports import IMPORTERS

logger = logging.getLogger(__name__)


def _summary(result: dict) -> str:
    return (
        _("Đã nhập %(total)s dòng: %(created)s thêm mới, %(updated)s cập nhật, %(unchanged)s không đổi.")
        % result
    )


@task()
def run_import(job_id: str) -> dict:
    """Import the Job's file; the Job ends `done` with the counts, or `failed` with the errors
    (nothing written)."""
    job = jobs.job_start(job_id, message=_("Đang đọc tệp"))
    importer = IMPORTERS.get(job.params.get("kind", ""))
    if importer is None or job.created_by is None or not job.file:
        jobs.job_fail(job_id, message=_("Tác vụ nhập dữ liệu không hợp lệ."))
        return {}
    source = job.params.get("filename") or job.file.name
    try:
        with job.file.open("rb") as handle:
            result = imports.run(
                handle.read(),
                importer,
                actor=job.created_by,
                source=source,
                progress=jobs.JobProgress(job_id),
            )
    except imports.ImportFileError as exc:
        jobs.job_fail(job_id, message=exc.message)
        return {}
    except ServiceError as exc:
        jobs.job_fail(job_id, message=exc.message)
        return {}
    except PermissionDenied:
        jobs.job_fail(job_id, message=_("Bạn không có quyền nhập dữ liệu cho một số đơn vị trong tệp."))
        return {}
    except Exception:
        logger.exception("import job %s failed", job_id)
        jobs.job_fail(
            job_id, message=_("Lỗi hệ thống khi nhập dữ liệu; chưa ghi dữ liệu nào. Hãy báo quản trị viên.")
        )
        raise
    if result["error_count"]:
        jobs.job_fail(
            job_id,
            result=result,
            message=_("Tệp có %(n)s lỗi; chưa ghi dữ liệu nào. Hãy sửa các dòng dưới đây rồi nhập lại.")
            % {"n": result["error_count"]},
        )
    else:
        jobs.job_finish(job_id, result=result, message=_summary(result))
    return {k: v for k, v in result.items() if k != "errors"}
