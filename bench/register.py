"""The award register at national scale (issue 10): build millions of people and awards fast, then
measure the search, the register page, a person's timeline, the statistics page and a legacy import.

    .venv/bin/python bench/register.py [--people 2000000] [--awards 20000000] [--db sqlite|postgres://...]
                                       [--data-dir DIR] [--queries 300] [--import-rows 100000]

The database: PostgreSQL given by --db or DATABASE_URL (created when missing), SQLite in a temporary
TDKT_DATA_DIR otherwise (--data-dir reuses one between runs). A database that already holds the people
and awards asked for is reused as it is; one that holds fewer is completed.

Build (timed, printed): the demo's units tree (src/tdkt/demo/units.py, ~290 units), N people with
realistic Vietnamese names drawn from the demo's weighted lists (src/tdkt/demo/names.py: family,
middle and given names by gender), birth dates, ethnicities, and M award records in decisions of 50
people (one award code, year and decision number per decision; a few revoked). Rows go in without the
ORM: COPY on PostgreSQL, executemany in transactions of 200,000 rows on SQLite. Every stored derived
field (full name, folded search text, sort key) is computed by the project's own functions.

Measured, each part printing n/a while the code it needs is not there (so it lights up when it lands):
  search    `tdkt.org.selectors.search(user, query, limit=20)` as the admin (the whole country) over
            --queries realistic queries: full names with accents, without accents, partial (family +
            given), reordered (given name first), misspelled (a letter dropped, swapped or doubled);
            p50/p95 and how often the person the query was made from is among the results;
  register  the register page `awards:register` (first page, and one year) through django.test.Client
            as a TĐKT officer of the ministry: median ms and queries;
  profile   the person timeline `org:person_timeline` (the profile while it does not exist) of the
            person with the most awards: median ms and queries;
  dashboard the dashboard `core:dashboard` (its counters) and the statistics page
            `reports:statistics`: median ms;
  import    `tdkt.awards.legacy.import_award_list` of an .xlsx of --import-rows rows (people of the
            register, by name, birth date and unit) against only reading the same file with
            python-calamine; rolled back afterwards, so the database stays as built.
Last line:
  RESULT search_p95_ms=<ms> profile_ms=<ms> profile_queries=<n> dashboard_ms=<ms> import_over_read=<x>
         (on one line, followed by register_ms, register_queries and stats_ms)
"""

from __future__ import annotations

import argparse
import array
import bisect
import datetime
import functools
import io
import itertools
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

SEED = 2026
DECISION_SIZE = 50
CHUNK = 200_000
ADMIN = "bench_admin"
OFFICER = "bench_officer"
# individual award codes with how often each is given (emulation titles far more often than medals)
AWARD_WEIGHTS = [
    ("ldtt", 40),
    ("giay_khen", 25),
    ("cstd_co_so", 12),
    ("bang_khen_bo", 10),
    ("cstd_bo", 3),
    ("bang_khen_ttg", 2),
    ("hc_lao_dong_3", 1),
]


