"""The organisation: units as a tree, people with their history, collectives, yearly facts, awards.

Business rules live in services.py; these models hold fields, constraints and indexes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tdkt.core.models import TimeStampedModel
from tdkt.core.search import name_expression
from tdkt.org.enums import (
    AwardBasis,
    AwardCode,
    AwardSource,
    CollectiveKind,
    DisciplineForm,
    Employment,
    Gender,
    InitiativeKind,
    InitiativeScope,
    IssuerLevel,
    LeaveKind,
    Rating,
    RestructuringKind,
    ReviewStatus,
    UnitKind,
)


class Unit(TimeStampedModel):
    """A unit of the agency. `path` ("/1/7/23/") makes subtree queries one indexed prefix match."""

    code = models.CharField(_("mã đơn vị"), max_length=30, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    province = models.CharField(_("tỉnh, thành phố"), max_length=80, blank=True)
    active_from = models.DateField(_("hoạt động từ"), null=True, blank=True)
    active_to = models.DateField(_("hoạt động đến"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [models.UniqueConstraint(Lower("code"), name="unit_code_unique_any_case")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.active_to is None

    def ancestor_ids(self) -> list[int]:
        return [int(x) for x in self.path.strip("/").split("/") if x][:-1]


class Person(TimeStampedModel):
    code = models.CharField(_("mã cán bộ"), max_length=30, unique=True)
    family_name = models.CharField(_("họ"), max_length=50)
    middle_name = models.CharField(_("tên đệm"), max_length=80, blank=True)
    given_name = models.CharField(_("tên"), max_length=50)
    full_name = models.CharField(_("họ và tên"), max_length=180, editable=False)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=40, blank=True, default="Kinh")
    id_number = models.CharField(_("số định danh cá nhân"), max_length=20, null=True, blank=True)
    # An ID number also held by a record outside the writer's scope waits for the ministry's TĐKT
    # department (IdentityReview); the writer is told nothing that a fresh number would not tell.
    id_number_disputed = models.BooleanField(_("số định danh đang chờ xác minh"), default=False)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    job_title = models.CharField(_("chức danh"), max_length=120, blank=True)
    employment = models.CharField(
        _("loại cán bộ"), max_length=20, choices=Employment.choices, default=Employment.CIVIL_SERVANT
    )
    direct_worker = models.BooleanField(_("người lao động trực tiếp"), default=False)
    leader = models.BooleanField(_("lãnh đạo, quản lý"), default=False)
    joined = models.DateField(_("ngày vào cơ quan"), null=True, blank=True)
    current_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị hiện tại"), on_delete=models.PROTECT, related_name="people"
    )
    active = models.BooleanField(_("đang công tác"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    search_text = models.CharField(max_length=400, editable=False, default="", db_index=False)
    sort_key = models.CharField(max_length=400, editable=False, default="", db_index=True)

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        indexes = [
            models.Index(fields=["current_unit", "sort_key"]),
            models.Index(fields=["id_number"], name="person_id_number"),
            # a full name's namesakes in the order of the search results (core.search.best_matches)
            models.Index(name_expression(), F("sort_key"), F("id"), name="person_search_name"),
            # the last change of the names, for the search's vocabulary (org.selectors.search_vocabulary)
            models.Index(fields=["updated_at", "id"], name="person_updated_at"),
            # the person of the signed-in user, joined to it on every request (navigation.UserBackend):
            # most people have no account, and SQLite's planner, told by ANALYZE that a user_id of the
            # unique index stands for every row (all NULL), scanned the people instead (18 ms at 100,000)
            models.Index(fields=["user"], condition=Q(user__isnull=False), name="person_account"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("code"), name="person_code_unique_any_case"),
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(id_number_disputed=False, id_number__isnull=False),
                name="person_id_number_unique_undisputed",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Position(models.Model):
    """A person's post in a unit over a period; a transfer closes one and opens the next."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["person", "start"]
        verbose_name = _("quá trình công tác")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(end__isnull=True), name="one_open_position_per_person"
            ),
        ]


