"""Every write to the organisation: one function per use case, each audited in its transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.accounts.rules import require_perm
from tdkt.accounts.scope import scope_for
from tdkt.core.audit import audit, audit_many, diff, snapshot
from tdkt.core.enums import AuditAction
from tdkt.core.errors import ServiceError
from tdkt.core.imports import chunks
from tdkt.core.text import clean, clean_code, code_problem, fold, is_digits, name_sort_key
from tdkt.org.enums import AwardSource, ReviewStatus
from tdkt.org.models import (
    AwardRecord,
    Collective,
    Discipline,
    Evaluation,
    IdentityReview,
    Initiative,
    Leave,
    Person,
    Position,
    Unit,
)

PERSON_FIELDS = [
    "code",
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "ethnicity",
    "id_number",
    "position",
    "job_title",
    "employment",
    "direct_worker",
    "leader",
    "joined",
    "current_unit",
    "active",
]


PERSON_TEXT_FIELDS = ("family_name", "middle_name", "given_name", "ethnicity", "position", "job_title")


def fill_person_derived(person: Person) -> Person:
    """Code and names in their stored form (`clean`: NFC, no invisible characters, single spaces), then
    the full name, accent-folded search text and the Vietnamese sort key from the name parts."""
    person.code = clean_code(person.code)
    for name in PERSON_TEXT_FIELDS:
        setattr(person, name, clean(getattr(person, name)))
    parts = [person.family_name, person.middle_name, person.given_name]
    person.full_name = " ".join(p for p in parts if p)
    person.search_text = " ".join([fold(person.full_name), fold(person.code)])
    person.sort_key = name_sort_key(*parts)
    return person


def check_code(code: str, *, field: str = "code") -> str:
    """The code in its stored form, or ServiceError when it is empty or has characters codes may not."""
    code = clean_code(code)
    if not code:
        raise ServiceError(_("Mã không được để trống."), field=field)
    if problem := code_problem(code):
        raise ServiceError(problem, field=field)
    return code


def by_code(model, codes, *, related: str | None = None, lock: bool = False) -> dict[str, Any]:
    """Records of `model` whose code is one of `codes`, whatever the case, keyed by the lower-cased
    code (codes are unique without regard to case: a unique index on lower(code))."""
    found: dict[str, Any] = {}
    wanted = {clean_code(c).lower() for c in codes if c}
    for part in chunks(wanted):
        qs = model.objects.annotate(code_lower=Lower("code")).filter(code_lower__in=part)
        if related:
            qs = qs.select_related(related)
        if lock:
            qs = qs.select_for_update(of=("self",))
        for obj in qs:
            found[obj.code.lower()] = obj
    return found


def fill_unit_path(unit: Unit) -> Unit:
    """Needs unit.pk; the parent's path must be current."""
    parent_path = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = parent_path.count("/") - 1
    return unit


def unit_create(*, actor, parent: Unit | None, **fields) -> Unit:
    if parent is not None:
        require_perm(actor, "org.change_person", parent)
    elif not actor.is_superuser:
        require_perm(actor, "core.view_audit")  # only admins create a root unit
    fields["code"] = check_code(fields.get("code", ""))
    for name in ("name", "short_name", "province"):
        if name in fields:
            fields[name] = clean(fields[name])
    with transaction.atomic():
        if by_code(Unit, [fields["code"]]):
            raise ServiceError(_("Mã đơn vị '%(code)s' đã có.") % {"code": fields["code"]}, field="code")
        unit = Unit.objects.create(parent=parent, **fields)
        fill_unit_path(unit)
        unit.save(update_fields=["path", "depth"])
        audit(
            actor,
            "unit.create",
            unit,
            action=AuditAction.CREATE,
            changes=snapshot(unit, ["code", "name", "kind"]),
        )
    return unit


def _id_claim(id_number: str | None, exclude_pk: int | None, *, actor, action: str) -> Person | None:
    """Who else holds `id_number`. A holder inside the writer's scope is named (the writer may see it
    anyway): ServiceError. A holder outside it is returned, and the write goes through with the number
    marked disputed and a review opened for the ministry's TĐKT department — the writer learns
    nothing a fresh number would not tell them (no error, no different wording, no delay)."""
    if not id_number:
        return None
    if not is_digits(id_number) or len(id_number) not in (9, 12):
        raise ServiceError(
            _("Số định danh cá nhân phải gồm 12 chữ số (hoặc 9 chữ số CMND cũ)."), field="id_number"
        )
    clash = (
        Person.objects.filter(id_number=id_number, id_number_disputed=False)
        .exclude(pk=exclude_pk)
        .select_related("current_unit")
        .first()
    )
    if clash is None or not scope_for(actor, action).covers(clash.current_unit):
        return clash
    if scope_for(actor, "org.view_private").covers_person(clash):
        message = _("Số định danh %(number)s đã có ở hồ sơ %(code)s (%(name)s).") % {
            "number": id_number,
            "code": clash.code,
            "name": clash.full_name,
        }
    else:
        message = _("Số định danh %(number)s đã có ở một hồ sơ khác trong đơn vị.") % {"number": id_number}
    raise ServiceError(message, field="id_number")


