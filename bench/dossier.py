"""The gate of a proposal dossier (dossiers/gate.py) at size: 500 nominations checked before sending.

    .venv/bin/python bench/dossier.py [--nominations 500] [--small 50] [--repeat 7] [--db sqlite|postgres://...]

Sets up its own data (SQLite in a temporary TDKT_DATA_DIR, or the DATABASE_URL given with --db or in the
environment; a PostgreSQL database that does not exist is created; every run adds its own unit and
people, so a database can be reused), bulk-created: a ministry and a department, N people each eligible
for Bằng khen của Bộ trưởng in 2025 (six years of ratings, 2024 and 2025 'hoàn thành xuất sắc', two
initiatives recognised at the unit's level), a dossier of the department nominating all of them with its
checklist (the papers of the rulebook), every achievement report confirmed and the minutes uploaded; and a
second dossier of --small other people, to compare the query counts.
Measured:
  gate     tdkt.dossiers.gate.run_gate(dossier) on the N nominations: median of --repeat runs after a
           warm-up, and its queries (CaptureQueriesContext);
  engine   the engine alone for the same N verdicts, the way gate._eligibility does it: the agency's
           settings, tdkt.rulebook.adapters.iter_people_facts + tdkt.rulebook.engine.evaluate_many for
           the same people and award code (median of --repeat after a warm-up);
  queries  the gate's queries at --small nominations and at N: the same number when the gate's cost in
           queries does not grow with the nominations (the statements that repeat are printed if not).
Last line:
  RESULT gate_ms=<ms> gate_queries=<n> gate_over_engine=<x>
"""

from __future__ import annotations

import argparse
import atexit
import datetime
import os
import random
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
YEAR = 2025
AWARD = "bang_khen_bo"


