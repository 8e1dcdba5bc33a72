"""The demo's year of emulation work, built through the services the users' screens call, so that every
capability opens on something to click: movements with registrations, a finished eligibility run, a
finished review round (council, ballot, minutes, decision) for the past year, and the current year's
round with its ballot still open.

In the officer's unit (Cục Chuyển đổi số):
- the past year (2025): its base-level titles come from the round's decision issued here, not from the
  generator (which leaves them to this module), as they would in a real unit;
- the current year (2026): ratings entered, the list sent to the council, an electronic ballot open
  for a week that some members have cast — `uyvien1` has not, and can vote at once.
Deterministic for a seed: choices come from `stable_hash`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tdkt.accounts.enums import Role
from tdkt.accounts.models import RoleAssignment, User
from tdkt.awards import services as award_services
from tdkt.core.documents import render_pdf
from tdkt.core.uploads import check_upload
from tdkt.councils import services as councils
from tdkt.councils.enums import Attendance, MemberRole
from tdkt.demo.catalogue import DEMO_PASSWORD, MINISTRY_ABBR, OFFICER_UNIT_CODE, REFERENCE_YEAR
from tdkt.demo.draws import stable_hash
from tdkt.movements import services as movements
from tdkt.movements.enums import MovementAction, MovementKind
from tdkt.org.enums import Rating
from tdkt.org.models import Evaluation, Person, Unit
from tdkt.reviews import services as reviews
from tdkt.rulebook import services as rulebook

PAST, CURRENT = REFERENCE_YEAR, REFERENCE_YEAR + 1
MEMBER_LOGINS = ["uyvien1", "uyvien2", "uyvien3", "uyvien4"]
Progress = Callable[[str], None]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _pdf(title: str, body: list[str], unit: Unit, day: datetime.date):
    """A launching document made with the document layer, checked like any upload."""
    data = render_pdf(
        "core/documents/van_ban.html",
        {
            "issuer": {"parent": unit.parent.name if unit.parent_id else "", "name": unit.name},
            "number": 12,
            "symbol": "KH-" + MINISTRY_ABBR,
            "place": "Hà Nội",
            "day": day,
            "doc_type": "Kế hoạch",
            "subject": title,
            "body": body,
            "recipients": ["Các đơn vị thuộc Bộ;", "Lưu: VT, TĐKT."],
            "signer": {"authority": "KT. Bộ trưởng", "title": "Thứ trưởng", "name": "Nguyễn Minh Đức"},
        },
    )
    return check_upload(SimpleUploadedFile("ke-hoach.pdf", data), kinds={"pdf"}, max_bytes=10 * 1024 * 1024)


MIN_PEOPLE = 6  # a chair, four members and a secretary: a smaller demo (tests) has no year of work


def _council_people(unit: Unit, seed: int) -> tuple[Person, list[Person], Person] | None:
    """The unit head's person (chair), four members, and the officer's person (secretary)."""
    people = list(
        Person.objects.filter(current_unit__path__startswith=unit.path, active=True).order_by("code")
    )
    if len(people) < MIN_PEOPLE:
        return None
    head_name = _user("thutruong").full_name
    chair = next((p for p in people if p.full_name == head_name), None) or next(
        (p for p in people if p.leader), people[0]
    )
    others = sorted(  # not the staff member's record: it has its own login
        (p for p in people if p.pk != chair.pk and p.user_id is None),
        key=lambda p: stable_hash(seed, "council", p.code),
    )
    if len(others) < MIN_PEOPLE - 1:
        return None
    return chair, others[:4], others[4]


def _logins(chair: Person, members: list[Person], secretary: Person, unit: Unit) -> None:
    password = make_password(DEMO_PASSWORD)
    Person.objects.filter(pk=chair.pk).update(user=_user("thutruong"))
    Person.objects.filter(pk=secretary.pk).update(user=_user("canbo"))
    # the officer's account carries the name of the person it is linked to (the council's secretary)
    User.objects.filter(username="canbo").update(full_name=secretary.full_name)
    for username, p in zip(MEMBER_LOGINS, members, strict=True):
        user = User.objects.create(
            username=username, password=password, full_name=p.full_name, is_active=True
        )
        RoleAssignment.objects.create(user=user, role=Role.COUNCIL_MEMBER, unit=unit, include_subtree=True)
        Person.objects.filter(pk=p.pk).update(user=user)


def _rate_current_year(unit: Unit, seed: int) -> None:
    """The current year's ratings of the unit, entered as the officer would before the review."""
    rows = []
    for person_id, code, last in Evaluation.objects.filter(
        person__current_unit__path__startswith=unit.path, year=PAST
    ).values_list("person_id", "person__code", "rating"):
        roll = stable_hash(seed, "rating", code, CURRENT) % 100
        rating = (
            Rating.HTXS
            if roll < 12 or (last == Rating.HTXS and roll < 40)
            else Rating.HTT
            if roll < 93
            else Rating.HT
        )
        rows.append(
            Evaluation(person_id=person_id, unit_id=unit.pk, year=CURRENT, rating=rating, months_worked=12)
        )
    Evaluation.objects.bulk_create(rows, batch_size=500)


