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
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
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


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--db", default="sqlite", help="sqlite (a temporary file) or a DATABASE_URL")
    parser.add_argument("--data-dir", default=None, help="reuse this TDKT_DATA_DIR (SQLite) between runs")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup(args)

    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    from tdkt.accounts.models import User

    people, generation_s = load(args.people)
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
