"""Movements: the list, the page of one movement, launching and editing, its files."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tdkt.accounts.scope import has_action, scope_for
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.filters import invalid_filter_notice
from tdkt.core.paging import paginate
from tdkt.movements import services
from tdkt.movements.enums import MovementAction, MovementKind, RegistrationAction
from tdkt.movements.filters import MovementFilterForm
from tdkt.movements.forms import AttachmentForm, MovementForm, max_file_text
from tdkt.movements.models import Movement, MovementAttachment
from tdkt.movements.selectors import (
    APPROVE,
    CONSOLIDATED,
    MANAGE,
    REGISTER,
    VIEW,
    MovementFilter,
    awards_under_movement,
    filtered_movements,
    movement_with_details,
    own_person,
    registration_table,
    registrations_of,
    takes_part,
)
from tdkt.org.models import Unit
from tdkt.org.selectors import tree_order

RESULTS_TARGET = "movement-results"


def is_partial(request, target: str) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == target
        and not request.headers.get("HX-History-Restore-Request")
    )


def query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def crumbs(*tail):
    return [(_("Phong trào thi đua"), reverse("movements:movement_list")), *tail]


@require_GET
@permission_required(VIEW)
def movement_list(request):
    form = MovementFilterForm(request.GET or None)
    f = form.to_filter() if form.is_bound else None
    if form.is_bound and f is None:
        rows = Movement.objects.none()
    else:
        rows = filtered_movements(request.user, f or MovementFilter())
    page = paginate(request, rows, form.page_size if form.is_bound else 20)
    page.object_list = list(page.object_list)
    context = {
        "form": form,
        "page": page,
        "filter_error": invalid_filter_notice(form) if form.is_bound else "",
        "query": query_without(request, "page"),
        "results_target": RESULTS_TARGET,
        "can_launch": has_action(request.user, MANAGE),
        "can_approve": has_action(request.user, APPROVE),
        "own_person": own_person(request.user),
        "breadcrumbs": [(_("Phong trào thi đua"), None)],
    }
    template = "movements/movement_list.html"
    if is_partial(request, RESULTS_TARGET):
        template += "#results"
    return render(request, template, context)


def _movement(request, pk: int) -> Movement:
    movement = movement_with_details(pk)
    if movement is None:
        raise Http404
    return movement


def _manage_units(user):
    """The units the user may launch movements for: the queryset and the same in tree order."""
    units = scope_for(user, MANAGE).filter_units(Unit.objects.all())
    rows = tree_order(list(units.only("id", "name", "path", "depth", "sort_order", "kind", "active_to")))
    return units, [u for u in rows if u.active_to is None]


def detail_context(request, movement: Movement, *, attachment_form=None) -> dict:
    user = request.user
    view_scope = scope_for(user, VIEW)
    register_scope = scope_for(user, REGISTER)
    table = None
    if not movement.is_draft and view_scope.units_only:
        table = registration_table(movement, view_scope)
        for row in table.rows:
            row.can_register = movement.is_launched and register_scope.covers(row.unit)
    person = own_person(user)
    mine = []
    may_self_register = False
    if person is not None:
        mine = registrations_of(movement, people=[person]).get(("person", person.pk), [])
        for r in mine:
            r.may_withdraw = r.registered_by_id == user.pk and r.is_active
        may_self_register = movement.is_launched and takes_part(movement, person.current_unit)
    can_manage = user.has_perm(MANAGE, movement)
    return {
        "movement": movement,
        "participants": list(movement.participants.all()),
        "attachments": list(movement.attachments.all()),
        "transitions": list(movement.transitions.all()),
        "table": table,
        "awards": list(awards_under_movement(movement).select_related("person", "collective", "unit")[:500]),
        "mine": mine,
        "person": person,
        "may_self_register": may_self_register,
        "can_manage": can_manage,
        "can_consolidate": not movement.is_draft and user.has_perm(CONSOLIDATED, movement),
        "attachment_form": attachment_form or (AttachmentForm() if can_manage else None),
        "max_size": max_file_text(),
        "actions": MovementAction,
        "withdraw": RegistrationAction.WITHDRAW,
        "breadcrumbs": crumbs((movement.name, None)),
    }


@require_GET
@permission_required(VIEW, object_getter=_movement)
def movement_detail(request, pk: int):
    return render(request, "movements/movement_detail.html", detail_context(request, request.tdkt_object))


def _form_page(request, form, *, movement=None, status=200):
    context = {
        "form": form,
        "movement": movement,
        "max_size": max_file_text(),
        "kinds": MovementKind,
        "breadcrumbs": crumbs(
            *(
                [(movement.name, reverse("movements:movement_detail", args=[movement.pk])), (_("Sửa"), None)]
                if movement
                else [(_("Phát động phong trào mới"), None)]
            )
        ),
    }
    return render(request, "movements/movement_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def movement_create(request):
    units, choices = _manage_units(request.user)
    form = MovementForm(request.POST or None, request.FILES or None, units=units, unit_choices=choices)
    if request.method == "POST":
        if form.is_valid():
            try:
                movement = services.movement_create(
                    actor=request.user,
                    unit=form.cleaned_data["unit"],
                    data=form.movement_data,
                    document=form.checked_document,
                )
            except ServiceError as exc:
                exc.show_on(form)
            else:
                messages.success(request, _("Đã lưu dự thảo phong trào. Kiểm tra lại rồi bấm “Phát động”."))
                return redirect("movements:movement_detail", pk=movement.pk)
        return _form_page(request, form, status=400)
    return _form_page(request, form)


def _initial(movement: Movement) -> dict:
    return {
        "name": movement.name,
        "kind": movement.kind,
        "year": movement.year if movement.kind == MovementKind.YEARLY else None,
        "start": movement.start,
        "end": movement.end,
        "goals": movement.goals,
        "criteria": movement.criteria,
        "doc_number": movement.doc_number,
        "doc_date": movement.doc_date,
        "doc_signer": movement.doc_signer,
        "award_codes": list(movement.award_codes),
        "participation": "all" if movement.all_units else "chosen",
        "units": [] if movement.all_units else [u.pk for u in movement.participants.all()],
        "registration_deadline": movement.registration_deadline,
    }


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, object_getter=_movement)
def movement_edit(request, pk: int):
    movement = request.tdkt_object
    if not movement.is_draft:
        messages.error(
            request, _("Phong trào đã phát động: chỉ được thêm tài liệu kèm theo hoặc kết thúc phong trào.")
        )
        return redirect("movements:movement_detail", pk=movement.pk)
    units, choices = _manage_units(request.user)
    form = MovementForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        unit_choices=choices,
        owner=movement.unit,
        initial=_initial(movement),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.movement_update(
                    actor=request.user,
                    movement_id=movement.pk,
                    data=form.movement_data,
                    document=form.checked_document,
                )
            except ServiceError as exc:
                exc.show_on(form)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("movements:movement_detail", pk=movement.pk)
        return _form_page(request, form, movement=movement, status=400)
    return _form_page(request, form, movement=movement)


def _transition(request, pk: int, action: str, done: str):
    movement = request.tdkt_object
    try:
        services.movement_transition(
            actor=request.user, movement_id=movement.pk, action=action, note=request.POST.get("note", "")
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("movements:movement_detail", pk=movement.pk)


@require_POST
@permission_required(MANAGE, object_getter=_movement)
def movement_launch(request, pk: int):
    return _transition(request, pk, MovementAction.LAUNCH, _("Đã phát động phong trào."))


@require_POST
@permission_required(MANAGE, object_getter=_movement)
def movement_close(request, pk: int):
    return _transition(request, pk, MovementAction.CLOSE, _("Đã kết thúc phong trào."))


@require_POST
@permission_required(MANAGE, object_getter=_movement)
def attachment_add(request, pk: int):
    movement = request.tdkt_object
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                movement_id=movement.pk,
                title=form.cleaned_data["title"],
                file=form.checked,
            )
        except ServiceError as exc:
            form.add_error("title" if exc.field == "title" else None, exc.message)
        else:
            messages.success(request, _("Đã thêm tài liệu kèm theo."))
            return redirect(reverse("movements:movement_detail", args=[movement.pk]) + "#attachments")
    context = detail_context(request, movement, attachment_form=form)
    return render(request, "movements/movement_detail.html", context, status=400)


def _file_response(field, name: str, content_type: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@permission_required(VIEW, object_getter=_movement)
def document_download(request, pk: int):
    movement = request.tdkt_object
    if not movement.doc_file:
        raise Http404
    return _file_response(movement.doc_file, movement.doc_file_name, movement.doc_content_type)


def _attachment(request, pk: int) -> MovementAttachment:
    return get_object_or_404(MovementAttachment.objects.select_related("movement__unit"), pk=pk)


@require_GET
@permission_required(VIEW, object_getter=_attachment)
def attachment_download(request, pk: int):
    attachment = request.tdkt_object
    return _file_response(attachment.file, attachment.file_name, attachment.content_type)
