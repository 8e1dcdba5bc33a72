"""Proposal dossiers (hồ sơ đề nghị khen thưởng): what a unit cannot decide goes up to the ministry, and
through the ministry to the State. A dossier holds nominations (each with the verdict at the time and
the council's result), the checklist of papers its forms require (from the rulebook), every move with
who, when and why, the reasons of a return per nomination and per paper, comments, and the clock of
the step it is in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.core.models import StoredFile, TimeStampedModel
from tdkt.dossiers.enums import (
    Appraisal,
    ComponentStatus,
    Decided,
    Kind,
    Level,
    ReportStatus,
    StateOutcome,
    Status,
)
from tdkt.org.enums import AwardCode


class Dossier(TimeStampedModel):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị đề nghị"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("cấp đề nghị"), max_length=10, choices=Level.choices, default=Level.MINISTRY)
    kind = models.CharField(_("loại khen thưởng"), max_length=12, choices=Kind.choices, default=Kind.YEARLY)
    simplified = models.BooleanField(_("thủ tục đơn giản"), default=False)
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    title = models.CharField(_("tên hồ sơ"), max_length=255)
    movement = models.ForeignKey(
        "movements.Movement",
        verbose_name=_("phong trào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_round = models.ForeignKey(
        "reviews.ReviewRound",
        verbose_name=_("đợt bình xét"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # who holds it now, since when, and the step's legal limit (the clock)
    holder = models.ForeignKey(
        "org.Unit",
        verbose_name=_("nơi đang giữ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder_label = models.CharField(_("nơi đang giữ"), max_length=255, blank=True)  # "Ban TĐKT Trung ương"
    step = models.CharField(_("bước"), max_length=20, blank=True)
    step_since = models.DateTimeField(_("từ lúc"), null=True, blank=True)
    step_limit = models.PositiveSmallIntegerField(_("thời hạn (ngày làm việc)"), null=True, blank=True)
    step_due = models.DateField(_("hạn"), null=True, blank=True)
    step_cite = models.CharField(max_length=500, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("thủ trưởng duyệt lúc"), null=True, blank=True)
    sent_count = models.PositiveSmallIntegerField(default=0)
    decision = models.ForeignKey(
        "awards.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.ForeignKey(
        "councils.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hồ sơ đề nghị khen thưởng")
        verbose_name_plural = _("hồ sơ đề nghị khen thưởng")
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status", "step_due"]),
        ]

    def __str__(self) -> str:
        return self.title


class Nomination(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="nominations")
    person = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collective = models.ForeignKey(
        "org.Collective", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    award_code = models.CharField(_("danh hiệu, hình thức"), max_length=30, choices=AwardCode.choices)
    first_year = models.PositiveSmallIntegerField(_("từ năm"))
    last_year = models.PositiveSmallIntegerField(_("đến năm"))
    candidate = models.ForeignKey(
        "reviews.Candidate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the verdict when the nomination was made, kept as it was
    verdict = models.CharField(_("kết quả xét tiêu chuẩn"), max_length=15, blank=True)
    regime = models.CharField(max_length=20, blank=True)
    reasons = models.JSONField(default=dict, blank=True)
    failing = models.CharField(max_length=500, blank=True)
    # the unit council's result where one was needed (from the review)
    unit_votes = models.CharField(_("kết quả bỏ phiếu của đơn vị"), max_length=40, blank=True)
    justification = models.TextField(_("giải trình"), blank=True)
    appraisal = models.CharField(
        _("thẩm định"), max_length=10, choices=Appraisal.choices, blank=True, default=""
    )
    appraisal_note = models.TextField(_("ý kiến thẩm định"), blank=True)
    council_result = models.CharField(_("Hội đồng cấp bộ"), max_length=10, blank=True)  # passed | failed
    council_votes = models.CharField(max_length=40, blank=True)
    decided = models.CharField(
        _("kết quả xét"), max_length=14, choices=Decided.choices, blank=True, default=""
    )
    decision_line = models.ForeignKey(
        "awards.DecisionLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state_outcome = models.CharField(
        _("kết quả cấp Nhà nước"), max_length=14, choices=StateOutcome.choices, blank=True, default=""
    )
    state_decision = models.CharField(_("số quyết định"), max_length=60, blank=True)
    state_decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    state_note = models.CharField(max_length=500, blank=True)
    award_record = models.ForeignKey(
        "org.AwardRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sort_key = models.CharField(max_length=400, blank=True, default="")

    class Meta:
        ordering = ["dossier", "award_code", "collective_id", "sort_key", "id"]
        verbose_name = _("người, tập thể được đề nghị")
        verbose_name_plural = _("người, tập thể được đề nghị")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, collective__isnull=True)
                | Q(person__isnull=True, collective__isnull=False),
                name="nomination_one_subject",
            ),
            models.UniqueConstraint(
                fields=["dossier", "person", "award_code"], name="uniq_dossier_person_award"
            ),
            models.UniqueConstraint(
                fields=["dossier", "collective", "award_code"], name="uniq_dossier_collective_award"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "award_code"], name="nomination_person_award"),
            models.Index(fields=["collective", "award_code"], name="nomination_collective_award"),
        ]

    @property
    def subject(self):
        return self.person or self.collective

    @property
    def ballot_key(self) -> str:
        return f"dossiers.nomination:{self.pk}"


class Component(models.Model):
    """One paper of the checklist: the dossier's own (tờ trình, danh sách, biên bản) or one nominee's
    (báo cáo thành tích, xác nhận sáng kiến)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    nomination = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.CASCADE, related_name="components"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(_("thành phần"), max_length=255)
    cite = models.CharField(_("căn cứ"), max_length=500, blank=True)
    template = models.CharField(_("mẫu"), max_length=120, blank=True)
    generated = models.BooleanField(_("hệ thống lập sẵn"), default=False)
    required = models.BooleanField(_("bắt buộc"), default=True)
    stage = models.CharField(max_length=10, default="unit")  # unit | ministry
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=ComponentStatus.choices, default=ComponentStatus.MISSING
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dossier", "nomination_id", "order", "id"]
        verbose_name = _("thành phần hồ sơ")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "code"], condition=Q(nomination__isnull=True), name="one_dossier_component"
            ),
            models.UniqueConstraint(
                fields=["nomination", "code"],
                condition=Q(nomination__isnull=False),
                name="one_nomination_component",
            ),
        ]


def component_upload_to(instance, filename: str) -> str:
    return f"dossiers/{instance.component.dossier_id}/{filename}"


class ComponentFile(StoredFile):
    """A version of a paper: replacing it adds a version, the earlier ones stay."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=component_upload_to, max_length=255)

    class Meta:
        ordering = ["component", "-version"]
        constraints = [models.UniqueConstraint(fields=["component", "version"], name="one_version_number")]


class Transition(models.Model):
    """Every move of a dossier: who, when, from, to, the message; the timeline reads these."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transitions")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12)
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    message = models.TextField(blank=True)
    holder_label = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]


class ReturnReason(models.Model):
    """Why a dossier went back: the whole dossier, one nomination, or one paper."""

    transition = models.ForeignKey(Transition, on_delete=models.CASCADE, related_name="reasons")
    nomination = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("lý do"))

    class Meta:
        ordering = ["transition", "id"]


class Comment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="comments")
    nomination = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("ý kiến"))

    class Meta:
        ordering = ["at", "id"]


class AchievementReport(TimeStampedModel):
    """A nominee's achievement report (báo cáo thành tích): drafted by the staff member (or the officer),
    confirmed by the unit head; the Word file is generated from it on the legal template."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="report")
    sections = models.JSONField(_("nội dung"), default=dict, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
