"""Every write of a review round: create, prefill from the engine, change the list (with a reason),
send it to the council, record the council's results, conclude, draft the unit's decision.

A round's list is the engine's verdicts of the unit's subtree for the year, each with its reasons as they
were (a snapshot: the record of why someone was proposed must not change when the data does), plus the
candidates the unit adds and minus those it drops — both with a written reason kept in CandidateChange.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.accounts.rules import require_perm
from tdkt.awards import services as award_services
from tdkt.core import jobs
from tdkt.core.audit import audit
from tdkt.core.errors import ServiceError
from tdkt.core.text import clean
from tdkt.org.enums import TITLE_CODES
from tdkt.org.models import Collective, Person, Unit
from tdkt.reviews import rules_of_review
from tdkt.reviews.enums import ChangeAction, Origin, Outcome, RoundAction, RoundStatus, VoteResult
from tdkt.reviews.models import Candidate, CandidateChange, ReviewRound
from tdkt.reviews.workflow import next_status
from tdkt.rulebook import selectors as rulebook_selectors
from tdkt.rulebook import services as rulebook
from tdkt.rulebook.engine.codes import AWARD_CODES

MIN_REASON = 10  # characters: "ok" is not a reason


def _reason(text: str) -> str:
    text = clean(text)
    if len(text) < MIN_REASON:
        raise ServiceError(
            _("Hãy ghi lý do (ít nhất %(n)s ký tự); lý do được lưu cùng danh sách.") % {"n": MIN_REASON},
            field="reason",
        )
    return text[:2000]


def _locked_round(round_id: int, actor, perm: str = "reviews.manage") -> ReviewRound:
    review = ReviewRound.objects.select_for_update().select_related("unit").filter(pk=round_id).first()
    if review is None:
        raise ServiceError(_("Không có đợt bình xét này."))
    require_perm(actor, perm, review.unit)
    return review


def _editable(review: ReviewRound) -> None:
    if review.status != RoundStatus.PREPARING:
        raise ServiceError(
            _("Danh sách đã gửi Hội đồng; hãy mở lại danh sách trước khi sửa (trạng thái: %(s)s).")
            % {"s": review.get_status_display()}
        )


# ---------------------------------------------------------------------------------------------- rounds


def round_create(
    *,
    actor,
    unit_id: int,
    year: int,
    title: str = "",
    movement_id: int | None = None,
    candidates_due: datetime.date | None = None,
    council_due: datetime.date | None = None,
) -> ReviewRound:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ServiceError(_("Không có đơn vị này."), field="unit")
    require_perm(actor, "reviews.manage", unit)
    year = rulebook.check_year(year)
    if candidates_due and council_due and council_due < candidates_due:
        raise ServiceError(_("Hạn họp Hội đồng phải sau hạn lập danh sách."), field="council_due")
    title = clean(title) or _("Bình xét thi đua, khen thưởng năm %(year)s") % {"year": year}
    try:
        with transaction.atomic():
            review = ReviewRound.objects.create(
                unit=unit,
                year=year,
                title=title[:255],
                movement_id=movement_id,
                candidates_due=candidates_due,
                council_due=council_due,
                created_by=actor,
            )
            audit(actor, "review.create", review, action="create", changes={"year": year, "title": title})
    except IntegrityError as exc:
        raise ServiceError(
            _("Đơn vị đã có đợt bình xét năm %(year)s%(what)s.")
            % {"year": year, "what": _(" cho phong trào này") if movement_id else ""}
        ) from exc
    return review


def round_transition(*, actor, round_id: int, action: str, message: str = "") -> ReviewRound:
    """The one place that writes a round's status (send, reopen, conclude, close are its callers)."""
    review = _locked_round(round_id, actor)
    old = review.status
    review.status = next_status(old, action)
    review.save(update_fields=["status", "updated_at"])
    audit(actor, f"review.{action}", review, changes={"status": [old, review.status], "message": message})
    return review


# ---------------------------------------------------------------------------------------------- prefill


