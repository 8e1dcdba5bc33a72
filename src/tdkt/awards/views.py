"""Decisions: the list, a decision's page (its lines, Word and PDF, the head's issuing form)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tdkt.awards import documents, selectors, services
from tdkt.awards.enums import DecisionStatus
from tdkt.awards.forms import IssueForm
from tdkt.awards.models import Decision
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.paging import paginate
from tdkt.core.uploads import CONTENT_TYPES
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
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
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
        content, kind = documents.decision_pdf(decision, lines), "pdf"
    else:
        raise Http404
    name = f"quyet-dinh-{decision.reference or 'du-thao-' + str(decision.pk)}".replace("/", "-")
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
