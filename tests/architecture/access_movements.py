"""Access table of movements and registration (issue 8): who sees, launches, registers, approves and
reads the consolidated table, on objects in A, A1 and B.

Targets: root — the ministry's launched movement, open to every unit; a — department A's own launched
movement; b — department B's own; draft — the ministry's draft; adraft — A's draft. For registration
pages: a / b — the ministry's movement × unit A / unit B. For registrations: a1 — one of A1 (a pending
self-registration of Phạm Thu Hà, or for withdrawal one made by the signed-in user); b — the same in B.
List code "Ad": A's rows and A's drafts (those who manage A see its drafts).

The policy, in words:
- the list and a movement's page: every role that reads the organisation (specialist, officer, unit
  head, council member, leader, bloc head, inspector) for movements whose participating units meet
  their scope, and a staff member for the movements of their own unit; drafts only for those who
  manage the owning unit; a movement of another unit reads as nonexistent (404); the launching
  document and attachments follow the movement;
- launching, editing a draft, closing, adding attachments: specialist and officer managing the owning
  unit;
- registering a unit's people and collectives: specialist and officer of the unit; a staff member (any
  signed-in user linked to a person) registers only for themselves; the unit head of the person's unit
  approves or rejects; only the one who registered withdraws;
- the consolidated table: the ministry's department, leaders and inspectors, rows kept to their scope;
  its export also needs the export right.
"""

