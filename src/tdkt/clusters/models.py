"""Emulation blocs and clusters (khối, cụm thi đua): units compared with units, year by year.

A bloc is organised by a unit (the ministry) and split into clusters; each year every member unit belongs
to one cluster of the bloc, one of them heading it and one deputy (they rotate). The year's work of a
cluster: the covenant (each member's pledge and targets), the bloc's scoring table (a tree of criteria),
each member's sheet of scores with evidence, the appraisal (every change with its reason, answered in an
explanation round), the lock, the ranking, the conference's vote and the proposals for flags and
certificates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.clusters.enums import BlocRole, CriterionKind, ProposalAward, SheetStatus, YearStatus
from tdkt.core.models import StoredFile, TimeStampedModel


class Bloc(TimeStampedModel):
    code = models.CharField(_("mã khối"), max_length=30, unique=True)
    name = models.CharField(_("tên khối thi đua"), max_length=255)
    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("khối thi đua")
        verbose_name_plural = _("khối thi đua")

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self):
        """The unit whose scope covers the bloc's organisation (the organising unit)."""
        return self.owner_unit


class Cluster(TimeStampedModel):
    """A cluster (cụm) of a bloc; a bloc not split into clusters has one."""

    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="clusters")
    code = models.CharField(_("mã cụm"), max_length=30)
    name = models.CharField(_("tên cụm thi đua"), max_length=255)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["bloc", "order", "code"]
        verbose_name = _("cụm thi đua")
        verbose_name_plural = _("cụm thi đua")
        constraints = [models.UniqueConstraint(fields=["bloc", "code"], name="uniq_cluster_code_in_bloc")]

    def __str__(self) -> str:
        return self.name


