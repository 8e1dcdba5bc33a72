"""Read paths of movements and registrations: scoped, and with a number of queries that does not grow
with the rows shown.

Other apps call:
- `registered_subjects(year=, unit_ids=, movement=None)` — the approved registrations of a year, for
  the review's "đã đăng ký / chưa đăng ký" (docs/movements.md);
- `awards_under_movement(movement)` — the awards tied to a movement (an extension point the decisions
  app fills);
- `registration_deadlines_due(days_ahead)` — for the periodic reminder job.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from tdkt.accounts.models import RoleAssignment
from tdkt.accounts.permissions import ACTION_ROLES
from tdkt.accounts.scope import Scope, scope_for
from tdkt.core.search import word_start_q
from tdkt.movements.enums import ACTIVE_REGISTRATION, MovementKind, MovementStatus, RegistrationStatus
from tdkt.movements.models import Movement, MovementAttachment, MovementUnit, Registration
from tdkt.org.models import AwardRecord, Collective, Person, Unit
from tdkt.org.selectors import tree_order, unit_labels

VIEW = "movements.view"
MANAGE = "movements.manage"
REGISTER = "movements.register"
APPROVE = "movements.approve_registration"
CONSOLIDATED = "movements.view_consolidated"


def _prefixes(path: str) -> list[str]:
    """ "/1/7/23/" -> ["/1/", "/1/7/", "/1/7/23/"]: the paths of a unit and its ancestors."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


# ---------------------------------------------------------------------------------------- visibility


def _meets(scope: Scope) -> Q:
    """Movements one of whose participating units (each with its subtree) meets the scope: a unit of the
    scope lies in it, or it lies in the scope. For a staff member: their own unit takes part."""
    if scope.everything:
        return Q()
    rows = Q(pk__in=[])
    for path in scope.subtree_paths:
        rows |= Q(unit__path__startswith=path) | Q(unit__path__in=_prefixes(path))
    if scope.unit_ids:
        rows |= Exists(
            Unit.objects.filter(pk__in=sorted(scope.unit_ids), path__startswith=OuterRef("unit__path"))
        )
    if scope.own_person_id:
        rows |= Exists(
            Person.objects.filter(
                pk=scope.own_person_id, current_unit__path__startswith=OuterRef("unit__path")
            )
        )
    return Q(Exists(MovementUnit.objects.filter(movement=OuterRef("pk")).filter(rows)))


def movements_for(user, action: str = VIEW) -> QuerySet[Movement]:
    """The movements `user` may take `action` on: launched or closed ones whose participating units meet
    the user's scope for it; drafts only for those who may manage the owning unit (their launchers)."""
    scope = scope_for(user, action)
    if scope.empty:
        return Movement.objects.none()
    manage = scope_for(user, MANAGE)
    if action == MANAGE:
        return manage.filter(Movement.objects.all(), "unit")
    if action == VIEW and manage.everything:
        return Movement.objects.all()
    q = ~Q(status=MovementStatus.DRAFT) & _meets(scope)
    if action == VIEW and manage.units_only:
        q |= manage.unit_q("unit")
    return Movement.objects.filter(q)


def movement_allowed(user, action: str, movement: Movement) -> bool:
    """Whether `user` may take `action` on `movement` (one query, remembered on the instance)."""
    if action == MANAGE:
        return scope_for(user, MANAGE).covers(movement.unit)
    cache = movement.__dict__.setdefault("_tdkt_allowed", {})
    key = (getattr(user, "pk", None), action)
    if key not in cache:
        cache[key] = movements_for(user, action).filter(pk=movement.pk).exists()
    return cache[key]


# ---------------------------------------------------------------------------------------------- lists


@dataclass(frozen=True)
class MovementFilter:
    q: str = ""
    year: int | None = None
    kind: str = ""
    status: str = ""


def filtered_movements(user, f: MovementFilter) -> QuerySet[Movement]:
    qs = movements_for(user, VIEW)
    if f.q:
        qs = qs.filter(word_start_q("search_text", f.q))
    if f.year:
        # a yearly movement of that year, or a thematic one running in it
        qs = qs.filter(
            Q(year=f.year) | Q(kind=MovementKind.THEMATIC, start__year__lte=f.year, end__year__gte=f.year)
        )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    return qs.select_related("unit").order_by("-year", "-created_at", "-id")


