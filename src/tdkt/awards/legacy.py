"""Legacy award lists: years of "danh sách khen thưởng" kept in Excel and Word, brought into the register.

`read_award_list(data, filename)` reads a file as units send it (core/imports.find_tables over the
sheets of a workbook or the tables of a document: titles, two-row merged headers, several tables, the
decision or the year stated once above a table) into `ParsedRow`s, each with its origin (file,
sheet/table, row, column), and the errors of the file.

`match_rows(rows, actor=...)` finds who each row is about, only among the records of the importer's
scope (`awards.import_register`): by ID number; else name + birth date + unit; else name + unit. One
sure match is linked; anything less sure (same name without a birth date to tell, several candidates, a
name that differs only by its accents, the person found in another unit of the scope) is left for the
officer to decide: this person, a new person, or skip. No record outside the scope is ever a candidate,
so the review tells nothing about other units. A row whose name is a collective of the scope is the
collective's.

`write_award_list(actor=..., parsed=..., choices=..., source=...)` writes the whole list in one
transaction or nothing; a row duplicating a record already in the register is linked to it ("đã có"),
never doubled. `import_award_list(actor=..., data=..., filename=...)` does all three for a caller
without a request (the benchmark): every uncertain row gets its proposed choice, or is skipped.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.accounts.rules import require_perm
from tdkt.accounts.scope import scope_for
from tdkt.core import imports, spreadsheet, wordtables
from tdkt.core.audit import audit_bulk, audit_many, insert_rows
from tdkt.core.enums import AuditAction
from tdkt.core.errors import ServiceError
from tdkt.core.imports import Column, Spec, header_key
from tdkt.core.ooxml import PackageError, open_package
from tdkt.core.text import clean, fold, is_digits
from tdkt.org import services as org_services
from tdkt.org.enums import AwardCode, AwardSource, Gender, IssuerLevel
from tdkt.org.models import AwardRecord, Collective, Person, Unit

ACTION = "awards.import_register"
MAX_ERRORS = imports.MAX_STORED_ERRORS
COLLECTIVE_ONLY = frozenset({"tt_ldtt", "tt_ldxs", "co_thi_dua_bo", "co_thi_dua_cp"})
PERSON_ONLY = frozenset({"ldtt", "cstd_co_so", "cstd_bo", "cstd_toan_quoc"})

Progress = Callable[[int, int, str], None]

SPEC = Spec(
    kind="legacy_awards",
    title=gettext_lazy("Danh sách khen thưởng"),
    sheet="",
    columns=(
        Column("seq", "STT", ("Số TT", "TT", "Số thứ tự")),
        Column(
            "name",
            "Họ và tên",
            (
                "Họ tên",
                "Họ và tên cá nhân",
                "Tên tập thể",
                "Họ và tên/Tên tập thể",
                "Họ và tên, tên tập thể",
                "Cá nhân, tập thể",
                "Tên cá nhân, tập thể",
                "Tên tập thể, cá nhân",
                "Tập thể, cá nhân",
            ),
        ),
        Column("position", "Chức vụ", ("Chức vụ, chức danh", "Chức danh")),
        Column("unit", "Đơn vị", ("Đơn vị công tác", "Cơ quan, đơn vị", "Nơi công tác", "Cơ quan công tác")),
        Column(
            "award",
            "Danh hiệu/Hình thức",
            (
                "Danh hiệu",
                "Hình thức",
                "Hình thức khen thưởng",
                "Danh hiệu thi đua",
                "Danh hiệu/Hình thức khen thưởng",
                "Danh hiệu, hình thức khen thưởng",
                "Hình thức, danh hiệu",
                "Khen thưởng",
            ),
        ),
        Column(
            "decision_number",
            "Số quyết định",
            ("Số QĐ", "Quyết định số", "Số", "Quyết định Số", "Quyết định khen thưởng Số", "QĐ số"),
        ),
        Column(
            "decided_on",
            "Ngày quyết định",
            (
                "Ngày",
                "Ngày QĐ",
                "Ngày ký",
                "Quyết định Ngày",
                "Quyết định khen thưởng Ngày",
                "Ngày ban hành",
                "Ngày tháng năm",
                "Quyết định Ngày tháng năm",
            ),
        ),
        Column(
            "decision",
            "Quyết định",
            ("Số, ngày quyết định", "Số và ngày quyết định", "Quyết định khen thưởng", "Số, ngày QĐ"),
        ),
        Column("birth_date", "Ngày sinh", ("Ngày tháng năm sinh", "Năm sinh", "Sinh ngày")),
        Column("gender", "Giới tính", ("Nam/Nữ", "Nam, nữ")),
        Column(
            "id_number",
            "Số định danh",
            ("Số định danh cá nhân", "CCCD", "Số CCCD", "CMND", "Số CMND", "CCCD/CMND"),
        ),
        Column("year", "Năm", ("Năm thành tích", "Năm khen", "Năm đạt", "Năm khen thưởng")),
        Column(
            "issuer",
            "Cấp khen",
            ("Cơ quan khen", "Cấp khen, cơ quan khen", "Cơ quan khen thưởng", "Cấp quyết định"),
        ),
    ),
)


# ---------------------------------------------------------------------------------------------- values

_DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
_DECISION_NUMBER = re.compile(r"(\d+[A-Za-z0-9]*(?:/[0-9A-Za-zĐđ\-.]+)+)")
_YEAR = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")
SERIAL_RANGE = (16072, 73051)  # 1944-01-01 .. 2099-12-31 as Excel day numbers


def parse_date(value: Any) -> datetime.date | None:
    """A date as legacy lists write it: a date cell, an Excel day number, 15/01/2024, 15-1-2024,
    15.01.2024, 2024-01-15 or "ngày 15 tháng 01 năm 2024"; None when there is none."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            moment = spreadsheet._serial_to_date(float(int(value)), False)
            return moment if isinstance(moment, datetime.date) else None
        return None
    return _date_of_text(str(value or ""))