def _movements(ministry: Unit, unit: Unit, officer: User, specialist: User, head: User) -> None:
    yearly_past = movements.movement_create(
        actor=specialist,
        unit=ministry,
        data=movements.MovementData(
            name=f"Phong trào thi đua thường xuyên năm {PAST}",
            kind=MovementKind.YEARLY,
            year=PAST,
            goals="Hoàn thành xuất sắc nhiệm vụ chính trị năm " + str(PAST),
            criteria="Theo Luật Thi đua, khen thưởng và Quy chế thi đua, khen thưởng của Bộ.",
            doc_number=f"08/KH-{MINISTRY_ABBR}",
            doc_date=datetime.date(PAST, 1, 10),
            doc_signer="Nguyễn Minh Đức",
            award_codes=["ldtt", "cstd_co_so", "tt_ldtt", "tt_ldxs", "bang_khen_bo", "cstd_bo"],
            registration_deadline=datetime.date(PAST, 3, 31),
        ),
        document=_pdf(
            f"Phát động phong trào thi đua năm {PAST}",
            ["Phát động phong trào thi đua."],
            ministry,
            datetime.date(PAST, 1, 10),
        ),
    )
    movements.movement_transition(actor=specialist, movement_id=yearly_past.pk, action=MovementAction.LAUNCH)
    movements.movement_transition(actor=specialist, movement_id=yearly_past.pk, action=MovementAction.CLOSE)
    yearly = movements.movement_create(
        actor=specialist,
        unit=ministry,
        data=movements.MovementData(
            name=f"Phong trào thi đua thường xuyên năm {CURRENT}",
            kind=MovementKind.YEARLY,
            year=CURRENT,
            goals="Thi đua hoàn thành xuất sắc nhiệm vụ chính trị, đẩy mạnh chuyển đổi số trong toàn ngành.",
            criteria="Theo Luật Thi đua, khen thưởng 2022 và Quy chế thi đua, khen thưởng của Bộ.",
            doc_number=f"05/KH-{MINISTRY_ABBR}",
            doc_date=datetime.date(CURRENT, 1, 12),
            doc_signer="Nguyễn Minh Đức",
            award_codes=["ldtt", "cstd_co_so", "tt_ldtt", "tt_ldxs", "bang_khen_bo", "cstd_bo"],
            registration_deadline=datetime.date(CURRENT, 3, 31),
        ),
        document=_pdf(
            f"Phát động phong trào thi đua năm {CURRENT}",
            ["Bộ phát động phong trào thi đua thường xuyên năm " + str(CURRENT) + " trong toàn ngành."],
            ministry,
            datetime.date(CURRENT, 1, 12),
        ),
    )
    movements.movement_transition(actor=specialist, movement_id=yearly.pk, action=MovementAction.LAUNCH)
    people = list(
        Person.objects.filter(current_unit__path__startswith=unit.path, active=True)
        .exclude(user__isnull=False)
        .order_by("code")[:12]
    )
    movements.registrations_create(
        actor=officer,
        movement_id=yearly.pk,
        unit_id=unit.pk,
        entries=[
            movements.Entry(kind="person", subject_id=p.pk, award_code="ldtt" if i % 3 else "cstd_co_so",
                            targets="Hoàn thành 100% nhiệm vụ được giao")
            for i, p in enumerate(people)
        ],
    )  # fmt: skip
    staff = _user("nhanvien")
    mine = movements.registration_self_create(
        actor=staff,
        movement_id=yearly.pk,
        award_code="cstd_co_so",
        targets="Có 01 sáng kiến được công nhận cấp cơ sở",
    )
    del mine  # pending: the unit head approves it in the demo
    thematic = movements.movement_create(
        actor=specialist,
        unit=ministry,
        data=movements.MovementData(
            name="Thi đua “Chuyển đổi số toàn diện” giai đoạn 2026–2027",
            kind=MovementKind.THEMATIC,
            start=datetime.date(CURRENT, 3, 1),
            end=datetime.date(CURRENT + 1, 12, 31),
            goals="100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình.",
            criteria="Kết quả số hoá hồ sơ, tỷ lệ dịch vụ công trực tuyến, sáng kiến ứng dụng công nghệ.",
            doc_number=f"21/KH-{MINISTRY_ABBR}",
            doc_date=datetime.date(CURRENT, 2, 20),
            doc_signer="Nguyễn Minh Đức",
            award_codes=["giay_khen", "bang_khen_bo"],
            registration_deadline=datetime.date(CURRENT + 1, 1, 31),
        ),
        document=_pdf(
            "Thi đua chuyển đổi số toàn diện",
            ["Phát động đợt thi đua chuyên đề."],
            ministry,
            datetime.date(CURRENT, 2, 20),
        ),
    )
    movements.movement_transition(actor=specialist, movement_id=thematic.pk, action=MovementAction.LAUNCH)
    del head


