"""The CSRF failure page (issue 7, finding 7a).

Before the fix a form sent with a stale or missing security token — a page left open past a new login,
or kept in another tab — got Django's bare English page, which talks about DEBUG. Now it gets a page in
the site's frame, in Vietnamese, saying what happened and what to do, with status 403, and nothing is
saved.
"""

from __future__ import annotations

import pytest
from django.conf import settings as project_settings
from django.test import Client
from django.urls import reverse

from tdkt.rulebook.models import EligibilityRun

VIEW = "tdkt.core.errorviews.csrf_failure"


@pytest.fixture
def strict_client(settings):
    settings.CSRF_FAILURE_VIEW = VIEW
    return Client(enforce_csrf_checks=True)


def test_a_post_without_its_token_gets_the_vietnamese_page_and_saves_nothing(strict_client, tree, officer_a):
    strict_client.force_login(officer_a)
    page = reverse("rulebook:candidates") + f"?unit={tree['a'].pk}"

    response = strict_client.post(
        reverse("rulebook:candidates_run"),
        {"unit": tree["a"].pk, "year": 2024},
        headers={"Referer": "http://testserver" + page},
    )

    body = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in body
    assert "trang đã mở quá lâu" in body and "Hãy tải lại trang" in body
    assert "DEBUG" not in body and "CSRF verification failed" not in body and "Forbidden" not in body
    assert f'href="http://testserver{page}"' in body.replace("&amp;", "&")  # back to the page it came from
    assert '<html lang="vi">' in body and 'id="main"' in body  # the site's frame
    assert not EligibilityRun.objects.exists()


def test_a_token_from_another_session_gets_the_same_page(strict_client, tree, officer_a):
    """A form kept open from before (its token no longer matches the browser's cookie)."""
    other = Client(enforce_csrf_checks=True)
    other.get(reverse("accounts:login"))
    stale = other.cookies["csrftoken"].value
    strict_client.force_login(officer_a)
    strict_client.get(reverse("core:dashboard"))

    response = strict_client.post(
        reverse("accounts:logout"),
        {"csrfmiddlewaretoken": stale},
        headers={"Referer": "http://evil.example/"},
    )

    body = response.content.decode()
    assert response.status_code == 403 and "Biểu mẫu đã hết hạn" in body
    assert "evil.example" not in body  # a foreign referer is never offered as the way back


def test_an_anonymous_visitor_gets_the_page_too(strict_client, db):
    response = strict_client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403 and "Biểu mẫu đã hết hạn" in response.content.decode()


def test_the_project_settings_name_the_page():
    """The view is wired in settings.py (CSRF_FAILURE_VIEW), not only in these tests."""
    assert project_settings.CSRF_FAILURE_VIEW == VIEW
