"""`tdkt councils_vacuum [--full]`: after a ballot closes, remove the traces of the vote that the database
keeps below the tables (docs/decisions/0006-secret-ballot.md): old row versions of the counters and of the
receipts, and the page images of the write-ahead log.

- PostgreSQL: VACUUM of the counters and receipts (the dead versions, whose transaction ids match each
  voter's receipt and audit event, are removed); --full rewrites the tables into new files (VACUUM FULL,
  an exclusive lock: run it when no ballot is open). WAL segments already archived, replicas and backups
  are not touched: see the decision record.
- SQLite: checkpoint and truncate the WAL file, VACUUM (the database file is rebuilt without its free
  pages), then truncate the WAL again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tdkt.councils.models import BallotReceipt, BallotTally


class Command(BaseCommand):
    help = "Dọn dấu vết của các lần bỏ phiếu trong cơ sở dữ liệu (chạy sau khi đóng phiếu)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="PostgreSQL: VACUUM FULL (ghi lại bảng, khóa bảng trong lúc chạy; chỉ chạy khi không có "
            "phiếu mở)",
        )

    def handle(self, *args, full: bool = False, **options):
        if connection.in_atomic_block:
            raise CommandError("Không chạy được trong một giao dịch đang mở.")
        tables = [connection.ops.quote_name(m._meta.db_table) for m in (BallotTally, BallotReceipt)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"VACUUM ({'FULL, ' if full else ''}ANALYZE) {', '.join(tables)}")
                done = "VACUUM FULL" if full else "VACUUM"
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                cursor.execute("VACUUM")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                done = "wal_checkpoint(TRUNCATE) + VACUUM"
            else:
                raise CommandError(f"Chưa hỗ trợ cơ sở dữ liệu {connection.vendor}.")
        self.stdout.write(self.style.SUCCESS(f"Đã dọn: {done}."))