from __future__ import annotations

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tdkt.core.uploads import check_upload
from tdkt.movements import services
from tdkt.movements.enums import MovementAction
from tdkt.movements.models import Movement, MovementAttachment, Registration
from tests.architecture.matrix import Endpoint, Request, World
from tests.factories import make_user

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
movements:movement_list          GET    -       all Ad  Ad  A   A   A   A   A   403 A   403 log
movements:movement_detail        GET    root    200 200 200 200 200 200 200 200 403 200 403 log
movements:movement_detail        GET    a       200 200 200 200 200 200 200 200 403 200 403 log
movements:movement_detail        GET    b       200 404 404 404 404 404 404 404 403 404 403 log
movements:movement_detail        GET    draft   200 404 404 404 404 404 404 404 403 404 403 log
movements:movement_detail        GET    adraft  200 200 200 404 404 404 404 404 403 404 403 log
movements:movement_create        GET    -       200 200 200 403 403 403 403 403 403 403 403 log
movements:movement_create        POST   -       302 302 302 403 403 403 403 403 403 403 403 log
movements:movement_edit          GET    adraft  200 200 200 403 403 403 403 403 403 403 403 log
movements:movement_edit          GET    draft   200 404 404 403 403 403 403 403 403 403 403 log
movements:movement_edit          POST   adraft  302 302 302 403 403 403 403 403 403 403 403 log
movements:movement_launch        POST   adraft  302 302 302 403 403 403 403 403 403 403 403 log
movements:movement_launch        POST   draft   302 404 404 403 403 403 403 403 403 403 403 log
movements:movement_close         POST   a       302 302 302 403 403 403 403 403 403 403 403 log
movements:movement_close         POST   b       302 404 404 403 403 403 403 403 403 403 403 log
movements:attachment_add         POST   a       302 302 302 403 403 403 403 403 403 403 403 log
movements:attachment_add         POST   b       302 404 404 403 403 403 403 403 403 403 403 log
movements:document_download      GET    root    200 200 200 200 200 200 200 200 403 200 403 log
movements:document_download      GET    b       200 404 404 404 404 404 404 404 403 404 403 log
movements:attachment_download    GET    root    200 200 200 200 200 200 200 200 403 200 403 log
movements:attachment_download    GET    b       200 404 404 404 404 404 404 404 403 404 403 log
movements:attachment_download    GET    adraft  200 200 200 404 404 404 404 404 403 404 403 log
movements:unit_registration      GET    a       200 200 200 403 403 403 403 403 403 403 403 log
movements:unit_registration      GET    b       200 404 404 403 403 403 403 403 403 403 403 log
movements:unit_registration      POST   a       302 302 302 403 403 403 403 403 403 403 403 log
movements:unit_registration      POST   b       302 404 404 403 403 403 403 403 403 403 403 log
movements:self_register          POST   root    302 302 302 302 302 302 302 302 403 302 403 log
movements:self_register          POST   b       302 404 404 404 404 404 404 404 403 404 403 log
movements:consolidated           GET    root    all A   403 403 403 A   403 A   403 403 403 log
movements:consolidated           GET    b       200 404 403 403 403 404 403 404 403 403 403 log
movements:consolidated_export    GET    root    all A   403 403 403 A   403 A   403 403 403 log
movements:consolidated_export    GET    b       200 404 403 403 403 404 403 404 403 403 403 log
movements:my_registrations       GET    -       200 200 200 200 200 200 200 200 403 200 403 log
movements:approval_list          GET    -       200 403 403 200 403 403 403 403 403 403 403 log
movements:registration_approve   POST   a1      302 403 403 302 403 403 403 403 403 403 403 log
movements:registration_approve   POST   b       302 403 403 404 403 403 403 403 403 403 403 log
movements:registration_reject    POST   a1      302 403 403 302 403 403 403 403 403 403 403 log
movements:registration_reject    POST   b       302 403 403 404 403 403 403 403 403 403 403 log
movements:registration_withdraw  POST   a1      302 302 302 302 302 302 302 302 403 404 403 log
movements:registration_withdraw  POST   b       302 404 404 404 404 404 404 404 403 404 403 log
"""
# fmt: on

PDF = b"%PDF-1.4\n%%EOF\n"
TODAY = timezone.localdate()
NAMES = {
    "root": "Phong trào chung của Bộ",
    "a": "Chuyên đề Alpha",
    "b": "Chuyên đề Beta",
    "draft": "Dự thảo chung",
    "adraft": "Dự thảo Alpha",
}
LIST_ROWS = {
    "A": {NAMES["root"], NAMES["a"]},
    "Ad": {NAMES["root"], NAMES["a"], NAMES["adraft"]},  # and A's drafts, for those who manage A
    "all": set(NAMES.values()),
}
TABLE_ROWS = {
    "A": {"Vụ Alpha", "Phòng Alpha Một"},
    "all": {"Bộ Thử nghiệm", "Vụ Alpha", "Phòng Alpha Một", "Vụ Beta"},
}
EXPORT_ROWS = {
    "A": {"Vụ Alpha", "Phòng Alpha Một — Vụ Alpha"},
    "all": {"Bộ Thử nghiệm", "Vụ Alpha", "Phòng Alpha Một — Vụ Alpha", "Vụ Beta"},
}


def _pdf(name="Kế hoạch.pdf"):
    return check_upload(SimpleUploadedFile(name, PDF), kinds={"pdf"}, max_bytes=1024 * 1024)


def _data(name: str, *, yearly=False, year=None) -> services.MovementData:
    period = (
        {"kind": "yearly", "year": year or TODAY.year}
        if yearly
        else {"kind": "thematic", "start": TODAY, "end": TODAY + datetime.timedelta(days=90)}
    )
    return services.MovementData(
        name=name,
        doc_number="1/KH",
        doc_date=TODAY,
        award_codes=["ldtt", "cstd_co_so", "tt_ldtt"],
        registration_deadline=TODAY + datetime.timedelta(days=30),
        **period,
    )


def build(world: World) -> None:
    u, p = world.units, world.people
    builder = make_user("mov_builder", "admin", u["root"])

    def movement(key, owner, *, launch=True, **kw):
        m = services.movement_create(actor=builder, unit=owner, data=_data(NAMES[key], **kw), document=_pdf())
        if launch:
            m = services.movement_transition(actor=builder, movement_id=m.pk, action=MovementAction.LAUNCH)
        return m

    movements = {
        "root": movement("root", u["root"], yearly=True),
        "a": movement("a", u["a"]),
        "b": movement("b", u["b"]),
        "draft": movement("draft", u["root"], launch=False, yearly=True, year=TODAY.year + 1),
        "adraft": movement("adraft", u["a"], launch=False),
    }
    attachments = {
        key: services.attachment_add(
            actor=builder, movement_id=movements[key].pk, title=f"Tài liệu {key}", file=_pdf()
        )
        for key in ("root", "b", "adraft")
    }
    root = movements["root"]
    pending = {
        key: Registration.objects.create(
            movement=root,
            person=p[key],
            unit=p[key].current_unit,
            award_code="cstd_co_so",
            status="pending",
            self_registered=True,
        )
        for key in ("a1", "b")
    }
    # for withdrawal: approved registrations (a title other than the pending ones), whose registrant is
    # set to the signed-in user when the request is built
    withdrawable = {
        key: Registration.objects.create(
            movement=root,
            collective=world.collectives[key],
            unit=world.collectives[key].unit,
            award_code="tt_ldtt",
            status="approved",
        )
        for key in ("a1", "b")
    }
    world.extra["movements"] = movements
    world.extra["attachments"] = attachments
    world.extra["pending"] = pending
    world.extra["withdrawable"] = withdrawable


def state() -> tuple:
    return (
        tuple(sorted(Movement.objects.values_list("id", "name", "status"))),
        MovementAttachment.objects.count(),
        tuple(sorted(Registration.objects.values_list("id", "status"))),
    )


def _xlsx_units(response) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {row[1] for row in book.active.iter_rows(min_row=2, values_only=True) if row[1]}


def _m(w: World, t: str) -> Movement:
    return w.extra["movements"][t]


def _signed_in(w: World):
    """The signed-in user: core's table gives each a job of their own when signing in."""
    return w.own_job.created_by if w.own_job is not None else None


def _withdrawable(w: World, t: str) -> Registration:
    registration = w.extra["withdrawable"][t]
    Registration.objects.filter(pk=registration.pk).update(registered_by=_signed_in(w))
    return registration


def _form(w: World) -> dict:
    return {
        "unit": w.units["a"].pk,
        "name": "Phong trào mới của Vụ Alpha",
        "kind": "yearly",
        "year": str(TODAY.year),
        "award_codes": ["ldtt"],
        "participation": "all",
    }


