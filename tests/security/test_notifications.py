"""Hostile use of the notifications: someone else's, an address elsewhere, a forged request.

A notification's address is written by the apps, but opening it must never become an open redirect
(a link in a mail to /notifications/<id>/open/ that lands on a look-alike login page), whatever the
row holds; a user reads and marks only their own notifications, and an id of someone else's answers
exactly like an id that does not exist.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tdkt.core.mail import send_pending
from tdkt.core.models import Notification
from tests.factories import make_user

HOSTILE_URLS = [
    "https://evil.example/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    " //evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "evil.example/login",
]


@pytest.fixture
def an(tree):
    user = make_user("an", "staff", tree["a"])
    user.email = "an@example.gov.vn"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def cuong(tree):
    return make_user("cuong", "officer", tree["b"])


@pytest.fixture
def of_cuong(cuong):
    return Notification.objects.create(
        user=cuong,
        kind="dossier.returned",
        title="Hồ sơ khen thưởng của Vụ Beta bị trả lại",
        url="/dossiers/9/",
    )


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_an_address_elsewhere_is_never_followed(client, an, url):
    # written straight into the table, as a buggy app or a tampered row would
    row = Notification.objects.create(user=an, kind="k", title="Mời đăng nhập lại", url=url)
    client.force_login(an)

    response = client.get(reverse("core:notification_open", args=[row.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:notification_list")
    row.refresh_from_db()
    assert row.read_at is not None


def test_the_list_never_prints_the_stored_address(client, an):
    Notification.objects.create(user=an, kind="k", title="Mời đăng nhập lại", url="https://evil.example/")
    client.force_login(an)

    response = client.get(reverse("core:notification_list"))

    assert "evil.example" not in response.content.decode()


def test_another_users_id_reads_as_nonexistent_and_stays_unread(client, an, of_cuong):
    client.force_login(an)
    missing = client.get(reverse("core:notification_open", args=[of_cuong.pk + 1000]))

    response = client.get(reverse("core:notification_open", args=[of_cuong.pk]))

    assert response.status_code == missing.status_code == 404
    assert "Không tìm thấy trang hoặc bản ghi." in response.content.decode()
    assert of_cuong.title not in response.content.decode()
    of_cuong.refresh_from_db()
    assert of_cuong.read_at is None


def test_the_list_shows_no_one_elses_notifications(client, an, of_cuong):
    client.force_login(an)

    response = client.get(reverse("core:notification_list"))

    assert of_cuong.title not in response.content.decode()
    assert response.context["page"].paginator.count == 0


def test_mark_all_touches_only_ones_own(client, an, of_cuong):
    Notification.objects.create(user=an, kind="k", title="Của An")
    client.force_login(an)

    client.post(reverse("core:notification_read_all"))

    of_cuong.refresh_from_db()
    assert of_cuong.read_at is None
    assert not Notification.objects.filter(user=an, read_at__isnull=True).exists()


def test_mark_all_without_the_csrf_token_is_refused(an):
    Notification.objects.create(user=an, kind="k", title="Của An")
    client = Client(enforce_csrf_checks=True)
    client.force_login(an)

    response = client.post(reverse("core:notification_read_all"))

    assert response.status_code == 403
    assert Notification.objects.filter(user=an, read_at__isnull=True).count() == 1


def test_a_title_is_shown_as_text_not_markup(client, an):
    Notification.objects.create(
        user=an, kind="k", title="<script>alert(1)</script>", body="<img src=x onerror=1>"
    )
    client.force_login(an)

    body = client.get(reverse("core:notification_list")).content.decode()

    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "<img src=x" not in body


def test_a_mail_carries_no_link_to_an_address_elsewhere(settings, an, mailoutbox):
    settings.TDKT_EMAIL_ENABLED = True
    settings.TDKT_SITE_URL = "https://tdkt.example.gov.vn"
    Notification.objects.create(user=an, kind="k", title="Mời đăng nhập lại", url="//evil.example/login")

    assert send_pending() == 1

    assert "evil.example" not in mailoutbox[0].body


def test_a_header_injected_through_the_title_stays_in_the_subject(settings, an, mailoutbox):
    settings.TDKT_EMAIL_ENABLED = True
    Notification.objects.create(user=an, kind="k", title="Thông báo\r\nBcc: victim@evil.example")

    send_pending()

    (message,) = mailoutbox
    assert message.bcc == [] and message.recipients() == ["an@example.gov.vn"]
    assert "\n" not in message.subject
