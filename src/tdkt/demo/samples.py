"""Sample files of the demo: an old award list as a unit would send it, in Word and in Excel, to try the
legacy import (*Quản trị → Nhập sổ khen thưởng cũ*) as `canbo`.

Made from the demo's own people of `canbo`'s unit, so that the import finds them: most rows are sure
matches (name, birth date and unit), one name is typed without accents (a row to review), one names
somebody the register does not hold (a new person), and the list's decision is stated once, in the
heading above the table, as units do."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import xlsxwriter

from tdkt.accounts.models import RoleAssignment
from tdkt.core.text import fold
from tdkt.org.models import Person

WORD_NAME = "danh-sach-khen-thuong-2019.docx"
EXCEL_NAME = "danh-sach-khen-thuong-2018.xlsx"
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Đơn vị", "Danh hiệu/Hình thức"]


def _rows(year: int) -> list[list[str]] | None:
    officer = RoleAssignment.objects.filter(user__username="canbo").select_related("unit").first()
    if officer is None:
        return None
    unit = officer.unit
    people = list(
        Person.objects.filter(current_unit__path__startswith=unit.path, active=True, birth_date__isnull=False)
        .select_related("current_unit")
        .order_by("code")[:5]
    )
    if len(people) < 4:
        return None
    rows = []
    for n, p in enumerate(people, start=1):
        name = p.full_name
        if n == 2:  # typed without accents, as old lists often are: the officer confirms who it is
            name = " ".join(w.capitalize() for w in fold(name).split())
        award = "Chiến sĩ thi đua cơ sở" if n == 1 else "Lao động tiên tiến"
        where = p.current_unit.name
        rows.append([str(n), name, p.birth_date.strftime("%d/%m/%Y"), p.position, where, award])
    # somebody who left before the system: a new person in the unit
    rows.append([str(len(rows) + 1), "Hoàng Văn Thái", "", "Chuyên viên", unit.name, "Lao động tiên tiến"])
    return rows


def word_list(year: int = 2019) -> bytes | None:
    rows = _rows(year)
    if rows is None:
        return None
    document = docx.Document()
    document.add_paragraph(f"DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG DANH HIỆU THI ĐUA NĂM {year}")
    document.add_paragraph(f"(Kèm theo Quyết định số 45/QĐ-CĐS ngày 10 tháng 01 năm {year + 1})")
    table = document.add_table(rows=0, cols=len(HEADER))
    for row in [HEADER, *rows]:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def excel_list(year: int = 2018) -> bytes | None:
    rows = _rows(year)
    if rows is None:
        return None
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(f"Năm {year}")
    bold = book.add_format({"bold": True, "align": "center", "border": 1})
    sheet.merge_range(0, 0, 0, len(HEADER) + 1, f"DANH SÁCH KHEN THƯỞNG NĂM {year}", bold)
    columns = [*HEADER, "Số quyết định", "Ngày quyết định"]
    sheet.write_row(2, 0, columns, bold)
    for i, row in enumerate(rows, start=3):
        sheet.write_row(i, 0, [*row, "38/QĐ-CĐS", f"15-1-{year + 1}"])
    sheet.set_column(1, 1, 28)
    sheet.set_column(4, 5, 30)
    book.close()
    return out.getvalue()


def write_samples(folder: Path) -> list[Path]:
    """Write the sample lists into `folder` (created); returns the files written (none when the demo's
    unit is not there)."""
    written = []
    for name, data in ((WORD_NAME, word_list()), (EXCEL_NAME, excel_list())):
        if data is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written
