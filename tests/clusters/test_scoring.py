"""The arithmetic of a scoring table (plain values, no database)."""

from decimal import Decimal as D

from tdkt.clusters import scoring
from tdkt.clusters.enums import CriterionKind as K
from tdkt.clusters.scoring import Entry, Line

TARGET = Line(id=2, parent_id=1, code="1.1", kind=K.TARGET, max_points=D(40), cap_ratio=D("1.2"))


def test_a_target_line_gives_full_points_at_the_target_pro_rata_below_and_capped_above():
    assert scoring.line_points(TARGET, D(95), D(95)) == D("40.00")
    assert scoring.line_points(TARGET, D(76), D(95)) == D("32.00")
    assert scoring.line_points(TARGET, D(104.5), D(95)) == D("44.00")  # 110 %
    assert scoring.line_points(TARGET, D(200), D(95)) == D("48.00")  # capped at 1.2 × 40
    no_cap = Line(id=2, parent_id=1, code="1.1", kind=K.TARGET, max_points=D(40))
    assert scoring.line_points(no_cap, D(200), D(95)) == D("40.00")
    assert scoring.line_points(TARGET, D(50), None) is None  # no target agreed: no points


def test_values_outside_a_line_are_refused_with_the_reason():
    fixed = Line(id=3, parent_id=None, code="2", kind=K.FIXED, max_points=D(30))
    assert "tối đa" in scoring.check_value(fixed, D(31), None)
    assert scoring.check_value(fixed, D(30), None) is None
    deduction = Line(id=4, parent_id=None, code="4", kind=K.DEDUCTION, max_points=D(5))
    assert "số dương" in scoring.check_value(deduction, D(-1), None)
    assert "chỉ tiêu" in scoring.check_value(TARGET, D(10), None)


def test_totals_cap_groups_count_bonus_and_deduction_apart_and_never_go_below_zero():
    lines = [
        Line(id=1, parent_id=None, code="1", kind=K.GROUP, max_points=D(50)),
        TARGET,
        Line(id=3, parent_id=1, code="1.2", kind=K.FIXED, max_points=D(30)),
        Line(id=4, parent_id=None, code="3", kind=K.BONUS, max_points=D(5)),
        Line(id=5, parent_id=None, code="4", kind=K.DEDUCTION, max_points=D(60)),
    ]
    t = scoring.totals(lines, {2: D(44), 3: D(30), 4: D(2), 5: D(1)})
    assert (t.total, t.bonus, t.deduction) == (D("51.00"), D("2.00"), D("1.00"))  # group 74 capped at 50
    assert t.groups == {"1": D("50.00"), "3": D("2.00"), "4": D("-1.00")}
    assert scoring.totals(lines, {2: D(0), 3: D(0), 4: D(0), 5: D(60)}).total == D("0.00")
    assert scoring.totals(lines, {2: D(1)}).missing == ["1.2", "3", "4"]


def test_ranking_breaks_ties_by_the_rules_in_order_and_marks_what_they_cannot_break():
    a = Entry(unit_id=1, total=D(90), bonus=D(2), deduction=D(0))
    b = Entry(unit_id=2, total=D(90), bonus=D(3), deduction=D(1))
    c = Entry(unit_id=3, total=D(90), bonus=D(3), deduction=D(1))
    d = Entry(unit_id=4, total=D(95), bonus=D(0), deduction=D(0))
    placed = scoring.rank([a, b, c, d], ["bonus", "deduction"])
    assert [(p.entry.unit_id, p.rank, p.tied) for p in placed] == [
        (4, 1, False),
        (2, 2, True),
        (3, 2, True),
        (1, 4, False),
    ]
    by_deduction_first = scoring.rank([a, b, c, d], ["deduction", "bonus"])
    assert [(p.entry.unit_id, p.rank) for p in by_deduction_first] == [(4, 1), (1, 2), (2, 3), (3, 3)]
    assert [p.rank for p in scoring.rank([a, b, c, d], [])] == [1, 2, 2, 2]
    assert scoring.fmt(D("1234.5")) == "1.234,50" and scoring.fmt(D("40.00")) == "40"


def test_a_value_put_back_in_its_box_reads_as_the_same_number():
    from tdkt.clusters.services import _decimal

    for raw in ("1234", "1234.5", "0.25", "40", "104.5", "2500000"):
        value = D(raw)
        assert _decimal(scoring.plain(value), "x", "x") == value, raw
    assert scoring.plain(D("1234.50")) == "1234,5" and scoring.plain(D("40.00")) == "40"
