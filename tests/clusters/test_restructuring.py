"""Bloc memberships follow a merger: from its year the successor takes the predecessor's place in the
cluster (or keeps its own when it is already a member); a year whose scoring is under way is finished by
the units that began it; past years stay where they happened."""

from __future__ import annotations

import datetime

import pytest

from tdkt.clusters.enums import BlocRole, YearStatus
from tdkt.clusters.models import BlocMembership, ClusterYear, Pledge
from tdkt.org import restructuring
from tdkt.org.restructuring import NewUnit
from tests.clusters.conftest import YEAR


def members(w, year):
    return set(
        BlocMembership.objects.filter(cluster=w.cluster, year=year).values_list("unit__code", flat=True)
    )


@pytest.mark.parametrize("pledged", [1, 2])  # whichever of the two merged members had pledged
def test_two_members_merged_into_a_new_department_leave_it_one_membership_from_that_year(world, pledged):
    w = world
    nxt = ClusterYear.objects.create(cluster=w.cluster, year=YEAR + 1)
    for i, u in enumerate(w.units):
        BlocMembership.objects.create(
            bloc=w.bloc,
            cluster=w.cluster,
            unit=u,
            year=YEAR + 1,
            role=BlocRole.HEAD if i == 0 else BlocRole.MEMBER,
        )
    Pledge.objects.create(cluster_year=nxt, unit=w.units[pledged], content="Cam kết")
    restructuring.merge_units(
        actor=w.spc,
        predecessor_ids=[w.units[1].pk, w.units[2].pk],
        on=datetime.date(YEAR + 1, 1, 1),
        new_unit=NewUnit(code="SO-12", name="Sở Kinh tế Số tỉnh Bắc Cà"),
    )
    assert members(w, YEAR + 1) == {"SO-1", "SO-12"}  # one place for the merged department
    assert Pledge.objects.get(cluster_year=nxt).unit.code == "SO-12"  # its unsigned pledge goes with it
    assert members(w, YEAR) == {"SO-1", "SO-2", "SO-3"}  # the year before stays as it was


def test_a_year_under_way_is_finished_by_the_units_that_began_it(world):
    w = world
    ClusterYear.objects.filter(pk=w.cy.pk).update(status=YearStatus.SCORING)
    restructuring.merge_units(
        actor=w.spc, predecessor_ids=[w.units[2].pk], successor_id=w.units[1].pk, on=datetime.date(YEAR, 7, 1)
    )
    assert members(w, YEAR) == {"SO-1", "SO-2", "SO-3"}
