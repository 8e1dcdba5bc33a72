"""Every write of a proposal dossier: build it (from a review round, or nomination by nomination), its
papers (versioned files, achievement reports), the unit head's approval, the gate, and every move of the
workflow — one writer of the status (`transition`), which also moves the holder and the clock.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.accounts.rules import require_perm
from tdkt.accounts.selectors import users_with
from tdkt.awards import services as award_services
from tdkt.core import calendar
from tdkt.core.audit import audit
from tdkt.core.errors import ServiceError
from tdkt.core.notifications import notify
from tdkt.core.text import clean, clean_block
from tdkt.core.uploads import CheckedFile
from tdkt.dossiers import components as checklist
from tdkt.dossiers.enums import (
    Action,
    Appraisal,
    ComponentStatus,
    Decided,
    Kind,
    Level,
    ReportStatus,
    StateOutcome,
    Status,
)
from tdkt.dossiers.gate import GateResult, run_gate
from tdkt.dossiers.models import (
    AchievementReport,
    Comment,
    Component,
    ComponentFile,
    Dossier,
    Nomination,
    ReturnReason,
    Transition,
)
from tdkt.dossiers.workflow import EDITABLE, HELD_ABOVE, HELD_BY_UNIT, STEPS, next_status
from tdkt.org import services as org_services
from tdkt.org.models import Collective, Person, Unit
from tdkt.rulebook import selectors as rulebook_selectors
from tdkt.rulebook import services as rulebook

MIN_REASON = 10
# what each level may carry: the ministry decides its own forms; the State's go through the ministry
LEVEL_AWARDS = {Level.MINISTRY: {"bo"}, Level.STATE: {"nha_nuoc"}}
CENTRAL_BODY = "Ban Thi đua – Khen thưởng Trung ương (Bộ Nội vụ)"


def _text(text: str, what: str) -> str:
    text = clean(text)
    if len(text) < MIN_REASON:
        raise ServiceError(_("Hãy ghi %(what)s (ít nhất %(n)s ký tự).") % {"what": what, "n": MIN_REASON})
    return text[:4000]


def ministry_of(unit: Unit) -> Unit:
    """The top of the tree: where dossiers go to be appraised and decided."""
    ids = unit.ancestor_ids()
    return Unit.objects.get(pk=ids[0]) if ids else unit


def _locked(dossier_id: int) -> Dossier:
    dossier = (
        Dossier.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=dossier_id).first()
    )
    if dossier is None:
        raise ServiceError(_("Không có hồ sơ này."))
    return dossier


def _editable(dossier: Dossier) -> None:
    if dossier.status not in EDITABLE:
        raise ServiceError(
            _("Hồ sơ đang ở trạng thái “%(s)s”: đơn vị chỉ sửa được khi hồ sơ đang lập hoặc bị trả lại.")
            % {"s": dossier.get_status_display()}
        )


def _changed(dossier: Dossier) -> None:
    """Any change of the papers or the list needs the unit head's approval again."""
    if dossier.approved_at is not None:
        dossier.approved_at, dossier.approved_by = None, None
        dossier.save(update_fields=["approved_at", "approved_by", "updated_at"])


# ---------------------------------------------------------------------------------------------- building


def dossier_create(
    *,
    actor,
    unit_id: int,
    level: str,
    year: int,
    kind: str = Kind.YEARLY,
    title: str = "",
    movement_id: int | None = None,
    simplified: bool = False,
    review_round_id: int | None = None,
) -> Dossier:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ServiceError(_("Không có đơn vị này."), field="unit")
    require_perm(actor, "dossiers.prepare", unit)
    if level not in Level.values:
        raise ServiceError(_("Cấp đề nghị không hợp lệ."), field="level")
    if kind not in Kind.values:
        raise ServiceError(_("Loại khen thưởng không hợp lệ."), field="kind")
    year = rulebook.check_year(year)
    if simplified and kind != Kind.IMMEDIATE:
        raise ServiceError(
            _("Thủ tục đơn giản chỉ dùng cho khen thưởng thành tích đột xuất."), field="simplified"
        )
    title = clean(title) or _("Đề nghị khen thưởng %(level)s năm %(year)s — %(unit)s") % {
        "level": Level(level).label.lower(),
        "year": year,
        "unit": unit.name,
    }
    with transaction.atomic():
        dossier = Dossier.objects.create(
            unit=unit,
            level=level,
            kind=kind,
            simplified=simplified,
            year=year,
            title=title[:255],
            movement_id=movement_id,
            review_round_id=review_round_id,
            holder=unit,
            holder_label=unit.name,
            created_by=actor,
        )
        audit(actor, "dossier.create", dossier, action="create", changes={"level": level, "year": year})
    return dossier


class AlreadyMade(ServiceError):
    """The review round already has its dossier at this level (a second click, a second tab)."""

    def __init__(self, dossier: Dossier):
        super().__init__(
            _("Đợt bình xét này đã có hồ sơ đề nghị %(level)s: %(title)s.")
            % {"level": dossier.get_level_display().lower(), "title": dossier.title}
        )
        self.dossier = dossier


