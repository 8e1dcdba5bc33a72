"""Councils and their members."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.councils import selectors, services
from tdkt.councils.forms import (
    CouncilForm,
    MemberForm,
)
from tdkt.councils.models import CouncilMember
from tdkt.councils.views.common import (
    _council,
    _error,
    _form_errors,
    _member_council,
)


@require_GET
@permission_required("councils.view")
def council_list(request):
    context = {
        "councils": selectors.council_list(request.user),
        "can_manage": request.user.has_perm("councils.manage"),
        "breadcrumbs": [(_("Hội đồng Thi đua – Khen thưởng"), None)],
    }
    return render(request, "councils/council_list.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("councils.manage")
def council_create(request):
    form = CouncilForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            council = services.council_create(
                actor=request.user,
                unit_id=data["unit"].pk,
                name=data["name"],
                term_from=data["term_from"],
                term_to=data["term_to"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
            )
        except ServiceError as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("Đã thành lập %(name)s.") % {"name": council.name})
            return redirect("councils:council_detail", pk=council.pk)
    context = {
        "form": form,
        "breadcrumbs": [
            (_("Hội đồng Thi đua – Khen thưởng"), reverse("councils:council_list")),
            (_("Thành lập Hội đồng"), None),
        ],
    }
    return render(request, "councils/council_form.html", context)


@require_GET
@permission_required("councils.view", object_getter=_council)
def council_detail(request, pk: int):
    council = request.tdkt_object
    can_manage = request.user.has_perm("councils.manage", council)
    context = {
        "council": council,
        "members": selectors.members_of(council.pk),
        "meetings": selectors.council_meetings(council),
        "can_manage": can_manage,
        "member_form": MemberForm(unit=council.unit) if can_manage else None,
        "roles": CouncilMember._meta.get_field("role").choices,
        "breadcrumbs": [
            (_("Hội đồng Thi đua – Khen thưởng"), reverse("councils:council_list")),
            (str(council), None),
        ],
    }
    return render(request, "councils/council_detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("councils.manage", object_getter=_council)
def council_edit(request, pk: int):
    council = request.tdkt_object
    initial = {f: getattr(council, f) for f in services.councils.COUNCIL_FIELDS}
    form = CouncilForm(request.POST or None, initial=initial, user=request.user, fixed_unit=council.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_update(actor=request.user, council_id=council.pk, **form.cleaned_data)
        except ServiceError as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("Đã lưu thông tin Hội đồng."))
            return redirect("councils:council_detail", pk=council.pk)
    context = {
        "form": form,
        "council": council,
        "breadcrumbs": [
            (_("Hội đồng Thi đua – Khen thưởng"), reverse("councils:council_list")),
            (str(council), reverse("councils:council_detail", args=[council.pk])),
            (_("Sửa"), None),
        ],
    }
    return render(request, "councils/council_form.html", context)


@require_POST
@permission_required("councils.manage", object_getter=_council)
def member_add(request, pk: int):
    council = request.tdkt_object
    form = MemberForm(request.POST, unit=council.unit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            member = services.member_add(
                actor=request.user,
                council_id=council.pk,
                person_id=form.person_id,
                role=data["role"],
                votes=True if data["votes"] else None,
            )
        except ServiceError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã bổ sung %(name)s vào Hội đồng.") % {"name": member.person})
    else:
        _form_errors(request, form)
    return redirect("councils:council_detail", pk=council.pk)


@require_POST
@permission_required("councils.manage", object_getter=_member_council)
def member_update(request, pk: int):
    member = request.tdkt_member
    try:
        services.member_update(
            actor=request.user,
            member_id=member.pk,
            role=request.POST.get("role", ""),
            votes=True if request.POST.get("votes") else None,
        )
    except ServiceError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã lưu chức danh của %(name)s.") % {"name": member.person})
    return redirect("councils:council_detail", pk=member.council_id)


@require_POST
@permission_required("councils.manage", object_getter=_member_council)
def member_remove(request, pk: int):
    member = request.tdkt_member
    try:
        services.member_remove(actor=request.user, member_id=member.pk)
    except ServiceError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(name)s đã thôi tham gia Hội đồng.") % {"name": member.person})
    return redirect("councils:council_detail", pk=member.council_id)
