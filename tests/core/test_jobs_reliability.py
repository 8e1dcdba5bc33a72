"""Background jobs you can trust (issue 10, item 9): a worker's heartbeat, a job whose worker died failed
with a message and offered to run again, polling that stops.

The first test runs a real `tdkt worker` in a subprocess against a database of its own (a SQLite file,
or a fresh PostgreSQL database when DATABASE_URL is set), kills it with SIGKILL in the middle of a job and
looks at the job page as a user would; the driver of that database is tests/core/live_worker.py.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from tdkt.core import jobs, workers
from tdkt.core.models import AuditEvent, Job, WorkerHeartbeat
from tdkt.core.periodic import run_due
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
DEAD_MESSAGE = "Tiến trình xử lý đã dừng giữa chừng"
POLL = {"HX-Request": "true", "HX-Target": jobs.PROGRESS_TARGET}


# ------------------------------------------------------------------ a real worker, killed


@pytest.fixture
def live_env(tmp_path):
    """The environment of processes sharing one migrated database outside the test's own."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "TDKT_TASKS_BACKEND")}
    env.update(
        PYTHONPATH=str(ROOT),
        TDKT_DATA_DIR=str(tmp_path / "data"),
        TDKT_ALLOWED_HOSTS="testserver",
        TDKT_WORKER_DEAD_AFTER="3",
    )
    database_url = os.environ.get("DATABASE_URL")
    dropdb = None
    if database_url:
        import psycopg

        name = f"tdkt_live_{uuid.uuid4().hex[:10]}"
        parts = urlsplit(database_url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))

        def dropdb():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    _run(env, "-m", "tdkt.cli", "migrate", "-v0")
    try:
        yield env
    finally:
        if dropdb:
            dropdb()


def _run(env, *args, timeout=180) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _drive(env, *args) -> dict:
    return json.loads(_run(env, "-m", "tests.core.live_worker", *args).strip().splitlines()[-1])


