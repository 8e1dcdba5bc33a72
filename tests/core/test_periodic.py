"""Periodic work: each due job runs once per period across all workers, never before its period."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tdkt.core import periodic as periodic_module
from tdkt.core.models import Notification, PeriodicRun
from tdkt.core.notifications import remind_before
from tdkt.core.periodic import periodic, registered, run_due
from tests.factories import make_user

T0 = datetime.datetime(2025, 11, 20, 8, 0, tzinfo=datetime.UTC)
FIVE = datetime.timedelta(minutes=5)


@pytest.fixture
def jobs(monkeypatch):
    """A registry of the test's own jobs only (core's and the apps' are put back afterwards)."""
    monkeypatch.setattr(periodic_module, "_registry", {})
    return periodic_module


@pytest.fixture
def calls():
    return []


def test_core_registers_the_retry_of_pending_e_mails():
    assert "core.notification_emails" in registered()


def test_a_due_job_runs_once_and_not_again_before_its_period(db, jobs, calls):
    @periodic("test.tick", every=FIVE)
    def tick(*, now):
        calls.append(now)

    assert run_due(T0) == ["test.tick"]
    assert run_due(T0) == []
    assert run_due(T0 + FIVE - datetime.timedelta(seconds=1)) == []
    assert run_due(T0 + FIVE) == ["test.tick"]

    assert calls == [T0, T0 + FIVE]
    assert PeriodicRun.objects.get(name="test.tick").last_run_at == T0 + FIVE


def test_each_job_keeps_its_own_period(db, jobs, calls):
    @periodic("test.often", every=datetime.timedelta(minutes=1))
    def often(*, now):
        calls.append("often")

    @periodic("test.daily", every=datetime.timedelta(days=1))
    def daily(*, now):
        calls.append("daily")

    for minute in range(3):
        run_due(T0 + datetime.timedelta(minutes=minute))

    assert calls == ["daily", "often", "often", "often"]


def test_a_worker_calling_while_the_job_runs_skips_it(db, jobs, calls):
    """What a second worker sees in the middle of the first one's run: the job already claimed."""
    inner = []

    @periodic("test.slow", every=FIVE)
    def slow(*, now):
        calls.append(now)
        inner.append(run_due(now))  # the other worker, at the same moment

    assert run_due(T0) == ["test.slow"]

    assert calls == [T0]
    assert inner == [[]]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_run_a_due_job_once(jobs, calls):
    if connection.vendor != "postgresql":
        pytest.skip("threads share one database only on PostgreSQL (set DATABASE_URL)")
    lock = threading.Lock()

    @periodic("test.contended", every=FIVE)
    def contended(*, now):
        with lock:
            calls.append(now)
        time.sleep(0.3)  # still running when the other worker looks

    start = threading.Barrier(4)
    results = []

    def worker():
        try:
            start.wait()
            ran = run_due(T0)
            with lock:
                results.append(ran)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert calls == [T0]
    assert sorted(results) == [[], [], [], ["test.contended"]]


def test_a_failing_job_is_retried_at_the_next_call(db, jobs, calls, caplog):
    @periodic("test.flaky", every=FIVE)
    def flaky(*, now):
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")

    assert run_due(T0) == []
    assert run_due(T0 + datetime.timedelta(minutes=1)) == ["test.flaky"]

    assert len(calls) == 2
    assert "test.flaky failed" in caplog.text


def test_a_failing_job_does_not_stop_the_others(db, jobs, calls):
    @periodic("test.a_broken", every=FIVE)
    def broken(*, now):
        raise RuntimeError("boom")

    @periodic("test.b_fine", every=FIVE)
    def fine(*, now):
        calls.append(now)

    assert run_due(T0) == ["test.b_fine"]


def test_a_name_is_registered_by_one_function_only(jobs):
    @periodic("test.once")
    def first(*, now):
        pass

    with pytest.raises(ValueError):

        @periodic("test.once")
        def second(*, now):
            pass


def test_a_period_must_be_positive(jobs):
    with pytest.raises(ValueError):
        periodic("test.never", every=datetime.timedelta(0))


def test_run_periodic_command_runs_what_is_due(db, jobs, calls, capsys):
    @periodic("test.cron", every=FIVE)
    def cron(*, now):
        calls.append(now)

    call_command("run_periodic")
    call_command("run_periodic")
    call_command("run_periodic", "--list")

    out = capsys.readouterr().out.splitlines()
    assert len(calls) == 1
    assert out[0] == "test.cron"
    assert out[1] == "-"
    assert out[2].startswith("test.cron\t0:05:00\t")


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_calls_run_due(jobs, calls):
    if connection.vendor != "postgresql":
        pytest.skip("the thread's own connection shares the database only on PostgreSQL")
    ran = threading.Event()

    @periodic("test.background", every=FIVE)
    def background(*, now):
        calls.append(now)
        ran.set()

    stop = threading.Event()
    thread = periodic_module.start_in_background(interval=0.05, stop=stop)
    try:
        assert thread.daemon
        assert ran.wait(timeout=10)
        time.sleep(0.2)  # more ticks: still once in the period
    finally:
        stop.set()
        thread.join(timeout=10)

    assert not thread.is_alive()
    assert len(calls) == 1


# --------------------------------------------------------------------------------- the first user


def test_a_deadline_reminder_is_sent_once_by_the_periodic_job(db, jobs, tree):
    user = make_user("an", "council_member", tree["a"])
    closes = T0 + datetime.timedelta(hours=30)

    @periodic("test.ballot_closing", every=FIVE)
    def ballot_closing(*, now):
        remind_before(
            users=[user], kind="ballot.closing", title="Phiếu bầu sắp đóng", url="/councils/ballots/9/",
            due=closes, ahead=datetime.timedelta(days=1), key="ballot:9:closing", now=now,
        )  # fmt: skip

    for step in range(0, 40):  # every 5 minutes from 08:00 for over three hours
        run_due(T0 + datetime.timedelta(hours=5, minutes=55) + step * FIVE)

    (row,) = Notification.objects.all()
    assert (row.user, row.url, row.dedupe_key) == (user, "/councils/ballots/9/", "ballot:9:closing")
    assert timezone.localtime(closes).strftime("%d/%m/%Y %H:%M") in row.body
