"""Builders of legacy award lists as units send them (python-docx, openpyxl, XlsxWriter), for the tests."""

from __future__ import annotations

import io

import docx
import openpyxl

HEADER = ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Danh hiệu/Hình thức", "Số quyết định", "Ngày quyết định"]


def xlsx(sheets: dict[str, list[list]], *, hidden=(), merges: dict[str, list[str]] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        if name in hidden:
            ws.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def docx_list(tables: list[tuple[list[str], list[list[str]]]], *, merged_header: bool = False) -> bytes:
    """A document with, for each (headings, rows) pair, the heading paragraphs then a table of rows. With
    `merged_header`, the first two rows of each table are a two-row header: "Quyết định" merged over
    "Số" and "Ngày", the other header cells merged down."""
    document = docx.Document()
    for headings, rows in tables:
        for line in headings:
            document.add_paragraph(line)
        width = max(len(r) for r in rows)
        table = document.add_table(rows=0, cols=width)
        for row in rows:  # python-docx's table.cell(r, c) walks the whole grid: row by row is linear
            cells = table.add_row().cells
            for c, value in enumerate(row):
                if value is not None:
                    cells[c].text = str(value)
        if merged_header:
            top = rows[0]
            for c in range(width):
                if top[c] == "Quyết định":
                    table.cell(0, c).merge(table.cell(0, c + 1))
                    table.cell(0, c).text = "Quyết định"
                    break
                table.cell(0, c).merge(table.cell(1, c))
                table.cell(0, c).text = top[c]
        document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
