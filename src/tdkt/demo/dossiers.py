"""The demo's proposal dossiers (hồ sơ đề nghị khen thưởng): one in every status of the workflow, made
through the services the screens call, so that every step opens on something to click.

The officer's unit (Cục Chuyển đổi số) proposes its people's 2025 achievements for the ministry's forms
(Bằng khen của Bộ trưởng; Chiến sĩ thi đua cấp Bộ, which the ministry's council votes on) and, through
the ministry, for the Prime Minister's Bằng khen. The nominees are people of the unit given the records
the law asks for, the way a unit's history would hold them: two years rated xuất sắc and two initiatives
(Bằng khen của Bộ trưởng); three years Chiến sĩ thi đua cơ sở and an initiative recognised by the ministry
(Chiến sĩ thi đua cấp Bộ); a Bằng khen of the ministry in 2019, good years since and three Chiến sĩ thi
đua cơ sở (Bằng khen của Thủ tướng). Each is checked eligible by the engine before they are proposed.

The ministry's council (the minister in the chair, `lanhdao`; `hoidong` the standing member;
`uyvienbo1`–`uyvienbo3`) votes by secret ballot; in the dossier before it, `hoidong` and `lanhdao` have
not voted yet. `canbo` prepares, `thutruong` approves, `chuyenvien` appraises and `lanhdao` issues the
minister's decision and signs what goes to the State. One dossier's step is moved back in time so that it
shows overdue; the returned one carries reasons per nomination and per paper.
Deterministic for a seed except the clock: the workflow runs now.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tdkt.accounts.enums import Role
from tdkt.accounts.models import RoleAssignment, User
from tdkt.awards import services as award_services
from tdkt.core import calendar
from tdkt.core.documents import render_pdf
from tdkt.core.text import fold
from tdkt.core.uploads import CheckedFile, check_upload
from tdkt.councils import services as councils
from tdkt.councils.enums import Attendance, MemberRole
from tdkt.councils.models import Council
from tdkt.demo.catalogue import (
    DEMO_PASSWORD,
    INITIATIVE_ACTIONS,
    INITIATIVE_OBJECTS,
    MINISTRY_ABBR,
    MINISTRY_NAME,
    OFFICER_UNIT_CODE,
    REFERENCE_YEAR,
    TDKT_DEPARTMENT_CODE,
)
from tdkt.demo.draws import stable_hash
from tdkt.dossiers import services as dossiers
from tdkt.dossiers.enums import Action, Level, StateOutcome
from tdkt.dossiers.models import Component, Dossier, Nomination, Transition
from tdkt.org.enums import AwardBasis, InitiativeScope, IssuerLevel, Rating
from tdkt.org.models import AwardRecord, Discipline, Evaluation, Initiative, Person, Unit
from tdkt.reviews.models import ReviewRound
from tdkt.rulebook import selectors as rulebook_selectors
from tdkt.rulebook import services as rulebook

YEAR = REFERENCE_YEAR  # the achievements proposed (2025), sent up in 2026
MINISTRY_MEMBER_LOGINS = ["uyvienbo1", "uyvienbo2", "uyvienbo3"]
GOOD = {Rating.HTXS, Rating.HTT}
BKB, CSTD_BO, BKTTG = "bang_khen_bo", "cstd_bo", "bang_khen_ttg"
PDF_MAX = 10 * 1024 * 1024
Progress = Callable[[str], None]

# (title, level, forms of the nominees, the status it is left in); built in this order
PLAN = [
    ("Đề nghị tặng Bằng khen của Bộ trưởng năm 2025 (đợt bổ sung)", Level.MINISTRY, [BKB, BKB], "draft"),
    (
        "Đề nghị tặng Bằng khen của Bộ trưởng: thành tích xây dựng nền tảng dữ liệu dùng chung năm 2025",
        Level.MINISTRY,
        [BKB],
        "sent",
    ),
    (
        "Đề nghị tặng Bằng khen của Bộ trưởng: thành tích cải cách thủ tục hành chính năm 2025",
        Level.MINISTRY,
        [BKB],
        "received",
    ),
    (
        "Đề nghị tặng Bằng khen của Bộ trưởng: thành tích triển khai dịch vụ công trực tuyến năm 2025",
        Level.MINISTRY,
        [BKB],
        "appraising",
    ),
    ("Đề nghị tặng Bằng khen của Bộ trưởng năm 2025 (đợt 1)", Level.MINISTRY, [BKB, BKB], "returned"),
    (
        "Đề nghị tặng Bằng khen của Bộ trưởng: thành tích bảo đảm an toàn hệ thống thông tin năm 2025",
        Level.MINISTRY,
        [BKB],
        "resent",
    ),
    (
        "Đề nghị tặng Bằng khen của Bộ trưởng: thành tích số hóa hồ sơ lưu trữ năm 2025",
        Level.MINISTRY,
        [BKB],
        "accepted",
    ),
    (
        "Đề nghị xét tặng danh hiệu Chiến sĩ thi đua cấp Bộ và Bằng khen của Bộ trưởng năm 2025",
        Level.MINISTRY,
        [CSTD_BO, BKB],
        "in_council",
    ),
    (
        "Đề nghị xét tặng danh hiệu Chiến sĩ thi đua cấp Bộ năm 2025",
        Level.MINISTRY,
        [CSTD_BO, BKB],
        "decided",
    ),
    ("Đề nghị khen thưởng cấp Bộ năm 2025 (đợt 1)", Level.MINISTRY, [CSTD_BO, BKB], "issued"),
    ("Đề nghị tặng Bằng khen của Thủ tướng Chính phủ năm 2025 (đợt 3)", Level.STATE, [BKTTG], "prepared"),
    ("Đề nghị tặng Bằng khen của Thủ tướng Chính phủ năm 2025 (đợt 2)", Level.STATE, [BKTTG], "signed"),
    ("Đề nghị tặng Bằng khen của Thủ tướng Chính phủ năm 2025 (đợt 1)", Level.STATE, [BKTTG], "sent_up"),
    (
        "Đề nghị tặng Bằng khen của Thủ tướng Chính phủ: thành tích giai đoạn 2020–2025",
        Level.STATE,
        [BKTTG, BKTTG],
        "closed",
    ),
]
OVERDUE = "appraising"  # the dossier whose step is moved back past its limit

DUTIES = [
    "Tham mưu xây dựng kế hoạch chuyển đổi số của Cục; theo dõi, đôn đốc các đơn vị triển khai.",
    "Quản lý, vận hành hệ thống thông tin và cơ sở dữ liệu chuyên ngành do Cục chủ trì.",
    "Thẩm định các dự án ứng dụng công nghệ thông tin; hướng dẫn nghiệp vụ cho các đơn vị thuộc Bộ.",
    "Tổng hợp, báo cáo tình hình thực hiện nhiệm vụ; phối hợp với các Vụ, Cục triển khai chương trình "
    "công tác.",
]
ACHIEVEMENTS = [
    "Hoàn thành xuất sắc 100% nhiệm vụ được giao, đúng và vượt tiến độ; không có nhiệm vụ quá hạn.",
    "Chủ trì tích hợp 46 thủ tục hành chính lên Cổng dịch vụ công quốc gia, tỷ lệ hồ sơ trực tuyến "
    "toàn trình đạt 92%.",
    "Tham gia số hóa hơn 120.000 hồ sơ lưu trữ, rút ngắn 40% thời gian tra cứu so với năm trước.",
    "Phối hợp xử lý kịp thời 15 sự cố an toàn thông tin, bảo đảm hệ thống hoạt động liên tục.",
    "Xây dựng 03 quy trình nội bộ được Lãnh đạo Cục ban hành và áp dụng trong toàn Cục.",
    "Hướng dẫn, bồi dưỡng kỹ năng số cho hơn 300 lượt công chức các đơn vị thuộc Bộ.",
]
OTHER = (
    "Gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước; tích cực tham gia các "
    "phong trào thi đua và hoạt động của Công đoàn, Đoàn Thanh niên cơ quan."
)


# ---------------------------------------------------------------------------------------------- people


@dataclass
class History:
    """What the unit's people already hold, read once."""

    ratings: dict[int, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))
    cstd: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    decisions: dict[tuple[str, int], tuple[str, datetime.date, str]] = field(default_factory=dict)
    initiative_decisions: dict[tuple[str, int], tuple[str, datetime.date]] = field(default_factory=dict)


