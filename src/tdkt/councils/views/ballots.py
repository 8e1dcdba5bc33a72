"""Running a ballot: closing it, the counting committee's figures of a paper ballot, the counting minutes."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.councils import selectors, services
from tdkt.councils.documents import counting_minutes
from tdkt.councils.enums import Attendance, BallotMode, BallotStatus, Choice
from tdkt.councils.views.common import (
    KINDS,
    _ballot,
    _error,
    _file,
)


@require_POST
@permission_required("councils.run_meeting", object_getter=_ballot)
def ballot_close(request, pk: int):
    ballot = request.tdkt_object
    try:
        services.ballot_close(actor=request.user, ballot_id=ballot.pk)
    except ServiceError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã đóng phiếu lần %(n)s; kết quả bên dưới.") % {"n": ballot.number})
    return redirect(reverse("councils:meeting_detail", args=[ballot.meeting_id]) + "#ballots")


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
@permission_required("councils.run_meeting", object_getter=_ballot)
def ballot_tallies(request, pk: int):
    """The counting committee's figures of a paper ballot. Figures already entered are not shown back: no
    one reads the counters of a ballot before it closes; entering them again replaces them all."""
    ballot = request.tdkt_object
    if ballot.mode != BallotMode.PAPER:
        raise Http404
    items = list(ballot.items.order_by("order", "id"))
    present = [
        a.member
        for a in selectors.meeting_page(ballot.meeting).attendance
        if a.status == Attendance.PRESENT and a.member.active
    ]
    values = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST" and ballot.status == BallotStatus.OPEN:
        tallies = {}
        bad = []
        for item in items:
            row = [_int(values.get(f"{c}_{item.pk}", "0") or "0") for c in Choice.values]
            if None in row:
                bad.append(item.label)
            tallies[item.pk] = tuple(v or 0 for v in row)
        try:
            if bad:
                raise ServiceError(_("Số phiếu phải là số nguyên: %(items)s.") % {"items": ", ".join(bad)})
            papers = values.get("papers_cast", "").strip()
            if papers and _int(papers) is None:
                raise ServiceError(_("Số phiếu thu vào phải là số nguyên."))
            invalid = _int(values.get("invalid_papers", "0") or "0")
            if invalid is None:
                raise ServiceError(_("Số phiếu không hợp lệ phải là số nguyên."))
            services.ballot_enter_tallies(
                actor=request.user,
                ballot_id=ballot.pk,
                committee=[_int(v) for v in request.POST.getlist("committee") if _int(v) is not None],
                tallies=tallies,
                invalid_papers=invalid,
                papers_cast=_int(papers) if papers else None,
            )
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã lưu kết quả kiểm phiếu. Kiểm tra lại rồi đóng phiếu."))
            return redirect(reverse("councils:meeting_detail", args=[ballot.meeting_id]) + "#ballots")
    rows = [
        {
            "item": item,
            "fields": [
                (c, label, values.get(f"{c}_{item.pk}", 0))
                for c, label in Choice.choices
                if c != Choice.ABSTAIN or ballot.allow_abstain
            ],
        }
        for item in items
    ]
    chosen = (
        {str(v) for v in request.POST.getlist("committee")}
        if request.method == "POST"
        else {str(m.pk) for m in ballot.committee.all()}
    )
    context = {
        "ballot": ballot,
        "rows": rows,
        "present": present,
        "chosen": chosen,
        "papers_cast": values.get(
            "papers_cast", ballot.papers_cast if ballot.papers_cast is not None else ""
        ),
        "invalid_papers": values.get("invalid_papers", ballot.invalid_papers or 0),
        "roll": ballot.voters.count(),
        "error": error,
        "breadcrumbs": [
            (_("Hội đồng Thi đua – Khen thưởng"), reverse("councils:council_list")),
            (ballot.meeting.title, reverse("councils:meeting_detail", args=[ballot.meeting_id])),
            (_("Kết quả kiểm phiếu lần %(n)s") % {"n": ballot.number}, None),
        ],
    }
    return render(request, "councils/ballot_tallies.html", context)


@require_GET
@permission_required("councils.view", object_getter=_ballot)
def counting_minutes_file(request, pk: int, kind: str):
    if kind not in KINDS:
        raise Http404
    ballot = request.tdkt_object
    if ballot.status != BallotStatus.CLOSED:
        messages.error(request, _("Biên bản kiểm phiếu chỉ lập sau khi đóng phiếu."))
        return redirect("councils:meeting_detail", pk=ballot.meeting_id)
    return _file(counting_minutes(ballot, kind), kind, f"bien-ban-kiem-phieu-{ballot.pk}")
