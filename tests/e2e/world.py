"""A small ministry with a year of work on every page, built through the services the screens call (the
way tests/reviews/test_year.py and tests/councils/conftest.py do) and logins named like the demo's:
`admin`, `chuyenvien` (ministry TĐKT department), `canbo` (officer of Vụ A, secretary of its council),
`thutruong` (head of Vụ A, chair), `uyvien1`…`uyvien4` (council members; uyvien1 has not voted yet),
`nhanvien` (staff of Vụ A).

What is there: the unit tree and people rated for three years; a ministry movement with registrations
and a pending self-registration, a draft movement; a finished eligibility run; last year's review
round closed with its council meeting, its closed ballot with results and the issued decision; this
year's round before the council with an electronic ballot open; a paper ballot waiting for its tallies;
a draft decision; a proposal dossier to the ministry with two nominations; an ID-number review
waiting; a locked-out login; notifications read and unread; an import that failed on bad rows."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tdkt.accounts.models import User
from tdkt.awards import services as awards
from tdkt.core.models import Job
from tdkt.core.notifications import mark_read, notify
from tdkt.core.uploads import check_upload
from tdkt.councils import services as councils
from tdkt.councils.enums import Attendance, BallotMode, MemberRole
from tdkt.movements import services as movements
from tdkt.movements.enums import MovementAction
from tdkt.org import services as org
from tdkt.org.models import AwardRecord, Collective, Evaluation, IdentityReview, Initiative, Person
from tdkt.reviews import services as reviews
from tdkt.rulebook import services as rulebook
from tests.e2e.world_blocs import build_blocs
from tests.factories import make_user, person

PAST, CURRENT = 2024, 2025
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HELD_ID = "079093939861"


@dataclass
class World:
    tree: dict
    users: dict[str, User]
    ids: dict[str, object] = field(default_factory=dict)


def _pdf(name: str):
    return check_upload(SimpleUploadedFile(name, PDF), kinds={"pdf", "docx"}, max_bytes=1024 * 1024)


def _staff(tree) -> list[Person]:
    """Ten people of Vụ A and its team rated for three years; two excellent with an initiative."""
    people = []
    names = ["Anh", "Bình", "Châu", "Dung", "Giang", "Hà", "Khánh", "Linh", "Minh", "Nga"]
    for n, given in enumerate(names):
        unit = tree["a"] if n < 7 else tree["a1"]
        rating = "htxs" if given in ("Giang", "Hà") else "htt"
        p = person(unit, family_name="Ngô", middle_name="Thị", given_name=given, code=f"NV{n:03d}")
        for year in (PAST - 1, PAST, CURRENT):
            Evaluation.objects.create(person=p, unit=unit, year=year, rating=rating, months_worked=12)
        if rating == "htxs":
            for year in (PAST, CURRENT):
                Initiative.objects.create(
                    person=p, unit=unit, year=year, title=f"Sáng kiến số hoá hồ sơ {n}-{year}", scope="co_so",
                    recognised_on=datetime.date(year, 11, 1), decision_number=f"{n}/QĐ-SK",
                )  # fmt: skip
        people.append(p)
    return people


def _council(tree, officer: User, head: User, officer_person: Person) -> tuple[object, list, dict]:
    council = councils.council_create(
        actor=officer,
        unit_id=tree["a"].pk,
        name="Hội đồng Thi đua – Khen thưởng Vụ A",
        term_from=datetime.date(PAST - 1, 1, 1),
        term_to=datetime.date(CURRENT + 1, 12, 31),
        decision_number="15/QĐ-VA",
        decision_date=datetime.date(PAST - 1, 1, 5),
    )
    chair = person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="Hùng", user=head)
    voters = [(head, councils.member_add(actor=officer, council_id=council.pk, person_id=chair.pk,
                                         role=MemberRole.CHAIR))]  # fmt: skip
    roles = [MemberRole.VICE_CHAIR, MemberRole.STANDING, MemberRole.MEMBER, MemberRole.MEMBER]
    names = [("Trần", "Thị", "Lan"), ("Lê", "Văn", "Bảo"), ("Phạm", "Thu", "Yến"), ("Đỗ", "Minh", "Anh")]
    for n, ((family, middle, given), role) in enumerate(zip(names, roles, strict=True), start=1):
        user = make_user(f"uyvien{n}", "council_member", tree["a"])
        p = person(tree["a"], family_name=family, middle_name=middle, given_name=given, user=user)
        voters.append(
            (user, councils.member_add(actor=officer, council_id=council.pk, person_id=p.pk, role=role))
        )
    secretary = councils.member_add(
        actor=officer, council_id=council.pk, person_id=officer_person.pk, role=MemberRole.SECRETARY
    )
    return council, voters, {"secretary": secretary}


def _present(officer, meeting, council) -> None:
    councils.attendance_set(
        actor=officer,
        meeting_id=meeting.pk,
        entries={m.pk: (Attendance.PRESENT, "") for m in council.members.all()},
    )


def _cast(ballot, member, user, *, fail_key: str = "", against: bool = False) -> None:
    choices = {}
    for item in ballot.items.all():
        if item.person_id == member.person_id:
            continue
        choices[item.pk] = "disagree" if (item.key == fail_key and against) else "agree"
    councils.ballot_cast(actor=user, ballot_id=ballot.pk, choices=choices)


def _bad_import(officer: User) -> Job:
    """An Excel file of people with a wrong date and an unknown unit, uploaded through the import page:
    the task (immediate in tests) fails the job with its error table."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cán bộ"
    sheet.append(["Mã cán bộ", "Họ", "Tên đệm", "Tên", "Giới tính", "Ngày sinh", "Mã đơn vị"])
    sheet.append(["N1", "Phạm", "Thu", "Hà", "Nữ", "02/09/1991", "VU-A"])
    sheet.append(["N2", "Vũ", "", "Lan", "Nữ", "31/02/1990", "VU-A"])
    sheet.append(["N3", "Đỗ", "Minh", "Tâm", "Nam", "01/01/1980", "KHONG-CO"])
    out = io.BytesIO()
    book.save(out)
    client = Client()
    client.force_login(officer)
    response = client.post(
        "/org/import/", {"kind": "people", "file": SimpleUploadedFile("can-bo.xlsx", out.getvalue())}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Job.objects.order_by("-created_at").first()


def _lockout() -> None:
    """Five wrong passwords for a name from one address: the lockout list has a row (another address
    than the browser's, so the tests' own logins are untouched)."""
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "khach", "password": "Sai-mat-khau-1"})