def _pool(unit: Unit, seed: int, skip: set[int]) -> tuple[list[Person], History]:
    """People of the unit who could be proposed: active, no discipline, no higher award yet, one record
    of one human (no shared ID number, no look-alike), not the officer or the head who act on them."""
    people = list(
        Person.objects.filter(current_unit__path__startswith=unit.path, active=True)
        .exclude(pk__in=skip)
        .select_related("current_unit", "user")
    )
    barred = set(Discipline.objects.filter(person__in=people).values_list("person_id", flat=True))
    barred |= set(
        AwardRecord.objects.filter(person__in=people)
        .exclude(award_code__in=["ldtt", "cstd_co_so"])
        .values_list("person_id", flat=True)
    )
    ids, names = defaultdict(int), defaultdict(int)
    for number, name, birth in Person.objects.values_list("id_number", "full_name", "birth_date"):
        if number:
            ids[number] += 1
        names[(fold(name), birth)] += 1
    history = History()
    for pid, year, rating in Evaluation.objects.filter(person__in=people).values_list(
        "person_id", "year", "rating"
    ):
        history.ratings[pid][year] = rating
    for pid, year in AwardRecord.objects.filter(person__in=people, award_code="cstd_co_so").values_list(
        "person_id", "last_year"
    ):
        history.cstd[pid].add(year)
    for code, year, number, day, signer in (
        AwardRecord.objects.filter(unit__path__startswith=unit.path, issuer_level=IssuerLevel.UNIT)
        .order_by("decided_on")
        .values_list("award_code", "last_year", "decision_number", "decided_on", "signer")
    ):
        history.decisions.setdefault((code, year), (number, day, signer))
    for scope, year, number, day in (
        Initiative.objects.filter(unit__path__startswith=unit.path)
        .exclude(decision_number="")
        .order_by("recognised_on")
        .values_list("scope", "year", "decision_number", "recognised_on")
    ):
        history.initiative_decisions.setdefault((scope, year), (number, day))
    fit = [
        p
        for p in people
        if p.pk not in barred
        and (not p.id_number or ids[p.id_number] == 1)
        and names[(fold(p.full_name), p.birth_date)] == 1
        and history.ratings[p.pk].get(YEAR) in GOOD
    ]
    fit.sort(key=lambda p: stable_hash(seed, "dossier", p.code))
    return fit, history