class Collective(TimeStampedModel):
    """A collective that can be rated and awarded: the unit itself or a sub-team of it."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="collectives"
    )
    kind = models.CharField(_("loại tập thể"), max_length=10, choices=CollectiveKind.choices)
    code = models.CharField(_("mã tập thể"), max_length=40, unique=True)
    name = models.CharField(_("tên tập thể"), max_length=255)
    established = models.DateField(_("ngày thành lập"), null=True, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    search_text = models.CharField(max_length=300, editable=False, default="")

    class Meta:
        ordering = ["unit__path", "kind", "name"]
        indexes = [
            models.Index(name_expression(), F("name"), F("id"), name="collective_search_name"),
            models.Index(fields=["updated_at", "id"], name="collective_updated_at"),
        ]
        verbose_name = _("tập thể")
        verbose_name_plural = _("tập thể")
        constraints = [models.UniqueConstraint(Lower("code"), name="collective_code_unique_any_case")]

    def __str__(self) -> str:
        return self.name


def _one_subject():
    return Q(person__isnull=False, collective__isnull=True) | Q(person__isnull=True, collective__isnull=False)


class Evaluation(TimeStampedModel):
    """The yearly task-completion rating of a person or a collective, with months worked."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluations"
    )
    collective = models.ForeignKey(
        Collective, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluations"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=5, choices=Rating.choices)
    months_worked = models.PositiveSmallIntegerField(_("số tháng công tác"), null=True, blank=True)
    members_total = models.PositiveIntegerField(_("tổng số thành viên"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("đánh giá, xếp loại")
        verbose_name_plural = _("đánh giá, xếp loại")
        constraints = [
            models.CheckConstraint(condition=_one_subject(), name="evaluation_one_subject"),
            models.UniqueConstraint(fields=["person", "year"], name="uniq_person_year_evaluation"),
            models.UniqueConstraint(fields=["collective", "year"], name="uniq_collective_year_evaluation"),
        ]
        indexes = [models.Index(fields=["unit", "year"])]


class Discipline(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disciplines")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    form = models.CharField(_("hình thức kỷ luật"), max_length=20, choices=DisciplineForm.choices)
    decided_on = models.DateField(_("ngày quyết định"))
    admin_sanction = models.BooleanField(_("xử phạt hành chính"), default=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["-decided_on"]
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")


class Leave(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="leaves")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại nghỉ"), max_length=12, choices=LeaveKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))

    class Meta:
        ordering = ["-start"]
        verbose_name = _("nghỉ")
        verbose_name_plural = _("nghỉ")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="leave_end_after_start")
        ]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Initiative(TimeStampedModel):
    """An initiative or research work, with the scope of its recognised effect."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="initiatives"
    )
    collective = models.ForeignKey(
        Collective, null=True, blank=True, on_delete=models.CASCADE, related_name="initiatives"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(
        _("loại"), max_length=12, choices=InitiativeKind.choices, default=InitiativeKind.INITIATIVE
    )
    title = models.CharField(_("tên sáng kiến, đề tài"), max_length=500)
    scope = models.CharField(
        _("phạm vi ảnh hưởng"), max_length=12, choices=InitiativeScope.choices, blank=True
    )
    recognised_on = models.DateField(_("ngày công nhận"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=60, blank=True)
    used_for = models.CharField(_("đã dùng để xét"), max_length=30, choices=AwardCode.choices, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("sáng kiến, đề tài")
        verbose_name_plural = _("sáng kiến, đề tài")
        constraints = [models.CheckConstraint(condition=_one_subject(), name="initiative_one_subject")]

    @property
    def recognised(self) -> bool:
        return self.recognised_on is not None and bool(self.scope)


class AwardRecordQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionDenied(_("Không được xoá hồ sơ khen thưởng; hãy ghi nhận quyết định huỷ bỏ."))

    def in_force(self):
        return self.filter(revoked=False)


class AwardRecord(TimeStampedModel):
    """An emulation title or commendation form received. Never deleted: a revocation marks it."""

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    collective = models.ForeignKey(
        Collective, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    award_code = models.CharField(_("danh hiệu, hình thức"), max_length=30, choices=AwardCode.choices)
    first_year = models.PositiveSmallIntegerField(_("từ năm"))
    last_year = models.PositiveSmallIntegerField(_("đến năm"))
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))
    signer = models.CharField(_("người ký"), max_length=120, blank=True)
    basis = models.CharField(
        _("loại khen thưởng"), max_length=12, choices=AwardBasis.choices, default="cong_trang"
    )
    issuer_level = models.CharField(_("cấp khen"), max_length=20, choices=IssuerLevel.choices, blank=True)
    issuer_name = models.CharField(_("cơ quan khen"), max_length=255, blank=True)
    ground = models.CharField(_("căn cứ xét"), max_length=12, blank=True)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=AwardSource.choices, default=AwardSource.IMPORTED
    )
    revoked = models.BooleanField(_("đã huỷ bỏ"), default=False)
    revoked_decision = models.CharField(_("quyết định huỷ bỏ"), max_length=60, blank=True)
    revoked_on = models.DateField(_("ngày huỷ bỏ"), null=True, blank=True)
    revoked_reason = models.TextField(_("lý do huỷ bỏ"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận huỷ bỏ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects = AwardRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-last_year", "-decided_on"]
        verbose_name = _("khen thưởng đã nhận")
        verbose_name_plural = _("khen thưởng đã nhận")
        constraints = [
            models.CheckConstraint(condition=_one_subject(), name="award_one_subject"),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="award_year_order"
            ),
            models.UniqueConstraint(
                fields=["person", "award_code", "last_year", "decision_number"],
                name="uniq_person_award_decision",
            ),
            models.UniqueConstraint(
                fields=["collective", "award_code", "last_year", "decision_number"],
                name="uniq_collective_award_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "last_year"]),
            models.Index(fields=["award_code", "last_year"]),
            # the register's default order (awards.selectors.REGISTER_SORTS["year"]), walked backwards
            # for the ascending sort; its first page stops after a page instead of sorting the scope
            models.Index(
                fields=["-last_year", "-first_year", "-decided_on", "-id"], name="award_register_order"
            ),
            # the revoked records (a few in a thousand), in the same order: "đã huỷ bỏ" in the register
            models.Index(
                fields=["-last_year", "-first_year", "-decided_on", "-id"],
                condition=Q(revoked=True),
                name="award_register_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_award_code_display()} {self.last_year} ({self.decision_number})"

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("Không được xoá hồ sơ khen thưởng; hãy ghi nhận quyết định huỷ bỏ."))


class IdentityReview(TimeStampedModel):
    """An ID number written on `person` that `holder`, a record outside the writer's scope, already has.

    The writer's row went through like any other (so an import cannot be used to test whose a number
    is); the ministry's TĐKT department decides: the same human (merge `person` into `holder`) or not
    (the number is taken off `person`)."""

    person = models.ForeignKey(
        Person, verbose_name=_("hồ sơ vừa ghi"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_repr = models.CharField(_("hồ sơ vừa ghi"), max_length=255)  # kept after a merge
    holder = models.ForeignKey(
        Person, verbose_name=_("hồ sơ đang giữ số"), on_delete=models.PROTECT, related_name="+"
    )
    id_number = models.CharField(_("số định danh cá nhân"), max_length=20)
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("xác minh số định danh")
        verbose_name_plural = _("xác minh số định danh")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "id_number"], condition=Q(status="open"), name="one_open_review_per_claim"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_repr} ↔ {self.holder}"


# --------------------------------------------------------------------------- restructuring (issue 11)
# Units merge, split, change name or parent on a date. The rows are the record of what happened and
# are never deleted; the history (ratings, awards, ...) stays on the units where it happened.


class _KeptQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionDenied(_("Không được xoá bản ghi sắp xếp lại đơn vị."))


class _Kept(models.Model):
    objects = _KeptQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("Không được xoá bản ghi sắp xếp lại đơn vị."))


class Restructuring(TimeStampedModel, _Kept):
    """A merger, split, renaming or move of units, effective `on`, by a decision."""

    kind = models.CharField(_("hình thức"), max_length=10, choices=RestructuringKind.choices)
    on = models.DateField(_("ngày hiệu lực"))
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    reason = models.TextField(_("lý do, căn cứ"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # a move: the parent before and after
    old_parent = models.ForeignKey(
        Unit, verbose_name=_("đơn vị cấp trên cũ"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    new_parent = models.ForeignKey(
        Unit, verbose_name=_("đơn vị cấp trên mới"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # a merger: the successor's own collective, and the predecessor's collective whose years it
    # continues when the rulebook setting `collective.chain_across_merger` says "continue"
    successor_collective = models.ForeignKey(
        Collective, verbose_name=_("tập thể của đơn vị kế thừa"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    continuing_collective = models.ForeignKey(
        Collective, verbose_name=_("tập thể được tính nối tiếp"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("sắp xếp lại đơn vị")
        verbose_name_plural = _("sắp xếp lại đơn vị")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class UnitSuccession(_Kept):
    """One edge of a restructuring: `successor` carries on (part of) the work of `predecessor`."""

    restructuring = models.ForeignKey(Restructuring, on_delete=models.PROTECT, related_name="successions")
    predecessor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị trước"), on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị kế thừa"), on_delete=models.PROTECT, related_name="successions_in"
    )

    class Meta:
        ordering = ["restructuring", "id"]
        verbose_name = _("đơn vị kế thừa")
        verbose_name_plural = _("đơn vị kế thừa")
        constraints = [
            models.UniqueConstraint(
                fields=["restructuring", "predecessor", "successor"], name="uniq_unit_succession"
            ),
        ]


class UnitName(_Kept):
    """A name a unit had before it was renamed, with the dates it was used."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="former_names")
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"))
    restructuring = models.ForeignKey(
        Restructuring, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["unit", "valid_to"]
        verbose_name = _("tên cũ của đơn vị")
        verbose_name_plural = _("tên cũ của đơn vị")

    def __str__(self) -> str:
        return self.name