def dossier_from_round(*, actor, round_id: int, level: str) -> Dossier:
    """A dossier of what a review round proposes upward at `level`, each nomination with the verdict
    and the unit council's result kept from the round. One dossier per round and level: a second
    request (double click, second tab) is refused with the one already made."""
    from tdkt.reviews.enums import Outcome
    from tdkt.reviews.models import Candidate, ReviewRound

    review = ReviewRound.objects.select_related("unit").get(pk=round_id)
    candidates = [
        c
        for c in Candidate.objects.filter(round=review, outcome=Outcome.PROPOSE).select_related(
            "person", "collective"
        )
        if rulebook.award_level(c.award_code, review.year) in LEVEL_AWARDS[level]
    ]
    if not candidates:
        raise ServiceError(_("Đợt bình xét không có ứng viên nào đề nghị khen thưởng ở cấp này."))
    with transaction.atomic():
        ReviewRound.objects.select_for_update().filter(pk=review.pk).first()  # one maker at a time
        made = Dossier.objects.filter(review_round=review, level=level).order_by("pk").first()
        if made is not None:
            raise AlreadyMade(made)
        dossier = dossier_create(
            actor=actor,
            unit_id=review.unit_id,
            level=level,
            year=review.year,
            kind=Kind.THEMATIC if review.movement_id else Kind.YEARLY,
            movement_id=review.movement_id,
            review_round_id=review.pk,
        )
        Nomination.objects.bulk_create(
            Nomination(
                dossier=dossier,
                person_id=c.person_id,
                collective_id=c.collective_id,
                unit_id=c.unit_id,
                award_code=c.award_code,
                first_year=review.year,
                last_year=review.year,
                candidate=c,
                verdict=c.verdict,
                regime=c.regime,
                reasons=c.reasons,
                failing=c.failing[:500],
                unit_votes=f"{c.votes_agree}/{c.votes_base}" if c.votes_base else "",
                sort_key=c.sort_key,
            )
            for c in candidates
        )
        checklist.sync_components(dossier)
    return dossier


def bloc_dossier_create(
    *, actor, unit_id: int, year: int, title: str, nominations: list[tuple[int, str, str]]
) -> Dossier:
    """A ministry-level dossier of an emulation cluster's proposals, held by the unit heading the cluster:
    `nominations` are (member unit id, award code, the conference's votes "agree/base"), each for the
    member's own collective (the unit as a collective), with today's verdict kept as for any nomination.
    The caller (clusters.services.proposals_to_dossier) has checked the actor's right over the cluster's
    year; the head unit's officer and head then take the dossier on as any other."""
    from tdkt.org.enums import CollectiveKind

    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ServiceError(_("Không có đơn vị này."))
    year = rulebook.check_year(year)
    collectives = {
        c.unit_id: c
        for c in Collective.objects.filter(
            unit_id__in=[u for u, _a, _v in nominations], kind=CollectiveKind.UNIT, active=True
        )
    }
    missing = [u for u, _a, _v in nominations if u not in collectives]
    if missing:
        names = ", ".join(str(u) for u in Unit.objects.filter(pk__in=missing))
        raise ServiceError(
            _("Chưa có tập thể (đơn vị) trong danh sách tập thể: %(units)s.") % {"units": names}
        )
    with transaction.atomic():
        dossier = Dossier.objects.create(
            unit=unit,
            level=Level.MINISTRY,
            kind=Kind.YEARLY,
            year=year,
            title=(clean(title) or _("Đề nghị khen thưởng của cụm thi đua"))[:255],
            holder=unit,
            holder_label=unit.name,
            created_by=actor,
        )
        rows = []
        for unit_ref, award, votes in nominations:
            collective = collectives[unit_ref]
            verdicts = {
                v.award: v for v in rulebook_selectors.live_verdicts("collective", collective.pk, year)
            }
            verdict = verdicts.get(award)
            rows.append(
                Nomination(
                    dossier=dossier,
                    collective=collective,
                    unit_id=unit_ref,
                    award_code=award,
                    first_year=year,
                    last_year=year,
                    verdict=verdict.verdict if verdict else "",
                    regime=verdict.regime if verdict else "",
                    reasons=_plain(rulebook_selectors.explain(verdict)) if verdict else {},
                    failing=rulebook.failing_text(verdict)[:500] if verdict else "",
                    unit_votes=votes[:40],
                    sort_key=collective.name,
                )
            )
        Nomination.objects.bulk_create(rows)
        checklist.sync_components(dossier)
        audit(
            actor,
            "dossier.create",
            dossier,
            action="create",
            changes={"level": Level.MINISTRY, "year": year, "nominations": len(rows), "from": "clusters"},
        )
    return dossier


@dataclass(frozen=True)
class Subject:
    person_id: int | None = None
    collective_id: int | None = None