def _short(history: History, p: Person, years, wanted=GOOD) -> int:
    return sum(1 for y in years if history.ratings[p.pk].get(y) not in wanted)


def _rate(history: History, p: Person, year: int, rating: str) -> None:
    """At least `rating` in `year` (a better rating is kept)."""
    order = [Rating.HTXS, Rating.HTT, Rating.HT, Rating.KHT]
    current = history.ratings[p.pk].get(year)
    if current is not None and current in order and order.index(current) <= order.index(rating):
        return
    updated = Evaluation.objects.filter(person=p, year=year).update(rating=rating)
    if not updated:
        Evaluation.objects.create(person=p, unit=p.current_unit, year=year, rating=rating, months_worked=12)
    history.ratings[p.pk][year] = rating


def _initiative_title(seed: int, p: Person, n: int, unit: Unit) -> str:
    key = stable_hash(seed, "initiative", p.code, n)
    action = INITIATIVE_ACTIONS[key % len(INITIATIVE_ACTIONS)]
    what = INITIATIVE_OBJECTS[(key >> 8) % len(INITIATIVE_OBJECTS)]
    return f"{action} {what} tại {unit.name}"


def _initiative(seed: int, history: History, p: Person, unit: Unit, year: int, scope: str, n: int) -> None:
    abbr = unit.short_name or "CĐS"
    number, day = history.initiative_decisions.get(
        (scope, year),
        (
            f"{40 + n}/QĐ-{MINISTRY_ABBR if scope == InitiativeScope.BO else abbr}",
            datetime.date(year, 11, 20),
        ),
    )
    Initiative.objects.create(
        person=p,
        unit=p.current_unit,
        year=year,
        title=_initiative_title(seed, p, n, unit),
        scope=scope,
        recognised_on=day,
        decision_number=number,
    )
    history.initiative_decisions.setdefault((scope, year), (number, day))


def _cstd_co_so(history: History, p: Person, unit: Unit, year: int) -> None:
    """Chiến sĩ thi đua cơ sở of `year`, in the unit's decision of that year."""
    number, day, signer = history.decisions.get(
        ("cstd_co_so", year),
        (f"{10 + year % 100}/QĐ-{unit.short_name or 'CĐS'}", datetime.date(year + 1, 1, 15), ""),
    )
    _rate(history, p, year, Rating.HTXS)
    AwardRecord.objects.create(
        person=p,
        unit=p.current_unit,
        award_code="cstd_co_so",
        first_year=year,
        last_year=year,
        decision_number=number,
        decided_on=day,
        signer=signer,
        basis=AwardBasis.CONG_TRANG,
        issuer_level=IssuerLevel.UNIT,
        issuer_name=unit.name,
        ground="initiative",
    )
    history.cstd[p.pk].add(year)


def _give(seed: int, history: History, p: Person, unit: Unit, code: str, minister: str) -> None:
    """The records `code` asks for, where the person's history lacks them."""
    if code == BKB:  # two years xuất sắc, two initiatives of the unit
        for n, year in enumerate((YEAR - 1, YEAR)):
            _rate(history, p, year, Rating.HTXS)
            _initiative(seed, history, p, unit, year, InitiativeScope.CO_SO, n)
    elif code == CSTD_BO:  # three years Chiến sĩ thi đua cơ sở, an initiative of the ministry's scope
        for year in (YEAR - 2, YEAR - 1, YEAR):
            if year not in history.cstd[p.pk]:
                _cstd_co_so(history, p, unit, year)
            _rate(history, p, year, Rating.HTXS)
        _initiative(seed, history, p, unit, YEAR, InitiativeScope.BO, 7)
    else:  # Bằng khen of the ministry in 2019, then good years with three Chiến sĩ thi đua cơ sở
        AwardRecord.objects.create(
            person=p,
            unit=p.current_unit,
            award_code=BKB,
            first_year=2019,
            last_year=2019,
            decision_number=f"{300 + stable_hash(seed, 'bkb2019', p.code) % 200}/QĐ-{MINISTRY_ABBR}",
            decided_on=datetime.date(2020, 4, 10),
            signer=minister,
            basis=AwardBasis.CONG_TRANG,
            issuer_level=IssuerLevel.MINISTRY,
            issuer_name=MINISTRY_NAME,
        )
        for year in range(2020, YEAR + 1):
            _rate(history, p, year, Rating.HTT)
        for year in (2021, 2022, 2023, 2024, 2020, 2025):
            if len([y for y in history.cstd[p.pk] if 2020 <= y <= YEAR]) >= 3:
                break
            if year not in history.cstd[p.pk]:
                _cstd_co_so(history, p, unit, year)


class NotEligible(Exception):
    pass


