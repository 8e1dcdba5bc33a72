"""The ministry's consolidated table: counts per unit and title, late ones, the units that have not
registered, and its Excel export read back."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from tdkt.movements import services
from tests.factories import make_user, person, unit
from tests.movements.conftest import launched

Entry = services.Entry


def _url(movement, export=False) -> str:
    return reverse(
        "movements:consolidated_export" if export else "movements:consolidated", args=[movement.pk]
    )


@pytest.fixture
def registered(tree, people, teams, users, movements):
    """A registers An (CSTĐCS), Bình (LĐTT, late) and its team A1 (TT LĐTT); B has not registered."""
    from tdkt.movements.models import Movement

    movement = movements["ministry"]
    services.registrations_create(
        actor=users["officer_a"],
        movement_id=movement.pk,
        unit_id=tree["a"].pk,
        entries=[
            Entry("person", people["an"].pk, "cstd_co_so"),
            Entry("collective", teams["a1"].pk, "tt_ldtt"),
        ],
    )
    deadline = movement.registration_deadline
    Movement.objects.filter(pk=movement.pk).update(
        registration_deadline=deadline.replace(year=deadline.year - 1)
    )
    services.registrations_create(
        actor=users["officer_a"],
        movement_id=movement.pk,
        unit_id=tree["a"].pk,
        entries=[Entry("person", people["binh"].pk, "ldtt")],
    )
    Movement.objects.filter(pk=movement.pk).update(registration_deadline=deadline)
    return movement


def _rows(response) -> dict[str, tuple]:
    return {
        r.unit.name: (
            {c: (cell.people, cell.collectives) for c, cell in r.cells.items() if cell.total},
            r.late,
            r.registered,
        )
        for r in response.context["rows"]
    }


def test_the_table_counts_by_unit_and_title_with_late_ones_and_the_units_not_registered(
    client, tree, users, registered
):
    client.force_login(users["specialist"])
    response = client.get(_url(registered))
    assert response.status_code == 200
    rows = _rows(response)
    assert list(rows) == ["Bộ Thử nghiệm", "Vụ A", "Phòng 1 Vụ A", "Vụ B"]  # tree order
    assert rows["Vụ A"] == ({"ldtt": (1, 0), "cstd_co_so": (1, 0), "tt_ldtt": (0, 1)}, 1, True)
    assert rows["Phòng 1 Vụ A"] == ({"ldtt": (1, 0), "tt_ldtt": (0, 1)}, 1, True)
    assert rows["Vụ B"] == ({}, 0, False)
    assert [r.unit.name for r in response.context["missing"]] == ["Vụ B"]
    body = response.content.decode()
    assert "1 đơn vị chưa đăng ký" in body and "table-warning" in body


def test_the_filter_lists_only_the_units_that_have_not_registered(client, users, registered):
    client.force_login(users["specialist"])
    response = client.get(_url(registered), {"show": "missing"})
    assert list(_rows(response)) == ["Vụ B"]
    response = client.get(_url(registered), {"show": "nothing-like-this"})
    assert response.context["rows"] == [] and "Bộ lọc không hợp lệ" in response.content.decode()


def test_the_export_opens_back_with_the_names_and_counts(client, users, registered):
    client.force_login(users["specialist"])
    response = client.get(_url(registered, export=True))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:2] == ("Mã đơn vị", "Đơn vị")
    assert "Lao động tiên tiến — cá nhân" in header and "Tập thể lao động tiên tiến — tập thể" in header
    assert "Bằng khen của bộ, ban, ngành, tỉnh — tập thể" in header  # a form for both
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows}
    # a unit below a department carries its department's name (org.selectors.unit_labels)
    assert list(by_name) == ["Bộ Thử nghiệm", "Vụ A", "Phòng 1 Vụ A — Vụ A", "Vụ B"]
    vu_a = by_name["Vụ A"]
    assert vu_a["Mã đơn vị"] == "VU-A"
    assert vu_a["Chiến sĩ thi đua cơ sở — cá nhân"] == 1 and vu_a["Lao động tiên tiến — cá nhân"] == 1
    assert vu_a["Tập thể lao động tiên tiến — tập thể"] == 1
    assert (vu_a["Tổng cá nhân"], vu_a["Tổng tập thể"], vu_a["Nộp muộn"]) == (2, 1, 1)
    assert by_name["Vụ B"]["Chưa đăng ký"] == "Có" and not by_name["Vụ A"]["Chưa đăng ký"]


def test_an_export_with_a_bad_filter_gives_no_file(client, users, registered):
    client.force_login(users["specialist"])
    response = client.get(_url(registered, export=True), {"show": "x" * 200})
    assert response.status_code == 400 and not response.streaming
    assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_the_table_is_for_the_ministry_and_leaders_not_unit_officers(client, users, registered):
    client.force_login(users["officer_a"])
    assert client.get(_url(registered)).status_code == 403
    assert client.get(_url(registered, export=True)).status_code == 403
    client.force_login(users["leader"])
    assert client.get(_url(registered)).status_code == 200


def test_a_unit_specialist_sees_only_the_rows_of_their_subtree(client, tree, users, registered):
    client.force_login(make_user("specialist_a", "specialist", tree["a"]))
    assert list(_rows(client.get(_url(registered)))) == ["Vụ A", "Phòng 1 Vụ A"]


@pytest.mark.parametrize("n_units", [2, 20])
def test_the_table_and_its_export_cost_the_same_queries_for_2_and_20_units(
    client, tree, users, n_units, django_assert_max_num_queries
):
    root = unit(code="BO2", name="Bộ Hai", kind="ministry")
    officer = make_user("officer_root2", "specialist", root)
    codes = ["ldtt", "cstd_co_so", "tt_ldtt", "tt_ldxs", "bang_khen_bo", "giay_khen"]
    movement = launched(officer, root, name="Phong trào Bộ Hai", award_codes=codes)
    for i in range(n_units - 1):
        u = unit(code=f"U2-{i}", name=f"Đơn vị {i}", parent=root)
        p = person(u)
        services.registrations_create(
            actor=officer,
            movement_id=movement.pk,
            unit_id=u.pk,
            entries=[Entry("person", p.pk, codes[i % 2])],
        )
    client.force_login(officer)
    client.get(_url(movement))
    with django_assert_max_num_queries(12):
        response = client.get(_url(movement))
    assert len(response.context["rows"]) == n_units
    with django_assert_max_num_queries(12):
        response = client.get(_url(movement, export=True))
        b"".join(response.streaming_content)
