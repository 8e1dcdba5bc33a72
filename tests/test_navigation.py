"""The menu shows each role what it may open, and marks the page the user is on."""

import pytest

from tests.factories import make_user, person


def _menu(client, user, path="/"):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return {str(i["label"]): i["active"] for i in response.context["nav_items"]}


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("officer", {"Đơn vị", "Cán bộ", "Xét khen thưởng", "Nhập dữ liệu"}, {"Nhật ký"}),
        ("leader", {"Đơn vị", "Cán bộ", "Xét khen thưởng"}, {"Nhập dữ liệu", "Nhật ký"}),
        ("portal_editor", {"Quy định TĐKT"}, {"Đơn vị", "Cán bộ", "Xét khen thưởng", "Nhập dữ liệu"}),
    ],
)
def test_menu_follows_the_role(client, tree, role, shown, hidden):
    menu = _menu(client, make_user(f"u-{role}", role, tree["a"]))
    assert shown <= set(menu)
    assert not (hidden & set(menu))


def test_staff_sees_their_own_record_but_no_unit_pages(client, tree):
    user = make_user("nv", "staff", tree["a1"])
    person(tree["a1"], given_name="Nhân", user=user)
    menu = _menu(client, user)
    assert "Cán bộ" in menu
    assert not ({"Đơn vị", "Xét khen thưởng", "Nhập dữ liệu", "Nhật ký"} & set(menu))


def test_admin_sees_everything_and_the_deepest_matching_entry_is_active(client, tree):
    admin = make_user("quantri", "admin", tree["root"])
    menu = _menu(client, admin, f"/rulebook/candidates/?unit={tree['a'].pk}&year=2024")
    assert {"Tổng quan", "Đơn vị", "Cán bộ", "Xét khen thưởng", "Quy định TĐKT", "Nhật ký"} <= set(menu)
    assert [label for label, active in menu.items() if active] == ["Xét khen thưởng"]
