"""Periodic work (deadlines, "ballot about to close" reminders): a registry and `run_due`.

An app registers a function in its AppConfig.ready() (core imports no app):

    @periodic("councils.ballot_closing", every=timedelta(minutes=5))
    def remind_closing_ballots(*, now):
        ...

`run_due()` runs each registered function whose period has elapsed, once across every worker process:
before running a job a worker claims its `PeriodicRun` row with a conditional UPDATE (last run older
than the period → now), committed at once; the worker that changed the row runs the job, any other
finds the row already moved and skips it. Every `tdkt worker` calls `run_due()` each minute from a
daemon thread; `tdkt run_periodic` runs it once (cron-style deployments, tests). A job that raises is
logged and claimed again at the next call instead of waiting a whole period.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Q
from django.utils import timezone

from tdkt.core.models import PeriodicRun

logger = logging.getLogger(__name__)

TICK_SECONDS = 60


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: datetime.timedelta
    func: Callable[..., object]


_registry: dict[str, PeriodicJob] = {}


def periodic(name: str, *, every: datetime.timedelta = datetime.timedelta(minutes=5)):
    """Register the decorated function as periodic job `name` (≤ 100 characters, unique), run at most
    once per `every` across all workers and called as `func(now=...)`."""
    if not name or len(name) > 100:
        raise ValueError("a periodic job needs a name of at most 100 characters")
    if every <= datetime.timedelta(0):
        raise ValueError("a periodic job's period must be positive")

    def decorator(func):
        known = _registry.get(name)
        if known and (known.func.__module__, known.func.__qualname__) != (func.__module__, func.__qualname__):
            raise ValueError(f"periodic job {name!r} is already registered by {known.func.__module__}")
        _registry[name] = PeriodicJob(name, every, func)
        return func

    return decorator


def registered() -> dict[str, PeriodicJob]:
    return dict(_registry)


def run_due(now: datetime.datetime | None = None) -> list[str]:
    """Run every job whose period has elapsed at `now` (default: the current time) and that no other
    worker has just claimed. Returns the names of the jobs this call ran, in name order."""
    now = now or timezone.now()
    jobs = sorted(_registry.values(), key=lambda j: j.name)
    if not jobs:
        return []
    PeriodicRun.objects.bulk_create([PeriodicRun(name=j.name) for j in jobs], ignore_conflicts=True)
    ran = []
    for job in jobs:
        previous = PeriodicRun.objects.filter(name=job.name).values_list("last_run_at", flat=True).first()
        if not _claim(job, now):
            continue
        try:
            job.func(now=now)
        except Exception:
            logger.exception("periodic job %s failed; it runs again at the next call", job.name)
            # give the period back (only if the row is still ours) so the next call retries it
            PeriodicRun.objects.filter(name=job.name, last_run_at=now).update(last_run_at=previous)
            continue
        ran.append(job.name)
    return ran


def _claim(job: PeriodicJob, now: datetime.datetime) -> bool:
    """Move the job's row to `now` if its period has elapsed. One UPDATE: on PostgreSQL a second worker
    blocks on the row and re-checks the condition after the first commits (0 rows); SQLite runs
    writers one at a time. Either way exactly one worker sees 1 row changed."""
    return bool(
        PeriodicRun.objects.filter(name=job.name)
        .filter(Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - job.every))
        .update(last_run_at=now)
    )


def start_in_background(
    interval: float = TICK_SECONDS, stop: threading.Event | None = None
) -> threading.Thread:
    """A daemon thread calling `run_due()` every `interval` seconds until `stop` is set (the `tdkt
    worker` process starts it beside django-tasks' db_worker; it ends with the process)."""
    stop = stop or threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                run_due()
            except Exception:  # a database hiccup must not end the thread
                logger.exception("periodic work failed; trying again in %s s", interval)
            finally:
                connections.close_all()  # this thread's connections: no stale one kept between ticks
            stop.wait(interval)

    thread = threading.Thread(target=loop, name="tdkt-periodic", daemon=True)
    thread.start()
    return thread


# core's own periodic work: e-mails a failed mail server left pending, sent at the next run
@periodic("core.notification_emails", every=datetime.timedelta(minutes=5))
def resend_pending_emails(*, now: datetime.datetime) -> None:
    from tdkt.core.mail import send_pending

    send_pending()


# jobs whose worker died (or that no worker took): failed, so their page says so and offers a restart
@periodic("core.abandoned_jobs", every=datetime.timedelta(minutes=1))
def fail_abandoned_jobs(*, now: datetime.datetime) -> None:
    from tdkt.core.workers import fail_abandoned_jobs as fail

    fail(now)