def _nominees(seed: int, unit: Unit, skip: set[int], minister: str) -> dict[str, list[Person]] | None:
    """People for every form of the plan, each made and checked eligible; None when the unit is too
    small (nothing is written then)."""
    pool, history = _pool(unit, seed, skip)
    wanted = defaultdict(int)
    for _title, _level, codes, _status in PLAN:
        for code in codes:
            wanted[code] += 1
    # the fewest changes to a person's history first: Chiến sĩ thi đua cơ sở already held, good years
    prefer = {
        CSTD_BO: lambda p: (
            -len(history.cstd[p.pk] & {YEAR - 2, YEAR - 1, YEAR}),
            _short(history, p, [YEAR]),
        ),
        BKTTG: lambda p: (_short(history, p, range(2020, YEAR + 1)), -len(history.cstd[p.pk])),
        BKB: lambda p: _short(history, p, [YEAR - 1, YEAR], {Rating.HTXS}),
    }
    chosen: dict[str, list[Person]] = defaultdict(list)
    for code in (CSTD_BO, BKTTG, BKB):
        for p in sorted(pool, key=prefer[code]):
            if len(chosen[code]) == wanted[code]:
                break
            before = (dict(history.ratings[p.pk]), set(history.cstd[p.pk]))
            try:
                with transaction.atomic():
                    _give(seed, history, p, unit, code, minister)
                    verdicts = {
                        v.award: v.verdict for v in rulebook_selectors.live_verdicts("individual", p.pk, YEAR)
                    }
                    if verdicts.get(code) != "eligible":
                        raise NotEligible
            except NotEligible:  # rolled back: their history as it was
                history.ratings[p.pk], history.cstd[p.pk] = before
                continue
            chosen[code].append(p)
        pool = [p for p in pool if p not in chosen[code]]
        if len(chosen[code]) < wanted[code]:
            return None
    return chosen


# ---------------------------------------------------------------------------------------------- council


def _first(qs, taken: set[int]) -> Person | None:
    return next((p for p in qs.order_by("code") if p.pk not in taken and p.user_id is None), None)


def _ministry_council(ministry: Unit, specialist: User, leader: User):
    """The ministry's council: the minister in the chair (`lanhdao`), a deputy minister, the head of the
    TĐKT department (standing member, `hoidong`), the heads of the ministry's office and personnel
    department, a TĐKT officer as secretary. Returns (council, [(member, user)] of the voters)."""
    people = Person.objects.filter(current_unit__path__startswith=ministry.path, active=True)
    tdkt = Unit.objects.filter(code=TDKT_DEPARTMENT_CODE).first()
    taken: set[int] = set()
    picks = []
    for qs in (
        people.filter(current_unit=ministry, position="Bộ trưởng"),
        people.filter(current_unit=ministry, position="Thứ trưởng"),
        people.filter(current_unit__code=TDKT_DEPARTMENT_CODE, position="Vụ trưởng"),
        people.filter(current_unit__code="VPB", position="Chánh Văn phòng"),
        people.filter(current_unit__code="TCCB", position="Vụ trưởng"),
    ):
        p = _first(qs, taken) or _first(people.filter(leader=True, current_unit__parent__isnull=False), taken)
        if p is None:
            return None
        taken.add(p.pk)
        picks.append(p)
    staff = people.filter(current_unit__path__startswith=tdkt.path) if tdkt else people
    secretary = _first(staff.filter(leader=False), taken)
    if secretary is None:
        return None
    chair, deputy, standing, office, personnel = picks
    password = make_password(DEMO_PASSWORD)
    users = {chair.pk: leader, standing.pk: User.objects.get(username="hoidong")}
    for username, p in zip(MINISTRY_MEMBER_LOGINS, (deputy, office, personnel), strict=True):
        user = User.objects.create(
            username=username, password=password, full_name=p.full_name, is_active=True
        )
        RoleAssignment.objects.create(
            user=user, role=Role.COUNCIL_MEMBER, unit=ministry, include_subtree=True
        )
        users[p.pk] = user
    for p in picks:
        user = users[p.pk]
        Person.objects.filter(pk=p.pk).update(user=user)
        if user.full_name != p.full_name:  # the login is this person
            User.objects.filter(pk=user.pk).update(full_name=p.full_name)
    council = councils.council_create(
        actor=specialist,
        unit_id=ministry.pk,
        name=f"Hội đồng Thi đua – Khen thưởng {ministry.name}",
        term_from=datetime.date(YEAR - 1, 7, 1),
        term_to=datetime.date(YEAR + 2, 6, 30),
        decision_number=f"125/QĐ-{MINISTRY_ABBR}",
        decision_date=datetime.date(YEAR - 1, 6, 20),
    )
    roles = [
        MemberRole.CHAIR,
        MemberRole.VICE_CHAIR,
        MemberRole.STANDING,
        MemberRole.MEMBER,
        MemberRole.MEMBER,
    ]
    voters = []
    for p, role in zip(picks, roles, strict=True):
        member = councils.member_add(actor=specialist, council_id=council.pk, person_id=p.pk, role=role)
        voters.append((member, users[p.pk]))
    councils.member_add(
        actor=specialist, council_id=council.pk, person_id=secretary.pk, role=MemberRole.SECRETARY
    )
    return council, voters


