"""The ORM adapter: facts for many people and collectives from a handful of bulk reads.

The engine sees only `SubjectFacts`; this module fills them from the org tables. Reads are
`.values_list()` tuples grouped by subject id in dicts, never model instances, and run per chunk of
subjects (default 2,000) so memory stays bounded whatever the size of the subtree. A year that has any
row in the register is a known year: its lists are empty tuples when nothing was recorded (the
register is the record), while a year with no row at all is absent, so the engine names it missing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Q

from tdkt.org.models import AwardRecord, Collective, Discipline, Evaluation, Initiative, Leave, Person, Unit
from tdkt.rulebook.engine import Award, Members, SubjectFacts, Title, YearFacts
from tdkt.rulebook.engine import Discipline as DisciplineFact
from tdkt.rulebook.engine import Initiative as InitiativeFact
from tdkt.rulebook.engine import Leave as LeaveFact
from tdkt.rulebook.engine.codes import TITLE_CODES

CHUNK_SIZE = 2000
COMPLETING = ("htxs", "htt", "ht")
# A member disciplined with a warning (cảnh cáo) or heavier keeps a collective from Tập thể LĐTT.
WARNING_OR_HEAVIER = ("canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc", "buoc_thoi_viec")
# Issuer levels of the register that the case format names; the others carry no meaning for the rules.
ISSUERS = frozenset({"ministry", "province", "central_org", "provincial_org"})
EMPTY: tuple = ()


@dataclass(slots=True, frozen=True)
class SubjectRow:
    """Who the facts are about, for storing and listing results."""

    kind: str  # individual | collective
    id: int
    code: str
    name: str
    unit_id: int


class _Interner(dict):
    """Share equal frozen fact objects (same award, same date) across thousands of subjects."""


def _leave_days(start: datetime.date, end: datetime.date, year: int) -> int:
    lo = max(start, datetime.date(year, 1, 1))
    hi = min(end, datetime.date(year, 12, 31))
    return max(0, (hi - lo).days + 1)


class _Years:
    """Per subject, per year: the lists being collected before they are frozen into YearFacts."""

    __slots__ = (
        "rating",
        "months",
        "members_total",
        "leave",
        "discipline",
        "titles",
        "awards",
        "initiatives",
    )

    def __init__(self) -> None:
        self.rating = None
        self.months = None
        self.members_total = None
        self.leave: list | None = None
        self.discipline: list | None = None
        self.titles: list | None = None
        self.awards: list | None = None
        self.initiatives: list | None = None


def _slot(store: dict, subject_id: int, year: int) -> _Years:
    years = store.get(subject_id)
    if years is None:
        years = store[subject_id] = {}
    y = years.get(year)
    if y is None:
        y = years[year] = _Years()
    return y


def _append(y: _Years, attr: str, item) -> None:
    items = getattr(y, attr)
    if items is None:
        setattr(y, attr, [item])
    else:
        items.append(item)


def _freeze(years: dict[int, _Years], members: Members | None = None, members_year: int | None = None):
    out: dict[int, YearFacts] = {}
    for year, y in years.items():
        out[year] = YearFacts(
            rating=y.rating,
            months_worked=y.months,
            leave=tuple(y.leave) if y.leave else EMPTY,
            discipline=tuple(y.discipline) if y.discipline else EMPTY,
            titles=tuple(y.titles) if y.titles else EMPTY,
            awards=tuple(y.awards) if y.awards else EMPTY,
            initiatives=tuple(y.initiatives) if y.initiatives else EMPTY,
            members=members if year == members_year else None,
        )
    return out


def _collect_awards(rows: Iterable[tuple], store: dict, interner: _Interner) -> None:
    """AwardRecord rows (subject, code, first, last, decided_on, basis, issuer, ground, revoked)."""
    for sid, code, first, last, decided_on, basis, issuer, ground, revoked in rows:
        y = _slot(store, sid, last)
        if code in TITLE_CODES:
            if revoked:
                continue  # a revoked title no longer counts toward any chain
            key = ("t", code, decided_on, ground)
            fact = interner.get(key)
            if fact is None:
                fact = interner[key] = Title(code=code, decided_on=decided_on, ground=ground or None)
            _append(y, "titles", fact)
        else:
            issuer = issuer if issuer in ISSUERS else None
            key = ("a", code, basis, issuer, decided_on, first, last, revoked)
            fact = interner.get(key)
            if fact is None:
                fact = interner[key] = Award(
                    code=code,
                    basis=basis or None,
                    issuer=issuer,
                    decided_on=decided_on,
                    period=(first, last),
                    revoked=revoked,
                )
            _append(y, "awards", fact)


def _collect_initiatives(rows: Iterable[tuple], store: dict, interner: _Interner) -> None:
    for sid, year, kind, scope, recognised_on, used_for in rows:
        scope = scope or None
        recognised = recognised_on is not None and scope is not None
        key = (kind, scope, recognised, used_for)
        fact = interner.get(key)
        if fact is None:
            fact = interner[key] = InitiativeFact(
                kind=kind, scope=scope, recognised=recognised, used_for=used_for or None
            )
        _append(_slot(store, sid, year), "initiatives", fact)


# ---------------------------------------------------------------- people


PERSON_COLUMNS = (
    "id",
    "code",
    "full_name",
    "current_unit_id",
    "employment",
    "direct_worker",
    "leader",
    "joined",
)


def _people_history(ids: list[int], year: int, interner: _Interner) -> dict[int, dict[int, _Years]]:
    store: dict[int, dict[int, _Years]] = {}
    upto = Q(year__lte=year)
    for pid, y, rating, months in (
        Evaluation.objects.filter(upto, person_id__in=ids)
        .values_list("person_id", "year", "rating", "months_worked")
        .order_by()
    ):
        slot = _slot(store, pid, y)
        slot.rating, slot.months = rating, months
    for pid, y, kind, start, end in (
        Leave.objects.filter(upto, person_id__in=ids)
        .values_list("person_id", "year", "kind", "start", "end")
        .order_by()
    ):
        days = _leave_days(start, end, y)
        fact = interner.get(("l", kind, days))
        if fact is None:
            fact = interner["l", kind, days] = LeaveFact(kind, days)
        _append(_slot(store, pid, y), "leave", fact)
    for pid, y, form, decided_on, admin in (
        Discipline.objects.filter(upto, person_id__in=ids)
        .values_list("person_id", "year", "form", "decided_on", "admin_sanction")
        .order_by()
    ):
        _append(
            _slot(store, pid, y),
            "discipline",
            DisciplineFact(form=form or None, date=decided_on, admin_sanction=admin),
        )
    _collect_initiatives(
        Initiative.objects.filter(upto, person_id__in=ids)
        .values_list("person_id", "year", "kind", "scope", "recognised_on", "used_for")
        .order_by(),
        store,
        interner,
    )
    _collect_awards(
        AwardRecord.objects.filter(person_id__in=ids, last_year__lte=year)
        .values_list(
            "person_id",
            "award_code",
            "first_year",
            "last_year",
            "decided_on",
            "basis",
            "issuer_level",
            "ground",
            "revoked",
        )
        .order_by(),
        store,
        interner,
    )
    return store


def _person_facts(row: tuple, years: dict[int, _Years] | None) -> tuple[SubjectRow, SubjectFacts]:
    pid, code, name, unit_id, employment, direct, leader, joined = row
    facts = SubjectFacts(
        kind="individual",
        name=name,
        employment=employment or None,
        direct_worker=direct,
        leader=leader,
        joined=joined,
        years=_freeze(years) if years else {},
    )
    return SubjectRow("individual", pid, code, name, unit_id), facts


def people_queryset(unit: Unit | None = None):
    qs = Person.objects.filter(active=True)
    if unit is not None:
        qs = qs.filter(current_unit__path__startswith=unit.path)
    return qs


def iter_people_facts(
    year: int,
    *,
    unit: Unit | None = None,
    person_ids: list[int] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[list[tuple[SubjectRow, SubjectFacts]]]:
    """Chunks of (row, facts) for the active people of `unit`'s subtree (or the given ids), by id."""
    qs = people_queryset(unit)
    if person_ids is not None:
        qs = Person.objects.filter(pk__in=person_ids)
    interner = _Interner()
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk").values_list(*PERSON_COLUMNS)[:chunk_size])
        if not rows:
            return
        last = rows[-1][0]
        store = _people_history([r[0] for r in rows], year, interner)
        yield [_person_facts(r, store.get(r[0])) for r in rows]
        if len(interner) > 200_000:
            interner = _Interner()


