"""Open dossiers follow their unit through a restructuring (issue 11, item 7).

Registered with `tdkt.org.restructuring.register_follower` in DossiersConfig.ready(): org may not import
dossiers, so it calls this inside the restructuring's transaction. A dossier still under way (any status
but issued or closed) of a unit that merged or split passes to the successor, with the nominations
made in that unit and the holding of the dossier where the unit held it; a finished dossier stays where
it happened, like the rest of the unit's history.
"""

from __future__ import annotations

import datetime

from tdkt.core.audit import audit_many
from tdkt.dossiers.models import Dossier, Nomination
from tdkt.dossiers.workflow import PENDING


def follow_restructuring(*, restructuring, mapping: dict[int, int], on: datetime.date) -> None:
    moving = mapping and {k: v for k, v in mapping.items() if k != v}
    if not moving:
        return
    dossiers = list(
        Dossier.objects.select_for_update()
        .filter(unit_id__in=sorted(moving), status__in=sorted(PENDING))
        .order_by("pk")
    )
    if not dossiers:
        return
    events = []
    for dossier in dossiers:
        old = dossier.unit_id
        dossier.unit_id = moving[old]
        if dossier.holder_id in moving:
            dossier.holder_id = moving[dossier.holder_id]
        events.append(
            {
                "event": "dossier.restructure",
                "obj": dossier,
                "unit_id": dossier.unit_id,
                "changes": {"unit": [old, dossier.unit_id], "on": on, "restructuring": restructuring.pk},
            }
        )
    Dossier.objects.bulk_update(dossiers, ["unit", "holder"])
    for old, new in moving.items():
        Nomination.objects.filter(dossier__in=dossiers, unit_id=old).update(unit_id=new)
    audit_many(restructuring.recorded_by, events)
