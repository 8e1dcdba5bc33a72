"""The one audit writer. Every service that changes data calls `audit` inside its transaction."""

from __future__ import annotations

import datetime
import decimal
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
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
# The trail is read by admins and inspectors, not programmers. Each app names, in its AppConfig.ready(),
# its events, its objects that are not models, the details that are not fields, the codes found inside
# values, and how to name and link its own objects. Core imports no app: it looks models up by label.
# Stored rows keep their codes (the trail is evidence); only their reading is in words.

EVENT_LABELS: dict[str, Any] = {}
EVENT_RENAMED: dict[str, str] = {}  # a code written before -> the code written now: read and filtered as one
EVENT_FIELDS: dict[str, str] = {}  # event -> "app.model" whose fields its `changes` name (not the object's)
OBJECT_LABELS: dict[str, Any] = {}
DETAIL_LABELS: dict[str, Any] = {}
WHOLE_DETAILS: set[str] = set()  # details whose value may be a list of two that is not [old, new]
VALUE_LABELS: dict[str, Any] = {}  # codes inside values that no model field's choices describe


@dataclass(frozen=True)
class Presenter:
    """How an app shows its objects of one type. Both take the whole page at once (one query, not one
    per row). `describe(events)` -> {event pk: (name or None, url or None)}; `value(event, key, value)`
    -> the value in words, or None for the ordinary reading."""

    describe: Callable[[list[AuditEvent]], dict[int, tuple[str | None, str | None]]] | None = None
    value: Callable[[AuditEvent, str, Any], str | None] | None = None


PRESENTERS: dict[str, Presenter] = {}


def register_events(labels: dict[str, Any]) -> None:
    EVENT_LABELS.update(labels)


def register_renamed_events(renamed: dict[str, str]) -> None:
    """Old code -> new code: rows written with the old code read with the new one's name, and the
    filter on the new code finds them too."""
    EVENT_RENAMED.update(renamed)


def register_event_fields(models_by_event: dict[str, str]) -> None:
    """An event whose `changes` are fields of another model than its object (the object is the person,
    the changes are the fields of an evaluation): "evaluation.import" -> "org.evaluation"."""
    EVENT_FIELDS.update(models_by_event)


def register_objects(labels: dict[str, Any]) -> None:
    """Labels of object types that are not models (an import file, the demo load)."""
    OBJECT_LABELS.update(labels)


def register_details(labels: dict[str, Any], *, whole: Iterable[str] = ()) -> None:
    """Labels of `changes` keys that are not fields of the object's model (rows, source, …); `whole`:
    keys whose value is one value even when it is a list of two (a legal default, a period)."""
    DETAIL_LABELS.update(labels)
    WHOLE_DETAILS.update(whole)


def register_values(*choices) -> None:
    """Codes that appear inside values no field describes (a setting's list of discipline forms):
    TextChoices classes or {code: label}."""
    for c in choices:
        VALUE_LABELS.update(c if isinstance(c, dict) else dict(c.choices))


def register_presenter(object_type: str, presenter: Presenter) -> None:
    PRESENTERS[object_type] = presenter


def current_event(code: str) -> str:
    seen = {code}
    while code in EVENT_RENAMED and EVENT_RENAMED[code] not in seen:
        code = EVENT_RENAMED[code]
        seen.add(code)
    return code


def event_codes(code: str) -> list[str]:
    """The codes that mean the same event as `code`: the current one and those written before."""
    current = current_event(code)
    return sorted({current, *(old for old in EVENT_RENAMED if current_event(old) == current)})


def event_label(code: str) -> str:
    current = current_event(code)
    return str(EVENT_LABELS.get(current) or EVENT_LABELS.get(code) or code)


def _model(object_type: str):
    if not object_type or "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """ "org.person" -> "cá nhân": the model's Vietnamese name, or the label an app registered."""
    if object_type in OBJECT_LABELS:
        return str(OBJECT_LABELS[object_type])
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:[\d.]+)?([+-]\d{2}:\d{2}|Z)?$")


