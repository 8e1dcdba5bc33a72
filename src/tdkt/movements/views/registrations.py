"""Registration: a unit's page (its people and collectives, a title per subject, many at once), a staff
member's own page, the unit head's queue, and withdrawal."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.filters import invalid_filter_notice
from tdkt.core.paging import paginate
from tdkt.movements import services
from tdkt.movements.enums import RegistrationAction, SubjectKind
from tdkt.movements.filters import SubjectFilterForm
from tdkt.movements.forms import RejectForm, SelfRegistrationForm
from tdkt.movements.models import Movement, Registration
from tdkt.movements.selectors import (
    APPROVE,
    REGISTER,
    VIEW,
    award_subjects,
    movement_allowed,
    movement_with_details,
    open_movements_for_person,
    own_person,
    pending_for_approval,
    register_units,
    registrations_of,
    registrations_of_person,
    subjects_for_registration,
    takes_part,
)
from tdkt.movements.views.movements import crumbs, query_without
from tdkt.org.models import Unit
from tdkt.org.selectors import unit_labels

ENTRY_KEY = re.compile(r"award_(person|collective)_(\d{1,12})")
MAX_ENTRIES = 500


def _choices(movement: Movement) -> dict[str, list[tuple[str, str]]]:
    """The planned titles a person, and a collective, may register for."""
    fits = award_subjects(list(movement.award_codes), movement.year)
    return {
        SubjectKind.PERSON: [
            (c, lbl) for c, lbl in movement.award_labels if fits[c] in ("individual", "both")
        ],
        SubjectKind.COLLECTIVE: [
            (c, lbl) for c, lbl in movement.award_labels if fits[c] in ("collective", "both")
        ],
    }


def _may_withdraw(registration: Registration, user, movement: Movement) -> bool:
    return (
        registration.is_active
        and registration.registered_by_id == user.pk
        and movement.is_launched
        and not movement.deadline_passed()
    )


# ------------------------------------------------------------------------------------- a unit's page


def _registration_unit(request, pk: int, unit_id: int) -> Unit:
    """The unit of the page; 404 for a movement the user may not register in, or a unit not taking
    part — the same answer as for ids that do not exist."""
    movement = movement_with_details(pk)
    if movement is None or not movement_allowed(request.user, REGISTER, movement):
        raise Http404
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not takes_part(movement, unit):
        raise Http404
    request.tdkt_movement = movement
    return unit


def _entries(post) -> list[services.Entry]:
    entries = []
    for key, value in post.items():
        match = ENTRY_KEY.fullmatch(key)
        if match is None or not value.strip():
            continue
        kind, subject_id = match.group(1), int(match.group(2))
        entries.append(
            services.Entry(
                kind=kind,
                subject_id=subject_id,
                award_code=value.strip()[:30],
                targets=post.get(f"targets_{kind}_{subject_id}", ""),
            )
        )
    return entries


@require_http_methods(["GET", "POST"])
@permission_required(REGISTER, object_getter=_registration_unit)
def unit_registration(request, pk: int, unit_id: int):
    movement, unit = request.tdkt_movement, request.tdkt_object
    status = 200
    submitted = {}
    if request.method == "POST":
        entries = _entries(request.POST)
        try:
            if len(entries) > MAX_ENTRIES:
                raise ServiceError(
                    _("Mỗi lần đăng ký tối đa %(n)s dòng; hãy chia thành nhiều lần.") % {"n": MAX_ENTRIES}
                )
            rows = services.registrations_create(
                actor=request.user, movement_id=movement.pk, unit_id=unit.pk, entries=entries
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = 400
            submitted = {(e.kind, e.subject_id): e for e in entries}
        else:
            text = ngettext(
                "Đã đăng ký %(n)s cán bộ, tập thể.", "Đã đăng ký %(n)s cán bộ, tập thể.", len(rows)
            ) % {"n": len(rows)}
            if rows and rows[0].late:
                text += " " + services.late_notice(movement)
            messages.success(request, text)
            url = request.path + (f"?{request.GET.urlencode()}" if request.GET else "")
            return redirect(url)
    form = SubjectFilterForm(request.GET or None)
    who = form.cleaned_data.get("who", "") if form.is_valid() else ""
    if form.is_bound and not form.is_valid():
        subjects = Unit.objects.none()
    else:
        people, collectives = subjects_for_registration(
            request.user, movement, unit, form.cleaned_data.get("q", "") if form.is_bound else ""
        )
        subjects = collectives if who == "collectives" else people
    page = paginate(request, subjects, form.page_size if form.is_bound else 20)
    objects = list(page.object_list)
    kind = SubjectKind.COLLECTIVE if who == "collectives" else SubjectKind.PERSON
    existing = registrations_of(
        movement,
        people=objects if kind == SubjectKind.PERSON else (),
        collectives=objects if kind == SubjectKind.COLLECTIVE else (),
    )
    units = register_units(request.user, movement)
    labels = unit_labels(units)
    choices = _choices(movement)[kind]
    rows = []
    for subject in objects:
        regs = existing.get((kind, subject.pk), [])
        for r in regs:
            r.may_withdraw = _may_withdraw(r, request.user, movement)
        subject_unit = subject.current_unit if kind == SubjectKind.PERSON else subject.unit
        sent = submitted.get((kind, subject.pk))
        rows.append(
            {
                "subject": subject,
                "key": f"{kind}_{subject.pk}",
                "unit_label": labels.get(subject_unit.pk, subject_unit.name),
                "registrations": regs,
                "chosen": sent.award_code if sent else "",
                "targets": sent.targets if sent else "",
            }
        )
    page.object_list = rows
    context = {
        "movement": movement,
        "unit": unit,
        "unit_label": labels.get(unit.pk, unit.name),
        "units": units,
        "form": form,
        "filter_error": invalid_filter_notice(form) if form.is_bound else "",
        "page": page,
        "kind": kind,
        "choices": choices,
        "query": query_without(request, "page"),
        "open": movement.is_launched,
        "late_now": movement.is_launched and movement.deadline_passed(),
        "withdraw": RegistrationAction.WITHDRAW,
        "breadcrumbs": crumbs(
            (movement.name, reverse("movements:movement_detail", args=[movement.pk])),
            (_("Đăng ký: %(unit)s") % {"unit": unit.name}, None),
        ),
    }
    return render(request, "movements/unit_registration.html", context, status=status)


# ------------------------------------------------------------------------------- a staff member's own


def _own_movement_forms(person, user, data=None, bound_pk=None):
    rows = []
    for movement in open_movements_for_person(person):
        choices = _choices(movement)[SubjectKind.PERSON]
        prefix = f"m{movement.pk}"
        form = SelfRegistrationForm(data if bound_pk == movement.pk else None, choices=choices, prefix=prefix)
        rows.append({"movement": movement, "form": form, "late": movement.deadline_passed()})
    return rows


@require_GET
@permission_required(VIEW)
def my_registrations(request):
    person = own_person(request.user)
    registrations = []
    movements = []
    if person is not None:
        movements = _own_movement_forms(person, request.user)
        registrations = list(registrations_of_person(person))
        for r in registrations:
            r.may_withdraw = _may_withdraw(r, request.user, r.movement)
    context = {
        "person": person,
        "movements": movements,
        "registrations": registrations,
        "withdraw": RegistrationAction.WITHDRAW,
        "breadcrumbs": crumbs((_("Đăng ký thi đua của tôi"), None)),
    }
    return render(request, "movements/my_registrations.html", context)


def _visible_movement(request, pk: int) -> Movement:
    movement = Movement.objects.select_related("unit").filter(pk=pk).first()
    if movement is None:
        raise Http404
    return movement


def _next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_POST
@permission_required(VIEW, object_getter=_visible_movement)
def self_register(request, pk: int):
    movement = request.tdkt_object
    back = _next(request, reverse("movements:my_registrations"))
    form = SelfRegistrationForm(
        request.POST, choices=_choices(movement)[SubjectKind.PERSON], prefix=f"m{movement.pk}"
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        registration = services.registration_self_create(
            actor=request.user,
            movement_id=movement.pk,
            award_code=form.cleaned_data["award_code"],
            targets=form.cleaned_data.get("targets", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        text = _("Đã gửi đăng ký “%(award)s”; chờ thủ trưởng đơn vị duyệt.") % {
            "award": registration.get_award_code_display()
        }
        if registration.late:
            text += " " + services.late_notice(movement)
        messages.success(request, text)
    return redirect(back)


# --------------------------------------------------------------------------------- the head's queue


@require_GET
@permission_required(APPROVE)
def approval_list(request):
    page = paginate(request, pending_for_approval(request.user), 50)
    page.object_list = list(page.object_list)
    context = {
        "page": page,
        "query": query_without(request, "page"),
        "reject_form": RejectForm(),
        "breadcrumbs": crumbs((_("Đăng ký chờ duyệt"), None)),
    }
    return render(request, "movements/approval_list.html", context)


def _registration(request, pk: int) -> Registration:
    return get_object_or_404(Registration.objects.select_related("unit", "movement", "person"), pk=pk)


def _decide(request, registration: Registration, action: str, reason: str, done: str):
    try:
        services.registration_transition(
            actor=request.user, registration_id=registration.pk, action=action, reason=reason
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(_next(request, reverse("movements:approval_list")))


@require_POST
@permission_required(APPROVE, object_getter=_registration)
def registration_approve(request, pk: int):
    registration = request.tdkt_object
    return _decide(
        request,
        registration,
        RegistrationAction.APPROVE,
        "",
        _("Đã duyệt đăng ký của %(name)s.") % {"name": registration.subject},
    )


@require_POST
@permission_required(APPROVE, object_getter=_registration)
def registration_reject(request, pk: int):
    registration = request.tdkt_object
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do không duyệt."))
        return redirect(_next(request, reverse("movements:approval_list")))
    return _decide(
        request,
        registration,
        RegistrationAction.REJECT,
        form.cleaned_data["reason"],
        _("Đã ghi không duyệt đăng ký của %(name)s.") % {"name": registration.subject},
    )


def _own_registration(request, pk: int) -> Registration:
    """A registration the user made; any other reads as nonexistent."""
    registration = (
        Registration.objects.select_related("unit", "movement", "person", "collective")
        .filter(pk=pk, registered_by=request.user)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


@require_POST
@permission_required(VIEW, object_getter=_own_registration)
def registration_withdraw(request, pk: int):
    registration = request.tdkt_object
    try:
        services.registration_transition(
            actor=request.user, registration_id=registration.pk, action=RegistrationAction.WITHDRAW
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã rút đăng ký “%(award)s” của %(name)s.")
            % {"award": registration.get_award_code_display(), "name": registration.subject},
        )
    return redirect(_next(request, reverse("movements:my_registrations")))
