"""Read paths of decisions, scoped to the user's units."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from tdkt.accounts.scope import scope_for
from tdkt.awards.models import Decision, DecisionLine
from tdkt.core.audit import present
from tdkt.core.models import AuditEvent
from tdkt.core.search import word_start_q
from tdkt.org.models import AwardRecord, Unit


def decisions_for(user, *, year: int | None = None, status: str = "") -> QuerySet[Decision]:
    qs = scope_for(user, "awards.view_decision").filter(Decision.objects.all(), "issuer_unit")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("issuer_unit").annotate(line_count=Count("lines")).order_by("-year", "-created_at")
    )


def decision_lines(decision: Decision) -> list[DecisionLine]:
    return list(
        decision.lines.select_related("person", "collective", "unit", "award_record").order_by(
            "award_code", "collective_id", "person__sort_key", "order", "id"
        )
    )


# --- the award register (issue 10) ---------------------------------------------------------------


@dataclass
class RegisterFilter:
    """A validated filter of the register (awards.filters.RegisterFilterForm.to_filter)."""

    q: str = ""
    year: int | None = None  # an achievement year the record covers (first_year..last_year)
    award_code: str = ""
    level: str = ""
    unit: Unit | None = None
    include_subtree: bool = True
    gender: str = ""
    ethnicity: str = ""
    direct_worker: bool | None = None
    leader: bool | None = None
    source: str = ""
    revoked: bool | None = None
    subject: str = ""  # "person" | "collective" | "" (both)
    sort: str = "-year"


# column key -> ordering; every ordering ends with the id so that pages never overlap
REGISTER_SORTS: dict[str, tuple] = {
    "year": ("last_year", "first_year", "decided_on", "id"),
    "name": ("subject_key", "-last_year", "id"),
    "award": ("award_code", "-last_year", "id"),
    "decided_on": ("decided_on", "id"),
    "decision": ("decision_number", "id"),
    "unit": ("unit__path", "subject_key", "id"),
}


def _ordering(sort: str) -> list:
    key = sort.lstrip("-")
    fields = REGISTER_SORTS.get(key, REGISTER_SORTS["year"])
    if not sort.startswith("-"):
        return list(fields)
    # descending on the column, the id tie-breaker too
    return [f[1:] if f.startswith("-") else f"-{f}" for f in fields]


# below this many matching records the register's first page is read from the units, not the order index
FEW_RECORDS = 2000


def _few(qs: QuerySet[AwardRecord]) -> bool:
    """Whether fewer than FEW_RECORDS rows match: one query that stops at the bound."""
    return qs.order_by().values("pk")[:FEW_RECORDS].count() < FEW_RECORDS


def register_for(user, f: RegisterFilter, *, action: str = "awards.view_register") -> QuerySet[AwardRecord]:
    """Award records (people and collectives) of the units the user may read for `action`, filtered and
    sorted, with the subject, its unit and the record's unit joined: one query per page whatever the
    rows."""
    qs = scope_for(user, action).filter(AwardRecord.objects.all(), "unit")
    if f.q:
        text = Q(word_start_q("person__search_text", f.q)) | Q(word_start_q("collective__search_text", f.q))
        qs = qs.filter(text | Q(decision_number__icontains=f.q) | Q(revoked_decision__icontains=f.q))
    if f.year:
        qs = qs.filter(first_year__lte=f.year, last_year__gte=f.year)
    if f.award_code:
        qs = qs.filter(award_code=f.award_code)
    if f.level:
        qs = qs.filter(issuer_level=f.level)
    if f.unit is not None:
        qs = qs.filter(unit__path__startswith=f.unit.path) if f.include_subtree else qs.filter(unit=f.unit)
    if (
        f.subject == "person"
        or f.gender
        or f.ethnicity
        or f.direct_worker is not None
        or f.leader is not None
    ):
        qs = qs.filter(person__isnull=False)
    elif f.subject == "collective":
        qs = qs.filter(collective__isnull=False)
    if f.gender:
        qs = qs.filter(person__gender=f.gender)
    if f.ethnicity:
        qs = qs.filter(person__ethnicity__iexact=f.ethnicity)
    if f.direct_worker is not None:
        qs = qs.filter(person__direct_worker=f.direct_worker)
    if f.leader is not None:
        qs = qs.filter(person__leader=f.leader)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.revoked is not None:
        qs = qs.filter(revoked=f.revoked)
    if f.sort.lstrip("-") == "year" and _few(qs):
        # Few rows match: read them through the unit index and sort them. Joined to the units (below),
        # the databases walk the register's order index (org 0007) and stop after a page, which is
        # what a large scope needs, but which reads the whole index for a scope with a handful of
        # records. `pk__in` keeps the filters and lets the plan start from the units.
        qs = AwardRecord.objects.filter(pk__in=qs.values("pk"))
    return (
        qs.annotate(subject_key=Coalesce("person__sort_key", "collective__name"))
        .select_related("person", "collective", "unit")
        .order_by(*_ordering(f.sort))
    )


def record_page(record: AwardRecord) -> dict:
    """What the record page shows beside the record: the decision it came from when issued here, and
    its audit trail in words (a fixed handful of queries)."""
    line = DecisionLine.objects.filter(award_record=record).select_related("decision").first()
    events = list(
        AuditEvent.objects.filter(object_type=AwardRecord._meta.label_lower, object_id=str(record.pk))
        .select_related("actor")
        .order_by("-at", "-id")[:100]
    )
    present(events)
    return {"decision": line.decision if line else None, "events": events}
