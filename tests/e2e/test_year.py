"""A unit's whole year in the browser (issue 8): registration, the round from the engine, the council's
meeting with an online secret ballot by several members, the result against the threshold, the minutes
opened back, the unit decision issued, and the new awards on each person's page and in their next verdict.

Set up with the services (the organisation, a launched movement, the council): everything the year's
actors do, they do through the pages."""

from __future__ import annotations

import datetime
import io

import docx
import pypdf
import pytest
from django.utils import timezone

from tdkt.councils import services as councils
from tdkt.councils.enums import MemberRole
from tdkt.movements import services as movements
from tdkt.movements.enums import MovementAction, MovementKind
from tdkt.org.models import AwardRecord, Evaluation, Initiative
from tdkt.reviews.models import Candidate, ReviewRound
from tests.factories import make_user, person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year - 1
PEOPLE = [  # (given name, rating of the year): the two rated excellent with an initiative are CSTĐCS
    ("Anh", "htt"), ("Bình", "htt"), ("Cúc", "htt"), ("Giang", "htxs"), ("Hạnh", "htxs"),
]  # fmt: skip
MEMBERS = [("Hùng", MemberRole.CHAIR), ("Lan", MemberRole.VICE_CHAIR), ("Bảo", MemberRole.MEMBER)]


@pytest.fixture
def year_world(tree, settings):
    settings.TDKT_EMAIL_URL = ""
    unit = tree["a"]
    officer = make_user("canbo", "officer", unit)
    head = make_user("thutruong", "unit_head", unit)
    people = {}
    for n, (given, rating) in enumerate(PEOPLE):
        p = person(unit, family_name="Ngô", middle_name="Thị", given_name=given, code=f"YR{n}")
        for year in (YEAR - 1, YEAR):
            Evaluation.objects.create(person=p, unit=unit, year=year, rating=rating, months_worked=12)
        if rating == "htxs":
            Initiative.objects.create(
                person=p, unit=unit, year=YEAR, title=f"Sáng kiến số hoá {n}", scope="co_so",
                recognised_on=datetime.date(YEAR, 11, 1), decision_number=f"{n}/QĐ-SK",
            )  # fmt: skip
        people[given] = p
    specialist = make_user("chuyenvien", "specialist", tree["root"])
    movement = movements.movement_create(
        actor=specialist,
        unit=tree["root"],
        data=movements.MovementData(
            name=f"Phong trào thi đua năm {YEAR}",
            kind=MovementKind.YEARLY,
            year=YEAR,
            goals="Hoàn thành xuất sắc nhiệm vụ",
            doc_number="01/KH-BTN",
            doc_date=datetime.date(YEAR, 1, 5),
            doc_signer="Bộ trưởng",
            award_codes=["ldtt", "cstd_co_so"],
            registration_deadline=datetime.date(YEAR, 3, 31),
        ),  # fmt: skip
        document=_pdf_upload(),
    )
    movements.movement_transition(actor=specialist, movement_id=movement.pk, action=MovementAction.LAUNCH)
    council = councils.council_create(
        actor=officer,
        unit_id=unit.pk,
        name="Hội đồng Thi đua – Khen thưởng Vụ A",
        term_from=datetime.date(YEAR, 1, 1),
    )
    voters = {}
    for given, role in MEMBERS:
        user = make_user(f"uv-{given}", "council_member", unit)
        p = person(unit, family_name="Trịnh", middle_name="Văn", given_name=given, user=user)
        councils.member_add(actor=officer, council_id=council.pk, person_id=p.pk, role=role)
        voters[given] = user
    officer_person = person(unit, family_name="Phạm", middle_name="Thu", given_name="Hà", user=officer)
    councils.member_add(
        actor=officer, council_id=council.pk, person_id=officer_person.pk, role=MemberRole.SECRETARY
    )
    return {
        "unit": unit,
        "officer": officer,
        "head": head,
        "people": people,
        "movement": movement,
        "voters": voters,
    }


def _pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tdkt.core.documents import render_pdf
    from tdkt.core.uploads import check_upload

    data = render_pdf(
        "core/documents/van_ban.html",
        {"issuer": {"name": "Bộ Thử nghiệm"}, "number": 1, "symbol": "KH-BTN", "place": "Hà Nội",
         "day": datetime.date(YEAR, 1, 5), "doc_type": "Kế hoạch", "subject": "Phát động thi đua",
         "body": ["Phát động."], "recipients": [], "signer": {"title": "Bộ trưởng", "name": "Nguyễn Văn A"}},
    )  # fmt: skip
    return check_upload(SimpleUploadedFile("kh.pdf", data), kinds={"pdf"}, max_bytes=10 * 1024 * 1024)


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def shot(page, screenshot_dir, name: str) -> None:
    page.screenshot(path=str(screenshot_dir / f"year-{name}.png"), full_page=True)


def download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return open(info.value.path(), "rb").read()