def person_facts(person_id: int, year: int) -> SubjectFacts:
    for chunk in iter_people_facts(year, person_ids=[person_id]):
        return chunk[0][1]
    raise Person.DoesNotExist


# ---------------------------------------------------------------- collectives


def _unit_paths(unit: Unit | None) -> dict[int, str]:
    qs = Unit.objects.all()
    if unit is not None:
        qs = qs.filter(path__startswith=unit.path)
    return dict(qs.values_list("id", "path").order_by())


def member_tallies(year: int, unit: Unit | None) -> tuple[dict, dict]:
    """Counts per unit (own, and rolled up its subtree) of the people rated in `year`: total, completing,
    holding LĐTT, holding CSTĐCS, disciplined with a warning or heavier. Four aggregate queries."""
    prefix = Q(unit__path__startswith=unit.path) if unit is not None else Q()
    # per unit: [total, completing, ldtt, cstd_co_so, disciplined]
    per_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for unit_id, total, completing in (
        Evaluation.objects.filter(prefix, person__isnull=False, year=year)
        .values("unit_id")
        .order_by()
        .annotate(
            total=Count("person_id", distinct=True),
            completing=Count("person_id", distinct=True, filter=Q(rating__in=COMPLETING)),
        )
        .values_list("unit_id", "total", "completing")
    ):
        per_unit[unit_id][0] += total
        per_unit[unit_id][1] += completing
    for unit_id, code, n in (
        AwardRecord.objects.filter(
            prefix, person__isnull=False, last_year=year, revoked=False, award_code__in=("ldtt", "cstd_co_so")
        )
        .values("unit_id", "award_code")
        .order_by()
        .annotate(n=Count("person_id", distinct=True))
        .values_list("unit_id", "award_code", "n")
    ):
        per_unit[unit_id][2 if code == "ldtt" else 3] += n
    for unit_id, n in (
        Discipline.objects.filter(prefix, year=year, form__in=WARNING_OR_HEAVIER)
        .values("unit_id")
        .order_by()
        .annotate(n=Count("person_id", distinct=True))
        .values_list("unit_id", "n")
    ):
        per_unit[unit_id][4] += n
    paths = _unit_paths(unit)
    rolled: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for unit_id, counts in per_unit.items():
        path = paths.get(unit_id)
        if path is None:
            continue
        for ancestor in path.strip("/").split("/"):
            acc = rolled[int(ancestor)]
            for i in range(5):
                acc[i] += counts[i]
    return per_unit, rolled


