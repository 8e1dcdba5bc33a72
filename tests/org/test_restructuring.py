"""Units that merge, split, change name or parent (issue 11, item 7): people, collectives and open work
move to the successor on the date; history stays where it happened and is seen from the successor; a
person's eligibility chain goes on; a collective's follows the rulebook setting."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent
from tdkt.dossiers.models import Dossier
from tdkt.org.models import (
    AwardRecord,
    Collective,
    Evaluation,
    Initiative,
    Person,
    Position,
    Restructuring,
    Unit,
    UnitName,
    UnitSuccession,
)
from tdkt.org.restructuring import (
    Decision,
    NewUnit,
    merge_units,
    move_unit,
    rename_unit,
    split_unit,
)
from tdkt.org.selectors import lineage
from tdkt.rulebook.adapters import collective_facts
from tdkt.rulebook.models import AgencySetting
from tdkt.rulebook.selectors import live_verdicts
from tests.factories import make_user, person, unit

D = datetime.date
MERGER = D(2025, 7, 1)
CODES = ("ldtt", "cstd_co_so", "cstd_bo", "bang_khen_bo", "giay_khen")


@pytest.fixture
def world(db):
    root = unit(code="BO", name="Bộ Thử nghiệm", kind="ministry")
    x = unit(code="SO-X", name="Sở Kinh tế Số tỉnh X", kind="provincial", parent=root)
    x1 = unit(code="SO-X-P1", name="Phòng Kế hoạch Sở X", kind="subunit", parent=x)
    y = unit(code="SO-Y", name="Sở Kinh tế Số tỉnh Y", kind="provincial", parent=root)
    z = unit(code="SO-Z", name="Sở Kinh tế Số tỉnh Z", kind="provincial", parent=root)
    for u in (x, x1, y, z):
        u.active_from = D(2008, 1, 1)
        u.save(update_fields=["active_from"])
    specialist = make_user("chuyenvien", "specialist", root)
    return {"root": root, "x": x, "x1": x1, "y": y, "z": z, "specialist": specialist}


def _history(p, *, unit):
    """Four years of the same record: ratings, LĐTT and CSTĐCS each year, an initiative each year."""
    for year in (2022, 2023, 2024):
        Evaluation.objects.create(person=p, unit=unit, year=year, rating="htxs", months_worked=12)
        for code in ("ldtt", "cstd_co_so"):
            AwardRecord.objects.create(
                person=p,
                unit=unit,
                award_code=code,
                first_year=year,
                last_year=year,
                decision_number=f"{code}-{year}-{p.pk}",
                decided_on=D(year + 1, 2, 1),
            )
        Initiative.objects.create(
            person=p,
            unit=unit,
            year=year,
            title=f"Sáng kiến {year}",
            scope="co_so",
            recognised_on=D(year, 11, 1),
        )


def _collective(u, code):
    return Collective.objects.create(unit=u, kind="unit", code=code, name=f"Tập thể {u.name}")


def _rate_collective(c, years, rating="htxs"):
    for year in years:
        Evaluation.objects.create(collective=c, unit=c.unit, year=year, rating=rating, members_total=20)


# ----------------------------------------------------------------------------------- the test


def test_merging_two_units_mid_year_keeps_people_eligible_and_history_visible_from_the_successor(
    world, client
):
    x, y, z = world["x"], world["y"], world["z"]
    moved = person(x, family_name="Phạm", middle_name="Thu", given_name="Hà", code="CB-X")
    twin = person(z, family_name="Phạm", middle_name="Thu", given_name="Hằng", code="CB-Z")  # never moved
    other = person(y, family_name="Lê", middle_name="Văn", given_name="Cường", code="CB-Y")
    _history(moved, unit=x)
    _history(twin, unit=z)
    cx = _collective(x, "TT-SO-X")
    _rate_collective(cx, (2022, 2023, 2024))
    AwardRecord.objects.create(
        collective=cx, unit=x, award_code="tt_ldtt", first_year=2024, last_year=2024,
        decision_number="15/QĐ-X", decided_on=D(2025, 1, 20),
    )  # fmt: skip

    r = merge_units(
        actor=world["specialist"],
        predecessor_ids=[x.pk, y.pk],
        successor_id=z.pk,
        on=MERGER,
        decision=Decision(number="202/2025/QH15", date=D(2025, 6, 12), reason="Sắp xếp cấp tỉnh"),
    )

    # the people passed to the successor on the date, their old post closed the day before
    moved.refresh_from_db()
    other.refresh_from_db()
    assert moved.current_unit == z and other.current_unit == z
    posts = list(
        Position.objects.filter(person=moved).order_by("start").values_list("unit_id", "start", "end")
    )
    assert posts[-2:] == [(x.pk, D(2010, 1, 1), D(2025, 6, 30)), (z.pk, MERGER, None)]
    # the predecessors closed the day before; the history stayed where it happened
    x.refresh_from_db()
    y.refresh_from_db()
    assert x.active_to == y.active_to == D(2025, 6, 30)
    assert set(Evaluation.objects.filter(person=moved).values_list("unit_id", flat=True)) == {x.pk}
    assert set(AwardRecord.objects.filter(person=moved).values_list("unit_id", flat=True)) == {x.pk}
    assert sorted(lineage(z)) == sorted([x.pk, y.pk])
    assert r.kind == "merge" and set(r.successions.values_list("predecessor_id", flat=True)) == {x.pk, y.pk}

    # the year of the merger, rated in the successor: the chain of the moved person is unbroken, and
    # gives exactly the verdicts of a twin with the same record who never moved
    for p, u in ((moved, z), (twin, z)):
        Evaluation.objects.create(person=p, unit=u, year=2025, rating="htxs", months_worked=12)
        Initiative.objects.create(
            person=p, unit=u, year=2025, title="Sáng kiến 2025", scope="co_so", recognised_on=D(2025, 11, 1)
        )
    moved_verdicts = {v.award: v.verdict for v in live_verdicts("individual", moved.pk, 2025)}
    twin_verdicts = {v.award: v.verdict for v in live_verdicts("individual", twin.pk, 2025)}
    assert moved_verdicts == twin_verdicts
    assert moved_verdicts["ldtt"] == "eligible"
    assert moved_verdicts["cstd_co_so"] == "eligible"

    # both units' history is seen from the successor's pages
    client.force_login(world["specialist"])
    page = client.get(reverse("org:unit_detail", args=[z.pk])).content.decode()
    assert "Sở Kinh tế Số tỉnh X" in page and "Sở Kinh tế Số tỉnh Y" in page
    assert "tại Sở Kinh tế Số tỉnh X" in page and "15/QĐ-X" in page
    successor_collective = r.successor_collective
    page = client.get(reverse("org:collective_detail", args=[successor_collective.pk])).content.decode()
    assert "Quá trình tại Sở Kinh tế Số tỉnh X" in page
    timeline = client.get(reverse("org:person_timeline", args=[moved.pk])).content.decode()
    assert "Sở Kinh tế Số tỉnh X" in timeline and "Sở Kinh tế Số tỉnh Z" in timeline


def test_merger_is_audited_once_with_its_units(world):
    x, z = world["x"], world["z"]
    merge_units(actor=world["specialist"], predecessor_ids=[x.pk], successor_id=z.pk, on=MERGER)
    event = AuditEvent.objects.get(event="unit.merge")
    assert event.unit_id_ref == z.pk
    assert event.changes["predecessors"] == [x.pk] and event.changes["successor"] == z.pk


def test_sub_units_and_teams_move_with_the_merger_and_unit_collectives_close(world):
    x, x1, z = world["x"], world["x1"], world["z"]
    inside = person(x1, code="CB-X1")
    cx = _collective(x, "TT-SO-X")
    team = Collective.objects.create(unit=x, kind="team", code="T-X", name="Tổ Pháp chế")
    merge_units(actor=world["specialist"], predecessor_ids=[x.pk], successor_id=z.pk, on=MERGER)
    x1.refresh_from_db()
    assert x1.parent_id == z.pk and x1.path == f"{z.path}{x1.pk}/" and x1.depth == z.depth + 1
    inside.refresh_from_db()
    assert inside.current_unit_id == x1.pk  # the sub-unit carries on, its people with it
    cx.refresh_from_db()
    team.refresh_from_db()
    assert not cx.active and team.unit_id == z.pk and team.active


def test_merger_into_a_new_unit_creates_it_with_its_collective(world):
    x, y = world["x"], world["y"]
    r = merge_units(
        actor=world["specialist"],
        predecessor_ids=[x.pk, y.pk],
        new_unit=NewUnit(code="SO-XY", name="Sở Kinh tế Số tỉnh XY"),
        on=MERGER,
    )
    new = Unit.objects.get(code="SO-XY")
    assert new.parent_id == world["root"].pk and new.active_from == MERGER and new.kind == "provincial"
    assert r.successor_collective.unit_id == new.pk


# ----------------------------------------------------------------------------------- collective chain


def _merged_collectives(world):
    x, y = world["x"], world["y"]
    cx, cy = _collective(x, "TT-SO-X"), _collective(y, "TT-SO-Y")
    _rate_collective(cx, (2022, 2023, 2024))
    _rate_collective(cy, (2023, 2024), rating="ht")
    r = merge_units(
        actor=world["specialist"],
        predecessor_ids=[x.pk, y.pk],
        new_unit=NewUnit(code="SO-XY", name="Sở Kinh tế Số tỉnh XY"),
        continuing_collective_id=cx.pk,
        on=MERGER,
    )
    successor = r.successor_collective
    _rate_collective(successor, (2025,))
    return successor


def test_collective_chain_continues_the_designated_predecessor_by_default(world):
    successor = _merged_collectives(world)
    facts = collective_facts(successor.pk, 2025)
    assert sorted(facts.years) == [2022, 2023, 2024, 2025]
    assert facts.years[2023].rating == "htxs"  # the designated collective's year, not the other's


def test_collective_chain_restarts_when_the_setting_says_so(world):
    successor = _merged_collectives(world)
    AgencySetting.objects.create(key="collective.chain_across_merger", value="restart")
    assert sorted(collective_facts(successor.pk, 2025).years) == [2025]


# ----------------------------------------------------------------------------------- dossiers follow


def test_open_dossiers_move_to_the_successor_and_finished_ones_stay(world):
    x, z = world["x"], world["z"]
    draft = Dossier.objects.create(unit=x, holder=x, year=2025, title="Hồ sơ đang lập", status="draft")
    sent = Dossier.objects.create(unit=x, holder=world["root"], year=2025, title="Đã gửi", status="sent")
    done = Dossier.objects.create(unit=x, year=2024, title="Đã có quyết định", status="issued")
    merge_units(actor=world["specialist"], predecessor_ids=[x.pk], successor_id=z.pk, on=MERGER)
    for d in (draft, sent, done):
        d.refresh_from_db()
    assert (draft.unit_id, draft.holder_id) == (z.pk, z.pk)
    assert (sent.unit_id, sent.holder_id) == (z.pk, world["root"].pk)
    assert done.unit_id == x.pk
    assert AuditEvent.objects.filter(event="dossier.restructure").count() == 2


# ----------------------------------------------------------------------------------- split, rename, move


def test_split_maps_every_person_and_sub_unit_to_a_successor(world):
    x, x1, y, z = world["x"], world["x1"], world["y"], world["z"]
    a = person(x, code="CB-A")
    b = person(x, code="CB-B")
    r = split_unit(
        actor=world["specialist"],
        unit_id=x.pk,
        successor_ids=[y.pk, z.pk],
        people={a.pk: y.pk, b.pk: z.pk},
        subunits={x1.pk: z.pk},
        on=MERGER,
    )
    a.refresh_from_db()
    b.refresh_from_db()
    x1.refresh_from_db()
    assert (a.current_unit_id, b.current_unit_id, x1.parent_id) == (y.pk, z.pk, z.pk)
    assert r.kind == "split" and set(lineage(y)) == {x.pk} and set(lineage(z)) == {x.pk}
    assert AuditEvent.objects.filter(event="unit.split").count() == 1


def test_split_that_misses_a_person_is_refused_and_saves_nothing(world):
    x, y, z = world["x"], world["y"], world["z"]
    a = person(x, code="CB-A")
    person(x, code="CB-B")
    with pytest.raises(ServiceError, match="2 cán bộ|1 cán bộ"):
        split_unit(
            actor=world["specialist"],
            unit_id=x.pk,
            successor_ids=[y.pk, z.pk],
            people={a.pk: y.pk},
            subunits={world["x1"].pk: z.pk},
            on=MERGER,
        )
    a.refresh_from_db()
    assert a.current_unit_id == x.pk
    assert not Restructuring.objects.exists() and not AuditEvent.objects.filter(event="unit.split").exists()


def test_rename_keeps_the_old_name_with_its_dates(world):
    x = world["x"]
    c = Collective.objects.create(unit=x, kind="unit", code="TT-SO-X", name=x.name)
    rename_unit(actor=world["specialist"], unit_id=x.pk, on=MERGER, name="Sở Chuyển đổi số tỉnh X")
    x.refresh_from_db()
    c.refresh_from_db()
    old = UnitName.objects.get(unit=x)
    assert x.name == c.name == "Sở Chuyển đổi số tỉnh X"
    assert (old.name, old.valid_from, old.valid_to) == ("Sở Kinh tế Số tỉnh X", D(2008, 1, 1), D(2025, 6, 30))
    assert AuditEvent.objects.filter(event="unit.rename").count() == 1


def test_move_rewrites_the_paths_of_the_whole_subtree(world):
    x, x1, z = world["x"], world["x1"], world["z"]
    move_unit(actor=world["specialist"], unit_id=x.pk, new_parent_id=z.pk, on=MERGER)
    x.refresh_from_db()
    x1.refresh_from_db()
    assert x.path == f"{z.path}{x.pk}/" and x.depth == 2
    assert x1.path == f"{z.path}{x.pk}/{x1.pk}/" and x1.depth == 3
    assert x.active_to is None  # a move closes nothing
    with pytest.raises(ServiceError):
        move_unit(actor=world["specialist"], unit_id=z.pk, new_parent_id=x1.pk, on=MERGER)


# ----------------------------------------------------------------------------------- refusals


def _nothing_saved(*people):
    assert not Restructuring.objects.exists()
    assert not UnitSuccession.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="unit.").exists()
    assert not Unit.objects.filter(active_to__isnull=False).exists()
    for p in people:
        assert Person.objects.get(pk=p.pk).current_unit_id == p.current_unit_id


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("itself", "chính nó"),
        ("sub_unit", "đơn vị trực thuộc"),
        ("inactive", "đã ngừng hoạt động"),
        ("closed", "đã ngừng hoạt động"),
        ("before_start", "bắt đầu hoạt động"),
        ("future", "không được sau hôm nay"),
        ("before_post", "bắt đầu công tác"),
    ],
)
def test_merger_refusals_save_nothing(world, case, message):
    x, x1, z = world["x"], world["x1"], world["z"]
    p = person(x, code="CB-X")
    args = {"predecessor_ids": [x.pk], "successor_id": z.pk, "on": MERGER}
    if case == "itself":
        args["successor_id"] = x.pk
    elif case == "sub_unit":
        args["successor_id"] = x1.pk
    elif case == "inactive":
        Unit.objects.filter(pk=z.pk).update(active_to=D(2020, 12, 31))
    elif case == "closed":
        Unit.objects.filter(pk=x.pk).update(active_to=D(2020, 12, 31))
    elif case == "before_start":
        args["on"] = D(2005, 1, 1)
    elif case == "future":
        args["on"] = D(2999, 1, 1)
    elif case == "before_post":
        Position.objects.filter(person=p).update(start=D(2025, 9, 1))
    before = set(Unit.objects.filter(active_to__isnull=False).values_list("pk", flat=True))
    with pytest.raises(ServiceError, match=message):
        merge_units(actor=world["specialist"], **args)
    assert set(Unit.objects.filter(active_to__isnull=False).values_list("pk", flat=True)) == before
    assert not Restructuring.objects.exists() and not UnitSuccession.objects.exists()
    assert Person.objects.get(pk=p.pk).current_unit_id == x.pk
    assert not AuditEvent.objects.filter(event="unit.merge").exists()


def test_a_user_without_scope_over_every_unit_is_refused(world):
    x, z = world["x"], world["z"]
    p = person(x, code="CB-X")
    specialist_of_z = make_user("cv_z", "specialist", z)
    officer = make_user("canbo", "officer", world["root"])
    for actor in (specialist_of_z, officer):
        with pytest.raises(PermissionDenied):
            merge_units(actor=actor, predecessor_ids=[x.pk], successor_id=z.pk, on=MERGER)
    _nothing_saved(p)


def test_records_of_a_restructuring_are_never_deleted(world):
    r = merge_units(
        actor=world["specialist"], predecessor_ids=[world["x"].pk], successor_id=world["z"].pk, on=MERGER
    )
    with pytest.raises(PermissionDenied):
        r.delete()
    with pytest.raises(PermissionDenied):
        UnitSuccession.objects.all().delete()


# ----------------------------------------------------------------------------------- the demo


def test_the_demo_records_its_2025_mergers_and_the_successor_shows_the_old_department(db, client):
    from tdkt.demo.generator import generate

    generate(people=150, seed=11, with_year=False)
    merged = list(Unit.objects.filter(kind="provincial", active_to=D(2025, 6, 30)))
    assert merged
    for old in merged:
        edge = UnitSuccession.objects.select_related("restructuring", "successor").get(predecessor=old)
        assert edge.restructuring.kind == "merge" and edge.restructuring.on == MERGER
        assert edge.successor.is_active and old.pk in lineage(edge.successor)
    client.force_login(make_user("quantri", "admin", Unit.objects.get(parent__isnull=True)))
    edge = UnitSuccession.objects.select_related("predecessor", "successor").first()
    page = client.get(reverse("org:unit_detail", args=[edge.successor.pk])).content.decode()
    assert "Đơn vị trước khi sắp xếp" in page and edge.predecessor.name in page


# ----------------------------------------------------------------------------------- the list page


def _renamings(world, n):
    for k in range(n):
        r = Restructuring.objects.create(
            kind="rename", on=D(2020, 1, 1 + k), decision_number=f"R-{k}-{Restructuring.objects.count()}"
        )
        UnitSuccession.objects.create(restructuring=r, predecessor=world["x"], successor=world["x"])
        UnitName.objects.create(
            unit=world["x"], name=f"Tên cũ {k}", valid_to=D(2019, 12, 31 - k), restructuring=r
        )
    r = Restructuring.objects.create(kind="merge", on=D(2021, 1, 1), decision_number="M-1")
    UnitSuccession.objects.create(restructuring=r, predecessor=world["y"], successor=world["z"])


def test_the_list_reads_the_same_number_of_queries_for_1_and_20_rows(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["specialist"])
    counts = []
    for n in (1, 19):
        _renamings(world, n)
        client.get(reverse("org:restructuring_list"))  # the session and the menu, read once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("org:restructuring_list"))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    body = response.content.decode()
    assert "Tên cũ 0" in body and "M-1" in body and "Sở Kinh tế Số tỉnh Y" in body


def test_the_timeline_names_a_renamed_unit_as_it_was_when_the_post_began(world, client):
    x = world["x"]
    p = person(x, code="CB-X")
    rename_unit(actor=world["specialist"], unit_id=x.pk, on=MERGER, name="Sở Chuyển đổi số tỉnh X")
    Position.objects.filter(person=p).update(end=D(2025, 8, 31))
    Position.objects.create(person=p, unit=x, start=D(2025, 9, 1), position="Phó Giám đốc")
    client.force_login(world["specialist"])
    body = client.get(reverse("org:person_timeline", args=[p.pk])).content.decode()
    assert "01/01/2010: Sở Kinh tế Số tỉnh X" in body
    assert "01/09/2025: Sở Chuyển đổi số tỉnh X" in body


def test_the_split_form_maps_people_to_an_existing_and_a_new_successor(world, client):
    x, x1, y = world["x"], world["x1"], world["y"]
    a, b = person(x, code="CB-A", given_name="An"), person(x, code="CB-B", given_name="Bình")
    client.force_login(world["specialist"])
    data = {
        "kind": "split",
        "unit": "SO-X",
        "successors": "SO-Y",
        "new_units": "SO-X2 | Sở Kinh tế Số tỉnh X2",
        "on": "01/07/2025",
        "decision_number": "5/QĐ",
    }
    step = client.post(reverse("org:restructuring_create"), data)
    assert step.status_code == 200
    body = step.content.decode()
    assert (
        f'name="p-{a.pk}"' in body and f'name="u-{x1.pk}"' in body and "Sở Kinh tế Số tỉnh X2 (mới)" in body
    )
    data |= {"step": "save", f"p-{a.pk}": str(y.pk), f"p-{b.pk}": "-1", f"u-{x1.pk}": "-1"}
    done = client.post(reverse("org:restructuring_create"), data)
    assert done.status_code == 302
    new = Unit.objects.get(code="SO-X2")
    a.refresh_from_db()
    b.refresh_from_db()
    x1.refresh_from_db()
    assert (a.current_unit_id, b.current_unit_id, x1.parent_id) == (y.pk, new.pk, new.pk)
    assert Unit.objects.get(pk=x.pk).active_to == D(2025, 6, 30)
    assert set(lineage(new)) == {x.pk}