def setup(args) -> str:
    db = args.db or os.environ.get("DATABASE_URL") or "sqlite"
    if db != "sqlite":
        os.environ["DATABASE_URL"] = db
        ensure_postgres_database(db)
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["TDKT_DATA_DIR"] = data_dir = tempfile.mkdtemp(prefix="tdkt-bench-dossier-")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)  # a throwaway database
    os.environ.setdefault("TDKT_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tdkt.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    return connection.vendor


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", flush=True)


def build_people(unit, n: int, run: str, start: int, rng: random.Random) -> list:
    """N people of `unit`, each eligible for Bằng khen của Bộ trưởng in YEAR."""
    from tdkt.demo.draws import draw_name
    from tdkt.org.models import Evaluation, Initiative, Person
    from tdkt.org.services import fill_person_derived

    born = datetime.date(1968, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
    people = []
    for i in range(start, start + n):
        family, middle, given, gender = draw_name(rng)
        people.append(
            fill_person_derived(
                Person(
                    code=f"BD{run}-{i:04d}",
                    family_name=family,
                    middle_name=middle,
                    given_name=given,
                    gender=gender,
                    birth_date=born + datetime.timedelta(days=7 * i),  # no two alike: no identity finding
                    id_number=f"{int(run, 16) % 10**6:06d}{i:06d}",
                    position="Chuyên viên",
                    current_unit=unit,
                    joined=datetime.date(2012, 9, 1),
                )
            )
        )
    Person.objects.bulk_create(people, batch_size=500)
    people = list(Person.objects.filter(code__startswith=f"BD{run}-").order_by("code")[start : start + n])
    Evaluation.objects.bulk_create(
        (
            Evaluation(
                person=p, unit=unit, year=y, rating="htxs" if y >= YEAR - 1 else "htt", months_worked=12
            )
            for p in people
            for y in range(YEAR - 5, YEAR + 1)
        ),
        batch_size=1000,
    )
    Initiative.objects.bulk_create(
        (
            Initiative(
                person=p,
                unit=unit,
                year=y,
                title=f"Giải pháp số hóa quy trình nghiệp vụ {k + 1} tại {unit.name}",
                scope="co_so",
                recognised_on=datetime.date(y, 11, 20),
                decision_number=f"{30 + k}/QĐ-{run}",
            )
            for p in people
            for k, y in enumerate((YEAR - 1, YEAR))
        ),
        batch_size=1000,
    )
    return people


def build_dossier(unit, people: list, title: str):
    """A dossier of `unit` nominating `people`, ready to send: the rulebook's checklist, every report
    confirmed by the head, the minutes uploaded."""
    from django.db.models import Q
    from django.utils import timezone

    from tdkt.dossiers import components as checklist
    from tdkt.dossiers.enums import ComponentStatus, ReportStatus
    from tdkt.dossiers.models import AchievementReport, Component, Dossier, Nomination

    dossier = Dossier.objects.create(
        unit=unit, level="ministry", year=YEAR, title=title, holder=unit, holder_label=unit.name
    )
    Nomination.objects.bulk_create(
        (
            Nomination(
                dossier=dossier,
                person=p,
                unit=unit,
                award_code=AWARD,
                first_year=YEAR,
                last_year=YEAR,
                verdict="eligible",
                sort_key=p.sort_key,
            )
            for p in people
        ),
        batch_size=500,
    )
    checklist.sync_components(dossier)
    now = timezone.now()
    AchievementReport.objects.bulk_create(
        (
            AchievementReport(
                nomination=n,
                sections={"achievements": "Hoàn thành xuất sắc nhiệm vụ năm 2025."},
                status=ReportStatus.CONFIRMED,
                confirmed_at=now,
            )
            for n in dossier.nominations.all()
        ),
        batch_size=500,
    )
    # the unit council's signed minutes and any paper the system does not draft: uploaded
    Component.objects.filter(dossier=dossier).filter(Q(code="bien_ban") | Q(generated=False)).update(
        status=ComponentStatus.READY
    )
    return dossier


def build(n: int, small: int, run: str):
    from django.db import transaction

    from tdkt.org.models import Unit
    from tdkt.org.services import fill_unit_path

    rng = random.Random(int(run, 16))
    t0 = time.perf_counter()
    with transaction.atomic():
        root = Unit.objects.create(code=f"BO-{run}", name=f"Bộ thử tải {run}", kind="ministry")
        fill_unit_path(root)
        root.save(update_fields=["path", "depth"])
        unit = Unit.objects.create(
            code=f"VU-{run}", name="Vụ Kế hoạch – Tài chính", kind="department", parent=root
        )
        fill_unit_path(unit)
        unit.save(update_fields=["path", "depth"])
        big_people = build_people(unit, n, run, 0, rng)
        small_people = build_people(unit, small, run, n, rng)
        big = build_dossier(
            unit, big_people, f"Đề nghị tặng Bằng khen của Bộ trưởng năm {YEAR} ({n} cá nhân)"
        )
        little = build_dossier(
            unit, small_people, f"Đề nghị tặng Bằng khen của Bộ trưởng năm {YEAR} ({small})"
        )
    print(f"setup: {n} + {small} people, two dossiers in {time.perf_counter() - t0:.1f} s", flush=True)
    return big, little


def median_ms(fn, repeat: int) -> tuple[float, object]:
    out = fn()  # warm-up (caches, the rulebook, the database's pages)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out


def gate_queries(dossier) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tdkt.dossiers.gate import run_gate
    from tdkt.dossiers.models import Dossier

    fresh = Dossier.objects.get(pk=dossier.pk)
    with CaptureQueriesContext(connection) as ctx:
        run_gate(fresh)
    return [q["sql"] for q in ctx.captured_queries]


def shape(sql: str) -> str:
    """A statement without its values, to see which ones repeat."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\(\?(, \?)*\)", "(…)", sql)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nominations", type=int, default=500)
    parser.add_argument("--small", type=int, default=50, help="nominations of the dossier compared")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--db", default=None, help="sqlite (a temporary file) or a DATABASE_URL")
    args = parser.parse_args()
    vendor = setup(args)
    run = secrets.token_hex(3)
    big, little = build(args.nominations, args.small, run)

    from tdkt.dossiers.gate import run_gate
    from tdkt.dossiers.models import Dossier
    from tdkt.rulebook import services as rulebook
    from tdkt.rulebook.adapters import iter_people_facts
    from tdkt.rulebook.engine import evaluate_many

    def gate():
        return run_gate(Dossier.objects.get(pk=big.pk))

    people = sorted(big.nominations.values_list("person_id", flat=True))

    def engine():
        overrides = rulebook.agency_overrides()
        facts = {}
        for chunk in iter_people_facts(YEAR, person_ids=people):
            facts.update({row.id: f for row, f in chunk})
        return {pid: evaluate_many(facts[pid], [AWARD], YEAR, overrides=overrides) for pid in people}

    gate_ms, result = median_ms(gate, args.repeat)
    engine_ms, verdicts = median_ms(engine, args.repeat)
    eligible = sum(1 for v in verdicts.values() if v[AWARD].verdict == "eligible")
    big_sql, small_sql = gate_queries(big), gate_queries(little)
    print(f"database: {vendor}", flush=True)
    print(
        f"gate    {len(people)} nominations: {gate_ms:.1f} ms (median of {args.repeat}), "
        f"{len(result.findings)} findings, {'ok' if result.ok else 'blocked'}"
    )
    print(f"engine  {len(verdicts)} verdicts: {engine_ms:.1f} ms, {eligible} eligible")
    print(f"queries gate at {args.small} nominations: {len(small_sql)}; at {len(people)}: {len(big_sql)}")
    if len(small_sql) != len(big_sql):
        print("the query count grows with the nominations; statements that repeat at the larger size:")
        for sql, times in Counter(shape(s) for s in big_sql).most_common():
            if times > 1:
                print(f"  {times} x {sql[:300]}")
    print(
        f"RESULT gate_ms={gate_ms:.1f} gate_queries={len(big_sql)} gate_over_engine={gate_ms / engine_ms:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
