"""A council's secret e-ballot at full size through a real server: 100 members vote on 300 items.

    .venv/bin/python bench/review.py [--members 100] [--items 300] [--clients 50] [--workers 4]
                                     [--db sqlite|postgres://...] [--doubles 10]

Sets up its own data (SQLite in a temporary TDKT_DATA_DIR, or the DATABASE_URL given with --db or in
the environment; a PostgreSQL database that does not exist is created), migrates, and creates a unit, a
council of N members with accounts, a meeting of M items (three of them about members, who are recused
on their own line), everyone present, and an open electronic ballot. It then starts `tdkt serve`
(gunicorn) on a free port and runs C concurrent clients (threads, http.client from the standard
library): first every member logs in and opens the voting page (CSRF cookie; not timed: a login is a
deliberately slow password hash), then the C clients POST the ballot papers all at once, each taking the
next paper until none is left. One member in `--doubles` sends the paper twice at the same instant from
two connections ("two tabs").
Measured and checked:
  vote     the POST of a ballot paper: median, p95, max (ms), accepted and refused;
  lost     receipts and every item's counters against the votes the server accepted (must be 0);
  tally    ballot_close + ballot_results after the vote, against a bare SELECT of the same counters
           (the median of repeated reads).
Last line:
  RESULT vote_p95_ms=<ms> lost_or_double=<n> tally_over_count=<x>
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PASSWORD = "Bo-phieu-kin-2025!"
RECUSED = 3


def setup(args) -> str:
    data_dir = tempfile.mkdtemp(prefix="tdkt-bench-review-")
    os.environ["TDKT_DATA_DIR"] = data_dir
    db = args.db or os.environ.get("DATABASE_URL") or "sqlite"
    if db != "sqlite":
        os.environ["DATABASE_URL"] = db
        ensure_postgres_database(db)
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("TDKT_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["TDKT_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tdkt.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return data_dir


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", flush=True)


def build(members: int, items: int) -> dict:
    """Unit, officer, council of `members` with accounts, a meeting of `items`, everyone present, a ballot."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from tdkt.accounts.models import RoleAssignment, User
    from tdkt.councils import services
    from tdkt.councils.enums import Attendance, MemberRole
    from tdkt.org.models import Person, Unit
    from tdkt.org.services import fill_person_derived, fill_unit_path

    run = secrets.token_hex(3)
    unit = Unit.objects.create(code=f"BENCH-{run}", name=f"Đơn vị thử tải {run}", kind="department")
    fill_unit_path(unit)
    unit.save(update_fields=["path", "depth"])
    officer = User.objects.create_user(username=f"officer_{run}", password=PASSWORD, full_name="Cán bộ TĐKT")
    RoleAssignment.objects.create(user=officer, role="officer", unit=unit, include_subtree=True)
    hashed = make_password(PASSWORD)  # one hash for all: creating 100 PBKDF2 hashes is not what is measured
    users = User.objects.bulk_create(
        User(username=f"m{run}_{n:03d}", password=hashed, full_name=f"Thành viên {n}") for n in range(members)
    )
    people = []
    for n, user in enumerate(users):
        p = Person(
            current_unit=unit,
            family_name=random.choice(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"]),
            middle_name=random.choice(["Văn", "Thị", "Minh", "Thu"]),
            given_name=f"Thành viên {n:03d}",
            code=f"B{run}-{n:03d}",
            gender="male",
            user=user,
        )
        fill_person_derived(p)
        people.append(p)
    Person.objects.bulk_create(people)
    people = list(Person.objects.filter(current_unit=unit).order_by("code"))
    council = services.council_create(
        actor=officer, unit_id=unit.pk, name=f"Hội đồng TĐKT {run}", term_from=datetime.date(2024, 1, 1)
    )
    for n, p in enumerate(people):
        services.member_add(
            actor=officer,
            council_id=council.pk,
            person_id=p.pk,
            role=MemberRole.CHAIR if n == 0 else MemberRole.MEMBER,
        )
    candidates = []
    for n in range(items):
        subject = people[n] if n < RECUSED else None  # the first lines are about members: recused
        candidates.append(
            services.AgendaItem(
                key=f"bench.candidate:{n}",
                label=str(subject) if subject else f"Ứng viên {n:03d}",
                person_id=subject.pk if subject else None,
                group="Chiến sĩ thi đua cơ sở",
                order=n,
            )
        )
    meeting = services.meeting_create(
        actor=officer,
        council_id=council.pk,
        title="Bình xét thi đua cuối năm (thử tải)",
        starts_at=timezone.now(),
        place="Hội trường",
        items=candidates,
    )
    members_ = list(council.members.all())
    services.attendance_set(
        actor=officer, meeting_id=meeting.pk, entries={m.pk: (Attendance.PRESENT, "") for m in members_}
    )
    ballot = services.ballot_open(
        actor=officer,
        meeting_id=meeting.pk,
        item_ids=list(meeting.items.values_list("pk", flat=True)),
        closes_at=timezone.now() + datetime.timedelta(hours=3),
    )
    items_ = list(meeting.items.order_by("order").values_list("pk", "person_id"))
    user_person = dict(Person.objects.filter(current_unit=unit).values_list("user_id", "pk"))
    return {
        "officer": officer,
        "ballot": ballot,
        "items": items_,
        "voters": [(u.username, user_person[u.pk]) for u in users],
    }


# ---------------------------------------------------------------------------------------------- the clients


class Browser:
    """A member's browser: the session's cookies; a new connection per request, or the one given (a tab)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, conn=None):
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _eq, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if own:
            conn.close()
        return response.status, response.getheader("Location") or "", content.decode("utf-8", "replace")

    def login(self, username: str) -> None:
        self.request("GET", "/accounts/login/")
        status, location, _ = self.request(
            "POST",
            "/accounts/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            },
        )
        if status != 302:
            raise RuntimeError(f"login of {username} failed: {status}")


def choices_for(voter_person: int, items, rng: random.Random) -> dict:
    data = {}
    for pk, person_id in items:
        if person_id == voter_person:
            continue
        data[f"item_{pk}"] = "agree" if rng.random() < 0.8 else "disagree"
    return data


def run_clients(port: int, ballot_id: int, items, voters, clients: int, doubles: int) -> dict:
    """Phase 1 (not timed): every member logs in and opens the voting page. Phase 2: `clients` threads
    send the ballot papers at once, each taking the next member's paper until none is left; one member
    in `doubles` sends it twice at the same instant from two connections."""
    lock = threading.Lock()
    times: list[float] = []
    outcome = {"accepted": 0, "refused_double": 0, "other": 0, "accepted_by_person": []}
    errors: list[str] = []
    path = f"/councils/ballots/{ballot_id}/vote/"
    ready: list[tuple[int, Browser, int]] = []

    def prepare(batch) -> None:
        for n, (username, person_id) in batch:
            try:
                browser = Browser(port)
                browser.login(username)
                status, _loc, page = browser.request("GET", path)
                if status != 200 or "<fieldset" not in page:
                    raise RuntimeError(f"voting page of {username}: {status}")
                with lock:
                    ready.append((n, browser, person_id))
            except Exception as exc:  # a failed client is reported, not hidden
                with lock:
                    outcome["other"] += 1
                    errors.append(repr(exc))

    indexed = list(enumerate(voters))
    threads = [threading.Thread(target=prepare, args=(indexed[k::clients],)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcome["login_s"] = time.perf_counter() - started
    ready.sort(key=lambda r: r[0])

    def post(browser: Browser, data: dict, person_id: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        began = time.perf_counter()
        status, location, text = browser.request("POST", path, data, conn=conn)
        elapsed = (time.perf_counter() - began) * 1000
        conn.close()
        with lock:
            times.append(elapsed)
            if status == 302 and location.endswith("/councils/ballots/mine/"):
                outcome["accepted"] += 1
                outcome["accepted_by_person"].append(person_id)
            elif status == 200 and "Bạn đã bỏ phiếu." in text:
                outcome["refused_double"] += 1
            else:
                outcome["other"] += 1
                errors.append(f"{status} {location} {text[:200]!r}")

    queue = list(reversed(ready))
    barrier = threading.Barrier(clients)

    def worker() -> None:
        barrier.wait()
        while True:
            with lock:
                if not queue:
                    return
                n, browser, person_id = queue.pop()
            rng = random.Random(n)
            data = {
                **choices_for(person_id, items, rng),
                "confirm": "1",
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            }
            if doubles and n % doubles == 0:  # two tabs, the same instant
                tabs = [
                    threading.Thread(target=post, args=(browser, dict(data), person_id)) for _ in range(2)
                ]
                for t in tabs:
                    t.start()
                for t in tabs:
                    t.join()
            else:
                post(browser, data, person_id)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcome["wall_s"] = time.perf_counter() - started
    outcome["times"] = times
    outcome["errors"] = errors
    return outcome


# ---------------------------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, log_path: Path) -> subprocess.Popen:
    env = dict(os.environ)
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    cmd = [
        sys.executable,
        "-m",
        "tdkt.cli",
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            break
    stop_server(proc)
    raise RuntimeError(f"the server did not start; see {log_path}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------- checks


def check_counts(ballot_id: int, items, accepted_persons: list[int]) -> tuple[int, int, int]:
    """(receipts - accepted, sum over items of |counted - expected|, receipts)."""
    from django.db.models import Sum

    from tdkt.councils.models import BallotReceipt, BallotTally

    receipts = BallotReceipt.objects.filter(ballot_id=ballot_id).count()
    sums = dict(
        BallotTally.objects.filter(ballot_id=ballot_id)
        .values("item_id")
        .annotate(n=Sum("count"))
        .values_list("item_id", "n")
    )
    voted = set(accepted_persons)
    off = 0
    for pk, person_id in items:
        expected = len(accepted_persons) - (1 if person_id in voted else 0)
        off += abs(sums.get(pk, 0) - expected)
    return receipts - len(accepted_persons), off, receipts


def time_tally(ballot_id: int, officer, repeat: int) -> dict:
    from django.db import connection

    from tdkt.councils.models import Ballot, BallotTally
    from tdkt.councils.selectors import ballot_results, compute_results
    from tdkt.councils.services import ballot_close

    table = BallotTally._meta.db_table

    def bare() -> list:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT item_id, choice, count FROM {table} WHERE ballot_id = %s", [ballot_id])
            return cursor.fetchall()

    for _ in range(3):
        bare()
    bare_times = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = bare()
        bare_times.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    ballot_close(actor=officer, ballot_id=ballot_id)
    results = ballot_results(Ballot.objects.get(pk=ballot_id))
    tally_ms = (time.perf_counter() - started) * 1000
    result_times, count_times = [], []
    closed = Ballot.objects.get(pk=ballot_id)
    for _ in range(repeat):
        started = time.perf_counter()
        ballot_results(Ballot.objects.get(pk=ballot_id))
        result_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        compute_results(closed)  # the counting itself: the counters read into per-item results
        count_times.append((time.perf_counter() - started) * 1000)
    return {
        "bare_ms": statistics.median(bare_times),
        "rows": len(rows),
        "tally_ms": tally_ms,
        "results_ms": statistics.median(result_times),
        "count_ms": statistics.median(count_times),
        "passed": sum(1 for r in results if r.passed),
        "items": len(results),
    }


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn workers of `tdkt serve` (2 threads each)"
    )
    parser.add_argument(
        "--db", default=None, help="sqlite (a temporary file) or a DATABASE_URL (default: $DATABASE_URL)"
    )
    parser.add_argument(
        "--doubles", type=int, default=10, help="one member in N sends the paper twice at once"
    )
    parser.add_argument(
        "--repeat", type=int, default=20, help="repeats of the bare read and of ballot_results"
    )
    args = parser.parse_args()
    data_dir = setup(args)

    from django.db import connection

    started = time.perf_counter()
    world = build(args.members, args.items)
    setup_s = time.perf_counter() - started
    ballot = world["ballot"]
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    print(
        f"setup: {args.members} members, {args.items} items ({RECUSED} about members), ballot {ballot.pk} "
        f"open, {setup_s:.1f} s",
        flush=True,
    )
    connection.close()  # the server's processes write now; this process reads again after the vote

    port = free_port()
    proc = start_server(port, args.workers, Path(data_dir) / "server.log")
    try:
        print(f"server: tdkt serve on 127.0.0.1:{port}, {args.workers} workers × 2 threads", flush=True)
        outcome = run_clients(port, ballot.pk, world["items"], world["voters"], args.clients, args.doubles)
    finally:
        stop_server(proc)

    receipts_off, counters_off, receipts = check_counts(
        ballot.pk, world["items"], outcome["accepted_by_person"]
    )
    lost_or_double = abs(receipts_off) + counters_off
    tally = time_tally(ballot.pk, world["officer"], args.repeat)
    times = outcome["times"]
    ratio = tally["tally_ms"] / tally["bare_ms"] if tally["bare_ms"] else float("inf")

    doubled = sum(1 for n in range(len(world["voters"])) if args.doubles and n % args.doubles == 0)
    print()
    print(f"{'measure':<34}{'value':>14}")
    print(f"{'clients / members':<34}{f'{args.clients} / {args.members}':>14}")
    print(f"{'POSTs sent (with double tabs)':<34}{len(times):>14}")
    print(f"{'accepted':<34}{outcome['accepted']:>14}")
    print(
        f"{'refused: Bạn đã bỏ phiếu':<34}{outcome['refused_double']:>14}   (members sending twice: "
        f"{doubled})"
    )
    print(f"{'other answers or errors':<34}{outcome['other']:>14}")
    print(f"{'vote POST median ms':<34}{statistics.median(times) if times else 0:>14.1f}")
    print(f"{'vote POST p95 ms':<34}{p95(times):>14.1f}")
    print(f"{'vote POST max ms':<34}{max(times) if times else 0:>14.1f}")
    print(f"{'logins and pages (not timed) s':<34}{outcome['login_s']:>14.1f}")
    print(f"{'wall time of the vote s':<34}{outcome['wall_s']:>14.1f}")
    print(f"{'receipts stored':<34}{receipts:>14}")
    print(f"{'receipts - accepted':<34}{receipts_off:>14}")
    print(f"{'counters off (all items)':<34}{counters_off:>14}")
    print(f"{'bare SELECT of counters ms':<34}{tally['bare_ms']:>14.2f}   ({tally['rows']} rows)")
    print(f"{'ballot_close + ballot_results ms':<34}{tally['tally_ms']:>14.2f}")
    print(f"{'ballot_results alone ms (median)':<34}{tally['results_ms']:>14.2f}")
    print(
        f"{'counting from the counters ms':<34}{tally['count_ms']:>14.2f}   "
        f"({tally['count_ms'] / tally['bare_ms']:.1f}× the bare read; the rest of a close is its writes)"
    )
    passed = f"{tally['passed']}/{tally['items']}"
    print(f"{'items passed (90% of all)':<34}{passed:>14}")
    for line in outcome["errors"][:5]:
        print("  error:", line)
    print(f"RESULT vote_p95_ms={p95(times):.1f} lost_or_double={lost_or_double} tally_over_count={ratio:.2f}")
    return 0 if lost_or_double == 0 and not outcome["other"] else 1


if __name__ == "__main__":
    sys.exit(main())
