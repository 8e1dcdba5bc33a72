"""Screens of the review: rounds, a round's list (prefill, add and drop with reasons, caps), sending it to
the council, concluding, drafting the unit decision; a person's own candidacies."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tdkt.accounts.scope import scope_for
from tdkt.core.access import authenticated, permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.excel import Column, xlsx_response
from tdkt.core.exports import EXPORT_ACTION, export_view
from tdkt.core.paging import paginate
from tdkt.core.text import clean_code
from tdkt.org.models import Collective, Person, Unit
from tdkt.org.selectors import tree_order
from tdkt.reviews import rules_of_review, selectors, services
from tdkt.reviews.enums import Outcome, RoundStatus
from tdkt.reviews.models import Candidate, ReviewRound
from tdkt.rulebook.engine.codes import AWARD_CODES
from tdkt.rulebook.services import award_name, judgeable_years

PAGE = 100


# ---------------------------------------------------------------------------------------------- forms


class RoundForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Đơn vị"), queryset=Unit.objects.none())
    year = forms.TypedChoiceField(label=gettext_lazy("Năm"), coerce=int)
    title = forms.CharField(label=gettext_lazy("Tên đợt"), max_length=255, required=False)
    candidates_due = forms.DateField(label=gettext_lazy("Hạn lập danh sách"), required=False)
    council_due = forms.DateField(label=gettext_lazy("Hạn họp Hội đồng"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = scope_for(user, "reviews.manage").filter_units(Unit.objects.filter(active_to__isnull=True))
        self.fields["unit"].queryset = units
        self.fields["unit"].choices = [
            (u.pk, "— " * u.tree_depth + u.name)
            for u in tree_order(
                list(units.only("id", "name", "depth", "path", "sort_order", "kind", "active_to"))
            )
        ]
        years = judgeable_years()
        default = timezone.localdate().year - 1
        self.fields["year"].choices = [(y, y) for y in reversed(years)]
        self.fields["year"].initial = default if default in years else years[-1]
        _style(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Mã cán bộ hoặc mã tập thể"), max_length=40)
    award = forms.ChoiceField(label=gettext_lazy("Danh hiệu, hình thức"))
    reason = forms.CharField(
        label=gettext_lazy("Lý do bổ sung (bắt buộc)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = [(c, award_name(c)) for c in AWARD_CODES]
        _style(self)


class SendForm(forms.Form):
    council = forms.TypedChoiceField(label=gettext_lazy("Hội đồng"), coerce=int)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Thời gian họp"), help_text=gettext_lazy("dd/mm/yyyy hh:mm")
    )
    place = forms.CharField(label=gettext_lazy("Địa điểm"), max_length=255, required=False)
    online = forms.BooleanField(label=gettext_lazy("Họp trực tuyến"), required=False)

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [(c.pk, str(c)) for c in councils]
        self.fields["starts_at"].input_formats = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"]
        _style(self)


def _style(form: forms.Form) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = css + (" is-invalid" if name in form.errors else "")
        if name in form.errors:
            widget.attrs["aria-invalid"] = "true"
        if isinstance(field, forms.DateField):
            widget.attrs["placeholder"] = "dd/mm/yyyy"


def _errors_to_messages(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# ---------------------------------------------------------------------------------------------- rounds


@require_GET
@permission_required("reviews.view")
def round_list(request):
    scope = scope_for(request.user, "reviews.view")
    if not scope.units_only:
        return redirect("reviews:mine")
    page = paginate(request, selectors.rounds_for(request.user), 50)
    can_create = request.user.has_perm("reviews.manage")
    context = {
        "page": page,
        "form": RoundForm(user=request.user) if can_create else None,
        "breadcrumbs": [(_("Bình xét"), None)],
    }
    return render(request, "reviews/round_list.html", context)


@require_POST
@permission_required("reviews.manage")
def round_create(request):
    form = RoundForm(request.POST, user=request.user)
    if not form.is_valid():
        _errors_to_messages(request, form)
        return redirect("reviews:round_list")
    d = form.cleaned_data
    try:
        review = services.round_create(
            actor=request.user,
            unit_id=d["unit"].pk,
            year=d["year"],
            title=d["title"],
            candidates_due=d["candidates_due"],
            council_due=d["council_due"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("reviews:round_list")
    messages.success(
        request, _("Đã tạo đợt bình xét. Bấm “Lập danh sách từ kết quả xét tiêu chuẩn” để bắt đầu.")
    )
    return redirect("reviews:round_detail", pk=review.pk)


def _round(request, pk: int, **_kwargs) -> ReviewRound:
    return get_object_or_404(ReviewRound.objects.select_related("unit", "meeting", "decision"), pk=pk)


def _deadline(day: datetime.date | None) -> dict | None:
    if day is None:
        return None
    left = (day - timezone.localdate()).days
    return {"day": day, "left": left, "overdue": left < 0}


@require_GET
@permission_required("reviews.view", object_getter=_round)
def round_detail(request, pk: int):
    review = request.tdkt_object
    award = request.GET.get("award", "")
    if award not in AWARD_CODES:
        award = ""
    show = request.GET.get("show", "in")
    included = {"in": True, "out": False, "all": None}.get(show, True)
    page = paginate(request, selectors.candidates_of(review, award=award, included=included), PAGE)
    page.object_list = list(page.object_list)
    for c in page.object_list:
        c.award_label = award_name(c.award_code)
    counts = selectors.award_counts(review)
    manage = request.user.has_perm("reviews.manage", review)
    context = {
        "review": review,
        "page": page,
        "award": award,
        "show": show,
        "query": "&".join(p for p in (f"award={award}" if award else "", f"show={show}") if p),
        "awards": [
            {"code": code, "label": award_name(code), **counts[code]}
            for code in AWARD_CODES
            if code in counts
        ],
        "caps": rules_of_review.caps_summary(review, selectors.included_person_counts(review)),
        "registration_required": rules_of_review.registration_required(review.year),
        "vote_rule": rules_of_review.vote_rule(review),
        "candidates_due": _deadline(review.candidates_due),
        "council_due": _deadline(review.council_due),
        "manage": manage,
        "editable": manage and review.status == RoundStatus.PREPARING,
        "changes": selectors.changes_of(review),
        "breadcrumbs": [(_("Bình xét"), reverse("reviews:round_list")), (review.title, None)],
    }
    if context["editable"]:
        context["add_form"] = AddForm()
        included = list(review.candidates.filter(included=True).select_related("person", "collective"))
        context["problems"] = rules_of_review.blocking_problems(review, included)
        from tdkt.councils.selectors import councils_of_unit

        councils = councils_of_unit(review.unit)
        context["send_form"] = SendForm(councils=councils) if councils else None
    return render(request, "reviews/round_detail.html", context)


def _post_action(request, pk: int, action, success: str):
    review = get_object_or_404(ReviewRound.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("reviews.view", review):
        raise Http404
    try:
        result = action(review)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("reviews:round_detail", pk=pk)
    if success:
        messages.success(request, success)
    return result or redirect("reviews:round_detail", pk=pk)


@require_POST
@permission_required("reviews.manage")
def round_prefill(request, pk: int):
    def act(review):
        job = services.prefill_request(actor=request.user, round_id=review.pk)
        return redirect("core:job_detail", job_id=job.pk)

    return _post_action(request, pk, act, "")


def _subject_from_code(review: ReviewRound, code: str) -> services.Subject | None:
    code = clean_code(code).lower()
    person = Person.objects.filter(code__iexact=code, current_unit__path__startswith=review.unit.path).first()
    if person is not None:
        return services.Subject(person_id=person.pk)
    collective = Collective.objects.filter(code__iexact=code, unit__path__startswith=review.unit.path).first()
    if collective is not None:
        return services.Subject(collective_id=collective.pk)
    return None


@require_POST
@permission_required("reviews.manage")
def candidate_add(request, pk: int):
    form = AddForm(request.POST)

    def act(review):
        if not form.is_valid():
            _errors_to_messages(request, form)
            return None
        subject = _subject_from_code(review, form.cleaned_data["code"])
        if subject is None:
            raise ServiceError(
                _("Không có cán bộ hoặc tập thể mã '%(code)s' trong đơn vị này.")
                % {"code": form.cleaned_data["code"]}
            )
        candidate = services.candidate_add(
            actor=request.user,
            round_id=review.pk,
            subject=subject,
            award_code=form.cleaned_data["award"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Đã bổ sung %(name)s vào danh sách.") % {"name": candidate.subject})
        return None

    return _post_action(request, pk, act, "")


def _candidate_action(request, cid: int, service, success: str):
    candidate = get_object_or_404(Candidate.objects.select_related("round__unit"), pk=cid)
    if not request.user.has_perm("reviews.view", candidate.round):
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form)
    else:
        try:
            service(actor=request.user, candidate_id=cid, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success)
    return redirect(f"{reverse('reviews:round_detail', args=[candidate.round_id])}?show=all#c{cid}")


@require_POST
@permission_required("reviews.manage")
def candidate_drop(request, cid: int):
    return _candidate_action(
        request, cid, services.candidate_drop, _("Đã đưa ra khỏi danh sách; lý do được lưu.")
    )


@require_POST
@permission_required("reviews.manage")
def candidate_restore(request, cid: int):
    return _candidate_action(
        request, cid, services.candidate_restore, _("Đã đưa lại vào danh sách; lý do được lưu.")
    )


@require_POST
@permission_required("reviews.manage")
def round_send(request, pk: int):
    from tdkt.councils.selectors import councils_of_unit

    def act(review):
        form = SendForm(request.POST, councils=councils_of_unit(review.unit))
        if not form.is_valid():
            _errors_to_messages(request, form)
            return None
        d = form.cleaned_data
        meeting = services.round_send(
            actor=request.user,
            round_id=review.pk,
            council_id=d["council"],
            starts_at=d["starts_at"],
            place=d["place"],
            online=d["online"],
        )
        messages.success(request, _("Đã gửi danh sách tới Hội đồng; cuộc họp đã được lập."))
        return redirect("councils:meeting_detail", pk=meeting.pk)

    return _post_action(request, pk, act, "")


@require_POST
@permission_required("reviews.manage")
def round_reopen(request, pk: int):
    form = ReasonForm(request.POST)

    def act(review):
        if not form.is_valid():
            _errors_to_messages(request, form)
            return None
        services.round_reopen(actor=request.user, round_id=review.pk, reason=form.cleaned_data["reason"])
        return None

    return _post_action(request, pk, act, _("Đã mở lại danh sách."))


@require_POST
@permission_required("reviews.manage")
def round_conclude(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda review: services.round_conclude(actor=request.user, round_id=review.pk) and None,
        _("Đã ghi nhận kết quả bình xét."),
    )


@require_POST
@permission_required("reviews.manage")
def round_decision(request, pk: int):
    def act(review):
        decision = services.round_draft_decision(actor=request.user, round_id=review.pk)
        messages.success(request, _("Đã lập dự thảo quyết định; thủ trưởng đơn vị ban hành sau khi ký."))
        return redirect("awards:decision_detail", pk=decision.pk)

    return _post_action(request, pk, act, "")


@require_GET
@export_view
def round_export(request, pk: int):
    review = get_object_or_404(ReviewRound.objects.select_related("unit"), pk=pk)
    if not (
        request.user.has_perm("reviews.view", review)
        and scope_for(request.user, EXPORT_ACTION).covers(review.unit)
    ):
        raise Http404
    columns = [
        Column(_("Mã"), 12),
        Column(_("Họ và tên / Tập thể"), 30),
        Column(_("Đơn vị"), 30),
        Column(_("Danh hiệu, hình thức"), 32),
        Column(_("Trong danh sách"), 10, "bool"),
        Column(_("Nguồn"), 20),
        Column(_("Kết quả xét tiêu chuẩn"), 16),
        Column(_("Bỏ phiếu"), 14),
        Column(_("Kết quả"), 24),
    ]

    def rows():
        for c in selectors.candidates_of(review, included=None).iterator(chunk_size=2000):
            yield [
                c.person.code if c.person_id else c.collective.code,
                str(c.subject),
                c.unit.name,
                award_name(c.award_code),
                c.included,
                c.get_origin_display(),
                c.verdict,
                c.get_vote_result_display() if c.needs_vote else "",
                c.get_outcome_display(),
            ]

    return xlsx_response(
        f"binh-xet-{review.year}-{review.unit.code}.xlsx", columns=columns, rows=rows(), sheet=_("Ứng viên")
    )


# ---------------------------------------------------------------------------------------------- own


@require_GET
@authenticated
def mine(request):
    person = getattr(request.user, "person", None) if hasattr(request.user, "person") else None
    if person is None:
        raise PermissionDenied
    return _candidacy_page(request, person, own=True)


def _person(request, person_id: int, **_kwargs) -> Person:
    return get_object_or_404(Person.objects.select_related("current_unit"), pk=person_id)


@require_GET
@permission_required("reviews.view", object_getter=_person)
def person_candidacies(request, person_id: int):
    return _candidacy_page(request, request.tdkt_object, own=False)


def _candidacy_page(request, person: Person, *, own: bool):
    from tdkt.org.views.people import person_tabs

    candidacies = selectors.own_candidacies(person.pk)
    for c in candidacies:
        c.award_label = award_name(c.award_code)
    context = {
        "person": person,
        "candidacies": candidacies,
        "own": own,
        "tabs": person_tabs(person, "reviews", request.user),
        "Outcome": Outcome,
        "breadcrumbs": [
            (person.full_name, reverse("org:person_detail", args=[person.pk])),
            (_("Bình xét"), None),
        ],
    }
    return render(request, "reviews/candidacies.html", context)