def nomination_add(
    *,
    actor,
    dossier_id: int,
    subject: Subject,
    award_code: str,
    first_year: int | None = None,
    last_year: int | None = None,
) -> Nomination:
    """A person or collective of the unit, proposed for a form of the dossier's level; the verdict of
    today is kept with it."""
    with transaction.atomic():
        dossier = _locked(dossier_id)
        require_perm(actor, "dossiers.prepare", dossier)
        _editable(dossier)
        level = rulebook.award_level(award_code, dossier.year)
        if level not in LEVEL_AWARDS[dossier.level]:
            raise ServiceError(
                _("%(award)s không thuộc hồ sơ %(level)s.")
                % {"award": rulebook.award_name(award_code), "level": dossier.get_level_display().lower()},
                field="award_code",
            )
        if subject.person_id:
            obj = Person.objects.select_related("current_unit").filter(pk=subject.person_id).first()
            unit, kind = (obj.current_unit if obj else None), "individual"
        else:
            obj = Collective.objects.select_related("unit").filter(pk=subject.collective_id).first()
            unit, kind = (obj.unit if obj else None), "collective"
        if obj is None or not unit.path.startswith(dossier.unit.path):
            raise ServiceError(_("Chỉ đề nghị được cá nhân, tập thể của đơn vị."), field="subject")
        first, last = first_year or dossier.year, last_year or dossier.year
        if first > last:
            raise ServiceError(_("“Từ năm” phải trước hoặc bằng “đến năm”."), field="first_year")
        verdicts = {v.award: v for v in rulebook_selectors.live_verdicts(kind, obj.pk, dossier.year)}
        verdict = verdicts.get(award_code)
        try:
            with transaction.atomic():
                nomination = Nomination.objects.create(
                    dossier=dossier,
                    person_id=subject.person_id,
                    collective_id=subject.collective_id,
                    unit=unit,
                    award_code=award_code,
                    first_year=first,
                    last_year=last,
                    verdict=verdict.verdict if verdict else "",
                    regime=verdict.regime if verdict else "",
                    reasons=_plain(rulebook_selectors.explain(verdict)) if verdict else {},
                    failing=rulebook.failing_text(verdict)[:500] if verdict else "",
                    sort_key=getattr(obj, "sort_key", "") or str(obj),
                )
        except IntegrityError as exc:
            raise ServiceError(
                _("%(name)s đã có trong hồ sơ với %(award)s.")
                % {"name": obj, "award": rulebook.award_name(award_code)}
            ) from exc
        checklist.sync_components(dossier)
        _changed(dossier)
        audit(actor, "dossier.nominate", dossier, changes={"subject": str(obj), "award": award_code})
    return nomination


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def nomination_remove(*, actor, nomination_id: int) -> None:
    with transaction.atomic():
        nomination = Nomination.objects.select_related("person", "collective").get(pk=nomination_id)
        dossier = _locked(nomination.dossier_id)
        require_perm(actor, "dossiers.prepare", dossier)
        _editable(dossier)
        name = str(nomination.subject)
        # a paper that holds a file stays in the dossier, no longer required, named after whom it was
        # for; its code is made its own so that it never takes the place of the dossier's paper
        for paper in Component.objects.filter(nomination=nomination, files__isnull=False).distinct():
            paper.nomination, paper.required = None, False
            paper.code = f"{paper.code[:28]}~{nomination.pk}"
            paper.name = (_("%(paper)s — %(name)s (đã bỏ khỏi hồ sơ)") % {"paper": paper.name, "name": name})[
                :255
            ]
            paper.save(update_fields=["nomination", "required", "code", "name"])
        nomination.delete()
        checklist.sync_components(dossier)
        _changed(dossier)
        audit(actor, "dossier.unnominate", dossier, changes={"subject": name})


def nomination_justify(*, actor, nomination_id: int, text: str) -> Nomination:
    """A written justification for what the gate lets through with one (the law leaves room)."""
    with transaction.atomic():
        nomination = Nomination.objects.get(pk=nomination_id)
        dossier = _locked(nomination.dossier_id)
        require_perm(actor, "dossiers.prepare", dossier)
        _editable(dossier)
        nomination.justification = _text(text, _("nội dung giải trình")) if text.strip() else ""
        nomination.save(update_fields=["justification"])
        _changed(dossier)
        audit(
            actor,
            "dossier.justify",
            dossier,
            changes={"nomination": nomination.pk, "text": nomination.justification},
        )
    return nomination


def component_upload(*, actor, component_id: int, checked: CheckedFile) -> ComponentFile:
    """A new version of a paper (the earlier ones stay). The unit's papers change only while the unit
    holds the dossier; the ministry's papers only while the ministry prepares the State submission."""

    with transaction.atomic():
        component = Component.objects.select_related("nomination").get(pk=component_id)
        dossier = _locked(component.dossier_id)
        if component.stage == "ministry":
            require_perm(actor, "dossiers.appraise", dossier)
            supplementing = dossier.status == Status.SENT_UP and _returned_up(dossier).exists()
            if dossier.status not in (Status.DECIDED, Status.PREPARED) and not supplementing:
                raise ServiceError(
                    _(
                        "Chỉ sửa giấy tờ của Bộ khi đang lập hồ sơ trình cấp Nhà nước hoặc bổ sung hồ sơ "
                        "cấp trên trả lại."
                    )
                )
        else:
            require_perm(actor, "dossiers.prepare", dossier)
            if dossier.status not in EDITABLE:
                raise ServiceError(
                    _("Hồ sơ đang được cấp trên xử lý (%(s)s): không thay được giấy tờ lúc này.")
                    % {"s": dossier.get_status_display()}
                )
        version = (component.files.aggregate(n=Max("version"))["n"] or 0) + 1
        row = ComponentFile(component=component, version=version)
        row.store(checked, actor=actor)
        component.status, component.return_reason = ComponentStatus.READY, ""
        component.save(update_fields=["status", "return_reason"])
        if component.stage == "unit":
            _changed(dossier)
        audit(
            actor,
            "dossier.paper",
            dossier,
            changes={
                "paper": component.name,
                "version": version,
                "file": checked.name,
                "sha256": checked.sha256,
            },
        )
    return row


# ---------------------------------------------------------------------------------------------- reports


