"""People pages at national size, through the full Django request path, against a bare Django view.

    .venv/bin/python bench/pages.py [--people 100000] [--db sqlite|postgres://...] [--repeat 20]

Sets up its own database (SQLite in a temporary TDKT_DATA_DIR, or the DATABASE_URL given with --db),
migrates, generates N people with six years of history with the demo generator (reused if the
database already holds data), then measures with django.test.Client logged in as `admin`:
  list     the people list, first page;
  search   the list with an accent-folded query that matches a few people ("nguyen thi thu trang"-like);
  profile  a person's profile (a person with a long award history);
  bare     a bare Django view on the same database and middleware: one row, one HttpResponse.
Each is the median of --repeat requests after a warm-up; the queries of one list and one profile
request are counted. Last line:
  RESULT people=<n> list_ms=<ms> search_ms=<ms> profile_ms=<ms> bare_ms=<ms> list_queries=<n>
  profile_queries=<n>   (on one line)

Under load (issue 10):

    .venv/bin/python bench/pages.py --people 100000 --clients 50 [--rounds 4] [--workers 4]

starts a real `tdkt serve` (gunicorn, `--workers` processes of 2 threads) on a free port and runs C
concurrent clients (threads, http.client, the session cookie of `admin` signed in beforehand); each
client asks every page `--rounds` times in a shuffled order, a new connection per request:
  list      the people list, first page;
  search    the search page `org:search` (the people list's `?q=` while that page does not exist);
  profile   a person's profile;
  register  the award register `awards:register` (n/a while it does not exist);
  stats     the statistics page `reports:statistics` (n/a while it does not exist);
  bare      a bare view on the same server: the same middleware, the signed-in user read from the
            session like every page, one row, an HttpResponse. It is mounted only in this run (a
            settings module and URLconf written to a temporary folder, DJANGO_SETTINGS_MODULE of the
            server), never in the product. /healthz is not the floor: it never reads the session.
p50 and p95 of each page and their ratio to the bare view's. Last line:
  RESULT list_p95_ms=<ms> search_p95_ms=<ms> profile_p95_ms=<ms> register_p95_ms=<ms>
  stats_p95_ms=<ms> bare_p95_ms=<ms>   (on one line; n/a for a page that does not exist yet)
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
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def setup(args) -> None:
    if args.db and args.db != "sqlite":
        os.environ["DATABASE_URL"] = args.db
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["TDKT_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="tdkt-bench-pages-")
        Path(os.environ["TDKT_DATA_DIR"], "static").mkdir(parents=True, exist_ok=True)
    os.environ["TDKT_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    # the server started under load checks the session made here: the same key
    os.environ.setdefault("TDKT_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def load(n: int) -> tuple[int, float | None]:
    from tdkt.demo.generator import database_is_empty, generate
    from tdkt.org.models import Person

    if not database_is_empty():
        count = Person.objects.count()
        print(f"reusing the database: {count:,} people", flush=True)
        return count, None
    started = time.perf_counter()
    generate(
        people=n,
        with_year=False,
        progress=lambda msg: print(f"  {time.perf_counter() - started:6.1f}s {msg}", flush=True),
    )
    return n, time.perf_counter() - started


def bench_urlconf() -> str:
    """The project's URLs plus one bare view, as a module Django can import by name."""
    from django.http import HttpResponse
    from django.urls import path

    import tdkt.urls
    from tdkt.org.models import Person

    def bare(request, pk: int):
        person = Person.objects.only("full_name").get(pk=pk)
        return HttpResponse(person.full_name)

    module = types.ModuleType("bench_pages_urls")
    module.urlpatterns = [path("__bench__/bare/<int:pk>/", bare), *tdkt.urls.urlpatterns]
    for name in ("handler403", "handler404", "handler500"):
        setattr(module, name, getattr(tdkt.urls, name))
    sys.modules[module.__name__] = module
    return module.__name__