def open_identity_reviews(*, actor, claims: list[tuple[Person, Person]], source: str) -> None:
    """One review per (person just written, holder outside the writer's scope), audited. Called inside
    the writing transaction."""
    reviews = [
        IdentityReview(
            person=person,
            person_repr=f"{person.code} — {person.full_name}"[:255],
            holder=holder,
            id_number=person.id_number,
            source=source[:255],
            requested_by=actor,
        )
        for person, holder in claims
    ]
    IdentityReview.objects.bulk_create(reviews)
    audit_many(
        actor,
        [
            {
                "event": "identity.review_open",
                "obj": person,
                "action": AuditAction.CREATE,
                "changes": {"holder": holder.pk, "source": source},
            }
            for person, holder in claims
        ],
    )


def person_create(*, actor, unit: Unit, start: datetime.date | None = None, **fields) -> Person:
    require_perm(actor, "org.change_person", unit)
    fields["code"] = check_code(fields.get("code", ""))
    fields["id_number"] = fields.get("id_number") or None
    holder = _id_claim(fields["id_number"], None, actor=actor, action="org.change_person")
    try:
        with transaction.atomic():
            if by_code(Person, [fields["code"]]):
                raise ServiceError(_("Mã cán bộ '%(code)s' đã có.") % {"code": fields["code"]}, field="code")
            person = fill_person_derived(
                Person(current_unit=unit, id_number_disputed=holder is not None, **fields)
            )
            person.save()
            Position.objects.create(
                person=person,
                unit=unit,
                position=person.position,
                start=start or person.joined or datetime.date.today(),
            )
            audit(
                actor,
                "person.create",
                person,
                action=AuditAction.CREATE,
                changes=snapshot(person, PERSON_FIELDS),
            )
            if holder is not None:
                open_identity_reviews(actor=actor, claims=[(person, holder)], source=_("Nhập tay"))
    except IntegrityError as exc:
        raise ServiceError(_("Mã cán bộ hoặc số định danh đã tồn tại.")) from exc
    return person


def person_update(*, actor, person_id: int, **fields) -> Person:
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        require_perm(actor, "org.change_person", person)
        holder = None
        if "id_number" in fields:
            fields["id_number"] = fields["id_number"] or None
            if fields["id_number"] != person.id_number:
                holder = _id_claim(fields["id_number"], person.pk, actor=actor, action="org.change_person")
                fields["id_number_disputed"] = holder is not None
        if "code" in fields:
            fields["code"] = check_code(fields["code"])
            other = by_code(Person, [fields["code"]]).get(fields["code"].lower())
            if other is not None and other.pk != person.pk:
                raise ServiceError(_("Mã cán bộ '%(code)s' đã có.") % {"code": fields["code"]}, field="code")
        before = snapshot(person, PERSON_FIELDS)
        for key, value in fields.items():
            if key == "current_unit":
                raise ServiceError(_("Đổi đơn vị công tác bằng chức năng điều động."))
            setattr(person, key, value)
        fill_person_derived(person)
        person.save()
        changes = diff(before, snapshot(person, PERSON_FIELDS))
        if changes:
            audit(actor, "person.update", person, action=AuditAction.UPDATE, changes=changes)
        if holder is not None:
            open_identity_reviews(actor=actor, claims=[(person, holder)], source=_("Sửa tay"))
    return person


def person_transfer(*, actor, person_id: int, to_unit: Unit, on: datetime.date, position: str = "") -> Person:
    """Move a person to another unit: the open position is closed the day before, history kept."""
    with transaction.atomic():
        person = Person.objects.select_for_update().select_related("current_unit").get(pk=person_id)
        require_perm(actor, "org.change_person", person)
        require_perm(actor, "org.change_person", to_unit)
        if to_unit.pk == person.current_unit_id:
            raise ServiceError(_("Cán bộ đang công tác tại đơn vị này."))
        current = Position.objects.filter(person=person, end__isnull=True).first()
        if current is not None:
            if on <= current.start:
                raise ServiceError(_("Ngày điều động phải sau ngày bắt đầu công tác ở đơn vị hiện tại."))
            current.end = on - datetime.timedelta(days=1)
            current.save(update_fields=["end"])
        Position.objects.create(person=person, unit=to_unit, position=position or person.position, start=on)
        old_unit = person.current_unit_id
        person.current_unit = to_unit
        if position:
            person.position = position
        person.save(update_fields=["current_unit", "position", "updated_at"])
        audit(actor, "person.transfer", person, changes={"current_unit": [old_unit, to_unit.pk], "on": on})
    return person


