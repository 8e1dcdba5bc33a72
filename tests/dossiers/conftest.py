"""A ministry's year for proposal dossiers: department A's staff with records that make them eligible for
the ministry's forms (Chiến sĩ thi đua cấp bộ after three Chiến sĩ thi đua cơ sở and a ministry-level
initiative; Bằng khen của Bộ trưởng after two years rated xuất sắc with initiatives), the unit's officer
and head, the ministry's TĐKT specialist and leader, and the ministry's council."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from tdkt.accounts.models import User
from tdkt.org.models import AwardRecord, Evaluation, Initiative, Person
from tests.councils.conftest import CouncilWorld, build_council
from tests.factories import make_user, person

YEAR = 2025


@dataclass
class DossierWorld:
    tree: dict
    officer: User
    head: User
    specialist: User
    leader: User
    officer_b: User
    fighter: Person  # eligible for cstd_bo (needs the ministry council's vote)
    worker: Person  # Bằng khen của Bộ trưởng (two years xuất sắc, two initiatives)
    council: CouncilWorld


def cstd_co_so_records(p: Person, unit, years) -> None:
    for y in years:
        AwardRecord.objects.create(
            person=p,
            unit=unit,
            award_code="cstd_co_so",
            first_year=y,
            last_year=y,
            decision_number=f"{y - 2000}/QĐ-VA",
            decided_on=datetime.date(y + 1, 1, 15),
            issuer_level="co_so",
        )


def rated(p: Person, unit, years, rating="htxs") -> None:
    for y in years:
        Evaluation.objects.create(person=p, unit=unit, year=y, rating=rating, months_worked=12)


@pytest.fixture
def world(tree) -> DossierWorld:
    return build_world(tree)


def build_world(tree) -> DossierWorld:
    a = tree["a"]
    fighter = person(
        a, family_name="Ngô", middle_name="Thị", given_name="Giang", code="NV-GIANG", gender="female"
    )
    rated(fighter, a, range(YEAR - 3, YEAR + 1))
    cstd_co_so_records(fighter, a, (YEAR - 2, YEAR - 1, YEAR))
    Initiative.objects.create(
        person=fighter,
        unit=a,
        year=YEAR,
        title="Số hóa hồ sơ thi đua",
        scope="bo",
        recognised_on=datetime.date(YEAR, 10, 1),
        decision_number="88/QĐ-BO",
    )
    worker = person(a, family_name="Phan", middle_name="Văn", given_name="Hải", code="NV-HAI")
    rated(worker, a, range(YEAR - 1, YEAR + 1))
    for n, y in enumerate((YEAR - 1, YEAR)):
        Initiative.objects.create(
            person=worker,
            unit=a,
            year=y,
            title=f"Cải tiến quy trình {n}",
            scope="co_so",
            recognised_on=datetime.date(y, 11, 1),
            decision_number=f"{n + 1}/QĐ-SK",
        )
    specialist = make_user("vu_tdkt", "specialist", tree["root"])
    council = build_council(tree["root"], officer=specialist, prefix="hdbo")
    return DossierWorld(
        tree=tree,
        officer=make_user("officer_a", "officer", a),
        head=make_user("head_a", "unit_head", a),
        specialist=specialist,
        leader=make_user("lanh_dao_bo", "leader", tree["root"]),
        officer_b=make_user("officer_b", "officer", tree["b"]),
        fighter=fighter,
        worker=worker,
        council=council,
    )
