"""The ministry's TĐKT department's queue of ID numbers claimed by two records (issue 7, finding 3).

An import or an edit that wrote an ID number already held by a record outside the writer's scope
went through like any other; here a specialist whose scope covers both records sees them side by
side and decides: the same human (merge) or not (take the number off the record just written).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.paging import paginate
from tdkt.org import services
from tdkt.org.enums import ReviewStatus
from tdkt.org.selectors import identity_review_facts, identity_reviews_for


class MergeForm(forms.Form):
    unit_from = forms.ChoiceField(
        label=gettext_lazy("Đơn vị công tác sau khi hợp nhất"),
        choices=[
            ("person", gettext_lazy("Đơn vị của hồ sơ vừa ghi (cán bộ đã chuyển đến đó)")),
            ("holder", gettext_lazy("Đơn vị của hồ sơ đang giữ số")),
        ],
        widget=forms.RadioSelect,
        initial="person",
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, max_length=1000, widget=forms.Textarea
    )


class RejectForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Lý do gỡ số định danh (đơn vị sẽ đọc)"),
        max_length=1000,
        widget=forms.Textarea,
        error_messages={"required": gettext_lazy("Hãy ghi lý do.")},
    )


def _crumbs(*tail):
    return [(_("Xác minh số định danh"), reverse("org:identity_list")), *tail]


@require_GET
@permission_required("org.review_identity")
def identity_list(request):
    status = request.GET.get("status") or ReviewStatus.OPEN
    if status not in ReviewStatus.values:
        status = ReviewStatus.OPEN
    page = paginate(request, identity_reviews_for(request.user, status=status), 50)
    context = {
        "page": page,
        "status": status,
        "statuses": ReviewStatus.choices,
        "breadcrumbs": [(_("Xác minh số định danh"), None)],
    }
    return render(request, "org/identity_list.html", context)


def _review(request, pk: int):
    review = identity_reviews_for(request.user, status="").filter(pk=pk).first()
    if review is None:  # not there, or not both records in the user's scope: the same answer
        raise Http404
    return review


@require_GET
@permission_required("org.review_identity")
def identity_detail(request, pk: int):
    review = _review(request, pk)
    facts = identity_review_facts([review.person, review.holder])
    for person in (review.person, review.holder):
        if person is not None:
            person.facts = facts[person.pk]
    context = {
        "review": review,
        "merge_form": MergeForm(),
        "reject_form": RejectForm(),
        "breadcrumbs": _crumbs((review.id_number, None)),
    }
    return render(request, "org/identity_detail.html", context)


def _decide(request, pk: int, form_class, service, done_message):
    review = _review(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, review_id=review.pk, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done_message)
            return redirect("org:identity_list")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("org:identity_detail", pk=review.pk)


@require_POST
@permission_required("org.review_identity")
def identity_merge(request, pk: int):
    return _decide(request, pk, MergeForm, services.identity_merge, _("Đã hợp nhất hai hồ sơ."))


@require_POST
@permission_required("org.review_identity")
def identity_reject(request, pk: int):
    return _decide(
        request, pk, RejectForm, services.identity_reject, _("Đã gỡ số định danh khỏi hồ sơ vừa ghi.")
    )
