"""The legal clock's calendar: which days the public service works, and counting them.

A working day is Monday to Friday (QĐ 188/1999/QĐ-TTg, the 40-hour week) unless the calendar says
otherwise: a statutory holiday, its compensatory day, a day given off by a swap; and a Saturday worked
instead ("làm bù") is a working day. The special days come from the data file core/data/calendar.yaml
(validated at start-up, tdkt.core.calendar_data) and from the rows an admin adds on /calendar/
(core.CalendarDay), which take precedence on the same date.

Every function reads the admin's rows of the dates it needs in ONE query, so every web or worker
process sees a row the moment it is saved (no cache to invalidate across processes); the file is read
once per process. A batch (the periodic task that flags overdue steps) builds one `Calendar` with
`calendar_for(start, end)` and asks it as often as it likes without further queries.

Counting convention of the clock (`workdays_used`, `due_date`), after the Civil Code 2015 (Bộ luật Dân
sự 2015), which governs the computation of time limits where no other law says otherwise (Điều 145):
- Điều 147 khoản 3: "Khi thời hạn bắt đầu bằng một sự kiện thì ngày xảy ra sự kiện không được tính mà
  tính từ ngày tiếp theo liền kề của ngày xảy ra sự kiện đó" — a step that starts at any moment of a day
  (a dossier received at 08:00 or at 16:59) counts from the next day; the day of receipt is never
  counted, so the hour of receipt does not change the count.
- A limit in working days counts only working days; day 1 is the first working day after the start.
  The working day in progress counts as used ("day k of N"): `workdays_used` is the number of working
  days after the start day up to and including today.
- Điều 148 khoản 1: the limit ends at the end of its last day. So a step is overdue when today (local
  time, Asia/Ho_Chi_Minh) is after `due_date(since, N)`; on that last day `workdays_used` equals N and
  the step is still in time. (Khoản 5, a last day falling on a day off moving to the next working day,
  never applies: only working days are counted.)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.core import calendar_data
from tdkt.core.audit import audit
from tdkt.core.enums import AuditAction
from tdkt.core.errors import ServiceError
from tdkt.core.models import CalendarDay
from tdkt.core.text import clean

ADMIN_PERMISSION = "core.view_audit"
_WORKING_KINDS = frozenset({calendar_data.MAKEUP, calendar_data.WORKDAY})


class SpecialDay(NamedTuple):
    """A day that differs from an ordinary week, as `calendar_year` lists it."""

    day: datetime.date
    kind: str
    note: str
    source: str


def _weekdays_upto(day: datetime.date) -> int:
    """Mondays to Fridays from 01/01/0001 (a Monday) up to and including `day`."""
    n = day.toordinal()
    return n // 7 * 5 + min(n % 7, 5)


class Calendar:
    """The special days of a span of dates ({date: kind}); outside them an ordinary week."""

    def __init__(self, special: dict[datetime.date, str]):
        self.special = special

    def is_workday(self, day: datetime.date) -> bool:
        kind = self.special.get(day)
        if kind is None:
            return day.weekday() < 5
        return kind in _WORKING_KINDS

    def workdays_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end`; 0 when end <= start."""
        if end <= start:
            return 0
        count = _weekdays_upto(end) - _weekdays_upto(start)
        for day, kind in self.special.items():
            if start < day <= end:
                count += (kind in _WORKING_KINDS) - (day.weekday() < 5)
        return count

    def add_workdays(self, start: datetime.date, n: int) -> datetime.date:
        """The day on which the n-th working day after `start` falls (`start` itself when n is 0)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n:
            day += datetime.timedelta(days=1)
            n -= self.is_workday(day)
        return day


def _merged(rows: Iterable[tuple[datetime.date, str]], start: datetime.date, end: datetime.date):
    data = calendar_data.load()
    special = {d.date: d.kind for d in data.in_range(start, end)}
    special.update(rows)
    return special


def calendar_for(start: datetime.date, end: datetime.date) -> Calendar:
    """The calendar of start..end (both included) in one query, for callers that ask many times."""
    rows = CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind")
    return Calendar(_merged(rows, start, end))


def is_workday(day: datetime.date) -> bool:
    return calendar_for(day, day).is_workday(day)


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; 0 when end <= start."""
    if end <= start:
        return 0
    return calendar_for(start, end).workdays_between(start, end)


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    """The date on which n working days after `start` are used up (`start` itself when n is 0)."""
    if n < 0:
        raise ValueError("n must not be negative")
    # every admin row after `start` (a handful a year): one query whatever n is
    rows = list(CalendarDay.objects.filter(date__gt=start).values_list("date", "kind"))
    margin = 31  # n working days fit in 2n + 31 days even across a nine-day Tết; more if rows say so
    while True:
        end = start + datetime.timedelta(days=2 * n + margin)
        found = Calendar(_merged(rows, start, end)).add_workdays(start, n)
        if found <= end:
            return found
        margin *= 2