def search_query() -> tuple[str, int]:
    """A folded full name of three words or more that a few people (2–20) share, as an officer types it;
    matches are counted the way the list searches (org.selectors.search_people)."""
    from django.db.models import Count

    from tdkt.core.text import fold
    from tdkt.org.models import Person
    from tdkt.org.selectors import search_people

    names = (
        Person.objects.values("full_name")
        .annotate(n=Count("id"))
        .filter(n__gte=2, n__lte=20, full_name__startswith="Nguyễn", full_name__regex=r"^\S+ \S+ \S+$")
        .order_by("-n", "full_name")
        .values_list("full_name", flat=True)[:50]
    )
    best = None
    for name in names:
        q = fold(name)
        matches = search_people(Person.objects.all(), q).count()
        if 2 <= matches <= 20:
            return q, matches
        if best is None or matches < best[1]:
            best = (q, matches)
    return best or (fold(Person.objects.order_by("code").first().full_name), 1)


def profile_person() -> int:
    from tdkt.org.models import AwardRecord, Person

    award = (
        AwardRecord.objects.filter(award_code="hc_lao_dong_3", person__isnull=False).order_by("pk").first()
    )
    return award.person_id if award else Person.objects.order_by("code").first().pk


def timed(client, url: str, repeat: int) -> tuple[float, int]:
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(times), len(response.content)


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


# ------------------------------------------------------------------------------------ under load (--clients)

BENCH_SETTINGS = """from tdkt.settings import *  # noqa: F403

ROOT_URLCONF = "bench_pages_urls"
"""

BENCH_URLS = """from django.http import HttpResponse, HttpResponseForbidden
from django.urls import path

import tdkt.urls
from tdkt.org.models import Person


def bare(request, pk):
    # what every page does before its own work: the session and the signed-in user; then one row
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    return HttpResponse(Person.objects.only("full_name").get(pk=pk).full_name)


urlpatterns = [path("__bench__/bare/<int:pk>/", bare), *tdkt.urls.urlpatterns]
handler403 = tdkt.urls.handler403
handler404 = tdkt.urls.handler404
handler500 = tdkt.urls.handler500
"""


