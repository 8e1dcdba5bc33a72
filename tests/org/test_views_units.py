"""The units tree and the unit page, as each role sees them."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tdkt.org.models import AwardRecord, Collective, Evaluation, Person
from tests.factories import make_user, person, unit

TREE = reverse("org:unit_tree")


def _detail(u):
    return reverse("org:unit_detail", args=[u.pk])


@pytest.fixture
def users(tree, people):
    staff_user = make_user("staff_an", "staff", tree["a"])
    Person.objects.filter(pk=people["an"].pk).update(user=staff_user)
    return {
        "admin": make_user("admin", "admin", tree["root"]),
        "officer_a": make_user("officer_a", "officer", tree["a"]),
        "officer_root": make_user("officer_root", "officer", tree["root"]),
        "officer_b": make_user("officer_b", "officer", tree["b"]),
        "head_a": make_user("head_a", "unit_head", tree["a"]),
        "council_a": make_user("council_a", "council_member", tree["a"]),
        "staff_an": staff_user,
    }


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("who", "codes"),
    [
        ("admin", ["BO", "VU-A", "VU-A-P1", "VU-B"]),
        ("officer_root", ["BO", "VU-A", "VU-A-P1", "VU-B"]),
        ("officer_a", ["VU-A", "VU-A-P1"]),
        ("officer_b", ["VU-B"]),
        ("head_a", ["VU-A", "VU-A-P1"]),
        ("council_a", ["VU-A", "VU-A-P1"]),
    ],
)
def test_tree_shows_the_units_of_the_role_scope_in_tree_order(client, users, who, codes):
    response = _get(client, users[who], TREE)
    assert response.status_code == 200
    assert [u.code for u in response.context["units"]] == codes


def test_tree_indents_by_depth_and_counts_people(client, users, tree, people):
    person(tree["a1"], given_name="Thêm")
    response = _get(client, users["officer_root"], TREE)
    units = {u.code: u for u in response.context["units"]}
    assert [units[c].tree_depth for c in ("BO", "VU-A", "VU-A-P1", "VU-B")] == [0, 1, 2, 1]
    assert (units["VU-A"].people_count, units["VU-A"].subtree_count) == (1, 3)
    assert (units["BO"].people_count, units["BO"].subtree_count) == (0, 4)
    body = response.content.decode()
    assert "tree-indent-2" in body and "Phòng 1 Vụ A" in body
    assert f'href="{_detail(tree["a1"])}"' in body


def test_tree_for_a_subtree_officer_starts_at_their_unit(client, users, tree):
    units = _get(client, users["officer_a"], TREE).context["units"]
    assert [u.tree_depth for u in units] == [0, 1]


def test_tree_shows_inactive_units_with_their_end_date(client, users, tree):
    tree["a1"].active_to = datetime.date(2024, 6, 30)
    tree["a1"].save()
    body = _get(client, users["officer_a"], TREE).content.decode()
    assert "Ngừng từ 30/06/2024" in body and "Hoạt động" in body


@pytest.mark.parametrize("who", ["staff_an"])
def test_tree_refused_to_staff(client, users, who):
    assert _get(client, users[who], TREE).status_code == 403


def test_tree_anonymous_goes_to_login(client, db):
    response = client.get(TREE)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_tree_query_count_does_not_grow_with_units(client, users, tree):
    client.force_login(users["officer_b"])
    client.get(TREE)
    with CaptureQueriesContext(connection) as few:
        client.get(TREE)
    for i in range(15):
        sub = unit(code=f"VU-B-{i}", name=f"Phòng {i}", kind="subunit", parent=tree["b"])
        person(sub)
    with CaptureQueriesContext(connection) as many:
        response = client.get(TREE)
    assert len(response.context["units"]) == 16
    assert len(few.captured_queries) == len(many.captured_queries)


@pytest.mark.parametrize(
    ("who", "unit_key", "status"),
    [
        ("admin", "b", 200),
        ("officer_root", "b", 200),
        ("officer_a", "a", 200),
        ("officer_a", "a1", 200),
        ("officer_a", "b", 404),  # outside the scope: as if it did not exist
        ("officer_a", "root", 404),
        ("officer_b", "a", 404),
        ("head_a", "a1", 200),
        ("council_a", "b", 404),
        ("staff_an", "a", 403),  # no right to units at all: refused outright
    ],
)
def test_unit_page_access_by_role_and_unit(client, users, tree, who, unit_key, status):
    response = _get(client, users[who], _detail(tree[unit_key]))
    assert response.status_code == status


def test_unit_page_anonymous_goes_to_login(client, tree):
    response = client.get(_detail(tree["a"]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_missing_unit_is_404(client, users):
    assert _get(client, users["admin"], reverse("org:unit_detail", args=[99999])).status_code == 404


def test_unit_page_shows_parents_children_counts_and_people_link(client, users, tree, people):
    response = _get(client, users["officer_root"], _detail(tree["a"]))
    body = response.content.decode()
    crumbs = response.context["breadcrumbs"]
    assert [c[0] for c in crumbs] == ["Đơn vị", "Bộ Thử nghiệm", "Vụ A"]
    assert crumbs[1][1] == _detail(tree["root"]) and crumbs[2][1] is None
    data = response.context["data"]
    assert (data.people_direct, data.people_subtree) == (1, 2)
    assert [c.code for c in data.children] == ["VU-A-P1"]
    assert "Phòng 1 Vụ A" in body
    assert f"/org/people/?unit={tree['a'].pk}&amp;subtree=on" in body


def test_unit_page_breadcrumb_does_not_link_units_outside_scope(client, users, tree):
    crumbs = _get(client, users["officer_a"], _detail(tree["a1"])).context["breadcrumbs"]
    assert crumbs[1] == ("Bộ Thử nghiệm", None)
    assert crumbs[2] == ("Vụ A", _detail(tree["a"]))


def test_unit_page_rating_distribution_of_the_latest_year(client, users, tree, people):
    extra = person(tree["a1"], given_name="Thêm")
    Evaluation.objects.create(person=people["an"], unit=tree["a"], year=2023, rating="htxs")
    Evaluation.objects.create(person=people["binh"], unit=tree["a1"], year=2023, rating="htt")
    Evaluation.objects.create(person=extra, unit=tree["a1"], year=2023, rating="htt")
    Evaluation.objects.create(person=people["an"], unit=tree["a"], year=2022, rating="kht")
    Evaluation.objects.create(person=people["cuong"], unit=tree["b"], year=2023, rating="kht")
    response = _get(client, users["officer_a"], _detail(tree["a"]))
    data = response.context["data"]
    assert data.rating_year == 2023
    assert [(code, n) for code, _label, n in data.rating_counts] == [
        ("htxs", 1),
        ("htt", 2),
        ("ht", 0),
        ("kht", 0),
    ]
    assert "Xếp loại cán bộ năm 2023" in response.content.decode()


def test_unit_page_lists_collectives_and_their_awards_revoked_struck(client, users, tree):
    team = Collective.objects.create(unit=tree["a"], kind="team", code="TT-A", name="Phòng Tổng hợp")
    AwardRecord.objects.create(
        collective=team,
        unit=tree["a"],
        award_code="tt_ldxs",
        first_year=2023,
        last_year=2023,
        decision_number="5/QĐ-BTN",
        decided_on=datetime.date(2024, 1, 5),
    )
    AwardRecord.objects.create(
        collective=team,
        unit=tree["a"],
        award_code="tt_ldtt",
        first_year=2022,
        last_year=2022,
        decision_number="3/QĐ-BTN",
        decided_on=datetime.date(2023, 1, 5),
        revoked=True,
        revoked_decision="44/QĐ-BTN",
    )
    body = _get(client, users["officer_a"], _detail(tree["a"])).content.decode()
    assert "Phòng Tổng hợp" in body and "TT-A" in body
    assert "Tập thể lao động xuất sắc" in body and "5/QĐ-BTN · 05/01/2024" in body
    assert "<del>Tập thể lao động tiên tiến</del>" in body and "theo QĐ 44/QĐ-BTN" in body


def test_unit_page_query_count_does_not_grow_with_children_and_awards(client, users, tree):
    client.force_login(users["officer_b"])
    client.get(_detail(tree["b"]))
    with CaptureQueriesContext(connection) as few:
        client.get(_detail(tree["b"]))
    for i in range(8):
        sub = unit(code=f"VU-B-{i}", name=f"Phòng {i}", kind="subunit", parent=tree["b"])
        team = Collective.objects.create(unit=tree["b"], kind="team", code=f"T{i}", name=f"Tổ {i}")
        AwardRecord.objects.create(
            collective=team,
            unit=tree["b"],
            award_code="tt_ldtt",
            first_year=2023,
            last_year=2023,
            decision_number=f"{i}/QĐ",
            decided_on=datetime.date(2024, 1, 5),
        )
        Evaluation.objects.create(person=person(sub), unit=sub, year=2023, rating="htt")
    with CaptureQueriesContext(connection) as many:
        client.get(_detail(tree["b"]))
    assert len(few.captured_queries) == len(many.captured_queries)
