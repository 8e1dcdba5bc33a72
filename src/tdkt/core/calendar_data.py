"""The working-day calendar as data: core/data/calendar.yaml, read and validated once per process.

Plain Python (pydantic and PyYAML, no Django), so that a bad file stops start-up (CoreConfig.ready) with
the file and the key named, exactly like the rulebook's regime files. The Django side (the rows an
admin adds, the counting) is tdkt.core.calendar.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DATA_FILE = Path(__file__).resolve().parent / "data" / "calendar.yaml"

# a day off (a statutory holiday, its compensatory day, an extra Tết day the notice gives)
HOLIDAY = "holiday"
# a working day given off by a swap ("hoán đổi ngày làm việc")
SWAP_OFF = "swap_off"
# a Saturday or Sunday worked instead ("làm bù")
MAKEUP = "makeup"
# only an admin's row (core.CalendarDay): a day the data lists as off that is worked after all
WORKDAY = "workday"

DATA_KINDS = (HOLIDAY, SWAP_OFF, MAKEUP)
KINDS = (*DATA_KINDS, WORKDAY)
OFF_KINDS = frozenset({HOLIDAY, SWAP_OFF})
FIRST_YEAR = 2015

_LUNAR = re.compile(r"^(\d{1,2})/(\d{1,2})$")


class CalendarDataError(Exception):
    """The calendar file is wrong; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: str = Field(min_length=3)
    number: str = ""  # "5015/TB-LĐTBXH ngày 22/11/2023"; empty when the notice's number was not read
    url: str = ""

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("địa chỉ phải bắt đầu bằng http:// hoặc https://")
        return value


class Day(_Strict):
    date: date
    kind: Literal["holiday", "swap_off", "makeup"]
    note: str = Field(min_length=3)
    source: str = Field(min_length=1)
    # a swap: the swapped-off day names the Saturday worked instead, and that Saturday names it back
    swap: date | None = None
    # the lunar day and month ("1/1", "10/3", "30/12") of a day set by the lunar calendar, checked by
    # the tests against an independent conversion
    lunar: str | None = None
    # a point no notice read confirms (the year's `confirmed` is for the year as a whole)
    confirmed: bool = True

    @field_validator("lunar")
    @classmethod
    def _lunar(cls, value: str | None) -> str | None:
        if value is not None:
            m = _LUNAR.match(value)
            if not m or not (1 <= int(m.group(1)) <= 30 and 1 <= int(m.group(2)) <= 12):
                raise ValueError("ngày âm lịch phải có dạng ngày/tháng, ví dụ 10/3")
        return value


class Year(_Strict):
    # false: no notice for the year was found; its days are the statutory ones (Labour Code) only
    confirmed: bool
    note: str = ""
    sources: dict[str, Source] = Field(default_factory=dict)
    days: list[Day]


class CalendarFile(_Strict):
    laws: dict[str, Source]
    years: dict[int, Year]


@dataclass(frozen=True, slots=True)
class DataDay:
    """One special day of the file, its source in words."""

    date: date
    kind: str
    note: str
    source: str
    year: int  # the notice's year (a make-up Saturday of late December belongs to next year's notice)
    confirmed: bool
    lunar: str | None = None
    source_label: str = ""  # the number, or the title when the number was not read
    source_title: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class CalendarData:
    days: dict[date, DataDay]
    unconfirmed_years: tuple[int, ...]
    last_year: int

    def in_range(self, start: date, end: date) -> list[DataDay]:
        """The file's days with start <= date <= end, in date order."""
        return [d for day, d in sorted(self.days.items()) if start <= day <= end]


def _source_text(source: Source) -> str:
    parts = [p for p in (source.number, source.title) if p]
    text = " — ".join(parts)
    return f"{text} ({source.url})" if source.url else text


def _where(loc: tuple) -> str:
    """("years", 2024, "days", 3, "date") -> "years.2024.days[3].date"."""
    out = ""
    previous = None
    for part in loc:
        if isinstance(part, int) and previous == "days":
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
        previous = part
    return out


