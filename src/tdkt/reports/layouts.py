"""The periodic report forms as data (data/report_forms.yaml), and their figures filled from the register.

The layouts are UNCONFIRMED readings of the Ministry of Home Affairs' forms (docs/law.md, "Biểu mẫu báo
cáo thống kê"): an agency corrects them by putting its own `reports/report_forms.yaml` in its template
folder (`core.documents.template_dir()`), which replaces the bundled file. A layout that does not
validate is refused with the file and the key named, never half used.

Each cell is the number of records of a *measure* that meet both its row's and its column's `where`.
A measure's records are counted in the database grouped by every dimension a `where` may name (one
GROUP BY per measure used, a handful of rows back), and the cells are sums over those groups: the
number of queries is fixed by the form, not by the data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import BooleanField, Case, CharField, Count, Exists, OuterRef, Q, Sum, Value, When
from django.utils.translation import gettext as _

from tdkt.accounts.enums import Role
from tdkt.accounts.models import RoleAssignment
from tdkt.accounts.scope import Scope
from tdkt.core.documents import template_dir
from tdkt.dossiers.enums import Status as DossierStatus
from tdkt.dossiers.models import Dossier
from tdkt.movements.models import Movement
from tdkt.org.enums import (
    AwardBasis,
    AwardCode,
    Gender,
    InitiativeKind,
    InitiativeScope,
    IssuerLevel,
    UnitKind,
)
from tdkt.org.models import Initiative, Person, Unit
from tdkt.reports import selectors
from tdkt.reports.models import AwardTally
from tdkt.rulebook.services import award_level

BUNDLED = Path(__file__).parent / "data" / "report_forms.yaml"

_BOOL = {True, False}
# the keys each measure understands, with the values each accepts (None: a boolean)
KEYS: dict[str, dict[str, set | None]] = {
    "awards": {
        "award_codes": set(AwardCode.values),
        "tier": set(selectors.TIERS),
        "subject": {"person", "collective"},
        "basis": set(AwardBasis.values),
        "direct_worker": None,
        "leader": None,
        "women": None,
        "minority": None,
        "enterprise": None,
        "issuer_levels": set(IssuerLevel.values) | {""},
    },
    "movements": {
        "kind": {"yearly", "thematic"},
        "launched_by": {"ministry", "unit"},
        "duration": {"lt1", "y1", "y1to3", "y3to5", "ge5"},
    },
    "initiatives": {
        "scope": set(InitiativeScope.values),
        "kind": set(InitiativeKind.values),
        "subject": {"person", "collective"},
    },
    "dossiers": {"finished": None, "level": {"ministry", "state"}},
    "dossier_steps": {"on_time": None},
    "tdkt_staff": {"women": None, "age": {"le30", "a31_40", "a41_50", "a51_55", "a56_60", "gt60"}},
}
KEYS["awards_revoked"] = KEYS["awards"]
LIST_KEYS = {
    "award_codes",
    "tier",
    "basis",
    "issuer_levels",
    "kind",
    "launched_by",
    "duration",
    "scope",
    "level",
    "age",
}


class LayoutError(ValueError):
    """A layout file that cannot be used, with where the problem is."""


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    where: dict | None


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    where: dict | None
    measure: str
    heading: bool = False
    bold: bool = False
    unit_of_measure: str = ""


@dataclass(frozen=True)
class Layout:
    key: str
    number: str
    title: str
    confirmed: bool
    own: bool
    unit_of_measure: str
    note: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Catalogue:
    circular: str
    confirmed: bool
    read_from: str
    recipient: str
    due: str
    forms: dict[str, Layout]
    unread: tuple[dict, ...]
    source: str  # the file read


def _check_where(where: Any, measure: str, where_at: str) -> dict | None:
    if where is None:
        return None
    if not isinstance(where, dict):
        raise LayoutError(f"{where_at}: 'where' phải là một bảng khoá: giá trị hoặc null")
    allowed = KEYS[measure]
    for key, value in where.items():
        if key not in allowed:
            raise LayoutError(f"{where_at}: khoá '{key}' không dùng được với nguồn '{measure}'")
        values = allowed[key]
        if values is None:
            if value not in _BOOL:
                raise LayoutError(f"{where_at}: '{key}' phải là true hoặc false")
            continue
        items = value if isinstance(value, list) else [value]
        if key in LIST_KEYS and not isinstance(value, list):
            raise LayoutError(f"{where_at}: '{key}' phải là một danh sách")
        for item in items:
            if item not in values:
                raise LayoutError(f"{where_at}: giá trị '{item}' của '{key}' không có")
    return dict(where)


def parse(text: str, source: str) -> Catalogue:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LayoutError(f"{source}: không đọc được YAML ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("forms"), dict):
        raise LayoutError(f"{source}: thiếu mục 'forms'")
    forms: dict[str, Layout] = {}
    for key, form in data["forms"].items():
        at = f"{source}: forms.{key}"
        if not isinstance(form, dict):
            raise LayoutError(f"{at}: phải là một bảng")
        for required in ("number", "title", "measure", "columns", "rows"):
            if required not in form:
                raise LayoutError(f"{at}: thiếu '{required}'")
        measure = form["measure"]
        if measure not in KEYS:
            raise LayoutError(f"{at}.measure: nguồn '{measure}' không có")
        columns = []
        for i, c in enumerate(form["columns"]):
            columns.append(
                Column(
                    str(c.get("code", "")),
                    str(c["label"]),
                    _check_where(c.get("where"), measure, f"{at}.columns[{i}]"),
                )
            )
        rows = []
        for i, r in enumerate(form["rows"]):
            row_measure = r.get("measure", measure)
            if row_measure not in KEYS:
                raise LayoutError(f"{at}.rows[{i}].measure: nguồn '{row_measure}' không có")
            if "label" not in r:
                raise LayoutError(f"{at}.rows[{i}]: thiếu 'label'")
            rows.append(
                Row(
                    code=str(r.get("code", "")),
                    label=str(r["label"]),
                    where=None
                    if r.get("heading")
                    else _check_where(r.get("where"), row_measure, f"{at}.rows[{i}]"),
                    measure=row_measure,
                    heading=bool(r.get("heading")),
                    bold=bool(r.get("bold")),
                    unit_of_measure=str(r.get("unit_of_measure", "")),
                )
            )
        forms[str(key)] = Layout(
            key=str(key),
            number=str(form["number"]),
            title=str(form["title"]),
            confirmed=bool(form.get("confirmed", False)),
            own=bool(form.get("own", False)),
            unit_of_measure=str(form.get("unit_of_measure", "")),
            note=str(form.get("note", "")),
            columns=tuple(columns),
            rows=tuple(rows),
        )
    return Catalogue(
        circular=str(data.get("circular", "")),
        confirmed=bool(data.get("confirmed", False)),
        read_from=str(data.get("read_from", "")),
        recipient=str(data.get("recipient", "")),
        due=str(data.get("due", "")),
        forms=forms,
        unread=tuple(data.get("unread") or ()),
        source=source,
    )


def layout_path() -> Path:
    agency = template_dir() / "reports" / "report_forms.yaml"
    return agency if agency.is_file() else BUNDLED


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Catalogue:
    return parse(Path(path).read_text(encoding="utf-8"), path)


def catalogue() -> Catalogue:
    path = layout_path()
    return _load(str(path), path.stat().st_mtime)


# ------------------------------------------------------------------------------------------ the figures


@dataclass(frozen=True)
class Period:
    year: int
    half: bool = False  # the first six months only

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 6, 30) if self.half else datetime.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        if self.half:
            return _("6 tháng đầu năm %(y)s") % {"y": self.year}
        return _("Năm %(y)s") % {"y": self.year}


_IS_PERSON = Case(
    When(person__isnull=False, then=Value(True)), default=Value(False), output_field=BooleanField()
)


def _awards_groups(scope: Scope, unit: Unit, period: Period) -> list[dict]:
    """The award records of the period grouped by every dimension a `where` may name, summed from the
    yearly summary (services.tally_refresh): its rows, not the records, whatever the register's size."""
    qs = scope.filter(AwardTally.objects.all(), "unit").filter(
        unit__path__startswith=unit.path, year=period.year
    )
    if period.half:
        qs = qs.filter(first_half=True)
    rows = (
        qs.order_by()
        .values(
            "revoked",
            "award_code",
            "basis",
            "issuer_level",
            "person",
            "gender",
            "direct_worker",
            "leader",
            "minority",
            "enterprise",
        )  # fmt: skip
        .annotate(n=Sum("count"))
    )
    out = []
    for r in rows:
        is_person = bool(r["person"])
        out.append(
            {
                "revoked": r["revoked"],
                "award_codes": r["award_code"],
                "tier": award_level(r["award_code"], period.year),
                "subject": "person" if is_person else "collective",
                "basis": r["basis"],
                "issuer_levels": r["issuer_level"],
                "women": is_person and r["gender"] == "female",
                "direct_worker": bool(is_person and r["direct_worker"]),
                "leader": bool(is_person and r["leader"]),
                "minority": bool(is_person and r["minority"]),
                "enterprise": (not is_person) and bool(r["enterprise"]),
                "n": r["n"],
            }
        )
    return out


