"""Screens of proposal dossiers: the list sorted by the days left of each step, a dossier's page (its
clock, nominations, checklist, gate, timeline, comments, and the moves the user may make now), the
nominee's achievement report, the drafted papers, and every move of the workflow.

Every object is reached through its dossier: a user who may not see the dossier gets 404 for it, its
nominations, papers and files alike (core.access)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tdkt.accounts.scope import scope_for
from tdkt.core.access import authenticated, permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.excel import Column, xlsx_response
from tdkt.core.exports import EXPORT_ACTION, can_export, export_view
from tdkt.core.filters import invalid_filter_notice, invalid_filter_response
from tdkt.core.http import attachment
from tdkt.core.paging import paginate
from tdkt.core.text import clean_code, is_digits
from tdkt.core.uploads import CONTENT_TYPES
from tdkt.dossiers import documents, forms, selectors, services
from tdkt.dossiers.enums import Decided, Level, ReportStatus, StateOutcome, Status
from tdkt.dossiers.gate import REPORT_CODES, component_ready, run_gate
from tdkt.dossiers.models import AchievementReport, ComponentFile, Dossier, Nomination
from tdkt.dossiers.workflow import EDITABLE
from tdkt.org.models import Collective, Person
from tdkt.rulebook import services as rulebook
from tdkt.rulebook.engine.codes import AWARD_CODES

PAGE = 50
DRAFTED = {"to_trinh", "danh_sach", "bien_ban", "to_trinh_bo", "bien_ban_bo"}
KINDS = {"docx", "pdf"}


def _dossier(request, pk: int, **_kwargs) -> Dossier:
    return get_object_or_404(
        Dossier.objects.select_related(
            "unit__parent", "holder", "review_round__meeting__council", "decision", "meeting__council"
        ),
        pk=pk,
    )


def _by_nomination(request, nid: int, **_kwargs) -> Dossier:
    nomination = get_object_or_404(Nomination.objects.select_related("dossier__unit"), pk=nid)
    request.tdkt_nomination = nomination
    return nomination.dossier


def _back(dossier_id: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("dossiers:detail", args=[dossier_id]) + (f"#{anchor}" if anchor else ""))


def _run(request, dossier_id: int, action, success: str, anchor: str = ""):
    """Do `action()`; a refusal becomes a message on the dossier's page; nothing is half saved (the
    services are atomic)."""
    try:
        result = action()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(dossier_id, anchor)
    if success:
        messages.success(request, success)
    return result if isinstance(result, HttpResponse) else _back(dossier_id, anchor)


# ---------------------------------------------------------------------------------------------- list


@require_GET
@permission_required("dossiers.view")
def dossier_list(request):
    form = forms.FilterForm(request.GET or None, user=request.user)
    notice = ""
    if request.GET and not form.is_valid():
        notice = invalid_filter_notice(form)
        qs = Dossier.objects.none()
    else:
        d = form.cleaned_data if form.is_bound else {}
        f = selectors.DossierFilter(
            status=d.get("status", ""),
            level=d.get("level", ""),
            unit_id=d["unit"].pk if d.get("unit") else None,
            overdue=bool(d.get("overdue")),
            q=(d.get("q") or "").strip(),
        )
        qs = selectors.dossiers_for(request.user, f)
    page = paginate(request, qs, PAGE)
    page.object_list = list(page.object_list)
    selectors.attach_clocks(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    can_prepare = request.user.has_perm("dossiers.prepare")
    context = {
        "page": page,
        "form": form,
        "notice": notice,
        "query": query.urlencode(),
        "create_form": forms.CreateForm(user=request.user) if can_prepare else None,
        "rounds": selectors.rounds_to_propose(request.user) if can_prepare else [],
        "can_export": can_export(request.user),
        "overdue": selectors.overdue_count(request.user),
        "breadcrumbs": [(_("Hồ sơ đề nghị khen thưởng"), None)],
    }
    return render(request, "dossiers/dossier_list.html", context)


@require_GET
@export_view
def dossier_export(request):
    if not request.user.has_perm("dossiers.view"):
        raise Http404
    form = forms.FilterForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return invalid_filter_response(request, form, back_url=reverse("dossiers:list"))
    d = form.cleaned_data if form.is_bound else {}
    f = selectors.DossierFilter(
        status=d.get("status", ""),
        level=d.get("level", ""),
        unit_id=d["unit"].pk if d.get("unit") else None,
        overdue=bool(d.get("overdue")),
        q=(d.get("q") or "").strip(),
    )
    rows = list(
        scope_for(request.user, EXPORT_ACTION).filter(selectors.dossiers_for(request.user, f), "unit")
    )
    selectors.attach_clocks(rows)
    columns = [
        Column(_("Tên hồ sơ"), 50),
        Column(_("Đơn vị"), 30),
        Column(_("Cấp"), 18),
        Column(_("Năm"), 8),
        Column(_("Số đề nghị"), 10),
        Column(_("Trạng thái"), 26),
        Column(_("Nơi đang giữ"), 30),
        Column(_("Ngày làm việc đã dùng"), 12),
        Column(_("Thời hạn (ngày làm việc)"), 12),
        Column(_("Hạn"), 12, "date"),
    ]
    return xlsx_response(
        "ho-so-de-nghi.xlsx",
        columns=columns,
        rows=(
            [
                d.title,
                d.unit.name,
                d.get_level_display(),
                d.year,
                d.n_nominations,
                d.get_status_display(),
                d.holder_label,
                d.clock.used,
                d.step_limit,
                d.step_due,
            ]
            for d in rows
        ),
        sheet=_("Hồ sơ đề nghị"),
    )


@require_POST
@permission_required("dossiers.prepare")
def dossier_create(request):
    form = forms.CreateForm(request.POST, user=request.user)
    if not form.is_valid():
        for text in forms.errors_text(form):
            messages.error(request, text)
        return redirect("dossiers:list")
    d = form.cleaned_data
    try:
        dossier = services.dossier_create(
            actor=request.user,
            unit_id=d["unit"].pk,
            level=d["level"],
            year=d["year"],
            kind=d["kind"],
            title=d["title"],
            simplified=d["simplified"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("dossiers:list")
    messages.success(request, _("Đã lập hồ sơ. Thêm người, tập thể được đề nghị để có danh mục giấy tờ."))
    return redirect("dossiers:detail", pk=dossier.pk)


@require_POST
@permission_required("dossiers.prepare")
def dossier_from_round(request, round_id: int):
    from tdkt.reviews.models import ReviewRound

    review = get_object_or_404(ReviewRound.objects.select_related("unit"), pk=round_id)
    if not request.user.has_perm("dossiers.prepare", review):
        raise Http404
    level = request.POST.get("level", "")
    if level not in Level.values:
        messages.error(request, _("Cấp đề nghị không hợp lệ."))
        return redirect("dossiers:list")
    try:
        dossier = services.dossier_from_round(actor=request.user, round_id=review.pk, level=level)
    except services.AlreadyMade as exc:
        messages.info(request, exc.message)
        if request.user.has_perm("dossiers.view", exc.dossier):
            return redirect("dossiers:detail", pk=exc.dossier.pk)
        return redirect("dossiers:list")
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("dossiers:list")
    messages.success(
        request, _("Đã lập hồ sơ từ kết quả bình xét: %(n)s đề nghị.") % {"n": dossier.nominations.count()}
    )
    return redirect("dossiers:detail", pk=dossier.pk)


# ---------------------------------------------------------------------------------------------- the page


def _level_awards(dossier: Dossier) -> list[tuple[str, str]]:
    wanted = services.LEVEL_AWARDS[dossier.level]
    return [
        (c, rulebook.award_name(c)) for c in AWARD_CODES if rulebook.award_level(c, dossier.year) in wanted
    ]


def detail_context(request, dossier: Dossier, **extra) -> dict:
    user = request.user
    nominations = selectors.nominations_of(dossier)
    papers = selectors.components_of(dossier)
    reports = {n.pk: getattr(n, "report", None) for n in nominations}
    minutes = bool(dossier.review_round_id and dossier.review_round and dossier.review_round.meeting_id)
    report_status = {pk: r.status for pk, r in reports.items() if r is not None}
    for c in papers:
        c.ready = component_ready(c, report_status, minutes)
        c.drafted = c.generated and c.code in DRAFTED
        c.is_report = c.code in REPORT_CODES
    can_prepare = user.has_perm("dossiers.prepare", dossier)
    can_approve = user.has_perm("dossiers.approve", dossier)
    can_appraise = user.has_perm("dossiers.appraise", dossier)
    editable = dossier.status in EDITABLE
    gate = run_gate(dossier) if editable and (can_prepare or can_approve) else None
    by_nomination: dict[int | None, list] = {}
    if gate is not None:
        for f in gate.findings:
            by_nomination.setdefault(f.nomination_id, []).append(f)
    for n in nominations:
        n.award_label = rulebook.award_name(n.award_code)
        n.findings = by_nomination.get(n.pk, [])
        n.papers = [c for c in papers if c.nomination_id == n.pk]
        n.report_obj = reports.get(n.pk)
        if can_appraise and dossier.status == Status.SENT_UP and n.decided == Decided.APPROVED:
            n.state_form = forms.StateOutcomeForm(prefix=f"so{n.pk}")
    s = dossier.status
    councils = []
    if can_appraise and s == Status.ACCEPTED:
        from tdkt.councils.selectors import councils_of_unit

        councils = councils_of_unit(services.ministry_of(dossier.unit))
    context = {
        "dossier": dossier,
        "clock": services.clock_of(dossier),
        "nominations": nominations,
        "dossier_papers": [c for c in papers if c.nomination_id is None],
        "orphan_papers": [
            c for c in papers if c.nomination_id is not None and c.nomination_id not in reports
        ],
        "gate": gate,
        "general_findings": by_nomination.get(None, []),
        "timeline": selectors.timeline_of(dossier),
        "comments": selectors.comments_of(dossier),
        "editable": editable,
        "can_prepare": can_prepare and editable,
        "can_approve": can_approve and editable,
        "can_appraise": can_appraise,
        "can_sign": user.has_perm("dossiers.sign", dossier) and s == Status.PREPARED,
        "can_comment": user.has_perm("dossiers.view", dossier),
        "add_form": forms.NominationForm(awards=_level_awards(dossier)) if can_prepare and editable else None,
        "upload_form": forms.UploadForm(),
        "max_file": forms.max_file_text(),
        "council_form": forms.CouncilForm(councils=councils) if councils else None,
        "appraise_now": can_appraise
        and s in (Status.SENT, Status.RESENT, Status.RECEIVED, Status.APPRAISING),
        "n_approved": sum(1 for n in nominations if n.decided == Decided.APPROVED),
        "n_returned_up": sum(
            1
            for n in nominations
            if dossier.status == Status.SENT_UP
            and n.decided == Decided.APPROVED
            and n.state_outcome == StateOutcome.RETURNED
        ),
        "Status": Status,
        "breadcrumbs": [(_("Hồ sơ đề nghị khen thưởng"), reverse("dossiers:list")), (dossier.title, None)],
    }
    context.update(extra)
    return context


@require_GET
@permission_required("dossiers.view", object_getter=_dossier)
def dossier_detail(request, pk: int):
    return render(request, "dossiers/dossier_detail.html", detail_context(request, request.tdkt_object))


# ---------------------------------------------------------------------------------------------- building


def _subject(dossier: Dossier, code: str) -> services.Subject | None:
    code = clean_code(code).lower()
    person = Person.objects.filter(
        code__iexact=code, current_unit__path__startswith=dossier.unit.path
    ).first()
    if person is not None:
        return services.Subject(person_id=person.pk)
    collective = Collective.objects.filter(
        code__iexact=code, unit__path__startswith=dossier.unit.path
    ).first()
    if collective is not None:
        return services.Subject(collective_id=collective.pk)
    return None


@require_POST
@permission_required("dossiers.prepare", object_getter=_dossier)
def nomination_add(request, pk: int):
    dossier = request.tdkt_object
    form = forms.NominationForm(request.POST, awards=_level_awards(dossier))

    def act():
        if not form.is_valid():
            raise ServiceError("; ".join(forms.errors_text(form)))
        subject = _subject(dossier, form.cleaned_data["code"])
        if subject is None:
            raise ServiceError(
                _("Không có cán bộ hoặc tập thể mã '%(code)s' trong đơn vị này.")
                % {"code": clean_code(form.cleaned_data["code"])[:40]}
            )
        n = services.nomination_add(
            actor=request.user,
            dossier_id=dossier.pk,
            subject=subject,
            award_code=form.cleaned_data["award"],
            first_year=form.cleaned_data["first_year"],
            last_year=form.cleaned_data["last_year"],
        )
        messages.success(request, _("Đã thêm %(name)s.") % {"name": n.subject})

    return _run(request, dossier.pk, act, "", "nominations")


@require_POST
@permission_required("dossiers.prepare", object_getter=_by_nomination)
def nomination_remove(request, nid: int):
    dossier = request.tdkt_object
    return _run(
        request,
        dossier.pk,
        lambda: services.nomination_remove(actor=request.user, nomination_id=nid),
        _("Đã bỏ khỏi hồ sơ."),
        "nominations",
    )


@require_POST
@permission_required("dossiers.prepare", object_getter=_by_nomination)
def nomination_justify(request, nid: int):
    dossier = request.tdkt_object
    text = request.POST.get("text", "")
    return _run(
        request,
        dossier.pk,
        lambda: services.nomination_justify(actor=request.user, nomination_id=nid, text=text),
        _("Đã lưu giải trình."),
        f"n{nid}",
    )


# ---------------------------------------------------------------------------------------------- papers


@require_POST
@permission_required("dossiers.view")
def paper_upload(request, cid: int):
    from tdkt.dossiers.models import Component

    component = get_object_or_404(Component.objects.select_related("dossier__unit"), pk=cid)
    dossier = component.dossier
    if not request.user.has_perm("dossiers.view", dossier):
        raise Http404
    form = forms.UploadForm(request.POST, request.FILES)

    def act():
        if not form.is_valid():
            raise ServiceError("; ".join(forms.errors_text(form)))
        row = services.component_upload(actor=request.user, component_id=component.pk, checked=form.checked)
        messages.success(
            request, _("Đã nộp “%(paper)s” (bản %(v)s).") % {"paper": component.name, "v": row.version}
        )

    return _run(request, dossier.pk, act, "", f"p{cid}")


def _file_response(field, name: str, content_type: str):
    from django.http import FileResponse

    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@permission_required("dossiers.view")
def paper_version(request, fid: int):
    row = get_object_or_404(ComponentFile.objects.select_related("component__dossier__unit"), pk=fid)
    if not request.user.has_perm("dossiers.view", row.component.dossier):
        raise Http404
    return _file_response(row.file, row.name, CONTENT_TYPES.get(row.kind, "application/octet-stream"))


def _bytes_response(data: bytes, name: str, kind: str) -> HttpResponse:
    return attachment(data, name, CONTENT_TYPES[kind])


@require_GET
@permission_required("dossiers.view", object_getter=_dossier)
def paper_draft(request, pk: int, code: str, kind: str):
    dossier = request.tdkt_object
    if code not in DRAFTED or kind not in KINDS:
        raise Http404
    try:
        data, name = documents.paper_file(dossier, selectors.nominations_of(dossier), code, kind)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(dossier.pk, "papers")
    return _bytes_response(data, name, kind)


# ---------------------------------------------------------------------------------------------- reports


def _report_access(request, nid: int) -> tuple[Nomination, bool, bool]:
    """The nomination, whether the user writes its report (the nominee, or the unit's preparer) and
    whether they confirm it (the unit head); 404 for anyone else."""
    nomination = get_object_or_404(
        Nomination.objects.select_related("dossier__unit", "person", "collective", "unit"), pk=nid
    )
    user = request.user
    own = (
        bool(nomination.person_id)
        and getattr(getattr(user, "person", None), "pk", None) == nomination.person_id
    )
    dossier = nomination.dossier
    writes = own or user.has_perm("dossiers.prepare", dossier)
    confirms = user.has_perm("dossiers.approve", dossier)
    if not (writes or confirms or user.has_perm("dossiers.view", dossier)):
        raise Http404
    return nomination, writes, confirms


@require_http_methods(["GET", "POST"])
@authenticated
def report_edit(request, nid: int):
    nomination, writes, confirms = _report_access(request, nid)
    dossier = nomination.dossier
    report = AchievementReport.objects.filter(nomination=nomination).select_related("confirmed_by").first()
    sections = documents.sections_of(nomination)
    if request.method == "POST":
        if not writes:
            raise Http404
        values = {key: request.POST.get(key, "") for key, _label in sections}
        try:
            services.report_save(
                actor=request.user,
                nomination_id=nomination.pk,
                sections=values,
                submit="submit" in request.POST,
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã gửi báo cáo để thủ trưởng đơn vị xác nhận.")
                if "submit" in request.POST
                else _("Đã lưu bản nháp."),
            )
            return redirect("dossiers:report", nid=nomination.pk)
        report = AchievementReport(nomination=nomination, sections=values)
    current = (report.sections if report else {}) or {}
    context = {
        "nomination": nomination,
        "dossier": dossier,
        "report": report,
        "fields": [{"key": k, "label": label, "value": current.get(k, "")} for k, label in sections],
        "writes": writes and dossier.status in EDITABLE,
        "confirms": confirms and report is not None and report.status == ReportStatus.SUBMITTED,
        "award": rulebook.award_name(nomination.award_code),
        "can_see_dossier": request.user.has_perm("dossiers.view", dossier),
        "breadcrumbs": [
            (
                _("Hồ sơ đề nghị khen thưởng"),
                reverse("dossiers:list") if request.user.has_perm("dossiers.view") else None,
            ),
            (_("Báo cáo thành tích"), None),
        ],
    }
    return render(request, "dossiers/report.html", context)


@require_POST
@permission_required("dossiers.approve", object_getter=_by_nomination)
def report_confirm(request, nid: int):
    try:
        services.report_confirm(actor=request.user, nomination_id=nid)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xác nhận báo cáo thành tích."))
    return redirect("dossiers:report", nid=nid)


@require_GET
@authenticated
def report_file(request, nid: int, kind: str):
    if kind not in KINDS:
        raise Http404
    nomination, _writes, _confirms = _report_access(request, nid)
    report = AchievementReport.objects.filter(nomination=nomination).select_related("confirmed_by").first()
    data, name = documents.report_file(nomination, report, kind)
    return _bytes_response(data, name, kind)


@require_GET
@authenticated
def mine(request):
    """A staff member's own nominations: where each stands, and their achievement report to draft."""
    person = getattr(request.user, "person", None)
    rows = list(selectors.own_nominations(person.pk)) if person is not None else []
    for n in rows:
        n.award_label = rulebook.award_name(n.award_code)
    pending = (
        list(selectors.pending_reports(request.user)) if request.user.has_perm("dossiers.approve") else []
    )
    context = {"rows": rows, "pending": pending, "breadcrumbs": [(_("Đề nghị khen thưởng của tôi"), None)]}
    return render(request, "dossiers/mine.html", context)


# ---------------------------------------------------------------------------------------------- the workflow


def _move(perm: str, service, success, *, message: bool = False):
    """A POST that makes one move of the workflow through `service`."""

    @require_POST
    @permission_required(perm, object_getter=_dossier)
    def view(request, pk: int):
        kwargs = {"message": request.POST.get("message", "")} if message else {}
        return _run(request, pk, lambda: service(actor=request.user, dossier_id=pk, **kwargs), str(success))

    return view


dossier_approve = _move(
    "dossiers.approve", services.dossier_approve, gettext_lazy("Đã duyệt hồ sơ; cán bộ TĐKT có thể gửi.")
)
dossier_send = _move("dossiers.prepare", services.dossier_send, gettext_lazy("Đã gửi hồ sơ."), message=True)
dossier_receive = _move(
    "dossiers.appraise", services.dossier_receive, gettext_lazy("Đã tiếp nhận; hồ sơ đang được thẩm định.")
)
dossier_prepare_state = _move(
    "dossiers.appraise",
    services.dossier_prepare_state,
    gettext_lazy("Đã lập hồ sơ trình cấp Nhà nước; chờ lãnh đạo Bộ ký."),
)
dossier_sign = _move("dossiers.sign", services.dossier_sign, gettext_lazy("Đã ký trình."))
dossier_send_up = _move(
    "dossiers.appraise", services.dossier_send_up, gettext_lazy("Đã trình cấp Nhà nước."), message=True
)

dossier_resend_up = _move(
    "dossiers.appraise",
    services.dossier_resend_up,
    gettext_lazy("Đã trình lại cấp Nhà nước các đề nghị được bổ sung."),
    message=True,
)

_FIELD = re.compile(r"^(?P<what>n|c)_(?P<id>\d{1,12})$")


def _per_item(post, prefix: str) -> dict[str, dict[int, str]]:
    """Texts posted per nomination / paper as `<prefix>n_<id>` and `<prefix>c_<id>`."""
    out: dict[str, dict[int, str]] = {"n": {}, "c": {}}
    for key, value in post.items():
        if not key.startswith(prefix) or not value.strip():
            continue
        m = _FIELD.match(key[len(prefix) :])
        if m:
            out[m["what"]][int(m["id"])] = value
    return out


@require_POST
@permission_required("dossiers.appraise", object_getter=_dossier)
def dossier_return(request, pk: int):
    items = _per_item(request.POST, "why_")
    reasons = (
        [services.Reason(text=request.POST.get("why", ""))]
        + [services.Reason(text=t, nomination_id=i) for i, t in items["n"].items()]
        + [services.Reason(text=t, component_id=i) for i, t in items["c"].items()]
    )
    return _run(
        request,
        pk,
        lambda: services.dossier_return(actor=request.user, dossier_id=pk, reasons=reasons),
        _("Đã trả lại hồ sơ cho đơn vị kèm lý do."),
    )


@require_POST
@permission_required("dossiers.appraise", object_getter=_dossier)
def dossier_accept(request, pk: int):
    rejected = _per_item(request.POST, "reject_")["n"]
    return _run(
        request,
        pk,
        lambda: services.dossier_accept(actor=request.user, dossier_id=pk, rejected=rejected),
        _("Đã chấp nhận hồ sơ."),
    )


@require_POST
@permission_required("dossiers.appraise", object_getter=_dossier)
def dossier_to_council(request, pk: int):
    from tdkt.councils.selectors import councils_of_unit

    dossier = request.tdkt_object
    form = forms.CouncilForm(request.POST, councils=councils_of_unit(services.ministry_of(dossier.unit)))

    def act():
        if not form.is_valid():
            raise ServiceError("; ".join(forms.errors_text(form)))
        d = form.cleaned_data
        meeting = services.dossier_to_council(
            actor=request.user,
            dossier_id=pk,
            council_id=d["council"],
            starts_at=d["starts_at"],
            place=d["place"],
            online=d["online"],
        )
        messages.success(request, _("Đã trình Hội đồng; cuộc họp đã được lập."))
        return redirect("councils:meeting_detail", pk=meeting.pk)

    return _run(request, pk, act, "")


@require_POST
@permission_required("dossiers.appraise", object_getter=_dossier)
def dossier_decide(request, pk: int):
    not_approved = _per_item(request.POST, "no_")["n"]
    return _run(
        request,
        pk,
        lambda: services.dossier_decide(actor=request.user, dossier_id=pk, not_approved=not_approved),
        _("Đã ghi nhận kết quả xét từng đề nghị."),
    )


@require_POST
@permission_required("dossiers.appraise", object_getter=_dossier)
def dossier_decision(request, pk: int):
    def act():
        decision = services.dossier_draft_decision(actor=request.user, dossier_id=pk)
        messages.success(request, _("Đã lập dự thảo quyết định; lãnh đạo Bộ ban hành sau khi ký."))
        return redirect("awards:decision_detail", pk=decision.pk)

    return _run(request, pk, act, "")


@require_POST
@permission_required("dossiers.appraise", object_getter=_by_nomination)
def state_outcome(request, nid: int):
    dossier = request.tdkt_object
    form = forms.StateOutcomeForm(request.POST, prefix=f"so{nid}")

    def act():
        if not form.is_valid():
            raise ServiceError("; ".join(forms.errors_text(form)))
        d = form.cleaned_data
        services.record_state_outcome(
            actor=request.user,
            nomination_id=nid,
            outcome=d["outcome"],
            decision_number=d["decision_number"],
            decided_on=d["decided_on"],
            issuer_name=d["issuer_name"],
            signer=d["signer"],
            note=d["note"],
        )
        messages.success(request, _("Đã ghi kết quả: %(o)s.") % {"o": StateOutcome(d["outcome"]).label})

    return _run(request, dossier.pk, act, "", f"n{nid}")


@require_POST
@permission_required("dossiers.view", object_getter=_dossier)
def comment_add(request, pk: int):
    raw = request.POST.get("nomination", "")
    nomination_id = int(raw) if is_digits(raw) and len(raw) < 12 else None
    text = request.POST.get("text", "")
    return _run(
        request,
        pk,
        lambda: services.comment_add(
            actor=request.user, dossier_id=pk, text=text, nomination_id=nomination_id
        ),
        _("Đã ghi ý kiến."),
        "comments",
    )