def _worker(env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tdkt.cli",
            "worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--no-reload",
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _wait_for(env, job_id: str, predicate, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = _drive(env, "state", job_id)
        if predicate(state):
            return state
        assert time.monotonic() < deadline, state
        time.sleep(0.5)


def test_a_killed_workers_job_ends_failed_and_runs_again_to_done(live_env, tmp_path):
    release = tmp_path / "release"
    setup = _drive(live_env, "setup", str(release))
    job_id, user = setup["job"], str(setup["user"])
    log = tmp_path / "worker.log"

    worker = _worker(live_env, log)
    try:
        running = _wait_for(live_env, job_id, lambda s: s["status"] == "running" and s["done"] == 3)
        # the job names its worker, whose heartbeat row is this process and names the job
        assert running["workers"][running["worker"]] == {"pid": worker.pid, "job": job_id, "stopped": False}
        assert running["task_path"] == "tests.core.live_tasks.hold"
        time.sleep(4)  # longer than the threshold: a worker that beats is not taken for dead
        page = _drive(live_env, "page", job_id, user)
        assert page["poll_status"] == 200 and 'hx-trigger="every 1s"' in page["poll_html"]
        assert _drive(live_env, "state", job_id)["status"] == "running"

        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    time.sleep(4)  # longer than TDKT_WORKER_DEAD_AFTER: the heartbeat is now old

    page = _drive(live_env, "page", job_id, user)  # the page itself notices (no worker is left)
    assert page["status"] == 200
    assert "Không thành công." in page["html"] and DEAD_MESSAGE in page["html"]
    assert "Chạy lại tác vụ" in page["html"]
    assert page["poll_status"] == 286 and "hx-trigger" not in page["poll_html"]  # polling stops
    failed = _drive(live_env, "state", job_id)
    assert failed["status"] == "failed" and failed["abandoned"] and failed["done"] == 3

    release.write_text("go")
    restart = _drive(live_env, "restart", job_id, user)
    assert restart == {"status": 302, "location": reverse("core:job_detail", args=[job_id])}
    pending = _drive(live_env, "state", job_id)
    assert pending["status"] == "pending" and pending["restarts"] == 1 and pending["audits"] == [job_id]

    second = _worker(live_env, log)
    try:
        done = _wait_for(live_env, job_id, lambda s: s["status"] == "done")
        assert done["worker"] != running["worker"] and done["message"] == "Đã xong việc giữ chỗ."
        page = _drive(live_env, "page", job_id, user)
        assert "Hoàn tất." in page["html"] and "Chạy lại tác vụ" not in page["html"]
        assert page["poll_status"] == 286
    finally:
        second.send_signal(signal.SIGTERM)  # a clean exit: the heartbeat row says it stopped
        second.wait(timeout=30)
    assert _drive(live_env, "state", job_id)["workers"][done["worker"]]["stopped"] is True


# ------------------------------------------------------------------ in process


@pytest.fixture
def officer(tree):
    return make_user("officer_a", "officer", tree["a"])


def _running_on(job: Job, *, seen_ago: float, stopped: bool = False) -> WorkerHeartbeat:
    now = timezone.now()
    worker = WorkerHeartbeat.objects.create(
        id=uuid.uuid4().hex,
        host="may-chu-1",
        pid=4242,
        started_at=now - datetime.timedelta(hours=1),
        last_seen=now - datetime.timedelta(seconds=seen_ago),
        stopped_at=now if stopped else None,
        current_job=job,
    )
    Job.objects.filter(pk=job.pk).update(
        status="running", worker=worker, task_path="tdkt.core.tasks.send_notification_emails"
    )
    return worker


def _job(officer, tree, **kw) -> Job:
    return jobs.job_create(actor=officer, kind="org.import.people", title="Nhập cán bộ", unit=tree["a"], **kw)


def test_a_job_whose_worker_beats_is_left_running(officer, tree, settings):
    settings.TDKT_WORKER_DEAD_AFTER = 30
    job = _job(officer, tree)
    _running_on(job, seen_ago=5)
    assert workers.fail_abandoned_jobs() == []
    job.refresh_from_db()
    assert job.status == "running" and job.abandoned_at is None


def test_the_periodic_check_fails_the_job_of_a_silent_worker(officer, tree, settings):
    settings.TDKT_WORKER_DEAD_AFTER = 30
    job = _job(officer, tree)
    _running_on(job, seen_ago=31)
    assert "core.abandoned_jobs" in run_due()
    job.refresh_from_db()
    assert job.status == "failed" and job.abandoned_at is not None
    assert DEAD_MESSAGE in job.message and "may-chu-1" in job.message


def test_a_worker_that_stopped_cleanly_leaves_its_job_abandoned_at_once(officer, tree):
    job = _job(officer, tree)
    _running_on(job, seen_ago=0, stopped=True)
    assert workers.fail_abandoned_jobs() == [str(job.pk)]


def test_a_pending_job_is_failed_only_when_no_worker_is_alive(officer, tree, settings):
    settings.TDKT_JOB_PENDING_AFTER = 60
    job = _job(officer, tree)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    alive = WorkerHeartbeat.objects.create(
        id="busy", host="h", pid=1, started_at=timezone.now(), last_seen=timezone.now()
    )
    assert workers.fail_abandoned_jobs() == []  # a live worker is busy: the job waits its turn
    alive.delete()
    assert workers.fail_abandoned_jobs() == [str(job.pk)]
    job.refresh_from_db()
    assert job.status == "failed" and "chưa có tiến trình xử lý nền nào nhận tác vụ" in job.message


def test_the_heartbeat_registers_the_process_and_moves_on(db):
    stop = threading.Event()
    wid = workers.start("test-worker", interval=3600, stop=stop, at_exit=False)
    try:
        first = WorkerHeartbeat.objects.get(pk=wid)
        assert first.pid == os.getpid() and first.stopped_at is None
        workers.beat(wid, now=first.last_seen + datetime.timedelta(seconds=5))
        assert WorkerHeartbeat.objects.get(pk=wid).last_seen > first.last_seen
        workers.stopped(wid)
        assert WorkerHeartbeat.objects.get(pk=wid).stopped_at is not None
    finally:
        stop.set()
        workers._process["worker_id"] = None


def test_the_job_page_reports_a_dead_worker_and_offers_a_restart_to_its_creator_only(
    client, officer, tree, settings, django_capture_on_commit_callbacks
):
    settings.TDKT_WORKER_DEAD_AFTER = 30
    job = _job(officer, tree)
    _running_on(job, seen_ago=120)
    colleague = make_user("officer_a2", "officer", tree["a"])

    client.force_login(colleague)  # follows the unit's jobs, but did not start this one
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert DEAD_MESSAGE in page and "Chạy lại tác vụ" not in page
    assert client.post(reverse("core:job_restart", args=[job.pk])).status_code == 403

    client.force_login(officer)
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert "Chạy lại tác vụ" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:job_restart", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    # the immediate backend of the tests ran the same task again at once
    assert job.restarts == 1 and job.status == "pending" and job.abandoned_at is None
    event = AuditEvent.objects.get(event="job.restart")
    assert event.object_id == str(job.pk) and event.actor == officer


def test_a_job_that_was_not_abandoned_cannot_be_restarted(client, officer, tree):
    job = _job(officer, tree)
    jobs.job_fail(job.pk, message="Tệp có 3 lỗi")
    Job.objects.filter(pk=job.pk).update(task_path="tdkt.core.tasks.send_notification_emails")
    client.force_login(officer)
    response = client.post(reverse("core:job_restart", args=[job.pk]), follow=True)
    assert "Chỉ chạy lại được tác vụ bị dừng giữa chừng" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and job.restarts == 0 and not AuditEvent.objects.filter(event="job.restart")


def test_a_job_without_a_known_task_is_not_offered_a_restart(client, officer, tree, settings):
    settings.TDKT_WORKER_DEAD_AFTER = 30
    job = _job(officer, tree)
    _running_on(job, seen_ago=120)
    Job.objects.filter(pk=job.pk).update(task_path="")
    client.force_login(officer)
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert DEAD_MESSAGE in page and "Chạy lại tác vụ" not in page


# ------------------------------------------------------------------ polling stops


def test_the_progress_partial_polls_while_running_and_stops_when_done(client, officer, tree):
    job = _job(officer, tree)
    jobs.job_start(job.pk, total=4)
    client.force_login(officer)
    url = reverse("core:job_detail", args=[job.pk])
    running = client.get(url, headers=POLL)
    assert running.status_code == 200 and 'hx-trigger="every 1s"' in running.content.decode()
    jobs.job_finish(job.pk, message="Xong.")
    done = client.get(url, headers=POLL)
    assert (
        done.status_code == 286
        and "hx-trigger" not in done.content.decode()
        and "Xong." in done.content.decode()
    )


@pytest.mark.parametrize("who", ["missing", "other_unit", "no_right"])
def test_a_poll_for_a_job_gone_or_refused_stops_instead_of_looping(client, officer, tree, who):
    job = _job(officer, tree)
    jobs.job_start(job.pk, total=4)
    job_id = uuid.uuid4() if who == "missing" else job.pk
    user = {
        "missing": officer,
        "other_unit": make_user("officer_b", "officer", tree["b"]),
        "no_right": make_user("council", "council_member", tree["a"]),
    }[who]
    client.force_login(user)
    response = client.get(reverse("core:job_detail", args=[job_id]), headers=POLL)
    body = response.content.decode()
    assert response.status_code == 286 and "hx-trigger" not in body
    assert "trang đã ngừng tự cập nhật" in body and job.title not in body
    # the page itself still answers like a job that does not exist (404) or a refused role (403)
    assert client.get(reverse("core:job_detail", args=[job_id])).status_code == (
        403 if who == "no_right" else 404
    )


# ------------------------------------------------------------------ the jobs list


def test_the_jobs_list_flags_the_dead_and_shows_progress(client, officer, tree, settings):
    settings.TDKT_WORKER_DEAD_AFTER = 30
    dead = _job(officer, tree)
    _running_on(dead, seen_ago=120)
    alive = jobs.job_create(actor=officer, kind="org.import.people", title="Nhập đang chạy", unit=tree["a"])
    jobs.job_start(alive.pk, total=10)
    Job.objects.filter(pk=alive.pk).update(done=4)
    client.force_login(officer)
    page = client.get(reverse("core:job_list"))
    rows = {j.title: j for j in page.context["page"].object_list}
    assert rows["Nhập cán bộ"].dead and rows["Nhập cán bộ"].status == "failed"
    assert not rows["Nhập đang chạy"].dead and rows["Nhập đang chạy"].percent == 40
    assert "Dừng giữa chừng" in page.content.decode()


def test_the_jobs_list_costs_the_same_queries_for_one_and_twenty_jobs(
    client, officer, tree, django_assert_num_queries
):
    client.force_login(officer)
    url = reverse("core:job_list")
    _job(officer, tree)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(19):
        jobs.job_create(actor=officer, kind="org.import.people", title=f"Nhập {i}", unit=tree["a"])
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert len(page.context["page"].object_list) == 20


def test_a_worker_taken_for_dead_that_finishes_after_all_leaves_the_job_done(client, officer, tree, settings):
    settings.TDKT_WORKER_DEAD_AFTER = 30
    job = _job(officer, tree)
    _running_on(job, seen_ago=120)
    assert workers.fail_abandoned_jobs() == [str(job.pk)]
    jobs.job_finish(job.pk, message="Đã nhập xong.")  # the slow worker was alive after all
    job.refresh_from_db()
    assert job.status == "done" and job.abandoned_at is None and not workers.is_abandoned(job)
    client.force_login(officer)
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert "Hoàn tất." in page and "Chạy lại tác vụ" not in page
