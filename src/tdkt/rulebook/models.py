"""Agency settings delegated by the law, and stored results of batch eligibility runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.org.enums import AwardCode
from tdkt.rulebook.enums import RunStatus, VerdictChoice


class AgencySetting(models.Model):
    """A value the law leaves to the agency. Only overrides are stored: the legal default is the YAML's."""

    key = models.CharField(_("khoá"), max_length=80, unique=True)
    value = models.JSONField(_("giá trị"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thay đổi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("thay đổi lúc"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("cài đặt của cơ quan")
        verbose_name_plural = _("cài đặt của cơ quan")

    def __str__(self) -> str:
        return self.key


class EligibilityRun(models.Model):
    """One batch evaluation of a unit subtree for one achievement year."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    people_count = models.PositiveIntegerField(_("số cá nhân"), default=0)
    collective_count = models.PositiveIntegerField(_("số tập thể"), default=0)
    result_count = models.PositiveIntegerField(_("số kết quả"), default=0)
    eligible_count = models.PositiveIntegerField(_("số đủ tiêu chuẩn"), default=0)
    message = models.TextField(_("thông báo"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt xét tiêu chuẩn")
        verbose_name_plural = _("lượt xét tiêu chuẩn")
        indexes = [models.Index(fields=["unit", "year", "-created_at"])]

    def __str__(self) -> str:
        # the name stored in the audit trail: the year and the unit's name, not "71/2025"
        return _("Xét tiêu chuẩn khen thưởng năm %(year)s — %(unit)s") % {
            "year": self.year,
            "unit": self.unit.name,
        }


class EligibilityResult(models.Model):
    """The verdict of one subject for one award code and year, as the last run computed it.

    The reasons themselves are not stored (about 1.4 kB a row, 1.7 million rows for 100,000 people):
    the list shows `failing`, and a subject's tab recomputes its verdicts live with every reason."""

    run = models.ForeignKey(EligibilityRun, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    collective = models.ForeignKey(
        "org.Collective", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    award_code = models.CharField(_("danh hiệu, hình thức"), max_length=30, choices=AwardCode.choices)
    verdict = models.CharField(_("kết quả"), max_length=15, choices=VerdictChoice.choices)
    regime = models.CharField(_("chế độ pháp lý"), max_length=20)
    failing = models.CharField(_("tiêu chí chưa đạt"), max_length=500, blank=True)
    missing = models.JSONField(_("dữ kiện còn thiếu"), default=list, blank=True)
    forecast_year = models.PositiveSmallIntegerField(_("năm dự kiến đạt"), null=True, blank=True)

    class Meta:
        ordering = ["unit_id", "award_code", "id"]
        verbose_name = _("kết quả xét tiêu chuẩn")
        verbose_name_plural = _("kết quả xét tiêu chuẩn")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, collective__isnull=True)
                | Q(person__isnull=True, collective__isnull=False),
                name="eligibility_result_one_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "award_code", "verdict", "unit"], name="elig_year_award_verdict"),
            models.Index(fields=["unit", "year", "award_code"], name="elig_unit_year_award"),
            models.Index(fields=["person", "year"], name="elig_person_year"),
            models.Index(fields=["collective", "year"], name="elig_collective_year"),
        ]
