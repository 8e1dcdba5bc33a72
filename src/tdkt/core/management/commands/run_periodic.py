"""`tdkt run_periodic [--list]`: run the periodic jobs that are due, once (cron-style deployments).

Safe to run from cron on several machines while `tdkt worker`s run too: each job is claimed in the
database before it runs (core.periodic), so it runs once per period whoever calls.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tdkt.core.models import PeriodicRun
from tdkt.core.periodic import registered, run_due


class Command(BaseCommand):
    help = "Chạy một lần các việc định kỳ đã đến hạn (nhắc hạn, gửi lại thư thông báo, ...)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list",
            action="store_true",
            dest="show",
            help="chỉ liệt kê các việc định kỳ, chu kỳ và lần chạy cuối",
        )

    def handle(self, *args, show: bool = False, **options):
        if show:
            last = dict(PeriodicRun.objects.values_list("name", "last_run_at"))
            for name, job in sorted(registered().items()):
                at = last.get(name)
                self.stdout.write(f"{name}\t{job.every}\t{at.isoformat() if at else '-'}")
            return
        ran = run_due()
        if options["verbosity"] >= 1:
            self.stdout.write(", ".join(ran) if ran else "-")
