"""Worker processes you can trust: a heartbeat per `tdkt worker`, the task each one runs, and the jobs
whose worker died.

`tdkt worker` calls `start()`: a `WorkerHeartbeat` row for the process (its id is also the worker id
django-tasks records on the task) and a daemon thread that moves its `last_seen` every
`HEARTBEAT_SECONDS`. django-tasks' `task_started` / `task_finished` signals tell which task the process
is running; `core.jobs.job_start` writes the worker and that task on the Job, so a job can be run again.

A job is *abandoned* when
- it is running and its worker has not been seen for `TDKT_WORKER_DEAD_AFTER` seconds (default 90; a
  `kill -9`, a machine that went down) or stopped (a clean exit in the middle of it), or
- it has been pending for `TDKT_JOB_PENDING_AFTER` seconds (default 900) while no worker is alive.
`fail_abandoned_jobs` marks such jobs failed with a message saying so (`abandoned_at` set, so the page
offers to run it again). The periodic job `core.abandoned_jobs` calls it every minute in the workers;
the job page and the jobs list call it for the jobs they show, so a dead worker is reported even where
no worker is left to run periodic work. Each mark is one conditional UPDATE (still running on that
worker / still pending), so a job that moved on in the meantime is left alone.

The threshold is generous because on SQLite the heartbeat waits for the write lock: a task writing a
large import in one transaction holds it, and the worker must not be taken for dead meanwhile.
"""

from __future__ import annotations

import atexit
import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connections
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from django_tasks.signals import task_finished, task_started

from tdkt.core.enums import JobStatus
from tdkt.core.models import Job, WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5


class _State(threading.local):
    task: dict | None = None


_process: dict[str, str | None] = {"worker_id": None}
_running = _State()


def dead_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "TDKT_WORKER_DEAD_AFTER", 90))


def pending_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "TDKT_JOB_PENDING_AFTER", 900))


def worker_id() -> str | None:
    """The id of this process's worker, or None outside `tdkt worker` (a web process, the tests)."""
    return _process["worker_id"]


def running_task() -> dict | None:
    """The task this thread is running: {"id", "path", "args", "kwargs"}, or None."""
    return _running.task


@receiver(task_started, dispatch_uid="tdkt.core.workers.task_started")
def _task_started(sender, task_result, **kwargs) -> None:
    _running.task = {
        "id": str(task_result.id),
        "path": task_result.task.module_path,
        "args": list(task_result.args),
        "kwargs": dict(task_result.kwargs),
    }


@receiver(task_finished, dispatch_uid="tdkt.core.workers.task_finished")
def _task_finished(sender, task_result, **kwargs) -> None:
    _running.task = None
    if worker_id():
        WorkerHeartbeat.objects.filter(pk=worker_id()).update(current_job=None)


def beat(wid: str, *, now: datetime.datetime | None = None) -> None:
    """Record that worker `wid` is alive (recreating its row if someone removed it)."""
    now = now or timezone.now()
    if not WorkerHeartbeat.objects.filter(pk=wid).update(last_seen=now, stopped_at=None):
        WorkerHeartbeat.objects.update_or_create(
            pk=wid,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "last_seen": now,
                "stopped_at": None,
            },
        )


def stopped(wid: str) -> None:
    """A clean exit: the row says so, and a job it left running is abandoned at the next check."""
    try:
        WorkerHeartbeat.objects.filter(pk=wid).update(stopped_at=timezone.now(), current_job=None)
    except Exception:  # the database may be gone at exit: the heartbeat then simply grows old
        logger.warning("could not record the stop of worker %s", wid)


