"""Hostile input to the restructuring form (org:restructuring_create): an officer of another unit, a
specialist typing ids and codes of units outside their scope, junk dates and a double submit. Nothing is
a 500, nothing outside the scope is named or written, a second submit writes nothing more."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tdkt.core.models import AuditEvent
from tdkt.org.models import Person, Restructuring, Unit, UnitSuccession
from tests.factories import make_user, person, unit

CREATE = reverse("org:restructuring_create")
NOT_IN_SCOPE = "Không có đơn vị này trong phạm vi bạn được xem."


@pytest.fixture
def setup(tree):
    tree["a2"] = unit(code="VU-A-P2", name="Phòng 2 Vụ A", kind="subunit", parent=tree["a"])
    return {
        "specialist_a": make_user("cv_a", "specialist", tree["a"]),
        "officer_b": make_user("canbo_b", "officer", tree["b"]),
        "moved": person(tree["a1"], code="CB-A1"),
        "outside": person(tree["b"], code="CB-B"),
    }


def _merge(pred, succ, on="01/07/2025", **extra):
    return {"kind": "merge", "predecessors": pred, "successor": succ, "on": on, **extra}


def _unchanged():
    assert not Restructuring.objects.exists() and not UnitSuccession.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="unit.").exists()
    assert not Unit.objects.filter(active_to__isnull=False).exists()


def test_an_officer_of_another_unit_is_refused_whatever_the_ids(client, tree, setup):
    client.force_login(setup["officer_b"])
    for data in (_merge("VU-B", str(tree["a"].pk)), _merge("VU-A-P1", str(tree["a"].pk)), {"kind": "split"}):
        assert client.post(CREATE, data).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.get(reverse("org:restructuring_list")).status_code == 403
    _unchanged()


@pytest.mark.parametrize(
    ("pred", "succ"),
    [
        ("VU-B", "a"),  # a department outside the scope, by code
        ("VU-A-P1", "b"),  # a successor outside the scope, by id
        ("VU-A-P1", "root"),
        ("VU-A-P1,VU-B", "a"),
        ("VU-A-P1", "999999"),  # an id that does not exist: the same answer
        ("VU-A-P1", "99999999999999999999999"),
        ("VU-%", "a"),
        ("VU-A-P1\x00", "a"),
        ("' OR 1=1 --", "a"),
        ("x" * 5000, "a"),
    ],
)
def test_units_outside_the_scope_read_like_units_that_do_not_exist(client, tree, setup, pred, succ):
    client.force_login(setup["specialist_a"])
    succ_value = str(tree[succ].pk) if succ in tree else succ
    response = client.post(CREATE, _merge(pred, succ_value))
    assert response.status_code == 200
    body = response.content.decode()
    form = response.context["form"]
    assert form.errors
    if len(pred) < 100 and pred != "VU-A-P1\x00":
        assert any(NOT_IN_SCOPE in e for errors in form.errors.values() for e in errors)
    assert "Vụ B" not in body  # a unit outside the scope is never named
    _unchanged()
    assert Person.objects.get(pk=setup["outside"].pk).current_unit_id == tree["b"].pk


@pytest.mark.parametrize(
    "on", ["", "31/02/2025", "2025-13-01", "01/07/99999", "\x00", "hôm qua", "01/07/2999"]
)
def test_junk_dates_are_refused_with_a_message(client, tree, setup, on):
    client.force_login(setup["specialist_a"])
    response = client.post(CREATE, _merge("VU-A-P1", str(tree["a"].pk), on=on))
    assert response.status_code == 200
    assert response.context["form"].errors
    _unchanged()


@pytest.mark.parametrize("kind", ["merge", "split", "rename", "move", "x" * 300, "\x00"])
def test_empty_forms_of_every_kind_are_refused_without_error(client, tree, setup, kind):
    client.force_login(setup["specialist_a"])
    assert client.get(CREATE, {"kind": kind}).status_code == 200
    response = client.post(CREATE, {"kind": kind})
    assert response.status_code == 200 and response.context["form"].errors
    _unchanged()


def test_a_double_submit_records_the_merger_once(client, tree, setup):
    client.force_login(setup["specialist_a"])
    data = _merge("VU-A-P1", str(tree["a"].pk), decision_number="12/QĐ")
    first = client.post(CREATE, data)
    assert first.status_code == 302 and first["Location"] == reverse("org:restructuring_list")
    second = client.post(CREATE, data)
    assert second.status_code == 200
    assert "Không có đơn vị này" in second.content.decode()  # closed: no longer offered
    assert Restructuring.objects.count() == 1 and AuditEvent.objects.filter(event="unit.merge").count() == 1
    moved = Person.objects.get(pk=setup["moved"].pk)
    assert moved.current_unit_id == tree["a"].pk and moved.positions.count() == 2


def test_a_split_cannot_map_people_to_a_unit_outside_the_chosen_successors(client, tree, setup):
    """The mapping names the successors typed in the form; a forged value (B's id) is left unmapped and
    the split refused."""
    client.force_login(setup["specialist_a"])
    data = {
        "kind": "split",
        "unit": "VU-A-P1",
        "successors": "VU-A\nVU-A-P2",
        "on": "01/07/2025",
        "step": "save",
        f"p-{setup['moved'].pk}": str(tree["b"].pk),
    }
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert "chưa được phân" in response.content.decode()
    _unchanged()
    data[f"p-{setup['moved'].pk}"] = str(tree["a2"].pk)
    assert client.post(CREATE, data).status_code == 302
    assert Person.objects.get(pk=setup["moved"].pk).current_unit_id == tree["a2"].pk


def test_a_new_unit_above_the_scope_is_refused_with_a_message_not_an_error_page(client, tree, setup):
    """A specialist holding the two sub-units of A (not A itself) cannot create their merged unit under
    A; the specialist of A can."""
    from tdkt.accounts.models import RoleAssignment

    narrow = make_user("cv_p", "specialist", tree["a1"], include_subtree=False)
    RoleAssignment.objects.create(user=narrow, role="specialist", unit=tree["a2"], include_subtree=False)
    data = {
        "kind": "merge",
        "predecessors": "VU-A-P1\nVU-A-P2",
        "new_code": "VU-MOI",
        "new_name": "Vụ Mới",
        "on": "01/07/2025",
    }
    client.force_login(narrow)
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert "trong phạm vi bạn được sắp xếp" in response.content.decode()
    _unchanged()
    assert not Unit.objects.filter(code="VU-MOI").exists()
    client.force_login(setup["specialist_a"])
    assert client.post(CREATE, data).status_code == 302
    assert Unit.objects.get(code="VU-MOI").parent_id == tree["a"].pk