def prefill_request(*, actor, round_id: int):
    """Start filling the list from the engine in the background (a unit subtree can be large)."""
    with transaction.atomic():
        review = _locked_round(round_id, actor)
        _editable(review)
        job = jobs.job_create(
            actor=actor,
            kind="reviews.prefill",
            title=_("Lập danh sách ứng viên: %(t)s") % {"t": review.title},
            params={"round_id": review.pk, "back_url": f"/reviews/{review.pk}/", "back_label": review.title},
            unit=review.unit,
        )

        def enqueue() -> None:
            from tdkt.reviews.tasks import prefill_round

            prefill_round.enqueue(job_id=str(job.pk), round_id=review.pk)

        transaction.on_commit(enqueue)
    return job


def prefill(*, actor, round_id: int, progress=None) -> dict[str, int]:
    """Add every subject of the unit's subtree the engine finds eligible for a title or form of the
    round (the reasons as they are now, kept), and refresh the snapshot of the engine's candidates
    already there. Candidates the unit added or dropped keep their state. Idempotent."""
    review = ReviewRound.objects.select_related("unit").get(pk=round_id)
    require_perm(actor, "reviews.manage", review.unit)
    _editable(review)
    codes = set(rules_of_review.round_award_codes(review))
    overrides = rulebook.agency_overrides()
    found: dict[tuple[str, int, str], tuple] = {}
    done = 0
    for chunk in rulebook.evaluate_subtree(review.year, unit=review.unit, overrides=overrides):
        for row, verdicts in chunk:
            for code, verdict in verdicts.items():
                if code in codes and verdict.verdict == "eligible":
                    found[(row.kind, row.id, code)] = (row, verdict)
        done += len(chunk)
        if progress:
            progress(done, done + 1, _("Đang xét tiêu chuẩn"))
    vote_codes = rules_of_review.vote_awards(review.year)
    with transaction.atomic():
        review = _locked_round(round_id, actor)
        _editable(review)
        existing = {
            ("individual" if c.person_id else "collective", c.person_id or c.collective_id, c.award_code): c
            for c in review.candidates.all()
        }
        sort_keys = dict(
            Person.objects.filter(pk__in=[k[1] for k in found if k[0] == "individual"]).values_list(
                "pk", "sort_key"
            )
        )
        new: list[Candidate] = []
        refreshed: list[Candidate] = []
        for key, (row, verdict) in found.items():
            snapshot = _snapshot(verdict)
            candidate = existing.get(key)
            if candidate is None:
                new.append(
                    Candidate(
                        round=review,
                        person_id=row.id if row.kind == "individual" else None,
                        collective_id=row.id if row.kind == "collective" else None,
                        unit_id=row.unit_id,
                        award_code=key[2],
                        origin=Origin.ENGINE,
                        needs_vote=key[2] in vote_codes,
                        vote_result=VoteResult.WAITING if key[2] in vote_codes else VoteResult.NONE,
                        sort_key=sort_keys.get(row.id, row.name) if row.kind == "individual" else row.name,
                        **snapshot,
                    )
                )
            elif candidate.origin == Origin.ENGINE:
                for field, value in snapshot.items():
                    setattr(candidate, field, value)
                refreshed.append(candidate)
        # engine candidates no longer eligible keep their place, with the new verdict shown
        for key, candidate in existing.items():
            if candidate.origin == Origin.ENGINE and key not in found:
                candidate.verdict, candidate.failing = (
                    "changed",
                    _("Không còn đủ tiêu chuẩn theo dữ liệu mới"),
                )
                refreshed.append(candidate)
        Candidate.objects.bulk_create(new, batch_size=500)
        Candidate.objects.bulk_update(refreshed, ["verdict", "regime", "reasons", "failing"], batch_size=500)
        counts = {"added": len(new), "refreshed": len(refreshed), "total": review.candidates.count()}
        audit(actor, "review.prefill", review, changes=counts)
    return counts


def _snapshot(verdict) -> dict:
    explained = rulebook_selectors.explain(verdict)
    return {
        "verdict": verdict.verdict,
        "regime": verdict.regime,
        "reasons": _plain(explained),
        "failing": rulebook.failing_text(verdict),
    }


