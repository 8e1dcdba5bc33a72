"""Background jobs: create a Job, enqueue its task, report its progress (throttled), finish or fail it;
who may see it; run it again after its worker died.

A view creates the Job and enqueues its task on commit (`job_enqueue` remembers the task on the job),
then sends the user to `core:job_detail` (core.views_jobs), whose progress partial polls itself with
htmx every second until the job is finished. The worker's heartbeat and the detection of abandoned
jobs are in core.workers.
"""

from __future__ import annotations

import time
import uuid
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks.base import Task

from tdkt.core import workers
from tdkt.core.audit import audit
from tdkt.core.enums import JobStatus
from tdkt.core.errors import ServiceError
from tdkt.core.models import Job, WorkerHeartbeat

PROGRESS_TARGET = "job-progress"


def job_create(
    *,
    actor,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    upload: File | None = None,
    total: int = 0,
    unit=None,
) -> Job:
    """A pending Job; an uploaded file is stored under a random name (the original name goes to params).

    `unit` is the unit the job works on: besides its creator and the admin, anyone whose `core.view_job`
    scope covers it may follow the job (`may_see`)."""
    job = Job(
        kind=kind, title=title[:255], params=dict(params or {}), created_by=actor, total=total, unit=unit
    )
    if upload is not None:
        suffix = PurePath(upload.name or "").suffix.lower()[:10]
        job.params.setdefault("filename", PurePath(upload.name or "").name[:255])
        job.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    job.save()
    return job


def job_start(job_id, *, total: int = 0, message: str = "") -> Job:
    """The job is running: in a `tdkt worker`, on this worker (whose heartbeat shows it alive) and with
    the task being run recorded, so that the job can be run again if the worker dies."""
    updates: dict[str, Any] = {
        "status": JobStatus.RUNNING,
        "started_at": timezone.now(),
        "finished_at": None,
        "abandoned_at": None,
        "total": total,
        "done": 0,
        "message": message,
    }
    wid = workers.worker_id()
    if wid:
        updates["worker_id"] = wid
    task = workers.running_task()
    if task:
        updates.update(
            task_path=task["path"],
            task_args={"args": task["args"], "kwargs": task["kwargs"]},
            task_result_id=task["id"],
        )
    Job.objects.filter(pk=job_id).update(**updates)
    if wid:
        WorkerHeartbeat.objects.filter(pk=wid).update(current_job_id=job_id)
    return Job.objects.select_related("created_by").get(pk=job_id)


def job_enqueue(job: Job, task, **kwargs) -> None:
    """Enqueue `task(**kwargs)` for `job` once the current transaction commits, and remember the task
    on the job (the restart runs the same task with the same arguments)."""
    Job.objects.filter(pk=job.pk).update(task_path=task.module_path, task_args={"args": [], "kwargs": kwargs})

    def enqueue() -> None:
        result = task.enqueue(**kwargs)
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)


def job_finish(job_id, *, result: dict[str, Any] | None = None, message: str = "") -> None:
    # a worker taken for dead that was only slow and finishes after all: the job is done, not abandoned
    updates: dict[str, Any] = {
        "status": JobStatus.DONE,
        "finished_at": timezone.now(),
        "message": message,
        "abandoned_at": None,
    }
    if result is not None:
        updates["result"] = result
    job = Job.objects.filter(pk=job_id)
    job.update(**updates)


def job_fail(job_id, *, message: str, result: dict[str, Any] | None = None) -> None:
    updates: dict[str, Any] = {
        "status": JobStatus.FAILED,
        "finished_at": timezone.now(),
        "message": message,
        "abandoned_at": None,
    }
    if result is not None:
        updates["result"] = result
    Job.objects.filter(pk=job_id).update(**updates)


