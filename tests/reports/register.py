"""A small register for the statistics and report-form tests: award records of several years, levels,
forms and units (some revoked), people of known gender, ethnicity and role, movements with
registrations, initiatives and a dossier with timed moves.

Every record is also kept as a plain tuple in `Register`, so the tests count what they expect in Python
from what they created, never by asking the code under test."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from tdkt.dossiers.models import Dossier, Nomination, Transition
from tdkt.movements.models import Movement, Registration
from tdkt.org.models import AwardRecord, Collective, Initiative, Person
from tdkt.reports.services import tally_refresh
from tests.factories import person, unit

YEAR = 2023  # the main year of the data; records also in YEAR - 1 and YEAR - 2


@dataclass
class Award:
    unit: str  # key of the unit
    code: str
    year: int
    level: str
    person: str | None = None  # key of the person, or None for a collective
    collective: str | None = None
    basis: str = "cong_trang"
    revoked: bool = False
    decided_on: datetime.date | None = None


@dataclass
class Register:
    units: dict
    people: dict
    collectives: dict
    awards: list[Award] = field(default_factory=list)
    # (unit key, person key, code, achieved?) of the approved registrations of YEAR's movement
    registrations: list[tuple] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    initiatives: list[tuple] = field(default_factory=list)  # (unit key, scope)

    def in_units(self, keys) -> list[Award]:
        return [a for a in self.awards if a.unit in keys]


# key: (unit, gender, ethnicity, direct worker, leader)
PEOPLE = {
    "an": ("a", "male", "Kinh", True, False),
    "binh": ("a1", "female", "Tày", True, False),
    "chi": ("a1", "female", "Kinh", False, True),
    "dung": ("b", "male", "Thái", False, True),
    "em": ("b", "female", "Kinh", True, False),
    "gia": ("root", "male", "", False, True),  # ethnicity unknown: not counted as a minority
}


def _award_specs() -> list[Award]:
    y = YEAR
    return [
        Award("a", "ldtt", y, "unit", person="an"),
        Award("a", "bang_khen_bo", y, "ministry", person="an"),
        Award("a1", "ldtt", y, "unit", person="binh"),
        Award("a1", "cstd_co_so", y, "unit", person="binh"),
        Award("a1", "bang_khen_bo", y, "ministry", person="chi", basis="chuyen_de"),
        Award("a1", "hc_lao_dong_3", y, "state", person="chi"),
        Award("a1", "bang_khen_bo", y, "ministry", person="binh", revoked=True),
        Award("a", "tt_ldxs", y, "unit", collective="ta"),
        Award("a", "bang_khen_bo", y, "ministry", collective="ta", basis="dot_xuat"),
        Award("a", "bang_khen_ttg", y, "government", collective="ent"),
        Award("a", "ldtt", y - 1, "unit", person="an"),
        Award("a1", "giay_khen", y - 1, "", person="binh"),
        Award("a", "ldtt", y - 2, "unit", person="an", revoked=True),
        Award("b", "ldtt", y, "unit", person="dung"),
        Award("b", "bang_khen_bo", y, "ministry", person="em"),
        Award("b", "hc_lao_dong_3", y, "state", person="dung"),
        Award("b", "ky_niem_chuong", y, "ministry", person="em"),
        Award("b", "ldtt", y - 1, "unit", person="em", revoked=True),
        Award("root", "cstd_bo", y, "ministry", person="gia"),
        Award("root", "co_thi_dua_bo", y, "ministry", collective="tb"),
    ]


def build(*, with_awards: bool = True) -> Register:
    root = unit(code="BO", name="Bộ Thống kê", kind="ministry")
    a = unit(code="VU-A", name="Vụ An Toàn", parent=root)
    a1 = unit(code="VU-A-P1", name="Phòng Một Vụ An Toàn", kind="subunit", parent=a)
    b = unit(code="VU-B", name="Vụ Bình Minh", parent=root)
    ent = unit(code="DN-A", name="Công ty Alpha", kind="enterprise", parent=a)
    units = {"root": root, "a": a, "a1": a1, "b": b, "ent": ent}
    people = {}
    for key, (u, gender, ethnicity, direct, leader) in PEOPLE.items():
        people[key] = person(
            units[u], given_name=key.capitalize(), code=f"R-{key}", gender=gender, ethnicity=ethnicity,
            direct_worker=direct, leader=leader,
        )  # fmt: skip
    collectives = {
        "ta": Collective.objects.create(unit=a, kind="team", code="C-TA", name="Tổ An"),
        "tb": Collective.objects.create(unit=root, kind="unit", code="C-TB", name="Văn phòng Bộ"),
        "ent": Collective.objects.create(unit=ent, kind="unit", code="C-ENT", name="Công ty Alpha"),
    }
    reg = Register(units, people, collectives)
    if with_awards:
        for i, spec in enumerate(_award_specs()):
            add_award(reg, spec, i, refresh=False)
        tally_refresh()
    return reg


def add_award(reg: Register, spec: Award, i: int, *, refresh: bool = True) -> AwardRecord:
    """Record one award; with `refresh`, recompute its year's summary after it, as a writer would."""
    # the collective "ent" (an enterprise) is recorded under its own unit
    unit_key = "ent" if spec.collective == "ent" else spec.unit
    spec.unit = unit_key if spec.collective == "ent" else spec.unit
    record = AwardRecord.objects.create(
        person=reg.people[spec.person] if spec.person else None,
        collective=reg.collectives[spec.collective] if spec.collective else None,
        unit=reg.units[unit_key],
        award_code=spec.code,
        first_year=spec.year,
        last_year=spec.year,
        decision_number=f"{i}/QĐ-T",
        decided_on=spec.decided_on or datetime.date(spec.year + 1, 1, 15),
        basis=spec.basis,
        issuer_level=spec.level,
        revoked=spec.revoked,
    )
    reg.awards.append(spec)
    if refresh:
        tally_refresh(years=[spec.year], unit_ids=[record.unit_id])
    return record


