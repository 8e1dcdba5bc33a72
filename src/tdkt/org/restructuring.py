"""Units that merge, split, change name or parent on a date (issue 11, item 7).

Each use case is one service: keyword-only, one transaction, the permission `org.restructure` re-checked
on every unit involved, one audit event. What happened is kept (`Restructuring`, `UnitSuccession`,
`UnitName`, never deleted); the history stays on the units where it happened (evaluations, awards,
discipline, leave and initiatives keep their `unit`); people get a closed post in the old unit and an
open one in the new; the old unit closes the day before.

Open work of the apps above org (dossiers, movements, reviews, clusters) moves through followers: org
may not import them (import layering), so each registers a function here from its AppConfig.ready(),
called inside the same transaction with the predecessor -> successor unit ids.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.accounts.rules import require_perm
from tdkt.core.audit import audit
from tdkt.core.enums import AuditAction
from tdkt.core.errors import ServiceError
from tdkt.core.text import clean, fold
from tdkt.org.enums import CollectiveKind, RestructuringKind
from tdkt.org.models import (
    Collective,
    Person,
    Position,
    Restructuring,
    Unit,
    UnitName,
    UnitSuccession,
)
from tdkt.org.services import by_code, check_code, fill_unit_path

PERM = "org.restructure"
DAY = datetime.timedelta(days=1)

# --------------------------------------------------------------------------------------- followers

Follower = Callable[..., None]
FOLLOWERS: dict[str, Follower] = {}


def register_follower(name: str, fn: Follower) -> None:
    """`fn(*, restructuring, mapping, on)` is called inside the restructuring's transaction after org's
    own rows moved; `mapping` is {predecessor unit id: successor unit id} (a split names the successor
    that takes over the open work). Registering the same name again replaces it."""
    FOLLOWERS[name] = fn


def _run_followers(restructuring: Restructuring, mapping: dict[int, int], on: datetime.date) -> None:
    for name in sorted(FOLLOWERS):
        FOLLOWERS[name](restructuring=restructuring, mapping=dict(mapping), on=on)


# --------------------------------------------------------------------------------------- checks


@dataclass
class NewUnit:
    """A successor created by the restructuring itself."""

    code: str
    name: str
    parent_id: int | None = None  # default: the (first) predecessor's parent
    kind: str = ""  # default: the (first) predecessor's kind
    short_name: str = ""


@dataclass
class Decision:
    number: str = ""
    date: datetime.date | None = None
    reason: str = ""


@dataclass
class _Plan:
    """What a merger or a split moves: people and sub-units to their successor."""

    people: dict[int, int] = field(default_factory=dict)  # person id -> successor unit id
    subunits: dict[int, int] = field(default_factory=dict)  # child unit id -> successor unit id
    teams: dict[int, int] = field(default_factory=dict)  # team collective id -> successor unit id


def _check_date(on) -> datetime.date:
    if not isinstance(on, datetime.date) or isinstance(on, datetime.datetime):
        raise ServiceError(_("Ngày hiệu lực không hợp lệ."), field="on")
    if on > timezone.localdate():
        raise ServiceError(
            _("Chỉ ghi nhận việc sắp xếp đã có hiệu lực: ngày hiệu lực không được sau hôm nay."), field="on"
        )
    if on.year < 1945:
        raise ServiceError(_("Ngày hiệu lực không hợp lệ."), field="on")
    return on


def _locked(ids) -> dict[int, Unit]:
    ids = sorted({int(i) for i in ids})
    units = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    if len(units) != len(ids):
        raise ServiceError(_("Không có đơn vị này trong phạm vi bạn được xem."))
    return units


def _require(actor, units) -> None:
    for unit in units:
        require_perm(actor, PERM, unit)


def _check_open(unit: Unit, on: datetime.date) -> None:
    """`unit` is still open and `on` falls after it began."""
    if unit.active_to is not None:
        raise ServiceError(
            _("Đơn vị %(name)s đã ngừng hoạt động từ %(date)s; không sắp xếp lại được.")
            % {"name": unit.name, "date": f"{unit.active_to + DAY:%d/%m/%Y}"}
        )
    if unit.active_from is not None and on <= unit.active_from:
        raise ServiceError(
            _("Ngày hiệu lực phải sau ngày đơn vị %(name)s bắt đầu hoạt động (%(date)s).")
            % {"name": unit.name, "date": f"{unit.active_from:%d/%m/%Y}"},
            field="on",
        )


def _check_successor(successor: Unit, predecessors: list[Unit], on: datetime.date) -> None:
    for pred in predecessors:
        if successor.pk == pred.pk:
            raise ServiceError(
                _("Đơn vị %(name)s không thể sáp nhập vào chính nó.") % {"name": pred.name}, field="successor"
            )
        if successor.path.startswith(pred.path):
            raise ServiceError(
                _("Đơn vị kế thừa %(successor)s là đơn vị trực thuộc của %(name)s, sẽ ngừng hoạt động cùng.")
                % {"successor": successor.name, "name": pred.name},
                field="successor",
            )
    if successor.active_to is not None:
        raise ServiceError(
            _("Đơn vị kế thừa %(name)s đã ngừng hoạt động.") % {"name": successor.name}, field="successor"
        )
    if successor.active_from is not None and on < successor.active_from:
        raise ServiceError(
            _("Đơn vị kế thừa %(name)s chưa hoạt động vào ngày hiệu lực.") % {"name": successor.name},
            field="on",
        )


def _create_unit(actor, spec: NewUnit, default_parent: Unit | None, kind: str, on) -> Unit:
    code = check_code(spec.code)
    name = clean(spec.name)
    if not name:
        raise ServiceError(_("Hãy nhập tên đơn vị mới."), field="new_name")
    if by_code(Unit, [code]):
        raise ServiceError(_("Mã đơn vị '%(code)s' đã có.") % {"code": code}, field="new_code")
    parent = default_parent
    if spec.parent_id is not None:
        parent = _locked([spec.parent_id])[int(spec.parent_id)]
    if parent is None:
        raise ServiceError(_("Đơn vị mới phải có đơn vị cấp trên."), field="new_code")
    if not actor.has_perm(PERM, parent):  # the old unit's parent may lie above the actor's scope
        raise ServiceError(
            _("Đơn vị mới phải trực thuộc một đơn vị trong phạm vi bạn được sắp xếp."), field="new_code"
        )
    if parent.active_to is not None:
        raise ServiceError(
            _("Đơn vị cấp trên %(name)s đã ngừng hoạt động.") % {"name": parent.name}, field="new_parent"
        )
    unit = Unit.objects.create(
        code=code,
        name=name,
        short_name=clean(spec.short_name),
        kind=spec.kind or kind,
        parent=parent,
        province=parent.province,
        active_from=on,
    )
    fill_unit_path(unit)
    unit.save(update_fields=["path", "depth"])
    return unit


# --------------------------------------------------------------------------------------- moving rows


def _reparent(unit: Unit, new_parent: Unit | None) -> None:
    """Give `unit` a new parent and rewrite the path and depth of its whole subtree."""
    old_path = unit.path
    unit.parent = new_parent
    fill_unit_path(unit)
    unit.save(update_fields=["parent", "path", "depth", "updated_at"])
    below = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk))
    for u in below:
        u.path = unit.path + u.path[len(old_path) :]
        u.depth = u.path.count("/") - 2
    Unit.objects.bulk_update(below, ["path", "depth"], batch_size=500)


def _move_people(people: list[Person], target: dict[int, Unit], on: datetime.date) -> int:
    """Close each person's open post the day before `on` and open one in their successor unit."""
    if not people:
        return 0
    open_posts = {
        p.person_id: p for p in Position.objects.filter(person__in=people, end__isnull=True).order_by()
    }
    closing, opening = [], []
    for person in people:
        unit = target[person.pk]
        post = open_posts.get(person.pk)
        if post is not None:
            if post.start >= on:
                raise ServiceError(
                    _("%(name)s bắt đầu công tác ở đơn vị hiện tại từ %(date)s, không trước ngày hiệu lực.")
                    % {"name": person.full_name, "date": f"{post.start:%d/%m/%Y}"},
                    field="on",
                )
            post.end = on - DAY
            closing.append(post)
        opening.append(
            Position(
                person=person, unit=unit, position=person.position, start=on, note=_("Sắp xếp lại đơn vị")
            )
        )
        person.current_unit = unit
    Position.objects.bulk_update(closing, ["end"], batch_size=500)
    Position.objects.bulk_create(opening, batch_size=500)
    Person.objects.bulk_update(people, ["current_unit"], batch_size=500)
    Person.objects.filter(pk__in=[p.pk for p in people]).update(updated_at=timezone.now())
    return len(people)


