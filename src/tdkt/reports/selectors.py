"""Read paths of the statistics page: every figure is a GROUP BY in the database, in a number of queries
that does not grow with the data.

The register can hold tens of millions of award records, so the award figures are never counted from the
records at request time: they are sums over the yearly summary `AwardTallyTotal` (models.py, recomputed
by services.tally_refresh and the periodic job), about one row per (year, unit, award code) whatever the
number of awards, reached by year and by the unit's path prefix (`Unit.path`, indexed). The registrations and
the dossiers' moves are counted from their own tables, which grow with the workflow, not the register.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.accounts.scope import Scope
from tdkt.core import calendar
from tdkt.dossiers.enums import Status as DossierStatus
from tdkt.dossiers.models import Dossier, Nomination, Transition
from tdkt.dossiers.workflow import STEPS
from tdkt.movements.enums import RegistrationStatus
from tdkt.movements.models import Registration
from tdkt.org.enums import AwardCode, IssuerLevel
from tdkt.org.models import AwardRecord, Unit
from tdkt.reports.models import AwardTallyOverall, AwardTallyTotal, StaffTally
from tdkt.rulebook.services import award_level, regime_for_year, rulebook_text

KINH = "Kinh"
NO_LEVEL = "_none"
# the levels that decide an award (rulebook `level`), in the order of the law's hierarchy
TIERS = ("co_so", "bo", "nha_nuoc")


def tier_label(tier: str) -> str:
    return {
        "co_so": _("Cấp cơ sở (Lao động tiên tiến, Chiến sĩ thi đua cơ sở, Giấy khen…)"),
        "bo": _("Cấp bộ, ngành, tỉnh (Bằng khen, Chiến sĩ thi đua, Cờ thi đua của bộ…)"),
        "nha_nuoc": _("Cấp Nhà nước (Bằng khen Thủ tướng, Huân chương, Chiến sĩ thi đua toàn quốc…)"),
        "": _("Chưa xác định cấp"),
    }[tier]


class Scopes:
    """Several scopes at once (the page's and the export's): a record counts when every one covers it."""

    def __init__(self, *scopes: Scope):
        self.scopes = scopes
        self.everything = all(s.everything for s in scopes)
        narrow = next((s for s in scopes if not s.everything), scopes[0])
        self.subtree_paths, self.unit_ids = narrow.subtree_paths, narrow.unit_ids

    def filter(self, qs: QuerySet, field_name: str = "unit") -> QuerySet:
        for s in self.scopes:
            qs = s.filter(qs, field_name)
        return qs

    def covers_path(self, path: str) -> bool:
        return all(s.covers_path(path) for s in self.scopes)


@dataclass(frozen=True)
class StatFilter:
    """What the statistics are about; `unit` None means every unit of the scope."""

    year_from: int
    year_to: int
    unit: Unit | None = None
    level: str = ""  # IssuerLevel value, or "" for every level
    subject: str = ""  # "person" | "collective" | ""


# ------------------------------------------------------------------------------------------- base sets


def _unit_q(f: StatFilter, field_name: str = "unit") -> Q:
    if f.unit is None:
        return Q()
    return Q(**{f"{field_name}__path__startswith": f.unit.path})


def sees_every_unit(scope: Scope | Scopes) -> bool:
    """Whether `scope` covers every unit there is: everything, or the subtree of every top unit (closed
    ones included: their rows are in the whole tree's sums too). One small query unless everything."""
    if scope.everything:
        return True
    if not scope.subtree_paths:  # (Scopes: the narrowest one's)
        return False
    tops = Unit.objects.filter(parent__isnull=True).values_list("path", flat=True)
    return all(scope.covers_path(path) for path in tops)


def awards(scope: Scope, f: StatFilter, *, per_unit: bool = True) -> QuerySet:
    """The summary rows of the filter (services.tally_refresh), in force and revoked alike (callers split
    them): a few per (year, unit, award code), however many award records there are. With `per_unit`
    False, for a user who sees every unit (the administrator, the ministry's own officers) and no unit
    chosen, the whole tree's rows (AwardTallyOverall: the same columns but the unit, a few per year and
    code) — the same sums, from far fewer rows."""
    if not per_unit and f.unit is None and sees_every_unit(scope):
        qs = AwardTallyOverall.objects.filter(year__gte=f.year_from, year__lte=f.year_to)
    else:
        qs = scope.filter(AwardTallyTotal.objects.all(), "unit")
        qs = qs.filter(_unit_q(f), year__gte=f.year_from, year__lte=f.year_to)
    if f.level == NO_LEVEL:
        qs = qs.filter(issuer_level="")
    elif f.level:
        qs = qs.filter(issuer_level=f.level)
    if f.subject == "person":
        qs = qs.filter(person=True)
    elif f.subject == "collective":
        qs = qs.filter(person=False)
    return qs.order_by()


_IN_FORCE = Q(revoked=False)
_REVOKED = Q(revoked=True)


def _sum(condition: Q, column: str = "count") -> Coalesce:
    return Coalesce(Sum(column, filter=condition), Value(0))


def _grouped(qs: QuerySet, key: str) -> list[tuple]:
    """[(key value, in force, revoked)] — one GROUP BY over the summary."""
    rows = (
        qs.values(key).annotate(n=_sum(_IN_FORCE), r=_sum(_REVOKED)).order_by(key).values_list(key, "n", "r")
    )
    return list(rows)


CUBE = ("year", "issuer_level", "award_code")


SHARES = ("persons", "women", "minorities", "direct", "leaders")


def cube(qs: QuerySet) -> list[tuple]:
    """[(year, level, code, in force, revoked, persons, women, minorities, direct, leaders)]: the charts by
    year, by level and by form, and the shares among persons, from ONE pass over the summary rows (at
    most years × levels × forms rows back, a few hundred), not one pass each."""
    in_force_person = Q(revoked=False, person=True)
    return list(
        qs.values(*CUBE)
        .annotate(
            n=_sum(_IN_FORCE),
            r=_sum(_REVOKED),
            persons=_sum(in_force_person),
            **{share: _sum(in_force_person, share) for share in SHARES[1:]},
        )
        .order_by()
        .values_list(*CUBE, "n", "r", *SHARES)
    )


def _roll(rows: list[tuple], index: int) -> list[tuple]:
    """[(key, in force, revoked)] summed over the cube's other keys."""
    acc: dict = defaultdict(lambda: [0, 0])
    for row in rows:
        acc[row[index]][0] += row[3]
        acc[row[index]][1] += row[4]
    return [(k, n, r) for k, (n, r) in acc.items()]


@dataclass
class Series:
    """One chart: its rows (label, value, extra columns) and the total."""

    key: str
    title: str
    description: str
    label_header: str
    value_header: str
    rows: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r["value"] for r in self.rows)

    @property
    def revoked(self) -> int:
        return sum(r.get("revoked", 0) for r in self.rows)


