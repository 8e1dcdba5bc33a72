"""Hostile use of the clusters' setup pages: ids of other blocs, clusters and years, junk in every filter
and field (letters for numbers, huge and negative numbers, NUL bytes), double submits — refused in
Vietnamese, never a server error, nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tdkt.clusters.enums import BlocRole, CriterionKind
from tdkt.clusters.models import Bloc, BlocMembership, Cluster, ClusterYear, Criterion, Pledge, Target
from tests.clusters import conftest as clusters_conftest
from tests.clusters.conftest import YEAR, sign_all
from tests.factories import make_user, unit

HUGE = "9" * 30
world = clusters_conftest.world  # the fixture of tests/clusters: a bloc, a cluster of three, its users


def _post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


def _body(response) -> str:
    return response.content.decode()


@pytest.fixture
def other(world):
    """Another bloc of another ministry, with its own cluster, year and table."""
    ministry = unit(code="BO-2", name="Bộ Khác", kind="ministry")
    dept = unit(code="SO-K", name="Sở Khác", kind="provincial", parent=ministry)
    bloc = Bloc.objects.create(code="KHOI-K", name="Khối Khác", owner_unit=ministry)
    cluster = Cluster.objects.create(bloc=bloc, code="CUM-K", name="Cụm Khác", order=1)
    BlocMembership.objects.create(bloc=bloc, cluster=cluster, unit=dept, year=YEAR, role=BlocRole.HEAD)
    cy = ClusterYear.objects.create(cluster=cluster, year=YEAR)
    group = Criterion.objects.create(
        bloc=bloc, year=YEAR, code="1", name="Nhóm khác", kind=CriterionKind.GROUP
    )
    pledge = Pledge.objects.create(cluster_year=cy, unit=dept, content="Khác")
    officer = make_user("off_k", "officer", dept)
    return {"bloc": bloc, "cluster": cluster, "cy": cy, "group": group, "pledge": pledge, "officer": officer}


@pytest.mark.parametrize(
    "path",
    [
        f"/clusters/khoi/{HUGE}/",
        f"/clusters/khoi/{HUGE}/bang-diem/2025/",
        f"/clusters/khoi/1/bang-diem/{HUGE}/",
        "/clusters/khoi/1/bang-diem/0/",
        f"/clusters/nam/{HUGE}/giao-uoc/",
        f"/clusters/nam/{HUGE}/giao-uoc.docx",
    ],
)
def test_huge_ids_in_the_address_are_not_found(client, world, path):
    client.force_login(world.spc)
    assert client.get(path).status_code == 404


def test_the_blocs_tables_and_covenants_of_another_ministry_are_not_found(client, world, other):
    client.force_login(world.spc)
    assert client.get(reverse("clusters:bloc_detail", args=[other["bloc"].pk])).status_code == 404
    assert client.get(reverse("clusters:table", args=[other["bloc"].pk, YEAR])).status_code == 404
    assert client.get(reverse("clusters:covenant", args=[other["cy"].pk])).status_code == 404
    url = reverse("clusters:covenant", args=[other["cy"].pk])
    assert _post(client, world.spc, url, {"action": "covenant", "g-place": "X"}).status_code == 404
    # and its officer sees nothing of ours
    client.force_login(other["officer"])
    assert client.get(reverse("clusters:covenant", args=[world.cy.pk])).status_code == 404
    assert client.get(reverse("clusters:bloc_detail", args=[world.bloc.pk])).status_code == 404


def test_a_line_or_a_parent_of_another_bloc_is_refused(client, world, other):
    url = reverse("clusters:table", args=[world.bloc.pk, YEAR])
    base = {"action": "save", "code": "7", "name": "Tiêu chí", "kind": "fixed", "max_points": "5"}
    response = _post(client, world.spc, url, {**base, "parent": other["group"].pk})
    assert response.status_code == 200 and 'id="id_parent-error"' in _body(response)
    response = _post(client, world.spc, url, {**base, "criterion": other["group"].pk})
    assert "Không có tiêu chí này trong bảng." in _body(response)
    for junk in ("abc", "-1", HUGE, str(other["group"].pk)):
        response = _post(client, world.spc, url, {"action": "remove", "criterion": junk})
        assert response.status_code == 200 and "Không có tiêu chí này trong bảng." in _body(response)
    assert Criterion.objects.filter(bloc=other["bloc"]).count() == 1
    assert Criterion.objects.filter(bloc=world.bloc, year=YEAR).count() == 6


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mười", "phải là một số"),
        ("1e400", "không hợp lệ"),
        ("NaN", "không hợp lệ"),
        ("Infinity", "không hợp lệ"),
        ("-5", "không được âm"),
        (HUGE[:20], "không hợp lệ"),
        ("5\x00", "phải là một số"),
    ],
)
def test_junk_points_are_refused_on_the_form(client, world, value, message):
    url = reverse("clusters:table", args=[world.bloc.pk, YEAR])
    response = _post(
        client,
        world.spc,
        url,
        {"action": "save", "code": "7", "name": "Tiêu chí", "kind": "fixed", "max_points": value},
    )
    assert response.status_code == 200
    body = _body(response)
    assert message in body or "Không được có ký tự NUL" in body
    assert not Criterion.objects.filter(bloc=world.bloc, code="7").exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"m-unit": "SO-1\x00", "m-year": "2025"},
        {"m-unit": HUGE, "m-year": "2025"},
        {"m-unit": "SO-3", "m-year": "hai nghìn"},
        {"m-unit": "SO-3", "m-year": HUGE},
        {"m-unit": "SO-3", "m-year": "-2025"},
        {"m-unit": "SO-3", "m-year": "2025", "m-role": "chairman"},
        {"m-unit": "SO-3", "m-year": "2025", "m-cluster": HUGE},
        {"m-unit": "SO-3", "m-year": "2025", "m-cluster": "abc"},
    ],
)
def test_junk_in_the_members_form_is_refused_on_the_form(client, world, fields):
    data = {"action": "member", "m-cluster": world.cluster.pk, "m-role": "deputy", **fields}
    response = _post(client, world.spc, reverse("clusters:bloc_detail", args=[world.bloc.pk]), data)
    assert response.status_code == 200
    assert "invalid-feedback" in _body(response)
    assert BlocMembership.objects.get(unit=world.units[2], year=YEAR).role == BlocRole.MEMBER


def test_a_cluster_of_another_bloc_cannot_be_given_members_or_opened(client, world, other):
    url = reverse("clusters:bloc_detail", args=[world.bloc.pk])
    response = _post(
        client, world.spc, url,
        {"action": "member", "m-unit": "SO-3", "m-cluster": other["cluster"].pk, "m-year": "2025",
         "m-role": "member"},
    )  # fmt: skip
    assert response.status_code == 200 and "invalid-feedback" in _body(response)
    response = _post(
        client, world.spc, url, {"action": "year", "y-cluster": other["cluster"].pk, "y-year": "2026"}
    )
    assert response.status_code == 200 and not ClusterYear.objects.filter(year=2026).exists()


def test_an_unknown_action_changes_nothing(client, world):
    for url in (
        reverse("clusters:bloc_detail", args=[world.bloc.pk]),
        reverse("clusters:table", args=[world.bloc.pk, YEAR]),
        reverse("clusters:covenant", args=[world.cy.pk]),
    ):
        response = _post(client, world.spc, url, {"action": "drop_everything"})
        assert response.status_code == 302
    assert Criterion.objects.filter(bloc=world.bloc).count() == 6


@pytest.mark.parametrize("value", ["mười", "1e999", "NaN", HUGE[:20], "-1", "0"])
def test_junk_targets_are_refused_on_the_pledge_form(client, world, value):
    u = world.units[0]
    data = {"action": "pledge", "unit": u.pk, f"p{u.pk}-target_{world.lines['1.1'].pk}": value}
    response = _post(client, world.head, reverse("clusters:covenant", args=[world.cy.pk]), data)
    assert response.status_code == 200 and "Chỉ tiêu của tiêu chí 1.1" in _body(response)
    assert not Target.objects.exists()


@pytest.mark.parametrize("junk", ["abc", "-1", HUGE, ""])
def test_junk_unit_or_pledge_ids_on_the_covenant_are_not_found(client, world, junk):
    url = reverse("clusters:covenant", args=[world.cy.pk])
    assert _post(client, world.head, url, {"action": "pledge", "unit": junk}).status_code == 404
    assert _post(client, world.head, url, {"action": "sign", "pledge": junk}).status_code == 404


def test_a_pledge_of_another_cluster_cannot_be_signed_from_ours(client, world, other):
    url = reverse("clusters:covenant", args=[world.cy.pk])
    data = {"action": "sign", "pledge": other["pledge"].pk, f"s{other['pledge'].pk}-signer": "X",
            f"s{other['pledge'].pk}-on": "15/01/2025"}  # fmt: skip
    assert _post(client, world.head, url, data).status_code == 404
    other["pledge"].refresh_from_db()
    assert other["pledge"].signed_on is None


def test_a_member_of_another_cluster_and_the_head_of_another_year(client, world):
    """A unit in another cluster of the same bloc reads nothing of ours; last year's head leads nothing
    of this year's."""
    cluster2 = Cluster.objects.create(bloc=world.bloc, code="CUM-2", name="Cụm hai", order=2)
    BlocMembership.objects.filter(unit=world.outsider_unit).update(cluster=cluster2, year=YEAR)
    ClusterYear.objects.create(cluster=cluster2, year=YEAR)
    client.force_login(world.outsider)
    assert client.get(reverse("clusters:covenant", args=[world.cy.pk])).status_code == 404
    nxt = ClusterYear.objects.create(cluster=world.cluster, year=YEAR + 1)
    for i, u in enumerate(world.units):
        role = BlocRole.HEAD if i == 1 else BlocRole.MEMBER
        BlocMembership.objects.create(
            bloc=world.bloc, cluster=world.cluster, unit=u, year=YEAR + 1, role=role
        )
    url = reverse("clusters:covenant", args=[nxt.pk])
    response = _post(client, world.head, url, {"action": "covenant", "g-place": "Bắc Ninh"})
    assert response.status_code == 403
    nxt.refresh_from_db()
    assert nxt.covenant_place == ""


