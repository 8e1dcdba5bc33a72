"""The unit tree and the emulation blocs of the demo ministry."""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field

from tdkt.clusters.enums import BlocRole
from tdkt.clusters.models import Bloc, BlocMembership
from tdkt.core.text import fold
from tdkt.demo import names
from tdkt.demo.catalogue import (
    AFFILIATED,
    BATCH,
    BLOCS,
    DEPARTMENTS,
    ENTERPRISES,
    FAMILY_WEIGHT,
    MERGER_DAY,
    MINISTRY_ABBR,
    MINISTRY_NAME,
    SUB_TITLES,
    SUBUNITS,
    TITLES,
    YEARS,
)
from tdkt.demo.draws import draw_name
from tdkt.org.enums import Gender, RestructuringKind, UnitKind
from tdkt.org.models import Collective, Restructuring, Unit, UnitSuccession
from tdkt.org.services import fill_unit_path


@dataclass
class UnitSpec:
    code: str
    name: str
    abbr: str  # decision-number suffix: "123/QĐ-<abbr>"
    kind: str
    family: str  # ministry, vu, cuc, vp, thanh_tra, vien, trung_tam, truong, bao, tct, so, sub
    parent: UnitSpec | None = None
    province: str = ""
    active_from: datetime.date | None = None
    active_to: datetime.date | None = None
    weight: float = 0.0
    head_title: str = ""
    deputy_title: str = ""
    sort_order: int = 0
    head_name: tuple[str, str, str, str] = ("", "", "", Gender.MALE)  # family, middle, given, gender
    children: list[UnitSpec] = field(default_factory=list)
    region: str = ""
    merged_into: str = ""
    obj: Unit | None = None

    @property
    def top(self) -> UnitSpec:
        return self if self.parent is None or self.parent.parent is None else self.parent.top

    @property
    def head_full_name(self) -> str:
        return " ".join(p for p in self.head_name[:3] if p)


def province_slug(name: str) -> str:
    if name == "Thành phố Hồ Chí Minh":
        return "HCM"
    return fold(name).replace(" ", "").upper()


def build_unit_specs(rng: random.Random) -> list[UnitSpec]:
    """The unit tree as specs, in tree order (parents before children)."""
    root = UnitSpec(
        code=MINISTRY_ABBR,
        name=MINISTRY_NAME,
        abbr=MINISTRY_ABBR,
        kind=UnitKind.MINISTRY,
        family="ministry",
        active_from=datetime.date(2002, 8, 5),
        head_title=TITLES["ministry"][0],
        deputy_title=TITLES["ministry"][1],
        province="Hà Nội",
    )
    specs = [root]
    tops: list[UnitSpec] = []
    order = itertools.count(1)
    for rows, kind in (
        (DEPARTMENTS, UnitKind.DEPARTMENT),
        (AFFILIATED, UnitKind.AFFILIATED),
        (ENTERPRISES, UnitKind.ENTERPRISE),
    ):
        for code, name, abbr, family in rows:
            tops.append(
                UnitSpec(
                    code=code,
                    name=name,
                    abbr=abbr,
                    kind=kind,
                    family=family,
                    parent=root,
                    province="Hà Nội",
                    active_from=datetime.date(rng.randint(1995, 2015), rng.randint(1, 12), 1),
                    weight=FAMILY_WEIGHT[family] * rng.uniform(0.7, 1.3),
                    sort_order=next(order),
                )
            )
    merged = dict((into, old) for old, into in names.MERGED_PROVINCES)
    for pname, is_city, region, _id_code in names.PROVINCES_34:
        label = names.province_label(pname, is_city)
        tops.append(
            UnitSpec(
                code=f"SO-{province_slug(pname)}",
                name=f"Sở Kinh tế Số {label}",
                abbr="SKTS",
                kind=UnitKind.PROVINCIAL,
                family="so",
                parent=root,
                province=pname,
                region=region,
                active_from=datetime.date(rng.randint(2004, 2012), 1, 1),
                weight=FAMILY_WEIGHT["so"] * rng.uniform(0.6, 1.5) * (1.8 if is_city else 1.0),
                sort_order=100 + len(tops),
            )
        )
        if pname in merged:
            old = merged[pname]
            tops.append(
                UnitSpec(
                    code=f"SO-{province_slug(old)}",
                    name=f"Sở Kinh tế Số tỉnh {old}",
                    abbr="SKTS",
                    kind=UnitKind.PROVINCIAL,
                    family="so",
                    parent=root,
                    province=old,
                    region=region,
                    active_from=datetime.date(2008, 1, 1),
                    active_to=MERGER_DAY - datetime.timedelta(days=1),
                    merged_into=pname,
                    sort_order=900 + len(tops),
                )
            )
    for top in tops:
        top.head_title, top.deputy_title = TITLES[top.family]
        specs.append(top)
        root.children.append(top)
        if top.active_to is not None:
            continue
        options = SUBUNITS[top.family]
        low = 2 if top.family == "so" else min(2, len(options))
        count = rng.randint(low, min(len(options), 6))
        for k, sub_name in enumerate(options[:count], start=1):
            prefix = next((p for p in SUB_TITLES if sub_name.startswith(p)), "Phòng")
            sub = UnitSpec(
                code=f"{top.code}-P{k}",
                name=sub_name,
                abbr=top.abbr,
                kind=UnitKind.SUBUNIT,
                family="sub",
                parent=top,
                province=top.province,
                active_from=top.active_from,
                weight=rng.uniform(0.6, 1.4),
                head_title=SUB_TITLES[prefix][0],
                deputy_title=SUB_TITLES[prefix][1],
                sort_order=k,
            )
            top.children.append(sub)
            specs.append(sub)
    for spec in specs:
        spec.head_name = draw_name(rng)
    return specs


