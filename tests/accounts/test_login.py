"""Login, the wrong-password message, logout and password change (the lockout: test_lockout.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tdkt.core.models import AuditEvent
from tests.factories import make_user

LOGIN = reverse("accounts:login")


@pytest.fixture
def officer(tree):
    return make_user("officer_a", "officer", tree["a"])


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_has_labelled_fields(client, db):
    body = client.get(LOGIN).content.decode()
    assert '<label class="form-label" for="id_username">Tên đăng nhập</label>' in body
    assert '<label class="form-label" for="id_password">Mật khẩu</label>' in body


def test_right_password_signs_in_and_lands_on_dashboard(client, officer):
    response = _login(client, "officer_a", "demo")
    assert response.status_code == 302 and response.url == reverse("core:dashboard")
    page = client.get(response.url).content.decode()
    assert "Tổng quan" in page and "officer_a" in page
    assert AuditEvent.objects.filter(event="user.login", actor=officer).exists()


def test_login_honours_next(client, officer):
    people = reverse("org:person_list")
    response = client.post(
        LOGIN + f"?next={people}", {"username": "officer_a", "password": "demo", "next": people}
    )
    assert response.url == people


def test_wrong_password_says_so_in_vietnamese(client, officer):
    response = _login(client, "officer_a", "sai")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in body
    assert 'value="officer_a"' in body  # the user name is kept
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_starts_the_count_again(client, officer):
    for _ in range(4):
        _login(client, "officer_a", "sai")
    assert _login(client, "officer_a", "demo").status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        fourth = _login(client, "officer_a", "sai")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in fourth.content.decode()
    assert _login(client, "officer_a", "demo").status_code == 302


def test_failures_for_one_user_name_do_not_lock_another(client, officer, tree):
    make_user("other", "officer", tree["b"])
    for _ in range(5):
        _login(client, "officer_a", "sai")
    assert _login(client, "other", "demo").status_code == 302


def test_logout_signs_out(client, officer):
    client.force_login(officer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == LOGIN
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_password_change_needs_the_old_password(client, officer):
    client.force_login(officer)
    url = reverse("accounts:password_change")
    bad = client.post(
        url, {"old_password": "sai", "new_password1": "Kh0ng-de-doan", "new_password2": "Kh0ng-de-doan"}
    )
    assert bad.status_code == 200
    assert "old_password" in bad.context["form"].errors
    good = client.post(
        url, {"old_password": "demo", "new_password1": "Kh0ng-de-doan", "new_password2": "Kh0ng-de-doan"}
    )
    assert good.status_code == 302
    assert "Đã đổi mật khẩu." in client.get(good.url).content.decode()
    client.logout()
    assert _login(client, "officer_a", "Kh0ng-de-doan").status_code == 302


def test_password_change_requires_login(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and LOGIN in response.url


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("123", "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
        ("12345678901", "Mật khẩu không được chỉ gồm chữ số."),
        ("password123", "Mật khẩu này quá phổ biến, dễ bị đoán."),
    ],
)
def test_a_weak_new_password_is_refused_in_vietnamese(client, officer, new, message):
    client.force_login(officer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "demo", "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "This password" not in response.content.decode()