def _council(unit: Unit, officer: User, chair: Person, members: list[Person], secretary: Person):
    council = councils.council_create(
        actor=officer,
        unit_id=unit.pk,
        name=f"Hội đồng Thi đua – Khen thưởng {unit.name}",
        term_from=datetime.date(PAST - 1, 1, 1),
        term_to=datetime.date(CURRENT + 1, 12, 31),
        decision_number=f"03/QĐ-{unit.short_name or 'CĐS'}",
        decision_date=datetime.date(PAST - 1, 1, 5),
    )
    councils.member_add(actor=officer, council_id=council.pk, person_id=chair.pk, role=MemberRole.CHAIR)
    roles = [MemberRole.VICE_CHAIR, MemberRole.STANDING, MemberRole.MEMBER, MemberRole.MEMBER]
    for p, role in zip(members, roles, strict=True):
        councils.member_add(actor=officer, council_id=council.pk, person_id=p.pk, role=role)
    councils.member_add(
        actor=officer, council_id=council.pk, person_id=secretary.pk, role=MemberRole.SECRETARY
    )
    return council


def _voters(council) -> list[tuple[object, User]]:
    return [(m, m.person.user) for m in council.members.select_related("person__user") if m.votes]


def _all_present(officer: User, meeting, council) -> None:
    councils.attendance_set(
        actor=officer,
        meeting_id=meeting.pk,
        entries={m.pk: (Attendance.PRESENT, "") for m in council.members.all()},
    )


def _cast(ballot, voter_member, voter_user, seed: int, fail_key: str = "") -> None:
    choices = {}
    for item in ballot.items.all():
        if item.person_id == voter_member.person_id:
            continue
        disagree = item.key == fail_key and stable_hash(seed, "vote", voter_member.pk) % 3 != 0
        choices[item.pk] = "disagree" if disagree else "agree"
    councils.ballot_cast(actor=voter_user, ballot_id=ballot.pk, choices=choices)