def _legacy_lists(officer) -> dict[str, str]:
    """Two old award lists sent as Word files: one read and waiting for the officer's review (a name typed
    without accents), one written to the register with its report."""
    from tests.awards.legacy_files import docx_list

    client = Client()
    client.force_login(officer)
    heading = [
        "DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
        "Kèm theo Quyết định số 88/QĐ-VA ngày 20 tháng 01 năm 2023",
    ]
    header = ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Danh hiệu/Hình thức"]
    ids = {}
    for key, name in (("legacy_review", "Ngo Thi Ha"), ("legacy_written", "Ngô Thị Hà")):
        data = docx_list([(heading, [header, ["1", name, "Chuyên viên", "Vụ A", "Lao động tiên tiến"]])])
        upload = SimpleUploadedFile(f"{key}.docx", data)
        response = client.post("/awards/register/import/", {"file": upload})
        assert response.status_code == 302, response.content.decode()[:2000]
        read = Job.objects.filter(created_by=officer, kind="awards.legacy_parse").latest("created_at")
        ids[key] = str(read.pk)
    response = client.post(f"/awards/register/import/{ids.pop('legacy_written')}/", {})
    assert response.status_code == 302, response.content.decode()[:2000]
    ids["legacy_report"] = str(Job.objects.filter(kind="awards.legacy_write").latest("created_at").pk)
    return ids