def start(
    wid: str | None = None,
    *,
    interval: float | None = None,
    stop: threading.Event | None = None,
    at_exit: bool = True,
) -> str:
    """Register this process as worker `wid` (default: a random id) and keep its heartbeat from a
    daemon thread until `stop` is set or the process ends (`at_exit`: then record the stop). Returns
    the id. The beat comes every `HEARTBEAT_SECONDS`, and at least three times within the threshold
    after which a worker is taken for dead."""
    wid = wid or get_random_string(32)
    if interval is None:
        interval = min(HEARTBEAT_SECONDS, dead_after().total_seconds() / 3)
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        pk=wid,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "last_seen": now,
            "stopped_at": None,
            "current_job": None,
        },
    )
    _process["worker_id"] = wid
    stop = stop or threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                beat(wid)
            except Exception:  # a locked or unreachable database: try again at the next beat
                logger.exception("worker heartbeat failed; trying again in %s s", interval)
            finally:
                connections.close_all()

    threading.Thread(target=loop, name="tdkt-heartbeat", daemon=True).start()
    if at_exit:
        atexit.register(stopped, wid)
    return wid


ABANDONED_RUNNING = _(
    "Tiến trình xử lý đã dừng giữa chừng (không còn tín hiệu từ máy %(host)s); tác vụ chưa hoàn tất. "
    "Người tạo tác vụ hoặc quản trị viên có thể cho chạy lại."
)
ABANDONED_PENDING = _(
    "Tiến trình xử lý đã dừng giữa chừng hoặc chưa chạy: sau %(minutes)s phút vẫn chưa có tiến trình "
    "xử lý nền nào nhận tác vụ. Hãy báo quản trị viên khởi động “tdkt worker”, rồi cho chạy lại."
)


def _alive(now: datetime.datetime) -> Q:
    return Q(last_seen__gte=now - dead_after(), stopped_at__isnull=True)


def fail_abandoned_jobs(now: datetime.datetime | None = None, *, jobs: list[Job] | None = None) -> list[str]:
    """Fail the abandoned jobs (all of them, or only those of `jobs`); returns their ids.

    Changes the given Job instances in memory too, so a page shows what it has just written."""
    now = now or timezone.now()
    running = Job.objects.filter(status=JobStatus.RUNNING, worker__isnull=False).exclude(
        worker__in=WorkerHeartbeat.objects.filter(_alive(now))
    )
    pending = Job.objects.filter(status=JobStatus.PENDING, created_at__lt=now - pending_after())
    if jobs is not None:
        wanted = [j.pk for j in jobs if j.status in (JobStatus.RUNNING, JobStatus.PENDING)]
        if not wanted:
            return []
        running, pending = running.filter(pk__in=wanted), pending.filter(pk__in=wanted)
    failed: dict[str, str] = {}
    for job_id, worker, host in running.values_list("pk", "worker_id", "worker__host"):
        message = ABANDONED_RUNNING % {"host": host or "?"}
        changed = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, worker_id=worker).update(
            status=JobStatus.FAILED, finished_at=now, abandoned_at=now, message=message
        )
        if changed:
            failed[str(job_id)] = message
    if pending.exists() and not WorkerHeartbeat.objects.filter(_alive(now)).exists():
        message = ABANDONED_PENDING % {"minutes": int(pending_after().total_seconds() // 60)}
        for job_id in pending.values_list("pk", flat=True):
            changed = Job.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
                status=JobStatus.FAILED, finished_at=now, abandoned_at=now, message=message
            )
            if changed:
                failed[str(job_id)] = message
    for job in jobs or []:
        if str(job.pk) in failed:
            job.status, job.finished_at, job.abandoned_at = JobStatus.FAILED, now, now
            job.message = failed[str(job.pk)]
    if failed:
        logger.warning("failed %s abandoned job(s): %s", len(failed), ", ".join(sorted(failed)))
    return sorted(failed)


def is_abandoned(job: Job, now: datetime.datetime | None = None) -> bool:
    """Whether `job` (its `worker` loaded) would be failed as abandoned now: the list flags it even
    before the check writes it."""
    now = now or timezone.now()
    if job.abandoned_at:
        return job.status == JobStatus.FAILED
    if job.status == JobStatus.RUNNING and job.worker is not None:
        w = job.worker
        return w.stopped_at is not None or w.last_seen < now - dead_after()
    return False
