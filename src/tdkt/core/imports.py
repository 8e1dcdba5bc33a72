"""The one import pipeline of the project.

read (core/spreadsheet.py: streamed, bounded by the data present, behind the package guard of
core/ooxml.py) → map columns by a spec (header names matched with `fold`, so case, diacritics and extra
spaces do not matter) → validate every row into records, collecting errors that name the
sheet, row and column in Vietnamese → check the whole file at once (duplicates, references, scope) →
write the whole file in one transaction, or nothing when any row is wrong → report.

An app describes one kind of import with an `Importer`: its `Spec` (the columns), `parse(row)` that
turns a `Row` into a record dict, `check(records, actor, errors)` for what needs the whole file or the
database, and `write(records, actor, source)` that calls the app's service and returns the counts.

A coded column (`Column.choices`) takes the code or the Vietnamese label, whatever the case and accents
(in any of the site's languages, so a template downloaded in English imports too); the template shows
the labels, offers them in an Excel drop-down list and lists them, with the code, in the guide sheet.
"""

from __future__ import annotations

import datetime
import difflib
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

import xlsxwriter
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name

from tdkt.core import spreadsheet
from tdkt.core.ooxml import ZIP_MAGIC, PackageError
from tdkt.core.text import clean, clean_code, code_problem
from tdkt.core.text import fold as fold_text

HEADER_SEARCH_ROWS = 10
MAX_STORED_ERRORS = 1000
GUIDE_SHEET = "Hướng dẫn"
LIST_SHEET = "Danh mục"  # hidden sheet holding the drop-down lists too long to write inline
MAX_INLINE_LIST = 255  # Excel's limit for a list typed into the validation itself
SUGGESTED_LABELS = 4  # how many accepted values an error message names when the list is long