def build_world(tree) -> World:
    users = {
        "admin": make_user("admin", "admin", tree["root"]),
        "chuyenvien": make_user("chuyenvien", "specialist", tree["root"]),
        "canbo": make_user("canbo", "officer", tree["a"]),
        "thutruong": make_user("thutruong", "unit_head", tree["a"]),
        "nhanvien": make_user("nhanvien", "staff", tree["a"]),
    }
    w = World(tree=tree, users=users)
    officer, specialist, head = users["canbo"], users["chuyenvien"], users["thutruong"]
    for key, name in [
        ("canbo", "Phạm Thu Hà"),
        ("thutruong", "Nguyễn Văn Hùng"),
        ("chuyenvien", "Đỗ Thị Minh Thư"),
    ]:
        User.objects.filter(pk=users[key].pk).update(full_name=name)
        users[key].full_name = name
    staff = _staff(tree)
    officer_person = person(tree["a"], family_name="Phạm", middle_name="Thu", given_name="Hà", user=officer)
    own = person(
        tree["a"],
        family_name="Lý",
        middle_name="Thị",
        given_name="Nhàn",
        code="NV900",
        user=users["nhanvien"],
    )
    for year in (PAST, CURRENT):
        Evaluation.objects.create(person=own, unit=tree["a"], year=year, rating="htt", months_worked=12)
    person(tree["b"], family_name="Lê", middle_name="", given_name="Cường", code="CB003", id_number=HELD_ID)
    team = Collective.objects.create(unit=tree["a"], kind="team", code="T-A", name="Tổ Kế hoạch")
    Evaluation.objects.create(collective=team, unit=tree["a"], year=CURRENT, rating="htxs", months_worked=12)
    w.ids.update(person=staff[5].pk, collective=team.pk, own_person=own.pk)

    # movements: the ministry's yearly one launched with registrations, a staff member's pending
    # self-registration, and a draft
    today = timezone.localdate()
    data = {
        "kind": "yearly",
        "goals": "Hoàn thành xuất sắc nhiệm vụ chính trị được giao.",
        "criteria": "Theo Luật Thi đua, khen thưởng 2022 và Quy chế thi đua, khen thưởng của Bộ.",
        "doc_number": "05/KH-BTN",
        "doc_date": today - datetime.timedelta(days=30),
        "doc_signer": "Nguyễn Minh Đức",
        "award_codes": ["ldtt", "cstd_co_so", "tt_ldtt", "bang_khen_bo"],
        "registration_deadline": today + datetime.timedelta(days=30),
    }
    yearly = movements.movement_create(
        actor=specialist,
        unit=tree["root"],
        data=movements.MovementData(
            name=f"Phong trào thi đua thường xuyên năm {today.year}", year=today.year, **data
        ),
        document=_pdf("ke-hoach.pdf"),
    )
    movements.movement_transition(actor=specialist, movement_id=yearly.pk, action=MovementAction.LAUNCH)
    movements.registrations_create(
        actor=officer,
        movement_id=yearly.pk,
        unit_id=tree["a"].pk,
        entries=[
            movements.Entry(kind="person", subject_id=p.pk, award_code="ldtt" if i % 3 else "cstd_co_so",
                            targets="Hoàn thành 100% nhiệm vụ được giao")
            for i, p in enumerate(staff[:6])
        ] + [movements.Entry(kind="collective", subject_id=team.pk, award_code="tt_ldtt")],
    )  # fmt: skip
    movements.registration_self_create(
        actor=users["nhanvien"], movement_id=yearly.pk, award_code="cstd_co_so",
        targets="Có 01 sáng kiến được công nhận cấp cơ sở",
    )  # fmt: skip
    draft = movements.movement_create(
        actor=specialist,
        unit=tree["root"],
        data=movements.MovementData(
            name=f"Phong trào thi đua năm {today.year + 1}", year=today.year + 1, **data
        ),
    )
    w.ids.update(movement=yearly.pk, movement_draft=draft.pk)

    # a finished eligibility run of the whole ministry for the past year
    run = rulebook.run_in_process(actor=users["admin"], unit=tree["root"], year=PAST)
    w.ids["run"] = run.pk

    council, voters, extra = _council(tree, officer, head, officer_person)
    w.ids["council"] = council.pk

    # last year: the whole review, to the issued decision
    past = reviews.round_create(actor=officer, unit_id=tree["a"].pk, year=PAST)
    reviews.prefill(actor=officer, round_id=past.pk)
    meeting = reviews.round_send(
        actor=officer, round_id=past.pk, council_id=council.pk,
        starts_at=timezone.make_aware(datetime.datetime(PAST + 1, 1, 8, 8, 30)), place="Phòng họp tầng 5",
    )  # fmt: skip
    _present(officer, meeting, council)
    items = list(meeting.items.order_by("order"))
    ballot = councils.ballot_open(
        actor=officer, meeting_id=meeting.pk, item_ids=[i.pk for i in items],
        closes_at=timezone.now() + datetime.timedelta(hours=2),
    )  # fmt: skip
    for n, (user, member) in enumerate(voters):
        _cast(ballot, member, user, fail_key=items[-1].key, against=n < 3)
    councils.ballot_close(actor=officer, ballot_id=ballot.pk)
    reviews.round_conclude(actor=officer, round_id=past.pk)
    decision = reviews.round_draft_decision(actor=officer, round_id=past.pk)
    awards.decision_issue(
        actor=head, decision_id=decision.pk, number="05", symbol="QĐ-VA",
        decided_on=datetime.date(PAST + 1, 1, 15), signer_name=head.full_name, signer_title="Vụ trưởng",
    )  # fmt: skip
    w.ids.update(round_past=past.pk, meeting_past=meeting.pk, ballot_closed=ballot.pk, decision=decision.pk)

    # a proposal to the ministry for a Bằng khen: an excellent officer, and the staff member (whose
    # record does not qualify: the verdict goes with the nomination)
    from tdkt.dossiers import services as dossiers

    dossier = dossiers.dossier_create(actor=officer, unit_id=tree["a"].pk, level="ministry", year=CURRENT)
    nominations = [
        dossiers.nomination_add(
            actor=officer,
            dossier_id=dossier.pk,
            subject=dossiers.Subject(person_id=p.pk),
            award_code="bang_khen_bo",
        )
        for p in (staff[5], own)
    ]
    w.ids.update(dossier=dossier.pk, nomination=nominations[0].pk, own_nomination=nominations[1].pk)

    # this year: the list before the council, the electronic ballot open for a week, uyvien1 not voted
    current = reviews.round_create(actor=officer, unit_id=tree["a"].pk, year=CURRENT)
    reviews.prefill(actor=officer, round_id=current.pk)
    meeting = reviews.round_send(
        actor=officer, round_id=current.pk, council_id=council.pk, starts_at=timezone.now(), online=True
    )
    _present(officer, meeting, council)
    items = list(meeting.items.order_by("order"))
    ballot = councils.ballot_open(
        actor=officer, meeting_id=meeting.pk, item_ids=[i.pk for i in items],
        closes_at=timezone.now() + datetime.timedelta(days=7),
    )  # fmt: skip
    for user, member in voters:
        if user.username not in ("uyvien1", "thutruong"):
            _cast(ballot, member, user)
    w.ids.update(round_current=current.pk, meeting_current=meeting.pk, ballot_open=ballot.pk)

    # an extra meeting on two people with a paper ballot waiting for the counting committee's figures
    extra_meeting = councils.meeting_create(
        actor=officer, council_id=council.pk, title="Xét tặng Giấy khen đột xuất", starts_at=timezone.now(),
        place="Phòng họp tầng 3", items=[
            councils.AgendaItem(key=f"e2e.candidate:{p.pk}", label=str(p), person_id=p.pk, group="Giấy khen")
            for p in staff[7:9]
        ],
    )  # fmt: skip
    _present(officer, extra_meeting, council)
    paper = councils.ballot_open(
        actor=officer,
        meeting_id=extra_meeting.pk,
        item_ids=list(extra_meeting.items.values_list("pk", flat=True)),
        closes_at=None,
        mode=BallotMode.PAPER,
    )
    w.ids.update(meeting_extra=extra_meeting.pk, ballot_paper=paper.pk, secretary=extra["secretary"].pk)

    # a draft decision of Vụ A waiting for the head's signature
    draft_decision = awards.decision_draft(
        actor=officer,
        issuer_unit_id=tree["a"].pk,
        year=CURRENT,
        subject=f"Về việc tặng Giấy khen năm {CURRENT}",
        lines=[awards.LineSpec(award_code="giay_khen", unit_id=tree["a1"].pk, person_id=staff[9].pk)],
    )
    w.ids["decision_draft"] = draft_decision.pk

    # an ID number already held in Vụ B, typed for a new person of Vụ A: a review for the ministry
    org.person_create(
        actor=officer, unit=tree["a"], code="NV950", family_name="Vũ", middle_name="Thị", given_name="Mai",
        gender="female", birth_date=datetime.date(1991, 9, 2), id_number=HELD_ID,
    )  # fmt: skip
    w.ids["identity"] = IdentityReview.objects.get().pk

    w.ids["job"] = _bad_import(officer).pk

    # the register: the awards the past year's decision wrote, one of them revoked by a later decision
    awarded = list(AwardRecord.objects.filter(unit__path__startswith=tree["a"].path).order_by("pk")[:2])
    awards.award_revoke(
        actor=officer, award_id=awarded[1].pk, decision_number="12/QĐ-VA", on=timezone.localdate(),
        reason="Kết luận thanh tra: thành tích kê khai không đúng thực tế.",
    )  # fmt: skip
    w.ids.update(award=awarded[0].pk, award_revoked=awarded[1].pk)
    w.ids.update(_legacy_lists(officer))
    w.ids.update(build_blocs(tree, users, PAST, CURRENT))
    _lockout()

    for user in users.values():
        rows = notify(
            users=[user], kind="e2e.reminder", title="Hạn gửi danh sách bình xét còn 3 ngày",
            body="Danh sách ứng viên năm nay cần gửi Hội đồng trước ngày 15/12.", url="/reviews/",
        )  # fmt: skip
        notify(
            users=[user], kind="e2e.news", title="Đã ban hành Quyết định 05/QĐ-VA", url="/awards/decisions/"
        )
        mark_read(user=user, notification_id=rows[0].pk)
    return w
