"""A user logs in, opens the dashboard, the people list with a search, and a profile."""

import datetime

import pytest
from playwright.sync_api import expect

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


def test_officer_checks_eligibility_runs_candidates_and_reads_the_rulebook(
    live_server, browser_page, screenshot_dir, tree
):
    officer = make_user("canbo", "officer", tree["a"])
    binh = person(tree["a"], family_name="Trần", middle_name="Thị", given_name="Bình", code="CB910")
    cuong = person(tree["a"], family_name="Lê", middle_name="Văn", given_name="Cường", code="CB911")
    for year in (2023, 2024):
        Evaluation.objects.create(person=binh, unit=tree["a"], year=year, rating="htxs", months_worked=12)
    Evaluation.objects.create(person=cuong, unit=tree["a"], year=2024, rating="kht", months_worked=12)
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # the person's eligibility tab: verdict per award, each reason with its article
    page.goto(f"{live_server.url}/org/people/{binh.pk}/")
    page.click("text=Xét danh hiệu")
    page.wait_for_url(f"**/rulebook/people/{binh.pk}/**")
    ldtt = page.locator(".verdict-item[data-award=ldtt]")
    assert "Lao động tiên tiến" in ldtt.inner_text() and "Đủ tiêu chuẩn" in ldtt.inner_text()
    ldtt.locator("button.accordion-button").click()
    ldtt.locator(".accordion-body").wait_for(state="visible")
    assert "Điều 24" in ldtt.locator(".accordion-body").inner_text()  # Luật TĐKT 2022, Điều 24
    page.screenshot(path=str(screenshot_dir / "04-eligibility-tab.png"), full_page=True)

    # candidates of the unit for 2024: run the batch (a background task), then filter the list
    page.goto(f"{live_server.url}/rulebook/candidates/?unit={tree['a'].pk}&year=2024")
    page.click("#run-form button[type=submit], form[action$='/candidates/run/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    # the list opens on those who qualify; "Tất cả" shows everyone
    page.select_option("#f-verdict", "all")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#results")).to_contain_text("Lê Văn Cường")
    listing = page.inner_text("#results")
    assert "Trần Thị Bình" in listing and "Lê Văn Cường" in listing
    page.select_option("#f-award", "ldtt")
    page.select_option("#f-verdict", "eligible")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#results")).not_to_contain_text("Lê Văn Cường")
    assert "Trần Thị Bình" in page.inner_text("#results")
    page.screenshot(path=str(screenshot_dir / "05-candidates.png"), full_page=True)

    # the rulebook browser: a title as a readable page with its criteria and articles
    page.goto(f"{live_server.url}/rulebook/")
    page.click("text=Chiến sĩ thi đua cơ sở")
    page.wait_for_url("**/rulebook/awards/cstd_co_so/**")
    award = page.inner_text("main")
    assert "Điều 23" in award and "sáng kiến" in award
    page.screenshot(path=str(screenshot_dir / "06-rulebook-award.png"), full_page=True)
