"""A unit's review round (đợt bình xét) for a year or a thematic movement: its candidates, prefilled
from the eligibility engine with their reasons, every change of the list with its written reason, the
council's result per candidate and what follows (decided by the unit head, or proposed upward)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.core.models import TimeStampedModel
from tdkt.org.enums import AwardCode
from tdkt.reviews.enums import ChangeAction, Origin, Outcome, RoundStatus, VoteResult


class ReviewRound(TimeStampedModel):
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên đợt"), max_length=255)
    movement = models.ForeignKey(  # a thematic movement's own round; None for the yearly review
        "movements.Movement",
        verbose_name=_("phong trào thi đua"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.PREPARING
    )
    candidates_due = models.DateField(_("hạn lập danh sách"), null=True, blank=True)
    council_due = models.DateField(_("hạn họp Hội đồng"), null=True, blank=True)
    run = models.ForeignKey(
        "rulebook.EligibilityRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.ForeignKey(
        "councils.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.ForeignKey(
        "awards.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "unit__path"]
        verbose_name = _("đợt bình xét")
        verbose_name_plural = _("đợt bình xét")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"], condition=Q(movement__isnull=True), name="one_yearly_round_per_unit"
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "movement"],
                condition=Q(movement__isnull=False),
                name="one_thematic_round_per_unit_movement",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collective = models.ForeignKey(
        "org.Collective", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    award_code = models.CharField(_("danh hiệu, hình thức"), max_length=30, choices=AwardCode.choices)
    origin = models.CharField(_("nguồn"), max_length=10, choices=Origin.choices, default=Origin.ENGINE)
    verdict = models.CharField(_("kết quả xét tiêu chuẩn"), max_length=15, blank=True)
    regime = models.CharField(max_length=20, blank=True)
    reasons = models.JSONField(_("lý do"), default=dict, blank=True)  # explain() at the time, kept as it was
    failing = models.CharField(max_length=500, blank=True)
    included = models.BooleanField(_("trong danh sách"), default=True)
    needs_vote = models.BooleanField(_("cần bỏ phiếu"), default=False)
    vote_result = models.CharField(
        _("kết quả bỏ phiếu"), max_length=10, choices=VoteResult.choices, default=VoteResult.NONE, blank=True
    )
    votes_agree = models.PositiveIntegerField(null=True, blank=True)
    votes_base = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    decision_line = models.ForeignKey(
        "awards.DecisionLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sort_key = models.CharField(max_length=400, default="", blank=True)

    class Meta:
        ordering = ["round", "award_code", "collective_id", "sort_key", "id"]
        verbose_name = _("ứng viên")
        verbose_name_plural = _("ứng viên")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, collective__isnull=True)
                | Q(person__isnull=True, collective__isnull=False),
                name="candidate_one_subject",
            ),
            models.UniqueConstraint(fields=["round", "person", "award_code"], name="uniq_round_person_award"),
            models.UniqueConstraint(
                fields=["round", "collective", "award_code"], name="uniq_round_collective_award"
            ),
        ]
        indexes = [models.Index(fields=["person", "award_code"], name="candidate_person_award")]

    @property
    def subject(self):
        return self.person or self.collective

    @property
    def ballot_key(self) -> str:
        return f"reviews.candidate:{self.pk}"


class CandidateChange(models.Model):
    """Every addition to or removal from the list, with the written reason that stays in the record."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("thao tác"), max_length=10, choices=ChangeAction.choices)
    reason = models.TextField(_("lý do"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("thay đổi danh sách")
