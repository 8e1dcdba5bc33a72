"""Legacy award list in the browser (issue 10, item 4): an officer uploads a Word list, follows the job,
decides the uncertain rows (a name written without accents, a namesake in another unit of the scope),
confirms, reads the report, and finds the records in the register and on the person's page."""

from __future__ import annotations

import datetime

import pytest

from tdkt.org.models import AwardRecord
from tests.awards.legacy_files import docx_list
from tests.e2e.test_year import login
from tests.factories import make_user, person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shot(page, screenshot_dir, name: str) -> None:
    page.screenshot(path=str(screenshot_dir / f"register-import-{name}.png"), full_page=True)


def test_an_officer_imports_a_word_list_through_the_review_to_the_register(
    live_server, browser_page, screenshot_dir, tmp_path, tree, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page, base = browser_page, live_server.url
    an = person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="An", code="E-AN",
                birth_date=datetime.date(1980, 3, 2))  # fmt: skip
    binh = person(tree["a1"], family_name="Trần", middle_name="Thị", given_name="Bình", code="E-BINH")
    make_user("officer_a", "officer", tree["a"])
    path = tmp_path / "danh-sach-khen-thuong.docx"
    path.write_bytes(
        docx_list(
            [
                (
                    [
                        "DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
                        "Kèm theo Quyết định số 120/QĐ-BTN ngày 15 tháng 01 năm 2024",
                    ],
                    [
                        ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Danh hiệu/Hình thức"],
                        ["1", "Nguyen Van An", "Chuyên viên", "Vụ A", "Lao động tiên tiến"],
                        ["2", "Trần Thị Bình", "Chuyên viên", "Vụ A", "Bằng khen của Bộ trưởng"],
                    ],
                ),
            ]
        )  # fmt: skip
    )

    login(page, base, "officer_a")
    page.goto(f"{base}/awards/register/import/")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Tải lên và đọc')")
    page.wait_for_url("**/jobs/*/")
    page.wait_for_selector("text=Hoàn tất.")
    shot(page, screenshot_dir, "1-read")
    page.click("text=Xem lại và xác nhận")
    page.wait_for_url("**/awards/register/import/*/")
    assert page.is_visible("text=Tên chỉ giống khi bỏ dấu.")
    assert page.is_visible("text=Có người cùng họ tên ở đơn vị khác trong phạm vi của bạn.")
    first, second = page.query_selector_all("fieldset.legacy-row")
    first.query_selector(f"label:has-text('{an.code}')").click()
    second.query_selector(f"label:has-text('{binh.code}')").click()
    shot(page, screenshot_dir, "2-review")
    page.click("button:has-text('Xác nhận và ghi vào sổ')")
    page.wait_for_url("**/jobs/*/")
    page.wait_for_selector("text=Hoàn tất.")
    page.click("text=Xem báo cáo nhập")
    page.wait_for_selector("table.legacy-report")
    shot(page, screenshot_dir, "3-report")
    assert page.locator("table.legacy-report tbody tr").count() == 2
    assert page.locator("table.legacy-report").inner_text().count("Thêm mới") == 2

    assert AwardRecord.objects.filter(person=an, award_code="ldtt", decision_number="120/QĐ-BTN").exists()
    assert AwardRecord.objects.filter(person=binh, award_code="bang_khen_bo").exists()
    page.goto(f"{base}/org/people/{an.pk}/")
    assert page.is_visible("text=120/QĐ-BTN")
    response = page.goto(f"{base}/awards/register/")
    if response.status == 200:
        assert "120/QĐ-BTN" in page.content()
    shot(page, screenshot_dir, "4-register")