def _plain(value):
    """JSON-safe copy (lazy translations become text in the active language)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


# ---------------------------------------------------------------------------------------------- the list


@dataclass(frozen=True)
class Subject:
    person_id: int | None = None
    collective_id: int | None = None


def candidate_add(*, actor, round_id: int, subject: Subject, award_code: str, reason: str) -> Candidate:
    """Add someone the engine did not list (or a title it did not list them for), with a reason. Their
    verdict now is computed and kept beside the reason, so the record shows both."""
    reason = _reason(reason)
    if award_code not in AWARD_CODES:
        raise ServiceError(_("Danh hiệu, hình thức không hợp lệ."), field="award_code")
    with transaction.atomic():
        review = _locked_round(round_id, actor)
        _editable(review)
        if subject.person_id:
            obj = Person.objects.select_related("current_unit").filter(pk=subject.person_id).first()
            unit = obj.current_unit if obj else None
            kind = "individual"
        else:
            obj = Collective.objects.select_related("unit").filter(pk=subject.collective_id).first()
            unit = obj.unit if obj else None
            kind = "collective"
        if obj is None or not unit.path.startswith(review.unit.path):
            raise ServiceError(_("Chỉ bổ sung được cá nhân, tập thể của đơn vị này."), field="subject")
        candidate = Candidate.objects.filter(
            round=review,
            award_code=award_code,
            person_id=subject.person_id,
            collective_id=subject.collective_id,
        ).first()
        if candidate is not None:
            if candidate.included:
                raise ServiceError(_("%(name)s đã có trong danh sách.") % {"name": obj})
            candidate.included = True
            candidate.save(update_fields=["included"])
            CandidateChange.objects.create(
                candidate=candidate, action=ChangeAction.RESTORE, reason=reason, actor=actor
            )
            audit(
                actor, "review.candidate_restore", review, changes={"candidate": str(obj), "reason": reason}
            )
            return candidate
        verdicts = {v.award: v for v in rulebook_selectors.live_verdicts(kind, obj.pk, review.year)}
        verdict = verdicts.get(award_code)
        needs_vote = award_code in rules_of_review.vote_awards(review.year)
        candidate = Candidate.objects.create(
            round=review,
            person_id=subject.person_id,
            collective_id=subject.collective_id,
            unit=unit,
            award_code=award_code,
            origin=Origin.ADDED,
            needs_vote=needs_vote,
            vote_result=VoteResult.WAITING if needs_vote else VoteResult.NONE,
            sort_key=getattr(obj, "sort_key", "") or str(obj),
            **(_snapshot(verdict) if verdict is not None else {"verdict": ""}),
        )
        CandidateChange.objects.create(
            candidate=candidate, action=ChangeAction.ADD, reason=reason, actor=actor
        )
        audit(
            actor,
            "review.candidate_add",
            review,
            changes={"candidate": str(obj), "award": award_code, "reason": reason},
        )
    return candidate


def candidate_drop(*, actor, candidate_id: int, reason: str) -> Candidate:
    reason = _reason(reason)
    with transaction.atomic():
        candidate = Candidate.objects.select_related("person", "collective").get(pk=candidate_id)
        review = _locked_round(candidate.round_id, actor)
        _editable(review)
        if not candidate.included:
            raise ServiceError(_("%(name)s đã được đưa ra khỏi danh sách.") % {"name": candidate.subject})
        candidate.included = False
        candidate.save(update_fields=["included"])
        CandidateChange.objects.create(
            candidate=candidate, action=ChangeAction.DROP, reason=reason, actor=actor
        )
        audit(
            actor,
            "review.candidate_drop",
            review,
            changes={"candidate": str(candidate.subject), "award": candidate.award_code, "reason": reason},
        )
    return candidate


def candidate_restore(*, actor, candidate_id: int, reason: str) -> Candidate:
    candidate = Candidate.objects.select_related("person", "collective").get(pk=candidate_id)
    return candidate_add(
        actor=actor,
        round_id=candidate.round_id,
        subject=Subject(candidate.person_id, candidate.collective_id),
        award_code=candidate.award_code,
        reason=reason,
    )


# ------------------------------------------------------------------------------------- to the council


def round_send(
    *,
    actor,
    round_id: int,
    council_id: int,
    starts_at: datetime.datetime,
    place: str = "",
    online: bool = False,
):
    """Lock the list and put it before the unit's council: a meeting whose agenda is the candidates
    that need a secret ballot. Refused while a cap is exceeded or a registration the rules require is
    missing, naming the rule and its article."""
    from tdkt.councils import services as councils

    with transaction.atomic():
        review = _locked_round(round_id, actor)
        _editable(review)
        included = list(review.candidates.filter(included=True).select_related("person", "collective"))
        if not included:
            raise ServiceError(_("Danh sách chưa có ứng viên nào."))
        problems = rules_of_review.blocking_problems(review, included)
        if problems:
            raise ServiceError(" ".join(p.message for p in problems))
        items = [
            councils.AgendaItem(
                key=c.ballot_key,
                label=str(c.subject),
                person_id=c.person_id,
                group=rulebook.award_name(c.award_code),
                order=i,
            )
            for i, c in enumerate(sorted((c for c in included if c.needs_vote), key=_agenda_order))
        ]
        meeting = councils.meeting_create(
            actor=actor,
            council_id=council_id,
            title=review.title,
            starts_at=starts_at,
            place=place,
            online=online,
            items=items,
        )
        review.meeting = meeting
        review.save(update_fields=["meeting", "updated_at"])
        round_transition(actor=actor, round_id=review.pk, action=RoundAction.SEND)
    return meeting


def _agenda_order(c: Candidate):
    return (
        AWARD_CODES.index(c.award_code) if c.award_code in AWARD_CODES else 99,
        c.collective_id or 0,
        c.sort_key,
    )


def round_reopen(*, actor, round_id: int, reason: str) -> ReviewRound:
    """Back to preparing, before any ballot has closed; the meeting stays as it was, and sending the list
    again puts it before a new meeting."""
    reason = _reason(reason)
    review = ReviewRound.objects.get(pk=round_id)
    if review.candidates.filter(vote_result__in=[VoteResult.PASSED, VoteResult.FAILED]).exists():
        raise ServiceError(_("Hội đồng đã có kết quả bỏ phiếu; không mở lại danh sách được."))
    return round_transition(actor=actor, round_id=round_id, action=RoundAction.REOPEN, message=reason)


def record_ballot_results(ballot, results) -> int:
    """Close-listener of the council's ballots: each result whose key is one of our candidates sets
    that candidate's result (a later ballot — a re-vote — overrides an earlier one)."""
    by_id: dict[int, object] = {}
    for r in results:
        prefix, _sep, pk = r.key.partition(":")
        if prefix == "reviews.candidate" and pk.isdigit():
            by_id[int(pk)] = r
    candidates = list(Candidate.objects.filter(pk__in=list(by_id)))
    for c in candidates:
        r = by_id[c.pk]
        c.vote_result = VoteResult.PASSED if r.passed else VoteResult.FAILED
        c.votes_agree, c.votes_base = r.agree, r.base
    Candidate.objects.bulk_update(candidates, ["vote_result", "votes_agree", "votes_base"], batch_size=500)
    return len(candidates)


