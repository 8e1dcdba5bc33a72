"""The one notification service: the bell, the notifications page, and the e-mails the worker sends."""

from __future__ import annotations

import datetime
import logging
import smtplib

import lxml.html
import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tdkt.core.env import email_settings
from tdkt.core.mail import send_pending
from tdkt.core.models import Notification
from tdkt.core.notifications import notify, remind_before
from tests.factories import make_user

SITE = "https://tdkt.example.gov.vn"
# session, user, the menu (roles, own record), the count and the page of notifications, the bell
PAGE_QUERIES = 7
State = Notification.EmailState


class DownServer(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingServer(BaseEmailBackend):
    """A server that refuses one address for good and takes the others (kept in mail.outbox)."""

    def send_messages(self, email_messages):
        for m in email_messages:
            if "refused@" in m.to[0]:
                raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"no such user")})
            mail.outbox.append(m)
        return len(email_messages)


@pytest.fixture
def mail_on(settings):
    settings.TDKT_EMAIL_ENABLED = True
    settings.TDKT_SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


@pytest.fixture
def an(tree):
    user = make_user("an", "staff", tree["a"])
    user.email = "an@example.gov.vn"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def binh(tree):
    user = make_user("binh", "staff", tree["a1"])
    user.email = "binh@example.gov.vn"
    user.save(update_fields=["email"])
    return user


def _bell(response):
    doc = lxml.html.fromstring(response.content.decode())
    (bell,) = doc.xpath("//a[contains(@class, 'notification-bell')]")
    return bell


def _titles(response) -> list[str]:
    doc = lxml.html.fromstring(response.content.decode())
    return [a.text_content().strip() for a in doc.xpath("//ul[contains(@class, 'notification-list')]//a")]


def _rows(user, n: int, *, read: int = 0) -> list[Notification]:
    now = timezone.now()
    rows = [
        Notification(
            user=user,
            kind="test",
            title=f"Việc số {i:02d}",
            url=f"/movements/{i}/",
            read_at=now if i < read else None,
            email_state=State.SKIPPED,
        )
        for i in range(n)
    ]
    created = Notification.objects.bulk_create(rows)
    # distinct times, oldest first: "Việc số 00" is the oldest
    for i, row in enumerate(created):
        Notification.objects.filter(pk=row.pk).update(created_at=now - datetime.timedelta(minutes=n - i))
    return created


# --------------------------------------------------------------------------------- the bell


def test_bell_shows_the_unread_count_and_its_name_contains_the_visible_number(client, an):
    _rows(an, 4, read=1)
    client.force_login(an)

    bell = _bell(client.get(reverse("accounts:password_change")))

    visible = bell.text_content().strip()
    assert visible == "3"
    assert bell.get("aria-label") == "Thông báo, 3 chưa đọc"
    assert visible in bell.get("aria-label")  # WCAG 2.5.3: the visible text is part of the name
    assert bell.get("href") == reverse("core:notification_list")


def test_bell_without_unread_shows_no_number(client, an):
    _rows(an, 2, read=2)
    client.force_login(an)

    bell = _bell(client.get(reverse("accounts:password_change")))

    assert bell.text_content().strip() == ""
    assert bell.get("aria-label") == "Thông báo"


def test_bell_caps_the_number_it_shows(client, an):
    _rows(an, 105)
    client.force_login(an)

    bell = _bell(client.get(reverse("accounts:password_change")))

    assert bell.text_content().strip() == "99+"
    assert bell.get("aria-label") == "Thông báo, 99+ chưa đọc"


def test_bell_costs_one_query_per_page(client, an):
    _rows(an, 3)
    client.force_login(an)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:password_change"))

    assert len([q for q in queries if "core_notification" in q["sql"]]) == 1


def test_anonymous_pages_have_no_bell(client):
    response = client.get(reverse("accounts:login"))

    assert b"notification-bell" not in response.content


# --------------------------------------------------------------------------------- the page


def test_page_lists_the_users_own_notifications_newest_first(client, an, binh):
    _rows(an, 3)
    Notification.objects.create(user=binh, kind="test", title="Việc của Bình")
    client.force_login(an)

    response = client.get(reverse("core:notification_list"))

    assert _titles(response) == ["Việc số 02", "Việc số 01", "Việc số 00"]
    assert "Việc của Bình" not in response.content.decode()


def test_unread_notifications_are_highlighted_and_say_so(client, an):
    _rows(an, 3, read=1)
    client.force_login(an)

    doc = lxml.html.fromstring(client.get(reverse("core:notification_list")).content.decode())

    unread = doc.xpath("//li[contains(@class, 'notification-unread')]")
    assert [li.xpath(".//a")[0].text_content().strip() for li in unread] == ["Việc số 02", "Việc số 01"]
    assert all("Chưa đọc" in li.text_content() for li in unread)
    assert "3 thông báo, 2 chưa đọc" in doc.text_content()


