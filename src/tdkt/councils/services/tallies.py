"""Paper ballots in the room: the counting committee's figures, checked and stored (not audited until the
close: before it, nobody reads a ballot's counters)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.accounts.rules import require_perm
from tdkt.core.audit import audit
from tdkt.core.enums import AuditAction
from tdkt.core.errors import ServiceError
from tdkt.councils.enums import Attendance, BallotMode, BallotStatus, Choice
from tdkt.councils.models import Ballot, BallotTally
from tdkt.councils.services.ballots import _names


def ballot_enter_tallies(
    *,
    actor,
    ballot_id: int,
    committee: list[int],
    tallies: dict[int, tuple[int, int, int]],
    invalid_papers: int = 0,
    papers_cast: int | None = None,
) -> Ballot:
    """The counting committee's figures of a paper ballot: per item (agree, disagree, abstain), the papers
    handed in (default: one per member on the roll) and the invalid ones. Checked: per item, the votes
    do not exceed the valid papers (less a member recused on the line); the papers do not exceed the
    members present. Entered again while the ballot is open, they replace the previous figures."""
    with transaction.atomic():
        ballot = (
            Ballot.objects.select_for_update(of=("self",))
            .select_related("meeting__council__unit")
            .get(pk=ballot_id)
        )
        require_perm(actor, "councils.run_meeting", ballot.meeting)
        if ballot.mode != BallotMode.PAPER:
            raise ServiceError(_("Chỉ nhập kết quả kiểm phiếu cho lần bỏ phiếu bằng phiếu giấy."))
        if ballot.status != BallotStatus.OPEN:
            raise ServiceError(_("Phiếu bầu đã đóng."))
        ids = sorted({int(c) for c in committee or []})
        present = {
            a.member_id: a.member
            for a in ballot.meeting.attendance.filter(
                status=Attendance.PRESENT, member__active=True
            ).select_related("member__person")
        }
        if not 2 <= len(ids) <= 3 or any(i not in present for i in ids):
            raise ServiceError(
                _("Ban kiểm phiếu gồm 2 đến 3 thành viên Hội đồng có mặt tại phiên họp."), field="committee"
            )
        roll = ballot.voters.count()
        cast = roll if papers_cast is None else papers_cast
        if not isinstance(cast, int) or cast < 0:
            raise ServiceError(_("Số phiếu thu vào không hợp lệ."), field="papers_cast")
        if cast > roll:
            raise ServiceError(
                _("Số phiếu thu vào (%(cast)s) lớn hơn số thành viên có quyền biểu quyết có mặt (%(roll)s).")
                % {"cast": cast, "roll": roll},
                field="papers_cast",
            )
        if not isinstance(invalid_papers, int) or not 0 <= invalid_papers <= cast:
            raise ServiceError(
                _("Số phiếu không hợp lệ phải từ 0 đến số phiếu thu vào (%(cast)s).") % {"cast": cast},
                field="invalid_papers",
            )
        valid = cast - invalid_papers
        items = {i.pk: i for i in ballot.items.all()}
        recused = set(ballot.rule.get("recused_on_roll", []))
        try:
            given = {int(k): v for k, v in (tallies or {}).items()}
        except (TypeError, ValueError):
            raise ServiceError(_("Nội dung không thuộc phiếu bầu này.")) from None
        if set(given) - set(items):
            raise ServiceError(_("Nội dung không thuộc phiếu bầu này."))
        missing = [items[i].label for i in sorted(items, key=lambda i: (items[i].order, i)) if i not in given]
        if missing:
            raise ServiceError(_("Thiếu kết quả của: %(items)s.") % {"items": _names(missing)})
        figures: dict[int, dict[str, int]] = {}
        for item_id, values in given.items():
            label = items[item_id].label
            try:
                agree, disagree, abstain = (int(v) for v in values)
            except (TypeError, ValueError):
                raise ServiceError(_("Số phiếu của “%(label)s” không hợp lệ.") % {"label": label}) from None
            if min(agree, disagree, abstain) < 0:
                raise ServiceError(_("Số phiếu của “%(label)s” không được âm.") % {"label": label})
            if abstain and not ballot.allow_abstain:
                raise ServiceError(
                    _("Lần bỏ phiếu này không có lựa chọn “không có ý kiến” (nội dung “%(label)s”).")
                    % {"label": label}
                )
            limit = valid - (1 if item_id in recused else 0)
            if agree + disagree + abstain > limit:
                raise ServiceError(
                    _("Tổng số phiếu của “%(label)s” (%(sum)s) vượt số phiếu hợp lệ được tính (%(limit)s).")
                    % {"label": label, "sum": agree + disagree + abstain, "limit": max(limit, 0)}
                )
            figures[item_id] = {Choice.AGREE: agree, Choice.DISAGREE: disagree, Choice.ABSTAIN: abstain}
        rows = list(ballot.tallies.all())
        for row in rows:
            row.count = figures[row.item_id][row.choice]
        BallotTally.objects.bulk_update(rows, ["count"])
        ballot.committee.set([present[i] for i in ids])
        ballot.papers_cast, ballot.invalid_papers = cast, invalid_papers
        ballot.tallies_entered_at = timezone.now()
        ballot.save(update_fields=["papers_cast", "invalid_papers", "tallies_entered_at"])
        audit(
            actor,
            "ballot.tallies_enter",
            ballot,
            action=AuditAction.UPDATE,
            unit_id=ballot.meeting.council.unit_id,
            # the figures themselves are audited at close: before it, nobody reads a ballot's counters
            changes={
                "committee": [str(present[i].person) for i in ids],
                "papers_cast": cast,
                "invalid_papers": invalid_papers,
                "items": len(figures),
            },
        )
    return ballot
