"""Every write of movements and registrations: one function per use case, the permission re-checked
inside, one transaction, one audit event per business action.

Status moves only through `movement_transition` (draft → launched → closed) and
`registration_transition` (pending → approved / rejected; pending or approved → withdrawn).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tdkt.accounts.rules import require_perm
from tdkt.core.audit import audit, audit_many, diff, snapshot
from tdkt.core.enums import AuditAction
from tdkt.core.errors import ServiceError
from tdkt.core.notifications import notify
from tdkt.core.text import clean, fold
from tdkt.core.uploads import CheckedFile, storage_name
from tdkt.movements.enums import (
    ACTIVE_REGISTRATION,
    MovementAction,
    MovementKind,
    RegistrationAction,
    RegistrationStatus,
    SubjectKind,
)
from tdkt.movements.models import (
    Movement,
    MovementAttachment,
    MovementTransition,
    MovementUnit,
    Registration,
)
from tdkt.movements.selectors import (
    APPROVE,
    MANAGE,
    REGISTER,
    award_subjects,
    own_person,
    subjects_for_registration,
    takes_part,
)
from tdkt.movements.workflow import next_movement_status, next_registration_status
from tdkt.org.enums import AwardCode
from tdkt.org.models import Person, Unit

MOVEMENT_FIELDS = [
    "unit",
    "name",
    "kind",
    "year",
    "start",
    "end",
    "goals",
    "criteria",
    "doc_number",
    "doc_date",
    "doc_signer",
    "doc_file_name",
    "award_codes",
    "all_units",
    "registration_deadline",
]
EDITABLE = [f for f in MOVEMENT_FIELDS if f not in ("unit", "doc_file_name")]
MAX_TEXT = 10_000
MAX_TARGETS = 2_000
YEARS = (1990, 2100)


def _day(value: datetime.date) -> str:
    return date_format(value, "d/m/Y")


def award_label(code: str) -> str:
    return str(dict(AwardCode.choices).get(code, code[:30]))


# ------------------------------------------------------------------------------------------ movements


@dataclass
class MovementData:
    """What the movement form holds, cleaned by `movement_problems`."""

    name: str
    kind: str
    year: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    goals: str = ""
    criteria: str = ""
    doc_number: str = ""
    doc_date: datetime.date | None = None
    doc_signer: str = ""
    award_codes: Sequence[str] = ()
    all_units: bool = True
    units: Sequence[Unit] = ()
    registration_deadline: datetime.date | None = None


def movement_problems(owner: Unit | None, data: MovementData) -> list[tuple[str, str]]:
    """(field, message) for everything wrong with `data`, in the order of the form; the form shows them
    all beside their fields, the services refuse with the first. Normalises `data` in place."""
    problems: list[tuple[str, str]] = []
    data.name = clean(data.name)[:255]
    data.doc_number = clean(data.doc_number)[:60]
    data.doc_signer = clean(data.doc_signer)[:120]
    data.goals = (data.goals or "").strip()
    data.criteria = (data.criteria or "").strip()
    if not data.name:
        problems.append(("name", _("Hãy nhập tên phong trào.")))
    if len(data.goals) > MAX_TEXT:
        problems.append(("goals", _("Mục tiêu dài quá %(n)s ký tự.") % {"n": MAX_TEXT}))
    if len(data.criteria) > MAX_TEXT:
        problems.append(("criteria", _("Tiêu chí dài quá %(n)s ký tự.") % {"n": MAX_TEXT}))
    if data.kind == MovementKind.YEARLY:
        data.start = data.end = None
        if data.year is None:
            problems.append(("year", _("Phong trào thường xuyên cần có năm.")))
        elif not YEARS[0] <= data.year <= YEARS[1]:
            problems.append(
                ("year", _("Năm phải trong khoảng %(a)s–%(b)s.") % {"a": YEARS[0], "b": YEARS[1]})
            )
    elif data.kind == MovementKind.THEMATIC:
        if data.start is None:
            problems.append(("start", _("Phong trào theo chuyên đề cần có ngày bắt đầu.")))
        if data.end is None:
            problems.append(("end", _("Phong trào theo chuyên đề cần có ngày kết thúc.")))
        if data.start and data.end and data.end < data.start:
            problems.append(
                (
                    "end",
                    _("Ngày kết thúc (%(end)s) phải sau hoặc bằng ngày bắt đầu (%(start)s).")
                    % {"end": _day(data.end), "start": _day(data.start)},
                )
            )
        if data.start:
            data.year = data.start.year
    else:
        problems.append(("kind", _("Hãy chọn loại phong trào.")))
    codes = list(dict.fromkeys(data.award_codes or ()))
    unknown = [c for c in codes if c not in AwardCode.values]
    if unknown:
        problems.append(("award_codes", _("Có danh hiệu, hình thức không có trong danh mục.")))
    elif not codes:
        problems.append(("award_codes", _("Hãy chọn ít nhất một danh hiệu, hình thức dự kiến.")))
    data.award_codes = [c for c in AwardCode.values if c in codes]  # in the catalogue's order
    deadline = data.registration_deadline
    if deadline and data.doc_date and deadline < data.doc_date:
        problems.append(
            (
                "registration_deadline",
                _("Hạn đăng ký (%(deadline)s) không được trước ngày phát động (%(launch)s).")
                % {"deadline": _day(deadline), "launch": _day(data.doc_date)},
            )
        )
    if deadline and data.kind == MovementKind.THEMATIC and data.end and deadline > data.end:
        problems.append(
            (
                "registration_deadline",
                _("Hạn đăng ký (%(deadline)s) phải trong thời gian của phong trào (đến %(end)s).")
                % {"deadline": _day(deadline), "end": _day(data.end)},
            )
        )
    if not data.all_units:
        units = list(data.units or ())
        if not units:
            problems.append(("units", _("Hãy chọn đơn vị tham gia, hoặc để toàn bộ đơn vị tham gia.")))
        elif owner is not None and any(not u.path.startswith(owner.path) for u in units):
            problems.append(("units", _("Đơn vị tham gia phải thuộc đơn vị phát động.")))
        # a unit inside another chosen one takes part through it already
        paths = sorted({u.path for u in units})
        data.units = [
            u
            for u in sorted(units, key=lambda u: u.path)
            if not any(u.path != p and u.path.startswith(p) for p in paths)
        ]
        data.units = list({u.pk: u for u in data.units}.values())
    return problems


def _refuse(problems: list[tuple[str, str]]) -> None:
    if problems:
        field, message = problems[0]
        raise ServiceError(message, field=field)


def _check_yearly_unique(movement: Movement) -> None:
    if movement.kind != MovementKind.YEARLY:
        return
    clash = Movement.objects.filter(unit_id=movement.unit_id, kind=MovementKind.YEARLY, year=movement.year)
    if movement.pk:
        clash = clash.exclude(pk=movement.pk)
    if clash.exists():
        raise ServiceError(
            _("%(unit)s đã có phong trào thi đua thường xuyên năm %(year)s.")
            % {"unit": movement.unit.name, "year": movement.year},
            field="year",
        )


def _store_document(movement: Movement, document: CheckedFile) -> None:
    movement.doc_file.save(storage_name(document), ContentFile(document.data), save=False)
    movement.doc_file_name = document.name
    movement.doc_content_type = document.content_type
    movement.doc_sha256 = document.sha256


def _delete_files(names: Iterable[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


def _set_participants(movement: Movement, data: MovementData) -> None:
    MovementUnit.objects.filter(movement=movement).delete()
    units = [movement.unit] if movement.all_units else list(data.units)
    MovementUnit.objects.bulk_create(MovementUnit(movement=movement, unit=u) for u in units)


def _search_text(movement: Movement) -> str:
    return " ".join(filter(None, [fold(movement.name), fold(movement.doc_number)]))[:400]


def movement_create(
    *, actor, unit: Unit, data: MovementData, document: CheckedFile | None = None
) -> Movement:
    """A draft movement of `unit` (the owning unit, which the actor must manage)."""
    require_perm(actor, MANAGE, unit)
    _refuse(movement_problems(unit, data))
    movement = Movement(
        unit=unit,
        name=data.name,
        kind=data.kind,
        year=data.year,
        start=data.start,
        end=data.end,
        goals=data.goals,
        criteria=data.criteria,
        doc_number=data.doc_number,
        doc_date=data.doc_date,
        doc_signer=data.doc_signer,
        award_codes=list(data.award_codes),
        all_units=data.all_units,
        registration_deadline=data.registration_deadline,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    movement.search_text = _search_text(movement)
    _check_yearly_unique(movement)
    stored: list[str] = []
    try:
        with transaction.atomic():
            if document is not None:
                _store_document(movement, document)
                stored.append(movement.doc_file.name)
            movement.save()
            _set_participants(movement, data)
            changes = snapshot(movement, MOVEMENT_FIELDS)
            changes["participants"] = [u.pk for u in movement.participants.all()]
            audit(actor, "movement.create", movement, action=AuditAction.CREATE, changes=changes)
    except IntegrityError as exc:
        _delete_files(stored)
        raise ServiceError(_("Phong trào trùng với một phong trào đã có (cùng đơn vị, cùng năm).")) from exc
    except BaseException:
        _delete_files(stored)
        raise
    return movement


def movement_update(
    *, actor, movement_id: int, data: MovementData, document: CheckedFile | None = None
) -> Movement:
    """Change a draft. A launched movement is not edited (only closed, or given attachments)."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            movement = (
                Movement.objects.select_for_update(of=("self",)).select_related("unit").get(pk=movement_id)
            )
            require_perm(actor, MANAGE, movement)
            if not movement.is_draft:
                raise ServiceError(
                    _("Phong trào đã phát động: chỉ được thêm tài liệu kèm theo hoặc kết thúc phong trào.")
                )
            _refuse(movement_problems(movement.unit, data))
            before = snapshot(movement, MOVEMENT_FIELDS)
            before_units = sorted(
                MovementUnit.objects.filter(movement=movement).values_list("unit_id", flat=True)
            )
            old_file = movement.doc_file.name if document is not None else ""
            for name in EDITABLE:
                setattr(
                    movement, name, list(data.award_codes) if name == "award_codes" else getattr(data, name)
                )
            movement.search_text = _search_text(movement)
            _check_yearly_unique(movement)
            if document is not None:
                _store_document(movement, document)
                stored.append(movement.doc_file.name)
            movement.save()
            _set_participants(movement, data)
            changes = diff(before, snapshot(movement, MOVEMENT_FIELDS))
            after_units = sorted(u.pk for u in movement.participants.all())
            if after_units != before_units:
                changes["participants"] = [before_units, after_units]
            if document is not None:
                changes["doc_file"] = [bool(old_file), True]
            if changes:
                audit(actor, "movement.update", movement, action=AuditAction.UPDATE, changes=changes)
            if old_file:
                transaction.on_commit(lambda: _delete_files([old_file]))
    except IntegrityError as exc:
        _delete_files(stored)
        raise ServiceError(_("Phong trào trùng với một phong trào đã có (cùng đơn vị, cùng năm).")) from exc
    except BaseException:
        _delete_files(stored)
        raise
    return movement


