"""The yearly summary of the award register that the statistics page and the report forms read.

At national size the register holds tens of millions of award records; counting them on every request
would scan a large share of the table each time. `AwardTally` holds one row per combination of the
dimensions the page and the forms group or filter by, with the number of records of that combination:
a few rows per (year, unit, award code), however many awards there are. `services.tally_refresh`
recomputes it from the records; `TallyYear` says when each year was computed and from which state of the
records (the marker the periodic job compares to find the years to recompute).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tdkt.org.models import Unit


class AwardTally(models.Model):
    """The number of award records of one year and unit sharing every dimension below."""

    year = models.PositiveSmallIntegerField(_("năm thành tích"))  # AwardRecord.last_year
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    award_code = models.CharField(_("danh hiệu, hình thức"), max_length=30)
    issuer_level = models.CharField(_("cấp khen"), max_length=20, blank=True)
    basis = models.CharField(_("loại khen thưởng"), max_length=12, blank=True)
    person = models.BooleanField(_("cá nhân"))  # False: a collective
    # the person's record as it was when the tally was computed (blank / False for a collective)
    gender = models.CharField(_("giới tính"), max_length=10, blank=True)
    minority = models.BooleanField(_("dân tộc thiểu số"), default=False)
    direct_worker = models.BooleanField(_("lao động trực tiếp"), default=False)
    leader = models.BooleanField(_("lãnh đạo, quản lý"), default=False)
    enterprise = models.BooleanField(_("doanh nghiệp"), default=False)  # a collective of an enterprise
    first_half = models.BooleanField(_("quyết định trong 6 tháng đầu năm"), default=False)
    revoked = models.BooleanField(_("đã huỷ bỏ"), default=False)
    count = models.PositiveIntegerField(_("số lượt"))

    class Meta:
        verbose_name = _("tổng hợp khen thưởng theo năm")
        verbose_name_plural = _("tổng hợp khen thưởng theo năm")
        indexes = [models.Index(fields=["year", "unit"])]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.award_code}: {self.count}"


class TallyYear(models.Model):
    """When a year of the summary was computed, and the state of the records it was computed from."""

    year = models.PositiveSmallIntegerField(_("năm thành tích"), unique=True)
    computed_at = models.DateTimeField(_("tính lúc"))
    records = models.PositiveIntegerField(_("số hồ sơ khen thưởng"), default=0)
    records_changed_at = models.DateTimeField(_("hồ sơ sửa lần cuối"), null=True, blank=True)
    # the shares read the persons' gender, ethnicity and roles as they are: a change to a person counts
    people_changed_at = models.DateTimeField(_("hồ sơ cá nhân sửa lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("năm đã tổng hợp")
        verbose_name_plural = _("năm đã tổng hợp")

    def __str__(self) -> str:
        return f"{self.year} @ {self.computed_at:%Y-%m-%d %H:%M}"


class StaffTally(models.Model):
    """The number of active persons of a unit sharing a gender, minority, direct-worker and leader flag:
    the staff row the shares of the statistics page compare against, recomputed with the summary."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    gender = models.CharField(_("giới tính"), max_length=10, blank=True)
    minority = models.BooleanField(_("dân tộc thiểu số"), default=False)
    direct_worker = models.BooleanField(_("lao động trực tiếp"), default=False)
    leader = models.BooleanField(_("lãnh đạo, quản lý"), default=False)
    count = models.PositiveIntegerField(_("số người"))

    class Meta:
        verbose_name = _("tổng hợp cán bộ theo đơn vị")
        verbose_name_plural = _("tổng hợp cán bộ theo đơn vị")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.count}"


class TallyCounts(models.Model):
    """The columns `AwardTallyTotal` and `AwardTallyOverall` share: the award's year, form, level, subject
    and revoked flag, the number of records, and the shares among persons."""

    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    award_code = models.CharField(_("danh hiệu, hình thức"), max_length=30)
    issuer_level = models.CharField(_("cấp khen"), max_length=20, blank=True)
    person = models.BooleanField(_("cá nhân"))
    revoked = models.BooleanField(_("đã huỷ bỏ"), default=False)
    count = models.PositiveIntegerField(_("số lượt"))
    women = models.PositiveIntegerField(_("trong đó nữ"), default=0)
    minorities = models.PositiveIntegerField(_("trong đó dân tộc thiểu số"), default=0)
    direct = models.PositiveIntegerField(_("trong đó lao động trực tiếp"), default=0)
    leaders = models.PositiveIntegerField(_("trong đó lãnh đạo, quản lý"), default=0)

    class Meta:
        abstract = True


class AwardTallyTotal(TallyCounts):
    """`AwardTally` summed over the persons' dimensions and the forms' extra ones: one row per year, unit,
    award code, level, subject and revoked flag (about one per year × unit × code), with the shares among
    persons as columns. The statistics page reads this; the report forms, which may cross two of the
    persons' dimensions, read `AwardTally`."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("tổng hợp khen thưởng theo năm (gộp)")
        verbose_name_plural = _("tổng hợp khen thưởng theo năm (gộp)")
        indexes = [models.Index(fields=["year", "unit"])]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.award_code}: {self.count}"


class AwardTallyOverall(TallyCounts):
    """`AwardTallyTotal` summed over the units: one row per year, award code, level, subject and revoked
    flag, a few hundred a year however many units there are. The statistics of a user who sees every
    unit, with no unit chosen, read this: summing `AwardTallyTotal` was one row per unit × code × year
    (8.5 ms of a 36 ms page at 287 units, and growing with the units)."""

    class Meta:
        verbose_name = _("tổng hợp khen thưởng theo năm (toàn bộ đơn vị)")
        verbose_name_plural = _("tổng hợp khen thưởng theo năm (toàn bộ đơn vị)")
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.year} {self.award_code}: {self.count}"
