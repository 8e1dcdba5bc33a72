"""One person at a time: name, post, six years of ratings, leave, discipline, initiatives and the
awards the law's chains allow.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from tdkt.demo import names
from tdkt.demo.catalogue import (
    ADMIN_PROVINCES,
    AWARD_YEARS,
    DIRECT_SHARE,
    DIRECT_TITLES,
    INITIATIVE_ACTIONS,
    INITIATIVE_OBJECTS,
    JOB_TITLES,
    MERGER_DAY,
    MINISTRY_ABBR,
    MINISTRY_NAME,
    NEW_LAW_FROM,
    REFERENCE_YEAR,
    YEARS,
)
from tdkt.demo.draws import (
    DISCIPLINE_FORMS,
    ETHNICITY,
    INITIATIVE_SCOPES,
    day_in,
    draw_name,
    split_total,
    stable_hash,
)
from tdkt.demo.units import UnitSpec
from tdkt.org.enums import (
    AwardBasis,
    AwardCode,
    Employment,
    Gender,
    InitiativeKind,
    InitiativeScope,
    IssuerLevel,
    LeaveKind,
    Rating,
    UnitKind,
)

ID_CODES = {name: id_code for name, _city, _region, id_code in names.PROVINCES_34}


class Facts:
    """One generated person with their history, before it becomes rows."""

    __slots__ = (
        "code",
        "name",
        "birth",
        "ethnicity",
        "id_number",
        "position",
        "job_title",
        "employment",
        "direct",
        "leader",
        "joined",
        "unit",
        "tendency",
        "positions",
        "ratings",
        "months",
        "eval_unit",
        "discipline",
        "leaves",
        "initiatives",
        "awards",
        "star",
        "cstd_candidates",
        "obj",
    )

    def __init__(self):
        self.positions: list[tuple[UnitSpec, str, datetime.date, datetime.date | None, str]] = []
        self.ratings: dict[int, str] = {}
        self.months: dict[int, int] = {}
        self.eval_unit: dict[int, UnitSpec] = {}
        self.discipline: dict[int, tuple[str, datetime.date]] = {}
        self.leaves: list[tuple[int, str, datetime.date, datetime.date]] = []
        self.initiatives: list[dict] = []
        self.awards: list[dict] = []
        self.cstd_candidates: dict[int, str] = {}
        self.star = False


@dataclass
class Context:
    seed: int
    rng: random.Random
    root: UnitSpec
    minister: str
    pm_signer: str
    president_signer: str
    province_signers: dict[str, str]
    bloc_winners: dict[int, set[str]]  # year -> codes of the bloc leaders that get the flag
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    ldtt_seen: int = 0
    revoke_at: frozenset[int] = frozenset({37, 1234})


def allocate(specs: list[UnitSpec], total: int) -> dict[str, int]:
    """People per unit code: a few ministry leaders, the rest by the top units' weights, leaders in the
    top unit itself and everybody else in its sub-units."""
    root = specs[0]
    result: dict[str, int] = {root.code: min(5, total // 50)}
    tops = [s for s in root.children if s.active_to is None]
    for top, n in zip(tops, split_total(total - result[root.code], [t.weight for t in tops]), strict=True):
        if not top.children:
            result[top.code] = n
            continue
        lead = min(n, 1 if n < 20 else 2 + min(2, n // 60))
        result[top.code] = lead
        for sub, c in zip(top.children, split_total(n - lead, [s.weight for s in top.children]), strict=True):
            result[sub.code] = c
    return result


def rating_for(score: float) -> str:
    if score < -2.2:
        return Rating.KHT
    if score < -0.8:
        return Rating.HT
    if score < 0.93:
        return Rating.HTT
    return Rating.HTXS


def decision_of(ctx: Context, issuer: str, code: str, year: int, month_from: int = 1, month_to: int = 1):
    """(number, date) of the decision `issuer` takes on `code` for achievement year `year`."""
    key = stable_hash(ctx.seed, issuer, code, year)
    month = month_from + key % (month_to - month_from + 1)
    return key % 480 + 12, day_in(year + 1, month, key >> 9, 5, 28)


def make_person(
    ctx: Context,
    index: int,
    unit: UnitSpec,
    rank: int,
    leaders: int,
    chunk_units: list[UnitSpec],
    successors: dict[str, UnitSpec],
) -> Facts:
    rng = ctx.rng
    f = Facts()
    f.code = f"CB{index:06d}"
    f.unit = unit
    top = unit.top
    family = top.family
    f.name = unit.head_name if rank == 0 else draw_name(rng)
    gender = f.name[3]
    f.leader = rank < leaders
    if f.leader:
        f.position = (
            unit.head_title
            if rank == 0
            else unit.deputy_title
            if rank <= 3
            else ("Tổ trưởng" if rng.random() < 0.7 else "Trưởng nhóm")
        )
        age = rng.randint(38, 59) if rank <= 3 else rng.randint(32, 55)
    else:
        f.position = ""
        age = int(rng.triangular(23, 60, 36))
    f.birth = datetime.date(REFERENCE_YEAR - age, rng.randint(1, 12), rng.randint(1, 28))
    f.ethnicity = ETHNICITY.pick(rng)
    # the ID number opens with the code of the province of birth: mostly the unit's own province
    province_code = ID_CODES.get(unit.province) if unit.kind != UnitKind.MINISTRY else None
    if province_code is None or rng.random() < 0.3:
        province_code = ADMIN_PROVINCES[rng.randrange(len(ADMIN_PROVINCES))]
    century = 0 if f.birth.year < 2000 else 2
    sex_digit = century + (1 if gender == Gender.FEMALE else 0)
    # unique whatever the prefix: index * 7919 is a bijection on 0..999999 (7919 is prime to 10)
    f.id_number = (
        f"{province_code}{sex_digit}{f.birth.year % 100:02d}{(index * 7919 + ctx.seed) % 1_000_000:06d}"
    )
    # years of service: most people long-serving, about 4% a year recent joiners; leaders 6 years at least
    span = max(0, age - 22)
    service = span - int(rng.random() ** 2 * span)
    if f.leader:
        service = max(service, min(span, 6))
    joined_year = REFERENCE_YEAR - service
    joined_month = rng.randint(1, 10 if joined_year == REFERENCE_YEAR else 12)
    f.joined = datetime.date(joined_year, joined_month, 1 if rng.random() < 0.7 else 15)
    # employment, direct work, job title
    contract = not f.leader and rng.random() < 0.12
    if contract:
        f.employment = Employment.CONTRACT
    elif family == "tct":
        f.employment = Employment.WORKER
    elif top.kind == UnitKind.AFFILIATED:
        f.employment = Employment.PUBLIC_EMPLOYEE
    else:
        f.employment = Employment.CIVIL_SERVANT
    f.direct = not f.leader and rng.random() < DIRECT_SHARE.get(family, 0.1)
    if f.leader:
        f.job_title = (
            "Chuyên viên cao cấp"
            if rank == 0 and family in ("vu", "cuc", "ministry")
            else (JOB_TITLES[family].pick(rng))
        )
    elif f.direct and family in DIRECT_TITLES:
        f.job_title = DIRECT_TITLES[family]
    elif contract:
        f.job_title = "Nhân viên"
    else:
        f.job_title = JOB_TITLES[family].pick(rng)
    f.tendency = rng.gauss(0.0, 1.0) + (0.25 if f.leader else 0.0)
    f.star = f.leader and rank <= 3 and age >= 45 and joined_year <= 2012 and rng.random() < 0.06
    if f.star:
        f.tendency = max(f.tendency, 1.6)

    # unit history: a transfer, or the 2025 merger of two provincial departments
    start_here = f.joined
    old_unit = None
    if unit.parent is not None and top.code in successors and f.joined < MERGER_DAY and rng.random() < 0.4:
        old_unit, start_here, note = successors[top.code], MERGER_DAY, "Hợp nhất đơn vị"
    elif unit.parent is not None and rng.random() < 0.03 and len(chunk_units) > 1:
        when = datetime.date(rng.randint(2021, 2025), rng.randint(1, 9), 1)
        if when > f.joined + datetime.timedelta(days=400):
            candidates = [u for u in chunk_units if u is not unit]
            old_unit, start_here, note = candidates[rng.randrange(len(candidates))], when, "Điều động"
    if old_unit is not None:
        old_title = "" if not f.leader else old_unit.deputy_title
        f.positions.append((old_unit, old_title, f.joined, start_here - datetime.timedelta(days=1), ""))
        f.positions.append((unit, f.position, start_here, None, note))
    else:
        f.positions.append((unit, f.position, f.joined, None, ""))

    # yearly facts
    maternity_year = 0
    for year in YEARS:
        if year < f.joined.year:
            continue
        months = 12 if year > f.joined.year else 13 - f.joined.month - (1 if f.joined.day > 1 else 0)
        if months < 1:
            continue
        f.months[year] = months
        f.eval_unit[year] = old_unit if old_unit is not None and year < start_here.year else unit
        disciplined = rng.random() < 0.01 and not (f.star and year < REFERENCE_YEAR)
        if disciplined:
            form = DISCIPLINE_FORMS.pick(rng)
            f.discipline[year] = (form, datetime.date(year, rng.randint(2, 12), rng.randint(1, 28)))
        score = 0.75 * f.tendency + 0.66 * rng.gauss(0.0, 1.0) - (0.3 if months < 12 else 0.0)
        rating = rating_for(score)
        if f.star and year < REFERENCE_YEAR:
            rating = Rating.HTXS
        if disciplined:
            rating = Rating.KHT if rating == Rating.KHT else Rating.HT
        f.ratings[year] = rating
        # leave
        if (
            gender == Gender.FEMALE
            and 22 <= year - f.birth.year <= 42
            and year - maternity_year > 2
            and rng.random() < 0.07
        ):
            maternity_year = year
            start = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            f.leaves.append((year, LeaveKind.MATERNITY, start, start + datetime.timedelta(days=179)))
        if rng.random() < 0.06:
            start = datetime.date(year, rng.randint(1, 12), rng.randint(1, 20))
            f.leaves.append(
                (year, LeaveKind.SICK, start, start + datetime.timedelta(days=rng.randint(2, 30)))
            )
        if rng.random() < 0.012:
            start = datetime.date(year, rng.choice((3, 6, 9)), 1)
            f.leaves.append(
                (year, LeaveKind.STUDY, start, start + datetime.timedelta(days=rng.randint(30, 120)))
            )
        # initiatives, likelier for the best rated
        p = 0.03 + (0.2 if rating == Rating.HTXS else 0.03 if rating == Rating.HTT else 0.0)
        wants = 2 if f.star and year in (2022, 2023) else 1 if f.star and year < REFERENCE_YEAR else 0
        n_init = max(wants, 1 if rng.random() < p else 0)
        for k in range(n_init):
            scope = InitiativeScope.BO if f.star and k == 1 else INITIATIVE_SCOPES.pick(rng)
            research = rng.random() < 0.15
            obj_text = INITIATIVE_OBJECTS[rng.randrange(len(INITIATIVE_OBJECTS))]
            title = (
                f"Nghiên cứu {obj_text}"
                if research
                else f"{INITIATIVE_ACTIONS[rng.randrange(len(INITIATIVE_ACTIONS))]} {obj_text}"
            )
            issuer = MINISTRY_ABBR if scope != InitiativeScope.CO_SO else f.eval_unit[year].top.abbr
            number = stable_hash(ctx.seed, issuer, "sk", year) % 400 + 20
            f.initiatives.append(
                {
                    "year": year,
                    "kind": InitiativeKind.RESEARCH if research else InitiativeKind.INITIATIVE,
                    "title": f"{title} tại {f.eval_unit[year].top.name}"[:500],
                    "scope": scope,
                    "recognised_on": day_in(
                        year, 11 if scope == InitiativeScope.CO_SO else 12, stable_hash(f.code, year, k)
                    ),
                    "decision_number": f"{number}/QĐ-{issuer}",
                    "used_for": "",
                    "unit": f.eval_unit[year],
                }
            )
    # individual titles decided by the unit head: LĐTT, then the CSTĐCS candidates (capped per unit later)
    for year in AWARD_YEARS:
        rating = f.ratings.get(year)
        if rating not in (Rating.HTXS, Rating.HTT) or f.months.get(year, 0) < 6 or year in f.discipline:
            continue
        if rng.random() > 0.95 and not f.star:
            continue
        unit_award(ctx, f, AwardCode.LDTT, year)
        if rating == Rating.HTXS:
            has_init = any(i["year"] == year for i in f.initiatives)
            if has_init and (f.star or rng.random() < 0.85):
                f.cstd_candidates[year] = "initiative"
            elif year >= NEW_LAW_FROM and rng.random() < 0.45:
                f.cstd_candidates[year] = "htxs"
    return f


def unit_award(ctx: Context, f: Facts, code: str, year: int, ground: str = "") -> dict:
    unit = f.eval_unit[year]
    top = unit.top
    number, day = decision_of(ctx, top.code, code, year)
    award = {
        "code": code,
        "first": year,
        "last": year,
        "number": f"{number}/QĐ-{top.abbr}",
        "date": day,
        "signer": top.head_full_name,
        "basis": AwardBasis.CONG_TRANG,
        "issuer_level": IssuerLevel.UNIT,
        "issuer_name": top.name,
        "ground": ground,
        "unit": unit,
    }
    if code == AwardCode.LDTT:
        ctx.ldtt_seen += 1
        if ctx.ldtt_seen in ctx.revoke_at:
            # (decision, date, written reason): the register shows why an award no longer counts
            award["revoked"] = (
                f"{number + 200}/QĐ-{top.abbr}",
                day + datetime.timedelta(days=200),
                "Phát hiện vi phạm kỷ luật trong năm được xét khen thưởng (kết luận kiểm tra của "
                "Vụ Thi đua – Khen thưởng).",
            )
    f.awards.append(award)
    return award


def ministry_award(
    ctx: Context, f: Facts, code: str, first: int, last: int, basis=AwardBasis.CONG_TRANG, months=(3, 5)
) -> dict:
    number, day = decision_of(ctx, f"{MINISTRY_ABBR}-{basis}", code, last, *months)
    award = {
        "code": code,
        "first": first,
        "last": last,
        "number": f"{number}/QĐ-{MINISTRY_ABBR}",
        "date": day,
        "signer": ctx.minister,
        "basis": basis,
        "issuer_level": IssuerLevel.MINISTRY,
        "issuer_name": MINISTRY_NAME,
        "ground": "",
        "unit": f.eval_unit.get(last, f.unit),
    }
    f.awards.append(award)
    return award


def cap_cstd(ctx: Context, chunk: list[Facts]) -> None:
    """CSTĐCS at most 15% of the LĐTT of the deciding unit and year; initiative grounds first."""
    ldtt: dict[tuple[str, int], int] = defaultdict(int)
    candidates: dict[tuple[str, int], list[tuple[Facts, str]]] = defaultdict(list)
    for f in chunk:
        for a in f.awards:
            if a["code"] == AwardCode.LDTT:
                top = a["unit"].top
                ldtt[(top.code, a["last"])] += 1
        for year, ground in f.cstd_candidates.items():
            unit = f.eval_unit[year]
            top = unit.top
            candidates[(top.code, year)].append((f, ground))
    for key, rows in candidates.items():
        cap = ldtt[key] * 15 // 100
        rows.sort(key=lambda r: (not r[0].star, r[1] != "initiative", -r[0].tendency, r[0].code))
        for f, ground in rows[:cap]:
            year = key[1]
            unit_award(ctx, f, AwardCode.CSTD_CO_SO, year, ground)
            if ground == "initiative":
                mine = [i for i in f.initiatives if i["year"] == year and not i["used_for"]]
                mine.sort(key=lambda i: i["scope"] != InitiativeScope.CO_SO)
                mine[0]["used_for"] = AwardCode.CSTD_CO_SO


def higher_awards(ctx: Context, f: Facts) -> None:
    """CSTĐ bộ, Bằng khen bộ, Bằng khen TTg and Huân chương Lao động hạng Ba along the law's chains."""
    rng = ctx.rng
    cstd = {a["last"] for a in f.awards if a["code"] == AwardCode.CSTD_CO_SO}
    # CSTĐ bộ: three consecutive CSTĐCS and an initiative with ministry-wide effect in those years
    for year in (2022, 2023, 2024):
        if {year - 2, year - 1, year} <= cstd and not any(a["code"] == AwardCode.CSTD_BO for a in f.awards):
            wide = [
                i
                for i in f.initiatives
                if year - 2 <= i["year"] <= year
                and i["scope"] in (InitiativeScope.BO, InitiativeScope.TOAN_QUOC)
                and i["used_for"] != "cstd_bo"
            ]
            if wide and (f.star or rng.random() < 0.8):
                wide[0]["used_for"] = wide[0]["used_for"] or AwardCode.CSTD_BO
                ministry_award(ctx, f, AwardCode.CSTD_BO, year, year).update(ground="initiative")
    # Bằng khen bộ on regular achievements: two consecutive years rated excellent, with two CSTĐCS or
    # two initiatives in them; not again within the same period
    last_bk = -10
    for year in AWARD_YEARS:
        if year - 1 not in f.ratings or year - last_bk < 2:
            continue
        if f.ratings[year - 1] == Rating.HTXS == f.ratings.get(year):
            inits = sum(1 for i in f.initiatives if year - 1 <= i["year"] <= year)
            if ({year - 1, year} <= cstd or inits >= 2) and (f.star or rng.random() < 0.7):
                if (
                    f.unit.kind != UnitKind.MINISTRY
                    and f.unit.top.kind == UnitKind.PROVINCIAL
                    and rng.random() < 0.3
                ):
                    province = f.unit.top.province
                    number, day = decision_of(ctx, f"UBND-{province}", "bkt", year, 3, 6)
                    label = next(
                        (names.province_label(n, c) for n, c, _r, _i in names.PROVINCES_34 if n == province),
                        province,
                    )
                    f.awards.append(
                        {
                            "code": AwardCode.BANG_KHEN_BO,
                            "first": year - 1,
                            "last": year,
                            "number": f"{number}/QĐ-UBND",
                            "date": day,
                            "signer": ctx.province_signers[province],
                            "basis": AwardBasis.CONG_TRANG,
                            "issuer_level": IssuerLevel.PROVINCE,
                            "issuer_name": f"Ủy ban nhân dân {label}",
                            "ground": "",
                            "unit": f.eval_unit[year],
                        }
                    )
                else:
                    ministry_award(ctx, f, AwardCode.BANG_KHEN_BO, year - 1, year)
                last_bk = year
    # thematic and one-off certificates
    for year in AWARD_YEARS:
        if f.ratings.get(year) in (Rating.HTXS, Rating.HTT) and year not in f.discipline:
            r = rng.random()
            if r < 0.004:
                ministry_award(ctx, f, AwardCode.BANG_KHEN_BO, year, year, AwardBasis.CHUYEN_DE, (6, 11))
            elif r < 0.0055:
                ministry_award(ctx, f, AwardCode.BANG_KHEN_BO, year, year, AwardBasis.DOT_XUAT, (2, 11))
    # the stars: a Prime Minister's certificate before 2020, then five years rated excellent with three
    # CSTĐCS or more → Huân chương Lao động hạng Ba; others with a BK bộ and two CSTĐCS → BK TTg
    if f.star and len(cstd) >= 3 and all(f.ratings.get(y) == Rating.HTXS for y in range(2020, 2025)):
        ttg_year = 2018 + rng.randint(0, 1)
        number, day = decision_of(ctx, "TTg", "bkttg", ttg_year, 4, 9)
        f.awards.append(
            {
                "code": AwardCode.BANG_KHEN_TTG,
                "first": ttg_year - 4,
                "last": ttg_year,
                "number": f"{number}/QĐ-TTg",
                "date": day,
                "signer": ctx.pm_signer,
                "basis": AwardBasis.CONG_TRANG,
                "issuer_level": IssuerLevel.GOVERNMENT,
                "issuer_name": "Thủ tướng Chính phủ",
                "ground": "",
                "unit": f.eval_unit[2020],
            }
        )
        number, day = decision_of(ctx, "CTN", "hcld3", 2024, 8, 9)
        f.awards.append(
            {
                "code": AwardCode.HC_LAO_DONG_3,
                "first": 2020,
                "last": 2024,
                "number": f"{number}/QĐ-CTN",
                "date": day,
                "signer": ctx.president_signer,
                "basis": AwardBasis.CONG_TRANG,
                "issuer_level": IssuerLevel.STATE,
                "issuer_name": "Chủ tịch nước",
                "ground": "",
                "unit": f.eval_unit[2024],
            }
        )
    elif (
        any(
            a["code"] == AwardCode.BANG_KHEN_BO and a["basis"] == AwardBasis.CONG_TRANG and a["last"] <= 2022
            for a in f.awards
        )
        and len(cstd & {2022, 2023, 2024}) >= 2
        and all(f.ratings.get(y) in (Rating.HTXS, Rating.HTT) for y in range(2020, 2025))
        and rng.random() < 0.5
    ):
        number, day = decision_of(ctx, "TTg", "bkttg", 2024, 5, 9)
        f.awards.append(
            {
                "code": AwardCode.BANG_KHEN_TTG,
                "first": 2020,
                "last": 2024,
                "number": f"{number}/QĐ-TTg",
                "date": day,
                "signer": ctx.pm_signer,
                "basis": AwardBasis.CONG_TRANG,
                "issuer_level": IssuerLevel.GOVERNMENT,
                "issuer_name": "Thủ tướng Chính phủ",
                "ground": "",
                "unit": f.eval_unit[2024],
            }
        )