def add_movement_with_registrations(reg: Register) -> None:
    """YEAR's yearly movement of department A: An registers for LĐTT (got it), Bình for CSTĐCS (got it)
    and for Bằng khen (hers was revoked: not achieved), Chi for LĐTT (not received); a movement of B."""
    m = Movement.objects.create(
        unit=reg.units["a"], name="Phong trào thi đua năm", kind="yearly", year=YEAR, status="launched",
        start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR, 12, 31),
    )  # fmt: skip
    mb = Movement.objects.create(
        unit=reg.units["b"], name="Thi đua chuyên đề B", kind="thematic", year=YEAR, status="launched",
        start=datetime.date(YEAR, 3, 1), end=datetime.date(YEAR, 6, 30),
    )  # fmt: skip
    mroot = Movement.objects.create(
        unit=reg.units["root"], name="Phong trào của Bộ", kind="yearly", year=YEAR, status="launched",
        start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR + 2, 12, 31),
    )  # fmt: skip
    reg.movements += [m, mb, mroot]
    for key, code, achieved in (
        ("an", "ldtt", True),
        ("binh", "cstd_co_so", True),
        ("binh", "bang_khen_bo", False),
        ("chi", "ldtt", False),
    ):
        p = reg.people[key]
        Registration.objects.create(
            movement=m, person=p, unit=p.current_unit, award_code=code, status="approved"
        )
        reg.registrations.append((p.current_unit_id, key, code, achieved))
    # a pending registration does not count
    Registration.objects.create(
        movement=m, person=reg.people["an"], unit=reg.units["a"], award_code="cstd_co_so", status="pending"
    )
    p = reg.people["dung"]
    Registration.objects.create(
        movement=mb, person=p, unit=p.current_unit, award_code="ldtt", status="approved"
    )
    reg.registrations.append((p.current_unit_id, "dung", "ldtt", True))


def add_initiatives(reg: Register) -> None:
    for key, scope, recognised in (
        ("an", "co_so", True),
        ("binh", "bo", True),
        ("chi", "", False),
        ("dung", "co_so", True),
    ):
        p: Person = reg.people[key]
        Initiative.objects.create(
            person=p, unit=p.current_unit, year=YEAR, title=f"Sáng kiến của {key}", scope=scope,
            recognised_on=datetime.date(YEAR, 5, 1) if recognised else None,
        )  # fmt: skip
        if recognised:
            reg.initiatives.append((p.current_unit_id, scope))


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def add_dossier(reg: Register, unit_key: str = "a", *, appraisal_days: int = 12) -> Dossier:
    """A dossier of YEAR moved on known weekdays: sent Monday 4/3/2024, received the next day (1 working
    day), appraisal started the same day and accepted `appraisal_days` calendar days later."""
    u = reg.units[unit_key]
    d = Dossier.objects.create(
        unit=u, year=YEAR, title=f"Hồ sơ {u.code}", status="accepted", level="ministry"
    )
    Nomination.objects.create(
        dossier=d, person=reg.people["an"], unit=u, award_code="bang_khen_bo", first_year=YEAR, last_year=YEAR
    )
    sent = datetime.date(2024, 3, 4)  # a Monday
    moves = [
        (sent, "draft", "sent"),
        (sent + datetime.timedelta(days=1), "sent", "received"),
        (sent + datetime.timedelta(days=1), "received", "appraising"),
        (sent + datetime.timedelta(days=1 + appraisal_days), "appraising", "accepted"),
    ]
    for day, old, new in moves:
        t = Transition.objects.create(dossier=d, action="x", from_status=old, to_status=new)
        Transition.objects.filter(pk=t.pk).update(at=_at(day))
    return d