def build_year(*, seed: int, progress: Progress | None = None) -> dict[str, int]:
    say = progress or (lambda _m: None)
    ministry = Unit.objects.get(code=MINISTRY_ABBR)
    unit = Unit.objects.get(code=OFFICER_UNIT_CODE)
    officer, specialist, head, admin = (_user(n) for n in ("canbo", "chuyenvien", "thutruong", "admin"))
    council_people = _council_people(unit, seed)
    if council_people is None:
        say(f"{unit.name} có dưới {MIN_PEOPLE} cán bộ: bỏ qua phần bình xét mẫu")
        return {}
    chair, members, secretary = council_people
    with transaction.atomic():
        _logins(chair, members, secretary, unit)
        _rate_current_year(unit, seed)
        _movements(ministry, unit, officer, specialist, head)
    say("Phong trào thi đua, đăng ký thi đua")
    rulebook.run_in_process(actor=admin, unit=ministry, year=PAST)
    say(f"Xét tiêu chuẩn năm {PAST} toàn Bộ")
    council = _council(unit, officer, chair, members, secretary)
    voters = _voters(council)
    now = timezone.now()

    # the past year: the whole review, to the decision and the register
    past = reviews.round_create(
        actor=officer, unit_id=unit.pk, year=PAST, candidates_due=datetime.date(PAST + 1, 1, 5),
        council_due=datetime.date(PAST + 1, 1, 10),
    )  # fmt: skip
    reviews.prefill(actor=officer, round_id=past.pk)
    meeting = reviews.round_send(
        actor=officer, round_id=past.pk, council_id=council.pk,
        starts_at=timezone.make_aware(datetime.datetime(PAST + 1, 1, 8, 8, 30)), place="Phòng họp tầng 5",
    )  # fmt: skip
    _all_present(officer, meeting, council)
    items = list(meeting.items.order_by("order"))
    ballot = councils.ballot_open(
        actor=officer,
        meeting_id=meeting.pk,
        item_ids=[i.pk for i in items],
        closes_at=now + datetime.timedelta(hours=2),
    )
    fail = items[-1].key if len(items) > 1 else ""
    for member, user in voters:
        _cast(ballot, member, user, seed, fail_key=fail)
    councils.ballot_close(actor=officer, ballot_id=ballot.pk)
    reviews.round_conclude(actor=officer, round_id=past.pk)
    decision = reviews.round_draft_decision(actor=officer, round_id=past.pk)
    award_services.decision_issue(
        actor=head, decision_id=decision.pk, number="05", symbol=f"QĐ-{unit.short_name or 'CĐS'}",
        decided_on=datetime.date(PAST + 1, 1, 15), signer_name=head.full_name, signer_title="Cục trưởng",
    )  # fmt: skip
    say(f"Bình xét năm {PAST}: Hội đồng, bỏ phiếu, quyết định")

    # the current year: the list before the council, the ballot open for a week
    current = reviews.round_create(
        actor=officer, unit_id=unit.pk, year=CURRENT, candidates_due=datetime.date(CURRENT, 12, 15),
        council_due=datetime.date(CURRENT, 12, 25),
    )  # fmt: skip
    reviews.prefill(actor=officer, round_id=current.pk)
    meeting = reviews.round_send(
        actor=officer, round_id=current.pk, council_id=council.pk, starts_at=now, online=True,
    )  # fmt: skip
    _all_present(officer, meeting, council)
    items = list(meeting.items.order_by("order"))
    ballot = councils.ballot_open(
        actor=officer,
        meeting_id=meeting.pk,
        item_ids=[i.pk for i in items],
        closes_at=now + datetime.timedelta(days=7),
    )
    waiting = {_user(MEMBER_LOGINS[0]).pk, head.pk}  # uyvien1 and the chair have not voted yet
    for member, user in voters:
        if user.pk not in waiting:
            _cast(ballot, member, user, seed)
    say(f"Bình xét năm {CURRENT}: danh sách đã gửi Hội đồng, đang bỏ phiếu")
    return {"review_round": 2, "ballot": 2, "decision": 1}