def report_save(
    *, actor, nomination_id: int, sections: dict[str, str], submit: bool = False
) -> AchievementReport:
    """The nominee drafts their own report (or the unit's officer does); submitting sends it to the unit
    head. A confirmed report is changed only by drafting it again (the head confirms again)."""
    with transaction.atomic():
        nomination = Nomination.objects.select_related("person", "dossier__unit").get(pk=nomination_id)
        dossier = _locked(nomination.dossier_id)
        own = (
            nomination.person_id
            and getattr(getattr(actor, "person", None), "pk", None) == nomination.person_id
        )
        if not own:
            require_perm(actor, "dossiers.prepare", dossier)
        _editable(dossier)
        report, _created = AchievementReport.objects.get_or_create(
            nomination=nomination, defaults={"author": actor}
        )
        report.sections = {
            k: clean(v)[:20000] if k != "achievements" else clean_block(v)[:20000]
            for k, v in sections.items()
        }
        report.status = ReportStatus.SUBMITTED if submit else ReportStatus.DRAFT
        report.confirmed_by, report.confirmed_at = None, None
        report.author = report.author or actor
        report.save()
        _changed(dossier)
        audit(
            actor, "dossier.report", dossier, changes={"nomination": nomination.pk, "status": report.status}
        )
        if submit:
            notify(
                users=users_with("dossiers.approve", dossier.unit),
                kind="dossier.report",
                title=_("Báo cáo thành tích chờ xác nhận: %(name)s") % {"name": nomination.subject},
                url=reverse("dossiers:report", args=[nomination.pk]),
            )
    return report


def report_confirm(*, actor, nomination_id: int) -> AchievementReport:
    with transaction.atomic():
        nomination = Nomination.objects.get(pk=nomination_id)
        dossier = _locked(nomination.dossier_id)
        require_perm(actor, "dossiers.approve", dossier)
        report = AchievementReport.objects.select_for_update().filter(nomination=nomination).first()
        if report is None or report.status == ReportStatus.DRAFT:
            raise ServiceError(_("Báo cáo chưa được gửi để xác nhận."))
        if report.status == ReportStatus.CONFIRMED:
            raise ServiceError(_("Báo cáo đã được xác nhận."))
        report.status, report.confirmed_by, report.confirmed_at = (
            ReportStatus.CONFIRMED,
            actor,
            timezone.now(),
        )
        report.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
        audit(actor, "dossier.report_confirm", dossier, changes={"nomination": nomination.pk})
    return report


# ---------------------------------------------------------------------------------------------- the clock


def step_limit(dossier: Dossier, step: str) -> tuple[int | None, str]:
    """Working days allowed for `step` and their article: the forms' own limit for the step (the
    strictest of the dossier's forms), else the regime's default; the simplified procedure has its own."""
    regime = rulebook.regime_for_year(dossier.year)
    if dossier.simplified and step in ("receive", "appraisal", "council", "decision"):
        step = "simplified"
    limits = []
    for code in set(dossier.nominations.values_list("award_code", flat=True)):
        award = regime.awards.get(code)
        for d in award.definition.deadlines if award else ():
            if d.step == step and d.working_days:
                limits.append((d.working_days, d.cite))
    if not limits:
        limits = [
            (d.working_days, d.cite) for d in regime.model.dossier_steps if d.step == step and d.working_days
        ]
    if not limits:
        return None, ""
    days, cite = min(limits)
    return days, rulebook.rulebook_text(cite)


def _holder(dossier: Dossier, status: str) -> tuple[Unit | None, str]:
    if status in HELD_BY_UNIT:
        return dossier.unit, dossier.unit.name
    if status in HELD_ABOVE:
        return None, CENTRAL_BODY if dossier.level == Level.STATE else ""
    ministry = ministry_of(dossier.unit)
    return ministry, ministry.name


def _set_clock(dossier: Dossier, status: str, now: datetime.datetime) -> None:
    dossier.holder, dossier.holder_label = _holder(dossier, status)
    step = STEPS.get(status, "")
    days, cite = step_limit(dossier, step) if step else (None, "")
    dossier.step, dossier.step_since, dossier.step_limit, dossier.step_cite = step, now, days, cite[:500]
    dossier.step_due = calendar.due_date(now, days) if days else None


@dataclass(frozen=True)
class Clock:
    holder: str
    since: datetime.datetime | None
    used: int | None
    limit: int | None
    left: int | None
    due: datetime.date | None
    cite: str

    @property
    def overdue(self) -> bool:
        return self.left is not None and self.left < 0


def clock_of(dossier: Dossier, now: datetime.datetime | None = None) -> Clock:
    now = now or timezone.now()
    used = calendar.workdays_used(dossier.step_since, now) if dossier.step_since else None
    left = dossier.step_limit - used if dossier.step_limit is not None and used is not None else None
    return Clock(
        dossier.holder_label,
        dossier.step_since,
        used,
        dossier.step_limit,
        left,
        dossier.step_due,
        dossier.step_cite,
    )


# ---------------------------------------------------------------------------------------------- the workflow


def transition(
    *, actor, dossier_id: int, action: str, message: str = "", perm: str, dossier: Dossier | None = None
) -> Dossier:
    """The one writer of a dossier's status: checks the right and the move, moves the holder and the
    clock, keeps the transition (who, when, from, to, message) and audits it."""
    with transaction.atomic():
        dossier = dossier if dossier is not None else _locked(dossier_id)
        require_perm(actor, perm, dossier)
        old = dossier.status
        new = next_status(old, action, dossier.level)
        now = timezone.now()
        dossier.status = new
        _set_clock(dossier, new, now)
        dossier.save()
        step = Transition.objects.create(
            dossier=dossier,
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            from_status=old,
            to_status=new,
            message=clean_block(message)[:4000],
            holder_label=dossier.holder_label,
        )
        audit(actor, f"dossier.{action}", dossier, changes={"status": [old, new], "message": step.message})
    return dossier


