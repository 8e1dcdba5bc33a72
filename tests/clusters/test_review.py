"""Review of the emulation-bloc code (issue 11): state and arithmetic bugs found in a hostile read.

- a table numbered with Roman groups and Arabic lines ("I", "1", "1.a") saves and copies with its tree;
- a group whose line has targets is not removed (a clear message, not a server error);
- a target line added after a member signed stops the opening of scoring (the member could never score it);
- a unit does not leave a cluster whose scoring is open;
- the ranking is not redone once the conference is prepared (its agenda names the standings);
- the head's proposals stay within the regulation's numbers."""

from __future__ import annotations

import datetime

import pytest

from tdkt.clusters import services
from tdkt.clusters.enums import BlocRole, CriterionKind, ProposalAward, YearAction, YearStatus
from tdkt.clusters.models import BlocMembership, Cluster, ClusterYear, Criterion, Sheet, Standing
from tdkt.core.errors import ServiceError
from tests.clusters.conftest import YEAR, sign_all
from tests.clusters.test_year_flow import deadline, fill, open_scoring


def _save(w, code, kind, max_points=None, parent=None, year=YEAR + 1):
    return services.criterion_save(
        actor=w.spc,
        bloc_id=w.bloc.pk,
        year=year,
        code=code,
        name=f"Tiêu chí {code}",
        kind=kind,
        max_points=max_points,
        parent_id=parent.pk if parent else None,
    )


def test_roman_groups_and_arabic_lines_save_and_copy_with_their_tree(world):
    w = world
    one = _save(w, "I", CriterionKind.GROUP, 60)
    line = _save(w, "1", CriterionKind.FIXED, 30, one)
    sub = _save(w, "1.a", CriterionKind.FIXED, 10, one)
    two = _save(w, "II", CriterionKind.GROUP, 40)
    last = _save(w, "2", CriterionKind.FIXED, 40, two)
    assert {c.code for c in Criterion.objects.filter(bloc=w.bloc, year=YEAR + 1)} == {
        "I",
        "1",
        "1.a",
        "II",
        "2",
    }
    assert services.table_copy(actor=w.spc, bloc_id=w.bloc.pk, year=YEAR + 2, from_year=YEAR + 1) == 5
    copied = {
        c.code: c for c in Criterion.objects.filter(bloc=w.bloc, year=YEAR + 2).select_related("parent")
    }
    assert {code: (c.parent.code if c.parent else None) for code, c in copied.items()} == {
        one.code: None,
        line.code: "I",
        sub.code: "I",
        two.code: None,
        last.code: "II",
    }


def test_a_group_whose_line_has_targets_is_not_removed(world):
    w = world
    sign_all(w)  # targets for line 1.1, in group 1
    with pytest.raises(ServiceError):
        services.criterion_remove(actor=w.spc, criterion_id=w.lines["1"].pk)
    assert Criterion.objects.filter(pk__in=[w.lines["1"].pk, w.lines["1.1"].pk]).count() == 2


def test_a_target_line_added_after_the_signatures_stops_the_opening(world):
    w = world
    sign_all(w)
    services.criterion_save(
        actor=w.spc, bloc_id=w.bloc.pk, year=YEAR, code="5", name="Chỉ tiêu thêm",
        kind=CriterionKind.TARGET, max_points=5,
    )  # fmt: skip
    with pytest.raises(ServiceError, match="chỉ tiêu"):
        services.year_move(
            actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.OPEN_SCORING, deadline=deadline()
        )
    assert ClusterYear.objects.get(pk=w.cy.pk).status == YearStatus.SETUP
    assert not Sheet.objects.filter(cluster_year=w.cy).exists()


def test_a_unit_does_not_leave_a_cluster_whose_scoring_is_open(world):
    w = world
    open_scoring(w)
    other = Cluster.objects.create(bloc=w.bloc, code="CUM-2", name="Cụm thi đua số 2", order=2)
    with pytest.raises(ServiceError):
        services.membership_set(actor=w.spc, cluster_id=other.pk, unit_id=w.units[2].pk, year=YEAR)
    row = BlocMembership.objects.get(bloc=w.bloc, unit=w.units[2], year=YEAR)
    assert row.cluster_id == w.cluster.pk and row.role == BlocRole.MEMBER


@pytest.fixture
def ranked(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    open_scoring(world)
    fill(world, 0, tdkt="30")
    fill(world, 1, tdkt="20")
    fill(world, 2, tdkt="10")
    for action in (YearAction.START_APPRAISAL, YearAction.LOCK, YearAction.RANK):
        services.year_move(actor=world.head, cluster_year_id=world.cy.pk, action=action)
    return world


def test_no_new_ranking_once_the_conference_is_prepared(ranked):
    w = ranked
    services.conference_prepare(
        actor=w.head,
        cluster_year_id=w.cy.pk,
        starts_at=datetime.datetime(YEAR, 12, 20, 8, 0),
        place="Hội trường",
    )
    before = sorted(Standing.objects.filter(cluster_year=w.cy).values_list("pk", "rank"))
    with pytest.raises(ServiceError):
        services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.RANK)
    assert sorted(Standing.objects.filter(cluster_year=w.cy).values_list("pk", "rank")) == before


