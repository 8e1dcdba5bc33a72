"""`tdkt eligibility check CASE.json` and `tdkt eligibility run --year Y [--unit CODE] [--format ...]`."""

from __future__ import annotations

import csv
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from tdkt.core.errors import ServiceError
from tdkt.org.models import Unit
from tdkt.rulebook.engine.cli import check_main
from tdkt.rulebook.engine.codes import AWARD_VI
from tdkt.rulebook.services import run_in_process

HEADER = ["subject_kind", "subject_code", "name", "unit", "award", "verdict", "failing"]


class Command(BaseCommand):
    help = "Xét tiêu chuẩn danh hiệu, hình thức khen thưởng: một hồ sơ (check) hoặc cả đơn vị (run)."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="in kết quả xét một hồ sơ JSON (định dạng eligibility-cases.md)")
        check.add_argument("case", help="tệp JSON của hồ sơ")
        run = sub.add_parser("run", help="xét mọi cá nhân, tập thể của một đơn vị và các đơn vị trực thuộc")
        run.add_argument("--year", type=int, required=True, help="năm thành tích")
        run.add_argument("--unit", default=None, help="mã đơn vị (mặc định: đơn vị gốc)")
        run.add_argument("--format", choices=["csv", "json", "table"], default="table")
        run.add_argument("--no-forecast", action="store_true", help="không tính năm dự kiến đạt (nhanh hơn)")

    def handle(self, *args, **options):
        if options["action"] == "check":
            # The engine's exit status is the contract (0 any verdict, 2 malformed case).
            status = check_main(options["case"], self.stdout, self.stderr)
            self.stdout.flush()
            if status:
                sys.exit(status)
            return
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã {options['unit']}")

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{done}/{total}", ending="")

        try:
            run = run_in_process(
                actor=None,
                unit=unit,
                year=options["year"],
                with_forecast=not options["no_forecast"],
                progress=progress,
            )
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write("")
        rows = self._rows(run)
        fmt = options["format"]
        if fmt == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(rows)
        elif fmt == "json":
            keys = HEADER
            self.stdout.write(
                json.dumps([dict(zip(keys, r, strict=True)) for r in rows], ensure_ascii=False, indent=1)
            )
        else:
            for r in rows:
                self.stdout.write(
                    f"{r[1]:<12} {r[2][:30]:<30} {r[3][:24]:<24} {AWARD_VI.get(r[4], r[4])[:40]:<40} "
                    f"{r[5]:<13} {r[6][:80]}"
                )
        self.stderr.write(
            f"Đã xét {run.people_count} cá nhân, {run.collective_count} tập thể: {run.result_count} kết quả, "
            f"{run.eligible_count} đủ tiêu chuẩn."
        )

    def _rows(self, run):
        qs = run.results.select_related("person", "collective", "unit").order_by("unit__path", "id")
        for r in qs.iterator(chunk_size=2000):
            if r.person_id:
                kind, code, name = "individual", r.person.code, r.person.full_name
            else:
                kind, code, name = "collective", r.collective.code, r.collective.name
            yield [kind, code, name, r.unit.code, r.award_code, r.verdict, r.failing]