@functools.lru_cache(maxsize=65536)
def _date_of_text(text: str) -> datetime.date | None:
    """`parse_date` of a text, remembered: a list repeats its decision dates on every row."""
    for pattern, order in ((_DATE_NUMERIC, (0, 1, 2)), (_DATE_ISO, (2, 1, 0)), (_DATE_WORDS, (0, 1, 2))):
        match = pattern.search(text if pattern is not _DATE_WORDS else fold(text))
        if match:
            parts = [int(g) for g in match.groups()]
            day, month, year = (parts[i] for i in order)
            try:
                return datetime.date(year, month, day)
            except ValueError:
                return None
    if is_digits(text.strip()) and len(text.strip()) == 5:
        return parse_date(int(text.strip()))
    return None


def _without_dates(text: str) -> str:
    folded = fold(text)
    for pattern in (_DATE_WORDS, _DATE_NUMERIC, _DATE_ISO):
        folded = pattern.sub(" ", folded)
    return folded


def decision_in(text: str) -> tuple[str, datetime.date | None]:
    """(number, date) of a decision written in one cell or a heading: "Số 120/QĐ-BTN ngày 15/01/2024"."""
    text = clean(str(text or ""))
    number = ""
    for match in _DECISION_NUMBER.finditer(text):
        candidate = match.group(1).rstrip(".-")
        if not _DATE_NUMERIC.fullmatch(candidate):
            number = candidate
            break
    return number, parse_date(text)


def year_in(text: str) -> int | None:
    """A year stated in a heading ("Năm 2023", "năm học 2022-2023" gives 2023), dates left aside."""
    found = _YEAR.findall(_without_dates(text))
    return int(found[-1]) if found else None


# ---------------------------------------------------------------------------------------------- awards

_RANK_NUMBER = {"ba": 3, "nhi": 2, "nhat": 1}
_ROMAN = {"i": "nhat", "ii": "nhi", "iii": "ba", "1": "nhat", "2": "nhi", "3": "ba"}
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "ldtt": ("ldtt", "danh hieu lao dong tien tien", "lao dong tien tien", "chien si tien tien"),
    "cstd_co_so": ("cstdcs", "cstd co so", "chien si thi dua co so", "danh hieu chien si thi dua co so"),
    "cstd_bo": (
        "cstd cap bo",
        "cstd bo",
        "chien si thi dua cap bo",
        "chien si thi dua bo",
        "chien si thi dua cap bo nganh",
        "chien si thi dua cap tinh",
    ),
    "cstd_toan_quoc": ("cstdtq", "cstd toan quoc", "chien si thi dua toan quoc"),
    "tt_ldtt": ("ttldtt", "tap the lao dong tien tien", "tt lao dong tien tien", "tt ldtt"),
    "tt_ldxs": ("ttldxs", "tap the lao dong xuat sac", "tt lao dong xuat sac", "tt ldxs"),
    "co_thi_dua_bo": ("co thi dua cua bo", "co thi dua bo", "co thi dua cap bo", "co thi dua cua bo truong"),
    "co_thi_dua_cp": ("co thi dua cua chinh phu", "co thi dua chinh phu"),
    "giay_khen": ("giay khen",),
    "bang_khen_bo": (
        "bang khen cua bo truong",
        "bang khen bo truong",
        "bang khen cua bo",
        "bang khen cap bo",
        "bang khen bo",
        "bang khen cua chu tich ubnd tinh",
        "bang khen cua chu tich uy ban nhan dan tinh",
    ),
    "bang_khen_ttg": ("bang khen cua thu tuong chinh phu", "bang khen thu tuong chinh phu", "bang khen ttg"),
    "anh_hung_lao_dong": ("anh hung lao dong", "ahld"),
    "hc_ho_chi_minh": ("huan chuong ho chi minh",),
    "hc_sao_vang": ("huan chuong sao vang",),
    "ky_niem_chuong": ("ky niem chuong",),
}
# "Giấy khen của Thủ trưởng ...", "Kỷ niệm chương vì sự nghiệp ...": the beginning says the form
_PREFIXES = (
    ("bang khen cua thu tuong", "bang_khen_ttg"),
    ("bang khen thu tuong", "bang_khen_ttg"),
    ("bang khen cua bo truong", "bang_khen_bo"),
    ("bang khen cua chu tich", "bang_khen_bo"),
    ("bang khen cua bo", "bang_khen_bo"),
    ("bang khen cua ubnd", "bang_khen_bo"),
    ("giay khen", "giay_khen"),
    ("ky niem chuong", "ky_niem_chuong"),
    ("co thi dua cua chinh phu", "co_thi_dua_cp"),
    ("co thi dua cua", "co_thi_dua_bo"),
)


def _medal_spellings() -> dict[str, str]:
    found: dict[str, str] = {}
    for order, code_rank in (("lao dong", "hc_lao_dong"), ("doc lap", "hc_doc_lap")):
        short = "hcld" if order == "lao dong" else "hcdl"
        for spelled, rank in _ROMAN.items():
            code = f"{code_rank}_{_RANK_NUMBER[rank]}"
            for base in (f"huan chuong {order}", f"hc {order}", short):
                found[f"{base} hang {spelled}"] = code
                found[f"{base} hang {rank}"] = code
            found[f"{short}{spelled}"] = code
    return found


def award_lookup() -> dict[str, str]:
    lookup = {header_key(code): code for code in AwardCode.values}
    lookup.update(_medal_spellings())
    for code, spellings in _SYNONYMS.items():
        for spelling in spellings:
            lookup[header_key(spelling)] = code
    for code, label in AwardCode.choices:
        lookup.setdefault(header_key(label), code)
    return lookup


_LOOKUP: dict[str, str] | None = None


