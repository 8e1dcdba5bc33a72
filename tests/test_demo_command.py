"""`tdkt demo` as a user runs it: a real server and task worker in subprocesses, started twice."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["TDKT_DATA_DIR"] = str(data_dir)
    return env


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _start(data_dir, port: int, log_path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "tdkt.cli", "demo", "--port", str(port), "--data-dir", str(data_dir)]
        + ["--people", "150"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=_env(data_dir),
        start_new_session=True,
    )


def _wait_healthy(proc: subprocess.Popen, port: int, log_path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"tdkt demo stopped early:\n{log_path.read_text()}")
        try:
            if _get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"tdkt demo did not answer within {timeout}s:\n{log_path.read_text()}")


def _stop(proc: subprocess.Popen) -> None:
    """Ctrl+C as in a terminal, then make sure nothing of the demo's process group lives on."""
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # a server or worker that outlived the demo command
    except ProcessLookupError:
        pass
    proc.wait()


def _shell(data_dir, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tdkt.cli", "shell", "--no-imports", "-c", code],
        capture_output=True,
        text=True,
        env=_env(data_dir),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_demo_serves_prints_logins_runs_tasks_and_reuses_its_data(tmp_path):
    data_dir = tmp_path / "data"
    port = _free_port()
    log1 = tmp_path / "first.log"
    proc = _start(data_dir, port, log1)
    try:
        _wait_healthy(proc, port, log1)
        status, body = _get(f"http://127.0.0.1:{port}/accounts/login/")
        assert status == 200
        assert 'name="username"' in body.decode() and 'name="password"' in body.decode()
        # the stylesheet is served by the application itself, no CDN
        assert _get(f"http://127.0.0.1:{port}/static/vendor/bootstrap-5.3.9/css/bootstrap.min.css")[0] == 200
        # the worker started beside the server runs background tasks: ask for a batch eligibility run
        run_id = _shell(
            data_dir,
            "from django.db import transaction\n"
            "from tdkt.accounts.models import User\n"
            "from tdkt.org.models import Unit\n"
            "from tdkt.rulebook.services import run_request\n"
            "root = Unit.objects.filter(parent__isnull=True).first()\n"
            "with transaction.atomic():\n"
            "    run = run_request(actor=User.objects.get(username='admin'), unit_id=root.pk, year=2024)\n"
            "print(run.pk)",
        )
        deadline = time.monotonic() + 120
        state = ""
        while time.monotonic() < deadline:
            state = _shell(
                data_dir,
                "from tdkt.rulebook.models import EligibilityRun\n"
                f"r = EligibilityRun.objects.get(pk={run_id}); print(r.status, r.result_count)",
            )
            if state.startswith(("done", "failed")):
                break
            time.sleep(1)
        status_text, results = state.split()
        assert status_text == "done", state
        assert int(results) > 0
    finally:
        _stop(proc)
    out1 = log1.read_text()
    assert f"http://127.0.0.1:{port}/" in out1
    assert "admin" in out1 and "'demo'" in out1
    assert "Đã nạp dữ liệu mẫu." in out1
    people = _shell(data_dir, "from tdkt.org.models import Person; print(Person.objects.count())")

    log2 = tmp_path / "second.log"
    port = _free_port()
    proc = _start(data_dir, port, log2)
    try:
        _wait_healthy(proc, port, log2)
    finally:
        _stop(proc)
    assert "Dùng lại dữ liệu đã có." in log2.read_text()
    assert _shell(data_dir, "from tdkt.org.models import Person; print(Person.objects.count())") == people