def setup(args) -> None:
    db = args.db or os.environ.get("DATABASE_URL") or "sqlite"
    if db != "sqlite":
        os.environ["DATABASE_URL"] = db
        ensure_postgres_database(db)
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["TDKT_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="tdkt-bench-register-")
        Path(os.environ["TDKT_DATA_DIR"], "static").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TDKT_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["TDKT_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", flush=True)


def na(name: str, why: str) -> None:
    print(f"{name}: n/a ({why})", flush=True)


# ------------------------------------------------------------------------------------------------ build


class Weighted:
    """Draws from [(value, weight)] with one bisect per draw."""

    def __init__(self, pairs):
        self.values = [v for v, _w in pairs]
        self.cum = list(itertools.accumulate(w for _v, w in pairs))

    def __call__(self, rng: random.Random):
        return self.values[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def _row_writer(model):
    """(columns, insert(rows)) for `model`'s table: every concrete column but the id, in order; a
    column the builder does not set takes the field's default (new fields need no change here)."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)

    def defaults():
        return {f.attname: (None if f.null and not f.has_default() else f.get_default()) for f in fields}

    def insert(rows: list[dict]) -> None:
        base = defaults()
        tuples = [tuple({**base, **row}[f.attname] for f in fields) for row in rows]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for t in tuples:
                        copy.write_row(t)
        else:
            marks = ", ".join(["%s"] * len(columns))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", tuples)

    return insert


def build(people: int, awards: int) -> dict:
    from django.db import connection, transaction

    from tdkt.accounts.models import RoleAssignment, User
    from tdkt.core.text import fold, name_sort_key
    from tdkt.demo import names
    from tdkt.demo.units import build_unit_specs, insert_units
    from tdkt.org.enums import UnitKind
    from tdkt.org.models import AwardRecord, Person, Unit

    rng = random.Random(SEED)
    started = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    if not Unit.objects.exists():
        insert_units(build_unit_specs(random.Random(SEED)))
    units = list(Unit.objects.filter(active_to__isnull=True).exclude(kind=UnitKind.MINISTRY))
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    abbr = {u.pk: (u.short_name or u.code).upper() for u in units}
    print(f"  {time.perf_counter() - started:7.1f}s units: {len(units)} open below the ministry", flush=True)

    family = Weighted(names.FAMILY_NAMES)
    middle = {"male": Weighted(names.MIDDLE_NAMES_MALE), "female": Weighted(names.MIDDLE_NAMES_FEMALE)}
    given = {"male": Weighted(names.GIVEN_NAMES_MALE), "female": Weighted(names.GIVEN_NAMES_FEMALE)}
    ethnicity = Weighted(names.ETHNICITIES)
    folded = functools.lru_cache(maxsize=None)(fold)
    sort_key = functools.lru_cache(maxsize=200_000)(name_sort_key)
    now = datetime.datetime.now(datetime.UTC)
    unit_weights = Weighted([(u.pk, 1.0 + (u.depth == 1) * 2) for u in units])

    insert_people = _row_writer(Person)
    first = Person.objects.count()
    # a database completed from `first` people draws on from another seed: the same seed would repeat
    # the first people's names, birth dates and units, and every one would have a double
    rng = random.Random(SEED + first)
    for start in range(first, people, CHUNK):
        rows = []
        for n in range(start, min(people, start + CHUNK)):
            gender = "female" if rng.random() < 0.48 else "male"
            fam, mid, giv = family(rng), middle[gender](rng), given[gender](rng)
            code = f"CB{n + 1:08d}"
            full = f"{fam} {mid} {giv}" if mid else f"{fam} {giv}"
            rows.append(
                {
                    "created_at": now,
                    "updated_at": now,
                    "code": code,
                    "family_name": fam,
                    "middle_name": mid,
                    "given_name": giv,
                    "full_name": full,
                    "gender": gender,
                    "birth_date": datetime.date(
                        1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28)
                    ),
                    "ethnicity": ethnicity(rng),
                    "current_unit_id": unit_weights(rng),
                    "direct_worker": rng.random() < 0.15,
                    "leader": rng.random() < 0.08,
                    "active": rng.random() < 0.93,
                    "search_text": " ".join([folded(fam), folded(mid), folded(giv), code.lower()]).replace(
                        "  ", " "
                    ),
                    "sort_key": sort_key(fam, mid, giv),
                }
            )
        with transaction.atomic():
            insert_people(rows)
        print(f"  {time.perf_counter() - started:7.1f}s people: {start + len(rows):,}/{people:,}", flush=True)

    person_ids, person_units = array.array("q"), array.array("q")  # 2 million tuples would take 200 MB
    for pk, unit_id in Person.objects.order_by("pk").values_list("pk", "current_unit_id").iterator(10_000):
        person_ids.append(pk)
        person_units.append(unit_id)
    insert_awards = _row_writer(AwardRecord)
    code_of = Weighted(AWARD_WEIGHTS)
    done = AwardRecord.objects.count()
    decision = done // DECISION_SIZE
    while done < awards:
        rows = []
        while len(rows) < CHUNK and done + len(rows) < awards:
            decision += 1
            year = 2000 + rng.randrange(26)
            code = code_of(rng)
            at = rng.randrange(len(person_ids))
            unit_id = person_units[at]
            decided = datetime.date(year + 1, 1 + rng.randrange(12), 1 + rng.randrange(28))
            number = f"{decision}/QĐ-{abbr.get(unit_id, 'BKTS')}"
            for k in range(min(DECISION_SIZE, awards - done - len(rows))):
                person_id = person_ids[(at + k) % len(person_ids)]
                person_unit = person_units[(at + k) % len(person_ids)]
                revoked = rng.random() < 0.001
                rows.append(
                    {
                        "created_at": now,
                        "updated_at": now,
                        "person_id": person_id,
                        "unit_id": person_unit,
                        "award_code": code,
                        "first_year": year,
                        "last_year": year,
                        "decision_number": number,
                        "decided_on": decided,
                        "signer": "Nguyễn Văn Ký",
                        "issuer_level": "ministry" if code in ("bang_khen_bo", "cstd_bo") else "",
                        "source": "imported",
                        "revoked": revoked,
                        "revoked_decision": f"{decision}/QĐ-HB" if revoked else "",
                        "revoked_on": decided + datetime.timedelta(days=400) if revoked else None,
                    }
                )
        with transaction.atomic():
            insert_awards(rows)
        done += len(rows)
        print(f"  {time.perf_counter() - started:7.1f}s awards: {done:,}/{awards:,}", flush=True)

    admin, _new = User.objects.get_or_create(
        username=ADMIN, defaults={"is_superuser": True, "full_name": "Quản trị"}
    )
    officer, new = User.objects.get_or_create(username=OFFICER, defaults={"full_name": "Cán bộ TĐKT Bộ"})
    if new:
        RoleAssignment.objects.create(user=officer, role="specialist", unit=root, include_subtree=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as after any bulk load
    return {"seconds": time.perf_counter() - started}


# ---------------------------------------------------------------------------------------------- measure


def timed(fn, repeat: int) -> tuple[float, object]:
    result = fn()  # warm-up
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def misspell(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = 1 + rng.randrange(len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]  # a letter dropped
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped
    return word[:i] + word[i] + word[i:]  # a letter doubled


def search_queries(n: int) -> list[tuple[str, int, str]]:
    """(query, person id it was made from, kind) for n people drawn evenly over the register."""
    from tdkt.core.text import fold
    from tdkt.org.models import Person

    rng = random.Random(SEED + 1)
    total = Person.objects.count()
    step = max(1, total // n)
    people = list(
        Person.objects.filter(pk__in=[1 + i * step for i in range(n)]).values_list(
            "pk", "family_name", "middle_name", "given_name", "full_name"
        )
    )
    queries = []
    for k, (pk, fam, mid, giv, full) in enumerate(people):
        kind = ("full", "folded", "partial", "reordered", "misspelled")[k % 5]
        if kind == "full":
            q = full
        elif kind == "folded":
            q = fold(full)
        elif kind == "partial":
            q = f"{fam} {giv}"
        elif kind == "reordered":
            q = " ".join(p for p in (giv, fam, mid) if p)
        else:
            words = fold(full).split()
            j = rng.randrange(len(words))
            words[j] = misspell(words[j], rng)
            q = " ".join(words)
        queries.append((q, pk, kind))
    return queries


def measure_search(n: int) -> dict | None:
    try:
        from tdkt.org.selectors import search
    except ImportError:
        na("search", "tdkt.org.selectors.search is not there yet")
        return None
    from tdkt.accounts.models import User

    user = User.objects.get(username=ADMIN)
    queries = search_queries(n)
    search(user, queries[0][0], limit=20)  # warm-up (vocabulary, caches)
    times, found = [], {}
    for q, pk, kind in queries:
        began = time.perf_counter()
        result = search(user, q, limit=20)
        times.append((time.perf_counter() - began) * 1000)
        hit = any(p.pk == pk for p in result.people)
        found.setdefault(kind, []).append(hit)
    print(f"search: {len(queries)} queries as the admin (the whole register)")
    print(f"  p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms, max {max(times):.1f} ms")
    for kind, hits in found.items():
        print(f"  {kind:<11} the person among the 20 results: {sum(hits)}/{len(hits)}")
    return {"p50": pct(times, 50), "p95": pct(times, 95)}


def page(client, url: str, repeat: int) -> tuple[float, int, int, float]:
    """(median ms, queries of the first request, status, ms of the first request) of a GET; the
    cache is emptied first, so the first request is a cold one (the dashboard's counts)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    first = (time.perf_counter() - began) * 1000
    queries = len(ctx.captured_queries)
    ms, _r = timed(lambda: client.get(url), repeat)
    return ms, queries, status, first


def measure_pages(repeat: int) -> dict:
    from django.db.models import Count
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from tdkt.accounts.models import User
    from tdkt.org.models import AwardRecord

    out: dict = {}
    officer = Client()
    officer.force_login(User.objects.get(username=OFFICER))

    def url(name: str, *args):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    most = (
        AwardRecord.objects.filter(person__isnull=False, person_id__lte=5000)
        .values("person_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    person_id, person_awards = (most["person_id"], most["n"]) if most else (1, 0)
    pages = {
        "register": url("awards:register"),
        "register_year": (url("awards:register") + "?year=2024") if url("awards:register") else None,
        "profile": url("org:person_timeline", person_id) or url("org:person_detail", person_id),
        "dashboard": url("core:dashboard"),
        "stats": url("reports:statistics"),
    }
    print(f"pages as {OFFICER} (specialist of the ministry), median of {repeat} after a warm-up:")
    for name, link in pages.items():
        if not link:
            na(f"  {name}", "page not built yet")
            continue
        ms, queries, status, first = page(officer, link, repeat)
        note = f" (person {person_id}, {person_awards} awards)" if name == "profile" else ""
        print(
            f"  {name:<14}{ms:>9.1f} ms {queries:>4} queries  first {first:>8.1f} ms  {status}  {link}{note}"
        )
        if status == 200:
            out[name] = (ms, queries)
    return out


def award_list_file(rows: int) -> bytes:
    """A legacy list of `rows` awards of people already in the register, as units send them: name,
    birth date, unit, award, decision number and date, year."""
    from collections import Counter

    import xlsxwriter

    from tdkt.org.models import Person, Unit

    people = list(
        Person.objects.order_by("pk")
        .select_related("current_unit")
        .only("full_name", "birth_date", "current_unit__name", "current_unit__code")[: max(1, rows // 2)]
    )
    # a unit is named as units name themselves; where two units share a name ("Văn phòng" of every
    # department) the list gives the unit's code, or every row would wait for a person's review
    names = Counter(Unit.objects.values_list("name", flat=True))
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(
        0,
        0,
        ["STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Danh hiệu", "Số quyết định", "Ngày quyết định", "Năm"],
    )
    labels = {"ldtt": "Lao động tiên tiến", "cstd_co_so": "Chiến sĩ thi đua cơ sở"}
    codes = list(labels)
    for r in range(rows):
        p = people[r % len(people)]
        code = codes[r // len(people) % 2]
        year = 1990 + r // len(people) // 2
        sheet.write_row(
            r + 1,
            0,
            [
                r + 1,
                p.full_name,
                p.birth_date.strftime("%d/%m/%Y") if p.birth_date else "",
                p.current_unit.name if names[p.current_unit.name] == 1 else p.current_unit.code,
                labels[code],
                f"{9000 + r // 500}/QĐ-CU",
                f"15/01/{year + 1}",
                year,
            ],
        )
    book.close()
    return out.getvalue()


def summarise() -> None:
    """The statistics page reads the yearly summary that the periodic job keeps (reports.tally, every
    10 minutes): computed here for the years that lack it, as that job would, so the page is measured
    with its figures and not as the empty page of a summary never computed."""
    from tdkt.reports.services import refresh_stale

    began = time.perf_counter()
    years = refresh_stale()
    if years:
        print(
            f"statistics summary: {len(years)} years computed in {time.perf_counter() - began:.1f} s",
            flush=True,
        )


def measure_import(rows: int) -> dict | None:
    try:
        from tdkt.awards.legacy import import_award_list
    except ImportError:
        na("import", "tdkt.awards.legacy.import_award_list is not there yet")
        return None
    from django.db import transaction
    from python_calamine import CalamineWorkbook

    from tdkt.accounts.models import User

    data = award_list_file(rows)
    began = time.perf_counter()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    read_rows = len(book.get_sheet_by_index(0).to_python())
    read_s = time.perf_counter() - began
    actor = User.objects.get(username=OFFICER)
    began = time.perf_counter()
    with transaction.atomic():
        result = import_award_list(actor=actor, data=data, filename="danh-sach-khen-thuong.xlsx")
        import_s = time.perf_counter() - began
        transaction.set_rollback(True)  # the database stays as built, for the next run
    summary = {k: v for k, v in (result or {}).items() if isinstance(v, int | str)}
    if not summary.get("created"):
        print(f"  warning: the import wrote nothing ({summary}): the figure is not an import's", flush=True)
    print(f"import: {rows:,} rows ({len(data) / 1e6:.1f} MB .xlsx)")
    print(f"  read with python-calamine: {read_s:.2f} s ({read_rows:,} rows)")
    print(f"  import_award_list:         {import_s:.2f} s -> {summary}")
    return {"read_s": read_s, "import_s": import_s}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=2_000_000)
    parser.add_argument("--awards", type=int, default=20_000_000)
    parser.add_argument("--db", default=None, help="sqlite (a temporary file) or a DATABASE_URL")
    parser.add_argument("--data-dir", default=None, help="reuse this TDKT_DATA_DIR (SQLite) between runs")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=100_000)
    args = parser.parse_args()
    setup(args)

    from django.db import connection

    from tdkt.org.models import AwardRecord, Person

    have, have_awards = Person.objects.count(), AwardRecord.objects.count()
    if have >= args.people and have_awards >= args.awards:
        print(f"reusing the database: {have:,} people, {have_awards:,} awards", flush=True)
    else:
        info = build(args.people, args.awards)
        print(
            f"built {args.people:,} people and {args.awards:,} awards in {info['seconds']:.1f} s", flush=True
        )
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    summarise()

    found = measure_search(args.queries)
    pages = measure_pages(args.repeat)
    imported = measure_import(args.import_rows) if args.import_rows else None

    def fmt(value, spec=".1f"):
        return "n/a" if value is None else format(value, spec)

    profile = pages.get("profile")
    register = pages.get("register")
    print(
        f"RESULT search_p95_ms={fmt(found and found['p95'])} profile_ms={fmt(profile and profile[0])} "
        f"profile_queries={fmt(profile and profile[1], 'd')} "
        f"dashboard_ms={fmt(pages.get('dashboard') and pages['dashboard'][0])} "
        f"import_over_read={fmt(imported and imported['import_s'] / imported['read_s'], '.2f')} "
        f"register_ms={fmt(register and register[0])} register_queries={fmt(register and register[1], 'd')} "
        f"stats_ms={fmt(pages.get('stats') and pages['stats'][0])}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