class BlocMembership(models.Model):
    """A unit's membership of a bloc for one year, in one of its clusters, with its role there (head and
    deputy rotate yearly)."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="memberships")
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cụm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    role = models.CharField(_("vai trò"), max_length=10, choices=BlocRole.choices, default=BlocRole.MEMBER)

    class Meta:
        ordering = ["bloc", "year", "role"]
        verbose_name = _("thành viên khối")
        constraints = [models.UniqueConstraint(fields=["bloc", "unit", "year"], name="uniq_bloc_unit_year")]
        indexes = [models.Index(fields=["unit", "year"], name="bloc_member_unit_year")]


class ClusterYear(TimeStampedModel):
    """One cluster's year: its status, deadlines, the covenant meeting and the conference."""

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=YearStatus.choices, default=YearStatus.SETUP
    )
    covenant_on = models.DateField(_("ngày ký giao ước"), null=True, blank=True)
    covenant_place = models.CharField(_("nơi ký giao ước"), max_length=255, blank=True)
    covenant_content = models.TextField(_("nội dung giao ước chung"), blank=True)
    score_deadline = models.DateField(_("hạn tự chấm điểm"), null=True, blank=True)
    explain_deadline = models.DateField(_("hạn giải trình"), null=True, blank=True)
    locked_at = models.DateTimeField(_("chốt điểm lúc"), null=True, blank=True)
    ranked_at = models.DateTimeField(_("xếp hạng lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    tie_break = models.JSONField(_("quy tắc phân định khi bằng điểm"), default=list, blank=True)
    # the conference: a council of the members' representatives in the councils app
    council = models.ForeignKey(
        "councils.Council", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        "councils.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-year", "cluster"]
        verbose_name = _("năm thi đua của cụm")
        verbose_name_plural = _("năm thi đua của cụm")
        constraints = [models.UniqueConstraint(fields=["cluster", "year"], name="uniq_cluster_year")]

    def __str__(self) -> str:
        return f"{self.cluster} — {self.year}"

    @property
    def unit(self):
        return self.cluster.bloc.owner_unit


class Criterion(models.Model):
    """A line of a bloc's scoring table for a year: a group of lines or a scored line.

    - fixed: the member gives points from 0 to `max_points`;
    - target: the member gives the value achieved; 100% of its target gives `max_points`, pro rata
      below, and above it up to `cap_ratio` × `max_points`;
    - bonus: extra points from 0 to `max_points`;
    - deduction: points taken off, from 0 to `max_points`.
    A group adds its lines, never above its own maximum when it has one."""

    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="criteria")
    year = models.PositiveSmallIntegerField(_("năm"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("số thứ tự"), max_length=20)
    name = models.CharField(_("tiêu chí"), max_length=500)
    kind = models.CharField(_("loại"), max_length=10, choices=CriterionKind.choices)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2, null=True, blank=True)
    cap_ratio = models.DecimalField(
        _("mức trần khi vượt chỉ tiêu (lần)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    unit_label = models.CharField(_("đơn vị tính của chỉ tiêu"), max_length=40, blank=True)
    evidence_required = models.BooleanField(_("bắt buộc có minh chứng"), default=False)
    evidence_note = models.CharField(_("minh chứng cần có"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["bloc", "year", "order", "id"]
        verbose_name = _("tiêu chí chấm điểm")
        verbose_name_plural = _("bảng tiêu chí chấm điểm")
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year", "code"], name="uniq_criterion_code"),
            models.CheckConstraint(
                condition=Q(max_points__isnull=True) | Q(max_points__gte=0), name="criterion_max_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def scored(self) -> bool:
        return self.kind != CriterionKind.GROUP


class Pledge(TimeStampedModel):
    """A member's part of the covenant: what it pledges and whether its representative signed."""

    cluster_year = models.ForeignKey(ClusterYear, on_delete=models.CASCADE, related_name="pledges")
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    content = models.TextField(_("nội dung đăng ký"), blank=True)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    signer = models.CharField(_("người ký"), max_length=180, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=180, blank=True)

    class Meta:
        ordering = ["cluster_year", "unit__path"]
        verbose_name = _("giao ước của thành viên")
        constraints = [models.UniqueConstraint(fields=["cluster_year", "unit"], name="uniq_pledge")]


class Target(models.Model):
    """A member's target for a criterion of kind `target`, agreed in the covenant."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="targets")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="targets")
    value = models.DecimalField(_("chỉ tiêu"), max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pledge", "criterion"], name="uniq_target"),
            models.CheckConstraint(condition=Q(value__gt=0), name="target_positive"),
        ]


class Sheet(TimeStampedModel):
    """A member's score sheet for the year."""

    cluster_year = models.ForeignKey(ClusterYear, on_delete=models.PROTECT, related_name="sheets")
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    self_total = models.DecimalField(_("tự chấm"), max_digits=9, decimal_places=2, default=0)
    total = models.DecimalField(_("tổng điểm"), max_digits=9, decimal_places=2, default=0)
    bonus = models.DecimalField(_("điểm thưởng"), max_digits=9, decimal_places=2, default=0)
    deduction = models.DecimalField(_("điểm trừ"), max_digits=9, decimal_places=2, default=0)
    group_totals = models.JSONField(_("điểm theo nhóm"), default=dict, blank=True)

    class Meta:
        ordering = ["cluster_year", "unit__path"]
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")
        constraints = [models.UniqueConstraint(fields=["cluster_year", "unit"], name="uniq_sheet")]

    def __str__(self) -> str:
        return str(self.unit)


class Score(models.Model):
    """A sheet's line: the value the member gave (points, or the value achieved against a target), the
    points it makes, and the points after appraisal. `version` guards two appraisers at once."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("giá trị tự chấm"), max_digits=14, decimal_places=2, null=True, blank=True)
    self_points = models.DecimalField(
        _("điểm tự chấm"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    points = models.DecimalField(_("điểm"), max_digits=7, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("giải thích của đơn vị"), max_length=1000, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sheet", "criterion__order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="uniq_score")]

    @property
    def unit(self):
        return self.sheet.unit


def evidence_upload_to(instance, filename: str) -> str:
    return f"clusters/evidence/{filename}"


class Evidence(StoredFile):
    """A file supporting a score (checked by the one upload check; stored under a random name)."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to, max_length=255)

    class Meta:
        ordering = ["score", "uploaded_at", "id"]
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")


class Adjustment(models.Model):
    """An appraiser's change of a score, with its reason; the member may answer it (explanation)."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="adjustments")
    old_points = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    new_points = models.DecimalField(max_digits=7, decimal_places=2)
    reason = models.TextField(_("lý do điều chỉnh"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    explanation = models.TextField(_("giải trình của đơn vị"), blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    explained_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["score", "at", "id"]
        verbose_name = _("điều chỉnh điểm")
        verbose_name_plural = _("điều chỉnh điểm")


class Standing(models.Model):
    """A member's place in its cluster's ranking, the conference's vote on it, and what it is proposed
    for."""

    cluster_year = models.ForeignKey(ClusterYear, on_delete=models.CASCADE, related_name="standings")
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("tổng điểm"), max_digits=9, decimal_places=2)
    bonus = models.DecimalField(_("điểm thưởng"), max_digits=9, decimal_places=2, default=0)
    deduction = models.DecimalField(_("điểm trừ"), max_digits=9, decimal_places=2, default=0)
    rank = models.PositiveSmallIntegerField(_("xếp hạng"))
    tied = models.BooleanField(_("bằng điểm chưa phân định"), default=False)
    proposed_award = models.CharField(
        _("đề nghị khen thưởng"), max_length=20, choices=ProposalAward.choices, blank=True
    )
    votes_agree = models.PositiveIntegerField(null=True, blank=True)
    votes_base = models.PositiveIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["cluster_year", "rank", "unit__path"]
        verbose_name = _("kết quả xếp hạng")
        constraints = [models.UniqueConstraint(fields=["cluster_year", "unit"], name="uniq_standing")]