def test_a_units_whole_year_in_the_browser(live_server, browser_page, screenshot_dir, tree, year_world):
    page, base, w = browser_page, live_server.url, year_world
    unit, people = w["unit"], w["people"]

    # 1. the officer registers the unit's people for the movement
    login(page, base, "canbo")
    page.goto(f"{base}/movements/{w['movement'].pk}/units/{unit.pk}/register/")
    for given in ("Anh", "Giang", "Hạnh"):
        code = "cstd_co_so" if given != "Anh" else "ldtt"
        page.select_option(f"#award_person_{people[given].pk}", code)
        page.fill(f"#targets_person_{people[given].pk}", "Hoàn thành xuất sắc nhiệm vụ")
    page.locator("#register-form button[type=submit]").first.click()
    assert "Giang" in page.inner_text("main")
    shot(page, screenshot_dir, "01-registration")

    # 2. the round, its list from the engine with the reasons
    page.goto(f"{base}/reviews/")
    page.select_option("#id_unit", str(unit.pk))
    page.select_option("#id_year", str(YEAR))
    page.click("button:has-text('Tạo đợt')")
    page.click("button:has-text('Lập danh sách từ kết quả xét tiêu chuẩn')")
    page.wait_for_url("**/jobs/**")
    review = ReviewRound.objects.get(unit=unit, year=YEAR)
    page.goto(f"{base}/reviews/{review.pk}/")
    body = page.inner_text("main")
    assert "Ngô Thị Hạnh" in body and "Chiến sĩ thi đua cơ sở" in body and "Lao động tiên tiến" in body
    page.locator("details.reasons summary").first.click()
    assert "Điều" in page.inner_text("main")
    shot(page, screenshot_dir, "02-round")

    # 3. to the council: an online meeting
    page.fill("#id_starts_at", timezone.localtime().strftime("%d/%m/%Y %H:%M"))
    page.check("#id_online")
    page.click("button:has-text('Gửi Hội đồng')")
    page.wait_for_url("**/councils/meetings/**")
    meeting_url = page.url
    for select in page.locator("select[name^=status_]").all():
        select.select_option("present")
    page.click("text=Lưu điểm danh")
    page.goto(meeting_url)
    # the day and the time of one moment two hours ahead (after 22:00 it is tomorrow's date)
    closes = timezone.localtime() + datetime.timedelta(hours=2)
    page.fill("#b-closes_day", closes.strftime("%d/%m/%Y"))
    page.fill("#b-closes_time", closes.strftime("%H:%M"))
    page.click("button:has-text('Mở bỏ phiếu')")
    assert "Đang bỏ phiếu" in page.inner_text("main") or "đã bỏ phiếu" in page.inner_text("main")
    shot(page, screenshot_dir, "03-meeting-open")

    # 4. three members vote from their own sessions: Giang gets one vote of three, Hạnh all three
    for given, voter in w["voters"].items():
        login(page, base, voter.username)
        page.goto(f"{base}/councils/ballots/mine/")
        page.locator("a:has-text('Bỏ phiếu')").first.click()
        for fieldset in page.locator("fieldset").all():
            label = fieldset.inner_text()
            choice = "disagree" if "Giang" in label and given != "Hùng" else "agree"
            fieldset.locator(f"input[value={choice}]").check()
        if given == "Lan":
            shot(page, screenshot_dir, "04-vote")
        page.click("text=Tiếp tục: xem lại phiếu")
        page.click("text=Xác nhận bỏ phiếu")
        assert "đã bỏ phiếu" in page.inner_text("main").lower() or "ghi nhận" in page.inner_text("main")

    # 5. the secretary closes; the results against the threshold; the minutes opened back
    login(page, base, "canbo")
    page.goto(meeting_url)
    page.click("button:has-text('Đóng phiếu')")
    page.goto(meeting_url)
    results = page.inner_text("main")
    assert "Ngô Thị Hạnh" in results and "Đạt" in results and "Không đạt" in results
    shot(page, screenshot_dir, "05-results")
    word = docx.Document(io.BytesIO(download(page, "text=Biên bản họp (Word)")))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for r in t.rows for c in r.cells
    )
    assert "Ngô Thị Hạnh" in text and "Ngô Thị Giang" in text and "BIÊN BẢN" in text.upper()
    counting = pypdf.PdfReader(io.BytesIO(download(page, "text=Biên bản kiểm phiếu (PDF)")))
    pdf_text = "\n".join(p.extract_text() for p in counting.pages)
    assert "Ngô Thị Hạnh" in pdf_text and "3" in pdf_text

    # 6. the officer concludes and drafts the decision; the head issues it
    page.goto(f"{base}/reviews/{review.pk}/")
    page.click("button:has-text('Ghi nhận kết quả')")
    page.click("button:has-text('Lập dự thảo quyết định')")
    page.wait_for_url("**/awards/decisions/**")
    decision_url = page.url
    login(page, base, "thutruong")
    page.goto(decision_url)
    page.fill("#id_number", "12")
    page.fill("#id_symbol", "QĐ-VA")
    page.fill("#id_decided_on", timezone.localdate().strftime("%d/%m/%Y"))
    page.fill("#id_signer_name", "Trần Văn Trưởng")
    page.click("button:has-text('Ban hành')")
    assert "Đã ban hành" in page.inner_text("main")
    shot(page, screenshot_dir, "06-decision")

    # 7. the awards on each person's page and in their next verdict
    hanh, giang = people["Hạnh"], people["Giang"]
    assert AwardRecord.objects.filter(person=hanh, award_code="cstd_co_so", last_year=YEAR).exists()
    assert not AwardRecord.objects.filter(person=giang, award_code="cstd_co_so", last_year=YEAR).exists()
    assert Candidate.objects.get(round=review, person=hanh, award_code="cstd_co_so").outcome == "awarded"
    page.goto(f"{base}/org/people/{hanh.pk}/")
    profile = page.inner_text("main")
    assert "Chiến sĩ thi đua cơ sở" in profile and "12/QĐ-VA" in profile
    shot(page, screenshot_dir, "07-profile")
    page.goto(f"{base}/rulebook/people/{hanh.pk}/?year={YEAR + 1}")
    verdicts = page.inner_text("main")
    assert str(YEAR) in verdicts and "Chiến sĩ thi đua cơ sở" in verdicts
