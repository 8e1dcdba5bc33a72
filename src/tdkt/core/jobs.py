"""Background jobs: create a Job, report its progress (throttled), finish or fail it; the progress page.

A view creates the Job and enqueues its task on commit, then sends the user to `core:job_detail`,
whose progress partial polls itself with htmx every second until the job is finished.
"""

from __future__ import annotations

import time
import uuid
from pathlib import PurePath
from typing import Any

from django.core.files.base import File
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tdkt.core.access import permission_required
from tdkt.core.enums import JobStatus
from tdkt.core.models import Job

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
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), total=total, done=0, message=message
    )
    return Job.objects.select_related("created_by").get(pk=job_id)


def job_finish(job_id, *, result: dict[str, Any] | None = None, message: str = "") -> None:
    updates: dict[str, Any] = {"status": JobStatus.DONE, "finished_at": timezone.now(), "message": message}
    if result is not None:
        updates["result"] = result
    job = Job.objects.filter(pk=job_id)
    job.update(**updates)


def job_fail(job_id, *, message: str, result: dict[str, Any] | None = None) -> None:
    updates: dict[str, Any] = {"status": JobStatus.FAILED, "finished_at": timezone.now(), "message": message}
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


def may_see(user, job: Job) -> bool:
    """Among the users who may follow jobs at all (`core.view_job`): the job's creator, the admin, and
    anyone whose `core.view_job` scope covers the job's unit.

    Load `job.unit` with the job (select_related): the scope check reads the unit's path."""
    if not user.has_perm("core.view_job"):
        return False
    return job.created_by_id == user.pk or user.has_perm("core.view_job", job)


def visible_job_or_404(user, job_id) -> Job:
    """The job, or 404 alike for a job that does not exist and one the user may not see: an id tells
    nothing about the jobs of other units."""
    job = Job.objects.select_related("created_by", "unit").filter(pk=job_id).first()
    if job is None or not may_see(user, job):
        raise Http404
    return job


def job_url(user, job: Job | None) -> str | None:
    """The progress page of `job` for a user who may open it, else None (no link that would be refused)."""
    if job is None or not may_see(user, job):
        return None
    return reverse("core:job_detail", args=[job.pk])


@require_GET
@permission_required("core.view_job")
def job_detail(request, job_id):
    job = visible_job_or_404(request.user, job_id)
    result = job.result or {}
    context = {
        "job": job,
        "result": result,
        "errors": result.get("errors") or [],
        "error_count": result.get("error_count") or len(result.get("errors") or []),
        "counts": [
            (label, result[key])
            for key, label in (
                ("total", _("Số dòng")),
                ("created", _("Thêm mới")),
                ("updated", _("Cập nhật")),
                ("unchanged", _("Không đổi")),
            )
            if key in result
        ],
        "back_url": job.params.get("back_url") or "",
        "back_label": job.params.get("back_label") or "",
        "progress_target": PROGRESS_TARGET,
    }
    back = (
        [(context["back_label"], context["back_url"])] if context["back_url"] else [(_("Tác vụ nền"), None)]
    )
    context["breadcrumbs"] = back + [(job.title, None)]
    template = "core/job_detail.html"
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == PROGRESS_TARGET:
        template += "#progress"
    return render(request, template, context)