@functools.lru_cache(maxsize=4096)
def award_code(text: str) -> str | None:
    global _LOOKUP  # noqa: PLW0603 -- built once, from constants
    if _LOOKUP is None:
        _LOOKUP = award_lookup()
    key = header_key(text)
    if key.startswith("danh hieu "):
        key = key.removeprefix("danh hieu ")
    if key in _LOOKUP:
        return _LOOKUP[key]
    for prefix, code in _PREFIXES:
        if key.startswith(prefix):
            return code
    return None


def award_in(text: str) -> str | None:
    """An award named inside a heading ("Danh sách cá nhân được tặng Bằng khen của Bộ trưởng")."""
    if _LOOKUP is None:
        award_code("")
    key = f" {header_key(text)} "
    best = ""
    for spelling in _LOOKUP:
        if len(spelling) > len(best) and len(spelling) > 5 and f" {spelling} " in key:
            best = spelling
    if best:
        return _LOOKUP[best]
    for prefix, code in _PREFIXES:
        if f" {prefix} " in key:
            return code
    return None


def close_awards(text: str) -> list[str]:
    labels = {fold(label): str(label) for _code, label in AwardCode.choices}
    close = difflib.get_close_matches(fold(text), list(labels), n=3, cutoff=0.4)
    return [labels[c] for c in close]


def _issuer_level(text: str) -> str:
    key = header_key(text)
    for needle, level in (
        ("chu tich nuoc", IssuerLevel.STATE),
        ("thu tuong", IssuerLevel.GOVERNMENT),
        ("chinh phu", IssuerLevel.GOVERNMENT),
        ("bo", IssuerLevel.MINISTRY),
        ("tinh", IssuerLevel.PROVINCE),
        ("don vi", IssuerLevel.UNIT),
        ("co so", IssuerLevel.UNIT),
    ):
        if f" {needle} " in f" {key} ":
            return level
    return ""


# ---------------------------------------------------------------------------------------------- reading


@dataclass
class ParsedRow:
    index: int
    file: str
    sheet: str  # sheet name, or "Bảng n" for a Word table
    table: int  # 1-based table number within the sheet (Excel) or the document (Word)
    row: int
    name: str = ""
    position: str = ""
    unit_text: str = ""
    award_code: str = ""
    year: int | None = None
    decision_number: str = ""
    decided_on: str = ""  # ISO date (rows travel as JSON between the review and the write)
    birth_date: str = ""
    birth_year: int | None = None
    gender: str = ""
    id_number: str = ""
    issuer_level: str = ""
    issuer_name: str = ""
    # filled by match_rows
    subject: str = ""  # "person" | "collective"
    status: str = ""  # "link" | "review" | "create" | "skip"
    person_id: int | None = None
    collective_id: int | None = None
    unit_id: int | None = None
    reason: str = ""
    candidates: list[dict[str, Any]] = field(default_factory=list)
    proposal: str = ""

    def as_dict(self) -> dict[str, Any]:
        # what dataclasses.asdict gives (a copy; candidates are flat dicts of strings), without its deep
        # copy of every value: 100,000 rows are stored in the parse job
        data = {name: getattr(self, name) for name in _ROW_FIELDS}
        data["candidates"] = [dict(c) for c in self.candidates]
        return data


_ROW_FIELDS = tuple(f.name for f in fields(ParsedRow))