def dossier_approve(*, actor, dossier_id: int) -> Dossier:
    """The unit head approves the dossier as it is (any later change needs a new approval)."""
    with transaction.atomic():
        dossier = _locked(dossier_id)
        require_perm(actor, "dossiers.approve", dossier)
        _editable(dossier)
        gate = run_gate(dossier)
        if not gate.ok:
            raise ServiceError(
                _("Hồ sơ chưa qua được kiểm tra trước khi gửi: %(n)s điểm cần xử lý.")
                % {"n": len(gate.blocking)}
            )
        dossier.approved_by, dossier.approved_at = actor, timezone.now()
        dossier.save(update_fields=["approved_by", "approved_at", "updated_at"])
        audit(actor, "dossier.approve", dossier)
    return dossier


def dossier_send(*, actor, dossier_id: int, message: str = "") -> Dossier:
    """Send (or send again after a return): the gate must pass and the unit head must have approved the
    dossier as it is. A second click finds it sent and changes nothing."""
    with transaction.atomic():
        dossier = _locked(dossier_id)
        require_perm(actor, "dossiers.prepare", dossier)
        if dossier.status not in EDITABLE:
            raise ServiceError(_("Hồ sơ đã được gửi."))
        gate: GateResult = run_gate(dossier)
        if not gate.ok:
            raise ServiceError(
                _("Chưa gửi được: %(first)s (và %(n)s điểm khác).")
                % {"first": gate.blocking[0].message, "n": len(gate.blocking) - 1}
                if len(gate.blocking) > 1
                else _("Chưa gửi được: %(first)s") % {"first": gate.blocking[0].message}
            )
        if dossier.approved_at is None:
            raise ServiceError(_("Thủ trưởng đơn vị chưa duyệt hồ sơ (hoặc hồ sơ đã sửa sau khi duyệt)."))
        action = Action.RESEND if dossier.status == Status.RETURNED else Action.SEND
        dossier.sent_count += 1
        transition(
            actor=actor,
            dossier_id=dossier.pk,
            action=action,
            message=message,
            perm="dossiers.prepare",
            dossier=dossier,
        )
        ministry = ministry_of(dossier.unit)
        notify(
            users=users_with("dossiers.appraise", ministry),
            kind="dossier.sent",
            title=_("Hồ sơ mới gửi tới: %(title)s") % {"title": dossier.title},
            url=reverse("dossiers:detail", args=[dossier.pk]),
        )
    return dossier


def dossier_receive(*, actor, dossier_id: int) -> Dossier:
    with transaction.atomic():
        dossier = _locked(dossier_id)
        if dossier.status == Status.RESENT:
            return transition(
                actor=actor,
                dossier_id=dossier.pk,
                action=Action.START,
                perm="dossiers.appraise",
                dossier=dossier,
            )
        dossier = transition(
            actor=actor,
            dossier_id=dossier.pk,
            action=Action.RECEIVE,
            perm="dossiers.appraise",
            dossier=dossier,
        )
        return transition(
            actor=actor, dossier_id=dossier.pk, action=Action.START, perm="dossiers.appraise", dossier=dossier
        )


@dataclass(frozen=True)
class Reason:
    text: str
    nomination_id: int | None = None
    component_id: int | None = None


def dossier_return(*, actor, dossier_id: int, reasons: list[Reason], message: str = "") -> Dossier:
    """Back to the unit with reasons, each about the dossier, one nomination or one paper (the paper is
    marked returned and needs a new file)."""
    reasons = [
        Reason(text=clean_block(r.text)[:2000], nomination_id=r.nomination_id, component_id=r.component_id)
        for r in reasons
    ]
    reasons = [r for r in reasons if r.text]
    if not reasons:
        raise ServiceError(_("Cần nêu ít nhất một lý do trả lại hồ sơ."))
    with transaction.atomic():
        dossier = _locked(dossier_id)
        require_perm(actor, "dossiers.appraise", dossier)
        nominations = set(dossier.nominations.values_list("pk", flat=True))
        papers = set(dossier.components.values_list("pk", flat=True))
        for r in reasons:
            if (r.nomination_id and r.nomination_id not in nominations) or (
                r.component_id and r.component_id not in papers
            ):
                raise ServiceError(_("Lý do trả lại gắn với một mục không thuộc hồ sơ này."))
        transition(
            actor=actor,
            dossier_id=dossier.pk,
            action=Action.RETURN,
            message=message or reasons[0].text,
            perm="dossiers.appraise",
            dossier=dossier,
        )
        step = dossier.transitions.order_by("-id").first()
        ReturnReason.objects.bulk_create(
            ReturnReason(
                transition=step,
                nomination_id=r.nomination_id,
                component_id=r.component_id,
                reason=r.text,
            )
            for r in reasons
        )
        for r in reasons:
            if r.component_id:
                Component.objects.filter(pk=r.component_id).update(
                    status=ComponentStatus.RETURNED, return_reason=r.text
                )
            if r.nomination_id:
                Nomination.objects.filter(pk=r.nomination_id).update(
                    appraisal=Appraisal.RETURNED, appraisal_note=r.text
                )
        dossier.approved_at, dossier.approved_by = None, None
        dossier.save(update_fields=["approved_at", "approved_by"])
        notify(
            users=users_with("dossiers.prepare", dossier.unit),
            kind="dossier.returned",
            title=_("Hồ sơ bị trả lại: %(title)s") % {"title": dossier.title},
            url=reverse("dossiers:detail", args=[dossier.pk]),
            body="\n".join(r.text for r in reasons),
        )
    return dossier