# An award's revocation is recorded by tdkt.awards.services.award_revoke (the register's owner).


# ---------------------------------------------------------------------------------------------- imports
# Called by org/imports.py with rows already validated (types, duplicates, references, scope); each
# function writes the whole file in one transaction, set-based, and re-checks the scope itself.

PERSON_IMPORT_FIELDS = [f for f in PERSON_FIELDS if f not in ("code", "current_unit", "active")]
EVALUATION_IMPORT_FIELDS = ["rating", "months_worked", "note"]
AWARD_IMPORT_FIELDS = ["first_year", "decided_on", "signer", "basis", "issuer_level", "issuer_name"]


def _import_scope(actor, units) -> None:
    """Every unit the import touches must be inside the actor's `org.import` scope."""
    require_perm(actor, "org.import")
    scope = scope_for(actor, "org.import")
    if not all(scope.covers(u) for u in units):
        raise PermissionDenied


def _import_summary(actor, kind: str, source: str, counts: dict[str, int], rows: int) -> None:
    audit(
        actor,
        {
            "people": "person.import",
            "evaluations": "evaluation.import",
            "awards": "award.import",
            "initiatives": "initiative.import",
        }[kind],
        None,
        object_type="org.import",
        object_repr=source[:255],
        changes={"source": source, "rows": rows, **counts},
    )


def _restart_first_positions(
    people: dict[int, Person],
    starts: dict[int, datetime.date],
    *,
    earlier_only: bool = False,
    previous: dict[int, datetime.date | None] | None = None,
) -> list[dict[str, Any]]:
    """Move the first Position of each person to start on `starts[person id]`, never past the
    position's end; with `earlier_only`, only when that is earlier; with `previous` (the joining date
    before the change), only a position that started on it or whose start was a stand-in. Returns
    the audit events.

    Position.start cannot be empty, so a person recorded without a joining date gets a stand-in
    start (the day of the import); it is corrected when a better date becomes known: the joining
    date, or 1 January of the earliest year the person was evaluated."""
    first: dict[int, Position] = {}
    for part in chunks(starts):
        for position in (
            Position.objects.select_for_update()
            .filter(person_id__in=part)
            .order_by("person_id", "start", "id")
        ):
            first.setdefault(position.person_id, position)
    moved: list[Position] = []
    events: list[dict[str, Any]] = []
    for person_id, start in starts.items():
        position = first.get(person_id)
        if position is None or position.start == start or (position.end and position.end < start):
            continue
        if earlier_only and position.start < start:
            continue
        if previous is not None and previous.get(person_id) not in (None, position.start):
            continue  # the first post did not start on the joining date: leave it as recorded
        events.append(
            {
                "event": "position.import",
                "obj": people[person_id],
                "action": AuditAction.UPDATE,
                "changes": {"position_start": [position.start, start]},
            }
        )
        position.start = start
        moved.append(position)
    Position.objects.bulk_update(moved, ["start"], batch_size=500)
    return events


