"""Councils (Hội đồng Thi đua – Khen thưởng), their members, meetings and secret ballots.

Secrecy of the ballot lives in the shape of two tables (docs/decisions/0006-secret-ballot.md):
`BallotReceipt` says who has voted (ballot, member; a random key, no time) and `BallotTally` holds one
counter per item and choice. No row ever holds a member and a choice together; every vote adds 0 or 1 to
every counter of its ballot in one UPDATE, so no counter is written by one voter and not the others.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.core.models import TimeStampedModel
from tdkt.councils.enums import Attendance, BallotMode, BallotStatus, Choice, MemberRole


class Council(TimeStampedModel):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="councils"
    )
    name = models.CharField(_("tên Hội đồng"), max_length=255)
    term_from = models.DateField(_("nhiệm kỳ từ"))
    term_to = models.DateField(_("nhiệm kỳ đến"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định thành lập"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # a conference of several units (a cluster's year-end conference) is run by its host, whatever
    # their role in the unit that holds it
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người điều hành hội nghị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["unit__path", "-term_from", "id"]
        verbose_name = _("Hội đồng Thi đua – Khen thưởng")
        verbose_name_plural = _("Hội đồng Thi đua – Khen thưởng")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_to__isnull=True) | Q(term_to__gte=models.F("term_from")),
                name="council_term_ordered",
            )
        ]

    def __str__(self) -> str:
        if self.term_to:
            return f"{self.name} ({self.term_from:%Y}–{self.term_to:%Y})"
        return f"{self.name} ({self.term_from:%Y})"


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "org.Person", verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("chức danh trong Hội đồng"), max_length=24, choices=MemberRole.choices)
    # the secretary records and does not vote, unless appointed a member as well
    votes = models.BooleanField(_("có quyền biểu quyết"), default=True)
    active = models.BooleanField(_("đang là thành viên"), default=True)

    class Meta:
        verbose_name = _("thành viên Hội đồng")
        verbose_name_plural = _("thành viên Hội đồng")
        constraints = [
            models.UniqueConstraint(fields=["council", "person"], name="council_member_once"),
            models.UniqueConstraint(
                fields=["council"], condition=Q(role="chu_tich", active=True), name="council_one_chair"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Meeting(TimeStampedModel):
    council = models.ForeignKey(
        Council, verbose_name=_("Hội đồng"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("nội dung phiên họp"), max_length=255)
    starts_at = models.DateTimeField(_("thời gian họp"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    online = models.BooleanField(_("họp trực tuyến"), default=False)
    chair = models.ForeignKey(
        CouncilMember,
        verbose_name=_("chủ trì"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    secretary = models.ForeignKey(
        CouncilMember,
        verbose_name=_("thư ký"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conclusions = models.TextField(_("kết luận"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("phiên họp Hội đồng")
        verbose_name_plural = _("phiên họp Hội đồng")

    def __str__(self) -> str:
        return self.title

    @property
    def unit(self):
        return self.council.unit

    @property
    def unit_id(self) -> int:
        return self.council.unit_id


class MeetingItem(models.Model):
    """One line of the agenda, identified by the caller's opaque `key` ("reviews.candidate:123")."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(_("mã nội dung"), max_length=120)
    label = models.CharField(_("nội dung"), max_length=255)
    # the person the line is about: a member who is that person does not vote on it
    person = models.ForeignKey(
        "org.Person", verbose_name=_("người được xét"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    group = models.CharField(_("nhóm"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("nội dung phiên họp")
        verbose_name_plural = _("nội dung phiên họp")
        constraints = [models.UniqueConstraint(fields=["meeting", "key"], name="meeting_item_key_once")]

    def __str__(self) -> str:
        return self.label


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("điểm danh"), max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    reason = models.CharField(_("lý do vắng mặt"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")]


class Ballot(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="ballots")
    number = models.PositiveSmallIntegerField(_("lần bỏ phiếu"))
    mode = models.CharField(_("hình thức"), max_length=12, choices=BallotMode.choices)
    allow_abstain = models.BooleanField(_("cho phép không có ý kiến"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=BallotStatus.choices, default=BallotStatus.OPEN
    )
    items = models.ManyToManyField(MeetingItem, related_name="ballots")
    # the roll: the present voting members when the ballot opened (attendance is frozen while it is open)
    voters = models.ManyToManyField(CouncilMember, related_name="+")
    members_total = models.PositiveIntegerField(_("số thành viên có quyền biểu quyết"))
    # the vote rule in force when the ballot opened (threshold, basis, quorum and their citation)
    rule = models.JSONField(_("quy tắc biểu quyết"), default=dict)
    opened_at = models.DateTimeField(_("mở lúc"))
    closes_at = models.DateTimeField(_("hạn bỏ phiếu"), null=True, blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    # who opened and who closed (or the system, at the deadline): the audit trail (ballot.open, ballot.close)
    reason = models.TextField(_("lý do bỏ phiếu lại"), blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("thay cho lần bỏ phiếu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    # paper ballots: the counting committee (ban kiểm phiếu) and the papers it counted
    committee = models.ManyToManyField(CouncilMember, related_name="+", blank=True)
    papers_cast = models.PositiveIntegerField(_("số phiếu thu vào"), null=True, blank=True)
    invalid_papers = models.PositiveIntegerField(_("số phiếu không hợp lệ"), null=True, blank=True)
    tallies_entered_at = models.DateTimeField(_("nhập kết quả kiểm phiếu lúc"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("phiếu bầu")
        verbose_name_plural = _("phiếu bầu")
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="ballot_number_once")]
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self) -> str:
        return _("Bỏ phiếu lần %(n)s — %(meeting)s") % {"n": self.number, "meeting": self.meeting.title}

    @property
    def unit(self):
        return self.meeting.council.unit

    @property
    def unit_id(self) -> int:
        return self.meeting.council.unit_id

    @property
    def is_open(self) -> bool:
        return self.status == BallotStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == BallotStatus.CLOSED


class BallotReceipt(models.Model):
    """Who has voted in a ballot. A random key and no time: neither tells the order of the votes.
    The unique (ballot, member) is what stops a second vote, whatever the timing of the requests."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # the unique (ballot, member) index serves the lookups by ballot
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="receipts", db_index=False)
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("xác nhận đã bỏ phiếu")
        verbose_name_plural = _("xác nhận đã bỏ phiếu")
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="one_receipt_per_voter")]


class BallotTally(models.Model):
    """One counter per item and choice of a ballot, made when the ballot opens. Every vote rewrites every
    counter of its ballot: on PostgreSQL the table keeps free room in its pages (fillfactor, migration
    0002) so that those updates stay on their page (HOT) and add no index entries."""

    # the unique (ballot, item, choice) index serves the lookups by ballot
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="tallies", db_index=False)
    item = models.ForeignKey(MeetingItem, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("lựa chọn"), max_length=10, choices=Choice.choices)
    count = models.PositiveIntegerField(_("số phiếu"), default=0)

    class Meta:
        verbose_name = _("số phiếu")
        verbose_name_plural = _("số phiếu")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "item", "choice"], name="one_counter_per_choice")
        ]