def _launch_problems(movement: Movement) -> list[str]:
    problems = []
    if not movement.doc_number or not movement.doc_date:
        problems.append(_("số và ngày của văn bản phát động"))
    if not movement.doc_file:
        problems.append(_("tệp văn bản phát động"))
    if not movement.award_codes:
        problems.append(_("danh hiệu, hình thức dự kiến"))
    return problems


def movement_transition(*, actor, movement_id: int, action: str, note: str = "") -> Movement:
    """Launch a draft (it must carry its document and planned titles) or close a launched movement."""
    if action not in MovementAction.values:
        raise ServiceError(_("Thao tác không hợp lệ."))
    with transaction.atomic():
        movement = Movement.objects.select_for_update(of=("self",)).select_related("unit").get(pk=movement_id)
        require_perm(actor, MANAGE, movement)
        old = movement.status
        new = next_movement_status(old, action)
        if action == MovementAction.LAUNCH:
            missing = _launch_problems(movement)
            if missing:
                raise ServiceError(
                    _("Chưa phát động được: còn thiếu %(what)s.") % {"what": ", ".join(missing)}
                )
            deadline = movement.registration_deadline
            if deadline and deadline < movement.doc_date:
                raise ServiceError(
                    _("Hạn đăng ký (%(deadline)s) không được trước ngày phát động (%(launch)s).")
                    % {"deadline": _day(deadline), "launch": _day(movement.doc_date)}
                )
        movement.status = new
        movement.save(update_fields=["status", "updated_at"])
        note = clean(note)[:500]
        MovementTransition.objects.create(
            movement=movement,
            from_status=old,
            to_status=new,
            actor=actor if getattr(actor, "pk", None) else None,
            note=note,
        )
        changes: dict[str, Any] = {"status": [old, new]}
        if note:
            changes["note"] = note
        audit(actor, f"movement.{action}", movement, changes=changes)
    return movement


