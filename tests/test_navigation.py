"""The menu shows each role what it may open, groups the year's work and the administration in
dropdowns, hides a group with nothing in it, and marks the page the user is on and its group."""

import pytest

from tests.factories import make_user, person


def _nav(client, user, path="/"):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return list(response.context["nav_items"])


def _menu(client, user, path="/"):
    """{label: active} of every top-level entry, group and entry inside a group."""
    menu = {}
    for item in _nav(client, user, path):
        menu[str(item["label"])] = item["active"]
        for child in item.get("children", ()):
            menu[str(child["label"])] = child["active"]
    return menu


def _groups(client, user, path="/"):
    """{group label: [entry labels]}"""
    return {
        str(i["label"]): [str(c["label"]) for c in i["children"]]
        for i in _nav(client, user, path)
        if i.get("children")
    }


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            "officer",
            {"Đơn vị", "Cán bộ", "Phong trào", "Ứng viên", "Đợt bình xét", "Hội đồng TĐKT", "Nhập dữ liệu"},
            {"Nhật ký", "Khoá đăng nhập", "Xác minh số định danh", "Cài đặt quy định"},
        ),
        (
            "leader",
            {"Đơn vị", "Cán bộ", "Ứng viên", "Quyết định"},
            {"Nhập dữ liệu", "Nhật ký", "Quản trị", "Xác minh số định danh"},
        ),
        (
            "specialist",
            {"Bình xét", "Quản trị", "Nhập dữ liệu", "Xác minh số định danh"},
            {"Nhật ký", "Khoá đăng nhập", "Cài đặt quy định"},
        ),
        (
            "portal_editor",
            {"Quy định TĐKT"},
            {"Đơn vị", "Cán bộ", "Bình xét", "Ứng viên", "Quản trị", "Nhập dữ liệu", "Phiếu bầu của tôi"},
        ),
    ],
)
def test_menu_follows_the_role(client, tree, role, shown, hidden):
    menu = _menu(client, make_user(f"u-{role}", role, tree["a"]))
    assert shown <= set(menu)
    assert not (hidden & set(menu))


def test_staff_sees_their_own_record_but_no_unit_pages_and_no_empty_groups(client, tree):
    user = make_user("nv", "staff", tree["a1"])
    person(tree["a1"], given_name="Nhân", user=user)
    menu = _menu(client, user)
    assert "Cán bộ" in menu
    assert not ({"Đơn vị", "Ứng viên", "Đợt bình xét", "Nhập dữ liệu", "Nhật ký"} & set(menu))
    # of the year's work, only their own nominations; nothing of the administration, so no such group
    assert _groups(client, user) == {"Thi đua": ["Phong trào"], "Bình xét": ["Đề nghị khen thưởng của tôi"]}


def test_a_user_with_no_personnel_record_gets_no_entry_of_their_own_nominations(client, tree):
    user = make_user("nv2", "staff", tree["a1"])
    menu = _menu(client, user)
    assert "Đề nghị khen thưởng của tôi" not in menu and "Bình xét" not in menu


def test_admin_sees_everything_and_the_deepest_matching_entry_and_its_group_are_active(client, tree):
    admin = make_user("quantri", "admin", tree["root"])
    menu = _menu(client, admin, f"/rulebook/candidates/?unit={tree['a'].pk}&year=2024")
    assert {"Tổng quan", "Đơn vị", "Cán bộ", "Ứng viên", "Quy định TĐKT", "Nhật ký", "Quản trị"} <= set(menu)
    assert [label for label, active in menu.items() if active] == ["Bình xét", "Ứng viên"]


def test_the_groups_hold_the_year_and_the_administration_in_order(client, tree):
    admin = make_user("quantri", "admin", tree["root"])
    groups = _groups(client, admin)
    assert groups["Bình xét"] == [
        "Ứng viên",
        "Đợt bình xét",
        "Hội đồng TĐKT",
        "Phiếu bầu của tôi",
        "Hồ sơ đề nghị",
        "Đề nghị khen thưởng của tôi",
        "Quyết định",
        "Sổ khen thưởng",
    ]
    assert groups["Quản trị"] == [
        "Nhập dữ liệu",
        "Nhập sổ khen thưởng cũ",
        "Tác vụ nền",
        "Xác minh số định danh",
        "Sắp xếp lại đơn vị",
        "Nhật ký",
        "Khoá đăng nhập",
        "Cài đặt quy định",
        "Mẫu in bằng khen, giấy khen",
        "Lịch làm việc",
    ]
    top = [str(i["label"]) for i in _nav(client, admin)]
    assert top == [
        "Tổng quan",
        "Đơn vị",
        "Cán bộ",
        "Thi đua",
        "Bình xét",
        "Thống kê",
        "Quy định TĐKT",
        "Quản trị",
    ]


def test_a_settings_page_marks_the_administration_group_not_the_rulebook(client, tree):
    admin = make_user("quantri", "admin", tree["root"])
    menu = _menu(client, admin, "/rulebook/settings/")
    assert [label for label, active in menu.items() if active] == ["Quản trị", "Cài đặt quy định"]