def test_the_heads_proposals_stay_within_the_regulations_numbers(ranked):
    w = ranked
    rows = list(Standing.objects.filter(cluster_year=w.cy).order_by("rank"))
    # the settings' defaults: one flag, two Bằng khen per cluster
    assert [r.proposed_award for r in rows] == [
        ProposalAward.CO_THI_DUA_BO,
        ProposalAward.BANG_KHEN_BO,
        ProposalAward.BANG_KHEN_BO,
    ]
    # a second flag, or the flag for a member below the first places: refused
    with pytest.raises(ServiceError):
        services.standing_propose(actor=w.head, standing_id=rows[1].pk, award=ProposalAward.CO_THI_DUA_BO)
    services.standing_propose(actor=w.head, standing_id=rows[0].pk, award="")
    with pytest.raises(ServiceError):
        services.standing_propose(actor=w.head, standing_id=rows[2].pk, award=ProposalAward.CO_THI_DUA_BO)
    # the Government's flag is the bloc's choice (gov_flag_candidates), not a cluster's proposal
    with pytest.raises(ServiceError):
        services.standing_propose(actor=w.head, standing_id=rows[0].pk, award=ProposalAward.CO_THI_DUA_CP)
    # the flag back to the first: allowed
    services.standing_propose(actor=w.head, standing_id=rows[0].pk, award=ProposalAward.CO_THI_DUA_BO)
    assert Standing.objects.filter(cluster_year=w.cy, proposed_award=ProposalAward.CO_THI_DUA_BO).count() == 1


def test_numbers_beyond_the_columns_are_refused_with_a_message(world):
    w = world
    # points are stored with 7 digits (99 999,99), the cap with 4 (99,99): beyond, a database error
    for max_points, cap in (("100000", "1,2"), ("40", "150")):
        with pytest.raises(ServiceError):
            services.criterion_save(
                actor=w.spc, bloc_id=w.bloc.pk, year=YEAR + 1, code="9", name="Tiêu chí lớn",
                kind=CriterionKind.TARGET, max_points=max_points, cap_ratio=cap,
            )  # fmt: skip
    assert not Criterion.objects.filter(bloc=w.bloc, year=YEAR + 1).exists()
    # a target rounds to 0,00 in its column (which must be above 0): refused, not a database error
    with pytest.raises(ServiceError):
        services.pledge_save(
            actor=w.head, cluster_year_id=w.cy.pk, unit_id=w.units[1].pk, content="",
            targets={w.lines["1.1"].pk: "0,001"},
        )  # fmt: skip


def test_no_lowering_once_the_member_can_no_longer_answer(world, settings, tmp_path):
    w = world
    settings.MEDIA_ROOT = tmp_path
    open_scoring(w)
    for i in range(3):
        fill(w, i)
    services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.START_APPRAISAL)
    first = _sheet_score(w, 1, "2")
    services.score_adjust(
        actor=w.head, score_id=first.pk, points="20", reason="Thiếu kế hoạch thi đua", version=first.version
    )
    services.year_move(
        actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.START_EXPLANATION, deadline=deadline(1)
    )
    ClusterYear.objects.filter(pk=w.cy.pk).update(
        explain_deadline=datetime.date.today() - datetime.timedelta(1)
    )
    late = _sheet_score(w, 2, "2")
    with pytest.raises(ServiceError, match="giải trình"):
        services.score_adjust(
            actor=w.head, score_id=late.pk, points="10", reason="Thiếu báo cáo tổng kết", version=late.version
        )
    # giving points back after reading an explanation stays possible
    first.refresh_from_db()
    services.score_adjust(
        actor=w.head,
        score_id=first.pk,
        points="28",
        reason="Đã có kế hoạch ngày 10/02",
        version=first.version,
    )


def _sheet_score(w, i, code):
    return Sheet.objects.get(cluster_year=w.cy, unit=w.units[i]).scores.get(criterion=w.lines[code])


def test_a_head_merged_into_a_member_of_its_cluster_leaves_the_head_role_to_it(world):
    from tdkt.clusters.restructuring import follow_restructuring

    w = world
    head, member = w.units[0], w.units[2]
    follow_restructuring(restructuring=None, mapping={head.pk: member.pk}, on=datetime.date(YEAR, 3, 1))
    rows = dict(BlocMembership.objects.filter(cluster=w.cluster, year=YEAR).values_list("unit_id", "role"))
    assert head.pk not in rows and rows[member.pk] == BlocRole.HEAD