def attachment_add(*, actor, movement_id: int, title: str, file: CheckedFile) -> MovementAttachment:
    """Attach a document (a plan, a guide, a report) to a movement in any status."""
    title = clean(title)[:255]
    if not title:
        raise ServiceError(_("Hãy nhập tên tài liệu."), field="title")
    stored = ""
    try:
        with transaction.atomic():
            movement = (
                Movement.objects.select_for_update(of=("self",)).select_related("unit").get(pk=movement_id)
            )
            require_perm(actor, MANAGE, movement)
            attachment = MovementAttachment(
                movement=movement,
                title=title,
                file_name=file.name,
                content_type=file.content_type,
                size=file.size,
                sha256=file.sha256,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
            )
            attachment.file.save(storage_name(file), ContentFile(file.data), save=False)
            stored = attachment.file.name
            attachment.save()
            audit(
                actor,
                "movement.attach",
                movement,
                changes={"title": title, "file": file.name, "size": file.size},
            )
    except BaseException:
        _delete_files([stored])
        raise
    return attachment


# --------------------------------------------------------------------------------------- registration


@dataclass(frozen=True)
class Entry:
    """One line of a unit's registration: a subject, the title it aims for, and its targets."""

    kind: str  # SubjectKind: "person" | "collective"
    subject_id: int
    award_code: str
    targets: str = ""