def import_people(*, actor, rows: list[dict[str, Any]], source: str) -> dict[str, int]:
    """Upsert people by code. A new person gets an open Position from the joining date (or today when
    it is not known); a person whose unit changed is transferred (the open Position closed yesterday,
    a new one opened today); a joining date given or corrected moves the first Position's start with
    it. One audit event per created or changed person, plus one for the import."""
    today = timezone.localdate()
    now = timezone.now()
    units = Unit.objects.in_bulk({r["unit_id"] for r in rows})
    try:
        with transaction.atomic():
            existing = by_code(Person, (r["code"] for r in rows), related="current_unit", lock=True)
            _import_scope(actor, [*units.values(), *(p.current_unit for p in existing.values())])
            holders = Person.objects.in_bulk({r["id_holder_id"] for r in rows if r.get("id_holder_id")})
            claims: list[tuple[Person, Person]] = []
            new_people: list[Person] = []
            changed: list[tuple[Person, dict[str, list[Any]]]] = []
            moved: dict[int, int] = {}  # person id -> old unit id
            new_starts: dict[int, datetime.date] = {}  # person id -> joining date now known or corrected
            old_joined: dict[int, datetime.date | None] = {}
            changed_fields: set[str] = set()
            for r in rows:
                fields = {k: r[k] for k in PERSON_IMPORT_FIELDS if k in r}
                if "id_number" in fields:
                    fields["id_number"] = fields["id_number"] or None
                holder = holders.get(r.get("id_holder_id"))
                person = existing.get(clean_code(r["code"]).lower())
                if person is None:
                    person = fill_person_derived(
                        Person(
                            code=r["code"],
                            current_unit_id=r["unit_id"],
                            id_number_disputed=holder is not None,
                            **fields,
                        )
                    )
                    new_people.append(person)
                    if holder is not None:
                        claims.append((person, holder))
                    continue
                if "id_number" in fields and fields["id_number"] != person.id_number:
                    fields["id_number_disputed"] = holder is not None
                    if holder is not None:
                        claims.append((person, holder))
                before = snapshot(person, PERSON_IMPORT_FIELDS + ["current_unit"])
                if fields.get("joined") and fields["joined"] != person.joined:
                    new_starts[person.pk], old_joined[person.pk] = fields["joined"], person.joined
                for key, value in fields.items():
                    setattr(person, key, value)
                if person.current_unit_id != r["unit_id"]:
                    moved[person.pk] = person.current_unit_id
                    person.current_unit_id = r["unit_id"]
                changes = diff(before, snapshot(person, PERSON_IMPORT_FIELDS + ["current_unit"]))
                if changes:
                    fill_person_derived(person)
                    person.updated_at = now
                    changed.append((person, changes))
                    changed_fields.update(changes)
                    if "id_number" in changes:
                        changed_fields.add("id_number_disputed")
            Person.objects.bulk_create(new_people, batch_size=500)
            if changed:
                names = sorted(changed_fields) + ["full_name", "search_text", "sort_key", "updated_at"]
                Person.objects.bulk_update([p for p, _c in changed], names, batch_size=500)
            positions = [
                Position(person=p, unit_id=p.current_unit_id, position=p.position, start=p.joined or today)
                for p in new_people
            ]
            if moved:
                closing = []
                for part in chunks(moved):
                    closing.extend(Position.objects.filter(person_id__in=part, end__isnull=True))
                for position in closing:
                    position.end = max(position.start, today - datetime.timedelta(days=1))
                Position.objects.bulk_update(closing, ["end"], batch_size=500)
                positions.extend(
                    Position(person=p, unit_id=p.current_unit_id, position=p.position, start=today)
                    for p, _c in changed
                    if p.pk in moved
                )
            Position.objects.bulk_create(positions, batch_size=500)
            people_by_id = {p.pk: p for p, _c in changed}
            position_events = _restart_first_positions(people_by_id, new_starts, previous=old_joined)
            events = [
                {
                    "event": "person.import",
                    "obj": p,
                    "action": AuditAction.CREATE,
                    "changes": snapshot(p, PERSON_FIELDS),
                }
                for p in new_people
            ] + [
                {"event": "person.import", "obj": p, "action": AuditAction.UPDATE, "changes": c}
                for p, c in changed
            ]
            audit_many(actor, events + position_events)
            if claims:
                open_identity_reviews(actor=actor, claims=claims, source=source)
            counts = {
                "created": len(new_people),
                "updated": len(changed),
                "unchanged": len(rows) - len(new_people) - len(changed),
                "transferred": len(moved),
            }
            _import_summary(actor, "people", source, counts, len(rows))
    except IntegrityError as exc:
        raise ServiceError(
            _("Không ghi được: mã cán bộ hoặc số định danh vừa bị người khác thay đổi; hãy nhập lại tệp.")
        ) from exc
    return counts


def _subjects(rows) -> tuple[dict[int, Person], dict[int, Collective]]:
    people: dict[int, Person] = {}
    collectives: dict[int, Collective] = {}
    for part in chunks(r["person_id"] for r in rows if r.get("person_id")):
        people.update({p.pk: p for p in Person.objects.select_related("current_unit").filter(pk__in=part)})
    for part in chunks(r["collective_id"] for r in rows if r.get("collective_id")):
        collectives.update({c.pk: c for c in Collective.objects.select_related("unit").filter(pk__in=part)})
    return people, collectives


def _existing(
    model, rows, key_fields: tuple[str, ...], extra: dict[str, Any] | None = None
) -> dict[tuple, Any]:
    """Existing rows of `model` for the subjects of `rows`, by (subject kind, subject id, *key_fields)."""
    found: dict[tuple, Any] = {}
    for subject in ("person", "collective"):
        ids = [r[f"{subject}_id"] for r in rows if r.get(f"{subject}_id")]
        if not ids or (subject == "collective" and not hasattr(model, "collective_id")):
            continue
        for part in chunks(ids):
            for obj in model.objects.filter(**{f"{subject}_id__in": part}, **(extra or {})):
                found[(subject, getattr(obj, f"{subject}_id"), *(getattr(obj, f) for f in key_fields))] = obj
    return found


def _subject_of(r) -> tuple[str, int]:
    return ("person", r["person_id"]) if r.get("person_id") else ("collective", r["collective_id"])