@dataclass
class ParsedList:
    file: str
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    notes: list[str] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)

    def add_error(
        self, message: str, *, sheet: str = "", table: int = 0, row: int = 0, column: str = ""
    ) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(_error(self.file, sheet, table, row, column, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": [r.as_dict() for r in self.rows],
            "errors": self.errors,
            "error_count": self.error_count,
            "notes": self.notes,
            "tables": self.tables,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedList:
        parsed = cls(
            file=data.get("file", ""),
            errors=list(data.get("errors") or []),
            error_count=int(data.get("error_count") or 0),
            notes=list(data.get("notes") or []),
            tables=list(data.get("tables") or []),
        )
        parsed.rows = [ParsedRow(**r) for r in data.get("rows") or []]
        return parsed


def _error(file: str, sheet: str, table: int, row: int, column: str, message: str) -> dict[str, Any]:
    parts = [_("Tệp '%(file)s'") % {"file": file}]
    word = sheet.startswith(_("Bảng"))
    if sheet:
        parts.append(sheet if word else _("sheet '%(sheet)s'") % {"sheet": sheet})
    if table and not word:
        parts.append(_("bảng %(n)s") % {"n": table})
    if row:
        parts.append(_("dòng %(row)s") % {"row": row})
    if column:
        parts.append(_("cột '%(column)s'") % {"column": column})
    where = ", ".join(parts)
    place = sheet if word or not table else f"{sheet}, " + _("bảng %(n)s") % {"n": table}
    return {
        "place": place,
        "file": file,
        "sheet": sheet,
        "table": table,
        "row": row,
        "column": column,
        "message": message,
        "text": f"{where}: {message}",
    }


class _Cell:
    """Reads one table row's cells; errors name the cell's header and column letter or number."""

    def __init__(self, parsed: ParsedList, table: imports.Table, headers: dict[str, str], word: bool):
        self.parsed, self.table, self.headers, self.word = parsed, table, headers, word

    def column(self, key: str) -> str:
        col = self.table.column_of(key)
        header = self.headers.get(key, key)
        if col is None:
            return header
        where = str(col) if self.word else spreadsheet.column_letters(col)
        return f"{header} ({where})" if not self.word else f"{header} ({_('cột')} {where})"

    def error(self, row: int, key: str | None, message: str) -> None:
        self.parsed.add_error(
            message,
            sheet=self.table.source,
            table=self.table.number,
            row=row,
            column=self.column(key) if key else "",
        )


def _headers(table: imports.Table, header_cells: dict[int, str]) -> dict[str, str]:
    return {key: header_cells.get(col) or SPEC.column(key).header for col, key in table.mapping.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        return _text_of(value)
    except TypeError:  # not hashable
        return _text_uncached(value)


@functools.lru_cache(maxsize=65536, typed=True)  # typed: 1.0 and True are different cells
def _text_of(value: Any) -> str:
    return _text_uncached(value)


def _text_uncached(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return _clean_text(str(value))


@functools.lru_cache(maxsize=65536)
def _clean_text(text: str) -> str:
    """`clean`, remembered: a list repeats its units, awards, dates and decisions on every row."""
    return clean(text)


def read_award_list(data: bytes, filename: str) -> ParsedList:
    """Every row of every table of an .xlsx or .docx list, with its origin and the errors of the file.
    A file that cannot be read at all gives one error and no rows."""
    parsed = ParsedList(file=filename)
    tables: list[tuple[imports.Table, dict[int, str], bool]] = []
    try:
        if data.startswith(imports.ZIP_MAGIC) and not _is_docx(data):
            tables = list(_excel_tables(data, parsed))
        else:
            tables = list(_word_tables(data, parsed))
    except (PackageError, imports.ImportFileError) as exc:
        parsed.add_error(exc.message)
        return parsed
    if not tables and not parsed.error_count:
        parsed.add_error(
            _(
                "Không tìm thấy bảng danh sách nào: cần một dòng tiêu đề có cột “Họ và tên” (hoặc “Tên tập "
                "thể”) và cột “Danh hiệu/Hình thức” (hoặc danh hiệu ghi ở tiêu đề trên bảng)."
            )
        )
    for table, header_cells, word in tables:
        _read_table(parsed, table, header_cells, word)
    return parsed


def _is_docx(data: bytes) -> bool:
    """The package guard runs either way; a package that is not a Word document is read as a workbook."""
    try:
        open_package(data, kind="docx")
    except PackageError:
        return False
    return True


def _excel_tables(data: bytes, parsed: ParsedList):
    book = spreadsheet.open_book(data)
    for name in book.sheet_names:
        if name in book.hidden:
            parsed.notes.append(_("Bỏ qua sheet ẩn '%(sheet)s'.") % {"sheet": name})
            continue
        header_cells: dict[int, str] = {}
        rows = _remember_headers(spreadsheet.iter_rows(book, name), header_cells)
        for table in imports.find_tables(rows, SPEC, source=name, anchor="name", min_columns=2):
            yield table, dict(header_cells), False


def _remember_headers(rows, header_cells: dict[int, str]):
    """Pass rows through, keeping the text of the rows before data starts (for column names in errors)."""
    for number, cells in rows:
        if number <= imports.HEADER_SEARCH_ROWS * 3:
            for col, value in cells.items():
                if isinstance(value, str) and value.strip() and len(value) < 80:
                    header_cells.setdefault(col, clean(value))
        yield number, cells


def _word_tables(data: bytes, parsed: ParsedList):
    for word_table in wordtables.read_tables(data):
        found = list(
            imports.find_tables(
                word_table.rows,
                SPEC,
                source=word_table.label,
                anchor="name",
                min_columns=2,
                headings=word_table.headings,
            )
        )
        for table in found:
            table.number = word_table.number
            header = dict(word_table.rows[table.header_rows[-1] - 1][1]) if table.header_rows else {}
            yield table, header, True


def _read_table(parsed: ParsedList, table: imports.Table, header_cells: dict[int, str], word: bool) -> None:
    headers = _headers(table, header_cells)
    cell = _Cell(parsed, table, headers, word)
    heading = " ".join(table.headings)
    head_number, head_date = decision_in(heading) if heading else ("", None)
    head_year = year_in(heading) if heading else None
    head_award = award_in(heading) if heading else None
    parsed.tables.append(
        {"sheet": table.source, "table": table.number, "headings": table.headings, "rows": len(table.rows)}
    )
    present = table.present
    today = timezone.localdate()  # once per table, not twice per row
    if "award" not in present and not head_award:
        cell.error(
            table.header_rows[0],
            None,
            _("Bảng không có cột “Danh hiệu/Hình thức” và tiêu đề trên bảng không nêu danh hiệu, hình thức."),
        )
        return
    for number, cells in table.rows:
        row = ParsedRow(
            index=len(parsed.rows), file=parsed.file, sheet=table.source, table=table.number, row=number
        )
        before = parsed.error_count
        for key, value in cells.items():
            if isinstance(value, spreadsheet.Uncalculated):
                cell.error(
                    number,
                    key,
                    _("Ô có công thức chưa được tính (%(formula)s); hãy mở tệp bằng Excel, lưu lại rồi nhập.")
                    % {"formula": str(value)[:60]},
                )
            elif isinstance(value, spreadsheet.CellError):
                cell.error(number, key, _("Ô có giá trị lỗi của Excel (%(error)s).") % {"error": str(value)})
        if parsed.error_count > before:
            continue
        row.name = _text(cells.get("name"))[:180]
        if not row.name:
            cell.error(number, "name", _("Thiếu họ và tên (hoặc tên tập thể)."))
        row.position = _text(cells.get("position"))[:120]
        row.unit_text = _text(cells.get("unit"))[:255]
        award_text = _text(cells.get("award")) if "award" in present else ""
        if award_text:
            code = award_code(award_text)
            if code is None:
                close = close_awards(award_text)
                message = _("Không nhận ra danh hiệu, hình thức '%(value)s'.") % {"value": award_text}
                if close:
                    message += " " + _("Gần giống: %(close)s.") % {"close": "; ".join(close)}
                cell.error(number, "award", message)
            row.award_code = code or ""
        elif head_award:
            row.award_code = head_award
        else:
            cell.error(number, "award", _("Thiếu danh hiệu, hình thức khen thưởng."))
        number_text = _text(cells.get("decision_number"))
        decided = cells.get("decided_on")
        combined = _text(cells.get("decision"))
        cell_number, cell_date = decision_in(combined) if combined else ("", None)
        row.decision_number = (number_text or cell_number or head_number)[:60]
        when = parse_date(decided) if "decided_on" in present and not _blank(decided) else None
        if "decided_on" in present and not _blank(decided) and when is None:
            cell.error(
                number,
                "decided_on",
                _("'%(value)s' không phải ngày (ghi như 15/01/2024 hoặc “ngày 15 tháng 01 năm 2024”).")
                % {"value": _text(decided)},
            )
        when = when or cell_date or head_date
        if not row.decision_number:
            cell.error(
                number,
                "decision_number"
                if "decision_number" in present
                else ("decision" if "decision" in present else None),
                _("Thiếu số quyết định: không có ở dòng này, cũng không có ở tiêu đề trên bảng."),
            )
        if when is None and parsed.error_count == before:
            cell.error(
                number,
                "decided_on" if "decided_on" in present else ("decision" if "decision" in present else None),
                _("Thiếu ngày quyết định: không có ở dòng này, cũng không có ở tiêu đề trên bảng."),
            )
        elif when and when > today:
            cell.error(number, "decided_on", _("Ngày quyết định %(d)s ở tương lai.") % {"d": _d(when)})
        row.decided_on = when.isoformat() if when else ""
        row.year = _row_year(cell, number, cells, present, head_year, when, today)
        if when and row.year and when.year < row.year:
            cell.error(
                number,
                "year" if "year" in present else "decided_on",
                _("Ngày quyết định %(d)s trước năm thành tích %(y)s.") % {"d": _d(when), "y": row.year},
            )
        if "birth_date" in present and not _blank(cells.get("birth_date")):
            raw = cells.get("birth_date")
            text = _text(raw)
            if is_digits(text) and len(text) == 4:
                row.birth_year = int(text)
            elif born := parse_date(raw):
                row.birth_date = born.isoformat()
                row.birth_year = born.year
            else:
                cell.error(number, "birth_date", _("'%(value)s' không phải ngày sinh.") % {"value": text})
        if "gender" in present and not _blank(cells.get("gender")):
            folded = fold(_text(cells.get("gender")))
            row.gender = {"nam": Gender.MALE, "nu": Gender.FEMALE}.get(folded, "")
            if not row.gender:
                cell.error(number, "gender", _("Giới tính ghi “Nam” hoặc “Nữ”."))
        if "id_number" in present and not _blank(cells.get("id_number")):
            raw = cells.get("id_number")
            text = (
                str(int(raw)).zfill(12)
                if isinstance(raw, float) and raw.is_integer()
                else "".join(str(raw).split())
            )
            if not is_digits(text) or len(text) not in (9, 12):
                cell.error(number, "id_number", _("Số định danh gồm 12 chữ số (hoặc 9 chữ số CMND cũ)."))
            row.id_number = text
        if "issuer" in present:
            row.issuer_name = _text(cells.get("issuer"))[:255]
            row.issuer_level = _issuer_level(row.issuer_name)
        if parsed.error_count == before:
            parsed.rows.append(row)


def _row_year(cell: _Cell, number: int, cells, present, head_year, when, today=None) -> int | None:
    low, high = 1945, (today or timezone.localdate()).year + 1
    if "year" in present and not _blank(cells.get("year")):
        text = _text(cells.get("year"))
        found = _YEAR.findall(text)
        if not found or not (low <= int(found[-1]) <= high):
            cell.error(number, "year", _("'%(value)s' không phải năm hợp lệ.") % {"value": text})
            return None
        return int(found[-1])
    if head_year and low <= head_year <= high:
        return head_year
    return when.year if when else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# ---------------------------------------------------------------------------------------------- matching


def _person_label(p: dict[str, Any], units: dict[int, Unit]) -> str:
    unit = units.get(p["current_unit_id"])
    born = p["birth_date"].strftime("%d/%m/%Y") if p["birth_date"] else _("chưa có ngày sinh")
    return f"{p['full_name']} — {born} — {unit.name if unit else ''} ({p['code']})"


def match_rows(parsed: ParsedList, *, actor, progress: Progress | None = None) -> ParsedList:
    """Decide, for every row, who it is about; only records inside the actor's scope are looked at."""
    scope = scope_for(actor, ACTION)
    units = {u.pk: u for u in scope.filter_units(Unit.objects.all())}
    unit_by_name: dict[str, list[Unit]] = defaultdict(list)
    for unit in units.values():
        for spelling in {fold(unit.name), fold(unit.short_name), fold(unit.code)} - {""}:
            unit_by_name[spelling].append(unit)
    collectives: dict[str, list[Collective]] = defaultdict(list)
    for c in scope.filter(Collective.objects.all(), "unit"):
        collectives[fold(c.name)].append(c)
    people = _People()
    folded_of = functools.lru_cache(maxsize=None)(fold)  # a list repeats its names row after row
    wanted = {folded_of(r.name) for r in parsed.rows}
    for p in scope.filter(Person.objects.all(), "current_unit").values(
        "pk", "code", "full_name", "birth_date", "id_number", "current_unit_id"
    ):
        folded = fold(p["full_name"])
        if folded in wanted:
            people.add(folded, p)
        if p["id_number"]:
            people.by_id[p["id_number"]].append(p)
    total = len(parsed.rows)
    unit_of = functools.lru_cache(maxsize=None)(lambda text: _unit_of(text, unit_by_name))
    for n, row in enumerate(parsed.rows, start=1):
        _match_one(row, units, unit_of, collectives, people, folded_of(row.name))
        if progress and (n % 1000 == 0 or n == total):
            progress(n, total, _("Đang đối chiếu với hồ sơ"))
    _mark_existing(parsed)
    return parsed


def _unit_of(text: str, unit_by_name) -> Unit | None:
    if not text:
        return None
    for spelling in [fold(text), *(fold(part) for part in re.split(r"[,;\-–]", text))]:
        found = unit_by_name.get(spelling.strip())
        if found and len(found) == 1:
            return found[0]
    return None


class _People:
    """The people of the scope whose folded name is in the list: by name (in the order read), by name and
    birth date, and by ID number; a row's candidates come from a dict, not a scan of its namesakes."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.by_born: dict[tuple[str, datetime.date], list[dict[str, Any]]] = defaultdict(list)
        self.undated: set[str] = set()  # names some of whose holders have no birth date
        self.by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add(self, folded: str, p: dict[str, Any]) -> None:
        self.by_name[folded].append(p)
        if p["birth_date"] is None:
            self.undated.add(folded)
        else:
            self.by_born[(folded, p["birth_date"])].append(p)


def _match_one(
    row: ParsedRow, units, unit_of, collectives, people: _People, folded: str | None = None
) -> None:
    unit = unit_of(row.unit_text)
    row.unit_id = unit.pk if unit else None
    folded = fold(row.name) if folded is None else folded
    group = collectives.get(folded, [])
    if row.award_code in COLLECTIVE_ONLY or (group and row.award_code not in PERSON_ONLY):
        row.subject = "collective"
        if unit:
            group = [c for c in group if c.unit_id == unit.pk] or group
        if len(group) == 1 and group[0].name == row.name:
            row.status, row.collective_id, row.unit_id = "link", group[0].pk, group[0].unit_id
            return
        if group:
            row.status = "review"
            row.reason = _("Tên tập thể có nhiều tập thể trùng hoặc chỉ khác dấu.")
            row.candidates = [
                {
                    "value": f"c:{c.pk}",
                    "label": f"{c.name} — {units[c.unit_id].name if c.unit_id in units else ''}",
                }
                for c in group
            ]
            row.proposal = row.candidates[0]["value"] if len(group) == 1 else ""
            return
        row.status = "error"
        row.reason = _("Không có tập thể tên '%(name)s' trong phạm vi bạn được nhập.") % {"name": row.name}
        return
    row.subject = "person"
    if row.id_number:
        held = people.by_id.get(row.id_number, [])
        if len(held) == 1:
            row.status, row.person_id = "link", held[0]["pk"]
            row.unit_id = row.unit_id or held[0]["current_unit_id"]
            return
    born = _iso_day(row.birth_date) if row.birth_date else None

    def compatible(p) -> bool:
        if born is None or p["birth_date"] is None:
            return row.birth_year is None or p["birth_date"] is None or p["birth_date"].year == row.birth_year
        return p["birth_date"] == born

    if born is not None and folded not in people.undated:
        same = people.by_born.get((folded, born), [])  # the same as filtering by `compatible`, by key
    else:
        same = [p for p in people.by_name.get(folded, []) if compatible(p)]
    in_unit = [p for p in same if unit and p["current_unit_id"] == unit.pk]
    reason = ""
    if len(in_unit) == 1:
        p = in_unit[0]
        exact_name = p["full_name"] == row.name
        dated = (born is not None and p["birth_date"] == born) or (born is None and row.birth_year is None)
        if exact_name and dated:
            row.status, row.person_id = "link", p["pk"]
            return
        reason = (
            _("Tên chỉ giống khi bỏ dấu.")
            if not exact_name
            else _("Cùng họ tên trong đơn vị nhưng không có ngày sinh để đối chiếu.")
        )
        candidates = in_unit
    elif len(in_unit) > 1:
        reason, candidates = _("Có nhiều người cùng họ tên trong đơn vị."), in_unit
    elif same:
        reason = (
            _("Có người cùng họ tên ở đơn vị khác trong phạm vi của bạn.")
            if unit
            else _("Không xác định được đơn vị; có người cùng họ tên trong phạm vi của bạn.")
        )
        candidates = same
    else:
        if unit is None:
            row.status = "error"
            row.reason = (
                _("Không có đơn vị '%(unit)s' trong phạm vi bạn được nhập, nên không thể thêm cán bộ mới.")
                % {"unit": row.unit_text}
                if row.unit_text
                else _("Không có cán bộ tên '%(name)s' trong phạm vi của bạn và dòng không ghi đơn vị.")
                % {"name": row.name}
            )
            return
        row.status = "create"
        return
    row.status, row.reason = "review", reason
    row.candidates = [{"value": f"p:{p['pk']}", "label": _person_label(p, units)} for p in candidates[:20]]
    if unit is not None:
        row.candidates.append(
            {"value": "new", "label": _("Thêm cán bộ mới ở %(unit)s") % {"unit": unit.name}}
        )
    row.candidates.append({"value": "skip", "label": _("Bỏ qua dòng này")})
    row.proposal = row.candidates[0]["value"] if len(candidates) == 1 else ""


def _norm_number(number: str) -> str:
    return "".join(number.split()).casefold()


def _mark_existing(parsed: ParsedList) -> None:
    """Rows already in the register (same subject, award, year and decision) are linked: "đã có"."""
    for subject, id_field in (("person", "person_id"), ("collective", "collective_id")):
        ids = {getattr(r, id_field) for r in parsed.rows if getattr(r, id_field)}
        existing: dict[tuple, int] = {}
        for part in imports.chunks(ids):
            for pk, sid, code, year, number in AwardRecord.objects.filter(
                **{f"{id_field}__in": part}
            ).values_list("pk", id_field, "award_code", "last_year", "decision_number"):
                existing[(sid, code, year, _norm_number(number))] = pk
        for r in parsed.rows:
            if r.subject == subject and getattr(r, id_field) and r.status == "link":
                key = (getattr(r, id_field), r.award_code, r.year, _norm_number(r.decision_number))
                if key in existing:
                    r.status, r.reason = "existing", str(existing[key])


def errors_of_matching(parsed: ParsedList) -> None:
    """Rows no choice can save (a collective or unit not in scope) are errors of the file."""
    for r in parsed.rows:
        if r.status == "error":
            column = (
                SPEC.column("unit").header
                if r.subject == "person" and r.unit_text
                else SPEC.column("name").header
            )
            parsed.error_count += 1
            if len(parsed.errors) < MAX_ERRORS:
                parsed.errors.append(_error(r.file, r.sheet, r.table, r.row, column, r.reason))


def parse_and_match(data: bytes, filename: str, *, actor, progress: Progress | None = None) -> ParsedList:
    parsed = read_award_list(data, filename)
    if parsed.error_count:
        return parsed
    match_rows(parsed, actor=actor, progress=progress)
    errors_of_matching(parsed)
    return parsed


# ---------------------------------------------------------------------------------------------- writing


def _name_parts(full: str) -> tuple[str, str, str]:
    words = full.split()
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def write_award_list(
    *, actor, parsed: ParsedList, choices: dict[int, str], source: str, progress: Progress | None = None
) -> dict[str, Any]:
    """Write every row of a reviewed list in one transaction, or nothing. `choices` gives, for each row
    left for review, "p:<id>", "c:<id>", "new" or "skip"; a choice must be one the review offered.
    Returns the counts and the report rows."""
    require_perm(actor, ACTION)
    if parsed.error_count:
        raise ServiceError(_("Tệp còn lỗi; chưa ghi dữ liệu nào."))
    scope = scope_for(actor, ACTION)
    missing = [r for r in parsed.rows if r.status == "review" and choices.get(r.index, r.proposal) == ""]
    if missing:
        r = missing[0]
        raise ServiceError(
            _("Chưa chọn cách xử lý cho %(sheet)s, dòng %(row)s (%(name)s) và %(n)s dòng khác.")
            % {"sheet": r.sheet, "row": r.row, "name": r.name, "n": len(missing) - 1}
        )
    total = len(parsed.rows)
    report: list[dict[str, Any]] = []
    imported = str(AwardSource.IMPORTED)
    labels = {code: str(label) for code, label in AwardCode.choices}  # once, in the active language
    with transaction.atomic():
        people, collectives, units = _locked_subjects(parsed, choices, scope)
        created_people: dict[tuple, Person] = {}
        new_records: list[dict[str, Any]] = []
        note = (_("Nhập từ %(file)s") % {"file": source})[:255]
        added, known = _("Thêm mới"), _("Đã có")
        seen: dict[tuple, int] = {}
        counts = {"created": 0, "linked": 0, "skipped": 0, "people_created": 0}
        existing = _existing_keys(parsed, choices)
        for n, r in enumerate(parsed.rows, start=1):
            choice = choices.get(r.index, r.proposal) if r.status == "review" else r.status
            outcome = _outcome(r, choice, people, collectives, units)
            if outcome == "skip":
                counts["skipped"] += 1
                report.append(_report_row(r, _("Bỏ qua"), labels=labels))
                continue
            if outcome == "new":
                key = (fold(r.name), r.unit_id, r.birth_date)
                person = created_people.get(key)
                if person is None:
                    person = _create_person(actor, r, units[r.unit_id], source)
                    created_people[key] = person
                    counts["people_created"] += 1
                person_id, collective_id, unit_id = person.pk, None, r.unit_id
            else:
                kind, pk = outcome
                if kind == "p":
                    person_id, collective_id = pk, None
                    unit_id = r.unit_id if r.unit_id in units else people[pk]
                else:
                    person_id, collective_id, unit_id = None, pk, collectives[pk].unit_id
            key = (person_id, collective_id, r.award_code, r.year, _norm_number(r.decision_number))
            if key in existing or key in seen:
                counts["linked"] += 1
                report.append(_report_row(r, known, person_id, collective_id, labels))
                continue
            seen[key] = r.index
            new_records.append(
                {
                    "person_id": person_id,
                    "collective_id": collective_id,
                    "unit_id": unit_id,
                    "award_code": r.award_code,
                    "first_year": r.year,
                    "last_year": r.year,
                    "decision_number": r.decision_number,
                    "decided_on": _iso_day(r.decided_on),
                    "issuer_level": r.issuer_level,
                    "issuer_name": r.issuer_name,
                    "source": imported,
                    "note": note,
                }
            )
            report.append(_report_row(r, added, person_id, collective_id, labels))
            if progress and n % 2000 == 0:
                progress(n, total * 2, _("Đang chuẩn bị ghi"))
        try:
            # one multi-row INSERT per 2,000 records (core/audit.insert_rows), the new ids in order
            record_ids = insert_rows(AwardRecord, new_records, returning=True) or []
        except IntegrityError as exc:
            raise ServiceError(
                _("Không ghi được: một khen thưởng trong tệp vừa được người khác nhập; hãy nhập lại tệp.")
            ) from exc
        counts["created"] = len(new_records)
        if progress:
            progress(total + total // 2, total * 2, _("Đang ghi nhật ký"))
        # every created record has its own event in the trail, written in bulk like the records
        audit_bulk(
            actor,
            (
                {
                    "event": "award.import",
                    "object_type": AwardRecord._meta.label_lower,
                    "object_id": pk,
                    "unit_id": a["unit_id"],
                    # the record's str() would look its label up through the lazy choices on every row
                    "object_repr": f"{labels[a['award_code']]} {a['last_year']} ({a['decision_number']})",
                    "action": AuditAction.CREATE,
                    "changes": {
                        "award_code": a["award_code"],
                        "last_year": a["last_year"],
                        "decision_number": a["decision_number"],
                        "decided_on": a["decided_on"].isoformat(),
                        "source": imported,
                    },
                }
                for pk, a in zip(record_ids, new_records, strict=True)
            ),
        )
        audit_many(
            actor,
            [
                {
                    "event": "award.import",
                    "object_type": "org.import",
                    "object_repr": source[:255],
                    "changes": {"source": source, "rows": total, **counts},
                }
            ],
        )
    if progress:
        progress(total * 2, total * 2, _("Hoàn tất"))
    return {"total": total, **counts, "report": report}


def _locked_subjects(parsed: ParsedList, choices: dict[int, str], scope):
    """The people, collectives and units the write will use, read again and checked against the scope
    now (a record may have moved since the review); anything outside it stops the whole write."""
    person_ids, collective_ids, unit_ids = set(), set(), set()
    for r in parsed.rows:
        if r.unit_id:
            unit_ids.add(r.unit_id)
        choice = choices.get(r.index, r.proposal) if r.status == "review" else ""
        if r.person_id:
            person_ids.add(r.person_id)
        if r.collective_id:
            collective_ids.add(r.collective_id)
        if choice.startswith("p:") and choice[2:].isdigit():
            person_ids.add(int(choice[2:]))
        if choice.startswith("c:") and choice[2:].isdigit():
            collective_ids.add(int(choice[2:]))
    people: dict[int, int | None] = {}  # person -> current unit: plain values, not 50,000 objects
    for part in imports.chunks(person_ids):
        people.update(Person.objects.filter(pk__in=part).values_list("pk", "current_unit_id"))
    held: dict[int, Unit] = {}
    for part in imports.chunks(set(people.values())):
        held.update({u.pk: u for u in Unit.objects.filter(pk__in=part).only("id", "path")})
    collectives: dict[int, Collective] = {}
    for part in imports.chunks(collective_ids):
        collectives.update({c.pk: c for c in Collective.objects.select_related("unit").filter(pk__in=part)})
    units: dict[int, Unit] = {}
    for part in imports.chunks(unit_ids):
        units.update({u.pk: u for u in Unit.objects.filter(pk__in=part)})
    if (
        len(people) < len(person_ids)
        or len(collectives) < len(collective_ids)
        or not all(scope.covers(held.get(unit_id)) for unit_id in set(people.values()))
        or not all(scope.covers(c.unit) for c in collectives.values())
    ):
        raise ServiceError(
            _(
                "Một số hồ sơ trong danh sách đã thay đổi hoặc không còn trong phạm vi của bạn; "
                "hãy tải tệp lên lại."
            )
        )
    units = {pk: u for pk, u in units.items() if scope.covers(u)}
    return people, collectives, units


def _outcome(r: ParsedRow, choice: str, people, collectives, units):
    if choice == "link":
        return ("p", r.person_id) if r.subject == "person" else ("c", r.collective_id)
    if choice == "existing":
        return ("p", r.person_id) if r.subject == "person" else ("c", r.collective_id)
    if choice in ("create", "new"):
        if r.unit_id not in units or (choice == "new" and not any(c["value"] == "new" for c in r.candidates)):
            raise ServiceError(
                _("Lựa chọn không hợp lệ ở %(sheet)s, dòng %(row)s.") % {"sheet": r.sheet, "row": r.row}
            )
        return "new"
    if choice == "skip":
        return "skip"
    offered = {c["value"] for c in r.candidates}
    if choice not in offered:
        raise ServiceError(
            _("Lựa chọn không hợp lệ ở %(sheet)s, dòng %(row)s.") % {"sheet": r.sheet, "row": r.row}
        )
    kind, pk = choice.split(":")
    return kind, int(pk)


def _existing_keys(parsed: ParsedList, choices: dict[int, str]) -> set[tuple]:
    ids: dict[str, set[int]] = {"person_id": set(), "collective_id": set()}
    for r in parsed.rows:
        choice = choices.get(r.index, r.proposal) if r.status == "review" else ""
        if r.person_id:
            ids["person_id"].add(r.person_id)
        if r.collective_id:
            ids["collective_id"].add(r.collective_id)
        if choice[:2] in ("p:", "c:") and choice[2:].isdigit():
            ids["person_id" if choice[0] == "p" else "collective_id"].add(int(choice[2:]))
    keys: set[tuple] = set()
    for field_name, values in ids.items():
        for part in imports.chunks(values):
            for person, collective, code, year, number in AwardRecord.objects.filter(
                **{f"{field_name}__in": part}
            ).values_list("person_id", "collective_id", "award_code", "last_year", "decision_number"):
                keys.add((person, collective, code, year, _norm_number(number)))
    return keys


def _create_person(actor, r: ParsedRow, unit: Unit, source: str) -> Person:
    family, middle, given = _name_parts(r.name)
    return org_services.person_create(
        actor=actor,
        unit=unit,
        code=f"LS{uuid.uuid4().hex[:10].upper()}",
        family_name=family,
        middle_name=middle,
        given_name=given,
        gender=r.gender or "",
        birth_date=datetime.date.fromisoformat(r.birth_date) if r.birth_date else None,
        id_number=r.id_number or None,
        position=r.position,
    )


@functools.lru_cache(maxsize=4096)
def _iso_day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _award_label(code: str) -> str:
    return _label_in(code, translation.get_language()) if code else ""


@functools.lru_cache(maxsize=256)
def _label_in(code: str, _language: str | None) -> str:
    return str(AwardCode(code).label)


def _report_row(
    r: ParsedRow, outcome: str, person_id=None, collective_id=None, labels: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "sheet": r.sheet,
        "table": r.table,
        "row": r.row,
        "name": r.name,
        "award": labels.get(r.award_code, "") if labels is not None else _award_label(r.award_code),
        "year": r.year,
        "decision_number": r.decision_number,
        "outcome": outcome,
        "person_id": person_id,
        "collective_id": collective_id,
    }


def import_award_list(
    *,
    actor,
    data: bytes,
    filename: str,
    choices: dict[int, str] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The whole import for a user, without a request: read, match, write. Rows left for review take the
    given choice, else the proposed one, else are skipped. A file with errors writes nothing and returns
    them."""
    parsed = parse_and_match(data, filename, actor=actor, progress=progress)
    if parsed.error_count:
        return {
            "total": len(parsed.rows),
            "created": 0,
            "errors": parsed.errors,
            "error_count": parsed.error_count,
        }
    wanted = {
        r.index: (choices or {}).get(r.index) or r.proposal or "skip"
        for r in parsed.rows
        if r.status == "review"
    }
    result = write_award_list(actor=actor, parsed=parsed, choices=wanted, source=filename, progress=progress)
    return result | {"errors": [], "error_count": 0, "notes": parsed.notes}


def max_upload_bytes() -> int:
    return settings.TDKT_IMPORT_MAX_BYTES