def movement_with_details(pk: int) -> Movement | None:
    """A movement with its owning unit, participating units, attachments and timeline (4 queries)."""
    return (
        Movement.objects.select_related("unit", "created_by")
        .prefetch_related(
            Prefetch("participants", queryset=Unit.objects.order_by("path")),
            Prefetch("attachments", queryset=MovementAttachment.objects.select_related("uploaded_by")),
            "transitions__actor",
        )
        .filter(pk=pk)
        .first()
    )


# ------------------------------------------------------------------------------------ participation


def root_paths(movement: Movement) -> list[str]:
    return [u.path for u in movement.participants.all()]


def participation_q(movement: Movement, field_name: str = "") -> Q:
    """Q over units (or over a unit foreign key `field_name`) taking part in `movement`."""
    prefix = f"{field_name}__" if field_name else ""
    q = Q(pk__in=[])
    for path in root_paths(movement):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def takes_part(movement: Movement, unit: Unit | None) -> bool:
    return unit is not None and any(unit.path.startswith(p) for p in root_paths(movement))


def participating_units(movement: Movement, *scopes: Scope) -> list[Unit]:
    """The units taking part (with the sub-units of each chosen unit) in tree order, within every one of
    `scopes`; units closed before the movement began are left out."""
    qs = Unit.objects.filter(participation_q(movement))
    began = movement.start or datetime.date(movement.year, 1, 1)
    qs = qs.filter(Q(active_to__isnull=True) | Q(active_to__gte=began))
    for scope in scopes:
        qs = scope.filter_units(qs)
    return tree_order(list(qs.only("id", "name", "path", "depth", "sort_order", "kind", "code", "active_to")))


# ------------------------------------------------------------------------------ registration table


@dataclass
class Cell:
    subject: str = "both"  # who the title is for: "individual" | "collective" | "both"
    people: int = 0
    collectives: int = 0

    @property
    def total(self) -> int:
        return self.people + self.collectives


@dataclass
class TableRow:
    unit: Unit
    label: str
    depth: int
    cells: dict[str, Cell] = field(default_factory=dict)
    people: int = 0
    collectives: int = 0
    late: int = 0
    pending: int = 0

    @property
    def registered(self) -> bool:
        return bool(self.people or self.collectives)


@dataclass
class RegistrationTable:
    codes: list[tuple[str, str, str]]  # (code, label, subject: "individual" | "collective" | "both")
    rows: list[TableRow]
    total: TableRow | None

    @property
    def missing(self) -> list[TableRow]:
        return [r for r in self.rows if not r.registered]


def award_subjects(codes: list[str], year: int) -> dict[str, str]:
    """code -> "individual" | "collective" | "both", as the rulebook of `year` says."""
    from tdkt.rulebook.services import codes_for

    people, collectives = set(codes_for("individual", year)), set(codes_for("collective", year))
    return {
        c: "both" if c in people and c in collectives else "collective" if c in collectives else "individual"
        for c in codes
    }


def registration_table(movement: Movement, scope: Scope, *, also: Scope | None = None) -> RegistrationTable:
    """Rows: the participating units within `scope` (and `also`), in tree order; columns: the planned
    titles; a cell: the active (approved or pending) registrations of people and of collectives of the
    unit and its sub-units. Two queries whatever the units and titles: the units, and one aggregate."""
    units = participating_units(movement, *([scope] if also is None else [scope, also]))
    labels = unit_labels(units)
    subjects = award_subjects(list(movement.award_codes), movement.year)
    codes = [(code, label, subjects[code]) for code, label in movement.award_labels]

    def cells() -> dict[str, Cell]:
        return {code: Cell(subject=subject) for code, _label, subject in codes}

    rows = [
        TableRow(unit=u, label=labels.get(u.pk, u.name), depth=u.tree_depth, cells=cells()) for u in units
    ]
    by_path = {r.unit.path: r for r in rows}
    total = TableRow(unit=movement.unit, label="", depth=0, cells=cells())
    groups = (
        Registration.objects.filter(movement=movement, status__in=list(ACTIVE_REGISTRATION))
        .values("unit__path", "award_code")
        .annotate(
            people=Count("id", filter=Q(person__isnull=False)),
            collectives=Count("id", filter=Q(collective__isnull=False)),
            late=Count("id", filter=Q(late=True)),
            pending=Count("id", filter=Q(status=RegistrationStatus.PENDING)),
        )
        .order_by()
    )
    for g in groups:
        targets = [by_path[p] for p in _prefixes(g["unit__path"] or "") if p in by_path]
        if not targets:
            continue  # a unit outside the rows (outside the scope, or no longer taking part)
        for row in [*targets, total]:
            cell = row.cells.get(g["award_code"])
            if cell is not None:
                cell.people += g["people"]
                cell.collectives += g["collectives"]
            row.people += g["people"]
            row.collectives += g["collectives"]
            row.late += g["late"]
            row.pending += g["pending"]
    return RegistrationTable(codes=codes, rows=rows, total=total if rows else None)