def test_double_submits_are_refused_with_a_message(client, world):
    url = reverse("clusters:table", args=[world.bloc.pk, YEAR + 1])
    assert _post(client, world.spc, url, {"action": "copy", "from_year": str(YEAR)}).status_code == 302
    response = _post(client, world.spc, url, {"action": "copy", "from_year": str(YEAR)})
    assert response.status_code == 200  # the copy form is gone: the service's refusal is the message
    assert "chỉ sao chép vào bảng trống" in _body(response)
    assert Criterion.objects.filter(bloc=world.bloc, year=YEAR + 1).count() == 6

    sign_all(world)
    pledge = Pledge.objects.get(cluster_year=world.cy, unit=world.units[0])
    data = {
        "action": "sign",
        "pledge": pledge.pk,
        f"s{pledge.pk}-signer": "Người khác",
        f"s{pledge.pk}-on": "16/01/2025",
    }
    response = _post(client, world.head, reverse("clusters:covenant", args=[world.cy.pk]), data)
    assert response.status_code == 200 and "đã ký giao ước" in _body(response)
    pledge.refresh_from_db()
    assert (pledge.signer, pledge.signed_on) == ("Giám đốc SO-1", datetime.date(YEAR, 1, 15))

    blocs = {"code": "KHOI-Z", "name": "Khối Z", "owner_unit": world.root.code}
    assert _post(client, world.spc, reverse("clusters:bloc_list"), blocs).status_code == 302
    response = _post(client, world.spc, reverse("clusters:bloc_list"), blocs)
    assert response.status_code == 200 and "đã có" in _body(response)
    assert Bloc.objects.filter(code="KHOI-Z").count() == 1


def test_a_bloc_for_a_unit_outside_the_scope_reads_like_no_such_unit(client, world, other):
    data = {"code": "KHOI-Q", "name": "Khối Q", "owner_unit": other["bloc"].owner_unit.code}
    response = _post(client, world.spc, reverse("clusters:bloc_list"), data)
    assert response.status_code == 200
    assert "Không có đơn vị này trong phạm vi bạn được xem." in _body(response)
    assert not Bloc.objects.filter(code="KHOI-Q").exists()