def round_conclude(*, actor, round_id: int) -> ReviewRound:
    """Every candidate's outcome: recognised by the unit head (within the unit's authority), proposed
    upward, or not awarded (dropped, or not passed by the council)."""
    with transaction.atomic():
        review = _locked_round(round_id, actor)
        candidates = list(review.candidates.all())
        waiting = [
            c for c in candidates if c.included and c.needs_vote and c.vote_result == VoteResult.WAITING
        ]
        if waiting:
            raise ServiceError(
                _("Còn %(n)s ứng viên chưa có kết quả bỏ phiếu của Hội đồng.") % {"n": len(waiting)}
            )
        for c in candidates:
            if not c.included or c.vote_result == VoteResult.FAILED:
                c.outcome = Outcome.NOT_AWARDED
            elif rulebook.unit_may_decide(c.award_code, review.year):
                c.outcome = Outcome.DECIDE_HERE
            else:
                c.outcome = Outcome.PROPOSE
        Candidate.objects.bulk_update(candidates, ["outcome"], batch_size=500)
        round_transition(actor=actor, round_id=review.pk, action=RoundAction.CONCLUDE)
    return review


def round_draft_decision(*, actor, round_id: int):
    """The unit head's decision recognising the candidates within the unit's authority (a draft)."""
    with transaction.atomic():
        review = _locked_round(round_id, actor)
        if review.status != RoundStatus.CONCLUDED:
            raise ServiceError(_("Hãy ghi nhận kết quả bình xét trước khi lập quyết định."))
        if review.decision_id:
            raise ServiceError(_("Đợt bình xét đã có dự thảo quyết định."))
        chosen = list(
            review.candidates.filter(outcome=Outcome.DECIDE_HERE).order_by(*Candidate._meta.ordering)
        )
        if not chosen:
            raise ServiceError(_("Không có ứng viên nào thuộc thẩm quyền quyết định của đơn vị."))
        titles = any(c.award_code in TITLE_CODES for c in chosen)
        forms = any(c.award_code not in TITLE_CODES for c in chosen)
        if titles and forms:
            subject = _("Về việc công nhận danh hiệu thi đua và tặng Giấy khen năm %(y)s")
        elif titles:
            subject = _("Về việc công nhận danh hiệu thi đua năm %(y)s")
        else:
            subject = _("Về việc tặng Giấy khen năm %(y)s")
        decision = award_services.decision_draft(
            actor=actor,
            issuer_unit_id=review.unit_id,
            year=review.year,
            movement_id=review.movement_id,
            subject=subject % {"y": review.year},
            lines=[
                award_services.LineSpec(
                    award_code=c.award_code,
                    unit_id=c.unit_id,
                    person_id=c.person_id,
                    collective_id=c.collective_id,
                    basis="chuyen_de" if review.movement_id else "cong_trang",
                    ground=ground_of(c),
                )
                for c in chosen
            ],
        )
        review.decision = decision
        review.save(update_fields=["decision", "updated_at"])
        lines = {(line.person_id, line.collective_id, line.award_code): line for line in decision.lines.all()}
        for c in chosen:
            c.decision_line = lines[(c.person_id, c.collective_id, c.award_code)]
        Candidate.objects.bulk_update(chosen, ["decision_line"], batch_size=500)
    return decision