def by_year(rows: list[tuple], f: StatFilter) -> Series:
    found = {year: (n, r) for year, n, r in _roll(rows, 0)}
    rows = [
        {"label": str(y), "value": found.get(y, (0, 0))[0], "revoked": found.get(y, (0, 0))[1]}
        for y in range(f.year_from, f.year_to + 1)
    ]
    return Series(
        "year",
        _("Số lượt khen thưởng theo năm thành tích"),
        _(
            "Số lượt danh hiệu, hình thức khen thưởng còn hiệu lực theo năm thành tích; "
            "số bị huỷ bỏ ghi riêng."
        ),
        _("Năm"),
        _("Số lượt khen thưởng"),
        rows,
    )


def by_level(rows: list[tuple]) -> Series:
    labels = dict(IssuerLevel.choices)
    order = {v: i for i, v in enumerate(IssuerLevel.values)}
    rows = [
        {"label": str(labels.get(level, _("Chưa ghi cấp khen"))), "value": n, "revoked": r, "key": level}
        for level, n, r in sorted(_roll(rows, 1), key=lambda t: order.get(t[0], 99))
    ]
    return Series(
        "level",
        _("Số lượt khen thưởng theo cấp khen"),
        _("Số lượt khen thưởng còn hiệu lực chia theo cấp của cơ quan khen thưởng."),
        _("Cấp khen"),
        _("Số lượt khen thưởng"),
        rows,
    )