# ---------------------------------------------------------------------------------------------- papers


def _pdf(filename: str, context: dict) -> CheckedFile:
    data = render_pdf("core/documents/van_ban.html", context)
    return check_upload(SimpleUploadedFile(filename, data), kinds={"pdf"}, max_bytes=PDF_MAX)


def _issuer(unit: Unit) -> dict:
    return {"parent": unit.parent.name if unit.parent_id else "", "name": unit.name}


def _minutes(unit: Unit, nominees: list[tuple[Person, str]], signed: bool) -> CheckedFile:
    """The unit council's minutes of the meeting that voted on every proposal of the year."""
    council = Council.objects.filter(unit=unit).order_by("pk").first()
    members = list(council.members.select_related("person")) if council else []
    chair = next((m.person.full_name for m in members if m.role == MemberRole.CHAIR), "")
    secretary = next((m.person.full_name for m in members if m.role == MemberRole.SECRETARY), "")
    voting = sum(1 for m in members if m.votes) or 5
    body = [
        f"Hồi 14 giờ 00 ngày 20 tháng 01 năm {YEAR + 1}, tại phòng họp tầng 5, Hội đồng Thi đua – "
        f"Khen thưởng {unit.name} họp xét, đề nghị cấp trên khen thưởng thành tích năm {YEAR}.",
        f"Thành phần: {voting}/{voting} thành viên có quyền biểu quyết có mặt; chủ trì: {chair}; "
        f"thư ký: {secretary}.",
        "Hội đồng đã xem xét báo cáo thành tích, đối chiếu tiêu chuẩn theo Luật Thi đua, khen thưởng 2022 "
        "và Nghị định 98/2023/NĐ-CP, bỏ phiếu kín từng trường hợp; kết quả kiểm phiếu ghi tại danh sách "
        "kèm theo.",
        "Hội đồng thống nhất đề nghị Thủ trưởng đơn vị trình Bộ khen thưởng các cá nhân có tên trong "
        "danh sách.",
    ]
    if signed:
        body.append("Bản chụp từ bản gốc có chữ ký của Chủ tọa, Thư ký và dấu của đơn vị.")
    return _pdf(
        "bien-ban-hop-hoi-dong-co-chu-ky.pdf" if signed else "bien-ban-hop-hoi-dong.pdf",
        {
            "issuer": _issuer(unit),
            "number": None,
            "symbol": "",
            "place": "Hà Nội",
            "day": datetime.date(YEAR + 1, 1, 20),
            "doc_type": "Biên bản",
            "subject": f"Họp Hội đồng Thi đua – Khen thưởng xét đề nghị khen thưởng năm {YEAR}",
            "body": body,
            "table": {
                "title": "Kết quả bỏ phiếu đề nghị khen thưởng",
                "columns": ["STT", "Họ và tên", "Chức vụ, đơn vị", "Hình thức đề nghị", "Số phiếu đồng ý"],
                "rows": [
                    [
                        i,
                        p.full_name,
                        ", ".join(t for t in (p.position or p.job_title, p.current_unit.name) if t),
                        rulebook.award_name(code),
                        f"{voting}/{voting}",
                    ]
                    for i, (p, code) in enumerate(nominees, start=1)
                ],
            },
            "recipients": [],
            "signers": [
                {"authority": "", "title": "Thư ký", "name": secretary},
                {"authority": "", "title": "Chủ tọa", "name": chair},
            ],
            "signer": {"authority": "", "title": "", "name": ""},
        },
    )


def _initiative_decision(ministry: Unit, people: list[Person], minister: str) -> CheckedFile:
    """The ministry's decision recognising the initiatives of the Chiến sĩ thi đua cấp Bộ nominees."""
    recognised = list(
        Initiative.objects.filter(person__in=people, scope=InitiativeScope.BO, year=YEAR)
        .select_related("person__current_unit")
        .order_by("person__code")
    )
    rows = [
        [i, r.title, r.person.full_name, r.person.current_unit.name]
        for i, r in enumerate(recognised, start=1)
    ]
    number = recognised[0].decision_number if recognised else f"47/QĐ-{MINISTRY_ABBR}"
    return _pdf(
        "qd-cong-nhan-sang-kien-cap-bo.pdf",
        {
            "issuer": {"parent": "", "name": ministry.name},
            "number": number.split("/")[0],
            "symbol": number.split("/", 1)[1] if "/" in number else f"QĐ-{MINISTRY_ABBR}",
            "place": "Hà Nội",
            "day": datetime.date(YEAR, 12, 15),
            "doc_type": "Quyết định",
            "subject": "Về việc công nhận hiệu quả áp dụng, phạm vi ảnh hưởng cấp Bộ của sáng kiến",
            "body": [
                "Căn cứ Nghị định số 13/2012/NĐ-CP ngày 02/3/2012 của Chính phủ ban hành Điều lệ Sáng kiến;",
                "Xét đề nghị của Hội đồng Sáng kiến cấp Bộ;",
                "QUYẾT ĐỊNH:",
                "Điều 1. Công nhận hiệu quả áp dụng, phạm vi ảnh hưởng cấp Bộ của các sáng kiến có tên tại "
                "danh sách kèm theo.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
            ],
            "table": {
                "title": "Danh sách sáng kiến được công nhận",
                "columns": ["STT", "Tên sáng kiến", "Tác giả", "Đơn vị"],
                "rows": rows,
            },
            "recipients": ["Như Điều 1;", "Lưu: VT, KHCN."],
            "signer": {"authority": "Bộ trưởng", "title": "", "name": minister},
        },
    )