def ground_of(candidate: Candidate) -> str:
    """What a Chiến sĩ thi đua cơ sở rests on, from the routes its kept reasons show met: an excellent
    rating when that route is met (the year's initiative then stays available for a Bằng khen, as the
    Ministry of Home Affairs answered), else the initiative."""
    if candidate.award_code != "cstd_co_so":
        return ""
    met = [r.get("id", "") for r in (candidate.reasons or {}).get("routes", []) if r.get("status") == "met"]
    if any(rid.endswith("htxs") for rid in met):
        return "htxs"
    if any("sang_kien" in rid or "initiative" in rid for rid in met):
        return "initiative"
    return ""


def on_decision_issued(decision) -> None:
    """Issue-listener of decisions: the candidates of its lines are awarded; a round whose decision it is
    ends (what is proposed upward goes on as dossiers)."""
    Candidate.objects.filter(decision_line__decision=decision).update(outcome=Outcome.AWARDED)
    review = ReviewRound.objects.filter(decision=decision, status=RoundStatus.CONCLUDED).first()
    if review is not None:
        old = review.status
        review.status = next_status(old, RoundAction.CLOSE)
        review.save(update_fields=["status", "updated_at"])
        audit(decision.issued_by, "review.close", review, changes={"status": [old, review.status]})


def deadline_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind the officers of rounds whose candidate list is due within three days (once per round)."""
    from tdkt.accounts.selectors import users_with
    from tdkt.core.notifications import notify

    today = (now or timezone.now()).date()
    soon = ReviewRound.objects.filter(
        status=RoundStatus.PREPARING,
        candidates_due__gte=today,
        candidates_due__lte=today + datetime.timedelta(3),
    ).select_related("unit")
    sent = 0
    for review in soon:
        officers = users_with("reviews.manage", review.unit)
        sent += len(
            notify(
                users=officers,
                kind="review.deadline",
                title=_("Sắp đến hạn lập danh sách bình xét: %(t)s (hạn %(d)s)")
                % {"t": review.title, "d": review.candidates_due.strftime("%d/%m/%Y")},
                url=f"/reviews/{review.pk}/",
                dedupe_key=f"review:{review.pk}:due",
            )
        )
    return sent