def by_award(rows: list[tuple]) -> Series:
    labels = dict(AwardCode.choices)
    order = {v: i for i, v in enumerate(AwardCode.values)}
    rows = [
        {"label": str(labels.get(code, code)), "value": n, "revoked": r, "key": code}
        for code, n, r in sorted(_roll(rows, 2), key=lambda t: order.get(t[0], 99))
    ]
    return Series(
        "award",
        _("Số lượt khen thưởng theo danh hiệu, hình thức"),
        _("Số lượt còn hiệu lực của từng danh hiệu thi đua, hình thức khen thưởng."),
        _("Danh hiệu, hình thức"),
        _("Số lượt khen thưởng"),
        rows,
    )


def _base_unit(scope: Scope, f: StatFilter) -> Unit | None:
    """The unit whose children the chart by unit shows: the chosen unit, else the user's one unit."""
    if f.unit is not None:
        return f.unit
    if not scope.everything and len(scope.subtree_paths) + len(scope.unit_ids) == 1:
        if scope.unit_ids:
            return Unit.objects.filter(pk=next(iter(scope.unit_ids))).first()
        return Unit.objects.filter(path=scope.subtree_paths[0]).first()
    return None


def _roll_up(grouped: list[tuple], prefix: str, base_pk: int | None) -> dict[int, list[int]]:
    """{child of the unit at `prefix` (or the unit itself): [in force, revoked]} from per-path counts."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for path, n, r in grouped:
        rest = path[len(prefix) :] if path.startswith(prefix) else path.strip("/")
        head = rest.strip("/").split("/")[0]
        key = int(head) if head.isdigit() else (base_pk or 0)
        totals[key][0] += n
        totals[key][1] += r
    return totals


def by_unit(qs: QuerySet, scope: Scope, f: StatFilter) -> Series:
    """Counts per unit one level below the base unit (records of the base unit itself on their own row).

    Grouped by the unit's path in the database (one row per unit that has records), then rolled up to the
    child it lies under; one more query names those children."""
    base = _base_unit(scope, f)
    grouped = _grouped(qs, "unit__path")
    prefix, base_pk = (base.path, base.pk) if base else ("/", None)
    for _depth in range(32):  # a path is at most 255 characters: the tree is never this deep
        totals = _roll_up(grouped, prefix, base_pk)
        # everything under one child (the ministry under the whole tree): show that child's units instead;
        # the rows are in memory, so going down costs no query
        only = next(iter(totals)) if len(totals) == 1 else None
        if f.unit is not None or only is None or only == base_pk or only == 0:
            break
        prefix, base_pk = f"{prefix}{only}/", only
    names = dict(Unit.objects.filter(pk__in=list(totals)).values_list("pk", "name"))
    rows = []
    for pk, (n, r) in totals.items():
        name = names.get(pk, "?")
        if pk == base_pk:
            name = _("%(unit)s (trực tiếp)") % {"unit": name}
        rows.append({"label": name, "value": n, "revoked": r, "key": pk})
    rows.sort(key=lambda row: (-row["value"], row["label"]))
    return Series(
        "unit",
        _("Số lượt khen thưởng theo đơn vị"),
        _("Số lượt khen thưởng còn hiệu lực của từng đơn vị trực thuộc (gồm cả các đơn vị cấp dưới của nó)."),
        _("Đơn vị"),
        _("Số lượt khen thưởng"),
        rows,
    )


# ---------------------------------------------------------------------------------------- the shares


@dataclass
class ShareRow:
    label: str
    total: int
    women: int
    minorities: int
    direct: int
    leaders: int

    def pct(self, n: int) -> float:
        return round(100 * n / self.total, 1) if self.total else 0.0

    @property
    def women_pct(self) -> float:
        return self.pct(self.women)

    @property
    def minorities_pct(self) -> float:
        return self.pct(self.minorities)

    @property
    def direct_pct(self) -> float:
        return self.pct(self.direct)

    @property
    def leaders_pct(self) -> float:
        return self.pct(self.leaders)


def _share_counts() -> dict:
    return {
        "women": _sum(Q(gender="female")),
        "minorities": _sum(Q(minority=True)),
        "direct": _sum(Q(direct_worker=True)),
        "leaders": _sum(Q(leader=True)),
    }


def shares(counted: list[tuple], scope: Scope, f: StatFilter) -> tuple[list[ShareRow], ShareRow]:
    """Shares of women, ethnic minorities (ethnicity other than Kinh; blank is unknown, not a minority),
    direct workers and leaders among the awards to persons in force, per level of the award (the level
    that decides it: unit, ministry or State), and the same shares among the staff of the units.

    Counted per award (a person with two awards counts twice), on the person's record as it was when the
    summary was computed (a change to a person marks the summary for recomputation)."""
    per_tier: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for row in counted:
        if not row[5]:  # no award to a person in this group
            continue
        tier = award_level(row[2], f.year_to) or ""
        acc = per_tier[tier]
        for i in range(5):
            acc[i] += row[5 + i]
    rows = [ShareRow(tier_label(t), *per_tier[t]) for t in (*TIERS, "") if t in per_tier]
    staff_qs = scope.filter(StaffTally.objects.all(), "unit").filter(_unit_q(f))
    staff = staff_qs.order_by().aggregate(total=Coalesce(Sum("count"), Value(0)), **_share_counts())
    staff_row = ShareRow(
        _("Cán bộ đang công tác (để so sánh)"),
        *(staff[k] or 0 for k in ("total", "women", "minorities", "direct", "leaders")),
    )
    return rows, staff_row


# -------------------------------------------------------------------------- registration vs achievement


def registrations(scope: Scope, f: StatFilter) -> Series:
    """Per title: the approved registrations of the movements of the years, and how many of the
    registered subjects received the title they registered for in the movement's year (in force)."""
    qs = scope.filter(Registration.objects.filter(status=RegistrationStatus.APPROVED), "unit").filter(
        _unit_q(f), movement__year__gte=f.year_from, movement__year__lte=f.year_to
    )
    if f.subject == "person":
        qs = qs.filter(person__isnull=False)
    elif f.subject == "collective":
        qs = qs.filter(collective__isnull=False)
    got = AwardRecord.objects.filter(
        revoked=False, award_code=OuterRef("award_code"), last_year=OuterRef("movement__year")
    ).filter(
        Q(person_id=OuterRef("person_id"), person__isnull=False)
        | Q(collective_id=OuterRef("collective_id"), collective__isnull=False)
    )
    achieved = Case(When(Exists(got), then=Value(1)), default=Value(0), output_field=IntegerField())
    rows_db = (
        qs.values("award_code")
        .annotate(n=Count("pk"), done=Coalesce(Sum(achieved), Value(0)))
        .order_by("award_code")
    )
    labels = dict(AwardCode.choices)
    rows = [
        {
            "label": str(labels.get(r["award_code"], r["award_code"])),
            "value": r["n"],
            "achieved": int(r["done"]),
            "pct": round(100 * int(r["done"]) / r["n"], 1) if r["n"] else 0.0,
        }
        for r in rows_db
    ]
    return Series(
        "registration",
        _("Đăng ký thi đua và kết quả đạt được"),
        _(
            "Số đăng ký thi đua đã duyệt của các phong trào trong các năm, và số đối tượng đã đăng ký "
            "được tặng đúng danh hiệu, hình thức đó trong năm của phong trào."
        ),
        _("Danh hiệu, hình thức đăng ký"),
        _("Số đăng ký"),
        rows,
    )


