"""The menu's role part is kept per process under what it depends on (administrator, roles held today,
a personnel record): a role granted, withdrawn or expired shows at the next request, one user's menu is
never another's, and the labels follow the language of each request."""

import datetime

from django.conf import settings
from django.utils import timezone

from tdkt.accounts.models import RoleAssignment
from tests.factories import make_user, person


def _labels(client, user, path="/", language=None):
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    labels = set()
    for item in response.context["nav_items"]:
        labels.add(str(item["label"]))
        labels.update(str(c["label"]) for c in item.get("children", ()))
    return labels


def test_a_role_granted_then_withdrawn_shows_at_the_next_request(client, tree):
    user = make_user("nv-cache", "staff", tree["a1"])
    assert "Đơn vị" not in _labels(client, user)

    grant = RoleAssignment.objects.create(user=user, role="officer", unit=tree["a"], include_subtree=True)
    assert {"Đơn vị", "Ứng viên", "Nhập dữ liệu"} <= _labels(client, user)

    grant.delete()
    assert not ({"Đơn vị", "Ứng viên", "Nhập dữ liệu"} & _labels(client, user))


def test_a_role_that_has_ended_leaves_the_menu(client, tree):
    user = make_user("nv-ended", None, None)
    grant = RoleAssignment.objects.create(user=user, role="officer", unit=tree["a"], include_subtree=True)
    assert "Đơn vị" in _labels(client, user)

    grant.valid_to = timezone.localdate() - datetime.timedelta(days=1)
    grant.save()
    assert "Đơn vị" not in _labels(client, user)


def test_one_users_menu_is_never_served_to_another(client, tree):
    admin = make_user("qt-cache", "admin", tree["root"])
    staff = make_user("nv-other", "staff", tree["a1"])
    officer = make_user("cb-other", "officer", tree["a"])

    assert {"Nhật ký", "Quản trị"} <= _labels(client, admin)
    assert not ({"Nhật ký", "Quản trị", "Đơn vị"} & _labels(client, staff))
    assert "Đơn vị" in _labels(client, officer) and "Nhật ký" not in _labels(client, officer)
    # the same role with and without a personnel record: only the one with it has their own nominations
    person(tree["a1"], given_name="Nhân", user=staff)
    staff_without = make_user("nv-none", "staff", tree["a1"])
    assert "Đề nghị khen thưởng của tôi" in _labels(client, staff)
    assert "Đề nghị khen thưởng của tôi" not in _labels(client, staff_without)


def test_the_labels_follow_the_language_of_each_request(client, tree):
    user = make_user("cb-lang", "officer", tree["a"])
    assert {"Tổng quan", "Đơn vị"} <= _labels(client, user)
    english = _labels(client, user, language="en")
    assert {"Overview", "Unit"} <= english and "Tổng quan" not in english
    assert "Tổng quan" in _labels(client, user, language="vi")


def _menu_html(client, user, path="/", language=None):
    """The menu as drawn in the page (its markup is kept per menu and language)."""
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(path).content.decode()
    return page[page.index('<ul class="navbar-nav">') : page.index("</nav>")]


def test_the_drawn_menu_follows_the_page_the_roles_and_the_language(client, tree):
    officer = make_user("nv-html-officer", "officer", tree["a"])
    staff = make_user("nv-html-staff", "staff", tree["a1"])
    on_people = _menu_html(client, officer, "/org/people/")
    on_home = _menu_html(client, officer, "/")
    assert 'aria-current="page" href="/org/people/"' in on_people
    assert 'aria-current="page" href="/org/people/"' not in on_home
    assert _menu_html(client, officer, "/org/people/") == on_people  # drawn again from the kept markup
    staff_menu = _menu_html(client, staff, "/")
    assert 'href="/org/people/"' in on_home and 'href="/org/people/"' not in staff_menu
    english = _menu_html(client, officer, "/org/people/", language="en")
    assert english != on_people and "Đơn vị<" in on_people and "Đơn vị<" not in english
