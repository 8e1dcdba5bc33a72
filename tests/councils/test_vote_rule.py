"""The vote rule: read from the rulebook settings through one function, in words with its article."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from tdkt.councils.enums import Basis
from tdkt.councils.selectors import parse_basis, parse_quorum, vote_rule
from tdkt.rulebook.models import AgencySetting


@pytest.fixture(autouse=True)
def decree_rule_for_units():
    """Override of tests/councils/conftest.py: here the unit councils keep the rulebook's own values."""
    return None


def test_the_ministrys_council_votes_by_90_percent_of_all_members_marked_unconfirmed(tree):
    rule = vote_rule(tree["root"], on=datetime.date(2026, 3, 1))

    assert rule.basis == Basis.ALL
    assert rule.describe == (
        "Tỷ lệ đồng ý tối thiểu 90% tổng số thành viên Hội đồng (Nghị định 91/2017/NĐ-CP, Điều 45, "
        "khoản 8 — mức cũ, chưa xác nhận với quy định hiện hành)"
    )
    assert rule.quorum_needed(10) is None  # the old rule has no quorum of its own
    assert "không quy định riêng" in rule.describe_quorum


def test_old_regime_rule_is_confirmed(tree):
    rule = vote_rule(tree["root"], on=datetime.date(2020, 6, 1))

    assert rule.describe.endswith("(Nghị định 91/2017/NĐ-CP, Điều 45, khoản 8)")


@pytest.mark.parametrize(("base", "needed"), [(10, 9), (7, 7), (20, 18), (9, 9), (1, 1), (0, 0)])
def test_votes_needed_are_at_least_the_threshold_without_rounding_errors(tree, base, needed):
    assert vote_rule(tree["root"]).needed(base) == needed


def test_agency_values_replace_the_legal_defaults_and_say_so(tree):
    AgencySetting.objects.create(key="council.vote_threshold", value=0.5)
    AgencySetting.objects.create(key="council.vote_basis", value="số thành viên có mặt")
    AgencySetting.objects.create(key="council.quorum", value="2/3 tổng số thành viên")

    rule = vote_rule(tree["root"], on=datetime.date(2026, 3, 1))

    assert rule.basis == Basis.PRESENT
    assert rule.needed(7) == 4
    assert rule.quorum_needed(9) == 6
    assert rule.describe.startswith(
        "Tỷ lệ đồng ý tối thiểu 50% số thành viên có mặt (theo cài đặt của cơ quan"
    )


def test_a_units_council_votes_by_the_agencys_regulation_with_its_quorum(tree):
    rule = vote_rule(tree["a"], on=datetime.date(2026, 3, 1))

    assert (rule.level, rule.basis, rule.needed(7), rule.quorum_needed(9)) == ("unit", Basis.ALL, 4, 6)
    assert rule.describe.startswith("Tỷ lệ đồng ý tối thiểu 50% tổng số thành viên Hội đồng (Quy chế")
    assert "cơ quan xác nhận theo quy chế" in rule.describe  # no national rule: a default, marked


def test_the_agency_sets_its_unit_councils_rule(tree):
    AgencySetting.objects.create(key="unit_council.vote_threshold", value=0.6667)
    AgencySetting.objects.create(key="unit_council.vote_basis", value="present")
    AgencySetting.objects.create(key="unit_council.quorum_ratio", value=0.5)

    rule = vote_rule(tree["a1"], on=datetime.date(2026, 3, 1))

    assert (rule.basis, rule.needed(9), rule.quorum_needed(10)) == (Basis.PRESENT, 7, 5)
    assert "theo cài đặt của cơ quan" in rule.describe


@pytest.mark.parametrize(
    ("text", "share", "strict"),
    [
        ("không quy định riêng; thành viên vắng mặt cho ý kiến bằng văn bản", None, False),
        ("2/3 tổng số thành viên", Fraction(2, 3), False),
        ("ít nhất 75% thành viên", Fraction(3, 4), False),
        ("quá bán tổng số thành viên", Fraction(1, 2), True),
        ("hai phần ba số thành viên", Fraction(2, 3), False),
    ],
)
def test_quorum_words(text, share, strict):
    assert parse_quorum(text) == (share, strict)


def test_quorum_more_than_half_is_strict():
    from tdkt.councils.selectors import VoteRule

    rule = VoteRule("0.9", Basis.ALL, "", "quá bán", "1/2", True, "", "", True, False)
    assert rule.quorum_needed(10) == 6
    assert rule.quorum_needed(9) == 5


def test_basis_words():
    assert parse_basis("tổng số thành viên Hội đồng") == Basis.ALL
    assert parse_basis("số thành viên có mặt tại phiên họp") == Basis.PRESENT