def dossier_accept(*, actor, dossier_id: int, rejected: dict[int, str] | None = None) -> Dossier:
    """The appraisal is done: every nomination is found in order, except those `rejected` (id -> the
    reason) which go no further."""
    rejected = rejected or {}
    with transaction.atomic():
        dossier = _locked(dossier_id)
        require_perm(actor, "dossiers.appraise", dossier)
        if dossier.status != Status.APPRAISING:
            raise ServiceError(_("Chỉ chấp nhận hồ sơ đang được thẩm định."))
        if set(rejected) - set(dossier.nominations.values_list("pk", flat=True)):
            raise ServiceError(_("Có đề nghị không thuộc hồ sơ này."))
        for why in rejected.values():
            _text(why, _("lý do không đủ điều kiện"))
        dossier.nominations.exclude(pk__in=rejected).update(appraisal=Appraisal.OK, appraisal_note="")
        for pk, why in rejected.items():
            dossier.nominations.filter(pk=pk).update(
                appraisal=Appraisal.REJECTED, appraisal_note=clean(why), decided=Decided.NOT_APPROVED
            )
        if not dossier.nominations.filter(appraisal=Appraisal.OK).exists():
            raise ServiceError(_("Không còn ai đủ điều kiện: hãy trả lại hồ sơ thay vì chấp nhận."))
        transition(
            actor=actor,
            dossier_id=dossier.pk,
            action=Action.ACCEPT,
            perm="dossiers.appraise",
            dossier=dossier,
        )
    return dossier


def dossier_to_council(
    *,
    actor,
    dossier_id: int,
    council_id: int,
    starts_at: datetime.datetime,
    place: str = "",
    online: bool = False,
):
    """The nominations the ministry's council must vote on go before it (a meeting of the ballot module);
    the others are decided without a vote."""
    from tdkt.councils import services as councils

    with transaction.atomic():
        dossier = _locked(dossier_id)
        require_perm(actor, "dossiers.appraise", dossier)
        if dossier.status != Status.ACCEPTED:
            raise ServiceError(_("Chỉ trình Hội đồng hồ sơ đã được chấp nhận."))
        voting = [
            n
            for n in dossier.nominations.filter(appraisal=Appraisal.OK).select_related("person", "collective")
            if rulebook.needs_council_vote(n.award_code, dossier.year)
        ]
        if not voting:
            raise ServiceError(
                _("Không có đề nghị nào cần Hội đồng cấp bộ bỏ phiếu: ghi nhận kết quả xét trực tiếp.")
            )
        meeting = councils.meeting_create(
            actor=actor,
            council_id=council_id,
            title=dossier.title,
            starts_at=starts_at,
            place=place,
            online=online,
            items=[
                councils.AgendaItem(
                    key=n.ballot_key,
                    label=str(n.subject),
                    person_id=n.person_id,
                    group=rulebook.award_name(n.award_code),
                    order=i,
                )
                for i, n in enumerate(voting)
            ],
        )
        dossier.meeting = meeting
        dossier.save(update_fields=["meeting"])
        transition(
            actor=actor,
            dossier_id=dossier.pk,
            action=Action.TO_COUNCIL,
            perm="dossiers.appraise",
            dossier=dossier,
        )
    return meeting


def record_ballot_results(ballot, results) -> int:
    """Close-listener of the ballots: the ministry council's result of each nomination."""
    by_id = {}
    for r in results:
        prefix, _sep, pk = r.key.partition(":")
        if prefix == "dossiers.nomination" and pk.isdigit():
            by_id[int(pk)] = r
    nominations = list(Nomination.objects.filter(pk__in=list(by_id)))
    for n in nominations:
        r = by_id[n.pk]
        n.council_result = "passed" if r.passed else "failed"
        n.council_votes = f"{r.agree}/{r.base}"
    Nomination.objects.bulk_update(nominations, ["council_result", "council_votes"])
    return len(nominations)


def dossier_decide(*, actor, dossier_id: int, not_approved: dict[int, str] | None = None) -> Dossier:
    """The result of the ministry's consideration per nomination: approved unless the council did not
    pass it or the appraiser records otherwise with a reason. Partial outcomes are normal."""
    not_approved = not_approved or {}
    with transaction.atomic():
        dossier = _locked(dossier_id)
        require_perm(actor, "dossiers.appraise", dossier)
        if dossier.status not in (Status.ACCEPTED, Status.IN_COUNCIL):
            raise ServiceError(_("Chỉ ghi kết quả xét cho hồ sơ đã được chấp nhận."))
        ok = list(dossier.nominations.filter(appraisal=Appraisal.OK))
        waiting = [
            n for n in ok if rulebook.needs_council_vote(n.award_code, dossier.year) and not n.council_result
        ]
        if dossier.status == Status.IN_COUNCIL and waiting:
            raise ServiceError(
                _("Còn %(n)s đề nghị chưa có kết quả bỏ phiếu của Hội đồng.") % {"n": len(waiting)}
            )
        if dossier.status == Status.ACCEPTED and waiting:
            raise ServiceError(_("Có đề nghị cần Hội đồng cấp bộ bỏ phiếu: hãy trình Hội đồng trước."))
        for n in ok:
            if n.pk in not_approved:
                n.decided, n.appraisal_note = Decided.NOT_APPROVED, _text(not_approved[n.pk], _("lý do"))
            elif n.council_result == "failed":
                n.decided = Decided.NOT_APPROVED
            else:
                n.decided = Decided.APPROVED
        Nomination.objects.bulk_update(ok, ["decided", "appraisal_note"])
        transition(
            actor=actor,
            dossier_id=dossier.pk,
            action=Action.DECIDE,
            perm="dossiers.appraise",
            dossier=dossier,
        )
    return dossier


