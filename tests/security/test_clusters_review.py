"""Review of the emulation-bloc code (issue 11): holes found in a hostile read of the services and rules.

- the cluster head appraises the members, never its own unit's sheet;
- the conference's roll (one representative per member) is fixed: its host cannot add its own people to
  the vote nor take another member's representative off;
- a closed ballot records the votes of its own conference only, and never after the results are
  published or the proposals are a dossier;
- the year-over-year history of a cluster's results shows published years only, never a later year."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from tdkt import councils
from tdkt.clusters import selectors, services
from tdkt.clusters.enums import BlocRole, YearAction, YearStatus
from tdkt.clusters.models import BlocMembership, ClusterYear, Sheet, Standing
from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent
from tdkt.councils.enums import MemberRole
from tdkt.councils.models import CouncilMember
from tests.clusters import conftest as clusters_world
from tests.clusters.test_year_flow import fill, open_scoring
from tests.factories import person

YEAR = clusters_world.YEAR
world = clusters_world.world


def _sheet(w, i) -> Sheet:
    return Sheet.objects.get(cluster_year=w.cy, unit=w.units[i])


@pytest.fixture
def appraisal(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    open_scoring(world)
    for i in range(3):
        fill(world, i)
    services.year_move(actor=world.head, cluster_year_id=world.cy.pk, action=YearAction.START_APPRAISAL)
    return world


def _ranked(w):
    services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.LOCK)
    services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.RANK)


def _conference(w):
    return services.conference_prepare(
        actor=w.head,
        cluster_year_id=w.cy.pk,
        starts_at=datetime.datetime(YEAR, 12, 20, 8, 0),
        place="Hội trường",
    )


def test_the_head_cannot_appraise_its_own_units_sheet(appraisal):
    w = appraisal
    own = _sheet(w, 0).scores.get(criterion=w.lines["2"])
    for actor in (w.head, w.officers[0]):  # the bloc head and the head unit's officer
        with pytest.raises((ServiceError, PermissionDenied)):
            services.score_adjust(
                actor=actor, score_id=own.pk, points="30", reason="Tự nâng điểm của mình", version=own.version
            )
    own.refresh_from_db()
    assert own.points == Decimal("28") and not own.adjustments.exists()
    # the head still appraises the other members, and the organiser appraises the head's sheet
    other = _sheet(w, 1).scores.get(criterion=w.lines["2"])
    services.score_adjust(
        actor=w.head, score_id=other.pk, points="20", reason="Thiếu kế hoạch thi đua", version=other.version
    )
    services.score_adjust(
        actor=w.spc, score_id=own.pk, points="20", reason="Thiếu kế hoạch thi đua", version=own.version
    )


def test_the_conference_host_cannot_change_the_roll(appraisal):
    w = appraisal
    _ranked(w)
    meeting = _conference(w)
    council = meeting.council
    roll = sorted(CouncilMember.objects.filter(council=council).values_list("person_id", "active", "role"))
    extra = person(w.units[0], given_name="Phiếu thêm")
    with pytest.raises((ServiceError, PermissionDenied)):
        councils.services.member_add(
            actor=w.head, council_id=council.pk, person_id=extra.pk, role=MemberRole.MEMBER
        )
    other = CouncilMember.objects.filter(council=council, person__current_unit=w.units[2]).get()
    with pytest.raises((ServiceError, PermissionDenied)):
        councils.services.member_remove(actor=w.head, member_id=other.pk)
    with pytest.raises((ServiceError, PermissionDenied)):
        councils.services.member_update(actor=w.head, member_id=other.pk, role=MemberRole.SECRETARY)
    assert (
        sorted(CouncilMember.objects.filter(council=council).values_list("person_id", "active", "role"))
        == roll
    )


def _result(key, *, agree=3, base=3, passed=True):
    return SimpleNamespace(key=key, agree=agree, base=base, passed=passed)


def test_a_ballot_records_only_its_own_conferences_votes(appraisal):
    w = appraisal
    _ranked(w)
    standing = Standing.objects.filter(cluster_year=w.cy).order_by("rank").first()
    # a ballot of another meeting carrying this year's keys changes nothing
    stranger = SimpleNamespace(pk=999, meeting_id=0)
    services.record_conference(
        stranger, [_result(f"clusters.ranking:{w.cy.pk}"), _result(f"clusters.standing:{standing.pk}")]
    )
    assert ClusterYear.objects.get(pk=w.cy.pk).status == YearStatus.RANKED
    standing.refresh_from_db()
    assert standing.passed is None and standing.votes_agree is None


def test_no_new_votes_once_the_proposals_are_a_dossier(appraisal):
    w = appraisal
    _ranked(w)
    meeting = _conference(w)
    standing = Standing.objects.filter(cluster_year=w.cy).order_by("rank").first()
    ballot = SimpleNamespace(pk=1, meeting_id=meeting.pk)
    services.record_conference(
        ballot, [_result(f"clusters.ranking:{w.cy.pk}"), _result(f"clusters.standing:{standing.pk}")]
    )
    assert ClusterYear.objects.get(pk=w.cy.pk).status == YearStatus.VOTED
    services.proposals_to_dossier(actor=w.head, cluster_year_id=w.cy.pk)
    # a re-vote (a replacing ballot) after the dossier changes nothing (it is in the audit trail)
    services.record_conference(ballot, [_result(f"clusters.standing:{standing.pk}", agree=0, passed=False)])
    standing.refresh_from_db()
    assert standing.passed is True and standing.votes_agree == 3
    assert AuditEvent.objects.filter(event="cluster_year.vote_ignored").exists()


def test_the_results_history_shows_published_years_only(world):
    w = world
    earlier = ClusterYear.objects.create(cluster=w.cluster, year=YEAR - 1, status=YearStatus.PUBLISHED)
    for i, u in enumerate(w.units):
        BlocMembership.objects.create(
            bloc=w.bloc, cluster=w.cluster, unit=u, year=YEAR - 1, role=BlocRole.HEAD if i == 0 else "member"
        )
        Standing.objects.create(cluster_year=earlier, unit=u, total=80 + i, rank=3 - i)
        # 2025 is ranked, not yet voted nor published
        Standing.objects.create(cluster_year=w.cy, unit=u, total=90 + i, rank=3 - i)
    ClusterYear.objects.filter(pk=w.cy.pk).update(status=YearStatus.RANKED)
    history = selectors.unit_history(earlier)
    years = {y for rows in history.values() for y, _t, _r in rows}
    assert years == {YEAR - 1}