def members_of(tallies: tuple[dict, dict], collectives: Iterable[tuple]) -> dict[int, Members]:
    """A collective of kind `unit` counts the people rated that year in its unit's whole subtree; a team
    counts the people rated in its own unit. Without any rated person, the recorded total alone."""
    per_unit, rolled = tallies
    out: dict[int, Members] = {}
    for cid, _code, _name, unit_id, _established, kind, members_total in collectives:
        counts = rolled.get(unit_id) if kind == "unit" else per_unit.get(unit_id)
        if counts and counts[0]:
            out[cid] = Members(
                total=counts[0],
                completing=counts[1],
                ldtt=counts[2],
                cstd_co_so=counts[3],
                disciplined=counts[4],
            )
        elif members_total:
            out[cid] = Members(total=members_total)
    return out


COLLECTIVE_COLUMNS = ("id", "code", "name", "unit_id", "established", "kind")
_NOT_YET = object()


def _continued(ids: list[int], year: int) -> dict[int, list[int]]:
    """Successor collective -> the predecessors' collectives whose years it continues after a merger,
    when the rulebook setting `collective.chain_across_merger` is "continue" (issue 11)."""
    from tdkt.org.selectors import continued_collectives
    from tdkt.rulebook.services import setting_value

    chains = continued_collectives(ids)
    if not chains or setting_value("collective.chain_across_merger", year) != "continue":
        return {}
    return chains


