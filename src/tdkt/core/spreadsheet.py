"""Reading .xlsx workbooks as streams of sparse rows, with work bounded by the data actually present.

A sheet's XML is read element by element (core/ooxml.py checks the package first): only cells that
hold a value are kept, so a sheet with one value at row 400,001 costs what its real rows cost. Every
valued cell's position is checked against the configured extent (`TDKT_IMPORT_MAX_ROWS`,
`TDKT_IMPORT_MAX_COLUMNS`) as it is met, and reading stops at the first one outside it with a message
naming the cell: nothing large is ever allocated for it.

Values come back as Python values: str, float (every number, as Excel stores them), bool,
datetime.date (a date cell without time) or datetime.datetime, and two markers the import pipeline
reports in words: `Uncalculated` (a formula saved without its result, as some programs write them)
and `CellError` (#N/A, #REF!, ...).

python-calamine is not used for uploaded files: it builds the dense rectangle up to the last cell
(3 GB for the file above) before a single row can be looked at (docs/decisions/0004).
"""

from __future__ import annotations

import datetime
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tdkt.core.ooxml import Package, PackageError, open_package

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"

# Excel's built-in number formats that show dates or times (ECMA-376 §18.8.30, plus the East Asian ones)
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36}
BUILTIN_DATE_FORMATS |= {45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58}
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DATE_TOKENS = re.compile(r"[dmyhs]", re.IGNORECASE)


class Uncalculated(str):
    """A formula saved without its result (the text is the formula)."""


class CellError(str):
    """An error value of Excel (#N/A, #DIV/0!, #REF!, ...)."""


@dataclass
class Book:
    package: Package
    sheets: dict[str, str]  # sheet name -> part name, in the workbook's order
    date1904: bool = False
    shared: list[str] = field(default_factory=list)
    date_styles: set[int] = field(default_factory=set)  # indexes into cellXfs that show dates
    hidden: set[str] = field(default_factory=set)  # sheets hidden in Excel ("hidden" or "veryHidden")

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    @property
    def visible_sheet_names(self) -> list[str]:
        return [name for name in self.sheets if name not in self.hidden]


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""  # hot path: no element call


def _text_of(element) -> str:
    """The text of a shared or inline string: its <t> runs, without phonetic guides (<rPh>)."""
    parts = []
    for node in element.iter():
        if _local(node.tag) == "t" and _local(node.getparent().tag) != "rPh":
            parts.append(node.text or "")
    return "".join(parts)


