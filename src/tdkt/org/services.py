"""Every write to the organisation: one function per use case, each audited in its transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.accounts.rules import require_perm
from tdkt.accounts.scope import scope_for
from tdkt.core.audit import audit, audit_many, diff, snapshot
from tdkt.core.enums import AuditAction
from tdkt.core.errors import ServiceError
from tdkt.core.imports import chunks
from tdkt.core.text import fold, name_sort_key
from tdkt.org.models import (
    AwardRecord,
    Collective,
    Discipline,
    Evaluation,
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


def fill_person_derived(person: Person) -> Person:
    """Full name, accent-folded search text and the Vietnamese sort key, from the name parts."""
    parts = [person.family_name.strip(), person.middle_name.strip(), person.given_name.strip()]
    person.full_name = " ".join(p for p in parts if p)
    person.search_text = " ".join([fold(person.full_name), fold(person.code)])
    person.sort_key = name_sort_key(*parts)
    return person


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
    with transaction.atomic():
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


def _check_id_number(id_number: str | None, exclude_pk: int | None, *, actor) -> None:
    """The clashing record is named only to someone who may see it and its ID number; anyone else
    learns nothing about it (its code, name or unit)."""
    if not id_number:
        return
    if not id_number.isdigit() or len(id_number) not in (9, 12):
        raise ServiceError(
            _("Số định danh cá nhân phải gồm 12 chữ số (hoặc 9 chữ số CMND cũ)."), field="id_number"
        )
    clash = (
        Person.objects.filter(id_number=id_number)
        .exclude(pk=exclude_pk)
        .select_related("current_unit")
        .first()
    )
    if clash is None:
        return
    if scope_for(actor, "org.view_private").covers_person(clash):
        message = _("Số định danh %(number)s đã có ở hồ sơ %(code)s (%(name)s).") % {
            "number": id_number,
            "code": clash.code,
            "name": clash.full_name,
        }
    else:
        message = _(
            "Số định danh này đã được dùng cho một hồ sơ khác (ngoài phạm vi của bạn); liên hệ Vụ TĐKT."
        )
    raise ServiceError(message, field="id_number")


def person_create(*, actor, unit: Unit, start: datetime.date | None = None, **fields) -> Person:
    require_perm(actor, "org.change_person", unit)
    fields["id_number"] = fields.get("id_number") or None
    _check_id_number(fields["id_number"], None, actor=actor)
    try:
        with transaction.atomic():
            person = fill_person_derived(Person(current_unit=unit, **fields))
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
    except IntegrityError as exc:
        raise ServiceError(_("Mã cán bộ hoặc số định danh đã tồn tại.")) from exc
    return person


def person_update(*, actor, person_id: int, **fields) -> Person:
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        require_perm(actor, "org.change_person", person)
        if "id_number" in fields:
            fields["id_number"] = fields["id_number"] or None
            _check_id_number(fields["id_number"], person.pk, actor=actor)
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


def award_revoke(*, actor, award_id: int, decision_number: str, on: datetime.date) -> AwardRecord:
    """Mark an award revoked by a decision; the record stays and stops counting toward chains."""
    if not decision_number.strip():
        raise ServiceError(_("Cần ghi số quyết định huỷ bỏ."), field="decision_number")
    with transaction.atomic():
        award = AwardRecord.objects.select_for_update().get(pk=award_id)
        require_perm(actor, "org.change_person", award)
        if award.revoked:
            raise ServiceError(_("Khen thưởng này đã bị huỷ bỏ trước đó."))
        award.revoked, award.revoked_decision, award.revoked_on = True, decision_number.strip(), on
        award.save(update_fields=["revoked", "revoked_decision", "revoked_on", "updated_at"])
        audit(actor, "award.revoke", award, changes={"revoked": [False, True], "decision": decision_number})
    return award


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
        {"people": "person.import", "evaluations": "evaluation.import", "awards": "award.import"}[kind],
        None,
        object_type="org.import",
        object_repr=source[:255],
        changes={"source": source, "rows": rows, **counts},
    )


def _by_code(model, codes, related: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for part in chunks(codes):
        for obj in (
            model.objects.select_for_update(of=("self",)).select_related(related).filter(code__in=part)
        ):
            found[obj.code] = obj
    return found


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
            existing = _by_code(Person, (r["code"] for r in rows), "current_unit")
            _import_scope(actor, [*units.values(), *(p.current_unit for p in existing.values())])
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
                person = existing.get(r["code"])
                if person is None:
                    person = fill_person_derived(
                        Person(code=r["code"], current_unit_id=r["unit_id"], **fields)
                    )
                    new_people.append(person)
                    continue
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
