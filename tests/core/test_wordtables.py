"""The Word table reader (core/wordtables.py): merged cells resolved, nested tables, headings kept, and
files that are not a .docx refused with a message saying what to do."""

from __future__ import annotations

import io

import docx
import pytest

from tdkt.core import wordtables
from tdkt.core.ooxml import PackageError


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_merged_cells_give_their_text_to_every_grid_cell_they_cover():
    document = docx.Document()
    document.add_paragraph("DANH SÁCH")
    document.add_paragraph("Năm 2023")
    table = document.add_table(rows=3, cols=4)
    for c, text in enumerate(["STT", "Họ và tên", "Quyết định", ""]):
        table.cell(0, c).text = text
    table.cell(0, 2).merge(table.cell(0, 3))  # gridSpan
    table.cell(0, 0).merge(table.cell(1, 0))  # vMerge
    table.cell(0, 1).merge(table.cell(1, 1))
    table.cell(0, 0).text, table.cell(0, 1).text = "STT", "Họ và tên"
    table.cell(1, 2).text, table.cell(1, 3).text = "Số", "Ngày"
    for c, text in enumerate(["1", "Nguyễn Văn An", "3/QĐ", "15/01/2024"]):
        table.cell(2, c).text = text

    (read,) = wordtables.read_tables(_save(document))

    assert read.headings == ["DANH SÁCH", "Năm 2023"]
    assert read.rows == [
        (1, {1: "STT", 2: "Họ và tên", 3: "Quyết định", 4: "Quyết định"}),
        (2, {1: "STT", 2: "Họ và tên", 3: "Số", 4: "Ngày"}),
        (3, {1: "1", 2: "Nguyễn Văn An", 3: "3/QĐ", 4: "15/01/2024"}),
    ]
    assert read.label == "Bảng 1"


def test_nested_tables_are_read_as_tables_of_their_own_and_each_table_keeps_its_headings():
    document = docx.Document()
    document.add_paragraph("Bảng ngoài")
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Ô ngoài"
    inner_cell = outer.cell(0, 1)
    inner_cell.text = "Danh sách trong"
    inner = inner_cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "Trong 1", "Trong 2"
    document.add_paragraph("Quyết định số 5/QĐ ngày 01/02/2024")
    last = document.add_table(rows=1, cols=1)
    last.cell(0, 0).text = "Cuối"

    tables = wordtables.read_tables(_save(document))

    assert [(t.number, t.parent, t.headings) for t in tables] == [
        (1, None, ["Bảng ngoài"]),
        (2, 1, ["Danh sách trong"]),
        (3, None, ["Quyết định số 5/QĐ ngày 01/02/2024"]),
    ]
    assert tables[0].rows == [(1, {1: "Ô ngoài", 2: "Danh sách trong"})]
    assert tables[1].rows == [(1, {1: "Trong 1", 2: "Trong 2"})]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<html><body><table><tr><td>An</td></tr></table></body></html>", "trang web (HTML)"),
        (
            b'\xef\xbb\xbf<html xmlns:w="urn:schemas-microsoft-com:office:word"><body></body></html>',
            "trang web (HTML)",
        ),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related", "trang web (HTML)"),
        (wordtables.OLE_MAGIC + b"\x00" * 600, "Word 97–2003 (.doc)"),
        (b"{\\rtf1\\ansi Danh sach}", "RTF"),
        (b"Ho ten, danh hieu\nAn, LDTT\n", "không phải Word .docx"),
    ],
)
def test_files_that_are_not_a_docx_are_refused_saying_what_to_do(data, words):
    with pytest.raises(PackageError) as exc:
        wordtables.read_tables(data)

    assert words in exc.value.message