# ---------------------------------------------------------------------------------------------- the flow


@dataclass
class Cast:
    seed: int
    unit: Unit
    ministry: Unit
    officer: User
    head: User
    specialist: User
    leader: User
    council: object
    voters: list
    papers: dict[str, CheckedFile]
    now: datetime.datetime
    decisions: int = 0


def _report(cast: Cast, p: Person, *, draft: bool = False) -> dict[str, str]:
    key = stable_hash(cast.seed, "report", p.code)
    done = [ACHIEVEMENTS[(key + i) % len(ACHIEVEMENTS)] for i in range(3 if not draft else 1)]
    initiatives = list(
        Initiative.objects.filter(person=p, year__gte=YEAR - 2)
        .order_by("year")
        .values_list("year", "title", "decision_number")
    )
    where = ", ".join(t for t in (p.position or p.job_title, p.current_unit.name) if t)
    return {
        "duties": f"{where}. {DUTIES[key % len(DUTIES)]}",
        "achievements": "\n".join(done),
        "initiatives": "\n".join(f"Năm {y}: {t} (Quyết định công nhận số {n})." for y, t, n in initiatives),
        "other": "" if draft else OTHER,
    }


def _prepare(cast: Cast, title: str, level: str, nominees: list[tuple[Person, str]], *, ready: bool = True):
    d = dossiers.dossier_create(actor=cast.officer, unit_id=cast.unit.pk, level=level, year=YEAR, title=title)
    for p, code in nominees:
        dossiers.nomination_add(
            actor=cast.officer, dossier_id=d.pk, subject=dossiers.Subject(person_id=p.pk), award_code=code
        )
    nominations = list(d.nominations.select_related("person__current_unit", "person__user").order_by("pk"))
    for i, n in enumerate(nominations):
        # a nominee with a login writes their own report; the unit's officer writes the others
        author = n.person.user if n.person.user_id else cast.officer
        last = not ready and i == len(nominations) - 1
        dossiers.report_save(
            actor=author,
            nomination_id=n.pk,
            sections=_report(cast, n.person, draft=last),
            submit=not last,
        )
        if not last:
            dossiers.report_confirm(actor=cast.head, nomination_id=n.pk)
    for c in Component.objects.filter(dossier=d, stage="unit", required=True).order_by("pk"):
        if c.code == "bien_ban":
            dossiers.component_upload(actor=cast.officer, component_id=c.pk, checked=cast.papers["minutes"])
        elif not c.generated and ready:
            paper = cast.papers["initiatives"] if c.code == "cong_nhan_sang_kien" else cast.papers["minutes"]
            dossiers.component_upload(actor=cast.officer, component_id=c.pk, checked=paper)
    if ready:
        dossiers.dossier_approve(actor=cast.head, dossier_id=d.pk)
    return d


def _send(cast: Cast, d: Dossier) -> None:
    dossiers.dossier_send(
        actor=cast.officer,
        dossier_id=d.pk,
        message=f"Kính gửi Vụ Thi đua – Khen thưởng: {cast.unit.name} trình hồ sơ đề nghị khen thưởng, "
        "kèm theo báo cáo thành tích và biên bản họp Hội đồng.",
    )


def _return(cast: Cast, d: Dossier) -> None:
    """Back to the unit with a reason per nomination and one about a paper."""
    first, *others = list(d.nominations.select_related("person").order_by("pk"))
    minutes = d.components.get(code="bien_ban", nomination__isnull=True)
    reasons = [
        dossiers.Reason(
            "Biên bản họp Hội đồng là bản chưa ký; đề nghị gửi bản chụp có chữ ký của Chủ tọa, Thư ký "
            "và dấu của đơn vị.",
            component_id=minutes.pk,
        ),
        dossiers.Reason(
            f"Báo cáo thành tích của {first.person.full_name} chưa nêu số liệu cụ thể (số thủ tục, số hồ sơ, "
            "tỷ lệ hoàn thành) và hiệu quả của sáng kiến năm 2025.",
            nomination_id=first.pk,
        ),
    ]
    reasons += [
        dossiers.Reason(
            f"Bổ sung xác nhận của Thủ trưởng đơn vị về phạm vi áp dụng sáng kiến của {n.person.full_name}.",
            nomination_id=n.pk,
        )
        for n in others
    ]
    dossiers.dossier_return(
        actor=cast.specialist,
        dossier_id=d.pk,
        reasons=reasons,
        message="Hồ sơ chưa đủ thành phần, nội dung theo quy định; đề nghị đơn vị bổ sung, hoàn thiện.",
    )