# ------------------------------------------------------------------------------ registration page


def register_units(user, movement: Movement) -> list[Unit]:
    """The participating units `user` may register for, in tree order."""
    return participating_units(movement, scope_for(user, REGISTER))


def subjects_for_registration(user, movement: Movement, unit: Unit, q: str = "") -> tuple[QuerySet, QuerySet]:
    """The active people and collectives of `unit` and its sub-units that take part in `movement` and lie
    in the user's registration scope: people in Vietnamese name order, collectives by unit and name."""
    scope = scope_for(user, REGISTER)
    people = Person.objects.filter(active=True, current_unit__path__startswith=unit.path).filter(
        participation_q(movement, "current_unit")
    )
    people = scope.filter(people, "current_unit")
    collectives = Collective.objects.filter(active=True, unit__path__startswith=unit.path).filter(
        participation_q(movement, "unit")
    )
    collectives = scope.filter(collectives, "unit")
    if q:
        people = people.filter(word_start_q("search_text", q))
        collectives = collectives.filter(word_start_q("search_text", q))
    return (
        people.select_related("current_unit").order_by("sort_key", "id"),
        collectives.select_related("unit").order_by("unit__path", "kind", "name", "id"),
    )


def registrations_of(movement: Movement, *, people=(), collectives=()) -> dict[tuple[str, int], list]:
    """The registrations (any status) of the given subjects in `movement`, one query:
    {("person", id) | ("collective", id): [Registration, ...]} newest last."""
    person_ids = [p.pk for p in people]
    collective_ids = [c.pk for c in collectives]
    if not person_ids and not collective_ids:
        return {}
    found: dict[tuple[str, int], list] = defaultdict(list)
    qs = Registration.objects.filter(movement=movement).filter(
        Q(person_id__in=person_ids) | Q(collective_id__in=collective_ids)
    )
    for r in qs.select_related("registered_by").order_by("registered_at", "id"):
        found[(r.subject_kind, r.person_id or r.collective_id)].append(r)
    return found


# ------------------------------------------------------------------------------------- own and queue


def own_person(user) -> Person | None:
    """The person record linked to the account (cached on the user object by Django)."""
    try:
        return user.person
    except Exception:  # RelatedObjectDoesNotExist, or an anonymous user
        return None


def open_movements_for_person(person: Person) -> list[Movement]:
    """Launched movements in which the person's unit takes part (the self-registration page)."""
    rows = Exists(
        MovementUnit.objects.filter(
            movement=OuterRef("pk"),
            unit__path__in=_prefixes(person.current_unit.path),
        )
    )
    return list(
        Movement.objects.filter(rows, status=MovementStatus.LAUNCHED)
        .select_related("unit")
        .order_by("registration_deadline", "-year", "id")
    )


def registrations_of_person(person: Person) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(person=person)
        .select_related("movement", "decided_by", "registered_by")
        .order_by("-registered_at", "-id")
    )


def pending_for_approval(user) -> QuerySet[Registration]:
    """Staff members' own registrations waiting for a unit head whose scope covers their unit."""
    scope = scope_for(user, APPROVE)
    qs = Registration.objects.filter(status=RegistrationStatus.PENDING, self_registered=True)
    return (
        scope.filter(qs, "unit")
        .select_related("person", "unit", "movement", "registered_by")
        .order_by("registered_at", "id")
    )


# ---------------------------------------------------------------------------------- for other apps