def format_date_text(value: str) -> str | None:
    """ "2011-09-05" -> "05/09/2011"; an ISO moment -> local "dd/mm/yyyy HH:MM"; None when not one."""
    try:
        if _ISO_DATE.match(value):
            return date_format(datetime.date.fromisoformat(value), "d/m/Y")
        if _ISO_MOMENT.match(value):
            moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "d/m/Y H:i")
    except ValueError:
        return None
    return None


def _is_default_name(field) -> bool:
    """A field declared without a verbose_name (Django made one from its English name)."""
    return str(field.verbose_name) == field.name.replace("_", " ")


class TrailReader:
    """Reads a page of events in words: field names as the models' verbose names, choices as their
    labels, dates as dd/mm/yyyy, Có/Không, codes by name, and foreign keys as the related object's
    name — fetched in ONE query per related model for the whole page."""

    def __init__(self, events: list[AuditEvent]):
        self._fields: dict[str, dict[str, Any]] = {}
        wanted: dict[Any, set[int]] = defaultdict(set)
        for event in events:
            for key, value in self._items(event):
                field = self.field(event, key)
                if field is None or not field.many_to_one:
                    continue
                for v in value if isinstance(value, list) else [value]:
                    if isinstance(v, int) and not isinstance(v, bool):
                        wanted[field.related_model].add(v)
        self.names: dict[Any, dict[int, str]] = {
            model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=sorted(ids))}
            for model, ids in wanted.items()
        }

    @staticmethod
    def _items(event: AuditEvent):
        return event.changes.items() if isinstance(event.changes, dict) else ()

    def _model_fields(self, label: str) -> dict[str, Any]:
        if label not in self._fields:
            model = _model(label)
            fields: dict[str, Any] = {}
            if model is not None:
                for f in model._meta.get_fields():
                    if getattr(f, "concrete", False):
                        fields[f.name] = f
                        fields.setdefault(f.attname, f)
            self._fields[label] = fields
        return self._fields[label]

    def field(self, event: AuditEvent, key: str):
        """The model field `key` names: of the event's own model first (an evaluation's fields in an
        event about a person), then of the object's model."""
        for label in (EVENT_FIELDS.get(current_event(event.event)), event.object_type):
            if label:
                found = self._model_fields(label).get(key)
                if found is not None:
                    return found
        return None

    def label(self, key: str, field) -> str:
        if field is not None and not _is_default_name(field):
            return str(field.verbose_name)
        if key in DETAIL_LABELS:
            return str(DETAIL_LABELS[key])
        return str(field.verbose_name) if field is not None else key

    def value(self, event: AuditEvent, key: str, field, value: Any) -> Any:
        presenter = PRESENTERS.get(event.object_type)
        if presenter is not None and presenter.value is not None:
            shown = presenter.value(event, key, value)
            if shown is not None:
                return shown
        if value is None or value == "" or value == [] or value == {}:
            return "—"
        if value is True:
            return _("Có")
        if value is False:
            return _("Không")
        if isinstance(value, list):
            return ", ".join(str(self.value(event, key, field, v)) for v in value)
        if isinstance(value, dict):
            return "; ".join(
                f"{self.label(k, None)}: {self.value(event, k, None, v)}" for k, v in value.items()
            )
        if field is not None and field.many_to_one and isinstance(value, int):
            return self.names.get(field.related_model, {}).get(value, f"#{value}")
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, str):
            as_date = format_date_text(value)
            if as_date is not None:
                return as_date
            if (field is None or field.get_internal_type() == "JSONField") and value in VALUE_LABELS:
                return str(VALUE_LABELS[value])
        return value

    def rows(self, event: AuditEvent) -> list[dict[str, Any]]:
        """{"field": [old, new]} as old → new rows; a created record's values, and details, as new only."""
        if not isinstance(event.changes, dict):
            return [
                {
                    "label": "",
                    "old": None,
                    "new": self.value(event, "", None, event.changes),
                    "has_old": False,
                }
            ]
        created = event.action == AuditAction.CREATE
        rows = []
        for key, value in event.changes.items():
            field = self.field(event, key)
            row: dict[str, Any] = {"field": key, "label": self.label(key, field)}
            if not created and isinstance(value, list) and len(value) == 2 and key not in WHOLE_DETAILS:
                old, new = (self.value(event, key, field, v) for v in value)
                row.update(old=old, new=new, has_old=True)
            else:
                row.update(old=None, new=self.value(event, key, field, value), has_old=False)
            rows.append(row)
        return rows