def insert_units(specs: list[UnitSpec]) -> None:
    """Insert level by level (parents' ids first), then fill the materialized paths."""
    by_depth: dict[int, list[UnitSpec]] = defaultdict(list)
    for spec in specs:
        depth = 0 if spec.parent is None else (1 if spec.parent.parent is None else 2)
        by_depth[depth].append(spec)
    for depth in sorted(by_depth):
        level = by_depth[depth]
        objs = [
            Unit(
                code=s.code,
                name=s.name,
                short_name=s.abbr if s.kind != UnitKind.SUBUNIT else "",
                kind=s.kind,
                parent=s.parent.obj if s.parent else None,
                province=s.province,
                active_from=s.active_from,
                active_to=s.active_to,
                sort_order=s.sort_order,
            )
            for s in level
        ]
        Unit.objects.bulk_create(objs, batch_size=BATCH)
        for s, obj in zip(level, objs, strict=True):
            s.obj = obj
            fill_unit_path(obj)
        Unit.objects.bulk_update(objs, ["path", "depth"], batch_size=BATCH)


def insert_restructurings(specs: list[UnitSpec]) -> int:
    """The 1 July 2025 mergers as recorded restructurings, so that each successor shows its
    predecessor's history (history.py already gave the people their posts on both sides). Needs the
    collectives. Returns the count."""
    by_code = {s.code: s for s in specs}
    count = 0
    for spec in specs:
        if not spec.merged_into:
            continue
        successor = by_code[f"SO-{province_slug(spec.merged_into)}"]
        restructuring = Restructuring.objects.create(
            kind=RestructuringKind.MERGE,
            on=MERGER_DAY,
            decision_number="202/2025/QH15",
            decision_date=datetime.date(2025, 6, 12),
            reason=f"Sắp xếp đơn vị hành chính cấp tỉnh: tỉnh {spec.province} nhập vào {successor.province}.",
            successor_collective=Collective.objects.filter(code=f"TT-{successor.code}").first(),
        )
        UnitSuccession.objects.create(
            restructuring=restructuring, predecessor=spec.obj, successor=successor.obj
        )
        count += 1
    return count


# --------------------------------------------------------------------------------------------- blocs


def insert_blocs(specs: list[UnitSpec], root: UnitSpec) -> dict[tuple[str, int], list[UnitSpec]]:
    """Four regional blocs of the provincial departments, one membership per unit per year; head and
    deputy rotate yearly. Returns the members per (bloc code, year), head first."""
    provincial = [s for s in specs if s.kind == UnitKind.PROVINCIAL]
    members: dict[tuple[str, int], list[UnitSpec]] = {}
    memberships = []
    for code, name, region in BLOCS:
        bloc = Bloc.objects.create(code=code, name=name, owner_unit=root.obj)
        in_region = [s for s in provincial if s.region == region]
        for i, year in enumerate(YEARS):
            # a department merged on 1 July 2025 takes part up to the 2024 review; its successor after
            active = [s for s in in_region if not (s.merged_into and year >= MERGER_DAY.year)]
            rotation = [s for s in active if not s.merged_into]
            head = rotation[i % len(rotation)]
            deputy = rotation[(i + 1) % len(rotation)]
            ordered = [head, deputy] + [s for s in active if s is not head and s is not deputy]
            members[(code, year)] = ordered
            for s in ordered:
                role = BlocRole.HEAD if s is head else BlocRole.DEPUTY if s is deputy else BlocRole.MEMBER
                memberships.append(BlocMembership(bloc=bloc, unit=s.obj, year=year, role=role))
    BlocMembership.objects.bulk_create(memberships, batch_size=BATCH)
    return members
