"""`tdkt reports_refresh [--year Y ...] [--stale]`: recompute the yearly summary of the award register."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from tdkt.reports import services


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp khen thưởng theo năm (trang thống kê, biểu mẫu báo cáo)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="chỉ tính lại năm này (lặp lại được)")
        parser.add_argument("--stale", action="store_true", help="chỉ các năm có hồ sơ thay đổi")

    def handle(self, *args, year=None, stale=False, **options):
        started = time.monotonic()
        if stale:
            years = services.refresh_stale()
        else:
            years = services.tally_refresh(years=year)
        took = time.monotonic() - started
        self.stdout.write(
            f"{len(years)} năm đã tính lại ({', '.join(map(str, years)) or '—'}) trong {took:.1f} s"
        )
