"""The bundled Word template of the clusters app, drawn from code (`tdkt build_document_templates`): the
covenant of a cluster's year (giao ước thi đua) in the national format (Decree 30/2020) — national header,
the cluster as issuing body, the common content, each member's pledge with its targets table, and the
signature blocks of every member's representative, two side by side. The placeholders are the names of
clusters/documents.py's context."""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm

from tdkt.core import docx_templates as dt
from tdkt.core.docx_templates import Para, bundled

TARGET_COLUMNS = (
    ("STT", 15, "center"),
    ("Tiêu chí", 95, "left"),
    ("Chỉ tiêu", 30, "center"),
    ("Đơn vị tính", 25, "center"),
)
TARGET_CELLS = ("{{ t.code }}", "{{ t.name }}", "{{ t.value }}", "{{ t.unit_label }}")


def _heading(text: str) -> Para:
    return Para(text, bold=True, align="left", indent=False)


def _targets_table(document) -> None:
    size = dt.SIZE["table"]
    table = document.add_table(rows=4, cols=len(TARGET_COLUMNS))
    for i, (header, width, align) in enumerate(TARGET_COLUMNS):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)
        dt._cell_text(table.cell(0, i), header, size=size, bold=True, align="center")
        dt._cell_text(table.cell(2, i), TARGET_CELLS[i], size=size, align=align)
    dt._cell_text(table.cell(1, 0), "{%tr for t in m.targets %}", size=size)
    dt._cell_text(table.cell(3, 0), "{%tr endfor %}", size=size)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER


def _signatures(document) -> None:
    half = dt.TEXT_WIDTH_MM / 2
    table = dt._layout_table(document, 3, (half, half))
    dt._tag(table.cell(0, 0), "{%tr for pair in signature_rows %}")
    dt._paragraph(table.cell(0, 1), size=2)
    for i in (0, 1):
        cell = table.cell(1, i)
        dt._paragraph(
            cell, "{{ pair[" + str(i) + "].unit|upper_vi }}", size=dt.SIZE["signer"], bold=True, before=12
        )
        dt._paragraph(cell, "{{ pair[" + str(i) + "].title|upper_vi }}", size=dt.SIZE["signer"], bold=True)
        dt._paragraph(
            cell,
            "{{ pair[" + str(i) + "].name }}",
            size=dt.SIZE["signer_name"],
            bold=True,
            before=dt.SIGNATURE_SPACE_PT,
        )
    dt._tag(table.cell(2, 0), "{%tr endfor %}")
    dt._paragraph(table.cell(2, 1), size=2)


@bundled("clusters/giao_uoc.docx")
def giao_uoc(path: Path) -> Path:
    """Giao ước thi đua năm … của một cụm thi đua."""
    document = dt._new_document()
    dt._national_header(document)
    dt._title(document, "{{ doc_type|upper_vi }}", "{{ subject }}")
    for item in [
        "{{ opening }}",
        _heading("I. NỘI DUNG GIAO ƯỚC CHUNG"),
        "{%p for para in content %}",
        "{{ para }}",
        "{%p endfor %}",
        _heading("II. ĐĂNG KÝ VÀ CHỈ TIÊU CỦA TỪNG ĐƠN VỊ"),
        "{%p for m in members %}",
        Para("{{ m.n }}. {{ m.unit }} ({{ m.role }})", bold=True, align="left", indent=False),
        "{%p for para in m.content %}",
        "{{ para }}",
        "{%p endfor %}",
        "{%p if m.targets %}",
        Para("Chỉ tiêu đăng ký:", italic=True, align="left", indent=False),
    ]:
        dt._body(document, item)
    _targets_table(document)
    for item in [
        "{%p endif %}",
        "{%p endfor %}",
        _heading("III. TỔ CHỨC THỰC HIỆN"),
        "{{ closing }}",
        Para("ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC", bold=True, align="center", indent=False),
    ]:
        dt._body(document, item)
    _signatures(document)
    dt._paragraph(document, size=dt.SIZE["body"], after=6)
    dt._recipients(document)
    dt._paragraph(document, size=2)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path