def column_letters(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    """ "AB" -> 28; 0 for anything that is not one to three capital letters."""
    if not (0 < len(letters) <= 3 and letters.isascii() and letters.isupper() and letters.isalpha()):
        return 0
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _is_date_format(code: str) -> bool:
    return bool(_DATE_TOKENS.search(_QUOTED.sub("", code.split(";")[0])))


def open_book(data: bytes) -> Book:
    """Open and check the package, read the sheet list, the shared strings and the date styles."""
    package = open_package(data, kind="xlsx")
    workbook = package.parse("xl/workbook.xml")
    rels_name = "xl/_rels/workbook.xml.rels"
    targets: dict[str, str] = {}
    if package.has(rels_name):
        for rel in package.parse(rels_name):
            target = rel.get("Target") or ""
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            targets[rel.get("Id") or ""] = part
    sheets: dict[str, str] = {}
    hidden: set[str] = set()
    date1904 = False
    for node in workbook.iter():
        name = _local(node.tag)
        if name == "workbookPr":
            date1904 = (node.get("date1904") or "").lower() in ("1", "true")
        elif name == "sheet":
            rid = node.get(f"{{{REL_NS}}}id") or node.get(f"{{{STRICT_REL_NS}}}id") or ""
            part = targets.get(rid)
            if part and package.has(part):
                sheets[node.get("name") or part] = part
                if (node.get("state") or "visible") != "visible":
                    hidden.add(node.get("name") or part)
    book = Book(package=package, sheets=sheets, date1904=date1904, hidden=hidden)
    if package.has("xl/sharedStrings.xml"):
        book.shared = [_text_of(si) for si in package.iter_elements("xl/sharedStrings.xml", "si")]
    if package.has("xl/styles.xml"):
        book.date_styles = _date_styles(package.parse("xl/styles.xml"))
    return book


def _date_styles(styles) -> set[int]:
    custom: dict[int, str] = {}
    dated: set[int] = set()
    for node in styles.iter():
        if _local(node.tag) == "numFmt":
            try:
                custom[int(node.get("numFmtId") or -1)] = node.get("formatCode") or ""
            except ValueError:
                continue
    for node in styles.iter():
        if _local(node.tag) != "cellXfs":
            continue
        for index, xf in enumerate(x for x in node if _local(x.tag) == "xf"):
            try:
                fmt = int(xf.get("numFmtId") or 0)
            except ValueError:
                continue
            if fmt in BUILTIN_DATE_FORMATS or (fmt in custom and _is_date_format(custom[fmt])):
                dated.add(index)
        break
    return dated


def _serial_to_date(serial: float, date1904: bool) -> datetime.date | datetime.datetime | None:
    if date1904:
        base = datetime.datetime(1904, 1, 1)
    elif serial < 60:  # Excel counts 29/02/1900, a day that never was
        base = datetime.datetime(1899, 12, 31)
    else:
        base = datetime.datetime(1899, 12, 30)
    try:
        moment = base + datetime.timedelta(days=serial)
    except OverflowError:
        return None
    moment = moment.replace(microsecond=0)
    if moment.time() == datetime.time(0):
        return moment.date()
    return moment


def _iso_date(text: str):
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", ""))
    except ValueError:
        return text
    return moment.date() if moment.time() == datetime.time(0) else moment


@dataclass(frozen=True)
class Extent:
    max_rows: int
    max_columns: int

    @classmethod
    def from_settings(cls) -> Extent:
        return cls(settings.TDKT_IMPORT_MAX_ROWS, settings.TDKT_IMPORT_MAX_COLUMNS)


def _outside(sheet: str, row: int, col: int, extent: Extent) -> PackageError:
    return PackageError(
        _(
            "Sheet '%(sheet)s' có dữ liệu ở ô %(cell)s (dòng %(row)s, cột %(col)s), ngoài giới hạn "
            "%(rows)s dòng × %(cols)s cột của một lần nhập. Hãy xoá các ô thừa đó (hoặc chia tệp) rồi "
            "nhập lại."
        )
        % {
            "sheet": sheet,
            "cell": f"{column_letters(col)}{row}",
            "row": number_format(row, force_grouping=True),
            "col": col,
            "rows": number_format(extent.max_rows, force_grouping=True),
            "cols": extent.max_columns,
        }
    )


def iter_rows(book: Book, sheet: str, extent: Extent | None = None) -> Iterator[tuple[int, dict[int, Any]]]:
    """(row number, {column number: value}) for every row that holds at least one value, in order;
    PackageError at the first valued cell outside `extent`."""
    extent = extent or Extent.from_settings()
    part = book.sheets[sheet]
    max_rows, max_columns = extent.max_rows, extent.max_columns
    tags: _Tags | None = None
    columns: dict[str, int] = {}  # "AB" -> 28, met once per column
    shared = book.shared
    last_row = 0
    for row in book.package.iter_elements(part, "row", stop_at="sheetData"):
        if tags is None:
            tags = _Tags(row.tag[: -len("row")])
        try:
            number = int(row.get("r") or 0) or last_row + 1
        except ValueError:
            number = last_row + 1
        last_row = number
        cells: dict[int, Any] = {}
        last_col = 0
        for cell in row.iterchildren(tags.c):  # the <c> children only, chosen by lxml (no tag per child)
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                col = columns.get(letters) or columns.setdefault(letters, _column_index(letters))
            else:
                col = last_col + 1
            if not col:
                raise PackageError(
                    _("Tệp bị hỏng: sheet '%(sheet)s' có ô với địa chỉ không hợp lệ '%(ref)s'.")
                    % {"sheet": sheet, "ref": ref[:20]}
                )
            last_col = col
            # hot path, the same values as _value: a cell of one <v> holding a shared string or a
            # number without a date style, or an inline string of one <t>; anything else goes to _value
            value = None
            if len(cell) == 1:
                child = cell[0]
                kind = cell.get("t")
                if kind == "s" and child.tag == tags.v:
                    raw = child.text
                    if raw is not None:
                        try:
                            value = shared[int(raw)]
                        except (ValueError, IndexError):
                            value = CellError("#REF!")
                elif kind == "inlineStr" and child.tag == tags.inline and len(child) == 1:
                    t = child[0]
                    if t.tag == tags.t:
                        value = t.text or ""
                elif kind is None and child.tag == tags.v and not cell.get("s"):
                    raw = child.text
                    if raw is not None:
                        try:
                            value = float(raw)
                        except ValueError:
                            value = raw
            if value is None:
                value = _value(cell, book, tags)
            if value is None:
                continue
            if number > max_rows or col > max_columns:
                raise _outside(sheet, number, col, extent)
            cells[col] = value
        if cells:
            yield number, cells


class _Tags:
    """The cell-level tags in the sheet's namespace, compared as plain strings on the hot path."""

    def __init__(self, namespace: str):
        self.c, self.v, self.f, self.inline, self.t = (namespace + n for n in ("c", "v", "f", "is", "t"))


def _inline_text(inline, tags: _Tags) -> str:
    if len(inline) == 1 and inline[0].tag == tags.t:
        return inline[0].text or ""
    return _text_of(inline)


def _value(cell, book: Book, tags: _Tags):
    kind = cell.get("t") or "n"
    raw = formula = inline = None
    for child in cell:
        tag = child.tag
        if tag == tags.v:
            raw = child.text
        elif tag == tags.f:
            formula = child.text or ""
        elif tag == tags.inline:
            inline = child
    if kind == "inlineStr":
        return _inline_text(inline, tags) if inline is not None else None
    if raw is None:
        return Uncalculated(f"={formula}") if formula is not None else None
    if kind == "s":
        try:
            return book.shared[int(raw)]
        except (ValueError, IndexError):
            return CellError("#REF!")
    if kind == "str":
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return CellError(raw)
    if kind == "d":
        return _iso_date(raw)
    try:
        number = float(raw)
    except ValueError:
        return raw
    style = cell.get("s")
    if style and style.isdigit() and int(style) in book.date_styles:
        return _serial_to_date(number, book.date1904) or number
    return number
