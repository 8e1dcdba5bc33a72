"""The conference is a council of the councils app hosted by the bloc head: they open its pages and run
it; it gives them no right over any other council."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tdkt.clusters import services
from tdkt.clusters.enums import YearAction
from tdkt.clusters.models import Sheet
from tdkt.councils.models import Council
from tests.clusters.test_year_flow import fill, open_scoring


def ranked(w):
    open_scoring(w)
    for i in range(3):
        fill(w, i, tdkt=str(28 - i))
    for action in (YearAction.START_APPRAISAL, YearAction.LOCK, YearAction.RANK):
        services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=action)
    return services.conference_prepare(
        actor=w.head, cluster_year_id=w.cy.pk, starts_at=datetime.datetime(2025, 12, 20, 8), place="Cà Mau"
    )


def test_the_bloc_head_opens_and_runs_the_conference_and_nothing_else(world, client):
    w = world
    meeting = ranked(w)
    client.force_login(w.head)
    page = client.get(reverse("councils:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    assert "Hội nghị tổng kết Cụm thi đua số 1 năm 2025" in page.content.decode()
    other = Council.objects.create(
        unit=w.units[0], name="Hội đồng TĐKT Sở", term_from=datetime.date(2025, 1, 1)
    )
    assert not w.head.has_perm("councils.manage", other)
    assert w.head.has_perm("councils.run_meeting", meeting)
    client.force_login(w.outsider)
    assert client.get(reverse("councils:meeting_detail", args=[meeting.pk])).status_code in (403, 404)
    assert Sheet.objects.filter(cluster_year=w.cy).count() == 3


def test_the_bloc_results_name_the_candidate_for_the_governments_flag(world, client):
    w = world
    meeting = ranked(w)
    from tdkt.councils import services as councils
    from tdkt.councils.enums import Attendance, BallotMode

    members = list(meeting.council.members.order_by("pk"))
    councils.attendance_set(
        actor=w.head, meeting_id=meeting.pk, entries={m.pk: (Attendance.PRESENT, "") for m in members}
    )
    items = list(meeting.items.all())
    ballot = councils.ballot_open(
        actor=w.head,
        meeting_id=meeting.pk,
        item_ids=[i.pk for i in items],
        closes_at=None,
        mode=BallotMode.PAPER,
    )
    councils.ballot_enter_tallies(
        actor=w.head,
        ballot_id=ballot.pk,
        committee=[m.pk for m in members[:2]],
        tallies={i.pk: (3, 0, 0) for i in items},
    )
    councils.ballot_close(actor=w.head, ballot_id=ballot.pk)
    services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.PUBLISH)
    client.force_login(w.spc)
    page = client.get(reverse("clusters:bloc_results", args=[w.bloc.pk, 2025])).content.decode()
    assert "Đề nghị Cờ thi đua của Chính phủ" in page
    section = page.split('id="h-gov"')[1].split("</section>")[0]
    assert w.units[0].name in section and w.units[1].name not in section  # the leader, 28 points for 2.


def test_the_host_does_not_manage_councils_in_general(world):
    w = world
    ranked(w)
    assert not w.head.has_perm("councils.manage")  # the council-create page is not theirs
    assert w.head.has_perm("councils.view")  # their conference's pages are


def test_a_sheet_not_sent_by_the_deadline_is_appraised_as_it_stands(world):
    from tdkt.clusters.models import ClusterYear, Score

    w = world
    open_scoring(w)
    fill(w, 0)
    fill(w, 1)
    late = Sheet.objects.get(cluster_year=w.cy, unit=w.units[2])
    services.score_save(actor=w.officers[2], sheet_id=late.pk, criterion_id=w.lines["1.2"].pk, value="30")
    ClusterYear.objects.filter(pk=w.cy.pk).update(score_deadline=datetime.date(2025, 1, 31))
    services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.START_APPRAISAL)
    score = Score.objects.get(sheet=late, criterion=w.lines["1.2"])
    services.score_adjust(
        actor=w.head, score_id=score.pk, points="0", reason="Phiếu không gửi đúng hạn, không có minh chứng",
        version=score.version,
    )  # fmt: skip
    assert Sheet.objects.get(pk=late.pk).total == 0
