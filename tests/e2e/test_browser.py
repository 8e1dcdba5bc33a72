"""A user logs in, opens the dashboard, the people list with a search, and a profile."""

import datetime

import pytest

from tdkt.org.models import AwardRecord, Evaluation
from tests.factories import make_user, person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_browses_people(live_server, browser_page, screenshot_dir, tree):
    officer = make_user("canbo", "officer", tree["a"])
    an = person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="An", code="CB900")
    person(tree["b"], family_name="Nguyễn", middle_name="Văn", given_name="Anh", code="CB901")
    for year, rating in [(2023, "htt"), (2024, "htxs")]:
        Evaluation.objects.create(person=an, unit=tree["a"], year=year, rating=rating, months_worked=12)
    AwardRecord.objects.create(
        person=an,
        unit=tree["a"],
        award_code="ldtt",
        first_year=2024,
        last_year=2024,
        decision_number="12/QĐ-BTN",
        decided_on=datetime.date(2025, 1, 15),
    )
    page = browser_page

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", "sai-mat-khau")
    page.click("button[type=submit]")
    assert "không đúng" in page.inner_text("main")

    page.fill("#id_username", officer.username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "Tổng quan" in page.inner_text("main")
    page.screenshot(path=str(screenshot_dir / "01-dashboard.png"), full_page=True)

    page.goto(f"{live_server.url}/org/people/?q=nguyen+van+an")
    body = page.inner_text("main")
    assert "Nguyễn Văn An" in body
    assert "Nguyễn Văn Anh" not in body  # another unit: outside the officer's scope
    page.screenshot(path=str(screenshot_dir / "02-people.png"), full_page=True)

    page.click("text=Nguyễn Văn An")
    page.wait_for_url(f"**/org/people/{an.pk}/")
    profile = page.inner_text("main")
    assert "2024" in profile and "12/QĐ-BTN" in profile
    page.screenshot(path=str(screenshot_dir / "03-profile.png"), full_page=True)

    # keyboard: the skip link is the first Tab stop and takes focus to the main content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
