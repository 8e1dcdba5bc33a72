"""The other side of tests/core/test_jobs_reliability.py: a driver run as
`python -m tests.core.live_worker <command> ...` in a subprocess against the database a real
`tdkt worker` uses (the test's own database is not visible to other processes on
SQLite). Each command prints one JSON line."""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
django.setup()

from tdkt.core import jobs  # noqa: E402 after django.setup()
from tests.core.live_tasks import hold  # noqa: E402


def _setup(release: str) -> dict:
    from django.db import transaction

    from tests.factories import make_user, unit

    root = unit(code="BO", name="Bộ Thử nghiệm", kind="ministry")
    officer = make_user("officer_live", "officer", root)
    with transaction.atomic():
        job = jobs.job_create(actor=officer, kind="test.hold", title="Tác vụ giữ tiến trình", unit=root)
        jobs.job_enqueue(job, hold, job_id=str(job.pk), release=release)
    return {"job": str(job.pk), "user": officer.pk}


def _client(user_id: int):
    from django.test import Client

    from tdkt.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client


def _page(job_id: str, user_id: int) -> dict:
    from django.urls import reverse

    client = _client(user_id)
    url = reverse("core:job_detail", args=[job_id])
    page = client.get(url)
    poll = client.get(url, headers={"HX-Request": "true", "HX-Target": jobs.PROGRESS_TARGET})
    return {
        "status": page.status_code,
        "html": page.content.decode(),
        "poll_status": poll.status_code,
        "poll_html": poll.content.decode(),
    }


def _restart(job_id: str, user_id: int) -> dict:
    from django.urls import reverse

    response = _client(user_id).post(reverse("core:job_restart", args=[job_id]))
    return {"status": response.status_code, "location": response.get("Location", "")}


def _state(job_id: str) -> dict:
    from tdkt.core.models import AuditEvent, Job, WorkerHeartbeat

    job = Job.objects.get(pk=job_id)
    return {
        "status": job.status,
        "done": job.done,
        "message": job.message,
        "worker": job.worker_id,
        "abandoned": job.abandoned_at is not None,
        "restarts": job.restarts,
        "task_path": job.task_path,
        "audits": list(AuditEvent.objects.filter(event="job.restart").values_list("object_id", flat=True)),
        "workers": {
            w.id: {"pid": w.pid, "job": str(w.current_job_id or ""), "stopped": w.stopped_at is not None}
            for w in WorkerHeartbeat.objects.all()
        },
    }


def main(argv: list[str]) -> None:
    command, *args = argv
    if command == "setup":
        out = _setup(args[0])
    elif command == "page":
        out = _page(args[0], int(args[1]))
    elif command == "restart":
        out = _restart(args[0], int(args[1]))
    else:
        out = _state(args[0])
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