def _register(w: World, t: str) -> Request:
    unit = w.units[t]
    subject = w.people[t]
    return Request(
        reverse("movements:unit_registration", args=[_m(w, "root").pk, unit.pk]),
        {f"award_person_{subject.pk}": "ldtt", f"targets_person_{subject.pk}": "Hoàn thành tốt"},
        marker=unit.name,
        redirect=reverse("movements:unit_registration", args=[_m(w, "root").pk, unit.pk]),
    )


def _self(w: World, t: str) -> Request:
    m = _m(w, t)
    return Request(
        reverse("movements:self_register", args=[m.pk]),
        {f"m{m.pk}-award_code": "ldtt", f"m{m.pk}-targets": "Hoàn thành xuất sắc"},
        redirect=reverse("movements:my_registrations"),
    )


ENDPOINTS = {
    "movements:movement_list": Endpoint(
        lambda w, t: Request(reverse("movements:movement_list")),
        rows=lambda r: {m.name for m in r.context["page"].object_list},
        expected_rows=LIST_ROWS,
    ),
    "movements:movement_detail": Endpoint(
        lambda w, t: Request(reverse("movements:movement_detail", args=[_m(w, t).pk]), marker=_m(w, t).name)
    ),
    "movements:movement_create": Endpoint(
        lambda w, t: Request(reverse("movements:movement_create"), _form(w), redirect="/movements/"),
        changes=True,
    ),
    "movements:movement_edit": Endpoint(
        lambda w, t: Request(
            reverse("movements:movement_edit", args=[_m(w, t).pk]),
            {
                **_form(w),
                "name": "Dự thảo Alpha đã sửa",
                "kind": "thematic",
                "year": "",
                "start": TODAY.strftime("%d/%m/%Y"),
                "end": TODAY.strftime("%d/%m/%Y"),
            },  # fmt: skip
            marker=_m(w, t).name,
            redirect=reverse("movements:movement_detail", args=[_m(w, t).pk]),
        ),
        changes=True,
    ),
    "movements:movement_launch": Endpoint(
        lambda w, t: Request(
            reverse("movements:movement_launch", args=[_m(w, t).pk]),
            {},
            redirect=reverse("movements:movement_detail", args=[_m(w, t).pk]),
        ),
        changes=True,
    ),
    "movements:movement_close": Endpoint(
        lambda w, t: Request(
            reverse("movements:movement_close", args=[_m(w, t).pk]),
            {"note": "Tổng kết"},
            redirect=reverse("movements:movement_detail", args=[_m(w, t).pk]),
        ),
        changes=True,
    ),
    "movements:attachment_add": Endpoint(
        lambda w, t: Request(
            reverse("movements:attachment_add", args=[_m(w, t).pk]),
            {"title": "Báo cáo sơ kết", "file": SimpleUploadedFile("so-ket.pdf", PDF)},
            redirect=reverse("movements:movement_detail", args=[_m(w, t).pk]),
        ),
        changes=True,
    ),
    "movements:document_download": Endpoint(
        lambda w, t: Request(reverse("movements:document_download", args=[_m(w, t).pk]))
    ),
    "movements:attachment_download": Endpoint(
        lambda w, t: Request(reverse("movements:attachment_download", args=[w.extra["attachments"][t].pk]))
    ),
    "movements:unit_registration": Endpoint(_register, changes=True),
    # a user not linked to a person is told so (a message, nothing saved); the staff member registers
    "movements:self_register": Endpoint(_self),
    "movements:consolidated": Endpoint(
        lambda w, t: Request(
            reverse("movements:consolidated", args=[_m(w, t).pk]), marker=_m(w, t).name if t == "b" else None
        ),
        rows=lambda r: {row.unit.name for row in r.context["rows"]},
        expected_rows=TABLE_ROWS,
    ),
    "movements:consolidated_export": Endpoint(
        lambda w, t: Request(reverse("movements:consolidated_export", args=[_m(w, t).pk])),
        rows=lambda r: _xlsx_units(r),
        expected_rows=EXPORT_ROWS,
    ),
    "movements:my_registrations": Endpoint(lambda w, t: Request(reverse("movements:my_registrations"))),
    "movements:approval_list": Endpoint(lambda w, t: Request(reverse("movements:approval_list"))),
    "movements:registration_approve": Endpoint(
        lambda w, t: Request(
            reverse("movements:registration_approve", args=[w.extra["pending"][t].pk]),
            {},
            redirect=reverse("movements:approval_list"),
        ),
        changes=True,
    ),
    "movements:registration_reject": Endpoint(
        lambda w, t: Request(
            reverse("movements:registration_reject", args=[w.extra["pending"][t].pk]),
            {"reason": "Chỉ tiêu chưa cụ thể"},
            redirect=reverse("movements:approval_list"),
        ),
        changes=True,
    ),
    "movements:registration_withdraw": Endpoint(
        lambda w, t: Request(
            reverse("movements:registration_withdraw", args=[_withdrawable(w, t).pk]),
            {},
            redirect=reverse("movements:my_registrations"),
        ),
        changes=True,
    ),
}
