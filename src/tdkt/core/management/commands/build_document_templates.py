"""`tdkt build_document_templates [NAME ...] [--output DIR]`: make the bundled Word templates again."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tdkt.core.docx_templates import build_bundled


class Command(BaseCommand):
    help = (
        "Tạo lại các mẫu Word (.docx) có sẵn của tdkt từ mã nguồn (tdkt.core.docx_templates và "
        "docx_templates.py của từng ứng dụng)."
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="chỉ tạo các mẫu này, ví dụ core/van_ban.docx")
        parser.add_argument(
            "--output",
            default=None,
            help="ghi vào thư mục này (DIR/<ứng dụng>/<tên>.docx) thay vì thư mục documents/ của ứng dụng; "
            "dùng để lấy bản mới mà cơ quan sửa thành mẫu của mình",
        )

    def handle(self, *args, names, output, **options):
        try:
            made = build_bundled(names, Path(output) if output else None)
        except KeyError as exc:
            raise CommandError(f"Không có mẫu: {exc.args[0]}") from exc
        for name, path in made:
            self.stdout.write(f"{name} -> {path}")
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {len(made)} mẫu."))