class JobProgress:
    """A progress callback `(done, total, message)` that writes to the Job at most every 1% of the work
    or every 500 steps (whichever is smaller), and at most twice a second, plus always at the end."""

    def __init__(self, job_id, *, min_interval: float = 0.5):
        self.job_id = job_id
        self.min_interval = min_interval
        self._last_done = -1
        self._last_time = 0.0
        self._last_message = None
        self.writes = 0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        step = max(1, min(total // 100, 500))
        now = time.monotonic()
        due = (
            done >= total
            or message != self._last_message
            or (done - self._last_done >= step and now - self._last_time >= self.min_interval)
        )
        if not due:
            return
        Job.objects.filter(pk=self.job_id).update(done=min(done, total), total=total, message=message)
        self._last_done, self._last_time, self._last_message = done, now, message
        self.writes += 1


EXPORT_KIND_PREFIX = "export."  # the kind of a background Excel export (core.exports)


def may_see(user, job: Job) -> bool:
    """Who may follow a job:
    - among the users who may follow jobs at all (`core.view_job`): the job's creator, the admin, and
      anyone whose `core.view_job` scope covers the job's unit;
    - besides them, the creator of a background export who still holds the export right (a unit
      head's or a leader's large export: the job belongs to no unit, so no one else sees it).

    Load `job.unit` with the job (select_related): the scope check reads the unit's path."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.has_perm("core.view_job"):
        return job.created_by_id == user.pk and _own_export(user, job)
    return job.created_by_id == user.pk or user.has_perm("core.view_job", job)


def _own_export(user, job: Job) -> bool:
    from tdkt.core.exports import EXPORT_ACTION

    return job.kind.startswith(EXPORT_KIND_PREFIX) and user.has_perm(EXPORT_ACTION)


def follows_jobs(user) -> bool:
    """Whether the user may have jobs to follow at all: `core.view_job`, or the export right (their own
    background exports)."""
    from tdkt.core.exports import EXPORT_ACTION

    return user.has_perm("core.view_job") or user.has_perm(EXPORT_ACTION)


def may_restart(user, job: Job) -> bool:
    """An abandoned job may be run again by its creator or by the admin (the one role that reads the
    audit trail, `core.view_audit`), among those who may see it."""
    if not may_see(user, job):
        return False
    return job.created_by_id == user.pk or user.has_perm("core.view_audit")


def visible_job_or_404(user, job_id) -> Job:
    """The job, or 404 alike for a job that does not exist and one the user may not see: an id tells
    nothing about the jobs of other units. A user without `core.view_job` (who sees only their own
    exports) gets 403 for any other id, as before they could have an export."""
    job = Job.objects.select_related("created_by", "unit", "worker").filter(pk=job_id).first()
    if job is None or not may_see(user, job):
        if not user.has_perm("core.view_job"):
            raise PermissionDenied  # follows no one's jobs but their own exports: 403 whatever the id
        raise Http404
    return job


def job_url(user, job: Job | None) -> str | None:
    """The progress page of `job` for a user who may open it, else None (no link that would be refused)."""
    if job is None or not may_see(user, job):
        return None
    return reverse("core:job_detail", args=[job.pk])


def job_restart(*, job_id, actor) -> Job:
    """Run an abandoned job again: the same Job (its page, its links stay) goes back to pending and the
    task it was running is enqueued again with the same arguments (the same uploaded file, the same
    export filters); a queued run the dead worker never took is dropped first, so it cannot run twice."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            raise Http404
        job = Job.objects.select_related("created_by", "unit").get(pk=job.pk)
        if not may_restart(actor, job):
            raise PermissionDenied
        if job.status != JobStatus.FAILED or job.abandoned_at is None:
            raise ServiceError(_("Chỉ chạy lại được tác vụ bị dừng giữa chừng; tác vụ này đã được xử lý."))
        task = _task_of(job)
        if task is None:
            raise ServiceError(
                _("Không rõ tác vụ này được chạy bằng lệnh nào nên không thể chạy lại; hãy tạo lại từ đầu.")
            )
        _drop_queued_run(job.task_result_id)
        if job.output:
            old_output = job.output.name
            storage = job.output.storage
            transaction.on_commit(lambda: storage.delete(old_output))
        restarts = job.restarts + 1
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.PENDING,
            done=0,
            message=_("Đã xếp hàng chạy lại (lần %(n)s).") % {"n": restarts},
            started_at=None,
            finished_at=None,
            abandoned_at=None,
            worker=None,
            task_result_id="",
            output="",
            restarts=restarts,
        )
        audit(
            actor,
            "job.restart",
            job,
            changes={"status": [job.status, JobStatus.PENDING], "restarts": [job.restarts, restarts]},
        )
        args = list(job.task_args.get("args") or [])
        kwargs = dict(job.task_args.get("kwargs") or {})

        def enqueue() -> None:
            result = task.enqueue(*args, **kwargs)
            Job.objects.filter(pk=job.pk, task_result_id="").update(task_result_id=str(result.id))

        transaction.on_commit(enqueue)
    job.refresh_from_db()
    return job


def _task_of(job: Job):
    if not job.task_path:
        return None
    try:
        task = import_string(job.task_path)
    except ImportError:
        return None
    return task if isinstance(task, Task) else None


def _drop_queued_run(task_result_id: str) -> None:
    if not task_result_id:
        return
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.filter(pk=task_result_id, status="READY").delete()
    except (ValueError, ValidationError):  # not an id of the database backend (the immediate one)
        pass