def _duration(start, end) -> str | None:
    if not start or not end:
        return None
    months = (end.year - start.year) * 12 + (end.month - start.month) + (1 if end.day >= start.day else 0)
    if months < 12:
        return "lt1"
    if months == 12:
        return "y1"
    if months < 36:
        return "y1to3"
    if months < 60:
        return "y3to5"
    return "ge5"


def _movement_groups(scope: Scope, unit: Unit, period: Period) -> list[dict]:
    qs = scope.filter(Movement.objects.all(), "unit").filter(
        unit__path__startswith=unit.path, year=period.year
    )
    if period.half:
        qs = qs.filter(Q(start__isnull=True) | Q(start__lte=datetime.date(period.year, 6, 30)))
    rows = qs.order_by().values("kind", "unit__kind", "start", "end").annotate(n=Count("pk"))
    return [
        {
            "kind": r["kind"],
            "launched_by": "ministry" if r["unit__kind"] == UnitKind.MINISTRY else "unit",
            "duration": _duration(r["start"], r["end"]),
            "n": r["n"],
        }
        for r in rows
    ]


def _initiative_groups(scope: Scope, unit: Unit, period: Period) -> list[dict]:
    qs = (
        scope.filter(Initiative.objects.all(), "unit")
        .filter(unit__path__startswith=unit.path, year=period.year, recognised_on__isnull=False)
        .exclude(scope="")
    )
    if period.half:
        qs = qs.filter(recognised_on__lte=datetime.date(period.year, 6, 30))
    rows = (
        qs.order_by()
        .annotate(is_person=_IS_PERSON)
        .values("scope", "kind", "is_person")
        .annotate(n=Count("pk"))
    )
    return [
        {
            "scope": r["scope"],
            "kind": r["kind"],
            "subject": "person" if r["is_person"] else "collective",
            "n": r["n"],
        }
        for r in rows
    ]


