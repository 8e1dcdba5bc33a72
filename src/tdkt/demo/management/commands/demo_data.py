"""`tdkt demo_data [--people N] [--seed S] [--flush]`: load the deterministic demo data."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tdkt.demo.generator import (
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    database_is_empty,
    demo_logins,
    generate,
)


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (cùng --seed và --people cho cùng một dữ liệu) vào cơ sở dữ liệu trống."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="số cán bộ (mặc định 3000)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="hạt giống ngẫu nhiên")
        parser.add_argument(
            "--flush", action="store_true", help="xoá TOÀN BỘ dữ liệu hiện có (cả tài khoản) rồi nạp lại"
        )

    def handle(self, *args, **options):
        people = options["people"]
        if people < 1:
            raise CommandError("Số cán bộ (--people) phải là số nguyên dương.")
        if not database_is_empty():
            if not options["flush"]:
                raise CommandError(
                    "Cơ sở dữ liệu đã có dữ liệu; không nạp dữ liệu mẫu chồng lên. "
                    "Dùng --flush để xoá toàn bộ dữ liệu rồi nạp lại."
                )
            call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        counts = generate(
            people=people, seed=options["seed"], progress=lambda msg: self.stdout.write("  " + msg)
        )
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{name}: {n:,}".replace(",", ".") for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu mẫu trong {elapsed:.1f} giây ({summary})."))
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu '{DEMO_PASSWORD}'):")
        for username, role, unit in demo_logins():
            self.stdout.write(f"  {username:<12} {role:<32} {unit}")
