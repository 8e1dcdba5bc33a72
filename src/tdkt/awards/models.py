"""Decisions that recognise titles and forms (quyết định khen thưởng), with their lines. Issuing one
writes its award records (org.AwardRecord) all or none; the records never go away."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.awards.enums import DecisionStatus
from tdkt.core.models import TimeStampedModel
from tdkt.org.enums import AwardBasis, AwardCode, IssuerLevel


class Decision(TimeStampedModel):
    issuer_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(
        _("cấp khen"), max_length=20, choices=IssuerLevel.choices, default=IssuerLevel.UNIT
    )
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    subject = models.CharField(_("trích yếu"), max_length=255)
    number = models.CharField(_("số"), max_length=20, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=40, blank=True)
    decided_on = models.DateField(_("ngày ký"), null=True, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    movement = models.ForeignKey(  # the thematic movement whose achievements the decision recognises
        "movements.Movement",
        verbose_name=_("phong trào thi đua"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    # the digitally signed PDF sent back, verified intact (core/signing.py); stored under a random name
    # (core.uploads.storage_name) and served only by the view that checks the permission
    signed_file = models.FileField(_("bản quyết định đã ký số"), upload_to="decisions/%Y/", blank=True)
    signed_by = models.CharField(_("người ký số"), max_length=255, blank=True)
    signed_verified_at = models.DateTimeField(_("kiểm tra chữ ký lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_unit", "number", "symbol", "decided_on"],
                condition=Q(status="issued"),
                name="one_issued_decision_per_number",
            )
        ]

    def __str__(self) -> str:
        return self.reference or str(self.subject)

    @property
    def scope_unit(self):
        return self.issuer_unit

    @property
    def reference(self) -> str:
        """ "15/QĐ-VPB" once numbered."""
        if not self.number:
            return ""
        return f"{self.number}/{self.symbol}" if self.symbol else self.number


class DecisionLine(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="lines")
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
    basis = models.CharField(
        _("loại"), max_length=12, choices=AwardBasis.choices, default=AwardBasis.CONG_TRANG
    )
    ground = models.CharField(_("căn cứ xét"), max_length=12, blank=True)  # htxs | initiative (CSTĐCS)
    order = models.PositiveIntegerField(default=0)
    award_record = models.OneToOneField(
        "org.AwardRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="decision_line"
    )

    class Meta:
        ordering = ["decision", "award_code", "order", "id"]
        verbose_name = _("dòng quyết định")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, collective__isnull=True)
                | Q(person__isnull=True, collective__isnull=False),
                name="decision_line_one_subject",
            ),
            models.UniqueConstraint(
                fields=["decision", "person", "award_code"], name="uniq_decision_person_award"
            ),
            models.UniqueConstraint(
                fields=["decision", "collective", "award_code"], name="uniq_decision_collective_award"
            ),
        ]


# --- Certificates (Bằng khen, Giấy khen) --------------------------------------------------------------
# The choices live beside the model they describe; enums.py of the app holds the decision's.


class CertificateMode(models.TextChoices):
    FULL = "full", _("In toàn bộ (giấy trắng)")
    BLANK = "blank", _("In lên phôi in sẵn")


class PageSize(models.TextChoices):
    A4 = "A4", "A4"
    A3 = "A3", "A3"


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", _("Ngang")
    PORTRAIT = "portrait", _("Dọc")


class CertificateLayout(TimeStampedModel):
    """How the certificate of one award code is printed: the whole sheet drawn (`full`), or only the
    variable fields at positions in millimetres on the agency's pre-printed blanks (`blank`).

    `positions` maps a field name (certificates.FIELDS) to {"x", "y", "size", "align", "width",
    "enabled"}: x and y in mm from the sheet's top left corner (y is the text's baseline), the font size
    in points, the alignment around x, the widest the text may run in mm. `offset_x_mm`/`offset_y_mm`
    move everything printed, to correct the printer's own shift."""

    award_code = models.CharField(
        _("danh hiệu, hình thức"), max_length=30, choices=AwardCode.choices, unique=True
    )
    mode = models.CharField(
        _("cách in"), max_length=10, choices=CertificateMode.choices, default=CertificateMode.FULL
    )
    title = models.CharField(_("tên hình thức in trên bằng"), max_length=60)
    authority = models.CharField(
        _("người, cơ quan khen"),
        max_length=200,
        blank=True,
        help_text=_("Để trống: ghi theo quyết định, ví dụ “THỦ TRƯỞNG VỤ A”."),
    )
    page_size = models.CharField(_("khổ giấy"), max_length=2, choices=PageSize.choices, default=PageSize.A4)
    orientation = models.CharField(
        _("hướng giấy"), max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    offset_x_mm = models.DecimalField(_("dịch ngang (mm)"), max_digits=4, decimal_places=1, default=0)
    offset_y_mm = models.DecimalField(_("dịch dọc (mm)"), max_digits=4, decimal_places=1, default=0)
    positions = models.JSONField(_("vị trí các trường"), default=dict, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["award_code"]
        verbose_name = _("mẫu in bằng khen, giấy khen")
        verbose_name_plural = _("mẫu in bằng khen, giấy khen")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_mode_display()})"
