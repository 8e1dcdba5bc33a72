"""Reading the tables of a Word .docx behind the package guard of core/ooxml.py.

Every table of the document comes back as a grid of text: merged cells resolved (a cell spanning
columns, `gridSpan`, gives its text to each of them; a cell continuing a vertical merge, `vMerge`,
repeats the text of the cell above), rows skipped at the start (`gridBefore`) keep the columns in
place, and a table inside a cell is read as a table of its own (its `parent` names the table holding
it). The paragraphs just above each table are kept as its headings: units write the award, the year
or the decision there ("Số 120/QĐ-BTN ngày 15/01/2024").

What is not a .docx is refused with a message saying what to do: a Word file saved as a web page
(HTML, or the single-file .mht), the old binary .doc, an RTF file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from tdkt.core.ooxml import Limits, PackageError, open_package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_LINES = 6
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_SPAN = 100  # a gridSpan larger than any real table is clamped (nothing is allocated for it anyway)


@dataclass
class WordTable:
    number: int  # 1-based, in document order (a table before the tables nested in it)
    rows: list[tuple[int, dict[int, str]]] = field(default_factory=list)  # (row 1-based, {col: text})
    headings: list[str] = field(default_factory=list)
    parent: int | None = None

    @property
    def label(self) -> str:
        return _("Bảng %(n)s") % {"n": self.number}


def refuse_non_docx(data: bytes) -> None:
    """PackageError for the files people send as "Word" that are not a .docx."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00").lower()
    if data.startswith(OLE_MAGIC):
        raise PackageError(
            _(
                "Tệp là Word 97–2003 (.doc), định dạng cũ không đọc được. Hãy mở tệp bằng Word, chọn "
                "“Lưu thành” (Save As) kiểu “Word Document (.docx)” rồi tải lên lại."
            )
        )
    if head.startswith(b"{\\rtf"):
        raise PackageError(
            _("Tệp là văn bản RTF, không phải Word .docx. Hãy mở bằng Word và lưu thành tệp .docx.")
        )
    html_marks = (b"<html", b"<!doctype html", b"urn:schemas-microsoft-com:office", b"<table", b"<body")
    if head.startswith(b"mime-version:") or (head.startswith(b"<") and any(m in head for m in html_marks)):
        raise PackageError(
            _(
                "Tệp này là trang web (HTML) được đặt tên như tệp Word, không phải Word .docx thật. Hãy "
                "mở tệp bằng Word, chọn “Lưu thành” (Save As) kiểu “Word Document (.docx)” rồi tải lên lại."
            )
        )


def read_tables(
    data: bytes, *, limits: Limits | None = None, max_columns: int | None = None
) -> list[WordTable]:
    """Every table of the document, in order; PackageError for a file that cannot be read safely."""
    refuse_non_docx(data)
    package = open_package(data, kind="docx", limits=limits)
    root = package.parse("word/document.xml")
    body = root.find(f"{W}body")
    if body is None:
        raise PackageError(_("Tệp Word không có nội dung (thiếu phần thân văn bản)."))
    reader = _Reader(max_columns or settings.TDKT_IMPORT_MAX_COLUMNS)
    reader.blocks(body, recent=[], parent=None)
    return reader.tables


def paragraph_text(p) -> str:
    parts: list[str] = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}delText", f"{W}instrText"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag in (f"{W}tab", f"{W}br", f"{W}cr"):
            parts.append(" ")
        # deleted text and field codes are not what the reader sees
    return " ".join("".join(parts).split())


def _int_attr(element, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(f"{W}val") or default)
    except ValueError:
        return default


class _Reader:
    def __init__(self, max_columns: int):
        self.tables: list[WordTable] = []
        self.max_columns = max_columns

    def blocks(self, container, *, recent: list[str], parent: int | None) -> None:
        """Paragraphs and tables of a body or cell, in order (content controls looked into)."""
        for child in container:
            tag = child.tag
            if tag == f"{W}p":
                text = paragraph_text(child)
                if text:
                    recent.append(text)
                    del recent[:-HEADING_LINES]
            elif tag == f"{W}tbl":
                self.table(child, headings=list(recent), parent=parent)
                recent.clear()
            elif tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent"):
                inner = child.find(f"{W}sdtContent") if tag == f"{W}sdt" else child
                if inner is not None:
                    self.blocks(inner, recent=recent, parent=parent)

    def table(self, tbl, *, headings: list[str], parent: int | None) -> None:
        table = WordTable(number=len(self.tables) + 1, headings=headings, parent=parent)
        self.tables.append(table)
        previous: dict[int, str] = {}
        for number, tr in enumerate(_children(tbl, "tr"), start=1):
            trpr = tr.find(f"{W}trPr")
            col = 1 + (_int_attr(trpr.find(f"{W}gridBefore"), 0) if trpr is not None else 0)
            cells: dict[int, str] = {}
            for tc in _children(tr, "tc"):
                tcpr = tc.find(f"{W}tcPr")
                span = (
                    min(max(_int_attr(tcpr.find(f"{W}gridSpan"), 1), 1), MAX_SPAN) if tcpr is not None else 1
                )
                vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                hmerge = tcpr.find(f"{W}hMerge") if tcpr is not None else None
                lines: list[str] = []
                for child in tc:
                    if child.tag == f"{W}p":
                        if text := paragraph_text(child):
                            lines.append(text)
                    elif child.tag == f"{W}tbl":
                        self.table(child, headings=list(lines[-HEADING_LINES:]), parent=table.number)
                    elif child.tag in (f"{W}sdt", f"{W}customXml"):
                        inner = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
                        for p in inner.iter(f"{W}p") if inner is not None else ():
                            if text := paragraph_text(p):
                                lines.append(text)
                text = " ".join(lines)
                if vmerge is not None and (vmerge.get(f"{W}val") or "continue") == "continue":
                    text = previous.get(col, "")
                elif hmerge is not None and (hmerge.get(f"{W}val") or "continue") == "continue":
                    text = cells.get(col - 1, "")
                if col + span - 1 > self.max_columns:
                    raise PackageError(
                        _("Bảng %(table)s, dòng %(row)s có hơn %(max)s cột, vượt giới hạn của một lần nhập.")
                        % {"table": table.number, "row": number, "max": self.max_columns}
                    )
                for c in range(col, col + span):
                    if text:
                        cells[c] = text
                col += span
            previous = cells
            table.rows.append((number, cells))


def _children(element, local: str):
    """Direct children `local`, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == f"{W}{local}":
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            inner = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if inner is not None:
                yield from _children(inner, local)
