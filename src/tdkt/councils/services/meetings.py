"""Meetings: created with their agenda by the caller (the unit's review, or by hand), attendance set by the
secretary, conclusions written for the minutes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tdkt.accounts.rules import require_perm
from tdkt.core.audit import audit, diff, snapshot
from tdkt.core.enums import AuditAction
from tdkt.core.errors import ServiceError
from tdkt.core.notifications import notify
from tdkt.core.text import clean
from tdkt.councils.enums import Attendance, BallotStatus, MemberRole
from tdkt.councils.models import Council, CouncilMember, Meeting, MeetingAttendance, MeetingItem
from tdkt.org.models import Person

MEETING_FIELDS = ("title", "starts_at", "place", "online", "chair", "secretary", "conclusions")


@dataclass(frozen=True)
class AgendaItem:
    """One line of a meeting's agenda, as the caller gives it. `key` is the caller's own opaque id
    ("reviews.candidate:123"): results are read back by it; `person_id` is who the line is about (a
    member who is that person is recused on it); `group` is a heading such as the title voted on."""

    key: str
    label: str
    person_id: int | None = None
    group: str = ""
    order: int | None = None


def _local(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y")


def _member_of(council: Council, member_id: int | None, what: str) -> CouncilMember | None:
    if member_id is None:
        return None
    member = council.members.filter(pk=member_id, active=True).select_related("person").first()
    if member is None:
        raise ServiceError(_("%(what)s phải là thành viên của Hội đồng.") % {"what": what}, field=what)
    return member


def _where(place: str, online: bool) -> str:
    place = clean(place)[:255]
    if not place and not online:
        raise ServiceError(_("Cần ghi địa điểm họp hoặc chọn họp trực tuyến."), field="place")
    return place


def _items(items: list[AgendaItem]) -> list[AgendaItem]:
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        key = (item.key or "").strip()
        label = clean(item.label)
        if not key or len(key) > 120:
            raise ServiceError(_("Mỗi nội dung cần một mã (tối đa 120 ký tự)."), field="items")
        if key in seen:
            raise ServiceError(_("Nội dung “%(label)s” bị lặp trong chương trình họp.") % {"label": label})
        if not label:
            raise ServiceError(_("Mỗi nội dung cần có tên."), field="items")
        seen.add(key)
        out.append(
            AgendaItem(
                key=key,
                label=label[:255],
                person_id=item.person_id,
                group=clean(item.group)[:255],
                order=item.order if item.order is not None else i,
            )
        )
    wanted = {i.person_id for i in out if i.person_id}
    if wanted:
        found = set(Person.objects.filter(pk__in=sorted(wanted)).values_list("pk", flat=True))
        if wanted - found:
            raise ServiceError(_("Có nội dung gắn với một cán bộ không tồn tại."), field="items")
    return out


def meeting_create(
    *,
    actor,
    council_id: int,
    title: str,
    starts_at: datetime.datetime,
    place: str = "",
    online: bool = False,
    items: list[AgendaItem],
    chair_id: int | None = None,
    secretary_id: int | None = None,
) -> Meeting:
    """A meeting of the council with its agenda. The chair and the secretary default to the council's chair
    and secretary; every active member is listed for attendance; members are invited (notification)."""
    title = clean(title)
    if not title:
        raise ServiceError(_("Cần ghi nội dung phiên họp."), field="title")
    if not isinstance(starts_at, datetime.datetime):
        raise ServiceError(_("Cần ghi thời gian họp."), field="starts_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    place = _where(place, online)
    agenda = _items(items)
    with transaction.atomic():
        council = Council.objects.select_for_update().select_related("unit").get(pk=council_id)
        require_perm(actor, "councils.manage", council)
        members = list(council.members.filter(active=True).select_related("person__user"))
        if not members:
            raise ServiceError(_("Hội đồng chưa có thành viên."))
        chair = _member_of(council, chair_id, _("Người chủ trì"))
        if chair is None:
            chair = next((m for m in members if m.role == MemberRole.CHAIR), None)
        secretary = _member_of(council, secretary_id, _("Thư ký"))
        if secretary is None:
            secretary = next((m for m in members if m.role == MemberRole.SECRETARY), None)
        meeting = Meeting.objects.create(
            council=council,
            title=title[:255],
            starts_at=starts_at,
            place=place,
            online=bool(online),
            chair=chair,
            secretary=secretary,
            created_by=actor,
        )
        MeetingItem.objects.bulk_create(
            MeetingItem(
                meeting=meeting,
                key=i.key,
                label=i.label,
                person_id=i.person_id,
                group=i.group,
                order=i.order,
            )
            for i in agenda
        )
        MeetingAttendance.objects.bulk_create(MeetingAttendance(meeting=meeting, member=m) for m in members)
        audit(
            actor,
            "meeting.create",
            meeting,
            action=AuditAction.CREATE,
            changes={**snapshot(meeting, MEETING_FIELDS[:-1]), "items": len(agenda)},
            unit_id=council.unit_id,
        )
        notify(
            users=[m.person.user for m in members],
            kind="councils.meeting",
            title=_("Mời họp Hội đồng: %(title)s, %(when)s")
            % {"title": meeting.title, "when": _local(starts_at)},
            url=reverse("councils:meeting_detail", args=[meeting.pk]),
            body=(_("Họp trực tuyến.") if online else _("Địa điểm: %(place)s.") % {"place": place}),
            dedupe_key=f"councils.meeting:{meeting.pk}:invite",
        )
    return meeting


def meeting_update(
    *,
    actor,
    meeting_id: int,
    title: str,
    starts_at: datetime.datetime,
    place: str = "",
    online: bool = False,
    chair_id: int | None = None,
    secretary_id: int | None = None,
    conclusions: str = "",
) -> Meeting:
    """Change the meeting's particulars and its conclusions (the minutes read them)."""
    title = clean(title)
    if not title:
        raise ServiceError(_("Cần ghi nội dung phiên họp."), field="title")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    place = _where(place, online)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("council__unit").get(pk=meeting_id)
        require_perm(actor, "councils.run_meeting", meeting)
        before = snapshot(meeting, MEETING_FIELDS)
        meeting.title, meeting.starts_at, meeting.place, meeting.online = (
            title[:255],
            starts_at,
            place,
            online,
        )
        meeting.chair = _member_of(meeting.council, chair_id, _("Người chủ trì"))
        meeting.secretary = _member_of(meeting.council, secretary_id, _("Thư ký"))
        meeting.conclusions = (conclusions or "").strip()[:10000]
        changes = diff(before, snapshot(meeting, MEETING_FIELDS))
        if changes:
            meeting.save()
            audit(actor, "meeting.update", meeting, action=AuditAction.UPDATE, changes=changes)
    return meeting