def test_a_council_member_without_a_role_sees_their_council_and_ballots_in_the_group(client, tree):
    from tests.councils.conftest import build_council

    officer = make_user("officer_a", "officer", tree["a"])
    world = build_council(tree["a"], officer=officer, secretary=False)
    member = world.user(world.members[3])

    groups = _groups(client, member)

    # they read their council (a member's right) and vote; nothing else of the year is theirs
    assert groups == {
        "Thi đua": ["Phong trào"],
        "Bình xét": ["Hội đồng TĐKT", "Phiếu bầu của tôi", "Đề nghị khen thưởng của tôi"],
    }


def test_a_user_who_sits_on_no_council_and_holds_no_council_role_gets_no_ballot_entry(client, tree):
    user = make_user("thanhtra", "inspector", tree["a"])
    menu = _menu(client, user)
    assert "Phiếu bầu của tôi" not in menu
    assert "Ứng viên" in menu  # the group is there for what the inspector may open


def test_the_header_draws_groups_as_keyboard_dropdowns_with_the_active_one_marked(client, tree):
    admin = make_user("quantri", "admin", tree["root"])
    client.force_login(admin)
    page = client.get("/reviews/").content.decode()
    assert 'id="nav-review" data-bs-toggle="dropdown" aria-expanded="false" aria-current="true"' in page
    assert 'aria-labelledby="nav-review"' in page
    assert 'class="dropdown-item active" aria-current="page" href="/reviews/"' in page
    # the admin group is closed and not current on this page
    assert 'id="nav-admin" data-bs-toggle="dropdown" aria-expanded="false">' in page


def test_the_font_size_buttons_carry_their_visible_text_in_their_names(client, tree):
    admin = make_user("quantri", "admin", tree["root"])
    client.force_login(admin)
    page = client.get("/").content.decode()
    header = page.split("</header>")[0]
    # visible "A+", name "A+ Tăng cỡ chữ" (WCAG 2.5.3): the words are hidden text inside, no aria-label
    assert 'title="Tăng cỡ chữ">A+<span class="visually-hidden"> Tăng cỡ chữ</span></button>' in header
    assert 'title="Giảm cỡ chữ">A−<span class="visually-hidden"> Giảm cỡ chữ</span></button>' in header
    assert 'aria-label="Giảm cỡ chữ"' not in header and 'aria-label="Tăng cỡ chữ"' not in header


def test_the_menu_of_a_council_member_costs_no_query_beyond_the_assignments_and_the_person(
    tree, rf, django_assert_max_num_queries
):
    from tdkt.accounts.models import User
    from tdkt.navigation import navigation
    from tests.councils.conftest import build_council

    officer = make_user("officer_a", "officer", tree["a"])
    world = build_council(tree["a"], officer=officer, secretary=False)
    request = rf.get("/councils/ballots/mine/")
    request.user = User.objects.get(pk=world.user(world.members[0]).pk)

    # the user's person, read with whether it sits on a council, and the role assignments (both kept
    # on the user for every permission check of the request): nothing more, though two entries
    # depend on the membership
    with django_assert_max_num_queries(2):
        context = navigation(request)
        menu = list(context["nav_items"])

    assert context["own_person"].pk == world.members[0].person_id
    review = next(i for i in menu if str(i["label"]) == "Bình xét")
    assert review["active"] and [c["active"] for c in review["children"]] == [False, True, False]


def test_the_signed_in_user_is_read_with_their_person_and_council_seat_in_one_query(
    client, tree, django_assert_max_num_queries
):
    from django.contrib.auth import get_user

    from tdkt.accounts.models import User
    from tdkt.navigation import _council_member, _person
    from tests.councils.conftest import build_council

    officer = make_user("officer_a", "officer", tree["a"])
    world = build_council(tree["a"], officer=officer, secretary=False)
    member = world.user(world.members[0])
    cases = [(member, world.members[0].person_id, True), (officer, None, False)]
    for user, person_id, sits in cases:
        client.force_login(user)
        request = type("Request", (), {"session": client.session})()
        assert request.session.get("_auth_user_id")  # the session read here, apart
        with django_assert_max_num_queries(1):
            read = get_user(request)
            assert read.pk == user.pk
            assert (_person(read).pk if person_id else _person(read)) == person_id
            assert _council_member(read) is sits
    # a user switched off since signing in is signed out at the next request
    client.force_login(member)
    assert client.get("/").status_code == 200
    User.objects.filter(pk=member.pk).update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.skipif(__import__("django.db").db.connection.vendor != "sqlite", reason="SQLite's planner")
def test_the_signed_in_users_person_is_found_by_index_when_most_people_have_no_account(tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tdkt.navigation import UserBackend

    officer = make_user("officer_a", "officer", tree["a"])
    mine = person(tree["a"], user=officer)
    for _ in range(60):
        person(tree["a"])  # no account: user_id NULL, as for most people
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # the statistics ANALYZE writes at 100,000 people, none with an account: the unique user_id
        # index holds one value (NULL) for every row; read back by the planner
        cursor.execute(
            "UPDATE sqlite_stat1 SET stat = '100000 100000' WHERE idx = 'sqlite_autoindex_org_person_2'"
        )
        cursor.execute("UPDATE sqlite_stat1 SET stat = '2 1' WHERE tbl = 'accounts_user'")
        cursor.execute("ANALYZE sqlite_schema")
    with CaptureQueriesContext(connection) as ctx:
        read = UserBackend().get_user(officer.pk)
    assert read.person == mine
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + ctx.captured_queries[0]["sql"])
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SCAN org_person" not in plan and "org_person USING INDEX" in plan, plan