Progress = Callable[[int, int, str], None]


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not an Excel file, no sheet, missing columns...)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Column:
    """One column of an import: its key in the record, the header in the template and what it accepts."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # the column must be in the file (a value may still be optional)
    help: str = ""  # format and allowed values, shown in the template's guide sheet
    example: Any = ""
    width: float = 16
    text: bool = False  # formatted as text in the template (codes, ID numbers keep leading zeros)
    choices: tuple[tuple[str, Any], ...] = ()  # (code, label): a coded column takes either
    synonyms: tuple[tuple[str, Any], ...] = ()  # (code, text): more spellings accepted, never offered

    def names(self) -> set[str]:
        return {fold(self.header), *(fold(a) for a in self.aliases)}

    def options(self) -> list[tuple[str, str]]:
        """(code, label) in the active language, once per code, in the order of `choices`."""
        return _options(self.choices)

    def shown(self, value: Any) -> Any:
        """A value as the template shows it: the label for a code of a coded column."""
        return dict(self.options()).get(value, value) if self.choices and isinstance(value, str) else value


@dataclass(frozen=True)
class Spec:
    kind: str
    title: str
    sheet: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = _("Sheet '%(sheet)s', dòng %(row)s") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            where += _(", cột '%(column)s'") % {"column": self.column}
        return f"{where}: {self.message}"


class Errors:
    """The errors of one file; `add` takes a column key and finds its header."""

    def __init__(self, spec: Spec, sheet: str):
        self.spec, self.sheet = spec, sheet
        self.items: list[RowError] = []
        self._rows_with_errors: set[int] = set()
        self.lookups: dict[str, dict[str, str]] = {}  # column key -> folded spelling -> code, per file

    def add(self, row: int, key: str | None, message: str) -> None:
        header = self.spec.column(key).header if key else ""
        self.items.append(RowError(self.sheet, row, header, str(message)))
        self._rows_with_errors.add(row)

    def has_row(self, row: int) -> bool:
        return row in self._rows_with_errors

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def as_list(self) -> list[dict[str, Any]]:
        ordered = sorted(self.items, key=lambda e: (e.row, e.column))
        return [e.as_dict() | {"text": str(e)} for e in ordered[:MAX_STORED_ERRORS]]


def _options(pairs: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
    first: dict[str, str] = {}
    for code, label in pairs:
        first.setdefault(str(code), str(label))
    return list(first.items())


def fold(text: Any) -> str:
    return fold_text(str(text) if text is not None else "")


_DATE_TEXT = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_TRUE = {"co", "x", "1", "yes", "true", "dung", "c"}
_FALSE = {"khong", "0", "no", "false", "sai", "k"}


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


class Row:
    """One data row of the sheet: raw cells by key and typed getters that record errors in Vietnamese."""

    def __init__(self, number: int, cells: Mapping[str, Any], present: set[str], errors: Errors):
        self.number = number
        self.cells = cells
        self.present = present
        self.errors = errors

    def has(self, key: str) -> bool:
        """The column is in the file (an absent column leaves the stored value untouched)."""
        return key in self.present

    def raw(self, key: str) -> Any:
        value = self.cells.get(key, "")
        return "" if value is None else value

    def blank(self, key: str) -> bool:
        value = self.raw(key)
        return isinstance(value, str) and not value.strip()

    def error(self, key: str | None, message: str) -> None:
        self.errors.add(self.number, key, message)

    @property
    def ok(self) -> bool:
        return not self.errors.has_row(self.number)

    def _unreadable(self, key: str) -> bool:
        """Records an error and returns True for a formula saved without its result or an Excel error."""
        value = self.raw(key)
        if isinstance(value, spreadsheet.Uncalculated):
            self.error(
                key,
                _(
                    "Ô có công thức chưa được tính (%(formula)s): tệp được lưu bởi một chương trình không "
                    "tính công thức. Hãy mở tệp bằng Excel rồi lưu lại, hoặc dán giá trị thay cho công thức."
                )
                % {"formula": str(value)[:60]},
            )
            return True
        if isinstance(value, spreadsheet.CellError):
            self.error(key, _("Ô có giá trị lỗi của Excel (%(error)s).") % {"error": str(value)})
            return True
        return False

    def _missing(self, key: str, required: bool) -> bool:
        if self._unreadable(key):
            return True
        if self.blank(key):
            if required:
                self.error(key, _("Không được để trống."))
            return True
        return False

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        if self._missing(key, required):
            return ""
        value = clean(_shown(self.raw(key)))
        if max_length and len(value) > max_length:
            self.error(key, _("Dài quá %(n)s ký tự.") % {"n": max_length})
        return value

    def code(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        """A code: cleaned like every code the system stores (core.text.clean_code), plain ASCII."""
        if self._missing(key, required):
            return ""
        value = clean_code(_shown(self.raw(key)))
        if max_length and len(value) > max_length:
            self.error(key, _("Dài quá %(n)s ký tự.") % {"n": max_length})
        elif problem := code_problem(value):
            self.error(key, problem)
        return value

    def date(self, key: str, *, required: bool = False) -> datetime.date | None:
        if self._missing(key, required):
            return None
        value = self.raw(key)
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        match = _DATE_TEXT.match(str(value)) if isinstance(value, str) else None
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                pass
        self.error(
            key,
            _("'%(value)s' không phải ngày hợp lệ (định dạng dd/mm/yyyy)") % {"value": _shown(value)},
        )
        return None

    def integer(
        self, key: str, *, required: bool = False, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        if self._missing(key, required):
            return None
        value = self.raw(key)
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and value.strip().isdigit():
            number = int(value.strip())
        if number is None:
            self.error(key, _("'%(value)s' không phải số nguyên.") % {"value": _shown(value)})
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.error(
                key,
                _("%(value)s nằm ngoài khoảng cho phép (%(min)s–%(max)s).")
                % {"value": number, "min": minimum if minimum is not None else "", "max": maximum or ""},
            )
            return None
        return number

    def boolean(self, key: str) -> bool:
        if self._unreadable(key):
            return False
        value = self.raw(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return bool(value)
        folded = fold(value)
        if folded in _TRUE:
            return True
        if not folded or folded in _FALSE:
            return False
        self.error(key, _("'%(value)s' không hợp lệ; ghi “Có” hoặc để trống.") % {"value": _shown(value)})
        return False

    def choice(
        self, key: str, choices: Iterable[tuple[str, Any]] | None = None, *, required: bool = False
    ) -> str:
        """A value given by its code or its label (any site language), whatever the case and accents.

        Without `choices`, the column's own `choices` and `synonyms` are used."""
        if self._missing(key, required):
            return ""
        if choices is None:
            column = self.errors.spec.column(key)
            if key not in self.errors.lookups:
                self.errors.lookups[key] = choice_lookup([*column.choices, *column.synonyms])
            lookup, options = self.errors.lookups[key], column.options()
        else:
            pairs = list(choices)
            lookup, options = choice_lookup(pairs), _options(pairs)
        wanted = fold(_shown(self.raw(key)))
        if wanted in lookup:
            return lookup[wanted]
        self.error(key, unknown_value_message(_shown(self.raw(key)), [label for _c, label in options]))
        return ""


