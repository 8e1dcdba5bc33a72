"""Bloc memberships follow their unit through a restructuring (issue 11, item 7).

Registered with `tdkt.org.restructuring.register_follower` in ClustersConfig.ready(): org may not import
clusters, so it calls this inside the restructuring's transaction."""

from __future__ import annotations

import datetime

from tdkt.clusters.enums import BlocRole, YearStatus
from tdkt.clusters.models import BlocMembership, ClusterYear, Pledge
from tdkt.core.audit import audit


def follow_restructuring(*, restructuring, mapping: dict[int, int], on: datetime.date) -> int:
    """Units merged, split, renamed or moved on `on`: from that year the bloc memberships of a predecessor
    are its successor's (a successor already a member keeps its own); the years' work already done stays
    with the unit that did it. Returns the memberships moved."""
    moved = 0
    rows = list(
        BlocMembership.objects.filter(unit_id__in=list(mapping), year__gte=on.year)
        .order_by("year", "unit_id")
        .select_for_update()
    )
    for row in rows:
        successor = mapping[row.unit_id]
        if successor == row.unit_id:
            continue
        started = (
            ClusterYear.objects.filter(cluster_id=row.cluster_id, year=row.year)
            .exclude(status=YearStatus.SETUP)
            .exists()
        )
        if started:
            continue  # the year's scoring is under way: the predecessor's sheet finishes it
        kept = BlocMembership.objects.filter(bloc_id=row.bloc_id, unit_id=successor, year=row.year).first()
        if kept is not None:
            if (
                row.role != BlocRole.MEMBER
                and kept.cluster_id == row.cluster_id
                and kept.role == BlocRole.MEMBER
            ):
                kept.role = row.role  # the cluster keeps its head (or deputy): the successor takes the role
                kept.save(update_fields=["role"])
            unsigned = Pledge.objects.filter(
                cluster_year__cluster_id=row.cluster_id,
                cluster_year__year=row.year,
                unit_id=row.unit_id,
                signed_on__isnull=True,
            )
            has_own = Pledge.objects.filter(
                cluster_year__cluster_id=row.cluster_id, cluster_year__year=row.year, unit_id=successor
            ).exists()
            if kept.cluster_id == row.cluster_id and not has_own:
                unsigned.update(unit_id=successor)  # the first predecessor's pledge becomes the successor's
            else:
                unsigned.delete()
            row.delete()
        else:
            Pledge.objects.filter(
                cluster_year__cluster_id=row.cluster_id, cluster_year__year=row.year, unit_id=row.unit_id
            ).update(unit_id=successor)
            row.unit_id = successor
            row.save(update_fields=["unit"])
        moved += 1
    if moved:
        audit(
            None,
            "bloc.follow_restructuring",
            None,
            object_type="clusters.blocmembership",
            changes={"moved": moved, "on": on, "mapping": {str(k): v for k, v in mapping.items()}},
        )
    return moved
