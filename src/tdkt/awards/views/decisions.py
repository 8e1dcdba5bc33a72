"""Decisions: the list, a decision's page (its lines, Word and PDF, the head's issuing form); the
certificates of an issued decision's awards and their print layouts; the digitally signed PDF sent back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tdkt.awards import certificates, documents, selectors, services
from tdkt.awards.enums import DecisionStatus
from tdkt.awards.forms import CertificateLayoutForm, IssueForm, SignedPdfForm
from tdkt.awards.models import Decision
from tdkt.core import signing
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.http import attachment
from tdkt.core.paging import paginate
from tdkt.core.uploads import CONTENT_TYPES
from tdkt.org.enums import AwardCode
from tdkt.org.models import AwardRecord
from tdkt.rulebook.services import award_name


def _decision(request, pk: int) -> Decision:
    return get_object_or_404(Decision.objects.select_related("issuer_unit__parent"), pk=pk)


@require_GET
@permission_required("awards.view_decision")
def decision_list(request):
    status = request.GET.get("status", "")
    if status not in ("", *DecisionStatus.values):
        status = ""
    page = paginate(request, selectors.decisions_for(request.user, status=status), 50)
    context = {
        "page": page,
        "status": status,
        "statuses": DecisionStatus.choices,
        "query": f"status={status}" if status else "",
        "breadcrumbs": [(_("Quyết định khen thưởng"), None)],
    }
    return render(request, "awards/decision_list.html", context)


def _get(request, pk: int) -> Decision:
    return _decision(request, pk)


@require_http_methods(["GET", "POST"])
@permission_required("awards.view_decision", object_getter=lambda request, pk: _get(request, pk))
def decision_detail(request, pk: int):
    decision = request.tdkt_object
    may_issue = decision.status == DecisionStatus.DRAFT and request.user.has_perm(
        "awards.issue_decision", decision
    )
    form = IssueForm(request.POST or None, initial={"signer_title": ""}) if may_issue else None
    if request.method == "POST":
        if not may_issue:
            raise Http404
        if form.is_valid():
            try:
                services.decision_issue(actor=request.user, decision_id=decision.pk, **form.cleaned_data)
            except ServiceError as exc:
                exc.show_on(form)
            else:
                messages.success(request, _("Đã ban hành quyết định; khen thưởng đã được ghi vào sổ."))
                return redirect("awards:decision_detail", pk=decision.pk)
    lines = selectors.decision_lines(decision)
    for line in lines:
        line.award_label = award_name(line.award_code)
    context = {
        "decision": decision,
        "lines": lines,
        "form": form,
        "issued": decision.status == DecisionStatus.ISSUED,
        "breadcrumbs": [
            (_("Quyết định khen thưởng"), reverse("awards:decision_list")),
            (str(decision), None),
        ],
    }
    return render(
        request, "awards/decision_detail.html", context, status=400 if form and form.errors else 200
    )


@require_GET
@permission_required("awards.view_decision", object_getter=lambda request, pk, fmt: _get(request, pk))
def decision_file(request, pk: int, fmt: str):
    decision = request.tdkt_object
    lines = selectors.decision_lines(decision)
    if fmt == "docx":
        content, kind = documents.decision_docx(decision, lines), "docx"
    elif fmt == "pdf":
        try:
            content, kind = documents.decision_pdf(decision, lines), "pdf"
        except ServiceError as exc:  # the agency's signing certificate cannot be used
            messages.error(request, exc.message)
            return redirect("awards:decision_detail", pk=decision.pk)
    else:
        raise Http404
    name = f"quyet-dinh-{decision.reference or 'du-thao-' + str(decision.pk)}".replace("/", "-")
    return attachment(content, f"{name}.{kind}", CONTENT_TYPES[kind])


# --- certificates -------------------------------------------------------------------------------------


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    return attachment(content, name, CONTENT_TYPES["pdf"])


def _issued_decision(request, pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related("issuer_unit__parent"), pk=pk, status=DecisionStatus.ISSUED
    )


def _award(request, pk: int) -> Decision:
    """The decision an award of the register came from (issued), for the permission on its issuing
    unit; the award itself is kept on the request. An imported award (no decision here) or a revoked
    one is not found."""
    record = get_object_or_404(
        AwardRecord.objects.select_related(
            "person", "collective", "unit", "decision_line__decision__issuer_unit__parent",
            "decision_line__decision__movement",
        ),
        pk=pk,
        revoked=False,
        decision_line__decision__status=DecisionStatus.ISSUED,
    )  # fmt: skip
    request.tdkt_award = record
    return record.decision_line.decision


def _certificate_reason(decision: Decision) -> str:
    return _("Chứng nhận khen thưởng theo Quyết định số %(ref)s") % {"ref": decision.reference}


def _file_stem(decision: Decision) -> str:
    return (decision.reference or str(decision.pk)).replace("/", "-")


@require_GET
@permission_required("awards.view_decision", object_getter=lambda request, pk: _award(request, pk))
def award_certificate(request, pk: int):
    record, decision = request.tdkt_award, request.tdkt_object
    try:
        pdf = certificates.certificate_pdf(record)
        pdf = documents.sign_issued(pdf, decision, _certificate_reason(decision))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("awards:decision_detail", pk=decision.pk)
    stem = record.award_code.replace("_", "-")
    return _pdf_response(pdf, f"{stem}-{certificates.register_number(record)}.pdf")


@require_GET
@permission_required("awards.view_decision", object_getter=lambda request, pk: _issued_decision(request, pk))
def decision_certificates(request, pk: int):
    decision = request.tdkt_object
    try:
        pdf = certificates.certificates_pdf(decision)
        pdf = documents.sign_issued(pdf, decision, _certificate_reason(decision))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("awards:decision_detail", pk=decision.pk)
    return _pdf_response(pdf, f"bang-khen-giay-khen-{_file_stem(decision)}.pdf")


# the agency's print layouts: the ministry's TĐKT department (and the system administrator)
LAYOUTS = "awards.manage_certificates"


def _award_code(code: str) -> str:
    if code not in AwardCode.values:
        raise Http404
    return code


@require_GET
@permission_required(LAYOUTS)
def certificate_layouts(request):
    code = request.GET.get("code", "")
    if code:
        return redirect("awards:certificate_layout_edit", code=_award_code(code))
    layouts = certificates.layouts_overview()
    for layout in layouts:
        layout.award_label = award_name(layout.award_code)
        layout.width_mm, layout.height_mm = certificates.page_mm(layout.page_size, layout.orientation)
    configured = {layout.award_code for layout in layouts}
    context = {
        "layouts": layouts,
        "other_codes": [(c, award_name(c)) for c in AwardCode.values if c not in configured],
        "signing_enabled": signing.signing_enabled(),
        "breadcrumbs": [
            (_("Quyết định khen thưởng"), reverse("awards:decision_list")),
            (_("Mẫu in bằng khen, giấy khen"), None),
        ],
    }
    return render(request, "awards/certificate_layouts.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(LAYOUTS)
def certificate_layout_edit(request, code: str):
    code = _award_code(code)
    layout = certificates.layout_for(code)
    form = CertificateLayoutForm(request.POST or None, initial=CertificateLayoutForm.initial_for(layout))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certificates.layout_save(
                actor=request.user,
                award_code=code,
                mode=data["mode"],
                title=data["title"],
                authority=data["authority"],
                page_size=data["page_size"],
                orientation=data["orientation"],
                offset_x_mm=data["offset_x_mm"],
                offset_y_mm=data["offset_y_mm"],
                positions=form.positions,
            )
        except ServiceError as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("Đã lưu mẫu in “%(award)s”.") % {"award": award_name(code)})
            return redirect("awards:certificate_layout_edit", code=code)
    width, height = certificates.page_mm(layout.page_size, layout.orientation)
    context = {
        "layout": layout,
        "award": award_name(code),
        "form": form,
        "width_mm": width,
        "height_mm": height,
        "breadcrumbs": [
            (_("Quyết định khen thưởng"), reverse("awards:decision_list")),
            (_("Mẫu in bằng khen, giấy khen"), reverse("awards:certificate_layouts")),
            (award_name(code), None),
        ],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "awards/certificate_layout_edit.html", context, status=status)


@require_GET
@permission_required(LAYOUTS)
def certificate_calibration(request, code: str):
    layout = certificates.layout_for(_award_code(code))
    try:
        pdf = certificates.calibration_pdf(layout)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("awards:certificate_layout_edit", code=code)
    return _pdf_response(pdf, f"can-chinh-{code.replace('_', '-')}.pdf")


# --- the signed decision ------------------------------------------------------------------------------


def _stored_report(decision: Decision) -> signing.SignatureReport | None:
    """The stored signed PDF checked again now (a root added or removed since shows at once)."""
    if not decision.signed_file:
        return None
    try:
        with decision.signed_file.open("rb") as handle:
            return signing.verify_pdf(handle.read())
    except (FileNotFoundError, ValueError, OSError):
        return signing.SignatureReport(error=_("Không tìm thấy tệp đã lưu."))


@require_http_methods(["GET", "POST"])
@permission_required("awards.view_decision", object_getter=lambda request, pk: _issued_decision(request, pk))
def decision_signed(request, pk: int):
    decision = request.tdkt_object
    form = SignedPdfForm(request.POST or None, request.FILES or None)
    report = None
    can_store = certificates.may_store_signed(request.user, decision)
    if request.method == "POST":
        if not can_store:
            raise PermissionDenied
        if form.is_valid():
            try:
                certificates.decision_attach_signed(
                    actor=request.user, decision_id=decision.pk, file=form.checked
                )
            except certificates.SignatureRefused as exc:
                report = exc.report
                form.add_error("file", exc.message)
            except ServiceError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("Đã kiểm tra chữ ký số và lưu bản quyết định đã ký."))
                return redirect("awards:decision_signed", pk=decision.pk)
    context = {
        "decision": decision,
        "form": form,
        "report": report,
        "stored_report": _stored_report(decision),
        "can_store": can_store,
        "breadcrumbs": [
            (_("Quyết định khen thưởng"), reverse("awards:decision_list")),
            (str(decision), reverse("awards:decision_detail", args=[decision.pk])),
            (_("Bản đã ký số"), None),
        ],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "awards/decision_signed.html", context, status=status)


@require_GET
@permission_required("awards.view_decision", object_getter=lambda request, pk: _issued_decision(request, pk))
def decision_signed_file(request, pk: int):
    decision = request.tdkt_object
    if not decision.signed_file:
        raise Http404
    try:
        handle = decision.signed_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"quyet-dinh-{_file_stem(decision)}-da-ky-so.pdf",
        content_type=CONTENT_TYPES["pdf"],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