def _reverse_or_none(name: str, *args) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, folder: Path) -> subprocess.Popen:
    """`tdkt serve` with the bench's settings module (the bare view mounted), waiting for /healthz."""
    (folder / "bench_pages_settings.py").write_text(BENCH_SETTINGS)
    (folder / "bench_pages_urls.py").write_text(BENCH_URLS)
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench_pages_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(folder), str(Path(__file__).resolve().parent.parent / "src")])
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed with the process
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
    raise RuntimeError(f"the server did not start; see {folder / 'server.log'}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def fetch(port: int, path: str, cookie: str) -> tuple[int, int, float]:
    """(status, bytes, ms) of one GET on a new connection."""
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, len(body), (time.perf_counter() - began) * 1000


def run_phase(port: int, url: str, cookie: str, clients: int, rounds: int) -> dict:
    """`clients` threads at once, each asking `url` `rounds` times (one page per phase: mixed in one
    phase, every page would wait in the same queue and read the same)."""
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client() -> None:
        barrier.wait()
        for _ in range(rounds):
            try:
                status, _size, ms = fetch(port, url, cookie)
            except OSError as exc:
                with lock:
                    errors.append(repr(exc))
                continue
            with lock:
                if status == 200:
                    times.append(ms)
                else:
                    errors.append(str(status))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"times": times, "errors": errors, "wall_s": time.perf_counter() - started}


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def under_load(args, people: int) -> int:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from tdkt.accounts.models import User

    q, matches = search_query()
    pk = profile_person()
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    list_url = _reverse_or_none("org:person_list")
    search_url = _reverse_or_none("org:search")
    plus = q.replace(" ", "+")
    pages: dict[str, str | None] = {
        "list": list_url,
        "search": f"{search_url}?q={plus}" if search_url else f"{list_url}?q={plus}",
        "profile": _reverse_or_none("org:person_detail", pk),
        "register": _reverse_or_none("awards:register"),
        "stats": _reverse_or_none("reports:statistics"),
        "bare": f"/__bench__/bare/{pk}/",
    }
    urls = {name: url for name, url in pages.items() if url}
    folder = Path(tempfile.mkdtemp(prefix="tdkt-bench-serve-"))
    port = free_port()
    connection.close()  # the server's workers open their own
    proc = start_server(port, args.workers, folder)
    try:
        for name, url in urls.items():  # warm-up: every worker imports and compiles its templates
            for _ in range(args.workers * 2):
                status, _size, _ms = fetch(port, url, cookie)
                if status != 200:
                    raise RuntimeError(f"{name} {url}: {status}; see {folder / 'server.log'}")
        order = list(urls)
        random.Random(1).shuffle(order)  # the phases in no particular order; bare among them
        phases = {name: run_phase(port, urls[name], cookie, args.clients, args.rounds) for name in order}
    finally:
        stop_server(proc)

    times = {name: phase["times"] for name, phase in phases.items()}
    errors = [f"{name}: {e}" for name, phase in phases.items() for e in phase["errors"]]
    bare50, bare95 = pct(times["bare"], 50), pct(times["bare"], 95)
    print()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; people: {people:,}")
    print(
        f"server: tdkt serve, {args.workers} workers x 2 threads; per page, {args.clients} clients at once, "
        f"{args.rounds} requests each; errors: {len(errors)}"
    )
    for error in errors[:10]:
        print("  ", error)
    print(f"search: q={q!r} ({matches} matches){'' if search_url else ' on the list (org:search not built)'}")
    print(
        f"{'page':<10}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p50/bare':>10}{'p95/bare':>10}{'req/s':>8}   url"
    )
    result = {}
    for name, url in pages.items():
        if not url:
            print(f"{name:<10}{'':>6}{'n/a':>10}{'n/a':>10}{'':>10}{'':>10}{'':>8}   (page not built yet)")
            result[name] = "n/a"
            continue
        values = times[name]
        p50, p95 = pct(values, 50), pct(values, 95)
        result[name] = f"{p95:.1f}"
        rate = len(values) / phases[name]["wall_s"]
        ratios = f"{p50 / bare50:>9.1f}x{p95 / bare95:>9.1f}x{rate:>8.1f}"
        print(f"{name:<10}{len(values):>6}{p50:>10.1f}{p95:>10.1f}{ratios}   {url}")
    print(
        f"RESULT list_p95_ms={result['list']} search_p95_ms={result['search']} "
        f"profile_p95_ms={result['profile']} register_p95_ms={result['register']} "
        f"stats_p95_ms={result['stats']} bare_p95_ms={result['bare']}"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--db", default="sqlite", help="sqlite (a temporary file) or a DATABASE_URL")
    parser.add_argument("--data-dir", default=None, help="reuse this TDKT_DATA_DIR (SQLite) between runs")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--clients", type=int, default=0, help="concurrent clients on a real server")
    parser.add_argument("--rounds", type=int, default=4, help="with --clients: times each client asks a page")
    parser.add_argument("--workers", type=int, default=4, help="with --clients: gunicorn worker processes")
    args = parser.parse_args()
    setup(args)

    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    from tdkt.accounts.models import User

    people, generation_s = load(args.people)
    from register import summarise  # bench/register.py: the one way the benches compute the summary

    summarise()
    if args.clients:
        return under_load(args, people)
    q, matches = search_query()
    pk = profile_person()
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    with override_settings(ROOT_URLCONF=bench_urlconf()):
        list_url = reverse("org:person_list")
        urls = {
            "list": list_url,
            "search": f"{list_url}?q={q.replace(' ', '+')}",
            "profile": reverse("org:person_detail", args=[pk]),
            "bare": f"/__bench__/bare/{pk}/",
        }
        results = {name: timed(client, url, args.repeat) for name, url in urls.items()}
        list_queries = count_queries(client, urls["list"])
        search_queries = count_queries(client, urls["search"])
        profile_queries = count_queries(client, urls["profile"])
        bare_queries = count_queries(client, urls["bare"])

    print()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if generation_s is not None:
        print(f"generation: {people:,} people with history 2020–2025 in {generation_s:.1f} s")
    print(f"search: q={q!r} ({matches} matches); profile: person id {pk}")
    print(f"{'page':<10}{'median ms':>12}{'bytes':>10}{'queries':>10}   url")
    queries = {
        "list": list_queries,
        "search": search_queries,
        "profile": profile_queries,
        "bare": bare_queries,
    }
    for name, url in urls.items():
        ms, size = results[name]
        print(f"{name:<10}{ms:>12.1f}{size:>10,}{queries[name]:>10}   {url}")
    print(
        f"RESULT people={people} list_ms={results['list'][0]:.1f} search_ms={results['search'][0]:.1f} "
        f"profile_ms={results['profile'][0]:.1f} bare_ms={results['bare'][0]:.1f} "
        f"list_queries={list_queries} profile_queries={profile_queries}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
