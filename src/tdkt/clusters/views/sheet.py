"""A member's score sheet: the member scores its lines with evidence and sends the sheet; the head adjusts
lines with a reason during the appraisal; the member answers each adjustment in the explanation round.
Every object is reached through its sheet: a user who may not see the sheet gets 404 for its lines,
evidence and adjustments alike (core.access)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tdkt.clusters import selectors, services
from tdkt.clusters.enums import CriterionKind, SheetStatus, YearStatus
from tdkt.clusters.forms_year import (
    EVIDENCE_KINDS,
    AdjustForm,
    EvidenceForm,
    ExplainForm,
    errors_text,
    evidence_max_bytes,
)
from tdkt.clusters.models import Adjustment, Evidence, Score, Sheet
from tdkt.clusters.scoring import fmt, plain
from tdkt.clusters.views.year import breadcrumbs
from tdkt.clusters.workflow import APPRAISAL_OPEN, EXPLANATION_OPEN
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.ooxml import size_text
from tdkt.core.uploads import CONTENT_TYPES, KIND_LABELS

SHEET_RELATED = ("unit", "cluster_year__cluster__bloc__owner_unit")


def get_sheet(request, pk: int, **_kwargs) -> Sheet:
    return get_object_or_404(Sheet.objects.select_related(*SHEET_RELATED), pk=pk)


def get_score(request, pk: int, **_kwargs) -> Score:
    return get_object_or_404(
        Score.objects.select_related("criterion", *(f"sheet__{r}" for r in SHEET_RELATED)), pk=pk
    )


def get_evidence(request, pk: int, **_kwargs) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related(*(f"score__sheet__{r}" for r in SHEET_RELATED)), pk=pk
    )


def get_adjustment(request, pk: int, **_kwargs) -> Adjustment:
    return get_object_or_404(
        Adjustment.objects.select_related("score__criterion", *(f"score__sheet__{r}" for r in SHEET_RELATED)),
        pk=pk,
    )


def back_to_sheet(sheet_id: int, anchor: str = ""):
    return redirect(reverse("clusters:sheet", args=[sheet_id]) + (f"#{anchor}" if anchor else ""))


def _line_rows(lines, *, scoring: bool, values: dict | None = None) -> list[dict]:
    """What the template shows per line: the numbers in the Vietnamese format, the value to put back in
    the field (what the user typed when the form comes back with an error)."""
    out = []
    for line in lines:
        c, s = line.criterion, line.score
        row = {
            "line": line,
            "c": c,
            "s": s,
            "is_group": line.is_group,
            "is_target": c.kind == CriterionKind.TARGET,
            "max": fmt(line.top),
            "target": fmt(line.target),
            "value": plain(s.value) if s and s.value is not None else "",
            "self_points": fmt(s.self_points) if s else "",
            "points": fmt(s.points) if s else "",
            "changed": bool(s and s.points != s.self_points),
            "note": s.note if s else "",
            "adjustments": [(a, fmt(a.old_points), fmt(a.new_points)) for a in line.adjustments],
        }
        if scoring and values is not None and s is not None:
            row["value"], row["note"] = values.get(c.pk, (row["value"], row["note"]))
        out.append(row)
    return out


def _context(request, sheet: Sheet, *, values: dict | None = None, error_line: int | None = None) -> dict:
    cy = sheet.cluster_year
    user = request.user
    can_score = user.has_perm("clusters.score", sheet)
    scoring = can_score and cy.status == YearStatus.SCORING and sheet.status == SheetStatus.DRAFT
    can_lead = user.has_perm("clusters.lead", cy)
    lines = selectors.sheet_lines(sheet)
    return {
        "sheet": sheet,
        "cy": cy,
        "rows": _line_rows(lines, scoring=scoring, values=values),
        "scoring": scoring,
        # a sheet not sent by the deadline is appraised as it stands
        "appraising": can_lead
        and cy.status in APPRAISAL_OPEN
        and not services.appraises_own_sheet(user, sheet),
        "explaining": can_score and cy.status in EXPLANATION_OPEN,
        "error_line": error_line,
        "totals": {
            "self_total": fmt(sheet.self_total),
            "total": fmt(sheet.total),
            "bonus": fmt(sheet.bonus),
            "deduction": fmt(sheet.deduction),
        },
        "missing_evidence": [r.criterion.code for r in lines if r.missing_evidence],
        "evidence_kinds": ", ".join(str(KIND_LABELS[k]) for k in sorted(EVIDENCE_KINDS)),
        "evidence_max": size_text(evidence_max_bytes()),
        "breadcrumbs": breadcrumbs(cy, (_("Phiếu chấm điểm: %(u)s") % {"u": sheet.unit}, None)),
    }


def _posted_values(request, lines) -> dict[int, tuple[str, str]]:
    out = {}
    for line in lines:
        if line.score is None or line.is_group:
            continue
        cid = line.criterion.pk
        value = request.POST.get(f"value_{cid}")
        note = request.POST.get(f"note_{cid}")
        if value is None and note is None:
            continue
        out[cid] = ((value or "")[:40], (note or "")[:1000])
    return out


@require_http_methods(["GET", "POST"])
@permission_required("clusters.view", object_getter=get_sheet)
def sheet_detail(request, pk: int):
    """The sheet; its POST saves the lines the member changed, all or none (one transaction: a bad line
    saves nothing and the message names it)."""
    sheet = request.tdkt_object
    if request.method == "GET":
        return render(request, "clusters/sheet_detail.html", _context(request, sheet))
    if not request.user.has_perm("clusters.score", sheet):
        raise PermissionDenied
    lines = selectors.sheet_lines(sheet)
    posted = _posted_values(request, lines)
    changed = []
    for line in lines:
        if line.criterion.pk not in posted:
            continue
        value, note = posted[line.criterion.pk]
        old_value = fmt(line.score.value) if line.score.value is not None else ""
        if value.strip() != old_value or note.strip() != line.score.note:
            changed.append((line.criterion, value, note))
    current = None
    try:
        with transaction.atomic():
            for criterion, value, note in changed:
                current = criterion
                services.score_save(
                    actor=request.user, sheet_id=sheet.pk, criterion_id=criterion.pk, value=value, note=note
                )
    except ServiceError as exc:
        messages.error(request, exc.message)
        sheet.refresh_from_db()
        ctx = _context(request, sheet, values=posted, error_line=current.pk if current else None)
        return render(request, "clusters/sheet_detail.html", ctx, status=200)
    if changed:
        messages.success(request, _("Đã lưu %(n)s dòng của phiếu chấm điểm.") % {"n": len(changed)})
    else:
        messages.info(request, _("Không có dòng nào thay đổi."))
    return back_to_sheet(sheet.pk)


@require_POST
@permission_required("clusters.score", object_getter=get_sheet)
def sheet_submit(request, pk: int):
    sheet = request.tdkt_object
    try:
        done = services.sheet_submit(actor=request.user, sheet_id=sheet.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return back_to_sheet(sheet.pk)
    messages.success(
        request,
        _("Đã gửi phiếu chấm điểm tới cụm trưởng (tự chấm %(t)s điểm).") % {"t": fmt(done.self_total)},
    )
    return redirect("clusters:year_detail", pk=sheet.cluster_year_id)


@require_POST
@permission_required("clusters.score", object_getter=get_score)
def evidence_upload(request, pk: int):
    score = request.tdkt_object
    form = EvidenceForm(request.POST, request.FILES)
    anchor = f"l{score.criterion_id}"
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return back_to_sheet(score.sheet_id, anchor)
    try:
        row = services.evidence_add(actor=request.user, score_id=score.pk, checked=form.checked)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã nộp minh chứng “%(name)s” cho tiêu chí %(code)s.")
            % {"name": row.name, "code": score.criterion.code},
        )
    return back_to_sheet(score.sheet_id, anchor)


@require_POST
@permission_required("clusters.score", object_getter=get_evidence)
def evidence_remove(request, pk: int):
    row = request.tdkt_object
    sheet_id, anchor, name = row.score.sheet_id, f"l{row.score.criterion_id}", row.name
    try:
        services.evidence_remove(actor=request.user, evidence_id=row.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gỡ minh chứng “%(name)s”.") % {"name": name})
    return back_to_sheet(sheet_id, anchor)


@require_GET
@permission_required("clusters.view", object_getter=get_evidence)
def evidence_file(request, pk: int):
    from django.http import FileResponse

    row = request.tdkt_object
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, ValueError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=row.name,
        content_type=CONTENT_TYPES.get(row.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@permission_required("clusters.view", object_getter=get_score)
def score_adjust(request, pk: int):
    score = request.tdkt_object
    if not request.user.has_perm("clusters.lead", score.sheet.cluster_year):
        raise PermissionDenied
    if services.appraises_own_sheet(request.user, score.sheet):  # the head's own unit: the organiser's
        raise PermissionDenied
    form = AdjustForm(request.POST)
    anchor = f"l{score.criterion_id}"
    if not form.is_valid():
        messages.error(
            request, _("Tiêu chí %(code)s: %(e)s") % {"code": score.criterion.code, "e": errors_text(form)}
        )
        return back_to_sheet(score.sheet_id, anchor)
    try:
        services.score_adjust(
            actor=request.user,
            score_id=score.pk,
            points=form.cleaned_data["points"],
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except ServiceError as exc:
        messages.error(
            request, _("Tiêu chí %(code)s: %(e)s") % {"code": score.criterion.code, "e": exc.message}
        )
    else:
        messages.success(request, _("Đã điều chỉnh điểm tiêu chí %(code)s.") % {"code": score.criterion.code})
    return back_to_sheet(score.sheet_id, anchor)


@require_POST
@permission_required("clusters.score", object_getter=get_adjustment)
def adjustment_explain(request, pk: int):
    row = request.tdkt_object
    form = ExplainForm(request.POST)
    anchor = f"l{row.score.criterion_id}"
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return back_to_sheet(row.score.sheet_id, anchor)
    try:
        services.adjustment_explain(actor=request.user, adjustment_id=row.pk, text=form.cleaned_data["text"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã gửi giải trình cho tiêu chí %(code)s.") % {"code": row.score.criterion.code}
        )
    return back_to_sheet(row.score.sheet_id, anchor)


urlpatterns = [
    path("phieu/<int:pk>/", sheet_detail, name="sheet"),
    path("phieu/<int:pk>/gui/", sheet_submit, name="sheet_submit"),
    path("diem/<int:pk>/minh-chung/", evidence_upload, name="evidence_upload"),
    path("diem/<int:pk>/dieu-chinh/", score_adjust, name="score_adjust"),
    path("minh-chung/<int:pk>/", evidence_file, name="evidence_file"),
    path("minh-chung/<int:pk>/go/", evidence_remove, name="evidence_remove"),
    path("dieu-chinh/<int:pk>/giai-trinh/", adjustment_explain, name="adjustment_explain"),
]
