"""Every write of the decisions: draft (from a review's results, or by hand), number and sign, issue.

Issuing writes the award records of every line in the same transaction as the status change: all of
them or none, and the next eligibility check sees them (they are org.AwardRecord rows, source "issued").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.accounts.rules import require_perm
from tdkt.awards.enums import DecisionAction, DecisionStatus
from tdkt.awards.models import Decision, DecisionLine
from tdkt.awards.workflow import next_status
from tdkt.core.audit import audit
from tdkt.core.errors import ServiceError
from tdkt.core.text import clean, clean_block, is_digits
from tdkt.org import services as org_services
from tdkt.org.enums import IssuerLevel
from tdkt.org.models import AwardRecord, Unit
from tdkt.rulebook.services import award_name, may_decide


@dataclass(frozen=True)
class LineSpec:
    award_code: str
    unit_id: int
    person_id: int | None = None
    collective_id: int | None = None
    first_year: int | None = None
    last_year: int | None = None
    basis: str = "cong_trang"
    ground: str = ""  # what a Chiến sĩ thi đua cơ sở rests on: "htxs" or "initiative"


def decision_draft(
    *,
    actor,
    issuer_unit_id: int,
    year: int,
    subject: str,
    lines: list[LineSpec],
    movement_id: int | None = None,
    level: str = IssuerLevel.UNIT,
) -> Decision:
    """A draft decision of the unit's head (or, `level` ministry, of the minister) for the titles and
    forms within that authority (rulebook.services.may_decide)."""
    if not lines:
        raise ServiceError(_("Quyết định cần ít nhất một người hoặc tập thể được khen thưởng."))
    unit = Unit.objects.get(pk=issuer_unit_id)
    require_perm(actor, "awards.draft_decision", unit)
    beyond = sorted({spec.award_code for spec in lines if not may_decide(level, spec.award_code, year)})
    if beyond:
        raise ServiceError(
            _(
                "%(awards)s vượt thẩm quyền quyết định của %(who)s; hãy lập hồ sơ đề nghị cấp trên khen "
                "thưởng."
            )
            % {
                "awards": ", ".join(award_name(c) for c in beyond),
                "who": _("thủ trưởng đơn vị") if level == IssuerLevel.UNIT else _("Bộ trưởng"),
            }
        )
    with transaction.atomic():
        decision = Decision.objects.create(
            issuer_unit=unit,
            level=level,
            year=year,
            subject=clean(subject)[:255],
            movement_id=movement_id,
            drafted_by=actor,
        )
        DecisionLine.objects.bulk_create(
            DecisionLine(
                decision=decision,
                person_id=spec.person_id,
                collective_id=spec.collective_id,
                unit_id=spec.unit_id,
                award_code=spec.award_code,
                first_year=spec.first_year or year,
                last_year=spec.last_year or year,
                basis=spec.basis,
                ground=spec.ground,
                order=i,
            )
            for i, spec in enumerate(lines)
        )
        audit(actor, "decision.draft", decision, action="create", changes={"lines": len(lines), "year": year})
    return decision


def _check_header(number: str, symbol: str, decided_on, signer_name: str) -> tuple[str, str, str]:
    number, symbol, signer_name = clean(number), clean(symbol).upper(), clean(signer_name)
    if not number:
        raise ServiceError(_("Hãy ghi số quyết định."), field="number")
    if not is_digits(number) or len(number) > 9:
        raise ServiceError(_("Số quyết định chỉ gồm chữ số, ví dụ 15."), field="number")
    if not symbol:
        raise ServiceError(_("Hãy ghi ký hiệu quyết định, ví dụ QĐ-VPB."), field="symbol")
    if decided_on is None:
        raise ServiceError(_("Hãy ghi ngày ký quyết định."), field="decided_on")
    if decided_on > timezone.localdate():
        raise ServiceError(_("Ngày ký không thể ở tương lai."), field="decided_on")
    if not signer_name:
        raise ServiceError(_("Hãy ghi họ tên người ký."), field="signer_name")
    return number, symbol, signer_name


def decision_issue(
    *,
    actor,
    decision_id: int,
    number: str,
    symbol: str,
    decided_on: datetime.date,
    signer_name: str,
    signer_title: str = "",
) -> Decision:
    """The head's signed decision: number, date and signer recorded, every line's award record written.
    A decision is issued once; a second request (double click, second tab) is refused and writes
    nothing."""
    number, symbol, signer_name = _check_header(number, symbol, decided_on, signer_name)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().select_related("issuer_unit").get(pk=decision_id)
        require_perm(actor, "awards.issue_decision", decision.issuer_unit)
        old = decision.status
        decision.status = next_status(old, DecisionAction.ISSUE)
        if decided_on.year < decision.year:
            raise ServiceError(
                _("Ngày ký %(d)s trước năm thành tích %(y)s.")
                % {"d": decided_on.strftime("%d/%m/%Y"), "y": decision.year},
                field="decided_on",
            )
        reference = f"{number}/{symbol}"
        if (
            Decision.objects.filter(
                issuer_unit=decision.issuer_unit, status=DecisionStatus.ISSUED, number=number, symbol=symbol,
                decided_on__year=decided_on.year,
            )
            .exclude(pk=decision.pk)
            .exists()
        ):  # fmt: skip
            raise ServiceError(
                _("Đơn vị đã có quyết định số %(ref)s trong năm %(y)s.")
                % {"ref": reference, "y": decided_on.year},
                field="number",
            )
        lines = list(decision.lines.select_related("person", "collective"))
        _refuse_already_awarded(lines)
        decision.number, decision.symbol, decision.decided_on = number, symbol, decided_on
        decision.signer_name, decision.signer_title = signer_name, clean(signer_title)
        decision.issued_by, decision.issued_at = actor, timezone.now()
        decision.save()
        records = org_services.award_records_issue(
            actor=actor,
            rows=[
                {
                    "person_id": line.person_id,
                    "collective_id": line.collective_id,
                    "unit_id": line.unit_id,
                    "award_code": line.award_code,
                    "first_year": line.first_year,
                    "last_year": line.last_year,
                    "basis": line.basis,
                    "ground": line.ground,
                }
                for line in lines
            ],
            decision_number=reference,
            decided_on=decided_on,
            signer=signer_name,
            issuer_level=decision.level,
            issuer_name=decision.issuer_unit.name,
        )
        for line, record in zip(lines, records, strict=True):
            line.award_record = record
        DecisionLine.objects.bulk_update(lines, ["award_record"], batch_size=500)
        audit(
            actor,
            "decision.issue",
            decision,
            changes={"status": [old, decision.status], "number": reference, "lines": len(lines)},
        )
        _after_issue(decision)  # inside the transaction: what the listeners write stands or falls with it
    return decision


def _refuse_already_awarded(lines: list[DecisionLine]) -> None:
    """The same title for the same year cannot be recognised twice (by this system or an import)."""
    people = {line.person_id for line in lines if line.person_id}
    collectives = {line.collective_id for line in lines if line.collective_id}
    held = AwardRecord.objects.in_force().filter(
        award_code__in={line.award_code for line in lines},
        last_year__in={line.last_year for line in lines},
    )
    held = held.filter(person_id__in=people) | held.filter(collective_id__in=collectives)
    taken = {(r.person_id, r.collective_id, r.award_code, r.last_year): r for r in held}
    clashes = [
        line
        for line in lines
        if (line.person_id, line.collective_id, line.award_code, line.last_year) in taken
    ]
    if clashes:
        names = ", ".join(
            _("%(name)s (%(award)s năm %(year)s, QĐ %(ref)s)")
            % {
                "name": line.person or line.collective,
                "award": award_name(line.award_code),
                "year": line.last_year,
                "ref": taken[
                    (line.person_id, line.collective_id, line.award_code, line.last_year)
                ].decision_number,
            }
            for line in clashes[:5]
        )
        raise ServiceError(_("Đã được khen thưởng trước đó: %(names)s.") % {"names": names})


_ISSUE_LISTENERS: list = []


def register_issue_listener(fn) -> None:
    """`fn(decision)` runs when a decision is issued, in its transaction: the review marks its candidates."""
    if fn not in _ISSUE_LISTENERS:
        _ISSUE_LISTENERS.append(fn)


def _after_issue(decision: Decision) -> None:
    for fn in _ISSUE_LISTENERS:
        fn(decision)


# --- revocation -----------------------------------------------------------------------------------

REVOKE_REASON_MAX = 2000


def _check_revocation(decision_number: str, on: datetime.date | None, reason: str) -> tuple[str, str]:
    number, reason = clean(decision_number), clean_block(reason)
    if not number:
        raise ServiceError(_("Hãy ghi số quyết định huỷ bỏ, ví dụ 25/QĐ-BTN."), field="decision_number")
    if len(number) > AwardRecord._meta.get_field("revoked_decision").max_length:
        raise ServiceError(_("Số quyết định huỷ bỏ dài quá 60 ký tự."), field="decision_number")
    if on is None:
        raise ServiceError(_("Hãy ghi ngày của quyết định huỷ bỏ."), field="on")
    if on > timezone.localdate():
        raise ServiceError(_("Ngày quyết định huỷ bỏ không thể ở tương lai."), field="on")
    if not reason:
        raise ServiceError(_("Hãy ghi lý do huỷ bỏ, thu hồi khen thưởng."), field="reason")
    if len(reason) > REVOKE_REASON_MAX:
        raise ServiceError(
            _("Lý do dài quá %(n)d ký tự, hãy rút gọn.") % {"n": REVOKE_REASON_MAX}, field="reason"
        )
    return number, reason


def award_revoke(
    *, actor, award_id: int, decision_number: str, on: datetime.date, reason: str
) -> AwardRecord:
    """Record the decision that revokes an award (huỷ bỏ, thu hồi). The record is kept, marked revoked,
    and stops counting toward eligibility (the rulebook adapter skips it). Revoked once: a second
    request (double click, a second tab) is refused and writes nothing."""
    number, reason = _check_revocation(decision_number, on, reason)
    with transaction.atomic():
        award = AwardRecord.objects.select_for_update().select_related("unit").get(pk=award_id)
        require_perm(actor, "awards.revoke", award)
        if award.revoked:
            raise ServiceError(
                _("Khen thưởng này đã được ghi nhận huỷ bỏ trước đó (quyết định %(number)s ngày %(on)s).")
                % {
                    "number": award.revoked_decision or "—",
                    "on": award.revoked_on.strftime("%d/%m/%Y") if award.revoked_on else "—",
                }
            )
        if on < award.decided_on:
            raise ServiceError(
                _("Ngày huỷ bỏ %(on)s trước ngày quyết định khen thưởng %(d)s.")
                % {"on": on.strftime("%d/%m/%Y"), "d": award.decided_on.strftime("%d/%m/%Y")},
                field="on",
            )
        award.revoked, award.revoked_decision, award.revoked_on = True, number, on
        award.revoked_reason, award.revoked_by = reason, actor
        award.save(
            update_fields=[
                "revoked", "revoked_decision", "revoked_on", "revoked_reason", "revoked_by", "updated_at",
            ]
        )  # fmt: skip
        audit(
            actor,
            "award.revoke",
            award,
            changes={
                "revoked": [False, True],
                "revoked_decision": number,
                "revoked_on": on.isoformat(),
                "revoked_reason": reason,
            },
        )
    return award