def import_evaluations(*, actor, rows: list[dict[str, Any]], source: str) -> dict[str, int]:
    """Upsert yearly ratings by (person or collective, year), with the row's discipline and leave."""
    now = timezone.now()
    people, collectives = _subjects(rows)
    _import_scope(actor, [p.current_unit for p in people.values()] + [c.unit for c in collectives.values()])
    years = sorted({r["year"] for r in rows})
    with transaction.atomic():
        evaluations = _existing(Evaluation, rows, ("year",), {"year__in": years})
        disciplines = _existing(Discipline, rows, ("year", "form", "decided_on"))
        leaves = _existing(Leave, rows, ("kind", "start"))
        new_evals: list[Evaluation] = []
        changed_evals: list[Evaluation] = []
        new_disciplines: list[Discipline] = []
        new_leaves: list[Leave] = []
        changed_leaves: list[Leave] = []
        events: list[dict[str, Any]] = []
        created = updated = 0
        for r in rows:
            subject = _subject_of(r)
            fields = {k: r[k] for k in EVALUATION_IMPORT_FIELDS if k in r}
            row_events: list[dict[str, Any]] = []
            evaluation = evaluations.get((*subject, r["year"]))
            is_new = evaluation is None
            if is_new:
                evaluation = Evaluation(
                    person_id=r.get("person_id"),
                    collective_id=r.get("collective_id"),
                    unit_id=r["unit_id"],
                    year=r["year"],
                    **fields,
                )
                new_evals.append(evaluation)
                row_events.append(
                    {
                        "event": "evaluation.import",
                        "action": AuditAction.CREATE,
                        "changes": {"year": r["year"], **fields},
                    }
                )
            else:
                before = snapshot(evaluation, list(fields))
                for key, value in fields.items():
                    setattr(evaluation, key, value)
                changes = diff(before, snapshot(evaluation, list(fields)))
                if changes:
                    evaluation.updated_at = now
                    changed_evals.append(evaluation)
                    row_events.append(
                        {
                            "event": "evaluation.import",
                            "action": AuditAction.UPDATE,
                            "changes": {"year": r["year"], **changes},
                        }
                    )
            if r.get("discipline") and subject[0] == "person":
                d = r["discipline"]
                if (*subject, r["year"], d["form"], d["decided_on"]) not in disciplines:
                    new_disciplines.append(
                        Discipline(
                            person_id=r["person_id"],
                            unit_id=r["unit_id"],
                            year=r["year"],
                            form=d["form"],
                            decided_on=d["decided_on"],
                        )
                    )
                    row_events.append(
                        {
                            "event": "discipline.import",
                            "action": AuditAction.CREATE,
                            "changes": {"year": r["year"], **d},
                        }
                    )
            if r.get("leave") and subject[0] == "person":
                lv = r["leave"]
                leave = leaves.get((*subject, lv["kind"], lv["start"]))
                if leave is None:
                    new_leaves.append(
                        Leave(person_id=r["person_id"], unit_id=r["unit_id"], year=r["year"], **lv)
                    )
                    row_events.append(
                        {
                            "event": "leave.import",
                            "action": AuditAction.CREATE,
                            "changes": {"year": r["year"], **lv},
                        }
                    )
                elif leave.end != lv["end"]:
                    row_events.append(
                        {
                            "event": "leave.import",
                            "action": AuditAction.UPDATE,
                            "changes": {"end": [leave.end, lv["end"]]},
                        }
                    )
                    leave.end, leave.updated_at = lv["end"], now
                    changed_leaves.append(leave)
            if row_events:
                subject_obj = people.get(r.get("person_id")) or collectives.get(r.get("collective_id"))
                for e in row_events:
                    e.update(
                        object_type=f"org.{subject[0]}",
                        object_id=subject[1],
                        object_repr=str(subject_obj),
                        unit_id=r["unit_id"],
                    )
                events.extend(row_events)
                created += is_new
                updated += not is_new
        Evaluation.objects.bulk_create(new_evals, batch_size=500)
        Evaluation.objects.bulk_update(
            changed_evals, [*EVALUATION_IMPORT_FIELDS, "updated_at"], batch_size=500
        )
        Discipline.objects.bulk_create(new_disciplines, batch_size=500)
        Leave.objects.bulk_create(new_leaves, batch_size=500)
        Leave.objects.bulk_update(changed_leaves, ["end", "updated_at"], batch_size=500)
        events.extend(_start_at_first_evaluation(people))
        audit_many(actor, events)
        counts = {"created": created, "updated": updated, "unchanged": len(rows) - created - updated}
        _import_summary(actor, "evaluations", source, counts, len(rows))
    return counts