# ------------------------------------------------------------------------------- dossier processing time


@dataclass
class StepRow:
    step: str
    label: str
    done: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    open_late: int = 0
    days: list[int] = field(default_factory=list)
    limits: set[int] = field(default_factory=set)
    cites: set[str] = field(default_factory=set)

    @property
    def avg_days(self) -> float:
        return round(sum(self.days) / len(self.days), 1) if self.days else 0.0

    @property
    def max_days(self) -> int:
        return max(self.days) if self.days else 0

    @property
    def limit_text(self) -> str:
        if not self.limits:
            return "—"
        lo, hi = min(self.limits), max(self.limits)
        return str(lo) if lo == hi else f"{lo}–{hi}"

    @property
    def on_time_pct(self) -> float:
        return round(100 * self.on_time / self.done, 1) if self.done else 0.0


STEP_LABELS = {
    "receive": gettext_lazy("Tiếp nhận hồ sơ"),
    "appraisal": gettext_lazy("Thẩm định hồ sơ"),
    "unit_fix": gettext_lazy("Đơn vị bổ sung hồ sơ bị trả lại"),
    "council": gettext_lazy("Hội đồng Thi đua – Khen thưởng xét"),
    "decision": gettext_lazy("Ban hành quyết định hoặc lập hồ sơ trình"),
    "state_prepare": gettext_lazy("Lập, ký hồ sơ trình cấp Nhà nước"),
    "central_appraisal": gettext_lazy("Cơ quan Trung ương thẩm định"),
    "simplified": gettext_lazy("Thủ tục đơn giản"),
}


