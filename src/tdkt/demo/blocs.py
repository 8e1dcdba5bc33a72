"""The demo's emulation blocs at work: every bloc split into two clusters, a finished 2025 (covenant,
scores with evidence, appraisal, ranking, the conference's vote, the proposals' dossier, published) and a
2026 in progress (scoring; in the first cluster of the first bloc the appraisal with an adjustment the
member has to answer). Written through the services, as the specialist, the bloc head and the members'
officers would; the dates of 2025 are then set to when that work happened."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tdkt.accounts.enums import Role
from tdkt.accounts.models import RoleAssignment, User
from tdkt.clusters import services
from tdkt.clusters.enums import BlocRole, CriterionKind, SheetStatus, YearAction, YearStatus
from tdkt.clusters.models import Bloc, BlocMembership, Cluster, ClusterYear, Sheet
from tdkt.core.documents import render_pdf
from tdkt.core.uploads import check_upload
from tdkt.councils import services as councils
from tdkt.councils.enums import Attendance, BallotMode
from tdkt.demo.catalogue import DEMO_PASSWORD, REFERENCE_YEAR
from tdkt.org.models import Person, Unit

Progress = Callable[[str], None]
DONE, UNDER_WAY = REFERENCE_YEAR, REFERENCE_YEAR + 1
BLOC_LOGINS = ["canbokhoi"]  # the TĐKT officer of a member of the bloc head's cluster

# the scoring table of the sector's bloc of provincial departments (the demo's; each bloc's regulation
# sets its own): (code, name, kind, max points, cap ratio, unit, evidence required)
TABLE = [
    ("1", "Thực hiện nhiệm vụ chính trị, chuyên môn được giao", CriterionKind.GROUP, 60, None, "", False),
    (
        "1.1",
        "Tỷ lệ thủ tục hành chính giải quyết trực tuyến toàn trình",
        CriterionKind.TARGET,
        20,
        1.1,
        "%",
        True,
    ),
    ("1.2", "Tỷ lệ hồ sơ giải quyết đúng hạn", CriterionKind.TARGET, 20, 1.0, "%", True),
    ("1.3", "Chuyển đổi số, dữ liệu dùng chung của tỉnh", CriterionKind.FIXED, 20, None, "", False),
    ("2", "Công tác thi đua, khen thưởng", CriterionKind.GROUP, 25, None, "", False),
    ("2.1", "Ban hành kế hoạch, phát động phong trào thi đua", CriterionKind.FIXED, 10, None, "", True),
    ("2.2", "Sơ kết, tổng kết, nhân rộng điển hình tiên tiến", CriterionKind.FIXED, 15, None, "", False),
    ("3", "Tham gia hoạt động của cụm, khối", CriterionKind.FIXED, 15, None, "", False),
    ("4", "Điểm thưởng: mô hình mới, sáng kiến được công nhận", CriterionKind.BONUS, 5, None, "", True),
    ("5", "Điểm trừ: chậm, thiếu báo cáo; vi phạm kỷ luật", CriterionKind.DEDUCTION, 10, None, "", False),
]
TARGETS = {"1.1": (85, 98), "1.2": (95, 100)}


_EVIDENCE: dict[str, bytes] = {}


def _pdf(title: str, unit: Unit) -> object:
    """An evidence file made with the document layer (one report, rendered once per run), checked like any
    upload."""
    if "pdf" not in _EVIDENCE:
        _EVIDENCE["pdf"] = render_pdf(
            "core/documents/van_ban.html",
            {
                "issuer": {"parent": "UBND tỉnh", "name": "Sở Kinh tế Số"},
                "number": 35,
                "symbol": "BC-SKTS",
                "place": "",
                "day": datetime.date(DONE, 11, 20),
                "doc_type": "Báo cáo",
                "subject": "Kết quả thực hiện các chỉ tiêu giao ước thi đua của cụm",
                "body": [
                    "Số liệu thủ tục hành chính giải quyết trực tuyến, đúng hạn (Cổng dịch vụ công của tỉnh)."
                ],
                "recipients": ["Sở chủ trì cụm thi đua;", "Lưu: VT."],
                "signer": {"authority": "", "title": "Giám đốc", "name": "(đã ký)"},
            },
        )
    return check_upload(
        SimpleUploadedFile(f"{title}.pdf", _EVIDENCE["pdf"]), kinds={"pdf"}, max_bytes=5 * 1024 * 1024
    )


def _clusters(bloc: Bloc) -> list[Cluster]:
    """Two clusters per bloc; every year's members alternate between them by their order; the head and
    deputy of each cluster rotate yearly among the members that are not being merged away."""
    made = [
        Cluster.objects.create(
            bloc=bloc,
            code=f"{bloc.code}-C{i}",
            name=f"Cụm thi đua số {i}, {bloc.name.removeprefix('Khối thi đua các ')}",
            order=i,
        )
        for i in (1, 2)
    ]
    years = sorted(set(BlocMembership.objects.filter(bloc=bloc).values_list("year", flat=True)))
    last = max(years)
    if UNDER_WAY not in years:  # the year under way has the members of the last year
        BlocMembership.objects.bulk_create(
            BlocMembership(bloc=bloc, unit_id=m.unit_id, year=UNDER_WAY)
            for m in BlocMembership.objects.filter(bloc=bloc, year=last).select_related("unit")
            if m.unit.active_to is None
        )
        years.append(UNDER_WAY)
    for n, year in enumerate(years):
        rows = list(
            BlocMembership.objects.filter(bloc=bloc, year=year).select_related("unit").order_by("unit__code")
        )
        for i, row in enumerate(rows):
            row.cluster = made[i % 2]
            row.role = BlocRole.MEMBER
        for cluster in made:
            mine = [r for r in rows if r.cluster is cluster]
            active = [r for r in mine if r.unit.active_to is None] or mine
            if len(active) >= 1:
                active[n % len(active)].role = BlocRole.HEAD
            if len(active) >= 2:
                active[(n + 1) % len(active)].role = BlocRole.DEPUTY
        BlocMembership.objects.bulk_update(rows, ["cluster", "role"])
    return made


def _table(specialist: User, bloc: Bloc) -> None:
    made: dict[str, int] = {}
    for code, name, kind, top, cap, label, evidence in TABLE:
        parent = made.get(code.rsplit(".", 1)[0]) if "." in code else None
        row = services.criterion_save(
            actor=specialist, bloc_id=bloc.pk, year=DONE, code=code, name=name, kind=kind, max_points=top,
            parent_id=parent, cap_ratio=cap, unit_label=label, evidence_required=evidence,
            evidence_note="Văn bản, báo cáo chứng minh" if evidence else "",
        )  # fmt: skip
        made[code] = row.pk
    services.table_copy(actor=specialist, bloc_id=bloc.pk, year=UNDER_WAY, from_year=DONE)


def _officer_of(unit: Unit) -> User:
    """The member's TĐKT officer: the unit's officer login if it has one, else one made for the demo
    (without a password: nobody signs in with it)."""
    found = (
        RoleAssignment.objects.filter(role=Role.OFFICER, unit=unit, user__is_active=True)
        .select_related("user")
        .first()
    )
    if found is not None:
        return found.user
    user = User.objects.create(username=f"tdkt.{unit.code.lower()}", full_name=f"Cán bộ TĐKT {unit.name}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    RoleAssignment.objects.create(user=user, role=Role.OFFICER, unit=unit, include_subtree=True)
    return user


def _covenant(head: User, cy: ClusterYear, rng: random.Random, on: datetime.date) -> None:
    criteria = {c.code: c for c in cy.cluster.bloc.criteria.filter(year=cy.year)}
    host = BlocMembership.objects.get(cluster=cy.cluster, year=cy.year, role=BlocRole.HEAD).unit
    services.covenant_set(
        actor=head, cluster_year_id=cy.pk, on=on, place=host.province or "Hà Nội",
        content=(
            "Các thành viên cụm thi đua cam kết thi đua hoàn thành xuất sắc nhiệm vụ chính trị năm "
            f"{cy.year}, đẩy mạnh chuyển đổi số, cải cách hành chính; thực hiện đúng chế độ báo cáo."
        ),
    )  # fmt: skip
    for m in BlocMembership.objects.filter(cluster=cy.cluster, year=cy.year).select_related("unit"):
        targets = {criteria[c].pk: rng.randint(*span) for c, span in TARGETS.items()}
        pledge = services.pledge_save(
            actor=head, cluster_year_id=cy.pk, unit_id=m.unit_id, targets=targets,
            content=f"{m.unit.name} đăng ký danh hiệu Tập thể Lao động xuất sắc và các chỉ tiêu giao ước.",
        )  # fmt: skip
        signer = Person.objects.filter(current_unit=m.unit, leader=True).order_by("sort_key").first()
        services.pledge_sign(
            actor=head, pledge_id=pledge.pk, signer=signer.full_name if signer else f"Giám đốc {m.unit.name}",
            signer_title="Giám đốc", on=on,
        )  # fmt: skip


def _score(cy: ClusterYear, rng: random.Random, *, submit: bool) -> None:
    from tdkt.clusters.models import Target

    for sheet in Sheet.objects.filter(cluster_year=cy).select_related("unit"):
        officer = _officer_of(sheet.unit)
        targets = dict(
            Target.objects.filter(pledge__cluster_year=cy, pledge__unit=sheet.unit).values_list(
                "criterion_id", "value"
            )
        )
        strength = rng.uniform(0.8, 1.0)
        for score in sheet.scores.select_related("criterion").order_by("criterion__order"):
            c = score.criterion
            if c.kind == CriterionKind.TARGET:
                value = (
                    targets[c.pk] * Decimal(str(round(rng.uniform(0.85, 1.08) * strength + 0.1, 2)))
                ).quantize(Decimal("0.1"))
            elif c.kind == CriterionKind.BONUS:
                value = Decimal(rng.choice([0, 0, 1, 2, 3]))
            elif c.kind == CriterionKind.DEDUCTION:
                value = Decimal(rng.choice([0, 0, 0, 1, 2]))
            else:
                value = Decimal(round(float(c.max_points) * rng.uniform(0.7, 1.0) * strength + 1, 1)).min(
                    c.max_points
                )
            services.score_save(actor=officer, sheet_id=sheet.pk, criterion_id=c.pk, value=value)
            if c.evidence_required and value:
                services.evidence_add(
                    actor=officer, score_id=score.pk, checked=_pdf(f"minh-chung-{c.code}", sheet.unit)
                )
        if submit:
            services.sheet_submit(actor=officer, sheet_id=sheet.pk)


def _adjust_one(head: User, cy: ClusterYear, rng: random.Random) -> None:
    sheet = (
        Sheet.objects.filter(cluster_year=cy).exclude(unit__in=_head_units(cy)).order_by("unit__code").first()
    )
    score = sheet.scores.select_related("criterion").get(criterion__code="2.1")
    services.score_adjust(
        actor=head, score_id=score.pk, points=max(Decimal(0), (score.points or Decimal(0)) - 3),
        reason="Kế hoạch thi đua ban hành sau thời hạn của cụm (hạn 31/01); chưa gửi cho Sở chủ trì.",
        version=score.version,
    )  # fmt: skip


def _head_units(cy: ClusterYear):
    return BlocMembership.objects.filter(cluster=cy.cluster, year=cy.year, role=BlocRole.HEAD).values(
        "unit_id"
    )


def _conference(head: User, cy: ClusterYear) -> None:
    meeting = services.conference_prepare(
        actor=head, cluster_year_id=cy.pk, place="Hội trường Sở chủ trì cụm thi đua",
        starts_at=timezone.make_aware(datetime.datetime(DONE, 12, 18, 8, 30)),
    )  # fmt: skip
    members = list(meeting.council.members.order_by("id"))
    councils.attendance_set(
        actor=head, meeting_id=meeting.pk, entries={m.pk: (Attendance.PRESENT, "") for m in members}
    )
    items = list(meeting.items.all())
    ballot = councils.ballot_open(
        actor=head,
        meeting_id=meeting.pk,
        item_ids=[i.pk for i in items],
        closes_at=None,
        mode=BallotMode.PAPER,
    )
    n = len(members)
    councils.ballot_enter_tallies(
        actor=head, ballot_id=ballot.pk, committee=[m.pk for m in members[:2]],
        tallies={i.pk: (n, 0, 0) if i.order < 2 else (n - 1, 1, 0) for i in items},
    )  # fmt: skip
    councils.ballot_close(actor=head, ballot_id=ballot.pk)


def _lead(cy: ClusterYear) -> User:
    """The bloc head's login for the cluster's year: the demo's `khoitruong` where it heads, else a login
    made for the head unit (without a password: the demo's visitors use khoitruong)."""
    head_unit = BlocMembership.objects.get(cluster=cy.cluster, year=cy.year, role=BlocRole.HEAD).unit
    found = RoleAssignment.objects.filter(role=Role.BLOC_HEAD, unit=head_unit).select_related("user").first()
    if found is not None:
        return found.user
    user = User.objects.create(
        username=f"khoitruong.{head_unit.code.lower()}", full_name=f"Giám đốc {head_unit.name}"
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    RoleAssignment.objects.create(user=user, role=Role.BLOC_HEAD, unit=head_unit, include_subtree=False)
    return user


def _backdate(cy: ClusterYear) -> None:
    """The finished year's dates: scores due 30/11, explanation 10/12, locked 12/12, ranked 15/12,
    published 22/12 of that year."""
    tz = timezone.get_current_timezone()
    ClusterYear.objects.filter(pk=cy.pk).update(
        score_deadline=datetime.date(cy.year, 11, 30),
        explain_deadline=datetime.date(cy.year, 12, 10),
        locked_at=datetime.datetime(cy.year, 12, 12, 16, 0, tzinfo=tz),
        ranked_at=datetime.datetime(cy.year, 12, 15, 9, 0, tzinfo=tz),
        published_at=datetime.datetime(cy.year, 12, 22, 10, 0, tzinfo=tz),
    )
    Sheet.objects.filter(cluster_year=cy).update(
        submitted_at=datetime.datetime(cy.year, 11, 28, 15, 0, tzinfo=tz)
    )


def _bloc_head_login(first: Bloc) -> None:
    """`khoitruong` is the bloc head of the unit heading the first cluster of the first bloc in the year
    under way (it was a member the year before, when another department headed the cluster)."""
    user = User.objects.get(username="khoitruong")
    cluster = first.clusters.order_by("order").first()
    head = BlocMembership.objects.get(cluster=cluster, year=UNDER_WAY, role=BlocRole.HEAD).unit
    RoleAssignment.objects.filter(user=user, role=Role.BLOC_HEAD).update(unit=head)
    leader = Person.objects.filter(current_unit=head, leader=True).order_by("sort_key").first()
    if leader is not None:
        User.objects.filter(pk=user.pk).update(full_name=leader.full_name)
    member = (
        BlocMembership.objects.filter(cluster=cluster, year=UNDER_WAY)
        .exclude(unit=head)
        .order_by("unit__code")
        .first()
    )
    clerk = (
        Person.objects.filter(current_unit__path__startswith=member.unit.path, leader=False, user=None)
        .order_by("sort_key")
        .first()
    )
    officer = User.objects.create(
        username=BLOC_LOGINS[0], full_name=clerk.full_name if clerk else "Hoàng Thị Thu Trang", is_active=True
    )
    if clerk is not None:
        Person.objects.filter(pk=clerk.pk).update(user=officer)
    officer.set_password(DEMO_PASSWORD)
    officer.save(update_fields=["password"])
    RoleAssignment.objects.create(user=officer, role=Role.OFFICER, unit=member.unit, include_subtree=True)


def build_blocs(*, seed: int, progress: Progress | None = None) -> dict[str, int]:
    say = progress or (lambda _m: None)
    blocs = list(Bloc.objects.order_by("code"))
    if not blocs:
        return {}
    specialist = User.objects.get(username="chuyenvien")
    rng = random.Random(seed * 31 + 11)
    counts = {"cluster": 0, "cluster_year": 0}
    with transaction.atomic():
        for bloc in blocs:
            counts["cluster"] += len(_clusters(bloc))
            _table(specialist, bloc)
        _bloc_head_login(blocs[0])
    for bloc in blocs:
        for n, cluster in enumerate(bloc.clusters.order_by("order")):
            with transaction.atomic():
                for year in (DONE, UNDER_WAY):
                    if BlocMembership.objects.filter(cluster=cluster, year=year).count() < 2:
                        continue
                    cy = services.year_open(actor=specialist, cluster_id=cluster.pk, year=year)
                    head = _lead(cy)
                    _covenant(head, cy, rng, datetime.date(year, 1, 20 + n))
                    due = timezone.localdate() + datetime.timedelta(days=14)
                    services.year_move(
                        actor=head, cluster_year_id=cy.pk, action=YearAction.OPEN_SCORING, deadline=due
                    )
                    counts["cluster_year"] += 1
                    if year == UNDER_WAY:
                        first = bloc is blocs[0] and n == 0
                        _score(cy, rng, submit=first or rng.random() < 0.5)
                        if first:
                            services.year_move(
                                actor=head, cluster_year_id=cy.pk, action=YearAction.START_APPRAISAL
                            )
                            _adjust_one(head, cy, rng)
                            services.year_move(
                                actor=head, cluster_year_id=cy.pk, action=YearAction.START_EXPLANATION,
                                deadline=timezone.localdate() + datetime.timedelta(days=7),
                            )  # fmt: skip
                            # the members sent their sheets before the scoring deadline, a week ago
                            ClusterYear.objects.filter(pk=cy.pk).update(
                                score_deadline=timezone.localdate() - datetime.timedelta(days=7)
                            )
                        continue
                    _score(cy, rng, submit=True)
                    services.year_move(actor=head, cluster_year_id=cy.pk, action=YearAction.START_APPRAISAL)
                    _adjust_one(head, cy, rng)
                    services.year_move(actor=head, cluster_year_id=cy.pk, action=YearAction.LOCK)
                    services.year_move(actor=head, cluster_year_id=cy.pk, action=YearAction.RANK)
                    _conference(head, cy)
                    cy.refresh_from_db()
                    if cy.status == YearStatus.VOTED:
                        services.proposals_to_dossier(actor=head, cluster_year_id=cy.pk)
                        services.year_move(actor=head, cluster_year_id=cy.pk, action=YearAction.PUBLISH)
                    _backdate(cy)
        say(f"Khối thi đua {bloc.code}: năm {DONE} đã công bố, năm {UNDER_WAY} đang chấm điểm")
    counts["sheet"] = Sheet.objects.count()
    counts["sheet_locked"] = Sheet.objects.filter(status=SheetStatus.LOCKED).count()
    return counts
