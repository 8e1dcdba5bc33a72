"""A meeting: its page (agenda, attendance, ballots, results after close), its particulars, attendance,
opening a ballot, the meeting minutes."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.text import is_digits
from tdkt.councils import selectors, services
from tdkt.councils.documents import meeting_minutes
from tdkt.councils.enums import Attendance, BallotStatus
from tdkt.councils.forms import (
    MeetingForm,
    OpenBallotForm,
    moment,
)
from tdkt.councils.views.common import (
    KINDS,
    _council,
    _error,
    _file,
    _form_errors,
    _meeting,
)


@require_http_methods(["GET", "POST"])
@permission_required("councils.manage", object_getter=_council)
def meeting_create(request, pk: int):
    council = request.tdkt_object
    members = selectors.members_of(council.pk)
    form = MeetingForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        items = [
            services.AgendaItem(key=f"councils.manual:{n}", label=label, group=group, order=n)
            for n, (label, group) in enumerate(form.agenda_lines(), start=1)
        ]
        try:
            meeting = services.meeting_create(
                actor=request.user,
                council_id=council.pk,
                title=data["title"],
                starts_at=moment(data["day"], data["time"]),
                place=data["place"],
                online=data["online"],
                items=items,
                chair_id=data["chair"],
                secretary_id=data["secretary"],
            )
        except ServiceError as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("Đã tạo phiên họp."))
            return redirect("councils:meeting_detail", pk=meeting.pk)
    context = {
        "form": form,
        "council": council,
        "breadcrumbs": [
            (_("Hội đồng Thi đua – Khen thưởng"), reverse("councils:council_list")),
            (str(council), reverse("councils:council_detail", args=[council.pk])),
            (_("Phiên họp mới"), None),
        ],
    }
    return render(request, "councils/meeting_form.html", context)


@require_GET
@permission_required("councils.view", object_getter=_meeting)
def meeting_detail(request, pk: int):
    meeting = request.tdkt_object
    page = selectors.meeting_page(meeting)
    can_run = request.user.has_perm("councils.run_meeting", meeting)
    closed = [v.ballot for v in page.ballots if v.ballot.status == BallotStatus.CLOSED]
    busy = {i for v in page.ballots if v.ballot.status == BallotStatus.OPEN for i in v.item_ids}
    voted = {i for v in page.ballots if v.results is not None for i in v.item_ids}
    latest = {}
    for v in page.ballots:
        for r in v.results or ():
            latest[r.item_id] = r
    open_form = None
    if can_run:
        open_form = OpenBallotForm(
            items=page.items,
            closed_ballots=closed,
            initial={"items": [i.pk for i in page.items if i.pk not in busy and i.pk not in voted]},
        )
    context = {
        "meeting": meeting,
        "page": page,
        "can_run": can_run,
        "open_form": open_form,
        "item_rows": [(i, latest.get(i.pk), i.pk in busy) for i in page.items],
        "attendance_choices": Attendance.choices,
        "breadcrumbs": [
            (_("Hội đồng Thi đua – Khen thưởng"), reverse("councils:council_list")),
            (str(meeting.council), reverse("councils:council_detail", args=[meeting.council_id])),
            (meeting.title, None),
        ],
    }
    return render(request, "councils/meeting_detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("councils.run_meeting", object_getter=_meeting)
def meeting_edit(request, pk: int):
    meeting = request.tdkt_object
    members = selectors.members_of(meeting.council_id)
    local = timezone.localtime(meeting.starts_at)
    initial = {
        "title": meeting.title,
        "day": local.date(),
        "time": local.time(),
        "place": meeting.place,
        "online": meeting.online,
        "chair": meeting.chair_id,
        "secretary": meeting.secretary_id,
        "conclusions": meeting.conclusions,
    }
    form = MeetingForm(request.POST or None, initial=initial, members=members, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                actor=request.user,
                meeting_id=meeting.pk,
                title=data["title"],
                starts_at=moment(data["day"], data["time"]),
                place=data["place"],
                online=data["online"],
                chair_id=data["chair"],
                secretary_id=data["secretary"],
                conclusions=data["conclusions"],
            )
        except ServiceError as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("Đã lưu phiên họp."))
            return redirect("councils:meeting_detail", pk=meeting.pk)
    context = {
        "form": form,
        "meeting": meeting,
        "breadcrumbs": [
            (_("Hội đồng Thi đua – Khen thưởng"), reverse("councils:council_list")),
            (meeting.title, reverse("councils:meeting_detail", args=[meeting.pk])),
            (_("Sửa"), None),
        ],
    }
    return render(request, "councils/meeting_form.html", context)


@require_POST
@permission_required("councils.run_meeting", object_getter=_meeting)
def meeting_attendance(request, pk: int):
    meeting = request.tdkt_object
    entries = {}
    for key, status in request.POST.items():
        if key.startswith("status_") and is_digits(key.removeprefix("status_")):
            member_id = int(key.removeprefix("status_"))
            entries[member_id] = (status, request.POST.get(f"reason_{member_id}", ""))
    try:
        changed = services.attendance_set(actor=request.user, meeting_id=meeting.pk, entries=entries)
    except ServiceError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã lưu điểm danh (%(n)s thay đổi).") % {"n": changed})
    return redirect(reverse("councils:meeting_detail", args=[meeting.pk]) + "#attendance")


@require_POST
@permission_required("councils.run_meeting", object_getter=_meeting)
def ballot_open(request, pk: int):
    meeting = request.tdkt_object
    page = selectors.meeting_page(meeting)
    closed = [v.ballot for v in page.ballots if v.ballot.status == BallotStatus.CLOSED]
    form = OpenBallotForm(request.POST, items=page.items, closed_ballots=closed)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(reverse("councils:meeting_detail", args=[meeting.pk]) + "#ballots")
    data = form.cleaned_data
    try:
        ballot = services.ballot_open(
            actor=request.user,
            meeting_id=meeting.pk,
            item_ids=data["items"],
            closes_at=form.closes_at(),
            mode=data["mode"],
            allow_abstain=data["allow_abstain"],
            reason=data["reason"],
            replaces_id=data["replaces"],
        )
    except ServiceError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã mở bỏ phiếu lần %(n)s.") % {"n": ballot.number})
    return redirect(reverse("councils:meeting_detail", args=[meeting.pk]) + "#ballots")


@require_GET
@permission_required("councils.view", object_getter=_meeting)
def meeting_minutes_file(request, pk: int, kind: str):
    if kind not in KINDS:
        raise Http404
    meeting = request.tdkt_object
    try:
        data = meeting_minutes(meeting, kind)
    except ServiceError as exc:
        _error(request, exc)
        return redirect("councils:meeting_detail", pk=meeting.pk)
    return _file(data, kind, f"bien-ban-hop-hoi-dong-{meeting.pk}")