def dossier_draft_decision(*, actor, dossier_id: int):
    """The minister's decision on the approved nominations of a ministry-level dossier (a draft the
    leader issues on the decisions page)."""
    with transaction.atomic():
        dossier = _locked(dossier_id)
        require_perm(actor, "dossiers.appraise", dossier)
        if dossier.level != Level.MINISTRY or dossier.status != Status.DECIDED:
            raise ServiceError(_("Chỉ lập quyết định cho hồ sơ cấp bộ đã có kết quả xét."))
        if dossier.decision_id:
            raise ServiceError(_("Hồ sơ đã có dự thảo quyết định."))
        approved = list(dossier.nominations.filter(decided=Decided.APPROVED))
        if not approved:
            raise ServiceError(_("Không có đề nghị nào được đồng ý khen thưởng."))
        ministry = ministry_of(dossier.unit)
        decision = award_services.decision_draft(
            actor=actor,
            issuer_unit_id=ministry.pk,
            year=dossier.year,
            subject=_("Về việc khen thưởng cho các cá nhân, tập thể thuộc %(unit)s")
            % {"unit": dossier.unit.name},
            movement_id=dossier.movement_id,
            level="ministry",
            lines=[
                award_services.LineSpec(
                    award_code=n.award_code,
                    unit_id=n.unit_id,
                    person_id=n.person_id,
                    collective_id=n.collective_id,
                    first_year=n.first_year,
                    last_year=n.last_year,
                    basis=dossier.kind,
                )
                for n in approved
            ],
        )
        dossier.decision = decision
        dossier.save(update_fields=["decision"])
        lines = {(line.person_id, line.collective_id, line.award_code): line for line in decision.lines.all()}
        for n in approved:
            n.decision_line = lines[(n.person_id, n.collective_id, n.award_code)]
        Nomination.objects.bulk_update(approved, ["decision_line"])
        audit(
            actor,
            "dossier.decision_draft",
            dossier,
            changes={"decision": decision.pk, "lines": len(approved)},
        )
    return decision


def on_decision_issued(decision) -> None:
    """Issue-listener of the decisions: the dossier whose decision it is moves to issued."""
    dossier = Dossier.objects.filter(decision=decision, status=Status.DECIDED).first()
    if dossier is None:
        return
    transition(
        actor=decision.issued_by,
        dossier_id=dossier.pk,
        action=Action.ISSUE,
        perm="dossiers.view",
        message=_("Quyết định %(ref)s") % {"ref": decision.reference},
    )
    notify(
        users=users_with("dossiers.prepare", dossier.unit),
        kind="dossier.issued",
        title=_("Đã có quyết định khen thưởng %(ref)s cho hồ sơ %(title)s")
        % {"ref": decision.reference, "title": dossier.title},
        url=reverse("dossiers:detail", args=[dossier.pk]),
    )


# ---------------------------------------------------------------------------------------------- State level


def dossier_prepare_state(*, actor, dossier_id: int) -> Dossier:
    """The ministry makes the submission to the State of the approved nominations: its own papers (the
    ministry's tờ trình, its council's minutes) join the checklist."""
    with transaction.atomic():
        dossier = _locked(dossier_id)
        require_perm(actor, "dossiers.appraise", dossier)
        if not dossier.nominations.filter(decided=Decided.APPROVED).exists():
            raise ServiceError(_("Không có đề nghị nào được Bộ đồng ý trình cấp Nhà nước."))
        checklist.sync_components(dossier, stage="ministry")
        transition(
            actor=actor,
            dossier_id=dossier.pk,
            action=Action.PREPARE,
            perm="dossiers.appraise",
            dossier=dossier,
        )
    return dossier


def dossier_sign(*, actor, dossier_id: int) -> Dossier:
    """The minister (a leader of the ministry) signs the submission."""
    return transition(actor=actor, dossier_id=dossier_id, action=Action.SIGN, perm="dossiers.sign")


def dossier_send_up(*, actor, dossier_id: int, message: str = "") -> Dossier:
    with transaction.atomic():
        dossier = _locked(dossier_id)
        missing = [
            c.name
            for c in dossier.components.filter(stage="ministry", required=True)
            if c.status != ComponentStatus.READY and not c.generated
        ]
        if missing:
            raise ServiceError(_("Còn thiếu giấy tờ của Bộ: %(names)s.") % {"names": ", ".join(missing)})
        dossier.nominations.filter(decided=Decided.APPROVED).update(state_outcome=StateOutcome.PENDING)
        return transition(
            actor=actor,
            dossier_id=dossier.pk,
            action=Action.SEND_UP,
            message=message,
            perm="dossiers.appraise",
            dossier=dossier,
        )


def _returned_up(dossier: Dossier):
    return dossier.nominations.filter(decided=Decided.APPROVED, state_outcome=StateOutcome.RETURNED)