class _Loader(yaml.SafeLoader):
    """Dates stay text, so that a date that does not exist (2024-02-30) is reported by pydantic with its
    key instead of making the YAML parser fail without one."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse(text: str, name: str = DATA_FILE.name) -> CalendarData:
    """Validate the file's text; raise CalendarDataError naming `name` and the key."""
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise CalendarDataError(f"{name}: YAML không hợp lệ: {exc}") from exc
    if not isinstance(raw, dict):
        raise CalendarDataError(f"{name}: tệp phải là một ánh xạ (mapping)")
    try:
        model = CalendarFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _where(tuple(err["loc"]))
        value = err.get("input")
        if err["type"] == "missing":
            raise CalendarDataError(f"{name}: {where}: thiếu trường bắt buộc") from exc
        if err["type"] == "literal_error" and where.endswith(".kind"):
            raise CalendarDataError(
                f"{name}: {where}: loại ngày {value!r} không hợp lệ (chỉ nhận {', '.join(DATA_KINDS)})"
            ) from exc
        if where.endswith((".date", ".swap")):
            raise CalendarDataError(f"{name}: {where}: ngày {value!r} không hợp lệ ({err['msg']})") from exc
        raise CalendarDataError(f"{name}: {where}: {err['msg']}") from exc
    return _check(name, model)


def _check(name: str, model: CalendarFile) -> CalendarData:
    years = sorted(model.years)
    if not years or years[0] != FIRST_YEAR:
        raise CalendarDataError(f"{name}: years: phải bắt đầu từ năm {FIRST_YEAR}")
    missing = sorted(set(range(FIRST_YEAR, years[-1] + 1)) - set(years))
    if missing:
        raise CalendarDataError(f"{name}: years: thiếu năm {', '.join(map(str, missing))}")
    days: dict[date, DataDay] = {}
    declared: dict[date, Day] = {}
    where_of: dict[date, str] = {}
    for year in years:
        block = model.years[year]
        for key in block.sources:
            if key in model.laws:
                raise CalendarDataError(f"{name}: years.{year}.sources.{key}: trùng khóa với laws.{key}")
        for i, day in enumerate(block.days):
            where = f"years.{year}.days[{i}]"
            if day.date.year not in (year - 1, year):
                raise CalendarDataError(f"{name}: {where}.date: ngày {day.date} không thuộc năm {year}")
            if day.date in days:
                raise CalendarDataError(f"{name}: {where}.date: ngày {day.date} đã có ở {where_of[day.date]}")
            source = block.sources.get(day.source) or model.laws.get(day.source)
            if source is None:
                raise CalendarDataError(
                    f"{name}: {where}.source: không có nguồn {day.source!r} "
                    f"trong years.{year}.sources hay laws"
                )
            weekend = day.date.weekday() >= 5
            if day.kind == MAKEUP and not weekend:
                raise CalendarDataError(
                    f"{name}: {where}.kind: ngày làm bù {day.date} phải là thứ Bảy/Chủ nhật"
                )
            if day.kind == SWAP_OFF and weekend:
                raise CalendarDataError(
                    f"{name}: {where}.kind: ngày nghỉ hoán đổi {day.date} phải là ngày thường"
                )
            if day.kind in (SWAP_OFF, MAKEUP) and day.swap is None:
                raise CalendarDataError(f"{name}: {where}.swap: ngày hoán đổi phải nêu ngày đổi tương ứng")
            if day.kind == HOLIDAY and day.swap is not None:
                raise CalendarDataError(f"{name}: {where}.swap: chỉ ngày hoán đổi hoặc làm bù có ngày đổi")
            days[day.date] = DataDay(
                date=day.date,
                kind=day.kind,
                note=day.note,
                source=_source_text(source),
                year=year,
                confirmed=block.confirmed and day.confirmed,
                lunar=day.lunar,
                source_label=source.number or source.title,
                source_title=source.title,
                source_url=source.url,
            )
            where_of[day.date] = where
            declared[day.date] = day
    # every swap is a pair: the number of working days does not change (Tờ trình 89/TTr-LĐTBXH)
    for year in years:
        for i, day in enumerate(model.years[year].days):
            if day.swap is None:
                continue
            wanted = MAKEUP if day.kind == SWAP_OFF else SWAP_OFF
            partner = declared.get(day.swap)
            if partner is None or partner.kind != wanted or partner.swap != day.date:
                raise CalendarDataError(
                    f"{name}: years.{year}.days[{i}].swap: ngày {day.swap} không phải ngày "
                    f"{'làm bù' if wanted == MAKEUP else 'nghỉ hoán đổi'} đổi với {day.date}"
                )
    return CalendarData(
        days=days,
        unconfirmed_years=tuple(y for y in years if not model.years[y].confirmed),
        last_year=years[-1],
    )


def load(path: str | Path | None = None) -> CalendarData:
    return _load(str(path or DATA_FILE))


@functools.lru_cache(maxsize=4)
def _load(path: str) -> CalendarData:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise CalendarDataError(f"{file.name}: không đọc được tệp: {exc}") from exc
    return parse(text, file.name)
