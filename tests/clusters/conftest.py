"""A bloc of the ministry with one cluster of three provincial departments for 2025, its head the first;
users: the ministry's specialist, each department's TĐKT officer, the bloc head (held in the head
department) and an officer of a department outside the cluster."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from tdkt.clusters.enums import BlocRole, CriterionKind
from tdkt.clusters.models import Bloc, BlocMembership, Cluster, ClusterYear, Criterion
from tdkt.org.enums import CollectiveKind
from tdkt.org.models import Collective
from tests.factories import make_user, person, unit

YEAR = 2025


@dataclass
class World:
    root: object
    units: list
    outsider_unit: object
    bloc: Bloc
    cluster: Cluster
    cy: ClusterYear
    spc: object
    officers: list
    head: object
    outsider: object
    lines: dict


def build_table(bloc: Bloc, year: int) -> dict[str, Criterion]:
    def line(code, name, kind, max_points=None, parent=None, **kw):
        return Criterion.objects.create(
            bloc=bloc, year=year, code=code, name=name, kind=kind, max_points=max_points, parent=parent,
            order=len(made) + 1, **kw,
        )  # fmt: skip

    made: dict[str, Criterion] = {}
    made["1"] = line("1", "Thực hiện nhiệm vụ chuyên môn", CriterionKind.GROUP, 70)
    made["1.1"] = line(
        "1.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", CriterionKind.TARGET, 40, made["1"],
        cap_ratio=1.1, unit_label="%", evidence_required=True, evidence_note="Báo cáo của Văn phòng",
    )  # fmt: skip
    made["1.2"] = line("1.2", "Chuyển đổi số", CriterionKind.FIXED, 30, made["1"])
    made["2"] = line("2", "Công tác thi đua, khen thưởng", CriterionKind.FIXED, 30)
    made["3"] = line("3", "Điểm thưởng: sáng kiến, mô hình mới", CriterionKind.BONUS, 5)
    made["4"] = line("4", "Điểm trừ: chậm báo cáo", CriterionKind.DEDUCTION, 5)
    return made


@pytest.fixture
def world(db) -> World:
    root = unit(code="BO", name="Bộ Thử nghiệm", kind="ministry")
    units = [
        unit(code=f"SO-{i}", name=f"Sở Kinh tế Số tỉnh {name}", kind="provincial", parent=root)
        for i, name in enumerate(["An Giang", "Bắc Ninh", "Cà Mau"], start=1)
    ]
    outsider_unit = unit(code="SO-9", name="Sở Kinh tế Số tỉnh Điện Biên", kind="provincial", parent=root)
    for u in [*units, outsider_unit]:
        Collective.objects.create(unit=u, kind=CollectiveKind.UNIT, code=f"TT-{u.code}", name=u.name)
        person(u, given_name=f"Lãnh đạo {u.code}", leader=True)
    bloc = Bloc.objects.create(code="KHOI-T", name="Khối các Sở thử nghiệm", owner_unit=root)
    cluster = Cluster.objects.create(bloc=bloc, code="CUM-1", name="Cụm thi đua số 1", order=1)
    for i, u in enumerate(units):
        role = BlocRole.HEAD if i == 0 else BlocRole.DEPUTY if i == 1 else BlocRole.MEMBER
        BlocMembership.objects.create(bloc=bloc, cluster=cluster, unit=u, year=YEAR, role=role)
    BlocMembership.objects.create(bloc=bloc, cluster=cluster, unit=outsider_unit, year=YEAR - 1)
    cy = ClusterYear.objects.create(cluster=cluster, year=YEAR, tie_break=["bonus", "deduction"])
    return World(
        root=root,
        units=units,
        outsider_unit=outsider_unit,
        bloc=bloc,
        cluster=cluster,
        cy=cy,
        spc=make_user("spc", "specialist", root),
        officers=[make_user(f"off{i}", "officer", u) for i, u in enumerate(units)],
        head=make_user("khoitruong", "bloc_head", units[0], include_subtree=False),
        outsider=make_user("off_out", "officer", outsider_unit),
        lines=build_table(bloc, YEAR),
    )


def sign_all(w: World, targets: dict[int, str] | None = None) -> None:
    """Every member pledges (target 95 % for line 1.1 unless given) and signs on 15/01."""
    from tdkt.clusters import services

    services.covenant_set(
        actor=w.head,
        cluster_year_id=w.cy.pk,
        on=datetime.date(YEAR, 1, 15),
        place="Cà Mau",
        content="Giao ước",
    )
    for u in w.units:
        value = (targets or {}).get(u.pk, "95")
        pledge = services.pledge_save(
            actor=w.head, cluster_year_id=w.cy.pk, unit_id=u.pk, content="Hoàn thành nhiệm vụ",
            targets={w.lines["1.1"].pk: value},
        )  # fmt: skip
        services.pledge_sign(
            actor=w.head, pledge_id=pledge.pk, signer=f"Giám đốc {u.code}", signer_title="Giám đốc",
            on=datetime.date(YEAR, 1, 15),
        )  # fmt: skip