def present(events: list[AuditEvent]) -> None:
    """Sets on each event of a page: event_label, type_label, object_name, url (or None), change_rows.
    A constant number of queries whatever the page holds: one per related model, one per presenter."""
    reader = TrailReader(events)
    by_type: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in events:
        by_type[event.object_type].append(event)
    described: dict[int, tuple[str | None, str | None]] = {}
    for object_type, group in by_type.items():
        presenter = PRESENTERS.get(object_type)
        if presenter is not None and presenter.describe is not None:
            described.update(presenter.describe(group))
    for event in events:
        name, url = described.get(event.pk, (None, None))
        event.event_label = event_label(event.event)
        event.type_label = object_type_label(event.object_type) if event.object_type else ""
        event.object_name = name or event.object_repr or (f"#{event.object_id}" if event.object_id else "")
        event.url = url
        event.change_rows = reader.rows(event)


# ---------------------------------------------------------------- writing many rows fast
# `bulk_create` prepares every value of every row through the field machinery and, on SQLite, sends
# 999 parameters per statement: for an import of 100,000 records and their 100,000 events that was
# two thirds of the import's time. `insert_rows` prepares each column's distinct values once and sends
# few, large multi-row INSERTs; like bulk_create it sends no signals and calls no save().

_INSERT_BATCH = 2000  # rows per statement, fewer when the backend's parameter limit says so
_UNNEST_BATCH = 10000  # rows per statement on PostgreSQL (one parameter per column)


def _param_limit(connection) -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except (AttributeError, sqlite3.Error):
            return connection.features.max_query_params or 999
    return connection.features.max_query_params or 65535


