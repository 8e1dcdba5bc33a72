"""Contexts of the council's minutes, built from what happened: the meeting minutes (biên bản họp Hội
đồng) and the vote-counting minutes of a ballot (biên bản kiểm phiếu). Rendered by tdkt.core.documents
(Word: councils/bien_ban_hop.docx, councils/bien_ban_kiem_phieu.docx; PDF: the HTML twins)."""

from __future__ import annotations

from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tdkt.core.documents import dmy, join_vi, render_docx, render_pdf
from tdkt.core.errors import ServiceError
from tdkt.councils.enums import Attendance, BallotMode, BallotStatus
from tdkt.councils.models import Ballot, Meeting
from tdkt.councils.selectors import ItemResult, VoteRule, meeting_page
from tdkt.org.models import Unit

ISSUER = "Hội đồng Thi đua – Khen thưởng"
SYMBOL = "BB-HĐTĐKT"
RECIPIENTS = ["Thành viên Hội đồng;", "Lưu: VT, TĐKT."]


def _place(unit: Unit) -> str:
    """The province of the unit's seat: the unit's own, else its nearest ancestor's."""
    if unit.province:
        return unit.province
    ancestors = {u.pk: u.province for u in Unit.objects.filter(pk__in=unit.ancestor_ids()).only("province")}
    for pk in reversed(unit.ancestor_ids()):
        if ancestors.get(pk):
            return ancestors[pk]
    return ""


def _clock(moment) -> str:
    local = timezone.localtime(moment)
    return _("%(h)s giờ %(m)s, ngày %(d)s") % {"h": f"{local:%H}", "m": f"{local:%M}", "d": dmy(local)}