class _Limits:
    """The working days of a step for a dossier: the strictest limit its forms set for the step, else the
    regime's default — the rule of `dossiers.services.step_limit`, read from the rulebook with the
    dossier's award codes fetched once for the whole page instead of once per dossier."""

    def __init__(self):
        self._cache: dict = {}

    def __call__(self, year: int, simplified: bool, codes: frozenset, step: str) -> tuple[int | None, str]:
        key = (year, simplified, codes, step)
        if key not in self._cache:
            regime = regime_for_year(year)
            asked = (
                "simplified"
                if simplified and step in ("receive", "appraisal", "council", "decision")
                else step
            )
            limits = []
            for code in codes:
                award = regime.awards.get(code)
                for d in award.definition.deadlines if award else ():
                    if d.step == asked and d.working_days:
                        limits.append((d.working_days, d.cite))
            if not limits:
                limits = [
                    (d.working_days, d.cite)
                    for d in regime.model.dossier_steps
                    if d.step == asked and d.working_days
                ]
            self._cache[key] = min(limits) if limits else (None, "")
        return self._cache[key]


def processing_times(scope: Scope, f: StatFilter, *, now: datetime.datetime | None = None) -> list[StepRow]:
    """For each step of the dossiers of the years (achievement year), the working days each stay took
    against the step's legal limit: finished stays (from the move into the step to the move out of it),
    and stays still open at `now`. Three queries whatever the number of dossiers (dossiers, their award
    codes, their moves) plus the calendar."""
    now = now or timezone.now()
    dossiers = {
        d["pk"]: d
        for d in scope.filter(Dossier.objects.all(), "unit")
        .filter(_unit_q(f), year__gte=f.year_from, year__lte=f.year_to)
        .values("pk", "year", "simplified", "status", "step", "step_since", "step_limit")
    }
    if not dossiers:
        return []
    codes: dict[int, set] = defaultdict(set)
    for dossier_id, code in (
        Nomination.objects.filter(dossier_id__in=list(dossiers))
        .values_list("dossier_id", "award_code")
        .distinct()
    ):
        codes[dossier_id].add(code)
    moves = list(
        Transition.objects.filter(dossier_id__in=list(dossiers))
        .order_by("dossier_id", "at", "id")
        .values_list("dossier_id", "at", "from_status", "to_status")
    )
    today = calendar.local_date(now)
    starts = [calendar.local_date(at) for _d, at, _f, _t in moves]
    starts += [calendar.local_date(d["step_since"]) for d in dossiers.values() if d["step_since"]]
    first = min(starts, default=today)
    cal = calendar.calendar_for(first, today)
    limits = _Limits()
    steps: dict[str, StepRow] = {}

    def row(step: str) -> StepRow:
        if step not in steps:
            steps[step] = StepRow(step, str(STEP_LABELS.get(step, step)))
        return steps[step]

    entered: dict[int, datetime.datetime] = {}
    for dossier_id, at, from_status, _to in moves:
        start = entered.get(dossier_id)
        entered[dossier_id] = at
        step = STEPS.get(from_status)
        if start is None or not step:
            continue
        d = dossiers[dossier_id]
        used = cal.workdays_between(calendar.local_date(start), calendar.local_date(at))
        limit, cite = limits(d["year"], d["simplified"], frozenset(codes[dossier_id]), step)
        r = row(step)
        r.done += 1
        r.days.append(used)
        if limit:
            r.limits.add(limit)
            r.cites.add(rulebook_text(cite))
            if used <= limit:
                r.on_time += 1
            else:
                r.late += 1
        else:
            r.on_time += 1
    for d in dossiers.values():  # the stay each pending dossier is in now
        if (
            d["status"] in (DossierStatus.ISSUED, DossierStatus.CLOSED)
            or not d["step"]
            or not d["step_since"]
        ):
            continue
        r = row(d["step"])
        r.open += 1
        since = calendar.local_date(d["step_since"])
        used = cal.workdays_between(since, today)
        if d["step_limit"] is not None and used > d["step_limit"]:
            r.open_late += 1
    order = list(STEP_LABELS)
    return sorted(steps.values(), key=lambda s: order.index(s.step) if s.step in order else 99)