def _start_at_first_evaluation(people: dict[int, Person]) -> list[dict[str, Any]]:
    """For people without a joining date, the work history starts no later than 1 January of the
    first year they were evaluated (their first Position was given the import day as a stand-in)."""
    unknown = [pk for pk, p in people.items() if p.joined is None]
    starts: dict[int, datetime.date] = {}
    for part in chunks(unknown):
        for person_id, year in (
            Evaluation.objects.filter(person_id__in=part)
            .order_by()
            .values("person_id")
            .annotate(first=Min("year"))
            .values_list("person_id", "first")
        ):
            starts[person_id] = datetime.date(year, 1, 1)
    return _restart_first_positions(people, starts, earlier_only=True)


def import_awards(*, actor, rows: list[dict[str, Any]], source: str) -> dict[str, int]:
    """Upsert award records by (person or collective, award, last year, decision number); never deletes."""
    now = timezone.now()
    people, collectives = _subjects(rows)
    _import_scope(actor, [p.current_unit for p in people.values()] + [c.unit for c in collectives.values()])
    with transaction.atomic():
        awards = _existing(AwardRecord, rows, ("award_code", "last_year", "decision_number"))
        new_awards: list[AwardRecord] = []
        changed: list[tuple[AwardRecord, dict[str, list[Any]]]] = []
        for r in rows:
            subject = _subject_of(r)
            fields = {k: r[k] for k in AWARD_IMPORT_FIELDS if k in r}
            award = awards.get((*subject, r["award_code"], r["last_year"], r["decision_number"]))
            if award is None:
                new_awards.append(
                    AwardRecord(
                        person_id=r.get("person_id"),
                        collective_id=r.get("collective_id"),
                        unit_id=r["unit_id"],
                        award_code=r["award_code"],
                        last_year=r["last_year"],
                        decision_number=r["decision_number"],
                        **fields,
                    )
                )
                continue
            before = snapshot(award, list(fields))
            for key, value in fields.items():
                setattr(award, key, value)
            changes = diff(before, snapshot(award, list(fields)))
            if changes:
                award.updated_at = now
                changed.append((award, changes))
        try:
            AwardRecord.objects.bulk_create(new_awards, batch_size=500)
        except IntegrityError as exc:
            raise ServiceError(
                _("Không ghi được: khen thưởng vừa được người khác nhập; hãy nhập lại tệp.")
            ) from exc
        AwardRecord.objects.bulk_update(
            [a for a, _c in changed], [*AWARD_IMPORT_FIELDS, "updated_at"], batch_size=500
        )
        events = [
            {
                "event": "award.import",
                "obj": a,
                "action": AuditAction.CREATE,
                "changes": snapshot(
                    a,
                    [
                        "award_code",
                        "first_year",
                        "last_year",
                        "decision_number",
                        "decided_on",
                        "person",
                        "collective",
                    ],
                ),
            }
            for a in new_awards
        ] + [
            {"event": "award.import", "obj": a, "action": AuditAction.UPDATE, "changes": c}
            for a, c in changed
        ]
        audit_many(actor, events)
        counts = {
            "created": len(new_awards),
            "updated": len(changed),
            "unchanged": len(rows) - len(new_awards) - len(changed),
        }
        _import_summary(actor, "awards", source, counts, len(rows))
    return counts


# ---------------------------------------------------------------------------------------------- identity
# An ID number written on a record while a record outside the writer's scope held it: the ministry's
# TĐKT department decides whether the two records are one human.

# Tables that are computed from the facts and rebuilt by the next run: a merge drops the merged
# record's rows instead of moving them (their unique keys would clash with the kept record's).
DERIVED_PERSON_TABLES = frozenset({"rulebook.eligibilityresult"})


