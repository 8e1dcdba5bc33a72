"""Councils and their members: created and changed with `councils.manage` on the council's unit."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tdkt.accounts.rules import require_perm
from tdkt.core.audit import audit, diff, snapshot
from tdkt.core.enums import AuditAction
from tdkt.core.errors import ServiceError
from tdkt.core.text import clean
from tdkt.councils.enums import BallotStatus, MemberRole
from tdkt.councils.models import Ballot, Council, CouncilMember, MeetingAttendance
from tdkt.org.models import Person, Unit

COUNCIL_FIELDS = ("name", "term_from", "term_to", "decision_number", "decision_date")


def _council_values(
    *, name: str, term_from, term_to, decision_number: str, decision_date
) -> dict[str, object]:
    name = clean(name)
    if not name:
        raise ServiceError(_("Cần ghi tên Hội đồng."), field="name")
    if not isinstance(term_from, datetime.date):
        raise ServiceError(_("Cần ghi ngày bắt đầu nhiệm kỳ."), field="term_from")
    if term_to is not None and term_to < term_from:
        raise ServiceError(_("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."), field="term_to")
    if decision_date is not None and decision_date > datetime.date.today() + datetime.timedelta(days=366):
        raise ServiceError(_("Ngày quyết định thành lập không hợp lệ."), field="decision_date")
    return {
        "name": name[:255],
        "term_from": term_from,
        "term_to": term_to,
        "decision_number": clean(decision_number)[:60],
        "decision_date": decision_date,
    }


def council_create(
    *,
    actor,
    unit_id: int,
    name: str,
    term_from: datetime.date,
    term_to: datetime.date | None = None,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> Council:
    """A council of `unit_id` (Hội đồng Thi đua – Khen thưởng) for a term."""
    unit = Unit.objects.get(pk=unit_id)
    require_perm(actor, "councils.manage", unit)
    values = _council_values(
        name=name,
        term_from=term_from,
        term_to=term_to,
        decision_number=decision_number,
        decision_date=decision_date,
    )
    with transaction.atomic():
        council = Council.objects.create(unit=unit, created_by=actor, **values)
        audit(
            actor,
            "council.create",
            council,
            action=AuditAction.CREATE,
            changes=snapshot(council, COUNCIL_FIELDS),
            unit_id=unit.pk,
        )
    return council


def council_update(
    *,
    actor,
    council_id: int,
    name: str,
    term_from: datetime.date,
    term_to: datetime.date | None = None,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> Council:
    values = _council_values(
        name=name,
        term_from=term_from,
        term_to=term_to,
        decision_number=decision_number,
        decision_date=decision_date,
    )
    with transaction.atomic():
        council = Council.objects.select_for_update().select_related("unit").get(pk=council_id)
        require_perm(actor, "councils.manage", council)
        before = snapshot(council, COUNCIL_FIELDS)
        for key, value in values.items():
            setattr(council, key, value)
        changes = diff(before, snapshot(council, COUNCIL_FIELDS))
        if changes:
            council.save()
            audit(actor, "council.update", council, action=AuditAction.UPDATE, changes=changes)
    return council


# ---------------------------------------------------------------------------------------------- members


def _check_role(role: str, votes: bool | None) -> bool:
    if role not in MemberRole.values:
        raise ServiceError(_("Chức danh trong Hội đồng không hợp lệ."), field="role")
    if votes is None:
        return role != MemberRole.SECRETARY
    if not votes and role != MemberRole.SECRETARY:
        raise ServiceError(
            _("Chỉ thư ký (không đồng thời là thành viên) mới không có quyền biểu quyết."), field="votes"
        )
    return bool(votes)


def _check_one_chair(council: Council, role: str, member_id: int | None = None) -> None:
    if role != MemberRole.CHAIR:
        return
    chair = (
        council.members.filter(role=MemberRole.CHAIR, active=True)
        .exclude(pk=member_id)
        .select_related("person")
        .first()
    )
    if chair is not None:
        raise ServiceError(
            _("Hội đồng đã có Chủ tịch: %(name)s. Đổi chức danh của người này trước.")
            % {"name": chair.person},
            field="role",
        )


def _on_open_roll(member: CouncilMember) -> bool:
    return Ballot.objects.filter(status=BallotStatus.OPEN, voters=member).exists()


def _check_roll_open(council: Council) -> None:
    """A conference's roll (one representative per member unit, chosen when it was prepared) is not
    changed here: its host could otherwise add votes of their own unit or take another member's off."""
    if council.host_id is not None:
        raise ServiceError(
            _(
                "Đại biểu Hội nghị của cụm thi đua đã được xác định khi chuẩn bị Hội nghị: không thêm, "
                "bớt, đổi được."
            )
        )


