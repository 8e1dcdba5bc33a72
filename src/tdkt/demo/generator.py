"""The deterministic demo data: a ministry, its units, people with six years of history, awards, logins.

`generate(people=N, seed=S)` writes the same rows for the same N and S (every draw comes from a
`random.Random` seeded here; no date depends on today: the reference year is 2025, history 2020–2025,
and the award decisions for 2025 are not taken yet, so the demo has a year-end review to run).

It is set-based, for benchmarks with `--people 100000` (about 70 s on SQLite on a 2-core machine):
people are generated and inserted per chunk of whole top-level units (one transaction each) through
`writer.Writer` (batched `executemany`), derived fields computed in memory, no query per row. A
generator is not a user action: it writes the rows directly and one summary `demo.load` audit event.

The parts: `catalogue` (what the ministry is made of), `draws` (seeded draws), `units` (tree and
blocs), `history` (a person and their years), `collectives`, `writer`; this module puts them together
and creates the demo logins.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction

from tdkt.accounts.enums import Role
from tdkt.accounts.models import RoleAssignment, User
from tdkt.core.audit import audit
from tdkt.demo import names
from tdkt.demo.catalogue import (
    BLOCS,
    CHUNK_PEOPLE,
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    MINISTRY_ABBR,
    OFFICER_UNIT_CODE,
    REFERENCE_YEAR,
)
from tdkt.demo.collectives import build_collectives
from tdkt.demo.draws import draw_name, stable_hash
from tdkt.demo.history import Context, Facts, allocate, cap_cstd, higher_awards, make_person
from tdkt.demo.units import (
    UnitSpec,
    build_unit_specs,
    insert_blocs,
    insert_restructurings,
    insert_units,
    province_slug,
)
from tdkt.demo.writer import Writers, write_chunk
from tdkt.org.enums import UnitKind
from tdkt.org.models import Collective, Person, Unit

Progress = Callable[[str], None]


# --------------------------------------------------------------------------------------------- users

# (username, role, unit code, full name); the order `demo_logins()` prints them in
LOGINS = [
    ("admin", Role.ADMIN, MINISTRY_ABBR, "Quản trị hệ thống"),
    # the ministry TĐKT department appraises every unit's dossiers: the role covers the whole ministry
    ("chuyenvien", Role.SPECIALIST, MINISTRY_ABBR, "Đỗ Thị Minh Thư"),
    ("canbo", Role.OFFICER, OFFICER_UNIT_CODE, "Phạm Thu Hà"),
    ("thutruong", Role.UNIT_HEAD, OFFICER_UNIT_CODE, ""),
    ("hoidong", Role.COUNCIL_MEMBER, MINISTRY_ABBR, "Lê Quang Vinh"),
    ("lanhdao", Role.LEADER, MINISTRY_ABBR, ""),
    ("khoitruong", Role.BLOC_HEAD, "", ""),
    ("thanhtra", Role.INSPECTOR, MINISTRY_ABBR, "Hoàng Đức Thắng"),
    ("bientap", Role.PORTAL_EDITOR, MINISTRY_ABBR, "Vũ Ngọc Lan"),
    ("nhanvien", Role.STAFF, "", ""),
]


def _insert_users(ctx: Context, by_code: dict[str, UnitSpec], bloc_members) -> None:
    password = make_password(DEMO_PASSWORD)  # one hash for all: every demo login has the same password
    head_of_bloc = bloc_members[(BLOCS[0][0], REFERENCE_YEAR)][0]
    officer_unit = by_code[OFFICER_UNIT_CODE]
    staff_unit = next((c for c in officer_unit.children if c.obj is not None), officer_unit)
    staff = (  # a staff member of the officer's unit; a leader only if the unit has nobody else
        Person.objects.filter(current_unit__path__startswith=officer_unit.obj.path)
        .order_by("leader", "code")
        .first()
    )
    users, assignments = [], []
    for username, role, unit_code, full_name in LOGINS:
        if role == Role.BLOC_HEAD:
            unit, full_name = head_of_bloc, head_of_bloc.head_full_name
        elif role == Role.STAFF:
            by_pk = {s.obj.pk: s for s in by_code.values()}
            unit = staff_unit if staff is None else by_pk[staff.current_unit_id]
            full_name = staff.full_name if staff else "Nguyễn Văn Nhân"
        else:
            unit = by_code[unit_code]
        if not full_name:
            full_name = unit.head_full_name if role == Role.UNIT_HEAD else ctx.root.children[0].head_full_name
            if role == Role.LEADER:
                full_name = ctx.minister
        user = User(
            username=username,
            password=password,
            full_name=full_name,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
            is_active=True,
        )
        users.append(user)
        assignments.append((user, role, unit, role != Role.STAFF))
    User.objects.bulk_create(users)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, role=role, unit_id=unit.obj.pk, include_subtree=subtree)
        for u, role, unit, subtree in assignments
    )
    if staff is not None:
        Person.objects.filter(pk=staff.pk).update(user=users[-1])
    ctx.counts["user"] = len(users)


# ---------------------------------------------------------------------------------------------- entry


def _chunks(tops: list[UnitSpec], allocation: dict[str, int]) -> list[list[UnitSpec]]:
    """Groups of whole top units (a merged department with its successor) of about CHUNK_PEOPLE."""
    groups, current, size = [], [], 0
    for top in tops:
        current.append(top)
        size += sum(allocation.get(u.code, 0) for u in [top, *top.children])
        if size >= CHUNK_PEOPLE and not top.merged_into and not _has_predecessor(top, tops):
            groups.append(current)
            current, size = [], 0
    if current:
        groups.append(current)
    return groups


def _has_predecessor(top: UnitSpec, tops: list[UnitSpec]) -> bool:
    return any(t.merged_into == top.province for t in tops)


def generate(
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    with_year: bool = True,
) -> dict[str, int]:
    """Write the demo organisation with `people` people into an empty database, then (with `with_year`) the
    year's work through the services (demo/year.py). Same seed and size, same rows. Returns the row
    counts."""
    say = progress or (lambda _msg: None)
    rng = random.Random(seed)
    with transaction.atomic():
        specs = build_unit_specs(rng)
        insert_units(specs)
        root = specs[0]
        bloc_members = insert_blocs(specs, root)
    by_code = {s.code: s for s in specs}
    say(f"Đơn vị: {len(specs)}; khối thi đua: {len(BLOCS)}")
    winners: dict[int, set[str]] = defaultdict(set)
    for (_code, year), members in bloc_members.items():
        winners[year].add(max(members, key=lambda s: stable_hash(seed, "bloc", s.code, year)).code)
    people_rng = random.Random(seed * 7919 + 1)
    ctx = Context(
        seed=seed,
        rng=people_rng,
        root=root,
        minister=root.head_full_name,
        pm_signer=" ".join(draw_name(rng)[:3]),
        president_signer=" ".join(draw_name(rng)[:3]),
        province_signers={p[0]: " ".join(draw_name(rng)[:3]) for p in names.PROVINCES_34},
        bloc_winners=winners,
    )
    ctx.counts["unit"] = len(specs)
    allocation = allocate(specs, people)
    successors = {
        by_code[f"SO-{province_slug(into)}"].code: by_code[f"SO-{province_slug(old)}"]
        for old, into in names.MERGED_PROVINCES
    }
    tops = [s for s in root.children]
    index = 1
    writers = Writers()
    for n, group in enumerate(_chunks(tops, allocation)):
        units = [u for top in group for u in [top, *top.children]]
        active_units = [u for u in units if u.active_to is None]
        if n == 0:
            units.insert(0, root)
        chunk: list[Facts] = []
        for unit in units:
            count = allocation.get(unit.code, 0)
            leaders = (
                min(count, 1 + min(3, count // 20))
                if unit.kind != UnitKind.SUBUNIT
                else (0 if count < 5 else max(1, round(count * 0.1)))
            )
            if unit.kind != UnitKind.SUBUNIT:
                leaders = count  # the leadership of a top unit sits in the top unit itself
            for rank in range(count):
                chunk.append(make_person(ctx, index, unit, rank, leaders, active_units, successors))
                index += 1
        cap_cstd(ctx, chunk)
        for f in chunk:
            higher_awards(ctx, f)
        collectives = build_collectives(ctx, [u for u in units if u.kind != UnitKind.MINISTRY], chunk)
        with transaction.atomic():
            write_chunk(writers, chunk, collectives)
        say(f"Cán bộ: {index - 1:,}/{people:,}".replace(",", "."))
    with connection.cursor() as cursor:  # ids were given explicitly: let PostgreSQL's sequences catch up
        for sql in connection.ops.sequence_reset_sql(no_style(), [Person, Collective]):
            cursor.execute(sql)
    for writer in writers.all():
        ctx.counts[writer.model._meta.model_name] = writer.count
    with transaction.atomic():
        ctx.counts["restructuring"] = insert_restructurings(specs)
        _insert_users(ctx, by_code, bloc_members)
        counts = dict(sorted(ctx.counts.items()))
        audit(
            None,
            "demo.load",
            None,
            object_type="demo",
            object_repr=f"Dữ liệu mẫu ({people} cán bộ)",
            changes={"people": people, "seed": seed, **counts},
        )
    if with_year:
        from tdkt.demo.blocs import build_blocs
        from tdkt.demo.dossiers import build_dossiers
        from tdkt.demo.year import build_year

        year = build_year(seed=seed, progress=say)
        counts |= year
        counts |= build_dossiers(seed=seed, progress=say)
        if year:  # a demo too small for a year of work (the tests') has no bloc work either
            counts |= build_blocs(seed=seed, progress=say)
    say("Tài khoản dùng thử: " + ", ".join(u for u, *_r in LOGINS))
    return counts


def database_is_empty() -> bool:
    return not (Unit.objects.exists() or Person.objects.exists() or User.objects.exists())


def load_demo_if_empty(people: int | None = None, progress: Progress | None = None) -> bool:
    """Load the demo data into an empty database; True when it loaded, False (nothing changed) otherwise."""
    if not database_is_empty():
        return False
    generate(people=people or DEFAULT_PEOPLE, seed=DEFAULT_SEED, progress=progress)
    return True


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role label, unit name) of the demo logins present in the database, in LOGINS order."""
    from tdkt.demo.blocs import BLOC_LOGINS
    from tdkt.demo.dossiers import MINISTRY_MEMBER_LOGINS
    from tdkt.demo.year import MEMBER_LOGINS

    logins = [u for u, *_rest in LOGINS] + MEMBER_LOGINS + MINISTRY_MEMBER_LOGINS + BLOC_LOGINS
    order = {username: i for i, username in enumerate(logins)}
    rows = (
        RoleAssignment.objects.filter(user__username__in=order)
        .select_related("user", "unit")
        .order_by("user__username", "role")
    )
    found = sorted(rows, key=lambda ra: order[ra.user.username])
    return [(ra.user.username, str(ra.get_role_display()), ra.unit.name) for ra in found]