def _fix_and_resend(cast: Cast, d: Dossier) -> None:
    minutes = d.components.get(code="bien_ban", nomination__isnull=True)
    dossiers.component_upload(
        actor=cast.officer, component_id=minutes.pk, checked=cast.papers["minutes_signed"]
    )
    for n in d.nominations.select_related("person__current_unit", "person__user").order_by("pk"):
        author = n.person.user if n.person.user_id else cast.officer
        sections = _report(cast, n.person)
        sections["achievements"] += "\n" + ACHIEVEMENTS[1]
        dossiers.report_save(actor=author, nomination_id=n.pk, sections=sections, submit=True)
        dossiers.report_confirm(actor=cast.head, nomination_id=n.pk)
    dossiers.dossier_approve(actor=cast.head, dossier_id=d.pk)
    dossiers.dossier_send(
        actor=cast.officer,
        dossier_id=d.pk,
        message="Đơn vị đã bổ sung biên bản có chữ ký và hoàn thiện báo cáo thành tích theo ý kiến "
        "thẩm định.",
    )


def _vote(cast: Cast, d: Dossier, *, close: bool, waiting: frozenset[str] = frozenset()) -> None:
    """Before the ministry's council: a meeting, everyone present, an electronic ballot; the voters not in
    `waiting` cast it (agree), and it is closed when `close`."""
    meeting = dossiers.dossier_to_council(
        actor=cast.specialist,
        dossier_id=d.pk,
        council_id=cast.council.pk,
        starts_at=cast.now,
        place="Phòng họp số 1, trụ sở Bộ",
    )
    councils.attendance_set(
        actor=cast.specialist,
        meeting_id=meeting.pk,
        entries={m.pk: (Attendance.PRESENT, "") for m in cast.council.members.filter(active=True)},
    )
    items = list(meeting.items.order_by("order"))
    ballot = councils.ballot_open(
        actor=cast.specialist,
        meeting_id=meeting.pk,
        item_ids=[i.pk for i in items],
        closes_at=cast.now + (datetime.timedelta(days=7) if not close else datetime.timedelta(hours=2)),
    )
    for member, user in cast.voters:
        if user.username in waiting:
            continue
        choices = {i.pk: "agree" for i in items if i.person_id != member.person_id}
        councils.ballot_cast(actor=user, ballot_id=ballot.pk, choices=choices)
    if close:
        councils.ballot_close(actor=cast.specialist, ballot_id=ballot.pk)


def _to_decided(cast: Cast, d: Dossier, *, rejected: dict[int, str] | None = None) -> None:
    dossiers.dossier_accept(actor=cast.specialist, dossier_id=d.pk, rejected=rejected)
    d.refresh_from_db()
    if any(
        rulebook.needs_council_vote(code, YEAR)
        for code in d.nominations.filter(appraisal="ok").values_list("award_code", flat=True)
    ):
        _vote(cast, d, close=True)
    dossiers.dossier_decide(actor=cast.specialist, dossier_id=d.pk)


def _state(cast: Cast, d: Dossier, status: str) -> None:
    dossiers.dossier_receive(actor=cast.specialist, dossier_id=d.pk)
    _to_decided(cast, d)
    dossiers.dossier_prepare_state(actor=cast.specialist, dossier_id=d.pk)
    if status == "prepared":
        return
    dossiers.dossier_sign(actor=cast.leader, dossier_id=d.pk)
    if status == "signed":
        return
    dossiers.dossier_send_up(
        actor=cast.specialist,
        dossier_id=d.pk,
        message=f"Tờ trình số {20 + d.pk % 50}/TTr-{MINISTRY_ABBR} gửi Ban Thi đua – Khen thưởng Trung ương.",
    )
    nominations = list(d.nominations.order_by("pk"))
    if status == "sent_up":
        dossiers.record_state_outcome(
            actor=cast.specialist,
            nomination_id=nominations[0].pk,
            outcome=StateOutcome.RECEIVED,
            note="Ban Thi đua – Khen thưởng Trung ương đã tiếp nhận hồ sơ, đang thẩm định.",
        )
        return
    first, *others = nominations
    dossiers.record_state_outcome(
        actor=cast.specialist,
        nomination_id=first.pk,
        outcome=StateOutcome.APPROVED,
        decision_number=f"{1180 + d.pk % 100}/QĐ-TTg",
        decided_on=timezone.localdate(),
        signer=AwardRecord.objects.filter(decision_number__endswith="/QĐ-TTg")
        .exclude(signer="")
        .values_list("signer", flat=True)
        .first()
        or "Thủ tướng Chính phủ",
    )
    for n in others:
        dossiers.record_state_outcome(
            actor=cast.specialist,
            nomination_id=n.pk,
            outcome=StateOutcome.NOT_APPROVED,
            note="Chưa đủ tiêu chuẩn theo ý kiến thẩm định của Ban Thi đua – Khen thưởng Trung ương; "
            "đề nghị xem xét lại ở đợt sau.",
        )