def choice_lookup(pairs: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Folded spelling -> code: the code, the label in each site language, and "label (code)" as the
    guide sheet writes it. Codes come first, then the active language, so they win a clash."""
    pairs = list(pairs)
    lookup = {fold(code): str(code) for code, _label in pairs}
    languages = [translation.get_language(), *(code for code, _name in settings.LANGUAGES)]
    for language in dict.fromkeys(lang for lang in languages if lang):
        with translation.override(language):
            for code, label in pairs:
                for spelling in (str(label), f"{label} ({code})"):
                    lookup.setdefault(fold(spelling), str(code))
    return lookup


def unknown_value_message(value: str, labels: list[str]) -> str:
    """Names every accepted label of a short list, or the few closest to `value` of a long one."""
    if len(labels) <= SUGGESTED_LABELS + 1:
        return _("'%(value)s' không thuộc các giá trị cho phép: %(allowed)s.") % {
            "value": value,
            "allowed": "; ".join(labels),
        }
    by_fold = {fold(label): label for label in labels}
    close = difflib.get_close_matches(fold(value), list(by_fold), n=SUGGESTED_LABELS, cutoff=0.5)
    picked = [by_fold[c] for c in close] or labels[:SUGGESTED_LABELS]
    return _(
        "'%(value)s' không thuộc các giá trị cho phép, ví dụ: %(allowed)s… "
        "(đủ %(n)s giá trị ở sheet “Hướng dẫn” và danh sách chọn của tệp mẫu)."
    ) % {"value": value, "allowed": "; ".join(picked), "n": len(labels)}


class Importer(Protocol):
    spec: Spec

    def parse(self, row: Row) -> dict[str, Any] | None: ...

    def check(self, records: list[dict[str, Any]], *, actor, errors: Errors) -> None: ...

    def write(self, records: list[dict[str, Any]], *, actor, source: str) -> dict[str, int]: ...


def chunks(values: Iterable[Any], size: int = 500) -> Iterable[list[Any]]:
    """Sorted distinct values in slices, for `__in` lookups that stay under the database's limits."""
    ordered = sorted({v for v in values if v not in (None, "")})
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


# ---------------------------------------------------------------------------------------------- reading


def open_workbook(file: IO[bytes] | bytes) -> spreadsheet.Book:
    data = file if isinstance(file, bytes) else _read_all(file)
    if not data:
        raise ImportFileError(_("Tệp rỗng."))
    if not data.startswith(ZIP_MAGIC):
        raise ImportFileError(
            _("Tệp không phải Excel .xlsx (hãy lưu tệp dưới dạng “Excel Workbook (.xlsx)”).")
        )
    try:
        return spreadsheet.open_book(data)
    except PackageError as exc:
        raise ImportFileError(exc.message) from exc


def _read_all(file: IO[bytes]) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    if hasattr(file, "seek"):
        file.seek(0)
    return data


def _pick_sheet(book: spreadsheet.Book, spec: Spec) -> str:
    names = book.sheet_names
    wanted = fold(spec.sheet)
    for name in names:
        if fold(name) == wanted:
            return name
    candidates = [n for n in names if fold(n) not in (fold(GUIDE_SHEET), fold(LIST_SHEET))]
    if not candidates:
        raise ImportFileError(_("Tệp không có sheet dữ liệu nào."))
    return candidates[0]


SheetRow = tuple[int, dict[int, Any]]  # (Excel row number, {column number: value}), valued cells only


def _map_header(head: list[SheetRow], spec: Spec, sheet: str) -> tuple[int, dict[int, str]]:
    """Find the header row among the first rows: the one naming most of the spec's columns."""
    best: tuple[int, dict[int, str]] = (0, {})
    for number, cells in head:
        mapping: dict[int, str] = {}
        for col, cell in sorted(cells.items()):
            name = fold(cell)
            if not name:
                continue
            for column in spec.columns:
                if name in column.names() and column.key not in mapping.values():
                    mapping[col] = column.key
                    break
        if len(mapping) > len(best[1]):
            best = (number, mapping)
    number, mapping = best
    if not mapping:
        raise ImportFileError(
            _(
                "Sheet '%(sheet)s' không có dòng tiêu đề với các cột của mẫu nhập “%(title)s”; "
                "hãy dùng tệp mẫu tải về từ hệ thống."
            )
            % {"sheet": sheet, "title": spec.title}
        )
    missing = [c.header for c in spec.columns if c.required and c.key not in mapping.values()]
    if missing:
        raise ImportFileError(
            _("Sheet '%(sheet)s' thiếu cột bắt buộc: %(columns)s.")
            % {"sheet": sheet, "columns": ", ".join(f"'{m}'" for m in missing)}
        )
    return number, mapping


@dataclass
class Sheet:
    name: str
    present: set[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (Excel row number, cells by key)
    columns: dict[str, str] = field(default_factory=dict)  # key -> column letters, for messages


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(file: IO[bytes] | bytes, spec: Spec) -> Sheet:
    """Open the file, find the sheet and its header, and return the non-empty data rows.

    The sheet is streamed (core/spreadsheet.py): only rows holding values are read, a value outside
    the configured extent stops the reading with a message naming its cell, and only the columns of
    the spec are kept."""
    book = open_workbook(file)
    name = _pick_sheet(book, spec)
    rows = spreadsheet.iter_rows(book, name)
    try:
        head: list[SheetRow] = []
        following: SheetRow | None = None
        for row in rows:
            if row[0] > HEADER_SEARCH_ROWS:
                following = row
                break
            head.append(row)
        header_number, mapping = _map_header(head, spec, name)
        sheet = Sheet(
            name=name,
            present=set(mapping.values()),
            columns={key: spreadsheet.column_letters(col) for col, key in mapping.items()},
        )
        data = [r for r in head if r[0] > header_number] + ([following] if following else [])
        for number, cells in itertools.chain(data, rows):
            by_key = {key: cells.get(col, "") for col, key in mapping.items()}
            if all(_blank(v) for v in by_key.values()):
                continue
            sheet.rows.append((number, by_key))
    except PackageError as exc:
        raise ImportFileError(exc.message) from exc
    if not sheet.rows:
        raise ImportFileError(_("Sheet '%(sheet)s' không có dòng dữ liệu nào.") % {"sheet": name})
    return sheet


def check_file(file: IO[bytes] | bytes, spec: Spec) -> Sheet:
    """What the upload form checks before a job is created: the file opens and has the columns."""
    return read_sheet(file, spec)


# ---------------------------------------------------------------------------------------------- running


def run(
    file: IO[bytes] | bytes, importer: Importer, *, actor, source: str, progress: Progress | None = None
) -> dict[str, Any]:
    """Validate every row, then write all of them in one transaction (inside `importer.write`) or none.

    Returns {"total", "created", "updated", "unchanged", "errors": [...], "error_count"}. Raises
    ImportFileError when the file as a whole is unusable.
    """
    spec = importer.spec
    sheet = read_sheet(file, spec)
    total = len(sheet.rows)
    steps = total * 2

    def report(done: int, message: str) -> None:
        if progress:
            progress(done, steps, message)

    errors = Errors(spec, sheet.name)
    records: list[dict[str, Any]] = []
    checking = _("Đang kiểm tra dữ liệu")
    for done, (number, cells) in enumerate(sheet.rows, start=1):
        row = Row(number, cells, sheet.present, errors)
        record = importer.parse(row)
        if record is not None and row.ok:
            record["_row"] = number
            records.append(record)
        report(done, checking)
    if records:  # whole-file checks on the rows that are valid by themselves, so all errors show at once
        importer.check(records, actor=actor, errors=errors)
    result: dict[str, Any] = {"total": total, "created": 0, "updated": 0, "unchanged": 0, "sheet": sheet.name}
    if errors:
        result |= {"errors": errors.as_list(), "error_count": len(errors)}
        return result
    report(total, _("Đang ghi dữ liệu"))
    counts = importer.write(records, actor=actor, source=source)
    report(steps, _("Hoàn tất"))
    return result | counts | {"errors": [], "error_count": 0}


# ---------------------------------------------------------------------------------------------- template


def write_template(out: IO[bytes], spec: Spec, *, examples: Mapping[str, Any] | None = None) -> None:
    """The downloadable template: the header row, one example row (coded columns show labels), a
    drop-down list on every coded column and a guide sheet for every column."""
    examples = {c.key: c.example for c in spec.columns} | dict(examples or {})
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    try:
        header_fmt = workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        )
        required_fmt = workbook.add_format(
            {"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True}
        )
        text_fmt = workbook.add_format({"num_format": "@"})
        date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy"})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        bold_wrap = workbook.add_format({"text_wrap": True, "valign": "top", "bold": True})
        ws = workbook.add_worksheet(spec.sheet[:31])
        for col, column in enumerate(spec.columns):
            ws.set_column(col, col, column.width, text_fmt if column.text else None)
            ws.write_string(0, col, column.header, required_fmt if column.required else header_fmt)
            value = column.shown(examples.get(column.key, ""))
            if isinstance(value, datetime.date):
                ws.write_datetime(1, col, datetime.datetime(value.year, value.month, value.day), date_fmt)
            elif isinstance(value, int) and not isinstance(value, bool):
                ws.write_number(1, col, value)
            elif value not in ("", None):
                ws.write_string(1, col, str(value))
        ws.freeze_panes(1, 0)
        guide = workbook.add_worksheet(GUIDE_SHEET)
        guide.set_column(0, 0, 28)
        guide.set_column(1, 1, 12)
        guide.set_column(2, 2, 80)
        guide.write_string(0, 0, str(spec.title), bold_wrap)
        guide.write_string(
            1,
            0,
            _(
                "Nhập từ dòng 2 của sheet '%(sheet)s' (có thể xoá dòng ví dụ). Ngày ghi dd/mm/yyyy. "
                "Cột có danh mục: chọn trong danh sách của ô, hoặc ghi tên (có dấu hay không dấu, hoa "
                "hay thường đều được) hoặc mã trong ngoặc. "
                "Tệp có bất kỳ dòng lỗi nào sẽ không được ghi; hệ thống báo lỗi theo sheet, dòng, cột. "
                "Nhập lại cùng một tệp không làm thay đổi dữ liệu."
            )
            % {"sheet": spec.sheet},
        )
        for col, text in enumerate((_("Cột"), _("Bắt buộc"), _("Giá trị cho phép, định dạng"))):
            guide.write_string(3, col, text, header_fmt)
        for r, column in enumerate(spec.columns, start=4):
            listed = "; ".join(f"{label} ({code})" for code, label in column.options())
            guide.write_string(r, 0, column.header, wrap)
            guide.write_string(r, 1, _("Có") if column.required else "", wrap)
            guide.write_string(r, 2, "\n".join(t for t in (listed, str(column.help)) if t), wrap)
        _add_drop_down_lists(workbook, ws, spec)
    finally:
        workbook.close()


def _add_drop_down_lists(workbook, ws, spec: Spec) -> None:
    """An Excel list validation on every coded column. A short list is written into the validation;
    one longer than Excel's 255 characters, or with a label holding a comma (the list separator),
    points to a column of the hidden list sheet. A value typed by hand (a code, a label without
    accents) only gets a warning, since the import accepts it."""
    lists = None
    last_row = ws.xls_rowmax - 1
    for col, column in enumerate(spec.columns):
        labels = [label for _code, label in column.options()]
        if not labels:
            continue
        inline = ",".join(labels)
        if len(inline) <= MAX_INLINE_LIST and not any("," in label or '"' in label for label in labels):
            source: Any = labels
        else:
            if lists is None:
                lists = workbook.add_worksheet(LIST_SHEET)
                lists.hide()
                list_col = 0
            lists.write_string(0, list_col, column.header)
            for r, label in enumerate(labels, start=1):
                lists.write_string(r, list_col, label)
            letter = xl_col_to_name(list_col)
            source = f"='{LIST_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
            list_col += 1
        ws.data_validation(
            1,
            col,
            last_row,
            col,
            {
                "validate": "list",
                "source": source,
                "ignore_blank": True,
                "error_type": "warning",
                "error_title": _("Giá trị ngoài danh sách")[:32],
                "error_message": _(
                    "Giá trị này không có trong danh sách. Hệ thống vẫn nhận mã hoặc tên viết không "
                    "dấu; xem sheet “Hướng dẫn”."
                )[:255],
            },
        )


def template_bytes(spec: Spec, *, examples: Mapping[str, Any] | None = None) -> bytes:
    out = io.BytesIO()
    write_template(out, spec, examples=examples)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------- tables
# Lists as units keep them, not as the template lays them out: a title above the header, a header on
# two rows under merged cells ("Quyết định" over "Số" and "Ngày"), several tables one under the other
# with a heading line between them ("Năm 2023", "Số 120/QĐ-BTN ngày 15/01/2024"), a row of column
# numbers "(1) (2) (3)" under the header. Word tables (core/wordtables.py) arrive as the same rows.

HEADING_LINES = 6  # text lines kept above a table as its headings
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_COLUMN_NUMBER = re.compile(r"^\(?\s*\d{1,2}\s*\)?$")


def header_key(text: Any) -> str:
    """A header as compared: folded, punctuation as spaces ("Danh hiệu/Hình thức" = "danh hieu hinh thuc")."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


@dataclass
class Table:
    """One table found in a sheet or a document: its header mapping, the heading lines above it and its
    data rows as (row number, cells by key)."""

    source: str  # the sheet name, or "Bảng 3" for the third table of a Word document
    number: int  # 1-based among the tables of `source`
    header_rows: tuple[int, ...]
    mapping: dict[int, str]  # column number -> key
    headings: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    @property
    def present(self) -> set[str]:
        return set(self.mapping.values())

    def column_of(self, key: str) -> int | None:
        return next((col for col, k in self.mapping.items() if k == key), None)


class _Peekable:
    def __init__(self, rows: Iterable[SheetRow]):
        self.rows = iter(rows)
        self.ahead: list[SheetRow] = []

    def __iter__(self):
        return self

    def __next__(self) -> SheetRow:
        return self.ahead.pop() if self.ahead else next(self.rows)

    def peek(self) -> SheetRow | None:
        if not self.ahead:
            try:
                self.ahead.append(next(self.rows))
            except StopIteration:
                return None
        return self.ahead[-1]


def _text_cells(cells: Mapping[int, Any]) -> dict[int, str]:
    return {col: _shown(v) for col, v in cells.items() if isinstance(v, str) and v.strip()}


def header_candidates(top: Mapping[int, Any], below: Mapping[int, Any] | None = None) -> dict[int, list[str]]:
    """Column -> the names it may carry, best first. With a second header row, a top cell merged over
    several columns (its value only in the first, as Excel keeps it) is carried right over the columns
    that have a name below it, and each column is tried as "below", "top below" and "top"."""
    top_text = _text_cells(top)
    if below is None:
        return {col: [text] for col, text in top_text.items()}
    below_text = _text_cells(below)
    filled: dict[int, str] = {}
    carried: tuple[int, str] | None = None
    for col in sorted(set(top_text) | set(below_text)):
        if col in top_text:
            carried = (col, top_text[col])
            filled[col] = top_text[col]
        elif col in below_text and carried and carried[0] == col - 1:
            filled[col] = carried[1]
            carried = (col, carried[1])
        else:
            carried = None
    names: dict[int, list[str]] = {}
    for col in sorted(set(filled) | set(below_text)):
        upper, lower = filled.get(col, ""), below_text.get(col, "")
        options = [lower, f"{upper} {lower}" if upper and lower and upper != lower else "", upper]
        names[col] = [o for o in dict.fromkeys(options) if o]
    return names


def match_header(candidates: Mapping[int, list[str]], spec: Spec) -> dict[int, str]:
    """Column -> key for the columns whose name (any candidate) is a header or alias of the spec."""
    lookup: dict[str, str] = {}
    for column in spec.columns:
        for name in (column.header, *column.aliases):
            lookup.setdefault(header_key(name), column.key)
    mapping: dict[int, str] = {}
    for col in sorted(candidates):
        for name in candidates[col]:
            key = lookup.get(header_key(name))
            if key and key not in mapping.values():
                mapping[col] = key
                break
    return mapping


def row_text(cells: Mapping[int, Any]) -> str:
    """A non-table row as one line: its distinct values in column order."""
    return " ".join(dict.fromkeys(_shown(v) for _c, v in sorted(cells.items()) if not _blank(v)))


def find_tables(
    rows: Iterable[SheetRow],
    spec: Spec,
    *,
    source: str,
    anchor: str,
    data_keys: tuple[str, ...] = (),
    min_columns: int = 2,
    headings: Iterable[str] = (),
) -> Iterator[Table]:
    """Split a stream of rows into tables. A header is a row naming `anchor` and at least `min_columns`
    columns of `spec` (joined with the row below it when that names more). Under it, a row whose only
    value is one text (a merged heading line) starts a new table with the same columns, headed by that
    line; a row with none of `data_keys` (nor `anchor`) filled is a text line, not data; a row of
    column numbers is skipped. Lines met before a header become its headings."""
    stream = _Peekable(rows)
    data_keys = tuple(dict.fromkeys((anchor, *data_keys)))
    pending: list[str] = [h for h in headings if h][-HEADING_LINES:]
    quick = {
        str(name).strip().lower() for column in spec.columns for name in (column.header, *column.aliases)
    }
    current: Table | None = None
    above: list[str] = []  # the headings of the last header, kept by the tables its section lines start
    count = 0
    for number, cells in stream:
        texts = [v.strip().lower() for v in cells.values() if isinstance(v, str)]
        if current is None or not quick.isdisjoint(texts):
            mapping = match_header(header_candidates(cells), spec)
            if anchor in mapping.values() and len(mapping) >= min_columns:
                header_rows = (number,)
                following = stream.peek()
                if following is not None and following[0] == number + 1:
                    joined = match_header(header_candidates(cells, following[1]), spec)
                    if len(joined) > len(mapping):
                        mapping, header_rows = joined, (number, next(stream)[0])
                if current is not None and not current.rows:
                    # lines met under the previous header with no row after them head this table
                    pending = [*current.headings[len(above) :], *pending][-HEADING_LINES:]
                else:
                    if current is not None:
                        yield current
                    count += 1
                above, pending = pending, []
                current = Table(source, count, header_rows, mapping, headings=above)
                continue
        if current is None:
            line = row_text(cells)
            if line:
                pending = [*pending, line][-HEADING_LINES:]
            continue
        values = [v for v in cells.values() if v is not None and not (isinstance(v, str) and not v.strip())]
        if values and len(values) >= min_columns and all(_COLUMN_NUMBER.match(_shown(v)) for v in values):
            continue  # "(1) (2) (3)" under the header
        first = values[0] if values else None
        single = isinstance(first, str) and all(v == first for v in values)  # one text, maybe merged over
        if single and (len(values) > 1 or current.column_of(anchor) not in cells):
            if current.rows:
                yield current
                count += 1
                current = Table(source, count, current.header_rows, current.mapping, headings=list(above))
            current.headings = [*above, first.strip()][-HEADING_LINES:]
            continue
        by_key = {key: cells.get(col, "") for col, key in current.mapping.items()}
        if all(_blank(by_key.get(k)) for k in data_keys):
            continue  # a text line outside the columns that make a row (a total, a signature)
        current.rows.append((number, by_key))
    if current is not None and current.rows:
        yield current