def _collective_history(ids: list[int], year: int, interner: _Interner):
    chains = _continued(ids, year)
    if chains:
        own = set(ids)
        ids = ids + sorted({p for preds in chains.values() for p in preds} - own)
    store: dict[int, dict[int, _Years]] = {}
    members_total: dict[int, int | None] = {}
    for cid, y, rating, months, total in (
        Evaluation.objects.filter(year__lte=year, collective_id__in=ids)
        .values_list("collective_id", "year", "rating", "months_worked", "members_total")
        .order_by()
    ):
        slot = _slot(store, cid, y)
        slot.rating, slot.months = rating, months
        if y == year:
            members_total[cid] = total
    _collect_initiatives(
        Initiative.objects.filter(year__lte=year, collective_id__in=ids)
        .values_list("collective_id", "year", "kind", "scope", "recognised_on", "used_for")
        .order_by(),
        store,
        interner,
    )
    _collect_awards(
        AwardRecord.objects.filter(collective_id__in=ids, last_year__lte=year)
        .values_list(
            "collective_id",
            "award_code",
            "first_year",
            "last_year",
            "decided_on",
            "basis",
            "issuer_level",
            "ground",
            "revoked",
        )
        .order_by(),
        store,
        interner,
    )
    for successor, predecessors in chains.items():
        years = store.setdefault(successor, {})
        for pred in predecessors:  # nearest first: a year of its own wins over an older one
            for y, slot in (store.get(pred) or {}).items():
                years.setdefault(y, slot)
    return store, members_total


def collectives_queryset(unit: Unit | None = None):
    qs = Collective.objects.filter(active=True)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def iter_collective_facts(
    year: int,
    *,
    unit: Unit | None = None,
    collective_ids: list[int] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[list[tuple[SubjectRow, SubjectFacts]]]:
    qs = (
        collectives_queryset(unit)
        if collective_ids is None
        else Collective.objects.filter(pk__in=collective_ids)
    )
    interner = _Interner()
    tallies = _NOT_YET
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk").values_list(*COLLECTIVE_COLUMNS)[:chunk_size])
        if not rows:
            return
        last = rows[-1][0]
        if tallies is _NOT_YET:
            member_unit = unit
            if collective_ids is not None:  # the live tab: only the collective's own subtree
                member_unit = Unit.objects.get(pk=rows[0][3]) if len(rows) == 1 else None
            tallies = member_tallies(year, member_unit)
        store, totals = _collective_history([r[0] for r in rows], year, interner)
        members = members_of(tallies, [(*r, totals.get(r[0])) for r in rows])
        chunk = []
        for cid, code, name, unit_id, established, _kind in rows:
            years = store.get(cid) or {}
            m = members.get(cid)
            if m is not None and year not in years:
                years[year] = _Years()
            facts = SubjectFacts(
                kind="collective", name=name, established=established, years=_freeze(years, m, year)
            )
            chunk.append((SubjectRow("collective", cid, code, name, unit_id), facts))
        yield chunk


def collective_facts(collective_id: int, year: int) -> SubjectFacts:
    for chunk in iter_collective_facts(year, collective_ids=[collective_id]):
        return chunk[0][1]
    raise Collective.DoesNotExist
