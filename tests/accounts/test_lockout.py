"""Login lockout: five failures lock a user name at ONE client address only, the locked client is told how
long to wait, and the system admin can lift a lockout. Everything through the login form, as a browser
would send it, each client with its own address."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tdkt.core.models import AuditEvent
from tests.factories import make_user

A = "203.0.113.10"
B = "198.51.100.20"
PROXY = "10.0.0.2"
WRONG = "Mat-khau-doan-sai-7"


def _client(ip: str = A, **headers) -> Client:
    return Client(REMOTE_ADDR=ip, headers=headers)


def _login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _fail(client: Client, username: str = "admin", times: int = 5):
    for _ in range(times):
        response = _login(client, username, WRONG)
        assert response.status_code == 200
    return response


def _signed_in(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def _locked_message(minutes: int) -> str:
    return f"Bạn đã nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {minutes} phút."


def _age_attempts(**delta) -> None:
    """Move the recorded failures back in time, as if that much time had passed since."""
    from axes.models import AccessAttempt

    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= datetime.timedelta(**delta)
        attempt.save(update_fields=["attempt_time"])


def _attempt_rows() -> list[tuple]:
    from axes.models import AccessAttempt

    return sorted(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start"))


def _attempt_data() -> list[str]:
    from axes.models import AccessAttempt

    return [a.get_data + a.post_data for a in AccessAttempt.objects.all()]


@pytest.fixture
def quantri(tree):
    """A second system admin, who lifts lockouts."""
    return make_user("quantri", "admin", tree["root"])


def test_failures_from_one_client_never_lock_another(admin_user):
    _fail(_client(A))

    other = _client(B)
    response = _login(other, "admin", "demo")

    assert response.status_code == 302 and response.url == reverse("core:dashboard")
    assert _signed_in(other) == str(admin_user.pk)


def test_locked_client_is_refused_the_right_password_and_told_the_minutes_left(admin_user):
    client = _client(A)
    fifth = _fail(client)
    assert _locked_message(15) in fifth.content.decode()

    _age_attempts(minutes=10, seconds=30)
    response = _login(client, "admin", "demo")

    body = response.content.decode()
    assert response.status_code == 200
    assert _locked_message(5) in body  # 4½ minutes left, rounded up
    assert 'id="id_password"' in body  # the login page itself, not axes' page
    assert "Account locked" not in body and "too many" not in body
    assert _signed_in(client) is None


def test_locked_client_gets_in_once_the_cool_off_has_passed(admin_user):
    client = _client(A)
    _fail(client)

    _age_attempts(minutes=14, seconds=30)
    refused = _login(client, "admin", "demo")
    assert _locked_message(1) in refused.content.decode()
    assert _signed_in(client) is None

    _age_attempts(minutes=1)
    response = _login(client, "admin", "demo")
    assert response.status_code == 302
    assert _signed_in(client) == str(admin_user.pk)


def test_failures_of_a_name_in_capitals_never_lock_the_lower_case_account(admin_user):
    client = _client(A)
    fifth = _fail(client, " ADMIN ")
    assert _locked_message(15) in fifth.content.decode()  # "ADMIN" itself is locked at A

    response = _login(client, "admin", "demo")

    assert response.status_code == 302
    assert _signed_in(client) == str(admin_user.pk)


def test_surrounding_spaces_are_a_typo_for_counting_and_for_signing_in(admin_user):
    locked = _client(A)
    _fail(locked, " admin ")
    refused = _login(locked, "admin", "demo")
    assert _locked_message(15) in refused.content.decode()
    assert _signed_in(locked) is None

    other = _client(B)
    response = _login(other, "  admin ", "demo")
    assert response.status_code == 302
    assert _signed_in(other) == str(admin_user.pk)


def test_the_lockout_is_written_to_the_audit_trail_once_and_without_the_password(admin_user):
    client = _client(A)
    _fail(client)
    _login(client, "admin", WRONG)  # refused while locked: not a second lockout

    events = list(AuditEvent.objects.filter(event="user.locked"))
    assert len(events) == 1
    assert events[0].changes == {"user": "admin", "ip": A, "failures": 5}
    assert events[0].object_id == str(admin_user.pk)
    stored = json.dumps(list(AuditEvent.objects.values()), default=str) + json.dumps(_attempt_data())
    assert WRONG not in stored


def test_a_guessed_name_that_does_not_exist_is_locked_and_logged_the_same_way(db):
    client = _client(A)
    fifth = _fail(client, "khongco")

    assert _locked_message(15) in fifth.content.decode()  # no hint that the name does not exist
    event = AuditEvent.objects.get(event="user.locked")
    assert event.object_repr == "khongco" and event.changes["ip"] == A


def test_behind_a_proxy_clients_are_told_apart_by_the_forwarded_address(admin_user, settings):
    settings.TDKT_PROXY_COUNT = 1
    # the proxy appends the address it saw; whatever the client put before it is not trusted
    for n in range(5):
        _login(_client(PROXY, X_Forwarded_For=f"192.0.2.{n}, {A}"), "admin", WRONG)

    refused = _login(_client(PROXY, X_Forwarded_For=f"192.0.2.99, {A}"), "admin", "demo")
    assert _locked_message(15) in refused.content.decode()
    other = _client(PROXY, X_Forwarded_For=B)
    assert _login(other, "admin", "demo").status_code == 302
    assert AuditEvent.objects.get(event="user.locked").changes["ip"] == A


def test_without_a_proxy_a_forged_forwarded_address_does_not_escape_the_lockout(admin_user, settings):
    settings.TDKT_PROXY_COUNT = 0
    for n in range(5):
        _login(_client(A, X_Forwarded_For=f"192.0.2.{n}"), "admin", WRONG)

    refused = _login(_client(A, X_Forwarded_For="192.0.2.200"), "admin", "demo")
    assert _locked_message(15) in refused.content.decode()
    assert _login(_client(B), "admin", "demo").status_code == 302


def test_admin_sees_the_lockout_and_unlocking_lets_the_client_in(admin_user, quantri):
    locked = _client(A)
    _fail(locked)
    admin = Client()
    admin.force_login(quantri)

    page = admin.get(reverse("accounts:lockout_list"))
    assert page.status_code == 200
    (lockout,) = page.context["lockouts"]
    assert (lockout.username, lockout.ip, lockout.failures, lockout.remaining_minutes()) == (
        "admin",
        A,
        5,
        15,
    )
    body = page.content.decode()
    assert f'<input type="hidden" name="ip" value="{A}">' in body
    assert 'action="/accounts/lockouts/unlock/"' in body and "Mở khoá" in body

    response = admin.post(reverse("accounts:lockout_unlock"), {"username": "admin", "ip": A})

    assert response.status_code == 302 and response.url == reverse("accounts:lockout_list")
    after = admin.get(response.url)
    assert "Đã mở khoá tài khoản admin tại địa chỉ 203.0.113.10." in after.content.decode()
    assert after.context["lockouts"] == []
    event = AuditEvent.objects.get(event="user.unlock")
    assert event.actor == quantri and event.changes == {"user": "admin", "ip": A, "failures": 5}
    assert _login(locked, "admin", "demo").status_code == 302


def test_unlocking_a_lockout_that_is_over_says_so_and_logs_nothing(admin_user, quantri):
    _fail(_client(A))
    _age_attempts(minutes=16)
    admin = Client()
    admin.force_login(quantri)

    response = admin.post(reverse("accounts:lockout_unlock"), {"username": "admin", "ip": A}, follow=True)

    assert "hiện không bị khoá" in response.content.decode()
    assert not AuditEvent.objects.filter(event="user.unlock").exists()


@pytest.mark.parametrize("role", ["specialist", "officer", "unit_head", "staff", None])
def test_only_the_system_admin_may_see_or_lift_lockouts(admin_user, tree, role):
    locked = _client(A)
    _fail(locked)
    before = (_attempt_rows(), AuditEvent.objects.count())
    other = Client()
    other.force_login(make_user("khac", role, tree["a"]))

    assert other.get(reverse("accounts:lockout_list")).status_code == 403
    assert other.post(reverse("accounts:lockout_unlock"), {"username": "admin", "ip": A}).status_code == 403

    assert (_attempt_rows(), AuditEvent.objects.count()) == before
    assert _locked_message(15) in _login(locked, "admin", "demo").content.decode()


def test_anonymous_visitors_are_sent_to_log_in_from_the_lockout_pages(admin_user):
    _fail(_client(A))
    before = _attempt_rows()
    visitor = _client(B)
    login = reverse("accounts:login")

    for response in (
        visitor.get(reverse("accounts:lockout_list")),
        visitor.post(reverse("accounts:lockout_unlock"), {"username": "admin", "ip": A}),
    ):
        assert response.status_code == 302 and response.url.startswith(login + "?next=")
    assert _attempt_rows() == before


def test_the_admin_menu_links_the_lockouts_page_for_admins_only(quantri, officer_a):
    url = reverse("accounts:lockout_list")
    admin = Client()
    admin.force_login(quantri)
    officer = Client()
    officer.force_login(officer_a)

    assert f'href="{url}"' in admin.get(reverse("core:dashboard")).content.decode()
    assert f'href="{url}"' not in officer.get(reverse("core:dashboard")).content.decode()


def test_the_lockouts_page_costs_the_same_queries_for_1_and_20_rows(quantri):
    admin = Client()
    admin.force_login(quantri)

    def queries_for(rows: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = admin.get(reverse("accounts:lockout_list"))
        assert len(response.context["lockouts"]) == rows
        return len(queries)

    _fail(_client("192.0.2.1"), "user0")
    one = queries_for(1)
    for n in range(1, 20):
        _fail(_client(f"192.0.2.{n + 1}"), f"user{n}")
    assert queries_for(20) == one