def registered_subjects(
    *, year: int, unit_ids, movement: Movement | None = None
) -> dict[tuple[str, int], set[str]]:
    """{("person", id) | ("collective", id): {award codes}} of the APPROVED registrations of the year's
    movements (or of `movement` only) of subjects whose current unit is in `unit_ids`. One query.

    The review calls this to show "đã đăng ký / chưa đăng ký" per candidate and, where the agency's
    rules require registration, to block a candidate who did not register (docs/movements.md)."""
    ids = sorted(set(unit_ids))
    qs = Registration.objects.filter(status=RegistrationStatus.APPROVED).filter(
        Q(person__current_unit_id__in=ids) | Q(collective__unit_id__in=ids)
    )
    qs = qs.filter(movement=movement) if movement is not None else qs.filter(movement__year=year)
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for person_id, collective_id, code in qs.values_list("person_id", "collective_id", "award_code"):
        key = ("person", person_id) if person_id else ("collective", collective_id)
        found[key].add(code)
    return dict(found)


_AWARD_SOURCES: list = []


def register_award_source(fn) -> None:
    """`fn(movement) -> QuerySet[AwardRecord]`: the decisions app (a layer above) says which award records
    were made under a movement; this app imports nothing of it."""
    if fn not in _AWARD_SOURCES:
        _AWARD_SOURCES.append(fn)


def awards_under_movement(movement: Movement) -> QuerySet[AwardRecord]:
    """The award records made under `movement` ("Đã khen thưởng theo phong trào"), as the registered
    sources give them (the decisions whose movement it is)."""
    qs = AwardRecord.objects.none()
    for fn in _AWARD_SOURCES:
        qs = qs | fn(movement)
    return qs


def registration_deadlines_due(
    days_ahead: int, *, today: datetime.date | None = None
) -> list[tuple[Movement, list]]:
    """Launched movements whose registration deadline falls within `days_ahead` days from today
    (today included), each with the users to remind: the active users holding a role that registers
    (`movements.register`) in a participating unit that has not registered anyone yet.

    For the notification engineer's periodic job; a dedupe key like
    f"movement:{movement.pk}:deadline:{movement.registration_deadline}" sends each reminder once.
    Four queries whatever the number of movements and units."""
    today = today or timezone.localdate()
    movements = list(
        Movement.objects.filter(
            status=MovementStatus.LAUNCHED,
            registration_deadline__gte=today,
            registration_deadline__lte=today + datetime.timedelta(days=max(0, days_ahead)),
        )
        .prefetch_related("participants")
        .order_by("registration_deadline", "id")
    )
    if not movements:
        return []
    assignments = list(
        RoleAssignment.objects.current()
        .filter(role__in=sorted(ACTION_ROLES[REGISTER]), user__is_active=True)
        .select_related("user", "unit")
    )
    registered: dict[int, set[str]] = defaultdict(set)
    for movement_id, path in (
        Registration.objects.filter(movement__in=movements, status__in=list(ACTIVE_REGISTRATION))
        .values_list("movement_id", "unit__path")
        .distinct()
    ):
        registered[movement_id].add(path)
    due = []
    for movement in movements:
        roots = root_paths(movement)
        done = registered[movement.pk]
        users = {}
        for a in assignments:
            path = a.unit.path
            if not any(path.startswith(r) for r in roots):
                continue  # not a participating unit
            if any(p.startswith(path) for p in done):
                continue  # the unit (or one of its sub-units) has registered
            users[a.user_id] = a.user
        if users:
            due.append((movement, sorted(users.values(), key=lambda u: u.username)))
    return due


# ------------------------------------------------------------------------------------------ dashboard


def dashboard_panels(request) -> list[dict]:
    """The dashboard's panel of emulation registration: a staff member's own (open movements of their
    unit, their registrations) and, for a unit head, the registrations waiting for approval. A handful
    of counts, none per row."""
    user = request.user
    person = own_person(user)
    approver = not scope_for(user, APPROVE).empty
    if person is None and not approver:
        return []
    context: dict = {"person": person, "open_count": 0, "pending_mine": 0, "approved_mine": 0}
    if person is not None:
        context["open_count"] = len(open_movements_for_person(person))
        counts = Registration.objects.filter(
            person=person, movement__status=MovementStatus.LAUNCHED
        ).aggregate(
            pending=Count("id", filter=Q(status=RegistrationStatus.PENDING)),
            approved=Count("id", filter=Q(status=RegistrationStatus.APPROVED)),
        )
        context["pending_mine"], context["approved_mine"] = counts["pending"], counts["approved"]
    context["to_approve"] = pending_for_approval(user).count() if approver else None
    if person is None and not context["to_approve"]:
        return []
    return [{"template": "movements/dashboard_panel.html", "context": context}]
