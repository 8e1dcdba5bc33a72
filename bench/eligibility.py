"""Batch eligibility against a naive per-person ORM loop and a bare read of the same history rows.

    .venv/bin/python bench/eligibility.py [--people 100000] [--sample 2000] [--year 2024] [--write]

Generates N people with 10 years of history (ratings, titles, awards, initiatives, discipline, leave) in a
temporary SQLite database (or DATABASE_URL), then measures in one run:
  batch  the set-based batch (bulk reads in chunks of 2,000 → facts → engine, every relevant award code),
         without writing results (with --write, also the delete + bulk_create of results, shown apart);
  naive  a per-person ORM loop (five queries and model instances per person, same facts and engine) over
         a sample, scaled up to N;
  bare   the same bulk queries as the batch, iterating the rows, no facts and no engine.
Forecasts are not computed in any of the three (the batch stores them only when asked).
Last line: RESULT batch_s=… naive_s=… bare_s=… speedup_vs_naive=… overhead_vs_bare=…
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

YEARS = range(2015, 2025)


def setup(args) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["TDKT_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="tdkt-bench-elig-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def generate(n: int, seed: int = 7) -> None:
    from django.db import transaction

    from tdkt.org.models import (
        AwardRecord,
        Collective,
        Discipline,
        Evaluation,
        Initiative,
        Leave,
        Person,
        Unit,
    )
    from tdkt.org.services import fill_person_derived, fill_unit_path

    if Person.objects.count() >= n:
        print(f"reusing {Person.objects.count()} people", flush=True)
        return
    rnd = random.Random(seed)
    t0 = time.perf_counter()
    with transaction.atomic():
        root = Unit.objects.create(code="BO", name="Bộ", kind="ministry")
        fill_unit_path(root)
        root.save()
        units = []
        for d in range(20):
            dept = Unit.objects.create(code=f"D{d}", name=f"Vụ {d}", kind="department", parent=root)
            fill_unit_path(dept)
            dept.save()
            units.append(dept)
            for s in range(4):
                sub = Unit.objects.create(
                    code=f"D{d}S{s}", name=f"Phòng {s} Vụ {d}", kind="subunit", parent=dept
                )
                fill_unit_path(sub)
                sub.save()
                units.append(sub)
        Collective.objects.bulk_create(
            Collective(unit=u, kind="unit", code=f"TT-{u.code}", name=f"Tập thể {u.name}") for u in units
        )
        given = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Minh", "Nga", "Phúc", "Quang", "Thảo", "Vy"]
        family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
        leaves = [u for u in units if u.kind == "subunit"]
        batch = []
        for i in range(n):
            p = Person(
                code=f"P{i:07d}",
                family_name=rnd.choice(family),
                middle_name="Văn",
                given_name=rnd.choice(given),
                gender="male",
                current_unit=rnd.choice(leaves),
                joined=datetime.date(2005 + rnd.randrange(10), 1, 1),
                employment="civil_servant",
            )
            batch.append(fill_person_derived(p))
        Person.objects.bulk_create(batch, batch_size=5000)
        people = list(Person.objects.values_list("id", "current_unit_id"))
        evals, awards, inits, discs, lvs = [], [], [], [], []
        for pid, unit_id in people:
            for y in YEARS:
                rating = rnd.choices(["htxs", "htt", "ht", "kht"], [20, 60, 17, 3])[0]
                evals.append(
                    Evaluation(person_id=pid, unit_id=unit_id, year=y, rating=rating, months_worked=12)
                )
                if rating in ("htxs", "htt"):
                    awards.append(
                        AwardRecord(
                            person_id=pid,
                            unit_id=unit_id,
                            award_code="ldtt",
                            first_year=y,
                            last_year=y,
                            decision_number=f"L{y}",
                            decided_on=datetime.date(y + 1, 2, 1),
                        )
                    )
                if rating == "htxs" and rnd.random() < 0.6:
                    awards.append(
                        AwardRecord(
                            person_id=pid,
                            unit_id=unit_id,
                            award_code="cstd_co_so",
                            first_year=y,
                            last_year=y,
                            decision_number=f"C{y}",
                            decided_on=datetime.date(y + 1, 2, 1),
                            ground="htxs",
                        )
                    )
                if rnd.random() < 0.05:
                    awards.append(
                        AwardRecord(
                            person_id=pid,
                            unit_id=unit_id,
                            award_code="bang_khen_bo",
                            first_year=y - 1,
                            last_year=y,
                            decision_number=f"B{y}",
                            decided_on=datetime.date(y + 1, 4, 1),
                            issuer_level="ministry",
                        )
                    )
                if rnd.random() < 0.12:
                    inits.append(
                        Initiative(
                            person_id=pid,
                            unit_id=unit_id,
                            year=y,
                            title="Sáng kiến",
                            scope=rnd.choice(["co_so", "co_so", "bo"]),
                            recognised_on=datetime.date(y, 11, 1),
                        )
                    )
                if rnd.random() < 0.01:
                    discs.append(
                        Discipline(
                            person_id=pid,
                            unit_id=unit_id,
                            year=y,
                            form="khien_trach",
                            decided_on=datetime.date(y, 6, 1),
                        )
                    )
                if rnd.random() < 0.02:
                    lvs.append(
                        Leave(
                            person_id=pid,
                            unit_id=unit_id,
                            year=y,
                            kind="maternity",
                            start=datetime.date(y, 3, 1),
                            end=datetime.date(y, 8, 27),
                        )
                    )
            if len(evals) > 50_000:
                _flush(evals, awards, inits, discs, lvs)
        _flush(evals, awards, inits, discs, lvs)
        colls = list(Collective.objects.values_list("id", "unit_id"))
        Evaluation.objects.bulk_create(
            Evaluation(collective_id=cid, unit_id=uid, year=y, rating=rnd.choice(["htxs", "htt"]))
            for cid, uid in colls
            for y in YEARS
        )
    print(f"generated {n} people × {len(YEARS)} years in {time.perf_counter() - t0:.1f}s", flush=True)


def _flush(*lists) -> None:
    for items in lists:
        if items:
            type(items[0]).objects.bulk_create(items, batch_size=5000)
            items.clear()


def time_batch(year: int) -> tuple[float, int]:
    from tdkt.rulebook.services import evaluate_subtree

    t0 = time.perf_counter()
    verdicts = 0
    for chunk in evaluate_subtree(year, unit=None):
        for _row, by_code in chunk:
            verdicts += len(by_code)
    return time.perf_counter() - t0, verdicts


def time_write(year: int) -> float:
    from tdkt.org.models import Unit
    from tdkt.rulebook.services import run_in_process

    t0 = time.perf_counter()
    run_in_process(actor=None, unit=Unit.objects.get(code="BO"), year=year, with_forecast=False)
    return time.perf_counter() - t0


def time_bare(year: int) -> float:
    """The batch's own bulk queries, rows iterated, nothing built."""
    from django.db.models import Q

    from tdkt.org.models import AwardRecord, Discipline, Evaluation, Initiative, Leave, Person
    from tdkt.rulebook.adapters import PERSON_COLUMNS

    t0 = time.perf_counter()
    last = 0
    n = 0
    upto = Q(year__lte=year)
    while True:
        rows = list(
            Person.objects.filter(active=True, pk__gt=last).order_by("pk").values_list(*PERSON_COLUMNS)[:2000]
        )
        if not rows:
            break
        last = rows[-1][0]
        ids = [r[0] for r in rows]
        for qs in (
            Evaluation.objects.filter(upto, person_id__in=ids).values_list(
                "person_id", "year", "rating", "months_worked"
            ),
            Leave.objects.filter(upto, person_id__in=ids).values_list(
                "person_id", "year", "kind", "start", "end"
            ),
            Discipline.objects.filter(upto, person_id__in=ids).values_list(
                "person_id", "year", "form", "decided_on", "admin_sanction"
            ),
            Initiative.objects.filter(upto, person_id__in=ids).values_list(
                "person_id", "year", "kind", "scope", "recognised_on", "used_for"
            ),
            AwardRecord.objects.filter(person_id__in=ids, last_year__lte=year).values_list(
                "person_id",
                "award_code",
                "first_year",
                "last_year",
                "decided_on",
                "basis",
                "issuer_level",
                "ground",
                "revoked",
            ),
        ):
            for _row in qs.order_by():
                n += 1
    return time.perf_counter() - t0