def _moment(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y") if moment else ""


def _who(member) -> str:
    if member is None:
        return _("(chưa phân công)")
    return f"{member.person} — {member.get_role_display()}"


def _verdict(r: ItemResult) -> str:
    return _("Đạt") if r.passed else _("Không đạt")


def result_line(n: int, r: ItemResult) -> str:
    group = f" ({r.group})" if r.group else ""
    recused = _("; người được xét là thành viên, không bỏ phiếu cho chính mình") if r.recused else ""
    return _(
        "%(n)s. %(label)s%(group)s: %(agree)s/%(base)s phiếu đồng ý (%(pct)s), %(disagree)s không đồng ý, "
        "%(abstain)s không có ý kiến; cần %(needed)s phiếu đồng ý%(recused)s — %(verdict)s."
    ) % {
        "n": n,
        "label": r.label,
        "group": group,
        "agree": r.agree,
        "base": r.base,
        "pct": r.agree_percent,
        "disagree": r.disagree,
        "abstain": r.abstain,
        "needed": r.needed,
        "recused": recused,
        "verdict": _verdict(r),
    }


def _result_rows(results: list[ItemResult]) -> list[dict[str, Any]]:
    return [
        {
            "n": i,
            "label": r.label,
            "group": r.group,
            "agree": r.agree,
            "agree_percent": r.agree_percent,
            "disagree": r.disagree,
            "disagree_percent": r.disagree_percent,
            "abstain": r.abstain,
            "abstain_percent": r.abstain_percent,
            "base": r.base,
            "needed": r.needed,
            "verdict": _verdict(r),
            "line": result_line(i, r),
        }
        for i, r in enumerate(results, start=1)
    ]


def _signer(title: str, member) -> dict[str, str]:
    return {"title": title, "name": str(member.person) if member else ""}


def _base(meeting: Meeting) -> dict[str, Any]:
    unit = meeting.council.unit
    return {
        "issuer": {"parent": unit.name, "name": ISSUER},
        "number": None,
        "symbol": SYMBOL,
        "place": _place(unit),
        "day": timezone.localtime(meeting.starts_at).date(),
        "doc_type": "Biên bản",
        "recipients": RECIPIENTS,
        "council": meeting.council.name,
        "meeting_title": meeting.title,
        "time_text": _clock(meeting.starts_at),
        "where_label": _("Hình thức") if meeting.online else _("Địa điểm"),
        "where_text": (
            (_("họp trực tuyến") + (f" ({meeting.place})" if meeting.place else ""))
            if meeting.online
            else meeting.place
        ),
        "chair_text": _who(meeting.chair),
        "secretary_text": _who(meeting.secretary),
    }


# ---------------------------------------------------------------------------------------------- meeting


def meeting_minutes_context(meeting: Meeting) -> dict[str, Any]:
    """The meeting's minutes: time, place, chair, secretary, members present and absent (with reasons),
    the quorum, the agenda, each item's latest result against the threshold with its basis and article,
    and the conclusions. Only closed ballots have results in it."""
    page = meeting_page(meeting)
    active = [a for a in page.attendance if a.member.active]
    present = [a for a in active if a.status == Attendance.PRESENT]
    absent = [a for a in active if a.status == Attendance.ABSENT]
    latest: dict[int, ItemResult] = {}
    ballots_text = []
    rule: VoteRule = page.rule
    for view in page.ballots:
        b = view.ballot
        if view.results is None:
            continue
        rule = VoteRule.from_json(b.rule)
        for r in view.results:
            latest[r.item_id] = r
        mode = b.get_mode_display()
        replaced = (
            _(" (bỏ phiếu lại thay cho lần %(n)s; lý do: %(reason)s)")
            % {"n": b.replaces.number, "reason": b.reason}
            if b.replaces_id
            else ""
        )
        ballots_text.append(
            _("Lần %(n)s — %(mode)s%(replaced)s: %(voted)s/%(roll)s thành viên có mặt đã bỏ phiếu.")
            % {"n": b.number, "mode": mode, "replaced": replaced, "voted": view.voted, "roll": view.roll}
        )
    results = [latest[i.pk] for i in page.items if i.pk in latest]
    passed = [r.label for r in results if r.passed]
    failed = [r.label for r in results if not r.passed]
    conclusions = [p.strip() for p in meeting.conclusions.splitlines() if p.strip()]
    if not conclusions and results:
        if passed:
            conclusions.append(
                _("Các trường hợp đạt tỷ lệ phiếu đồng ý theo quy định: %(names)s.")
                % {"names": join_vi(passed)}
            )
        if failed:
            conclusions.append(
                _("Các trường hợp không đạt tỷ lệ phiếu đồng ý: %(names)s.") % {"names": join_vi(failed)}
            )
    context = _base(meeting)
    context.update(
        {
            "subject": _("Họp Hội đồng Thi đua – Khen thưởng: %(title)s") % {"title": meeting.title},
            "members_total": len(active),
            "voting_total": page.voting_total,
            "present_count": len(present),
            "absent_count": len(absent),
            "present": [_who(a.member) for a in present],
            "absent": [
                _("%(who)s, lý do: %(reason)s") % {"who": _who(a.member), "reason": a.reason} for a in absent
            ],
            "quorum_text": _("%(rule)s. Có mặt %(present)s/%(total)s thành viên có quyền biểu quyết.")
            % {"rule": rule.describe_quorum, "present": page.present_voting, "total": page.voting_total},
            "rule_text": rule.describe,
            "agenda": [
                f"{n}. {i.label}" + (f" ({i.group})" if i.group else "") for n, i in enumerate(page.items, 1)
            ],
            "items_count": len(page.items),
            "ballots": ballots_text,
            "results": _result_rows(results),
            "no_results": _("Chưa có kết quả bỏ phiếu (chưa đóng phiếu).") if not results else "",
            "conclusions": conclusions or [_("(Thư ký ghi kết luận của phiên họp.)")],
            "signers": [_signer("Thư ký", meeting.secretary), _signer("Chủ tọa", meeting.chair)],
            "table": (
                {
                    "title": _("Kết quả bỏ phiếu kín"),
                    "note": _("(Kèm theo Biên bản họp Hội đồng Thi đua – Khen thưởng ngày %(day)s)")
                    % {"day": dmy(meeting.starts_at)},
                }
                if results
                else None
            ),
        }
    )
    return context


# ---------------------------------------------------------------------------------------------- counting


def counting_minutes_context(ballot: Ballot) -> dict[str, Any]:
    """The vote-counting minutes of a CLOSED ballot: the committee (paper) or the electronic ballot, the
    members, those present, papers cast, valid and invalid, per item agree / disagree / abstain with
    percentages, and passed or not."""
    from tdkt.councils.selectors import ballot_results

    if ballot.status != BallotStatus.CLOSED:
        raise ServiceError(_("Biên bản kiểm phiếu chỉ lập sau khi đóng phiếu."))
    meeting = ballot.meeting
    rule = VoteRule.from_json(ballot.rule)
    results = ballot_results(ballot)
    roll = ballot.voters.count()
    if ballot.mode == BallotMode.PAPER:
        cast, invalid = ballot.papers_cast or 0, ballot.invalid_papers or 0
        committee = list(ballot.committee.select_related("person").order_by("id"))
        counting = _("Ban kiểm phiếu gồm: %(names)s.") % {"names": join_vi(str(m.person) for m in committee)}
        signers = [
            _signer("Thành viên Ban kiểm phiếu", committee[1] if len(committee) > 1 else None),
            _signer("Trưởng Ban kiểm phiếu", committee[0] if committee else None),
        ]
        mode_text = _("bỏ phiếu kín bằng phiếu giấy tại phòng họp")
    else:
        cast, invalid = ballot.receipts.count(), 0
        counting = _(
            "Bỏ phiếu điện tử trên hệ thống quản lý thi đua, khen thưởng (tdkt): hệ thống chỉ ghi nhận thành "
            "viên đã bỏ phiếu và tổng số phiếu của từng lựa chọn, không lưu lựa chọn của từng người; kết quả "
            "được hệ thống kiểm đếm khi đóng phiếu lúc %(closed)s."
        ) % {"closed": _moment(ballot.closed_at)}
        signers = [_signer("Thư ký", meeting.secretary), _signer("Chủ tọa", meeting.chair)]
        mode_text = _("bỏ phiếu kín điện tử")
    context = _base(meeting)
    context.update(
        {
            "day": timezone.localtime(ballot.closed_at).date() if ballot.closed_at else context["day"],
            "subject": _("Kiểm phiếu bầu kín lần %(n)s — %(title)s")
            % {"n": ballot.number, "title": meeting.title},
            "number_text": str(ballot.number),
            "replaces_text": (
                _("Bỏ phiếu lại thay cho lần %(n)s; lý do: %(reason)s")
                % {"n": ballot.replaces.number, "reason": ballot.reason}
                if ballot.replaces_id
                else ""
            ),
            "mode_text": mode_text,
            "counting_text": counting,
            "window_text": _("từ %(opened)s đến %(closed)s")
            % {"opened": _moment(ballot.opened_at), "closed": _moment(ballot.closed_at)},
            "members_total": ballot.members_total,
            "present_count": roll,
            "issued": roll,
            "cast": cast,
            "valid": cast - invalid,
            "invalid": invalid,
            "rule_text": rule.describe,
            "results": _result_rows(results),
            "passed_count": sum(1 for r in results if r.passed),
            "items_count": len(results),
            "signers": signers,
            "table": {
                "title": _("Kết quả kiểm phiếu"),
                "note": _("(Kèm theo Biên bản kiểm phiếu lần %(n)s ngày %(day)s)")
                % {"n": ballot.number, "day": dmy(ballot.closed_at)},
            },
        }
    )
    return context


# ---------------------------------------------------------------------------------------------- files


# Minutes are official documents in Vietnamese, whatever the language of the user's interface.


def meeting_minutes(meeting: Meeting, kind: str) -> bytes:
    with translation.override("vi"):
        context = meeting_minutes_context(meeting)
        if kind == "docx":
            return render_docx("councils/bien_ban_hop.docx", context)
        return render_pdf("councils/documents/bien_ban_hop.html", context)


def counting_minutes(ballot: Ballot, kind: str) -> bytes:
    with translation.override("vi"):
        context = counting_minutes_context(ballot)
        if kind == "docx":
            return render_docx("councils/bien_ban_kiem_phieu.docx", context)
        return render_pdf("councils/documents/bien_ban_kiem_phieu.html", context)