def dossier_summary(scope: Scope, f: StatFilter, *, now: datetime.datetime | None = None) -> dict:
    """Dossiers of the years: how many, how many finished (a decision or the State's answer), and how many
    stays in a step ran past their limit (from `processing_times`)."""
    qs = scope.filter(Dossier.objects.all(), "unit").filter(
        _unit_q(f), year__gte=f.year_from, year__lte=f.year_to
    )
    counts = qs.order_by().aggregate(
        total=Count("pk"),
        finished=Count("pk", filter=Q(status__in=[DossierStatus.ISSUED, DossierStatus.CLOSED])),
    )
    return {"total": counts["total"] or 0, "finished": counts["finished"] or 0}


# ----------------------------------------------------------------------------------------- the page


@dataclass
class Statistics:
    filter: StatFilter
    total: int
    revoked: int
    charts: list[Series]
    shares: list[ShareRow]
    staff: ShareRow
    registrations: Series
    steps: list[StepRow]
    dossiers: dict


def statistics(scope: Scope, f: StatFilter) -> Statistics:
    """Everything the statistics page shows, in a fixed number of queries."""
    qs = awards(scope, f)
    counted = cube(awards(scope, f, per_unit=False))
    years = by_year(counted, f)
    charts = [years, by_level(counted), by_award(counted), by_unit(qs, scope, f)]
    share_rows, staff = shares(counted, scope, f)
    return Statistics(
        filter=f,
        total=years.total,
        revoked=years.revoked,
        charts=charts,
        shares=share_rows,
        staff=staff,
        registrations=registrations(scope, f),
        steps=processing_times(scope, f),
        dossiers=dossier_summary(scope, f),
    )