def _dossier_groups(scope: Scope, unit: Unit, period: Period) -> list[dict]:
    qs = scope.filter(Dossier.objects.all(), "unit").filter(
        unit__path__startswith=unit.path, year=period.year
    )
    finished = [DossierStatus.ISSUED, DossierStatus.CLOSED]
    rows = qs.order_by().values("status", "level").annotate(n=Count("pk"))
    return [{"finished": r["status"] in finished, "level": r["level"], "n": r["n"]} for r in rows]


def _step_groups(scope: Scope, unit: Unit, period: Period) -> list[dict]:
    f = selectors.StatFilter(period.year, period.year, unit)
    steps = selectors.processing_times(scope, f)
    return [
        {"on_time": True, "n": sum(s.on_time for s in steps)},
        {"on_time": False, "n": sum(s.late for s in steps)},
    ]


# the TĐKT staff's age bands (form 0605): (band, the lowest age in whole years that is past it)
AGE_BANDS = (("le30", 31), ("a31_40", 41), ("a41_50", 51), ("a51_55", 56), ("a56_60", 61))
AGE_OLDEST = "gt60"
STAFF_ROLES = (Role.SPECIALIST, Role.OFFICER)


def _born_by(day: datetime.date, years: int) -> datetime.date:
    """The last birth date of someone aged at least `years` whole years on `day` (29/2 → 28/2)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return datetime.date(day.year - years, 2, 28)


def _age_band(day: datetime.date) -> Case:
    """The age band on `day`, from the birth date against each band's threshold date: in SQL, both
    databases, no per-person work; NULL without a birth date (counted in the total only)."""
    whens = [When(birth_date__isnull=True, then=Value(None, output_field=CharField()))]
    whens += [When(birth_date__gt=_born_by(day, past), then=Value(band)) for band, past in AGE_BANDS]
    return Case(*whens, default=Value(AGE_OLDEST), output_field=CharField())


def _staff_groups(scope: Scope, unit: Unit, period: Period) -> list[dict]:
    """The people doing TĐKT work (form 0605): active people of the subtree whose account holds, on the
    period's last day, a current role of TĐKT specialist or unit TĐKT officer; once each whatever the
    number of roles (EXISTS, not a join). One GROUP BY by gender and age band."""
    day = period.last_day
    roles = RoleAssignment.objects.current(on=day).filter(user=OuterRef("user"), role__in=STAFF_ROLES)
    qs = scope.filter(Person.objects.all(), "current_unit").filter(
        Exists(roles), active=True, user__isnull=False, current_unit__path__startswith=unit.path
    )
    rows = qs.order_by().annotate(band=_age_band(day)).values("gender", "band").annotate(n=Count("pk"))
    return [{"women": r["gender"] == Gender.FEMALE, "age": r["band"], "n": r["n"]} for r in rows]


def _merge(a: dict, b: dict) -> dict | None:
    """Both conditions at once; None when they contradict (a row of collectives, a column of persons)."""
    where = {**a, **b}
    for key in set(a) & set(b):
        if isinstance(a[key], list) and isinstance(b[key], list):
            where[key] = [v for v in a[key] if v in b[key]]
        elif a[key] != b[key]:
            return None
    return where


def _matches(group: dict, where: dict) -> bool:
    for key, wanted in where.items():
        have = group.get(key)
        if isinstance(wanted, list):
            if have not in wanted:
                return False
        elif have != wanted:
            return False
    return True


@dataclass
class Filled:
    layout: Layout
    catalogue: Catalogue
    unit: Unit
    agency: Unit
    period: Period
    # cells[row index][column index]: a count, or None where the system has no data for it
    cells: dict[int, list[int | None]] = field(default_factory=dict)
    blanks: int = 0


def fill(layout: Layout, scope: Scope, unit: Unit, period: Period) -> Filled:
    """The figures of `layout` for `unit`'s subtree (within `scope`) and `period`."""
    readers = {
        "awards": _awards_groups,
        "awards_revoked": _awards_groups,
        "movements": _movement_groups,
        "initiatives": _initiative_groups,
        "dossiers": _dossier_groups,
        "dossier_steps": _step_groups,
        "tdkt_staff": _staff_groups,
    }
    groups: dict[str, list[dict]] = {}
    for row in layout.rows:
        if row.heading or row.where is None:
            continue
        reader = readers[row.measure]
        if reader not in groups:
            groups[reader] = reader(scope, unit, period)  # awards and awards_revoked share one query
    agency_id = int(unit.path.strip("/").split("/")[0])
    agency = unit if agency_id == unit.pk else Unit.objects.get(pk=agency_id)
    filled = Filled(layout, catalogue(), unit, agency, period)
    for i, row in enumerate(layout.rows):
        if row.heading:
            continue
        values: list[int | None] = []
        for column in layout.columns:
            if row.where is None or column.where is None or not set(column.where) <= set(KEYS[row.measure]):
                values.append(None)
                filled.blanks += 1
                continue
            where = _merge(row.where, column.where)
            total = 0
            if where is not None:
                revoked = row.measure == "awards_revoked"
                for g in groups[readers[row.measure]]:
                    if row.measure.startswith("awards") and g["revoked"] != revoked:
                        continue
                    if _matches(g, where):
                        total += g["n"]
            values.append(total)
        filled.cells[i] = values
    return filled


def unread_forms() -> list[dict]:
    return [dict(u) for u in catalogue().unread]


def form_choices() -> list[tuple[str, str]]:
    cat = catalogue()
    return [(key, f"{form.number} — {form.title.capitalize()}") for key, form in cat.forms.items()]
