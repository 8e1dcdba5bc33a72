"""Services of movements and registrations: every transition, every refusal, nothing half-saved."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent, Notification
from tdkt.movements import services
from tdkt.movements.enums import MovementAction, MovementStatus, RegistrationAction, RegistrationStatus
from tdkt.movements.models import Movement, MovementAttachment, MovementTransition, MovementUnit, Registration
from tdkt.movements.selectors import (
    awards_under_movement,
    registered_subjects,
    registration_deadlines_due,
)
from tests.movements.conftest import TODAY, YEAR, data, pdf

Entry = services.Entry


def _refused(fn, *args, message: str, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as exc:
        fn(*args, **kwargs)
    assert message in str(exc.value.message), exc.value.message
    return exc.value


# ------------------------------------------------------------------------------------------ movements


def test_a_new_movement_is_a_draft_open_to_the_owning_units_subtree(tree, users):
    movement = services.movement_create(
        actor=users["specialist"], unit=tree["root"], data=data(), document=pdf()
    )

    assert movement.status == MovementStatus.DRAFT
    assert list(MovementUnit.objects.filter(movement=movement).values_list("unit_id", flat=True)) == [
        tree["root"].pk
    ]
    assert movement.doc_file_name == "Quyết định phát động.pdf"
    assert "Quyết" not in movement.doc_file.name and movement.doc_file.name.endswith(".pdf")
    assert movement.award_codes == ["ldtt", "cstd_co_so", "tt_ldtt", "bang_khen_bo"]
    event = AuditEvent.objects.get(event="movement.create")
    assert event.changes["participants"] == [tree["root"].pk]


def test_chosen_units_must_lie_inside_the_owning_unit(tree, users):
    _refused(
        services.movement_create,
        actor=users["officer_a"],
        unit=tree["a"],
        data=data(all_units=False, units=[tree["b"]]),
        message="Đơn vị tham gia phải thuộc đơn vị phát động",
    )
    assert not Movement.objects.exists()


def test_a_chosen_unit_inside_another_chosen_one_is_kept_once(tree, users):
    movement = services.movement_create(
        actor=users["specialist"],
        unit=tree["root"],
        data=data(all_units=False, units=[tree["a1"], tree["a"]]),
    )
    assert list(movement.participants.values_list("pk", flat=True)) == [tree["a"].pk]


def test_a_thematic_movement_ending_before_it_starts_is_refused(tree, users):
    error = _refused(
        services.movement_create,
        actor=users["specialist"],
        unit=tree["root"],
        data=data(kind="thematic", start=datetime.date(YEAR, 5, 1), end=datetime.date(YEAR, 4, 1)),
        message=f"Ngày kết thúc (01/04/{YEAR}) phải sau hoặc bằng ngày bắt đầu (01/05/{YEAR})",
    )
    assert error.field == "end"
    assert not Movement.objects.exists()


def test_a_deadline_before_the_launch_date_is_refused(tree, users):
    _refused(
        services.movement_create,
        actor=users["specialist"],
        unit=tree["root"],
        data=data(doc_date=datetime.date(YEAR, 3, 10), registration_deadline=datetime.date(YEAR, 3, 1)),
        message=f"Hạn đăng ký (01/03/{YEAR}) không được trước ngày phát động (10/03/{YEAR})",
    )


def test_one_yearly_movement_per_unit_and_year(tree, users):
    services.movement_create(actor=users["specialist"], unit=tree["root"], data=data())
    _refused(
        services.movement_create,
        actor=users["specialist"],
        unit=tree["root"],
        data=data(name="Lần hai"),
        message=f"đã có phong trào thi đua thường xuyên năm {YEAR}",
    )
    assert Movement.objects.count() == 1


def test_planned_titles_must_come_from_the_catalogue(tree, users):
    _refused(
        services.movement_create,
        actor=users["specialist"],
        unit=tree["root"],
        data=data(award_codes=["ldtt", "huy_chuong_vang"]),
        message="không có trong danh mục",
    )
    _refused(
        services.movement_create,
        actor=users["specialist"],
        unit=tree["root"],
        data=data(award_codes=[]),
        message="ít nhất một danh hiệu",
    )


def test_only_a_manager_of_the_owning_unit_launches(tree, users):
    with pytest.raises(PermissionDenied):
        services.movement_create(actor=users["officer_a"], unit=tree["root"], data=data())
    with pytest.raises(PermissionDenied):
        services.movement_create(actor=users["head_a"], unit=tree["a"], data=data())
    assert not Movement.objects.exists()


def test_a_draft_is_edited_and_a_launched_movement_is_not(tree, users):
    actor = users["specialist"]
    movement = services.movement_create(actor=actor, unit=tree["root"], data=data(), document=pdf())
    services.movement_update(
        actor=actor, movement_id=movement.pk, data=data(name="Tên mới", goals="Mục tiêu")
    )
    movement.refresh_from_db()
    assert movement.name == "Tên mới"
    assert AuditEvent.objects.get(event="movement.update").changes["name"] == ["Thi đua yêu nước", "Tên mới"]

    services.movement_transition(actor=actor, movement_id=movement.pk, action=MovementAction.LAUNCH)
    _refused(
        services.movement_update,
        actor=actor,
        movement_id=movement.pk,
        data=data(name="Sửa sau khi phát động"),
        message="chỉ được thêm tài liệu kèm theo hoặc kết thúc",
    )
    movement.refresh_from_db()
    assert movement.name == "Tên mới"


def test_launch_needs_the_document_and_records_the_transition(tree, users):
    actor = users["specialist"]
    movement = services.movement_create(actor=actor, unit=tree["root"], data=data(doc_number=""))
    _refused(
        services.movement_transition,
        actor=actor,
        movement_id=movement.pk,
        action=MovementAction.LAUNCH,
        message="còn thiếu số và ngày của văn bản phát động, tệp văn bản phát động",
    )
    assert Movement.objects.get(pk=movement.pk).status == MovementStatus.DRAFT

    services.movement_update(actor=actor, movement_id=movement.pk, data=data(), document=pdf())
    services.movement_transition(actor=actor, movement_id=movement.pk, action=MovementAction.LAUNCH)
    services.movement_transition(
        actor=actor, movement_id=movement.pk, action=MovementAction.CLOSE, note="Tổng kết"
    )

    assert Movement.objects.get(pk=movement.pk).status == MovementStatus.CLOSED
    assert list(MovementTransition.objects.values_list("from_status", "to_status", "note")) == [
        ("draft", "launched", ""),
        ("launched", "closed", "Tổng kết"),
    ]
    assert list(
        AuditEvent.objects.filter(event__in=["movement.launch", "movement.close"])
        .order_by("id")
        .values_list("event", "changes")
    ) == [
        ("movement.launch", {"status": ["draft", "launched"]}),
        ("movement.close", {"status": ["launched", "closed"], "note": "Tổng kết"}),
    ]


@pytest.mark.parametrize(
    ("steps", "action", "message"),
    [
        ([], MovementAction.CLOSE, "Không thể “Kết thúc” phong trào đang ở trạng thái “Dự thảo”"),
        (
            [MovementAction.LAUNCH],
            MovementAction.LAUNCH,
            "Không thể “Phát động” phong trào đang ở trạng thái “Đã phát động”",
        ),
        (
            [MovementAction.LAUNCH, MovementAction.CLOSE],
            MovementAction.CLOSE,
            "Không thể “Kết thúc” phong trào đang ở trạng thái “Đã kết thúc”",
        ),
    ],
)
def test_illegal_moves_are_refused(tree, users, steps, action, message):
    actor = users["specialist"]
    movement = services.movement_create(actor=actor, unit=tree["root"], data=data(), document=pdf())
    for step in steps:
        services.movement_transition(actor=actor, movement_id=movement.pk, action=step)
    events = AuditEvent.objects.count()
    _refused(
        services.movement_transition, actor=actor, movement_id=movement.pk, action=action, message=message
    )
    assert AuditEvent.objects.count() == events


def test_only_a_manager_of_the_owning_unit_moves_it(tree, users, movements):
    for actor in (users["officer_a"], users["head_a"], users["leader"]):
        with pytest.raises(PermissionDenied):
            services.movement_transition(
                actor=actor, movement_id=movements["ministry"].pk, action=MovementAction.CLOSE
            )
    assert Movement.objects.get(pk=movements["ministry"].pk).status == MovementStatus.LAUNCHED


def test_attachments_are_added_to_a_launched_movement(users, movements):
    attachment = services.attachment_add(
        actor=users["specialist"], movement_id=movements["ministry"].pk, title="Kế hoạch", file=pdf("kh.pdf")
    )
    assert attachment.file_name == "kh.pdf" and attachment.file.name.endswith(".pdf")
    assert "kh" not in attachment.file.name.rsplit("/", 1)[-1]
    _refused(
        services.attachment_add,
        actor=users["specialist"],
        movement_id=movements["ministry"].pk,
        title="  ",
        file=pdf(),
        message="Hãy nhập tên tài liệu",
    )
    assert MovementAttachment.objects.count() == 1


# --------------------------------------------------------------------------------------- registration


def test_an_officer_registers_many_of_the_units_people_and_collectives_at_once(
    tree, people, teams, users, movements
):
    rows = services.registrations_create(
        actor=users["officer_a"],
        movement_id=movements["ministry"].pk,
        unit_id=tree["a"].pk,
        entries=[
            Entry("person", people["an"].pk, "cstd_co_so", "2 sáng kiến"),
            Entry("person", people["binh"].pk, "ldtt"),
            Entry("collective", teams["a1"].pk, "tt_ldtt", "Hoàn thành 100% kế hoạch"),
        ],
    )

    assert [(str(r.subject), r.award_code, r.status, r.late) for r in rows] == [
        ("Nguyễn Văn An", "cstd_co_so", "approved", False),
        ("Trần Thị Bình", "ldtt", "approved", False),
        ("Tổ Pháp chế", "tt_ldtt", "approved", False),
    ]
    assert {r.unit_id for r in rows} == {tree["a"].pk, tree["a1"].pk}
    assert all(r.registered_by == users["officer_a"] and r.registered_at for r in rows)
    assert AuditEvent.objects.filter(event="registration.create").count() == 3


def test_a_double_submit_is_refused_and_nothing_is_saved_twice(tree, people, users, movements):
    entries = [Entry("person", people["an"].pk, "ldtt"), Entry("person", people["binh"].pk, "ldtt")]
    services.registrations_create(
        actor=users["officer_a"], movement_id=movements["ministry"].pk, unit_id=tree["a"].pk, entries=entries
    )
    _refused(
        services.registrations_create,
        actor=users["officer_a"],
        movement_id=movements["ministry"].pk,
        unit_id=tree["a"].pk,
        entries=[Entry("person", people["an"].pk, "cstd_co_so"), *entries],
        message="Nguyễn Văn An đã đăng ký “Lao động tiên tiến” trong phong trào này; không ghi lại lần nữa.",
    )
    assert Registration.objects.count() == 2


def test_the_same_subject_twice_in_one_list_is_refused(tree, people, users, movements):
    _refused(
        services.registrations_create,
        actor=users["officer_a"],
        movement_id=movements["ministry"].pk,
        unit_id=tree["a"].pk,
        entries=[Entry("person", people["an"].pk, "ldtt"), Entry("person", people["an"].pk, "ldtt")],
        message="không ghi lại lần nữa",
    )
    assert not Registration.objects.exists()


def test_a_registration_after_the_deadline_is_accepted_and_flagged_late(tree, people, users, movements):
    Movement.objects.filter(pk=movements["ministry"].pk).update(
        registration_deadline=TODAY - datetime.timedelta(days=1)
    )
    [row] = services.registrations_create(
        actor=users["officer_a"],
        movement_id=movements["ministry"].pk,
        unit_id=tree["a"].pk,
        entries=[Entry("person", people["an"].pk, "ldtt")],
    )
    assert row.late is True
    movements["ministry"].refresh_from_db()
    assert "vẫn được nhận và được đánh dấu “nộp muộn”" in services.late_notice(movements["ministry"])


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (("person", "an", "cstd_bo"), "“Chiến sĩ thi đua bộ, ban, ngành, tỉnh” không có trong các danh hiệu"),
        (
            ("person", "an", "tt_ldtt"),
            "“Tập thể lao động tiên tiến” là danh hiệu cho tập thể; không đăng ký cho cá nhân Nguyễn Văn An",
        ),
        (
            ("collective", "a", "ldtt"),
            "“Lao động tiên tiến” là danh hiệu cho cá nhân; không đăng ký cho tập thể Tổ Kế hoạch",
        ),
        (("person", "cuong", "ldtt"), "không thuộc đơn vị này hoặc ngoài phạm vi của bạn"),
        (("collective", "b", "tt_ldtt"), "không thuộc đơn vị này hoặc ngoài phạm vi của bạn"),
        (("person", 999999, "ldtt"), "không thuộc đơn vị này hoặc ngoài phạm vi của bạn"),
        (("alien", "an", "ldtt"), "không hợp lệ"),
    ],
)
def test_a_bad_line_refuses_the_whole_list(tree, people, teams, users, movements, entry, message):
    kind, key, code = entry
    subjects = teams if kind == "collective" else people
    subject_id = key if isinstance(key, int) else subjects[key].pk
    _refused(
        services.registrations_create,
        actor=users["officer_a"],
        movement_id=movements["ministry"].pk,
        unit_id=tree["a"].pk,
        entries=[Entry("person", people["binh"].pk, "ldtt"), Entry(kind, subject_id, code)],
        message=message,
    )
    assert not Registration.objects.exists()


def test_registration_needs_a_launched_movement(tree, people, users, movements):
    entry = [Entry("person", people["an"].pk, "ldtt")]
    _refused(
        services.registrations_create,
        actor=users["specialist"],
        movement_id=movements["draft"].pk,
        unit_id=tree["a"].pk,
        entries=entry,
        message="chưa được phát động",
    )
    services.movement_transition(
        actor=users["specialist"], movement_id=movements["ministry"].pk, action=MovementAction.CLOSE
    )
    _refused(
        services.registrations_create,
        actor=users["officer_a"],
        movement_id=movements["ministry"].pk,
        unit_id=tree["a"].pk,
        entries=entry,
        message="Phong trào đã kết thúc: không nhận đăng ký nữa.",
    )
    assert not Registration.objects.exists()


def test_an_officer_registers_only_in_units_of_their_scope_taking_part(tree, people, users, movements):
    with pytest.raises(PermissionDenied):
        services.registrations_create(
            actor=users["officer_a"],
            movement_id=movements["ministry"].pk,
            unit_id=tree["b"].pk,
            entries=[Entry("person", people["cuong"].pk, "ldtt")],
        )
    _refused(
        services.registrations_create,
        actor=users["specialist"],
        movement_id=movements["a"].pk,
        unit_id=tree["b"].pk,
        entries=[Entry("person", people["cuong"].pk, "ldtt")],
        message="Đơn vị này không tham gia phong trào",
    )
    assert not Registration.objects.exists()


# ------------------------------------------------------------------------------- a staff member's own


def _self(users, movements, code="ldtt", targets="Hoàn thành xuất sắc nhiệm vụ"):
    return services.registration_self_create(
        actor=users["staff"], movement_id=movements["ministry"].pk, award_code=code, targets=targets
    )


def test_a_staff_member_registers_for_themselves_and_waits_for_the_head(people, users, movements):
    registration = _self(users, movements)

    assert registration.person == people["binh"]
    assert (registration.status, registration.self_registered) == (RegistrationStatus.PENDING, True)
    assert registration.targets == "Hoàn thành xuất sắc nhiệm vụ"
    assert registered_subjects(year=YEAR, unit_ids=[people["binh"].current_unit_id]) == {}


def test_the_head_approves_and_the_staff_member_is_notified(people, users, movements):
    registration = _self(users, movements)

    services.registration_transition(
        actor=users["head_a"], registration_id=registration.pk, action=RegistrationAction.APPROVE
    )

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.decided_by == users["head_a"] and registration.decided_at
    note = Notification.objects.get(user=users["staff"])
    assert note.kind == "registration.approved"
    assert "Lao động tiên tiến" in note.title and "Phong trào thi đua của Bộ" in note.title
    assert note.url == "/movements/mine/"
    assert registered_subjects(year=YEAR, unit_ids=[people["binh"].current_unit_id]) == {
        ("person", people["binh"].pk): {"ldtt"}
    }


def test_rejection_needs_a_reason_and_tells_the_staff_member(users, movements):
    registration = _self(users, movements)
    _refused(
        services.registration_transition,
        actor=users["head_a"],
        registration_id=registration.pk,
        action=RegistrationAction.REJECT,
        message="Hãy ghi lý do không duyệt",
    )
    services.registration_transition(
        actor=users["head_a"],
        registration_id=registration.pk,
        action=RegistrationAction.REJECT,
        reason="Chỉ tiêu chưa cụ thể",
    )
    registration.refresh_from_db()
    assert (registration.status, registration.reason) == (RegistrationStatus.REJECTED, "Chỉ tiêu chưa cụ thể")
    assert Notification.objects.get(user=users["staff"]).kind == "registration.rejected"
    _refused(
        services.registration_transition,
        actor=users["head_a"],
        registration_id=registration.pk,
        action=RegistrationAction.APPROVE,
        message="Đăng ký này đã được xử lý (Không được duyệt)",
    )
    # rejected: the staff member may register again
    assert _self(users, movements).status == RegistrationStatus.PENDING


def test_a_head_of_another_unit_cannot_decide_and_no_one_approves_themselves(tree, people, users, movements):
    registration = _self(users, movements)
    with pytest.raises(PermissionDenied):
        services.registration_transition(
            actor=users["head_b"], registration_id=registration.pk, action=RegistrationAction.APPROVE
        )
    from tdkt.org.models import Person
    from tests.factories import make_user

    head_self = make_user("head_self", "unit_head", tree["a"])
    Person.objects.filter(pk=people["an"].pk).update(user=head_self)
    own = services.registration_self_create(
        actor=head_self, movement_id=movements["ministry"].pk, award_code="cstd_co_so"
    )
    _refused(
        services.registration_transition,
        actor=head_self,
        registration_id=own.pk,
        action=RegistrationAction.APPROVE,
        message="Không tự duyệt đăng ký của chính mình",
    )
    assert Registration.objects.filter(status=RegistrationStatus.PENDING).count() == 2


def test_a_staff_member_cannot_register_twice_nor_outside_their_unit(users, movements):
    _self(users, movements)
    _refused(_self, users, movements, message="Trần Thị Bình đã đăng ký “Lao động tiên tiến”")
    _refused(
        services.registration_self_create,
        actor=users["staff"],
        movement_id=movements["b"].pk,
        award_code="ldtt",
        message="Đơn vị của bạn không tham gia phong trào này",
    )
    _refused(_self, users, movements, code="tt_ldxs", message="không có trong các danh hiệu")
    assert Registration.objects.count() == 1


def test_an_account_without_a_person_cannot_self_register(users, movements):
    _refused(
        services.registration_self_create,
        actor=users["officer_a"],
        movement_id=movements["ministry"].pk,
        award_code="ldtt",
        message="chưa gắn với hồ sơ cán bộ",
    )


def test_withdrawal_by_the_one_who_registered_before_the_deadline(tree, people, users, movements):
    registration = _self(users, movements)
    with pytest.raises(PermissionDenied):
        services.registration_transition(
            actor=users["officer_a"], registration_id=registration.pk, action=RegistrationAction.WITHDRAW
        )
    services.registration_transition(
        actor=users["staff"], registration_id=registration.pk, action=RegistrationAction.WITHDRAW
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.WITHDRAWN and registration.withdrawn_by == users["staff"]

    [unit_row] = services.registrations_create(
        actor=users["officer_a"],
        movement_id=movements["ministry"].pk,
        unit_id=tree["a"].pk,
        entries=[Entry("person", people["an"].pk, "ldtt")],
    )
    Movement.objects.filter(pk=movements["ministry"].pk).update(
        registration_deadline=TODAY - datetime.timedelta(days=1)
    )
    _refused(
        services.registration_transition,
        actor=users["officer_a"],
        registration_id=unit_row.pk,
        action=RegistrationAction.WITHDRAW,
        message="Đã quá hạn đăng ký",
    )
    assert Registration.objects.get(pk=unit_row.pk).status == RegistrationStatus.APPROVED


# ------------------------------------------------------------------------------- for the other apps


def test_registered_subjects_gives_approved_registrations_by_subject(tree, people, teams, users, movements):
    services.registrations_create(
        actor=users["officer_a"],
        movement_id=movements["ministry"].pk,
        unit_id=tree["a"].pk,
        entries=[Entry("person", people["an"].pk, "ldtt"), Entry("collective", teams["a"].pk, "tt_ldtt")],
    )
    services.registrations_create(
        actor=users["officer_a"],
        movement_id=movements["a"].pk,
        unit_id=tree["a"].pk,
        entries=[Entry("person", people["an"].pk, "cstd_co_so")],
    )
    _self(users, movements)  # pending: not counted
    a_units = [tree["a"].pk, tree["a1"].pk]

    assert registered_subjects(year=YEAR, unit_ids=a_units) == {
        ("person", people["an"].pk): {"ldtt", "cstd_co_so"},
        ("collective", teams["a"].pk): {"tt_ldtt"},
    }
    assert registered_subjects(year=YEAR, unit_ids=a_units, movement=movements["a"]) == {
        ("person", people["an"].pk): {"cstd_co_so"}
    }
    assert registered_subjects(year=YEAR, unit_ids=[tree["b"].pk]) == {}
    assert registered_subjects(year=YEAR - 1, unit_ids=a_units) == {}


def test_awards_under_a_movement_is_an_empty_extension_point(movements):
    qs = awards_under_movement(movements["ministry"])
    assert qs.model.__name__ == "AwardRecord" and list(qs) == []


def test_deadline_reminders_go_to_officers_of_units_that_have_not_registered(tree, people, users, movements):
    services.registrations_create(
        actor=users["officer_a"],
        movement_id=movements["ministry"].pk,
        unit_id=tree["a"].pk,
        entries=[Entry("person", people["binh"].pk, "ldtt")],
    )
    due = registration_deadlines_due(30)
    by_movement = {m.name: sorted(u.username for u in who) for m, who in due}

    # the ministry's: A registered (in A1); B has not; the specialist at the ministry's root holds the
    # register right over a unit that has registered below it
    assert by_movement["Phong trào thi đua của Bộ"] == ["officer_b"]
    assert by_movement["Thi đua chuyên đề của Vụ A"] == ["officer_a"]
    assert by_movement["Thi đua chuyên đề của Vụ B"] == ["officer_b"]
    assert "Dự thảo của Bộ" not in by_movement
    assert registration_deadlines_due(5) == []


def test_officers_of_units_that_registered_nobody_are_reminded_once_before_the_deadline(db, tree):
    import datetime

    from django.utils import timezone

    from tdkt.core.models import Notification
    from tdkt.movements import services
    from tdkt.movements.models import Movement, MovementUnit
    from tests.factories import make_user

    officer_b = make_user("nhac-b", "officer", tree["b"])
    deadline = timezone.localdate() + datetime.timedelta(days=3)
    movement = Movement.objects.create(
        unit=tree["root"], name="Thi đua nhắc hạn", kind="yearly", year=deadline.year, status="launched",
        award_codes=["ldtt"], registration_deadline=deadline,
    )  # fmt: skip
    MovementUnit.objects.create(movement=movement, unit=tree["root"])

    first = services.remind_registration_deadlines()
    second = services.remind_registration_deadlines()

    assert first >= 1 and second == 0
    n = Notification.objects.get(user=officer_b, kind="movement.deadline")
    assert "Thi đua nhắc hạn" in n.title and deadline.strftime("%d/%m/%Y") in n.title
