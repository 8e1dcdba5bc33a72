"""The one audit writer. Every service that changes data calls `audit` inside its transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from tdkt.core.enums import AuditAction
from tdkt.core.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Plain values of `fields` (FKs as ids) to compare before and after a change."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = _plain(getattr(obj, field.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def audit(
    actor,
    event: str,
    obj: models.Model | None = None,
    *,
    action: str = AuditAction.ACTION,
    changes: dict[str, Any] | None = None,
    unit_id: int | None = None,
    object_type: str | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Record one business event. `changes` maps field -> [old, new] (or any JSON detail)."""
    if unit_id is None and obj is not None:
        unit_id = getattr(obj, "unit_id", None) or getattr(obj, "current_unit_id", None)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        action=action,
        event=event,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
        unit_id_ref=unit_id,
        changes={k: _plain(v) for k, v in (changes or {}).items()},
    )


def audit_many(actor, events: Iterable[dict[str, Any]], *, batch_size: int = 500) -> int:
    """Record many events at once (an import writes one per changed row). Each dict takes the keyword
    arguments of `audit` plus `obj` or `object_type`/`object_id`/`object_repr`. Returns the count."""
    actor_ref = actor if getattr(actor, "pk", None) else None
    actor_name = getattr(actor, "username", "") or "system"
    rows = []
    for e in events:
        obj = e.get("obj")
        unit_id = e.get("unit_id")
        if unit_id is None and obj is not None:
            unit_id = getattr(obj, "unit_id", None) or getattr(obj, "current_unit_id", None)
        rows.append(
            AuditEvent(
                actor=actor_ref,
                actor_name=actor_name,
                action=e.get("action", AuditAction.ACTION),
                event=e["event"],
                object_type=e.get("object_type") or (obj._meta.label_lower if obj is not None else ""),
                object_id=str(e.get("object_id") or (obj.pk if obj is not None else "")),
                object_repr=(e.get("object_repr") or (str(obj) if obj is not None else ""))[:255],
                unit_id_ref=unit_id,
                changes={k: _plain(v) for k, v in (e.get("changes") or {}).items()},
            )
        )
    AuditEvent.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


# ---------------------------------------------------------------- reading the trail
# Each app names its events (and the objects that are not models) in its AppConfig.ready(): the trail
# is read by admins and inspectors, not programmers. Stored rows keep their codes: the trail is evidence.

EVENT_LABELS: dict[str, Any] = {}
OBJECT_LABELS: dict[str, Any] = {}
DETAIL_LABELS: dict[str, Any] = {}


def register_events(labels: dict[str, Any]) -> None:
    EVENT_LABELS.update(labels)


def register_objects(labels: dict[str, Any]) -> None:
    """Labels of object types that are not models (an import file, the demo load)."""
    OBJECT_LABELS.update(labels)


def register_details(labels: dict[str, Any]) -> None:
    """Labels of `changes` keys that are not fields of the object's model (rows, source, …)."""
    DETAIL_LABELS.update(labels)


def event_label(code: str) -> str:
    return str(EVENT_LABELS.get(code, code))
