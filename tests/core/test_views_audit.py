"""The audit trail page: admins only, filtered, paginated, old → new values readable."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tdkt.core.audit import audit
from tdkt.core.models import AuditEvent
from tests.factories import make_user

AUDIT = reverse("core:audit_list")


@pytest.fixture
def admin(tree):
    return make_user("admin", "admin", tree["root"])


@pytest.fixture
def events(admin, tree, people):
    officer = make_user("officer_a", "officer", tree["a"])
    audit(
        officer,
        "person.update",
        people["an"],
        action="update",
        changes={"position": ["Chuyên viên", "Phó Vụ trưởng"], "leader": [False, True]},
    )
    audit(admin, "unit.create", tree["b"], action="create", changes={"code": "VU-B", "name": "Vụ B"})
    old = audit(
        admin, "person.transfer", people["binh"], changes={"current_unit": [tree["a"].pk, tree["a1"].pk]}
    )
    AuditEvent.objects.filter(pk=old.pk).update(at=datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC))
    return officer


def test_admin_sees_changes_as_old_to_new(client, admin, events, people):
    client.force_login(admin)
    response = client.get(AUDIT)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Chuyên viên" in body and "Phó Vụ trưởng" in body and "→" in body
    assert "chức vụ" in body and "Có" in body  # field names and yes/no in words
    assert "officer_a" in body and "person.update" in body
    assert f'href="{reverse("org:person_detail", args=[people["an"].pk])}"' in body
    assert "VU-B" in body  # a created record's values, new only


@pytest.mark.parametrize("role", ["officer", "specialist", "unit_head", "council_member", "staff", None])
def test_non_admins_are_refused(client, tree, role):
    client.force_login(make_user("u", role, tree["root"]))
    assert client.get(AUDIT).status_code == 403


def test_anonymous_goes_to_login(client, db):
    response = client.get(AUDIT)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_filter_by_actor_event_object_type_and_dates(client, admin, events):
    client.force_login(admin)

    def events_for(query):
        return [e.event for e in client.get(AUDIT + query).context["page"].object_list]

    assert events_for("?actor=officer") == ["person.update"]
    assert events_for("?event=unit.create") == ["unit.create"]
    assert sorted(events_for("?object_type=org.person")) == ["person.transfer", "person.update"]
    assert events_for("?date_from=01/03/2024&date_to=02/03/2024") == ["person.transfer"]
    assert "person.transfer" not in events_for("?date_from=01/01/2025")


def test_bad_date_gets_a_vietnamese_message(client, admin, events):
    client.force_login(admin)
    response = client.get(AUDIT + "?date_from=2024-31-12")
    assert response.status_code == 200
    assert "Ngày phải có dạng dd/mm/yyyy" in response.content.decode()
    reversed_range = client.get(AUDIT + "?date_from=05/03/2024&date_to=01/03/2024").content.decode()
    assert "phải sau hoặc bằng" in reversed_range


def test_audit_list_is_paginated_with_constant_queries(client, admin, tree):
    client.force_login(admin)
    audit(admin, "x.one", tree["a"], changes={"a": [1, 2]})
    client.get(AUDIT)
    with CaptureQueriesContext(connection) as one:
        client.get(AUDIT)
    for i in range(60):
        audit(admin, "x.many", tree["a"], changes={"n": [i, i + 1]})
    with CaptureQueriesContext(connection) as many:
        response = client.get(AUDIT)
    assert len(response.context["page"].object_list) == 50
    assert len(one.captured_queries) == len(many.captured_queries)
    assert len(client.get(AUDIT + "?page=2").context["page"].object_list) == 11


def test_the_trail_reads_in_words_not_codes(client, admin, events, people):
    audit(
        admin,
        "person.update",
        people["an"],
        action="update",
        changes={"gender": ["male", "female"], "joined": ["2010-01-01", "2011-09-05"]},
    )
    client.force_login(admin)
    body = client.get(AUDIT).content.decode()
    # events and object types by name
    assert "Sửa hồ sơ cán bộ" in body and "Điều chuyển cán bộ" in body and "Thêm đơn vị" in body
    assert "cá nhân" in body and "đơn vị" in body
    # a unit id as the unit's name, choices as labels, dates as dd/mm/yyyy
    assert "Phòng 1 Vụ A" in body
    assert "Nam" in body and "Nữ" in body
    assert "05/09/2011" in body and "2011-09-05" not in body
    # the filters offer the same names
    form = client.get(AUDIT).context["form"]
    assert ("person.transfer", "Điều chuyển cán bộ") in form.fields["event"].choices
    assert ("org.person", "cá nhân") in form.fields["object_type"].choices


def test_names_of_units_in_changes_cost_one_query_whatever_the_page_holds(client, admin, tree, people):
    client.force_login(admin)

    def transfers(n):
        for _ in range(n):
            audit(
                admin, "person.transfer", people["an"], changes={"current_unit": [tree["a"].pk, tree["b"].pk]}
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(AUDIT).status_code == 200
        return len(ctx.captured_queries)

    assert transfers(5) == transfers(45)