def time_naive(year: int, sample: int, seed: int = 11) -> tuple[float, int]:
    """Per person: five ORM queries returning model instances, facts built, the same engine calls."""
    from tdkt.org.models import AwardRecord, Discipline, Evaluation, Initiative, Leave, Person
    from tdkt.rulebook.engine import Award, SubjectFacts, Title, YearFacts, evaluate_many, load_rulebooks
    from tdkt.rulebook.engine import Discipline as DFact
    from tdkt.rulebook.engine import Initiative as IFact
    from tdkt.rulebook.engine import Leave as LFact
    from tdkt.rulebook.engine.codes import TITLE_CODES
    from tdkt.rulebook.services import agency_overrides, codes_for

    ids = list(Person.objects.values_list("id", flat=True))
    chosen = random.Random(seed).sample(ids, min(sample, len(ids)))
    books = load_rulebooks()
    codes = codes_for("individual", year)
    t0 = time.perf_counter()
    for pid in chosen:
        p = Person.objects.get(pk=pid)
        years: dict[int, dict] = {}

        def slot(y, years=years):
            return years.setdefault(
                y,
                {
                    "rating": None,
                    "months": None,
                    "leave": [],
                    "discipline": [],
                    "titles": [],
                    "awards": [],
                    "initiatives": [],
                },
            )

        for e in Evaluation.objects.filter(person=p, year__lte=year):
            s = slot(e.year)
            s["rating"], s["months"] = e.rating, e.months_worked
        for lv in Leave.objects.filter(person=p, year__lte=year):
            slot(lv.year)["leave"].append(LFact(lv.kind, lv.days))
        for d in Discipline.objects.filter(person=p, year__lte=year):
            slot(d.year)["discipline"].append(
                DFact(form=d.form, date=d.decided_on, admin_sanction=d.admin_sanction)
            )
        for i in Initiative.objects.filter(person=p, year__lte=year):
            slot(i.year)["initiatives"].append(
                IFact(
                    kind=i.kind, scope=i.scope or None, recognised=i.recognised, used_for=i.used_for or None
                )
            )
        for a in AwardRecord.objects.filter(person=p, last_year__lte=year):
            s = slot(a.last_year)
            if a.award_code in TITLE_CODES:
                if not a.revoked:
                    s["titles"].append(Title(a.award_code, a.decided_on, a.ground or None))
            else:
                s["awards"].append(
                    Award(
                        a.award_code,
                        a.basis or None,
                        a.issuer_level or None,
                        a.decided_on,
                        (a.first_year, a.last_year),
                        a.revoked,
                    )
                )
        facts = SubjectFacts(
            kind="individual",
            name=p.full_name,
            employment=p.employment,
            direct_worker=p.direct_worker,
            leader=p.leader,
            joined=p.joined,
            years={
                y: YearFacts(
                    rating=s["rating"],
                    months_worked=s["months"],
                    leave=tuple(s["leave"]),
                    discipline=tuple(s["discipline"]),
                    titles=tuple(s["titles"]),
                    awards=tuple(s["awards"]),
                    initiatives=tuple(s["initiatives"]),
                )
                for y, s in years.items()
            },
        )
        evaluate_many(facts, codes, year, overrides=agency_overrides(), rulebooks=books)
    return time.perf_counter() - t0, len(chosen)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2000, help="people timed in the naive loop")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--data-dir", default=None, help="reuse a generated SQLite database")
    parser.add_argument("--write", action="store_true", help="also time the batch with its DB write")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the batch (top 25 by cumulative time)"
    )
    args = parser.parse_args()
    setup(args)
    generate(args.people)
    from django.db import connection

    from tdkt.org.models import Person
    from tdkt.rulebook.engine import load_rulebooks

    load_rulebooks()
    n = Person.objects.count()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; people: {n}", flush=True)
    bare_s = time_bare(args.year)
    print(f"bare read of history rows:        {bare_s:8.2f} s", flush=True)
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    batch_s, verdicts = time_batch(args.year)
    if args.profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    print(f"batch (no DB write, {verdicts} verdicts): {batch_s:8.2f} s", flush=True)
    naive_sample_s, sample = time_naive(args.year, args.sample)
    naive_s = naive_sample_s * n / sample
    print(
        f"naive ORM loop: {naive_sample_s:.2f} s for {sample} people → {naive_s:.2f} s scaled to {n}",
        flush=True,
    )
    if args.write:
        print(f"batch with DB write of results:   {time_write(args.year):8.2f} s", flush=True)
    print(
        f"RESULT batch_s={batch_s:.2f} naive_s={naive_s:.2f} bare_s={bare_s:.2f} "
        f"speedup_vs_naive={naive_s / batch_s:.1f} overhead_vs_bare={batch_s / bare_s:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
