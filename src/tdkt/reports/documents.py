"""A filled report form as an Excel workbook in the layout of the Ministry's statistical forms: the form
number and the circular on the left, the reporting and receiving units on the right, the title, the
period, the unit of measure, the table with its lettered and numbered column codes, and the signature
block (the preparer; the head of the unit, with the seal). An unconfirmed layout says so under the title.
"""

from __future__ import annotations

import io

import xlsxwriter
from django.utils.translation import gettext as _

from tdkt.reports.layouts import Filled

HEADER_ROWS = 9  # the table's header starts on this row (0-based)


def _fixed_columns(filled: Filled) -> list[str]:
    """Headers of the columns before the figures: the row's name, its code, and its unit of measure when
    any row has one."""
    heads = ["", _("Mã số")]
    if any(r.unit_of_measure for r in filled.layout.rows):
        heads.append(_("Đơn vị tính"))
    return heads


def form_workbook(filled: Filled) -> bytes:
    layout, cat = filled.layout, filled.catalogue
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}
    fmt = {
        "plain": book.add_format(base),
        "bold": book.add_format({**base, "bold": True}),
        "italic": book.add_format({**base, "italic": True}),
        "center_bold": book.add_format({**base, "bold": True, "align": "center"}),
        "center_italic": book.add_format({**base, "italic": True, "align": "center"}),
        "title": book.add_format(
            {**base, "bold": True, "align": "center", "font_size": 13, "text_wrap": True}
        ),
        "right_italic": book.add_format({**base, "italic": True, "align": "right"}),
        "warn": book.add_format({**base, "italic": True, "font_color": "#8a1c1c", "text_wrap": True}),
        "head": book.add_format({**base, "bold": True, "align": "center", "border": 1, "text_wrap": True}),
        "code": book.add_format({**base, "bold": True, "align": "center", "border": 1}),
        "cell": book.add_format({**base, "border": 1, "text_wrap": True}),
        "cell_bold": book.add_format({**base, "border": 1, "bold": True, "text_wrap": True}),
        "num": book.add_format({**base, "border": 1, "align": "center", "num_format": "#,##0"}),
        "num_bold": book.add_format(
            {**base, "border": 1, "align": "center", "bold": True, "num_format": "#,##0"}
        ),
        "blank": book.add_format({**base, "border": 1}),
    }
    ws = book.add_worksheet(layout.number.split("/")[0][:31] or "Bieu")
    fixed = _fixed_columns(filled)
    ncols = len(fixed) + len(layout.columns)
    last = ncols - 1
    mid = max(1, ncols // 2)
    ws.set_column(0, 0, 46)
    ws.set_column(1, len(fixed) - 1, 10)
    ws.set_column(len(fixed), last, 16)

    def left_right(row: int, left: str, right: str, lf="plain", rf="center_bold"):
        ws.merge_range(row, 0, row, mid - 1, left, fmt[lf]) if mid > 1 else ws.write(row, 0, left, fmt[lf])
        if last >= mid:
            ws.merge_range(row, mid, row, last, right, fmt[rf]) if last > mid else ws.write(
                row, mid, right, fmt[rf]
            )

    if layout.own:
        left_right(
            0, filled.agency.name.upper(), _("Đơn vị báo cáo: %(u)s") % {"u": filled.unit.name}, "bold"
        )
        left_right(1, "", "")
    else:
        left_right(
            0,
            _("Biểu số: %(n)s") % {"n": layout.number},
            _("Đơn vị báo cáo: %(u)s") % {"u": filled.unit.name},
            "bold",
        )
        left_right(
            1,
            _("Ban hành theo %(c)s") % {"c": cat.circular},
            _("Đơn vị nhận báo cáo: %(r)s") % {"r": cat.recipient},
            "italic",
        )
    left_right(
        2,
        (_("Ngày nhận báo cáo: %(d)s") % {"d": cat.due}) if not layout.own else "",
        _("Cơ quan: %(a)s") % {"a": filled.agency.name},
        "italic",
        "center_italic",
    )
    ws.merge_range(3, 0, 3, last, layout.title, fmt["title"])
    ws.merge_range(4, 0, 4, last, _("Kỳ báo cáo: %(p)s") % {"p": filled.period.label}, fmt["center_italic"])
    ws.merge_range(
        5,
        0,
        5,
        last,
        _("Phạm vi: %(u)s và các đơn vị trực thuộc") % {"u": filled.unit.name},
        fmt["center_italic"],
    )
    if layout.unit_of_measure:
        ws.merge_range(
            6, 0, 6, last, _("Đơn vị tính: %(u)s") % {"u": layout.unit_of_measure}, fmt["right_italic"]
        )
    if not layout.confirmed:
        ws.merge_range(
            7, 0, 7, last,
            _("Bố cục biểu CHƯA được đối chiếu với văn bản gốc (%(c)s); nguồn đã đọc: %(s)s.")
            % {"c": cat.circular, "s": cat.read_from},
            fmt["warn"],
        )  # fmt: skip
        ws.set_row(7, 30)

    r = HEADER_ROWS
    for c, head in enumerate(fixed):
        ws.write(r, c, head, fmt["head"])
    for c, column in enumerate(layout.columns, start=len(fixed)):
        ws.write(r, c, column.label, fmt["head"])
    ws.set_row(r, 60)
    r += 1
    letters = ["A", "B", "C"][: len(fixed)]
    for c, letter in enumerate(letters):
        ws.write(r, c, letter, fmt["code"])
    for c, column in enumerate(layout.columns, start=len(fixed)):
        ws.write(r, c, column.code, fmt["code"])
    first_data = r + 1
    for i, row in enumerate(layout.rows):
        r += 1
        bold = row.bold or row.heading
        ws.write(r, 0, row.label, fmt["cell_bold" if bold else "cell"])
        ws.write(r, 1, row.code, fmt["code"] if row.code else fmt["blank"])
        if len(fixed) == 3:
            ws.write(r, 2, row.unit_of_measure, fmt["cell"])
        values = filled.cells.get(i)
        for c in range(len(layout.columns)):
            col = len(fixed) + c
            value = values[c] if values else None
            if value is None:
                ws.write_blank(r, col, None, fmt["blank"])
            else:
                ws.write_number(r, col, value, fmt["num_bold" if bold else "num"])
    ws.freeze_panes(first_data, 1)

    r += 2
    if filled.blanks:
        ws.merge_range(
            r, 0, r, last,
            _("Ô để trống: hệ thống không có số liệu tương ứng (người lập biểu điền tay).") + (
                f" {layout.note}" if layout.note else ""),
            fmt["italic"],
        )  # fmt: skip
        r += 2
    left_right(r, "", _("…………, ngày …… tháng …… năm ……"), "plain", "center_italic")
    left_right(r + 1, _("NGƯỜI LẬP BIỂU"), _("THỦ TRƯỞNG ĐƠN VỊ"), "center_bold", "center_bold")
    left_right(
        r + 2, _("(Ký, ghi rõ họ tên)"), _("(Ký, ghi rõ họ tên, đóng dấu)"), "center_italic", "center_italic"
    )
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    book.close()
    return out.getvalue()