def insert_rows(
    model: type[models.Model], rows: list[dict[str, Any]], *, returning: bool = False, using: str = "default"
) -> list[Any] | None:
    """INSERT `rows` (dicts of field attname -> value; a field left out takes its default, an
    auto_now/auto_now_add field the moment of the call) into `model`'s table, in order. With
    `returning`, the new primary keys in the order of `rows`. Falls back to bulk_create where the fast
    path does not apply (a field with its own SQL placeholder, a backend without INSERT … RETURNING)."""
    from django.db import connections

    if not rows:
        return [] if returning else None
    connection = connections[using]
    meta = model._meta
    pk = meta.pk
    # an automatic primary key is the database's to give, unless the rows bring their own
    generated = getattr(pk, "db_returning", False) and pk.attname not in rows[0]
    fields = [f for f in meta.local_concrete_fields if not (f is pk and generated)]
    if any(hasattr(f, "get_placeholder") for f in fields) or (
        returning and not connection.features.can_return_rows_from_bulk_insert
    ):
        objs = model._default_manager.using(using).bulk_create([model(**row) for row in rows], batch_size=500)
        return [o.pk for o in objs] if returning else None
    now = timezone.now()
    columns: list[list[Any]] = []
    for f in fields:
        name = f.attname
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            constant = f.get_db_prep_save(now, connection)
            columns.append([constant] * len(rows))
            continue
        default = f.get_default() if any(name not in row for row in rows) else None
        raw = [row[name] if name in row else default for row in rows]
        if len({type(v) for v in raw}) == 1:  # one type: equal values prepare alike, each once
            try:
                distinct = {v: f.get_db_prep_save(v, connection) for v in dict.fromkeys(raw)}
                columns.append([distinct[v] for v in raw])
                continue
            except (TypeError, KeyError):  # unhashable (a dict for a JSON field), or NaN != NaN
                pass
        columns.append([f.get_db_prep_save(v, connection) for v in raw])
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    tail = ""
    if returning:
        tail, _params = connection.ops.return_insert_columns([pk])
        tail = " " + tail
    keys: list[Any] = []
    # PostgreSQL: one array per column through UNNEST, as Django's own bulk insert does there (thousands
    # of "%s" in one statement cost the driver more than the insert); elsewhere multi-row VALUES
    unnest = connection.vendor == "postgresql" and all(
        (f.target_field if f.is_relation else f).get_internal_type() in connection.data_types for f in fields
    )
    if connection.vendor == "postgresql":
        ids = _insert_json(connection, meta, fields, rows, now, head, tail, returning)
        if ids is not None:
            return ids if returning else None
    with connection.cursor() as cursor:
        if unnest:
            arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)
            sql = f"{head}SELECT * FROM UNNEST({arrays}){tail}"
            for start in range(0, len(rows), _UNNEST_BATCH):
                cursor.execute(sql, [column[start : start + _UNNEST_BATCH] for column in columns])
                if returning:
                    keys.extend(r[0] for r in cursor.fetchall())
            return keys if returning else None
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        size = max(1, min(_INSERT_BATCH, _param_limit(connection) // len(fields)))
        values = list(zip(*columns, strict=True))
        for start in range(0, len(values), size):
            part = values[start : start + size]
            params = [v for row in part for v in row]
            cursor.execute(f"{head}VALUES {', '.join([one] * len(part))}{tail}", params)
            if returning:
                keys.extend(r[0] for r in cursor.fetchall())
    return keys if returning else None


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _insert_json(
    connection, meta, fields, rows, now, head: str, tail: str, returning: bool
) -> list[Any] | None:
    """PostgreSQL: each batch as ONE json parameter read back by jsonb_to_recordset (json.dumps is C; the
    driver's array literals are not). None when a value is not plain JSON (the caller goes on without)."""
    import json

    names, prepared = [], []
    for f in fields:
        if f.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField") and f.primary_key:
            return None
        names.append(f.column)
        prepared.append(f)
    auto = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    defaults = {f.attname: f.get_default() for f in fields if any(f.attname not in row for row in rows)}
    records = []
    for row in rows:
        record = {}
        for f, column in zip(prepared, names, strict=True):
            name = f.attname
            value = now if name in auto else (row[name] if name in row else defaults[name])
            record[column] = value
        records.append(record)
    try:
        texts = [
            json.dumps(records[start : start + _UNNEST_BATCH], default=_json_value, ensure_ascii=False)
            for start in range(0, len(records), _UNNEST_BATCH)
        ]
    except (TypeError, ValueError):
        return None
    quote = connection.ops.quote_name
    # types without their length ("varchar", not "varchar(80)"): a value too long fails on the insert,
    # as it would in VALUES, instead of being cut by a cast
    shape = ", ".join(f"{quote(f.column)} {f.db_type(connection).split('(')[0]}" for f in fields)
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"{head}SELECT {columns} FROM jsonb_to_recordset(%s::jsonb) AS x({shape}){tail}"
    keys: list[Any] = []
    with connection.cursor() as cursor:
        for text in texts:
            cursor.execute(sql, [text])
            if returning:
                keys.extend(r[0] for r in cursor.fetchall())
    return keys


def audit_bulk(actor, events: Iterable[dict[str, Any]]) -> int:
    """`audit_many` for the largest writes (an import of a whole register): the same events, written
    through `insert_rows`. Each dict takes `event`, `action`, `object_type`, `object_id`, `object_repr`,
    `unit_id` and `changes` (or `obj`, as for `audit_many`). Returns the count."""
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    actor_name = getattr(actor, "username", "") or "system"
    rows = []
    for e in events:
        obj = e.get("obj")
        unit_id = e.get("unit_id")
        if unit_id is None and obj is not None:
            unit_id = getattr(obj, "unit_id", None) or getattr(obj, "current_unit_id", None)
        rows.append(
            {
                "actor_id": actor_id,
                "actor_name": actor_name,
                "action": e.get("action", AuditAction.ACTION),
                "event": e["event"],
                "object_type": e.get("object_type") or (obj._meta.label_lower if obj is not None else ""),
                "object_id": str(e.get("object_id") or (obj.pk if obj is not None else "")),
                "object_repr": (e.get("object_repr") or (str(obj) if obj is not None else ""))[:255],
                "unit_id_ref": unit_id,
                "changes": {k: _plain(v) for k, v in (e.get("changes") or {}).items()},
                "ip": None,
            }
        )
    insert_rows(AuditEvent, rows)
    return len(rows)