def _open_for_registration(movement: Movement) -> None:
    if movement.is_draft:
        raise ServiceError(_("Phong trào chưa được phát động: chưa nhận đăng ký."))
    if movement.is_closed:
        raise ServiceError(_("Phong trào đã kết thúc: không nhận đăng ký nữa."))


def _check_award(movement: Movement, code: str, kind: str, subject) -> None:
    if code not in movement.award_codes:
        raise ServiceError(
            _("“%(award)s” không có trong các danh hiệu, hình thức dự kiến của phong trào.")
            % {"award": award_label(code)},
            field="award_code",
        )
    fits = award_subjects([code], movement.year)[code]
    wanted = "individual" if kind == SubjectKind.PERSON else "collective"
    if fits not in (wanted, "both"):
        message = (
            _("“%(award)s” là danh hiệu cho tập thể; không đăng ký cho cá nhân %(name)s.")
            if kind == SubjectKind.PERSON
            else _("“%(award)s” là danh hiệu cho cá nhân; không đăng ký cho tập thể %(name)s.")
        )
        raise ServiceError(message % {"award": award_label(code), "name": subject}, field="award_code")


def _targets(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TARGETS:
        raise ServiceError(_("Chỉ tiêu dài quá %(n)s ký tự.") % {"n": MAX_TARGETS}, field="targets")
    return text


def _duplicate(subject, code: str) -> ServiceError:
    return ServiceError(
        _("%(name)s đã đăng ký “%(award)s” trong phong trào này; không ghi lại lần nữa.")
        % {"name": subject, "award": award_label(code)}
    )


def late_notice(movement: Movement) -> str:
    return _("Đăng ký sau hạn %(deadline)s: vẫn được nhận và được đánh dấu “nộp muộn”.") % {
        "deadline": _day(movement.registration_deadline)
    }


def registrations_create(
    *, actor, movement_id: int, unit_id: int, entries: Sequence[Entry]
) -> list[Registration]:
    """A unit's officer registers people and collectives of `unit` (and its sub-units) taking part in the
    movement, all or none. A subject outside the unit, the movement or the officer's scope, a title the
    movement does not plan, or a subject already registered for the title refuse the whole list."""
    if not entries:
        raise ServiceError(_("Chưa chọn danh hiệu cho cán bộ, tập thể nào."))
    try:
        with transaction.atomic():
            movement = (
                Movement.objects.select_for_update(of=("self",)).select_related("unit").get(pk=movement_id)
            )
            unit = Unit.objects.filter(pk=unit_id).first()
            if unit is None:
                raise ServiceError(_("Đơn vị này không tham gia phong trào."))
            require_perm(actor, REGISTER, unit)
            if not takes_part(movement, unit):
                raise ServiceError(_("Đơn vị này không tham gia phong trào."))
            _open_for_registration(movement)
            if any(e.kind not in SubjectKind.values for e in entries):
                raise ServiceError(_("Có dòng đăng ký không hợp lệ."))
            people_qs, collectives_qs = subjects_for_registration(actor, movement, unit)
            wanted = {
                kind: sorted({e.subject_id for e in entries if e.kind == kind}) for kind in SubjectKind.values
            }
            found = {
                SubjectKind.PERSON: {p.pk: p for p in people_qs.filter(pk__in=wanted[SubjectKind.PERSON])},
                SubjectKind.COLLECTIVE: {
                    c.pk: c for c in collectives_qs.filter(pk__in=wanted[SubjectKind.COLLECTIVE])
                },
            }
            if any(len(found[k]) != len(wanted[k]) for k in SubjectKind.values):
                # one message for a subject that does not exist and one outside the scope
                raise ServiceError(
                    _(
                        "Có cán bộ, tập thể không thuộc đơn vị này hoặc ngoài phạm vi của bạn; "
                        "chưa đăng ký ai."
                    )
                )
            now = timezone.now()
            late = movement.deadline_passed(now)
            seen: set[tuple[str, int, str]] = set()
            rows = []
            for e in entries:
                subject = found[e.kind][e.subject_id]
                _check_award(movement, e.award_code, e.kind, subject)
                key = (e.kind, e.subject_id, e.award_code)
                if key in seen:
                    raise _duplicate(subject, e.award_code)
                seen.add(key)
                rows.append(
                    Registration(
                        movement=movement,
                        person=subject if e.kind == SubjectKind.PERSON else None,
                        collective=subject if e.kind == SubjectKind.COLLECTIVE else None,
                        unit_id=subject.current_unit_id if e.kind == SubjectKind.PERSON else subject.unit_id,
                        award_code=e.award_code,
                        targets=_targets(e.targets),
                        status=RegistrationStatus.APPROVED,
                        late=late,
                        registered_by=actor,
                        registered_at=now,
                    )
                )
            existing = (
                Registration.objects.filter(movement=movement, status__in=list(ACTIVE_REGISTRATION))
                .filter(_subject_q(wanted[SubjectKind.PERSON], wanted[SubjectKind.COLLECTIVE]))
                .values_list("person_id", "collective_id", "award_code")
            )
            for person_id, collective_id, code in existing:
                kind, pk = (
                    (SubjectKind.PERSON, person_id) if person_id else (SubjectKind.COLLECTIVE, collective_id)
                )
                if (kind, pk, code) in seen:
                    raise _duplicate(found[kind][pk], code)
            for r in rows:
                r.save()  # one by one: the ids are needed for the audit on every database
            audit_many(
                actor,
                (
                    {
                        "event": "registration.create",
                        "obj": r,
                        "action": AuditAction.CREATE,
                        "changes": {
                            "movement": movement.pk,
                            "award_code": r.award_code,
                            "targets": r.targets,
                            "late": r.late,
                        },
                    }
                    for r in rows
                ),
            )
    except IntegrityError as exc:
        # two submits at once: the unique constraint stopped the second
        raise ServiceError(
            _(
                "Có cán bộ, tập thể vừa được đăng ký danh hiệu này (có thể do bấm gửi hai lần); "
                "không ghi lại lần nữa."
            )
        ) from exc
    return rows


def _subject_q(person_ids, collective_ids) -> Q:
    return Q(person_id__in=list(person_ids)) | Q(collective_id__in=list(collective_ids))


def registration_self_create(*, actor, movement_id: int, award_code: str, targets: str = "") -> Registration:
    """A staff member registers their own targets for a title; the unit head approves it."""
    person = own_person(actor)
    if person is None:
        raise ServiceError(_("Tài khoản của bạn chưa gắn với hồ sơ cán bộ nên chưa tự đăng ký được."))
    try:
        with transaction.atomic():
            movement = (
                Movement.objects.select_for_update(of=("self",)).select_related("unit").get(pk=movement_id)
            )
            person = Person.objects.select_related("current_unit").get(pk=person.pk)
            if not person.active:
                raise ServiceError(_("Hồ sơ của bạn không còn ở trạng thái đang công tác."))
            if not takes_part(movement, person.current_unit):
                raise ServiceError(_("Đơn vị của bạn không tham gia phong trào này."))
            _open_for_registration(movement)
            _check_award(movement, award_code, SubjectKind.PERSON, person)
            text = _targets(targets)
            if Registration.objects.filter(
                movement=movement, person=person, award_code=award_code, status__in=list(ACTIVE_REGISTRATION)
            ).exists():
                raise _duplicate(person, award_code)
            now = timezone.now()
            registration = Registration.objects.create(
                movement=movement,
                person=person,
                unit=person.current_unit,
                award_code=award_code,
                targets=text,
                status=RegistrationStatus.PENDING,
                self_registered=True,
                late=movement.deadline_passed(now),
                registered_by=actor,
                registered_at=now,
            )
            audit(
                actor,
                "registration.self_create",
                registration,
                action=AuditAction.CREATE,
                changes={
                    "movement": movement.pk,
                    "award_code": award_code,
                    "targets": text,
                    "late": registration.late,
                },
            )
    except IntegrityError as exc:
        raise _duplicate(person, award_code) from exc
    return registration


def registration_transition(*, actor, registration_id: int, action: str, reason: str = "") -> Registration:
    """Approve or reject (with a reason) a staff member's own registration — the unit head of the
    person's unit, never for themselves —, or withdraw a registration — the one who made it, before the
    deadline, while the movement runs. Approval and rejection notify the staff member."""
    if action not in RegistrationAction.values:
        raise ServiceError(_("Thao tác không hợp lệ."))
    reason = (reason or "").strip()[:2000]
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("movement", "unit", "person__user", "collective")
            .get(pk=registration_id)
        )
        movement = registration.movement
        if action in (RegistrationAction.APPROVE, RegistrationAction.REJECT):
            require_perm(actor, APPROVE, registration)
            if registration.status != RegistrationStatus.PENDING:
                raise ServiceError(
                    _("Đăng ký này đã được xử lý (%(status)s).")
                    % {"status": registration.get_status_display()}
                )
            if registration.person is not None and registration.person.user_id == actor.pk:
                raise ServiceError(_("Không tự duyệt đăng ký của chính mình."))
            if action == RegistrationAction.REJECT and not reason:
                raise ServiceError(_("Hãy ghi lý do không duyệt."), field="reason")
        else:
            if registration.registered_by_id != actor.pk:
                raise PermissionDenied
            if movement.is_closed:
                raise ServiceError(_("Phong trào đã kết thúc: không rút đăng ký được nữa."))
            if movement.deadline_passed():
                raise ServiceError(
                    _("Đã quá hạn đăng ký (%(deadline)s): không rút đăng ký được nữa.")
                    % {"deadline": _day(movement.registration_deadline)}
                )
        old = registration.status
        registration.status = next_registration_status(old, action)
        now = timezone.now()
        fields = ["status", "updated_at"]
        if action == RegistrationAction.WITHDRAW:
            registration.withdrawn_by, registration.withdrawn_at = actor, now
            fields += ["withdrawn_by", "withdrawn_at"]
        else:
            registration.decided_by, registration.decided_at = actor, now
            registration.reason = reason if action == RegistrationAction.REJECT else ""
            fields += ["decided_by", "decided_at", "reason"]
        registration.save(update_fields=fields)
        changes: dict[str, Any] = {"status": [old, registration.status]}
        if reason and action == RegistrationAction.REJECT:
            changes["reason"] = reason
        audit(actor, f"registration.{action}", registration, changes=changes)
        user = registration.person.user if registration.person is not None else None
        if action != RegistrationAction.WITHDRAW and user is not None and registration.self_registered:
            approved = action == RegistrationAction.APPROVE
            notify(
                users=[user],
                kind="registration.approved" if approved else "registration.rejected",
                title=(
                    _("Đăng ký thi đua đã được duyệt: %(award)s — %(movement)s")
                    if approved
                    else _("Đăng ký thi đua không được duyệt: %(award)s — %(movement)s")
                )
                % {"award": award_label(registration.award_code), "movement": movement.name},
                url=reverse("movements:my_registrations"),
                body=reason,
                dedupe_key=f"registration:{registration.pk}:{action}",
            )
    return registration


def remind_registration_deadlines(*, now=None) -> int:
    """Periodic: remind the officers of units that have registered nobody, a week before the deadline
    of a launched movement (once per movement, deadline and user)."""
    from django.urls import reverse

    from tdkt.core.notifications import notify
    from tdkt.movements.selectors import registration_deadlines_due

    today = timezone.localdate(now) if now else timezone.localdate()
    sent = 0
    for movement, users in registration_deadlines_due(7, today=today):
        sent += len(
            notify(
                users=users,
                kind="movement.deadline",
                title=_("Sắp hết hạn đăng ký thi đua: %(name)s (hạn %(day)s)")
                % {"name": movement.name, "day": movement.registration_deadline.strftime("%d/%m/%Y")},
                url=reverse("movements:movement_detail", args=[movement.pk]),
                body=_("Đơn vị của bạn chưa đăng ký cá nhân, tập thể nào cho phong trào này."),
                dedupe_key=f"movement:{movement.pk}:deadline:{movement.registration_deadline.isoformat()}",
            )
        )
    return sent
