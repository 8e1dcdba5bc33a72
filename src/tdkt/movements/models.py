"""Emulation movements (phong trào thi đua) and registrations (đăng ký thi đua).

A movement is launched by its owning unit (the ministry for the ministry's movements, a unit for its
own) for the units taking part: the owning unit's subtree, or chosen units of it — each chosen unit
with its own sub-units. Units, and staff members for themselves, register the titles they aim for.
Business rules live in services.py; status moves only through its transition functions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tdkt.core.models import TimeStampedModel
from tdkt.movements.enums import (
    ACTIVE_REGISTRATION,
    MovementKind,
    MovementStatus,
    RegistrationStatus,
)
from tdkt.org.enums import AwardCode


class Movement(TimeStampedModel):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị phát động"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên phong trào"), max_length=255)
    kind = models.CharField(_("loại phong trào"), max_length=10, choices=MovementKind.choices)
    # a yearly movement's year; a thematic one's is the year it starts (lists filter on it)
    year = models.PositiveSmallIntegerField(_("năm"))
    start = models.DateField(_("từ ngày"), null=True, blank=True)
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    goals = models.TextField(_("mục tiêu"), blank=True)
    criteria = models.TextField(_("tiêu chí thi đua"), blank=True)
    doc_number = models.CharField(_("số văn bản phát động"), max_length=60, blank=True)
    doc_date = models.DateField(_("ngày văn bản phát động"), null=True, blank=True)
    doc_signer = models.CharField(_("người ký văn bản phát động"), max_length=120, blank=True)
    # stored under a random name (core.uploads.storage_name); served only by the download view
    doc_file = models.FileField(_("tệp văn bản phát động"), upload_to="movements/%Y/", blank=True)
    doc_file_name = models.CharField(_("tên tệp văn bản phát động"), max_length=255, blank=True)
    doc_content_type = models.CharField(max_length=100, blank=True)
    doc_sha256 = models.CharField(max_length=64, blank=True)
    award_codes = models.JSONField(_("danh hiệu, hình thức dự kiến"), default=list, blank=True)
    all_units = models.BooleanField(_("toàn bộ đơn vị trực thuộc tham gia"), default=True)
    participants = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("đơn vị tham gia"),
        through="MovementUnit",
        related_name="+",
    )
    registration_deadline = models.DateField(_("hạn đăng ký"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=MovementStatus.choices, default=MovementStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the name and document number folded for search (core.search), written by the services
    search_text = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(kind="yearly"),
                name="one_yearly_movement_per_unit_year",
            ),
            models.CheckConstraint(
                condition=Q(kind="yearly") | Q(start__isnull=False, end__isnull=False, end__gte=F("start")),
                name="thematic_movement_period",
            ),
        ]
        indexes = [models.Index(fields=["status", "year"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == MovementStatus.DRAFT

    @property
    def is_launched(self) -> bool:
        return self.status == MovementStatus.LAUNCHED

    @property
    def is_closed(self) -> bool:
        return self.status == MovementStatus.CLOSED

    @property
    def award_labels(self) -> list[tuple[str, str]]:
        labels = dict(AwardCode.choices)
        return [(code, str(labels.get(code, code))) for code in self.award_codes]

    def deadline_passed(self, moment=None) -> bool:
        """Whether a registration made at `moment` (now by default) comes after the deadline."""
        if self.registration_deadline is None:
            return False
        day = timezone.localdate(moment) if moment is not None else timezone.localdate()
        return day > self.registration_deadline


class MovementUnit(models.Model):
    """A unit taking part, with its sub-units. A movement open to the owning unit's whole subtree has one
    row: the owning unit."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="participant_rows")
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đơn vị tham gia")
        verbose_name_plural = _("đơn vị tham gia")
        constraints = [models.UniqueConstraint(fields=["movement", "unit"], name="uniq_movement_unit")]


class MovementTransition(models.Model):
    """Who moved a movement from which status to which, when, with what note (the page's timeline)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("từ trạng thái"), max_length=10, choices=MovementStatus.choices)
    to_status = models.CharField(_("sang trạng thái"), max_length=10, choices=MovementStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("chuyển trạng thái phong trào")
        verbose_name_plural = _("chuyển trạng thái phong trào")


class MovementAttachment(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="movements/%Y/")
    file_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dung lượng"), default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("tài liệu kèm theo")
        verbose_name_plural = _("tài liệu kèm theo")

    def __str__(self) -> str:
        return self.title


def _one_subject() -> Q:
    return Q(person__isnull=False, collective__isnull=True) | Q(person__isnull=True, collective__isnull=False)


_ACTIVE = Q(status__in=list(ACTIVE_REGISTRATION))


class Registration(TimeStampedModel):
    """A subject's pledge to reach a title in a movement, with its targets (chỉ tiêu).

    Registered by the unit's officer (counts at once) or by a staff member for themselves (waits for
    the unit head). `late`: made after the movement's registration deadline — accepted, and flagged."""

    movement = models.ForeignKey(
        Movement, verbose_name=_("phong trào"), on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collective = models.ForeignKey(
        "org.Collective", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the subject's unit when it registered: the unit the registration counts for
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    award_code = models.CharField(_("danh hiệu, hình thức"), max_length=30, choices=AwardCode.choices)
    targets = models.TextField(_("chỉ tiêu"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.APPROVED,
    )
    self_registered = models.BooleanField(_("cá nhân tự đăng ký"), default=False)
    late = models.BooleanField(_("đăng ký sau hạn"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đăng ký"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("đăng ký lúc"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    reason = models.TextField(_("lý do không duyệt"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("rút lúc"), null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "id"]
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        constraints = [
            models.CheckConstraint(condition=_one_subject(), name="registration_one_subject"),
            # a double submit, or two officers at once, cannot register the same subject twice
            models.UniqueConstraint(
                fields=["movement", "person", "award_code"],
                condition=_ACTIVE,
                name="uniq_active_registration_person",
            ),
            models.UniqueConstraint(
                fields=["movement", "collective", "award_code"],
                condition=_ACTIVE,
                name="uniq_active_registration_collective",
            ),
        ]
        indexes = [
            models.Index(fields=["movement", "status", "unit"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} — {self.get_award_code_display()}"

    @property
    def subject(self):
        return self.person or self.collective

    @property
    def subject_kind(self) -> str:
        return "person" if self.person_id else "collective"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_REGISTRATION
