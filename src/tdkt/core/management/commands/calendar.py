"""`tdkt calendar workdays FROM TO` and `tdkt calendar year YYYY`: check the legal clock's calendar.

`workdays` prints only the number of working days after FROM up to and including TO (dates as
YYYY-MM-DD), so that anyone can check a count; `year` lists the year's days off and make-up days with
their sources. A bad date stops with a message in Vietnamese and exit status 2.
"""

from __future__ import annotations

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from tdkt.core import calendar
from tdkt.core.text import is_digits

KIND_LABELS = {
    "holiday": "nghỉ lễ, Tết",
    "swap_off": "nghỉ hoán đổi",
    "makeup": "làm bù",
    "workday": "làm việc (sửa dữ liệu)",
}


def _date(text: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{name}: ngày không hợp lệ {text!r}; nhập theo dạng YYYY-MM-DD, ví dụ 2025-09-02.", returncode=2
        ) from None


class Command(BaseCommand):
    help = "Lịch làm việc: đếm ngày làm việc giữa hai ngày, hoặc liệt kê ngày nghỉ, ngày làm bù của một năm."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        workdays = sub.add_parser(
            "workdays", help="số ngày làm việc sau FROM đến hết TO (ngày dạng YYYY-MM-DD)"
        )
        workdays.add_argument("start", metavar="FROM")
        workdays.add_argument("end", metavar="TO")
        year = sub.add_parser("year", help="các ngày nghỉ lễ, Tết, nghỉ hoán đổi và làm bù của năm YYYY")
        year.add_argument("year", metavar="YYYY")

    def run_from_argv(self, argv):
        self._from_argv = True
        super().run_from_argv(argv)

    def execute(self, *args, **options):
        # on the command line a bad date is the user's mistake, not a crash: the message in Vietnamese
        # alone, exit status 2 (call_command still raises CommandError)
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not getattr(self, "_from_argv", False) or options.get("traceback"):
                raise
            self.stderr.write(f"Lỗi: {exc}")
            sys.exit(exc.returncode)

    def handle(self, *args, action: str, **options):
        if action == "workdays":
            start = _date(options["start"], "FROM")
            end = _date(options["end"], "TO")
            self.stdout.write(str(calendar.workdays_between(start, end)))
            return
        text = options["year"]
        if not (is_digits(text) and len(text) == 4 and calendar.YEARS[0] <= int(text) <= calendar.YEARS[1]):
            raise CommandError(f"YYYY: năm không hợp lệ {text!r}; ví dụ 2025.", returncode=2)
        for day in calendar.calendar_year(int(text)):
            label = KIND_LABELS.get(day.kind, day.kind)
            self.stdout.write(f"{day.day.isoformat()}\t{label}\t{day.note}\t{day.source}")