def _open_review(actor, review_id: int) -> IdentityReview:
    review = (
        IdentityReview.objects.select_for_update(of=("self",))
        .select_related("person__current_unit", "holder__current_unit")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise ServiceError(_("Không có yêu cầu xác minh này."))
    require_perm(actor, "org.review_identity", review.holder)
    if review.person is not None:
        require_perm(actor, "org.review_identity", review.person)
    if review.status != ReviewStatus.OPEN:
        raise ServiceError(_("Yêu cầu xác minh này đã được người khác xử lý."))
    return review


def identity_merge(*, actor, review_id: int, unit_from: str = "person", note: str = "") -> Person:
    """The two records are the same human: everything recorded on the new record moves to the holder
    (evaluations, discipline, leave, initiatives, awards, account...), the holder takes the new
    record's unit when `unit_from` is "person" (a transfer, history kept), and the new record goes.
    Refused, with what clashes named, when both records hold a fact that cannot be two (an evaluation
    of the same year)."""
    with transaction.atomic():
        review = _open_review(actor, review_id)
        source, target = review.person, review.holder
        if source is None:
            raise ServiceError(_("Hồ sơ vừa ghi không còn nữa; hãy gỡ yêu cầu."))
        clashes = sorted(
            set(Evaluation.objects.filter(person=source).values_list("year", flat=True))
            & set(Evaluation.objects.filter(person=target).values_list("year", flat=True))
        )
        if clashes:
            raise ServiceError(
                _(
                    "Không hợp nhất được: cả hai hồ sơ đều có đánh giá, xếp loại năm %(years)s. Hãy để "
                    "đơn vị sửa một bên trước."
                )
                % {"years": ", ".join(map(str, clashes))}
            )
        if source.user_id and target.user_id:
            raise ServiceError(_("Không hợp nhất được: cả hai hồ sơ đều đã gắn tài khoản đăng nhập."))
        moved: dict[str, int] = {}
        for relation in Person._meta.related_objects:
            model = relation.related_model
            if model is Position or model is IdentityReview or relation.many_to_many:
                continue
            rows = model._base_manager.filter(**{relation.field.name: source})
            if model._meta.label_lower in DERIVED_PERSON_TABLES:
                rows._raw_delete(rows.db)
                continue
            count = rows.update(**{relation.field.name: target})
            if count:
                moved[str(model._meta.verbose_name)] = count
        user_id = source.user_id
        target_unit = source.current_unit if unit_from == "person" else target.current_unit
        Position.objects.filter(person=source).delete()
        IdentityReview.objects.filter(person=source).exclude(pk=review.pk).update(person=None)
        source_repr = {"code": source.code, "name": source.full_name, "unit": source.current_unit_id}
        review.person = None
        review.status, review.decided_by, review.decided_at, review.note = (
            ReviewStatus.MERGED,
            actor,
            timezone.now(),
            note.strip(),
        )
        review.save(update_fields=["person", "status", "decided_by", "decided_at", "note", "updated_at"])
        Person.objects.filter(pk=source.pk).delete()
        if user_id and not target.user_id:
            Person.objects.filter(pk=target.pk).update(user_id=user_id)
        target.refresh_from_db()
        if target_unit.pk != target.current_unit_id:
            _transfer(target, target_unit, timezone.localdate())
        audit(
            actor,
            "identity.merge",
            target,
            changes={"merged": source_repr, "moved": moved, "note": note.strip()},
        )
    return target


def _transfer(person: Person, to_unit: Unit, on: datetime.date) -> None:
    """Close the open post the day before `on` (or on its own start) and open one in `to_unit`."""
    current = Position.objects.filter(person=person, end__isnull=True).first()
    if current is not None:
        current.end = max(current.start, on - datetime.timedelta(days=1))
        current.save(update_fields=["end"])
    Position.objects.create(person=person, unit=to_unit, position=person.position, start=on)
    person.current_unit = to_unit
    person.save(update_fields=["current_unit", "updated_at"])


def identity_reject(*, actor, review_id: int, note: str) -> Person | None:
    """Not the same human: the number is taken off the record just written (the holder keeps it)."""
    if not note.strip():
        raise ServiceError(_("Hãy ghi lý do gỡ số định danh, để đơn vị biết cần kiểm tra gì."), field="note")
    with transaction.atomic():
        review = _open_review(actor, review_id)
        person = review.person
        if person is not None and person.id_number == review.id_number and person.id_number_disputed:
            person.id_number, person.id_number_disputed = None, False
            person.save(update_fields=["id_number", "id_number_disputed", "updated_at"])
        review.status, review.decided_by, review.decided_at, review.note = (
            ReviewStatus.REJECTED,
            actor,
            timezone.now(),
            note.strip(),
        )
        review.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
        audit(
            actor,
            "identity.reject",
            person,
            object_type="org.person",
            object_repr=review.person_repr,
            changes={"id_number": [review.id_number, None], "holder": review.holder_id, "note": note.strip()},
        )
    return person


# ---------------------------------------------------------------------------------------------- decisions
# A decision issued in tdkt (awards app) writes its award records through here, all or none.


def award_records_issue(
    *,
    actor,
    rows: list[dict[str, Any]],
    decision_number: str,
    decided_on: datetime.date,
    signer: str,
    issuer_level: str,
    issuer_name: str,
) -> list[AwardRecord]:
    """One AwardRecord per row ({person_id | collective_id, unit_id, award_code, first_year, last_year,
    basis}), source "issued". Called inside the caller's transaction; a record that already exists for
    the same subject, award, year and decision number refuses the whole decision."""
    records = [
        AwardRecord(
            person_id=r.get("person_id"),
            collective_id=r.get("collective_id"),
            unit_id=r["unit_id"],
            award_code=r["award_code"],
            first_year=r["first_year"],
            last_year=r["last_year"],
            basis=r.get("basis") or "cong_trang",
            ground=r.get("ground") or "",
            decision_number=decision_number,
            decided_on=decided_on,
            signer=signer,
            issuer_level=issuer_level,
            issuer_name=issuer_name,
            source=AwardSource.ISSUED,
        )
        for r in rows
    ]
    try:
        with transaction.atomic():
            AwardRecord.objects.bulk_create(records, batch_size=500)
    except IntegrityError as exc:
        raise ServiceError(
            _(
                "Không ghi được khen thưởng: một người hoặc tập thể đã có khen thưởng này theo số quyết "
                "định này."
            )
        ) from exc
    audit_many(
        actor,
        [
            {
                "event": "award.issue",
                "obj": a,
                "action": AuditAction.CREATE,
                "changes": snapshot(
                    a,
                    [
                        "award_code",
                        "first_year",
                        "last_year",
                        "decision_number",
                        "decided_on",
                        "person",
                        "collective",
                    ],
                ),
            }
            for a in records
        ],
    )
    return records


def award_records_record(
    *,
    actor,
    row: dict[str, Any],
    decision_number: str,
    decided_on: datetime.date,
    signer: str,
    issuer_level: str,
    issuer_name: str,
) -> AwardRecord:
    """An award decided above the agency (the State) and recorded here from its decision: source
    "recorded from above". Called inside the caller's transaction; a duplicate refuses."""
    record = AwardRecord(
        person_id=row.get("person_id"),
        collective_id=row.get("collective_id"),
        unit_id=row["unit_id"],
        award_code=row["award_code"],
        first_year=row["first_year"],
        last_year=row["last_year"],
        basis=row.get("basis") or "cong_trang",
        decision_number=decision_number,
        decided_on=decided_on,
        signer=signer,
        issuer_level=issuer_level,
        issuer_name=issuer_name,
        source=AwardSource.RECORDED,
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ServiceError(_("Khen thưởng này đã được ghi theo số quyết định này.")) from exc
    audit(
        actor,
        "award.record",
        record,
        action=AuditAction.CREATE,
        changes=snapshot(record, ["award_code", "first_year", "last_year", "decision_number", "decided_on"]),
    )
    return record


INITIATIVE_IMPORT_FIELDS = ["kind", "scope", "recognised_on", "decision_number", "unit_id"]


def import_initiatives(*, actor, rows: list[dict[str, Any]], source: str) -> dict[str, int]:
    """Upsert initiatives and research works by (person or collective, year, title); never deletes."""
    people, collectives = _subjects(rows)
    _import_scope(actor, [p.current_unit for p in people.values()] + [c.unit for c in collectives.values()])
    with transaction.atomic():
        found: dict[tuple, Initiative] = {}
        for subject in ("person", "collective"):
            ids = [r[f"{subject}_id"] for r in rows if r.get(f"{subject}_id")]
            for part in chunks(ids):
                for obj in Initiative.objects.filter(**{f"{subject}_id__in": part}):
                    found[(subject, getattr(obj, f"{subject}_id"), obj.year, fold(obj.title))] = obj
        new: list[Initiative] = []
        changed: list[tuple[Initiative, dict[str, list[Any]]]] = []
        for r in rows:
            fields = {k: r[k] for k in INITIATIVE_IMPORT_FIELDS if k in r}
            obj = found.get((*_subject_of(r), r["year"], fold(r["title"])))
            if obj is None:
                new.append(
                    Initiative(
                        person_id=r.get("person_id"),
                        collective_id=r.get("collective_id"),
                        year=r["year"],
                        title=r["title"],
                        **fields,
                    )
                )
                continue
            before = snapshot(obj, [k.removesuffix("_id") for k in fields])
            for key, value in fields.items():
                setattr(obj, key, value)
            changes = diff(before, snapshot(obj, [k.removesuffix("_id") for k in fields]))
            if changes:
                changed.append((obj, changes))
        Initiative.objects.bulk_create(new, batch_size=500)
        Initiative.objects.bulk_update([o for o, _c in changed], INITIATIVE_IMPORT_FIELDS, batch_size=500)
        audit_many(
            actor,
            [
                {
                    "event": "initiative.import",
                    "obj": o,
                    "action": AuditAction.CREATE,
                    "changes": snapshot(
                        o, ["title", "year", "kind", "scope", "decision_number", "person", "collective"]
                    ),
                }
                for o in new
            ]
            + [
                {"event": "initiative.import", "obj": o, "action": AuditAction.UPDATE, "changes": c}
                for o, c in changed
            ],
        )
        counts = {
            "created": len(new),
            "updated": len(changed),
            "unchanged": len(rows) - len(new) - len(changed),
        }
        _import_summary(actor, "initiatives", source, counts, len(rows))
    return counts