def dossier_resend_up(*, actor, dossier_id: int, message: str = "") -> Dossier:
    """The central body returned some nominations for supplementing: the ministry supplements them (its
    papers may be replaced meanwhile) and sends them up again, saying what was added. Their outcome is
    pending again and the clock of the central appraisal starts over."""
    message = _text(message, _("nội dung đã bổ sung, số văn bản trình lại"))
    with transaction.atomic():
        dossier = _locked(dossier_id)
        require_perm(actor, "dossiers.appraise", dossier)
        if dossier.status == Status.SENT_UP and not _returned_up(dossier).exists():
            raise ServiceError(_("Không có đề nghị nào bị cấp trên trả lại để trình lại."))
        returned = list(_returned_up(dossier).values_list("pk", flat=True))
        moved = transition(
            actor=actor,
            dossier_id=dossier.pk,
            action=Action.RESEND_UP,
            message=message,
            perm="dossiers.appraise",
            dossier=dossier,
        )
        Nomination.objects.filter(pk__in=returned).update(state_outcome=StateOutcome.PENDING, state_note="")
    return moved


def record_state_outcome(
    *,
    actor,
    nomination_id: int,
    outcome: str,
    decision_number: str = "",
    decided_on: datetime.date | None = None,
    issuer_level: str = "government",
    issuer_name: str = "",
    signer: str = "",
    note: str = "",
) -> Nomination:
    """What the State decided for one nomination (partial outcomes are normal): approved with the
    decision's number and date — the award record is written, source "recorded from above" — returned,
    or not approved. When every nomination has its final outcome the dossier closes."""
    if outcome not in StateOutcome.values or not outcome:
        raise ServiceError(_("Kết quả không hợp lệ."), field="outcome")
    with transaction.atomic():
        nomination = Nomination.objects.select_related("person", "collective").get(pk=nomination_id)
        dossier = _locked(nomination.dossier_id)
        require_perm(actor, "dossiers.appraise", dossier)
        if dossier.status != Status.SENT_UP or nomination.decided != Decided.APPROVED:
            raise ServiceError(_("Chỉ ghi kết quả cho đề nghị đã trình cấp Nhà nước."))
        if nomination.state_outcome == StateOutcome.APPROVED:
            raise ServiceError(_("Đề nghị này đã có quyết định khen thưởng."))
        if outcome == StateOutcome.APPROVED:
            decision_number = clean(decision_number)
            if not decision_number or decided_on is None:
                raise ServiceError(_("Ghi số và ngày của quyết định khen thưởng."), field="decision_number")
            if decided_on > timezone.localdate():
                raise ServiceError(_("Ngày quyết định không thể ở tương lai."), field="decided_on")
            record = org_services.award_records_record(
                actor=actor,
                row={
                    "person_id": nomination.person_id,
                    "collective_id": nomination.collective_id,
                    "unit_id": nomination.unit_id,
                    "award_code": nomination.award_code,
                    "first_year": nomination.first_year,
                    "last_year": nomination.last_year,
                    "basis": dossier.kind,
                },
                decision_number=decision_number,
                decided_on=decided_on,
                signer=clean(signer),
                issuer_level=issuer_level,
                issuer_name=clean(issuer_name) or CENTRAL_BODY,
            )
            nomination.award_record = record
        nomination.state_outcome = outcome
        nomination.state_decision, nomination.state_decided_on = decision_number, decided_on
        nomination.state_note = clean(note)[:500]
        nomination.save()
        audit(
            actor,
            "dossier.state_outcome",
            dossier,
            changes={"nomination": nomination.pk, "outcome": outcome, "decision": decision_number},
        )
        final = (StateOutcome.APPROVED, StateOutcome.NOT_APPROVED)
        if not dossier.nominations.filter(decided=Decided.APPROVED).exclude(state_outcome__in=final).exists():
            transition(
                actor=actor,
                dossier_id=dossier.pk,
                action=Action.CLOSE,
                perm="dossiers.appraise",
                dossier=dossier,
            )
    return nomination


# ---------------------------------------------------------------------------------------------- comments


def comment_add(*, actor, dossier_id: int, text: str, nomination_id: int | None = None) -> Comment:
    text = clean_block(text)
    if not text:
        raise ServiceError(_("Ý kiến không được để trống."), field="text")
    dossier = Dossier.objects.select_related("unit").get(pk=dossier_id)
    require_perm(actor, "dossiers.view", dossier)
    if nomination_id and not dossier.nominations.filter(pk=nomination_id).exists():
        raise ServiceError(_("Không có đề nghị này trong hồ sơ."))
    with transaction.atomic():
        comment = Comment.objects.create(
            dossier=dossier, nomination_id=nomination_id, author=actor, text=text[:4000]
        )
        audit(actor, "dossier.comment", dossier, changes={"nomination": nomination_id})
    return comment


# ---------------------------------------------------------------------------------------------- periodic


def notify_overdue(*, now: datetime.datetime | None = None) -> int:
    """Periodic: the holders of a dossier past its step's limit are told once per step."""
    today = timezone.localdate(now) if now else timezone.localdate()
    sent = 0
    for dossier in (
        Dossier.objects.filter(step_due__lt=today)
        .exclude(status__in=[Status.ISSUED, Status.CLOSED])
        .select_related("unit", "holder")
    ):
        if dossier.holder is None:
            continue
        perm = "dossiers.prepare" if dossier.status in HELD_BY_UNIT else "dossiers.appraise"
        sent += len(
            notify(
                users=users_with(perm, dossier.holder),
                kind="dossier.overdue",
                title=_("Hồ sơ quá hạn: %(title)s (hạn %(due)s)")
                % {"title": dossier.title, "due": dossier.step_due.strftime("%d/%m/%Y")},
                url=reverse("dossiers:detail", args=[dossier.pk]),
                dedupe_key=f"dossier:{dossier.pk}:{dossier.step}:{dossier.step_since:%Y%m%d%H%M%S}",
            )
        )
    return sent
