"""Hostile input on the award register, its records and the timelines: junk filters, look-alike codes
and digits, other units' ids, double and forged revocations. Each is an error the user can read, never
a 500, never the whole register shown as if it were the result, never a record of another unit."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tdkt.core.models import AuditEvent
from tdkt.org.models import AwardRecord, Collective
from tests.factories import make_user

REGISTER = reverse("awards:register")
EXPORT = reverse("awards:register_export")
NOTICE = "Bộ lọc không hợp lệ:"
D = datetime.date


def _award(p, code="ldtt", year=2023, number=None) -> AwardRecord:
    return AwardRecord.objects.create(
        person=p, unit=p.current_unit, award_code=code, first_year=year, last_year=year,
        decision_number=number or f"{p.code}/QĐ", decided_on=D(year + 1, 1, 15),
    )  # fmt: skip


@pytest.fixture
def records(people):
    return {key: _award(p) for key, p in people.items()}


@pytest.fixture
def officer(tree):
    return make_user("officer_a", "officer", tree["a"])


JUNK = [
    ("year", "２０２４"),  # full-width digits
    ("year", "٢٠٢٤"),  # Arabic-Indic digits
    ("year", "2024.0"),
    ("year", "20245"),
    ("year", "1800"),
    ("year", "-2024"),
    ("year", "abcd"),
    ("award_code", "LDTT"),
    ("award_code", "ldtт"),  # Cyrillic "т"
    ("award_code", "ldtt\u200b"),  # a zero-width space
    ("award_code", "ldtt' OR '1'='1"),
    ("level", "president"),
    ("source", "forged"),
    ("revoked", "2"),
    ("subject", "user"),
    ("gender", "x"),
    ("direct_worker", "yes"),
    ("leader", "true"),
    ("sort", "-password"),
    ("sort", "person__user__password"),
    ("per_page", "100000"),
    ("q", "a" * 101),
    ("q", "a\x00b"),
    ("ethnicity", "Tày\x00"),
    ("ethnicity", "x" * 41),
    ("unit", "1 OR 1=1"),
    ("unit", "\x00"),
]


@pytest.mark.parametrize(("name", "value"), JUNK, ids=[f"{n}={v!r}" for n, v in JUNK])
def test_a_junk_filter_is_an_error_beside_its_field_and_no_rows(client, officer, records, name, value):
    client.force_login(officer)
    response = client.get(REGISTER, {name: value})
    assert response.status_code == 200
    assert name in response.context["form"].errors
    assert NOTICE in response.content.decode()
    assert list(response.context["page"].object_list) == []
    assert "CB001/QĐ" not in response.content.decode()  # An's record: in the scope, yet not shown


@pytest.mark.parametrize(("name", "value"), JUNK[:8], ids=[f"{n}={v!r}" for n, v in JUNK[:8]])
def test_a_junk_filter_exports_nothing(client, officer, records, name, value):
    client.force_login(officer)
    response = client.get(EXPORT, {name: value})
    assert response.status_code == 400 and not response.streaming
    assert NOTICE in response.content.decode()


def test_a_unit_outside_the_scope_reads_like_one_that_does_not_exist(client, officer, tree, records):
    client.force_login(officer)
    outside = client.get(REGISTER, {"unit": tree["b"].pk})
    missing = client.get(REGISTER, {"unit": 999_999})
    assert outside.context["form"].errors["unit"] == missing.context["form"].errors["unit"]
    assert list(outside.context["page"].object_list) == []
    assert tree["b"].name not in outside.content.decode()
    assert client.get(EXPORT, {"unit": tree["b"].pk}).status_code == 400


def test_another_units_record_is_404_like_a_missing_one(client, officer, records):
    client.force_login(officer)
    other = client.get(reverse("awards:record_detail", args=[records["cuong"].pk]))
    missing = client.get(reverse("awards:record_detail", args=[999_999]))
    assert other.status_code == missing.status_code == 404
    assert "Lê Cường" not in other.content.decode()


def test_revoking_another_units_record_is_404_and_changes_nothing(client, officer, records):
    client.force_login(officer)
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("awards:record_revoke", args=[records["cuong"].pk]),
        {"decision_number": "1/QĐ", "on": "02/02/2025", "reason": "Thử"},
    )
    assert response.status_code == 404
    records["cuong"].refresh_from_db()
    assert not records["cuong"].revoked and AuditEvent.objects.count() == events


def test_a_revocation_by_get_is_refused(client, officer, records):
    client.force_login(officer)
    response = client.get(reverse("awards:record_revoke", args=[records["an"].pk]))
    assert response.status_code == 405
    records["an"].refresh_from_db()
    assert not records["an"].revoked


def test_double_revocation_keeps_the_first_decision(client, officer, records):
    client.force_login(officer)
    url = reverse("awards:record_revoke", args=[records["an"].pk])
    first = client.post(url, {"decision_number": "1/QĐ", "on": "02/02/2025", "reason": "Lần một"})
    second = client.post(url, {"decision_number": "2/QĐ", "on": "03/02/2025", "reason": "Lần hai"})
    assert first.status_code == 302 and second.status_code == 400
    assert "đã được ghi nhận huỷ bỏ trước đó" in second.content.decode()
    records["an"].refresh_from_db()
    assert (records["an"].revoked_decision, records["an"].revoked_reason) == ("1/QĐ", "Lần một")
    assert AuditEvent.objects.filter(event="award.revoke").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"decision_number": "1/QĐ\x00", "on": "02/02/2025", "reason": "x"},
        {"decision_number": "1/QĐ", "on": "02/02/2025", "reason": "x\x00"},
        {"decision_number": "\u200b\u200b", "on": "02/02/2025", "reason": "x"},
        {"decision_number": "1/QĐ", "on": "２/２/２０２５", "reason": "x"},
        {"decision_number": "1/QĐ", "on": "0002-02-02", "reason": "x"},
        {"decision_number": "1/QĐ", "on": "02/02/2025", "reason": "x" * 2001},
    ],
    ids=["nul-number", "nul-reason", "invisible-number", "fullwidth-date", "year-2", "long-reason"],
)
def test_forged_revocation_data_is_refused_and_nothing_changes(client, officer, records, data):
    client.force_login(officer)
    response = client.post(reverse("awards:record_revoke", args=[records["an"].pk]), data)
    assert response.status_code == 400
    records["an"].refresh_from_db()
    assert not records["an"].revoked


def test_a_decision_number_is_stored_on_one_line(client, officer, records):
    client.force_login(officer)
    client.post(
        reverse("awards:record_revoke", args=[records["an"].pk]),
        {"decision_number": "1/QĐ\r\nForged: line", "on": "02/02/2025", "reason": "x"},
    )
    records["an"].refresh_from_db()
    assert records["an"].revoked_decision == "1/QĐ Forged: line"


def test_non_numeric_ids_do_not_resolve(client, officer):
    client.force_login(officer)
    for path in ("/awards/records/1%00/", "/awards/records/１/", "/org/people/1abc/timeline/",
                 "/org/collectives/-1/"):  # fmt: skip
        assert client.get(path).status_code == 404


def test_timelines_of_other_units_are_404(client, officer, tree, people):
    team_b = Collective.objects.create(unit=tree["b"], kind="team", code="T-B", name="Tổ Kiểm soát")
    client.force_login(officer)
    for url in (
        reverse("org:person_timeline", args=[people["cuong"].pk]),
        reverse("org:collective_detail", args=[team_b.pk]),
        reverse("org:collective_detail", args=[999_999]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Lê Cường" not in response.content.decode() and "Tổ Kiểm soát" not in response.content.decode()
