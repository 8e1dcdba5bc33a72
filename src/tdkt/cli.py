"""The `tdkt` command: Django's manage.py plus `demo`, `serve`, `worker` and `eligibility`."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

SETTINGS = "tdkt.settings"


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _manage(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tdkt", *argv])


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tdkt demo", description="Chạy bản trình diễn với dữ liệu mẫu.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--data-dir", default=None, help="thư mục chứa CSDL SQLite (mặc định: thư mục dữ liệu)"
    )
    parser.add_argument("--people", type=int, default=None, help="số cán bộ của dữ liệu mẫu (mặc định 3000)")
    parser.add_argument("--no-worker", action="store_true", help="không chạy tiến trình tác vụ nền")
    args = parser.parse_args(argv)
    if args.data_dir:
        os.environ["TDKT_DATA_DIR"] = str(Path(args.data_dir).expanduser().resolve())
    os.environ.setdefault("TDKT_ALLOWED_HOSTS", "127.0.0.1,localhost")
    # notification e-mails printed by the worker in this terminal; links point at the demo server
    os.environ.setdefault("TDKT_EMAIL_URL", "console://")
    os.environ.setdefault("TDKT_SITE_URL", f"http://127.0.0.1:{args.port}")
    _django_setup()
    from django.conf import settings
    from django.core.management import call_command

    from tdkt.demo.generator import DEMO_PASSWORD, demo_logins, load_demo_if_empty

    print(f"Cơ sở dữ liệu: {settings.DATABASES['default']['NAME']}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    created = load_demo_if_empty(people=args.people, progress=lambda msg: print("  " + msg, flush=True))
    print("Đã nạp dữ liệu mẫu." if created else "Dùng lại dữ liệu đã có.", flush=True)
    from tdkt.demo.samples import write_samples

    samples = write_samples(Path(settings.DATA_DIR) / "tep-mau")
    url = f"http://127.0.0.1:{args.port}/"
    print("\n" + "=" * 72)
    print(f"  tdkt đang chạy tại {url}   (Ctrl+C để dừng)")
    print(f"  Tài khoản dùng thử (mật khẩu đều là '{DEMO_PASSWORD}'):")
    for username, role, unit in demo_logins():
        print(f"    {username:<22} {role:<32} {unit}")
    if samples:
        print("  Danh sách khen thưởng cũ để thử nhập (đăng nhập canbo, Quản trị → Nhập sổ khen thưởng cũ):")
        for path in samples:
            print(f"    {path}")
    print("=" * 72 + "\n", flush=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS)
    children: list[subprocess.Popen] = []
    if not args.no_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "tdkt.cli", "worker"], env=env))
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tdkt.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    children.append(web)
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


# each web worker process runs this many request threads
WEB_THREADS = 2


def gunicorn_command(bind: str, workers: int) -> list[str]:
    """The production server: gunicorn, `workers` processes of WEB_THREADS threads each.

    A worker accepts a connection only when one of its threads is free (worker connections = threads,
    no keep-alive): the others wait in the system's one queue for whichever worker frees first. By
    default a worker accepts up to a thousand and queues them behind its own threads, so under load a
    request could wait behind a busy worker while another stood idle: `bench/pages.py --clients 50`
    gave a p95 of 2-8x the median that way, 1.1x this way. Keep-alive and slow clients are the front
    proxy's work (docs/operations.md)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "tdkt.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(WEB_THREADS),
        "--worker-connections",
        str(WEB_THREADS),
        "--keep-alive",
        "0",
        "--access-logfile",
        "-",
        "--timeout",
        "120",
    ]


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tdkt serve", description="Máy chủ sản xuất (gunicorn).")
    parser.add_argument("--bind", default=os.environ.get("TDKT_BIND", "0.0.0.0:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("TDKT_WEB_WORKERS", "4")))
    parser.add_argument("--migrate", action="store_true", help="chạy migrate trước khi phục vụ")
    args = parser.parse_args(argv)
    if args.migrate:
        _manage(["migrate", "--noinput"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    os.execv(sys.executable, gunicorn_command(args.bind, args.workers))
    return 0


def worker(argv: list[str]) -> int:
    """django-tasks' db_worker, plus two daemon threads: the heartbeat of this worker (core.workers:
    every few seconds, so a job left by a killed worker is failed and may be run again) and the periodic
    jobs that are due each minute (core.periodic; `--no-periodic` leaves them to `tdkt run_periodic`)."""
    periodic = "--no-periodic" not in argv
    argv = [a for a in argv if a != "--no-periodic"]
    _django_setup()
    from django.utils.crypto import get_random_string

    from tdkt.core import workers

    worker_id = _option(argv, "--worker-id")
    if worker_id is None:
        worker_id = get_random_string(32)
        argv = [*argv, "--worker-id", worker_id]  # the same id on the tasks django-tasks records
    workers.start(worker_id)
    if periodic:
        from tdkt.core.periodic import start_in_background

        start_in_background()
    _manage(["db_worker", *argv])
    return 0


def _option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def eligibility(argv: list[str]) -> int:
    _manage(["eligibility", *argv])
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"demo": demo, "serve": serve, "worker": worker, "eligibility": eligibility}
    if argv and argv[0] in commands:
        return commands[argv[0]](argv[1:]) or 0
    _manage(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