def _build(cast: Cast, title: str, level: str, nominees: list[tuple[Person, str]], status: str) -> Dossier:
    if status == "draft":
        return _prepare(cast, title, level, nominees, ready=False)
    d = _prepare(cast, title, level, nominees)
    _send(cast, d)
    if status == "sent":
        return d
    if status == "received":
        dossiers.transition(
            actor=cast.specialist, dossier_id=d.pk, action=Action.RECEIVE, perm="dossiers.appraise"
        )
        return d
    if level == Level.STATE:
        _state(cast, d, status)
        return d
    dossiers.dossier_receive(actor=cast.specialist, dossier_id=d.pk)
    if status == "appraising":
        n = d.nominations.select_related("person").first()
        dossiers.comment_add(
            actor=cast.specialist,
            dossier_id=d.pk,
            nomination_id=n.pk,
            text=f"Đang đối chiếu sáng kiến của {n.person.full_name} với Quyết định công nhận của Cục.",
        )
        return d
    if status in ("returned", "resent"):
        _return(cast, d)
        if status == "resent":
            _fix_and_resend(cast, d)
        return d
    if status == "decided":  # partial: the Bằng khen is not proposed further, the council passes the rest
        rejected = {
            n.pk: "Thành tích chưa tiêu biểu so với các trường hợp cùng đợt; đề nghị xét ở đợt sau."
            for n in d.nominations.filter(award_code=BKB)
        }
        _to_decided(cast, d, rejected=rejected)
        return d
    dossiers.dossier_accept(actor=cast.specialist, dossier_id=d.pk)
    if status == "accepted":
        return d
    if status == "in_council":
        _vote(cast, d, close=False, waiting=frozenset({"hoidong", cast.leader.username}))
        return d
    # issued: voted, decided, the minister's decision issued into the register
    _vote(cast, d, close=True)
    dossiers.dossier_decide(actor=cast.specialist, dossier_id=d.pk)
    decision = dossiers.dossier_draft_decision(actor=cast.specialist, dossier_id=d.pk)
    award_services.decision_issue(
        actor=cast.leader,
        decision_id=decision.pk,
        number=str(215 + cast.decisions),
        symbol=f"QĐ-{MINISTRY_ABBR}",
        decided_on=timezone.localdate(),
        signer_name=cast.leader.full_name,
        signer_title="Bộ trưởng",
    )
    cast.decisions += 1
    return d


def _overdue(d: Dossier, now: datetime.datetime) -> None:
    """Move the dossier's clock back: sent and taken in five weeks ago, its step now past the limit."""
    d.refresh_from_db()
    since = now - datetime.timedelta(days=35)
    due = calendar.due_date(since, d.step_limit or 10)
    steps = list(d.transitions.order_by("id").values_list("pk", flat=True))
    Transition.objects.filter(pk__in=steps[:1]).update(at=since - datetime.timedelta(days=1, hours=2))
    Transition.objects.filter(pk__in=steps[1:]).update(at=since)
    Dossier.objects.filter(pk=d.pk).update(step_since=since, step_due=due)


def build_dossiers(*, seed: int, progress: Progress | None = None) -> dict[str, int]:
    say = progress or (lambda _m: None)
    unit = Unit.objects.filter(code=OFFICER_UNIT_CODE).first()
    if unit is None or not ReviewRound.objects.filter(unit=unit, year=YEAR).exists():
        return {}  # no year of work in this (small) demo: no dossiers either
    ministry = Unit.objects.get(code=MINISTRY_ABBR)
    officer, head, specialist, leader = (
        User.objects.get(username=n) for n in ("canbo", "thutruong", "chuyenvien", "lanhdao")
    )
    skip = set(Person.objects.filter(user__in=[officer, head]).values_list("pk", flat=True))
    with transaction.atomic():
        chosen = _nominees(seed, unit, skip, leader.full_name)
        if chosen is None:
            transaction.set_rollback(True)
            say(f"{unit.name} không đủ cán bộ để lập hồ sơ đề nghị mẫu: bỏ qua")
            return {}
        council = _ministry_council(ministry, specialist, leader)
        if council is None:
            transaction.set_rollback(True)
            say(f"{ministry.name} không đủ lãnh đạo để lập Hội đồng cấp Bộ: bỏ qua hồ sơ đề nghị mẫu")
            return {}
    leader.refresh_from_db()  # the login now bears the name of the minister's record
    queue = {code: list(people) for code, people in chosen.items()}
    plan = [
        (title, level, [(queue[c].pop(0), c) for c in codes], status) for title, level, codes, status in PLAN
    ]
    nominees = [pair for _t, _l, pairs, _s in plan for pair in pairs]
    papers = {
        "minutes": _minutes(unit, nominees, signed=False),
        "minutes_signed": _minutes(unit, nominees, signed=True),
        "initiatives": _initiative_decision(ministry, chosen[CSTD_BO], leader.full_name),
    }
    cast = Cast(seed, unit, ministry, officer, head, specialist, leader, *council, papers, timezone.now())
    built = {}
    for title, level, pairs, status in plan:
        with transaction.atomic():
            built[status] = _build(cast, title, level, pairs, status)
    _overdue(built[OVERDUE], cast.now)
    say(f"Hồ sơ đề nghị khen thưởng: {len(built)} hồ sơ, đủ mọi trạng thái")
    return {
        "dossier": len(built),
        "nomination": Nomination.objects.filter(dossier__in=built.values()).count(),
    }