def local_date(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The day of a moment in local time (Asia/Ho_Chi_Minh); a naive moment is taken as local."""
    if isinstance(moment, datetime.datetime):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.date()
    return moment


def workdays_used(since: datetime.datetime, now: datetime.datetime) -> int:
    """Working days a step started at `since` has used at `now`: those after the day of `since` up to and
    including the day of `now` (the convention in the module's docstring)."""
    return workdays_between(local_date(since), local_date(now))


# the years the calendar page, its changes and the command accept
YEARS = (2000, 2100)


def due_date(since: datetime.datetime, n: int) -> datetime.date:
    """The last day of a limit of n working days for a step started at `since`; overdue after it."""
    return add_workdays(local_date(since), n)


def calendar_year(year: int) -> list[SpecialDay]:
    """The special days of `year`: the data file's, with the admin's rows over them, in date order."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = {
        d.date: SpecialDay(d.date, d.kind, d.note, d.source)
        for d in calendar_data.load().in_range(start, end)
    }
    for row in CalendarDay.objects.filter(date__range=(start, end)):
        days[row.date] = SpecialDay(row.date, row.kind, row.note, row.source)
    return [days[d] for d in sorted(days)]


# ------------------------------------------------------------------ the admin's changes (audited)


def _require_admin(actor) -> None:
    if not actor.has_perm(ADMIN_PERMISSION):
        raise PermissionDenied


def calendar_day_add(*, actor, day: datetime.date, kind: str, note: str, source: str) -> CalendarDay:
    """Add a day of next year's notice, or correct the data file's day (the row takes precedence)."""
    _require_admin(actor)
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ServiceError(
            _("Lịch chỉ nhận ngày từ năm %(first)s đến năm %(last)s.")
            % {"first": YEARS[0], "last": YEARS[1]},
            field="date",
        )
    if kind not in CalendarDay.Kind.values:
        raise ServiceError(_("Loại ngày không hợp lệ."), field="kind")
    # one line each, as every stored name: the command prints one day per line, tab-separated
    note, source = clean(note)[:255], clean(source)[:255]
    if not note:
        raise ServiceError(_("Cần ghi chú ngày này là ngày gì."), field="note")
    if not source:
        raise ServiceError(_("Cần nêu căn cứ (số, ngày của thông báo hoặc văn bản)."), field="source")
    weekend = day.weekday() >= 5
    if kind == CalendarDay.Kind.MAKEUP and not weekend:
        raise ServiceError(_("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật."), field="kind")
    if kind == CalendarDay.Kind.SWAP_OFF and weekend:
        raise ServiceError(_("Ngày nghỉ do hoán đổi phải là ngày làm việc trong tuần."), field="kind")
    listed = calendar_data.load().days.get(day)
    if listed is not None and listed.kind == kind:
        raise ServiceError(
            _("Ngày %(day)s đã có trong lịch (%(note)s).") % {"day": f"{day:%d/%m/%Y}", "note": listed.note},
            field="date",
        )
    if listed is None and kind == CalendarDay.Kind.WORKDAY and weekend:
        raise ServiceError(
            _("Thứ Bảy, Chủ nhật được làm việc là ngày làm bù: chọn loại “Ngày làm bù”."), field="kind"
        )
    if listed is None and kind == CalendarDay.Kind.WORKDAY:
        raise ServiceError(_("Ngày %(day)s vốn là ngày làm việc.") % {"day": f"{day:%d/%m/%Y}"}, field="kind")
    try:
        with transaction.atomic():
            row = CalendarDay.objects.create(date=day, kind=kind, note=note, source=source)
            changes = {"date": day, "kind": kind, "note": note, "source": source}
            if listed is not None:
                changes["replaces"] = f"{listed.kind}: {listed.note}"
            audit(actor, "calendar.day_add", row, action=AuditAction.CREATE, changes=changes)
    except IntegrityError as exc:
        raise ServiceError(
            _("Ngày %(day)s đã được thêm vào lịch.") % {"day": f"{day:%d/%m/%Y}"}, field="date"
        ) from exc
    return row


def calendar_day_remove(*, actor, pk: int) -> CalendarDay:
    """Remove a day an admin added (the data file's day, if any, applies again)."""
    _require_admin(actor)
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(pk=pk).first()
        if row is None:
            raise ServiceError(_("Ngày này không còn trong lịch (có thể người khác đã xoá)."))
        audit(
            actor,
            "calendar.day_remove",
            row,
            action=AuditAction.DELETE,
            changes={"date": row.date, "kind": row.kind, "note": row.note, "source": row.source},
        )
        row.delete()
    return row