def attendance_set(*, actor, meeting_id: int, entries: dict[int, tuple[str, str]]) -> int:
    """Present or absent (with the reason) for each member id of `entries`. Refused while a ballot of the
    meeting is open: its roll and quorum were fixed when it opened."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("council__unit").get(pk=meeting_id)
        require_perm(actor, "councils.run_meeting", meeting)
        if meeting.ballots.filter(status=BallotStatus.OPEN).exists():
            raise ServiceError(
                _("Đang có phiếu bầu chưa đóng: không sửa điểm danh được cho đến khi đóng phiếu.")
            )
        rows = {a.member_id: a for a in meeting.attendance.select_related("member__person")}
        changed = []
        present, absent = [], []
        for member_id, (status, reason) in entries.items():
            row = rows.get(int(member_id))
            if row is None:
                raise ServiceError(_("Có người không thuộc danh sách điểm danh của phiên họp."))
            if status not in Attendance.values:
                raise ServiceError(_("Trạng thái điểm danh không hợp lệ."))
            reason = clean(reason)[:255] if status == Attendance.ABSENT else ""
            if status == Attendance.ABSENT and not reason:
                raise ServiceError(
                    _("Cần ghi lý do vắng mặt của %(name)s.") % {"name": row.member.person}, field="reason"
                )
            if (row.status, row.reason) != (status, reason):
                row.status, row.reason = status, reason
                changed.append(row)
                if status == Attendance.PRESENT:
                    present.append(str(row.member.person))
                elif status == Attendance.ABSENT:
                    absent.append(f"{row.member.person} ({reason})")
        if changed:
            MeetingAttendance.objects.bulk_update(changed, ["status", "reason"])
            audit(
                actor,
                "meeting.attendance",
                meeting,
                changes={"present": present, "absent": absent},
            )
    return len(changed)
