"""The `tdkt` console script: manage.py commands and the production configuration check."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time


def _tdkt(*args, env_extra=None, tmp_path=None):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["TDKT_DATA_DIR"] = str(tmp_path)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "tdkt.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_check_deploy_is_clean_when_configured_for_production(tmp_path):
    result = _tdkt(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        env_extra={
            "TDKT_SECRET_KEY": secrets.token_urlsafe(64),
            "TDKT_ALLOWED_HOSTS": "tdkt.example.gov.vn",
            "TDKT_HTTPS": "1",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_https(tmp_path):
    result = _tdkt("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr or "security.W008" in result.stderr


def test_secret_key_is_generated_once_and_reused(tmp_path):
    first = _tdkt(
        "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", tmp_path=tmp_path
    )
    second = _tdkt(
        "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", tmp_path=tmp_path
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == second.stdout.strip()
    assert len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_takes_a_connection_only_when_a_thread_is_free():
    """Each worker accepts no more connections than its threads can serve at once and keeps none open:
    the rest wait in the system's one queue for whichever worker frees first, not behind a busy one."""
    from gunicorn.config import Config

    from tdkt.cli import WEB_THREADS, gunicorn_command

    argv = gunicorn_command("127.0.0.1:8000", 3)
    assert argv[1:4] == ["-m", "gunicorn", "tdkt.wsgi:application"]
    config = Config()
    parsed = config.parser().parse_args(argv[3:])
    for key, value in vars(parsed).items():
        if value is not None and key in config.settings:
            config.set(key, value)
    assert config.workers == 3
    assert config.threads == WEB_THREADS
    assert config.worker_connections == WEB_THREADS
    assert config.keepalive == 0
    assert config.worker_class_str == "gthread"


def test_serve_starts_migrates_and_answers_closing_each_connection(tmp_path):
    port = _free_port()
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        TDKT_DATA_DIR=str(tmp_path),
        TDKT_SECRET_KEY=secrets.token_urlsafe(64),
        TDKT_ALLOWED_HOSTS="127.0.0.1",
    )
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tdkt.cli",
            "serve",
            "--migrate",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 90
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.3)
        assert response.status == 200
        assert response.getheader("Connection", "").lower() == "close"
        response.read()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()


def test_the_web_process_leaves_what_start_up_made_out_of_the_collector():
    """tdkt.wsgi freezes the objects of start-up (gc.freeze): the collector's full passes, which a
    long-lived worker pays now and then, walk only what requests leave behind."""
    code = "import gc, tdkt.wsgi; print(gc.get_freeze_count())"
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000