def test_page_is_paginated(client, an):
    _rows(an, 30)
    client.force_login(an)

    first = client.get(reverse("core:notification_list"))
    second = client.get(reverse("core:notification_list") + "?page=2")

    assert len(_titles(first)) == 25 and _titles(first)[0] == "Việc số 29"
    assert _titles(second) == [f"Việc số {i:02d}" for i in range(4, -1, -1)]


@pytest.mark.parametrize("count", [1, 20])
def test_page_stays_under_its_query_budget(client, an, count, django_assert_max_num_queries):
    _rows(an, count)
    client.force_login(an)

    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(reverse("core:notification_list"))

    assert len(_titles(response)) == count


def test_query_count_does_not_grow_with_the_rows(client, an, binh):
    _rows(an, 1)
    _rows(binh, 20)
    counts = {}
    for user in (an, binh):
        client.force_login(user)
        client.get(reverse("core:notification_list"))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("core:notification_list"))
        counts[user.username] = len(queries)

    assert counts["an"] == counts["binh"]


def test_opening_marks_read_and_goes_to_the_notifications_page(client, an):
    (row,) = _rows(an, 1)
    client.force_login(an)

    response = client.get(reverse("core:notification_open", args=[row.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/movements/0/"
    row.refresh_from_db()
    assert row.read_at is not None
    assert _bell(client.get(reverse("core:notification_list"))).text_content().strip() == ""


def test_opening_one_without_address_returns_to_the_list(client, an):
    row = Notification.objects.create(user=an, kind="test", title="Không có đường dẫn")
    client.force_login(an)

    response = client.get(reverse("core:notification_open", args=[row.pk]))

    assert response["Location"] == reverse("core:notification_list")


def test_opening_twice_keeps_the_first_reading_time(client, an):
    (row,) = _rows(an, 1)
    client.force_login(an)
    client.get(reverse("core:notification_open", args=[row.pk]))
    first = Notification.objects.get(pk=row.pk).read_at

    client.get(reverse("core:notification_open", args=[row.pk]))

    assert Notification.objects.get(pk=row.pk).read_at == first


def test_mark_all_read(client, an, binh):
    _rows(an, 3)
    _rows(binh, 2)
    client.force_login(an)

    response = client.post(reverse("core:notification_read_all"), follow=True)

    assert response.redirect_chain == [(reverse("core:notification_list"), 302)]
    assert "Đã đánh dấu tất cả thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(user=an, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=binh, read_at__isnull=True).count() == 2
    assert b"notification-unread" not in response.content


def test_mark_all_read_is_a_post(client, an):
    _rows(an, 1)
    client.force_login(an)

    response = client.get(reverse("core:notification_read_all"))

    assert response.status_code == 405
    assert Notification.objects.filter(user=an, read_at__isnull=True).count() == 1


def test_the_button_shows_only_with_something_unread(client, an):
    _rows(an, 1, read=1)
    client.force_login(an)

    response = client.get(reverse("core:notification_list"))

    assert "Đánh dấu tất cả đã đọc" not in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("core:notification_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --------------------------------------------------------------------------------- notify


def test_notify_writes_one_per_active_user_and_nothing_for_the_inactive(an, binh):
    binh.is_active = False
    binh.save(update_fields=["is_active"])

    rows = notify(users=[an, binh, an, None], kind="movement.launched", title="Phát động phong trào")

    assert [r.user_id for r in rows] == [an.pk]
    assert Notification.objects.get().title == "Phát động phong trào"


def test_notify_with_a_dedupe_key_writes_once_per_user(an, binh):
    notify(users=[an], kind="k", title="Sắp hết hạn", dedupe_key="ballot:1:closing")

    again = notify(users=[an, binh], kind="k", title="Sắp hết hạn", dedupe_key="ballot:1:closing")

    assert [r.user_id for r in again] == [binh.pk]
    assert Notification.objects.filter(user=an).count() == 1


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example", "movements/1/", "/\\evil.example"]
)
def test_notify_refuses_an_address_outside_the_site(an, url):
    with pytest.raises(ValueError):
        notify(users=[an], kind="k", title="T", url=url)

    assert not Notification.objects.exists()


def test_notify_keeps_the_title_on_one_line(an):
    (row,) = notify(users=[an], kind="k", title="Hồ sơ\r\nbị trả lại")

    assert row.title == "Hồ sơ bị trả lại"


# --------------------------------------------------------------------------------- e-mail


def test_the_task_mails_subject_link_and_body_once(
    mail_on, an, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[an],
            kind="dossier.returned",
            title="Hồ sơ bị trả lại",
            url="/dossiers/7/",
            body="Thiếu biên bản họp Hội đồng.",
        )

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Hồ sơ bị trả lại"
    assert message.to == ["an@example.gov.vn"]
    assert "Thiếu biên bản họp Hội đồng." in message.body
    assert f"{SITE}/dossiers/7/" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    row = Notification.objects.get()
    assert row.email_state == State.SENT and row.emailed_at is not None

    assert send_pending() == 0
    assert len(mailoutbox) == 1


def test_mail_goes_after_the_commit_not_before(mail_on, an, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(users=[an], kind="k", title="Thông báo")

    assert mailoutbox == []  # nothing sent inside the transaction (a request)
    assert len(callbacks) == 1


def test_e_mail_off_sends_nothing_and_keeps_the_notification(
    settings, an, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TDKT_EMAIL_ENABLED = False

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(users=[an], kind="k", title="Thông báo")

    assert callbacks == []  # no task enqueued at all
    assert mailoutbox == []
    assert Notification.objects.get().email_state == State.SKIPPED
    # turning e-mail on later does not mail the old news
    settings.TDKT_EMAIL_ENABLED = True
    assert send_pending() == 0


def test_a_user_without_address_is_marked_and_not_rescanned(
    mail_on, an, binh, mailoutbox, django_capture_on_commit_callbacks
):
    binh.email = ""
    binh.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[an, binh], kind="k", title="Thông báo")
    # an address removed after the notification was written
    notify(users=[an], kind="k", title="Thông báo khác")
    an.email = ""
    an.save(update_fields=["email"])

    assert send_pending() == 0

    assert Notification.objects.get(user=binh).email_state == State.SKIPPED
    assert Notification.objects.get(title="Thông báo khác").email_state == State.SKIPPED
    assert not Notification.objects.filter(email_state__in=[State.PENDING, State.SENDING]).exists()
    assert [m.to for m in mailoutbox] == [["an@example.gov.vn"]]


def test_a_failing_mail_server_leaves_them_pending_and_logs_one_line(
    mail_on, an, binh, caplog, django_capture_on_commit_callbacks
):
    mail_on.EMAIL_BACKEND = "tests.core.test_notifications.DownServer"

    with caplog.at_level(logging.WARNING, logger="tdkt.core.mail"):
        with django_capture_on_commit_callbacks(execute=True):
            notify(users=[an, binh], kind="k", title="Hồ sơ bị trả lại", body="Nội dung riêng tư")

    assert set(Notification.objects.values_list("email_state", flat=True)) == {State.PENDING}
    records = [r for r in caplog.records if r.name == "tdkt.core.mail"]
    assert len(records) == 1
    assert "ConnectionRefusedError" in records[0].getMessage()

    # the server is back: the next run (the periodic job) sends them, oldest first
    mail_on.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_pending() == 2
    assert set(Notification.objects.values_list("email_state", flat=True)) == {State.SENT}


def test_the_log_line_of_a_failure_names_no_one(mail_on, an, caplog):
    mail_on.EMAIL_BACKEND = "tests.core.test_notifications.DownServer"
    notify(users=[an], kind="k", title="Khen thưởng Nguyễn Văn An", body="Nội dung")

    with caplog.at_level(logging.WARNING, logger="tdkt.core.mail"):
        send_pending()

    (record,) = [r for r in caplog.records if r.name == "tdkt.core.mail"]
    line = record.getMessage()
    assert "@" not in line and "Nguyễn" not in line and "Nội dung" not in line


def test_an_address_refused_for_good_does_not_hold_the_queue(mail_on, an, binh, mailoutbox):
    mail_on.EMAIL_BACKEND = "tests.core.test_notifications.RefusingServer"
    an.email = "refused@example.gov.vn"
    an.save(update_fields=["email"])
    notify(users=[an], kind="k", title="Cũ nhất")
    notify(users=[binh], kind="k", title="Sau")

    assert send_pending() == 1

    assert Notification.objects.get(user=an).email_state == State.SKIPPED
    assert Notification.objects.get(user=binh).email_state == State.SENT
    assert [m.subject for m in mailoutbox] == ["Sau"]


def test_sends_oldest_first_in_batches(mail_on, an, mailoutbox):
    for i in range(5):
        notify(users=[an], kind="k", title=f"Thông báo {i}")

    assert send_pending(batch=2) == 5

    assert [m.subject for m in mailoutbox] == [f"Thông báo {i}" for i in range(5)]


def test_a_row_another_worker_is_sending_is_not_mailed_twice(mail_on, an, mailoutbox):
    (row,) = notify(users=[an], kind="k", title="Đang được gửi")
    Notification.objects.filter(user=an).update(
        email_state=State.SENDING, email_claim="x" * 32, email_claimed_at=timezone.now()
    )

    assert send_pending() == 0
    assert mailoutbox == []


def test_a_claim_left_by_a_dead_worker_is_taken_back(mail_on, an, mailoutbox):
    notify(users=[an], kind="k", title="Bị bỏ dở")
    Notification.objects.filter(user=an).update(
        email_state=State.SENDING,
        email_claim="x" * 32,
        email_claimed_at=timezone.now() - datetime.timedelta(hours=1),
    )

    assert send_pending() == 1
    assert [m.subject for m in mailoutbox] == ["Bị bỏ dở"]


def test_dedupe_key_mails_once(mail_on, an, mailoutbox, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            notify(users=[an], kind="k", title="Phiếu sắp đóng", dedupe_key="ballot:5:closing")

    assert len(mailoutbox) == 1


# --------------------------------------------------------------------------------- reminders


def test_remind_before_sends_once_inside_the_window(mail_on, an, mailoutbox):
    due = timezone.now() + datetime.timedelta(days=2)
    args = dict(
        users=[an], kind="ballot.closing", title="Phiếu bầu sắp đóng", url="/councils/ballots/5/",
        due=due, ahead=datetime.timedelta(days=1), key="ballot:5:closing",
    )  # fmt: skip

    assert remind_before(**args, now=due - datetime.timedelta(days=1, minutes=1)) == []  # too early
    sent = remind_before(**args, now=due - datetime.timedelta(hours=20))
    again = remind_before(**args, now=due - datetime.timedelta(hours=10))
    late = remind_before(**{**args, "key": "ballot:5:other"}, now=due + datetime.timedelta(minutes=1))

    assert len(sent) == 1 and again == [] and late == []
    row = Notification.objects.get()
    local = timezone.localtime(due)
    assert f"Hạn chót: {local:%d/%m/%Y %H:%M}." == row.body
    assert send_pending() == 1


# --------------------------------------------------------------------------------- configuration


@pytest.fixture
def env(monkeypatch):
    for name in ("TDKT_EMAIL_URL", "TDKT_EMAIL_FROM", "TDKT_SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_e_mail_is_off_without_a_url(env):
    conf = email_settings()

    assert conf["TDKT_EMAIL_ENABLED"] is False
    assert conf["EMAIL_BACKEND"] == "django.core.mail.backends.dummy.EmailBackend"
    assert conf["TDKT_SITE_URL"] == "http://127.0.0.1:8000"


def test_smtp_with_starttls(env):
    env.setenv("TDKT_EMAIL_URL", "smtp://tdkt%40bo.gov.vn:p%40ss:w0rd@mail.bo.gov.vn:587?tls=1")
    env.setenv("TDKT_EMAIL_FROM", "TĐKT <tdkt@bo.gov.vn>")
    env.setenv("TDKT_SITE_URL", "https://tdkt.bo.gov.vn/")

    conf = email_settings()

    assert conf["TDKT_EMAIL_ENABLED"] is True
    assert conf["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (conf["EMAIL_HOST"], conf["EMAIL_PORT"]) == ("mail.bo.gov.vn", 587)
    assert (conf["EMAIL_HOST_USER"], conf["EMAIL_HOST_PASSWORD"]) == ("tdkt@bo.gov.vn", "p@ss:w0rd")
    assert (conf["EMAIL_USE_TLS"], conf["EMAIL_USE_SSL"]) == (True, False)
    assert conf["DEFAULT_FROM_EMAIL"] == conf["SERVER_EMAIL"] == "TĐKT <tdkt@bo.gov.vn>"
    assert conf["TDKT_SITE_URL"] == "https://tdkt.bo.gov.vn"


def test_smtps_defaults_to_port_465(env):
    env.setenv("TDKT_EMAIL_URL", "smtps://u:p@mail.bo.gov.vn?timeout=30")

    conf = email_settings()

    assert (conf["EMAIL_PORT"], conf["EMAIL_USE_SSL"], conf["EMAIL_USE_TLS"]) == (465, True, False)
    assert conf["EMAIL_TIMEOUT"] == 30


def test_console_for_the_demo(env):
    env.setenv("TDKT_EMAIL_URL", "console://")

    conf = email_settings()

    assert conf["TDKT_EMAIL_ENABLED"] is True
    assert conf["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    "url", ["ftp://u:secret@host", "smtp://u:secret@host:notaport", "smtps://u:secret@host?tls=1", "smtp://"]
)
def test_a_malformed_url_stops_start_up_without_echoing_the_password(env, url):
    from django.core.exceptions import ImproperlyConfigured

    env.setenv("TDKT_EMAIL_URL", url)

    with pytest.raises(ImproperlyConfigured) as error:
        email_settings()

    assert "TDKT_EMAIL_URL" in str(error.value)
    assert "secret" not in str(error.value)


def test_the_site_url_must_be_absolute(env):
    from django.core.exceptions import ImproperlyConfigured

    env.setenv("TDKT_SITE_URL", "tdkt.bo.gov.vn")

    with pytest.raises(ImproperlyConfigured):
        email_settings()