def member_add(
    *, actor, council_id: int, person_id: int, role: str, votes: bool | None = None
) -> CouncilMember:
    """Appoint a person of the council's unit (or its sub-units) to the council. One chair at a time; the
    secretary does not vote unless `votes` says they are also a member."""
    with transaction.atomic():
        council = Council.objects.select_for_update().select_related("unit").get(pk=council_id)
        require_perm(actor, "councils.manage", council)
        _check_roll_open(council)
        person = Person.objects.select_related("current_unit").filter(pk=person_id).first()
        if person is None or not person.current_unit.path.startswith(council.unit.path):
            raise ServiceError(
                _("Chỉ chọn được cán bộ của %(unit)s hoặc đơn vị trực thuộc.") % {"unit": council.unit},
                field="person",
            )
        if not person.active:
            raise ServiceError(_("%(name)s không còn công tác.") % {"name": person}, field="person")
        votes = _check_role(role, votes)
        _check_one_chair(council, role)
        member = CouncilMember.objects.filter(council=council, person=person).first()
        if member is not None and member.active:
            raise ServiceError(_("%(name)s đã là thành viên Hội đồng.") % {"name": person}, field="person")
        if member is None:
            member = CouncilMember.objects.create(council=council, person=person, role=role, votes=votes)
        else:
            member.role, member.votes, member.active = role, votes, True
            member.save(update_fields=["role", "votes", "active"])
        # on the attendance list of the council's meetings that have not voted yet
        MeetingAttendance.objects.bulk_create(
            [
                MeetingAttendance(meeting_id=pk, member=member)
                for pk in council.meetings.filter(ballots__isnull=True).values_list("pk", flat=True)
            ],
            ignore_conflicts=True,
        )
        audit(
            actor,
            "council.member_add",
            council,
            changes={"person": person.pk, "role": role, "votes": votes},
        )
    return member


def member_update(*, actor, member_id: int, role: str, votes: bool | None = None) -> CouncilMember:
    with transaction.atomic():
        member = CouncilMember.objects.select_related("person").get(pk=member_id)
        council = Council.objects.select_for_update().select_related("unit").get(pk=member.council_id)
        require_perm(actor, "councils.manage", council)
        _check_roll_open(council)
        if not member.active:
            raise ServiceError(_("%(name)s không còn là thành viên Hội đồng.") % {"name": member.person})
        votes = _check_role(role, votes)
        _check_one_chair(council, role, member.pk)
        if votes != member.votes and _on_open_roll(member):
            raise ServiceError(
                _("%(name)s đang có tên trong một lần bỏ phiếu chưa đóng.") % {"name": member.person}
            )
        changes = {}
        if role != member.role:
            changes["role"] = [member.role, role]
        if votes != member.votes:
            changes["votes"] = [member.votes, votes]
        if changes:
            member.role, member.votes = role, votes
            member.save(update_fields=["role", "votes"])
            audit(
                actor,
                "council.member_update",
                council,
                changes={"person": member.person_id, **changes},
            )
    return member


def member_remove(*, actor, member_id: int) -> CouncilMember:
    """The member leaves the council; the record stays (meetings and minutes name them)."""
    with transaction.atomic():
        member = CouncilMember.objects.select_related("person").get(pk=member_id)
        council = Council.objects.select_for_update().select_related("unit").get(pk=member.council_id)
        require_perm(actor, "councils.manage", council)
        _check_roll_open(council)
        if not member.active:
            return member
        if _on_open_roll(member):
            raise ServiceError(
                _("%(name)s đang có tên trong một lần bỏ phiếu chưa đóng.") % {"name": member.person}
            )
        member.active = False
        member.save(update_fields=["active"])
        audit(actor, "council.member_remove", council, changes={"person": member.person_id})
    return member


def conference_create(
    *,
    actor,
    unit_id: int,
    name: str,
    starts_at: datetime.datetime,
    place: str,
    people: list[tuple[int, bool]],
    items: list,
):
    """A conference of several units (a cluster's year-end conference) voting like a council: a council
    held by `unit_id`, hosted by `actor`, whose members are `people` ((person id, chairs)), and its
    meeting with `items`. The caller has checked the actor's right to hold it (clusters.lead); the host
    then runs it with the councils' pages. Returns (council, meeting)."""
    from tdkt.councils.services.meetings import meeting_create

    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ServiceError(_("Không có đơn vị này."))
    if not people:
        raise ServiceError(_("Hội nghị chưa có đại biểu."))
    chairs = [pid for pid, chairs in people if chairs]
    if len(chairs) != 1:
        raise ServiceError(_("Hội nghị cần đúng một người chủ trì."))
    values = _council_values(
        name=name,
        term_from=starts_at.date(),
        term_to=starts_at.date(),
        decision_number="",
        decision_date=None,
    )
    with transaction.atomic():
        council = Council.objects.create(unit=unit, created_by=actor, host=actor, **values)
        CouncilMember.objects.bulk_create(
            CouncilMember(
                council=council,
                person_id=pid,
                role=MemberRole.CHAIR if chairs_it else MemberRole.MEMBER,
            )
            for pid, chairs_it in people
        )
        audit(
            actor,
            "council.conference",
            council,
            action=AuditAction.CREATE,
            changes={**snapshot(council, COUNCIL_FIELDS), "members": len(people)},
            unit_id=unit.pk,
        )
        meeting = meeting_create(
            actor=actor, council_id=council.pk, title=name, starts_at=starts_at, place=place, items=items
        )
    return council, meeting
