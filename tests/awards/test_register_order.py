"""The register's default order is read two ways (awards.selectors.register_for): walking the order
index for a scope with many records, from the units for one with few. Both give the same rows in the
same order, with every filter, and the order index is what the database plans for the first page."""

from __future__ import annotations

import pytest
from django.db import connection

from tdkt.awards import selectors
from tdkt.awards.selectors import RegisterFilter, register_for
from tdkt.org.models import AwardRecord
from tests.awards.test_register import award, book  # noqa: F401 - the fixture
from tests.factories import make_user, person


@pytest.fixture
def many(tree, people, book):  # noqa: F811 - the fixture imported above
    """Records of several years, decision dates and units, some revoked, some spanning years."""
    subjects = [people["an"], people["binh"], people["cuong"], person(tree["b"], given_name="Dũng")]
    for i in range(24):
        year = 2015 + i % 9
        award(
            subjects[i % 4],
            ("ldtt", "cstd_co_so", "bang_khen_bo")[i % 3],
            year - (i % 5 == 0),
            year,
            number=f"{i}/QĐ-X",
            revoked=i % 7 == 0,
        )
    return subjects


FILTERS = [
    RegisterFilter(),
    RegisterFilter(sort="year"),
    RegisterFilter(year=2019),
    RegisterFilter(revoked=True),
    RegisterFilter(revoked=False, sort="year"),
    RegisterFilter(award_code="ldtt"),
    RegisterFilter(subject="person", gender="female"),
]


@pytest.mark.parametrize(
    "f", FILTERS, ids=lambda f: f"{f.sort}-{f.year}-{f.revoked}-{f.award_code}-{f.gender}"
)
@pytest.mark.parametrize("role", ["specialist", "officer"])
def test_both_reads_give_the_same_rows_in_the_same_order(tree, many, monkeypatch, f, role):
    user = make_user(f"u-{role}", role, tree["a"] if role == "officer" else tree["root"])
    monkeypatch.setattr(selectors, "FEW_RECORDS", 1_000_000)  # always "few": from the units
    from_units = [r.pk for r in register_for(user, f)]
    monkeypatch.setattr(selectors, "FEW_RECORDS", 1)  # never "few": the order index
    from_index = [r.pk for r in register_for(user, f)]
    assert from_units == from_index
    assert from_units  # each filter keeps some rows of this register
    # the order itself: newest last year, then first year, decision date, id
    rows = list(AwardRecord.objects.filter(pk__in=from_units))
    key = {r.pk: (r.last_year, r.first_year, r.decided_on, r.pk) for r in rows}
    assert [key[pk] for pk in from_units] == sorted(
        (key[pk] for pk in from_units), reverse=f.sort.startswith("-")
    )


def test_the_first_page_of_a_large_scope_walks_the_order_index(tree, many, monkeypatch):
    user = make_user("u-bo", "specialist", tree["root"])
    monkeypatch.setattr(selectors, "FEW_RECORDS", 1)
    plan = register_for(user, RegisterFilter())[:20].explain()
    if connection.vendor == "sqlite":  # PostgreSQL plans a table this small with a sort
        assert "award_register_order" in plan and "TEMP B-TREE" not in plan
    plan = register_for(user, RegisterFilter(revoked=True))[:20].explain()
    if connection.vendor == "sqlite":
        assert "award_register_revoked" in plan and "TEMP B-TREE" not in plan