def _unit_collective(unit: Unit, on: datetime.date) -> Collective:
    """The unit's own collective (kind unit), created for a unit that has none yet."""
    own = Collective.objects.filter(unit=unit, kind=CollectiveKind.UNIT, active=True).order_by("pk").first()
    if own is not None:
        return own
    code = f"TT-{unit.code}"
    n = 1
    while by_code(Collective, [code]):
        n += 1
        code = f"TT-{unit.code}-{n}"
    return Collective.objects.create(
        unit=unit,
        kind=CollectiveKind.UNIT,
        code=code,
        name=unit.name,
        established=on,
        search_text=fold(f"{unit.name} {code}"),
    )


def _close(unit: Unit, on: datetime.date) -> None:
    unit.active_to = on - DAY
    unit.save(update_fields=["active_to", "updated_at"])


def _new_restructuring(actor, kind: str, on: datetime.date, decision: Decision | None) -> Restructuring:
    decision = decision or Decision()
    if decision.date is not None and not isinstance(decision.date, datetime.date):
        raise ServiceError(_("Ngày quyết định không hợp lệ."), field="decision_date")
    return Restructuring.objects.create(
        kind=kind,
        on=on,
        decision_number=clean(decision.number)[:60],
        decision_date=decision.date,
        reason=(decision.reason or "").strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


def _decision_changes(r: Restructuring) -> dict:
    return {"on": r.on, "decision": r.decision_number, "decision_date": r.decision_date, "note": r.reason}


# --------------------------------------------------------------------------------------- merge


def merge_units(
    *,
    actor,
    predecessor_ids: list[int],
    on: datetime.date,
    successor_id: int | None = None,
    new_unit: NewUnit | None = None,
    continuing_collective_id: int | None = None,
    decision: Decision | None = None,
) -> Restructuring:
    """Merge the units `predecessor_ids` into one successor: an existing unit (`successor_id`, sáp nhập)
    or a new one created here (`new_unit`, hợp nhất). Their active people and direct sub-units pass to
    the successor, their team collectives too; their own (unit) collectives close, and the successor's
    collective continues the years of `continuing_collective_id` (a predecessor's unit collective) when
    the rulebook setting `collective.chain_across_merger` says so. Each predecessor closes on `on - 1`."""
    on = _check_date(on)
    ids = [int(i) for i in predecessor_ids or []]
    if (successor_id is None) == (new_unit is None):
        raise ServiceError(_("Hãy chọn đơn vị kế thừa, hoặc nhập đơn vị mới."), field="successor")
    if successor_id is not None and int(successor_id) in ids:
        raise ServiceError(_("Một đơn vị không thể sáp nhập vào chính nó."), field="successor")
    if len(set(ids)) != len(ids):
        raise ServiceError(_("Một đơn vị được chọn hai lần."), field="predecessors")
    if len(ids) < (1 if successor_id is not None else 2):
        raise ServiceError(_("Hãy chọn các đơn vị được hợp nhất, sáp nhập."), field="predecessors")
    with transaction.atomic():
        wanted = ids + ([int(successor_id)] if successor_id is not None else [])
        units = _locked(wanted)
        predecessors = [units[i] for i in ids]
        _require(actor, predecessors)
        for pred in predecessors:
            _check_open(pred, on)
        for pred in predecessors:
            for other in predecessors:
                if pred is not other and pred.path.startswith(other.path):
                    raise ServiceError(
                        _("%(name)s là đơn vị trực thuộc của %(other)s; chỉ chọn đơn vị cấp trên.")
                        % {"name": pred.name, "other": other.name},
                        field="predecessors",
                    )
        if successor_id is not None:
            successor = units[int(successor_id)]
            require_perm(actor, PERM, successor)
        else:
            first = predecessors[0]
            successor = _create_unit(actor, new_unit, first.parent, first.kind, on)
        _check_successor(successor, predecessors, on)
        restructuring = _new_restructuring(actor, RestructuringKind.MERGE, on, decision)
        UnitSuccession.objects.bulk_create(
            UnitSuccession(restructuring=restructuring, predecessor=p, successor=successor)
            for p in predecessors
        )
        people = list(
            Person.objects.select_for_update()
            .filter(current_unit__in=predecessors, active=True)
            .order_by("pk")
        )
        moved = _move_people(people, {p.pk: successor for p in people}, on)
        children = list(Unit.objects.filter(parent__in=predecessors, active_to__isnull=True).order_by("path"))
        for child in children:
            _reparent(child, successor)
        collectives = list(
            Collective.objects.select_for_update().filter(unit__in=predecessors, active=True).order_by("pk")
        )
        closed, teams = [], []
        for c in collectives:
            if c.kind == CollectiveKind.UNIT:
                c.active = False
                closed.append(c)
            else:
                c.unit = successor
                teams.append(c)
        Collective.objects.bulk_update(closed, ["active"])
        Collective.objects.bulk_update(teams, ["unit"])
        continuing = None
        if continuing_collective_id:
            continuing = Collective.objects.filter(
                pk=int(continuing_collective_id), unit__in=predecessors, kind=CollectiveKind.UNIT
            ).first()
            if continuing is None:
                raise ServiceError(
                    _("Tập thể được tính nối tiếp phải là tập thể của một đơn vị được sáp nhập."),
                    field="continuing_collective",
                )
        restructuring.successor_collective = _unit_collective(successor, on)
        restructuring.continuing_collective = continuing
        restructuring.save(update_fields=["successor_collective", "continuing_collective"])
        for pred in predecessors:
            _close(pred, on)
        mapping = {p.pk: successor.pk for p in predecessors}
        _run_followers(restructuring, mapping, on)
        audit(
            actor,
            "unit.merge",
            restructuring,
            action=AuditAction.CREATE,
            unit_id=successor.pk,
            changes={
                **_decision_changes(restructuring),
                "predecessors": [p.pk for p in predecessors],
                "successor": successor.pk,
                "created": new_unit is not None,
                "people": moved,
                "subunits": [c.pk for c in children],
                "continuing_collective": continuing.pk if continuing else None,
            },
            object_repr=_("%(kind)s: %(names)s → %(successor)s")
            % {
                "kind": restructuring.get_kind_display(),
                "names": ", ".join(p.name for p in predecessors),
                "successor": successor.name,
            },
        )
    return restructuring


# --------------------------------------------------------------------------------------- split


def split_unit(
    *,
    actor,
    unit_id: int,
    on: datetime.date,
    successor_ids: list[int] = (),
    new_units: list[NewUnit] = (),
    people: dict[int, int],
    subunits: dict[int, int] | None = None,
    teams: dict[int, int] | None = None,
    decision: Decision | None = None,
) -> Restructuring:
    """Split `unit_id` into several successors (existing units `successor_ids`, then units created from
    `new_units`, in that order). Every active person of the unit is mapped to a successor in `people`
    ({person id: successor index or unit id}), every open direct sub-unit in `subunits` and every active
    team collective in `teams` likewise; a mapping that leaves any out is refused. A key maps to the
    successor's unit id; for a unit created here, to `-(k + 1)` (its index k in `new_units`). The first
    successor takes over the unit's open work (followers)."""
    on = _check_date(on)
    subunits, teams = dict(subunits or {}), dict(teams or {})
    successor_ids = [int(i) for i in successor_ids or []]
    if len(successor_ids) + len(new_units or []) < 2:
        raise ServiceError(_("Chia, tách cần ít nhất hai đơn vị kế thừa."), field="successors")
    if len(set(successor_ids)) != len(successor_ids):
        raise ServiceError(_("Một đơn vị được chọn hai lần."), field="successors")
    if int(unit_id) in successor_ids:
        raise ServiceError(
            _("Đơn vị bị chia, tách không thể là đơn vị kế thừa của chính nó."), field="successors"
        )
    with transaction.atomic():
        units = _locked([int(unit_id), *successor_ids])
        unit = units[int(unit_id)]
        require_perm(actor, PERM, unit)
        _check_open(unit, on)
        successors = [units[i] for i in successor_ids]
        _require(actor, successors)
        for s in successors:
            _check_successor(s, [unit], on)
        created = [_create_unit(actor, spec, unit.parent, unit.kind, on) for spec in new_units or []]
        for k, s in enumerate(created):
            for key in (people, subunits, teams):
                for subject, target in key.items():
                    if target == -(k + 1):
                        key[subject] = s.pk
        successors += created
        by_id = {s.pk: s for s in successors}
        active = list(
            Person.objects.select_for_update().filter(current_unit=unit, active=True).order_by("pk")
        )
        children = list(Unit.objects.filter(parent=unit, active_to__isnull=True).order_by("path"))
        team_rows = list(
            Collective.objects.select_for_update()
            .filter(unit=unit, active=True, kind=CollectiveKind.TEAM)
            .order_by("pk")
        )
        for rows, mapping, message in (
            (active, people, _("Còn %(n)s cán bộ của đơn vị chưa được phân về đơn vị kế thừa nào.")),
            (children, subunits, _("Còn %(n)s đơn vị trực thuộc chưa được phân về đơn vị kế thừa nào.")),
            (team_rows, teams, _("Còn %(n)s tập thể chưa được phân về đơn vị kế thừa nào.")),
        ):
            missing = [r for r in rows if int(mapping.get(r.pk, 0) or 0) not in by_id]
            if missing:
                raise ServiceError(message % {"n": len(missing)}, field="mapping")
        restructuring = _new_restructuring(actor, RestructuringKind.SPLIT, on, decision)
        UnitSuccession.objects.bulk_create(
            UnitSuccession(restructuring=restructuring, predecessor=unit, successor=s) for s in successors
        )
        moved = _move_people(active, {p.pk: by_id[int(people[p.pk])] for p in active}, on)
        for child in children:
            _reparent(child, by_id[int(subunits[child.pk])])
        for team in team_rows:
            team.unit = by_id[int(teams[team.pk])]
        Collective.objects.bulk_update(team_rows, ["unit"])
        Collective.objects.filter(unit=unit, kind=CollectiveKind.UNIT, active=True).update(active=False)
        for s in created:
            _unit_collective(s, on)
        _close(unit, on)
        _run_followers(restructuring, {unit.pk: successors[0].pk}, on)
        audit(
            actor,
            "unit.split",
            restructuring,
            action=AuditAction.CREATE,
            unit_id=unit.pk,
            changes={
                **_decision_changes(restructuring),
                "predecessors": [unit.pk],
                "successors": [s.pk for s in successors],
                "people": moved,
                "subunits": [c.pk for c in children],
            },
            object_repr=_("%(kind)s: %(name)s → %(names)s")
            % {
                "kind": restructuring.get_kind_display(),
                "name": unit.name,
                "names": ", ".join(s.name for s in successors),
            },
        )
    return restructuring


# --------------------------------------------------------------------------------------- rename, move


def rename_unit(
    *,
    actor,
    unit_id: int,
    on: datetime.date,
    name: str,
    short_name: str | None = None,
    decision: Decision | None = None,
) -> Restructuring:
    """Give a unit a new name from `on`; the old one is kept with the dates it was used (UnitName), and
    the unit's own collective, named after it, takes the new name too."""
    on = _check_date(on)
    name = clean(name or "")
    if not name:
        raise ServiceError(_("Hãy nhập tên mới của đơn vị."), field="name")
    with transaction.atomic():
        unit = _locked([unit_id])[int(unit_id)]
        require_perm(actor, PERM, unit)
        _check_open(unit, on)
        if name == unit.name and (short_name is None or clean(short_name) == unit.short_name):
            raise ServiceError(_("Tên mới trùng tên hiện tại của đơn vị."), field="name")
        last = UnitName.objects.filter(unit=unit).order_by("-valid_to").first()
        if last is not None and on <= last.valid_to + DAY:
            raise ServiceError(
                _("Đơn vị đã đổi tên ngày %(date)s; ngày hiệu lực phải sau ngày đó.")
                % {"date": f"{last.valid_to + DAY:%d/%m/%Y}"},
                field="on",
            )
        restructuring = _new_restructuring(actor, RestructuringKind.RENAME, on, decision)
        UnitSuccession.objects.create(restructuring=restructuring, predecessor=unit, successor=unit)
        UnitName.objects.create(
            unit=unit,
            name=unit.name,
            short_name=unit.short_name,
            valid_from=(last.valid_to + DAY) if last is not None else unit.active_from,
            valid_to=on - DAY,
            restructuring=restructuring,
        )
        old = unit.name
        Collective.objects.filter(unit=unit, kind=CollectiveKind.UNIT, name=old).update(
            name=name, search_text=fold(name)
        )
        unit.name = name
        if short_name is not None:
            unit.short_name = clean(short_name)
        unit.save(update_fields=["name", "short_name", "updated_at"])
        audit(
            actor,
            "unit.rename",
            restructuring,
            action=AuditAction.CREATE,
            unit_id=unit.pk,
            changes={**_decision_changes(restructuring), "unit": unit.pk, "name": [old, name]},
            object_repr=f"{old} → {name}",
        )
    return restructuring


def move_unit(
    *, actor, unit_id: int, on: datetime.date, new_parent_id: int, decision: Decision | None = None
) -> Restructuring:
    """Put a unit (with its whole subtree) under another parent from `on`."""
    on = _check_date(on)
    with transaction.atomic():
        units = _locked([unit_id, new_parent_id])
        unit, parent = units[int(unit_id)], units[int(new_parent_id)]
        _require(actor, [unit, parent])
        _check_open(unit, on)
        if parent.pk == unit.pk or parent.path.startswith(unit.path):
            raise ServiceError(
                _("Đơn vị cấp trên mới không được là chính đơn vị hay đơn vị trực thuộc của nó."),
                field="new_parent",
            )
        if parent.pk == unit.parent_id:
            raise ServiceError(_("Đơn vị đã trực thuộc đơn vị này."), field="new_parent")
        if parent.active_to is not None:
            raise ServiceError(
                _("Đơn vị cấp trên %(name)s đã ngừng hoạt động.") % {"name": parent.name}, field="new_parent"
            )
        restructuring = _new_restructuring(actor, RestructuringKind.MOVE, on, decision)
        restructuring.old_parent_id = unit.parent_id
        restructuring.new_parent = parent
        restructuring.save(update_fields=["old_parent", "new_parent"])
        UnitSuccession.objects.create(restructuring=restructuring, predecessor=unit, successor=unit)
        _reparent(unit, parent)
        audit(
            actor,
            "unit.move",
            restructuring,
            action=AuditAction.CREATE,
            unit_id=unit.pk,
            changes={
                **_decision_changes(restructuring),
                "unit": unit.pk,
                "parent": [restructuring.old_parent_id, parent.pk],
            },
            object_repr=unit.name,
        )
    return restructuring
