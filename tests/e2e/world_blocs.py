"""The accessibility walk's emulation bloc: a bloc of the ministry with one cluster of Vụ A (its head in
both years) and Vụ B; the past year run to the end (published, with its conference and dossier), the
current year in the explanation round with one adjustment Vụ A has to answer. Written through the
services, as the tests of the clusters app do."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tdkt.clusters import services as clusters
from tdkt.clusters.enums import BlocRole, YearAction
from tdkt.clusters.models import Bloc, BlocMembership, Cluster, Sheet
from tdkt.core.uploads import check_upload
from tdkt.councils import services as councils
from tdkt.councils.enums import Attendance, BallotMode
from tdkt.org.models import Collective
from tests.clusters.conftest import build_table
from tests.factories import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(n: int):
    return check_upload(
        SimpleUploadedFile(f"bao-cao-{n}.pdf", PDF + str(n).encode()), kinds={"pdf"}, max_bytes=1024 * 1024
    )


def _fill(sheet: Sheet, officer, lines: dict, values: dict[str, str], n: int) -> None:
    for code, value in values.items():
        clusters.score_save(actor=officer, sheet_id=sheet.pk, criterion_id=lines[code].pk, value=value)
    score = sheet.scores.get(criterion=lines["1.1"])
    clusters.evidence_add(actor=officer, score_id=score.pk, checked=_pdf(n))
    clusters.sheet_submit(actor=officer, sheet_id=sheet.pk)


def _year(tree, specialist, head, officers, bloc, cluster, year, lines, *, finish: bool) -> dict[str, int]:
    cy = clusters.year_open(actor=specialist, cluster_id=cluster.pk, year=year)
    clusters.covenant_set(
        actor=head, cluster_year_id=cy.pk, on=datetime.date(year, 1, 15), place="Hà Nội",
        content="Các đơn vị thi đua hoàn thành xuất sắc nhiệm vụ năm.",
    )  # fmt: skip
    for unit, target in ((tree["a"], "95"), (tree["b"], "90")):
        pledge = clusters.pledge_save(
            actor=head, cluster_year_id=cy.pk, unit_id=unit.pk, content="Hoàn thành 100% kế hoạch.",
            targets={lines["1.1"].pk: target},
        )  # fmt: skip
        clusters.pledge_sign(
            actor=head, pledge_id=pledge.pk, signer=f"Vụ trưởng {unit.name}", signer_title="Vụ trưởng",
            on=datetime.date(year, 1, 15),
        )  # fmt: skip
    due = timezone.localdate() + datetime.timedelta(days=10)
    clusters.year_move(actor=head, cluster_year_id=cy.pk, action=YearAction.OPEN_SCORING, deadline=due)
    sheets = {s.unit_id: s for s in Sheet.objects.filter(cluster_year=cy)}
    values = {"1.1": "95", "1.2": "25", "2": "28", "3": "2", "4": "0"}
    _fill(sheets[tree["a"].pk], officers[0], lines, values, year * 10 + 1)
    _fill(sheets[tree["b"].pk], officers[1], lines, {**values, "2": "26", "3": "0", "4": "1"}, year * 10 + 2)
    clusters.year_move(actor=head, cluster_year_id=cy.pk, action=YearAction.START_APPRAISAL)
    score = sheets[tree["a"].pk].scores.get(criterion=lines["2"])
    clusters.score_adjust(
        actor=specialist, score_id=score.pk, points="24", reason="Kế hoạch thi đua ban hành chậm hai tháng.",
        version=score.version,
    )  # fmt: skip
    ids = {"sheet": sheets[tree["a"].pk].pk, "sheet_other": sheets[tree["b"].pk].pk, "cluster_year": cy.pk}
    if not finish:
        clusters.year_move(
            actor=head, cluster_year_id=cy.pk, action=YearAction.START_EXPLANATION, deadline=due
        )
        return ids
    clusters.year_move(actor=head, cluster_year_id=cy.pk, action=YearAction.LOCK)
    clusters.year_move(actor=head, cluster_year_id=cy.pk, action=YearAction.RANK)
    meeting = clusters.conference_prepare(
        actor=head, cluster_year_id=cy.pk, place="Hội trường Bộ",
        starts_at=timezone.make_aware(datetime.datetime(year, 12, 20, 8, 30)),
    )  # fmt: skip
    members = list(meeting.council.members.order_by("pk"))
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
    councils.ballot_enter_tallies(
        actor=head, ballot_id=ballot.pk, committee=[m.pk for m in members[:2]],
        tallies={i.pk: (len(members), 0, 0) for i in items},
    )  # fmt: skip
    councils.ballot_close(actor=head, ballot_id=ballot.pk)
    clusters.proposals_to_dossier(actor=head, cluster_year_id=cy.pk)
    clusters.year_move(actor=head, cluster_year_id=cy.pk, action=YearAction.PUBLISH)
    return ids


def build_blocs(tree, users: dict, past: int, current: int) -> dict[str, int]:
    """Adds `khoitruong` (the bloc head, held in Vụ A) and `canbob` (Vụ B's officer) to `users`; returns
    the walk's ids."""
    users["khoitruong"] = make_user("khoitruong", "bloc_head", tree["a"], include_subtree=False)
    users["canbob"] = make_user("canbob", "officer", tree["b"])
    head, specialist = users["khoitruong"], users["chuyenvien"]
    officers = [users["canbo"], users["canbob"]]
    for unit in (tree["a"], tree["b"]):
        Collective.objects.get_or_create(
            unit=unit, kind="unit", defaults={"code": f"TT-{unit.code}", "name": unit.name}
        )
    bloc = Bloc.objects.create(code="KHOI-VU", name="Khối các Vụ thử nghiệm", owner_unit=tree["root"])
    cluster = Cluster.objects.create(bloc=bloc, code="CUM-1", name="Cụm thi đua số 1", order=1)
    for year in (past, current):
        for unit, role in ((tree["a"], BlocRole.HEAD), (tree["b"], BlocRole.DEPUTY)):
            BlocMembership.objects.create(bloc=bloc, cluster=cluster, unit=unit, year=year, role=role)
    lines = build_table(bloc, past)
    clusters.table_copy(actor=specialist, bloc_id=bloc.pk, year=current, from_year=past)
    current_lines = {c.code: c for c in bloc.criteria.filter(year=current)}
    done = _year(tree, specialist, head, officers, bloc, cluster, past, lines, finish=True)
    under_way = _year(tree, specialist, head, officers, bloc, cluster, current, current_lines, finish=False)
    return {
        "bloc": bloc.pk,
        "cluster_year_past": done["cluster_year"],
        "sheet_past": done["sheet"],
        "cluster_year": under_way["cluster_year"],
        "sheet": under_way["sheet"],
        "sheet_other": under_way["sheet_other"],
    }
