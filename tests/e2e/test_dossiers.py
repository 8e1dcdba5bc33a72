"""Proposal dossiers in the browser (issue 9): a unit's dossier to a ministry decision with a return and a
resend, and a State-level dossier with its outcome recorded. The unit's officer builds it page by page
(nominees by code, papers uploaded, reports), a staff member writes their own achievement report, the
head confirms and approves, the ministry's specialist returns it with a reason on one paper, the unit
replaces the paper and resends, the specialist accepts and decides, the leader issues the decision; the
Word and PDF files are opened back; a certificate is rendered to an image with pdftoppm."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

import docx
import pypdf
import pytest
from django.utils import timezone

from tdkt.dossiers import services
from tdkt.dossiers.enums import Level, Status
from tdkt.dossiers.models import Dossier
from tdkt.org.models import AwardRecord, Person
from tests.dossiers.conftest import YEAR, build_world
from tests.dossiers.test_flow import ready_dossier, veteran
from tests.e2e.test_year import download, login
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shot(page, screenshot_dir, name: str) -> None:
    page.screenshot(path=str(screenshot_dir / f"dossier-{name}.png"), full_page=True)


def _pdf_file(tmp_path, name: str) -> str:
    from tdkt.core.documents import render_pdf

    data = render_pdf(
        "core/documents/van_ban.html",
        {"issuer": {"name": "Bộ Thử nghiệm"}, "number": 88, "symbol": "QĐ-BO", "place": "Hà Nội",
         "day": datetime.date(YEAR, 10, 1), "doc_type": "Quyết định", "subject": "Công nhận sáng kiến",
         "body": ["Công nhận sáng kiến."], "recipients": [],
         "signer": {"title": "Bộ trưởng", "name": "Lê Văn C"}},
    )  # fmt: skip
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _text_of_docx(data: bytes) -> str:
    word = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for r in t.rows for c in r.cells
    )


def _text_of_pdf(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def dossier_world(tree, settings):
    settings.TDKT_EMAIL_URL = ""
    w = build_world(tree)
    # the fighter also qualifies for the minister's Bằng khen: two initiatives of the unit
    from tdkt.org.models import Initiative

    for n, y in enumerate((YEAR - 1, YEAR)):
        Initiative.objects.create(
            person=w.fighter, unit=tree["a"], year=y, title=f"Chuẩn hóa dữ liệu {n}", scope="co_so",
            recognised_on=datetime.date(y, 11, 2), decision_number=f"{n + 5}/QĐ-SK",
        )  # fmt: skip
    for user in (w.officer, w.head, w.specialist, w.leader):
        user.set_password("demo")
        user.save()
    # the worker has a login of their own, to write their achievement report
    staff = make_user("nv_hai", "staff", tree["a"])
    Person.objects.filter(pk=w.worker.pk).update(user=staff)
    return w


def test_a_dossier_to_a_ministry_decision_with_a_return_and_a_resend(
    live_server, browser_page, screenshot_dir, tmp_path, dossier_world
):
    page, base, w = browser_page, live_server.url, dossier_world
    # 1. the officer builds the dossier: two nominees by code, each for the minister's Bằng khen
    login(page, base, "officer_a")
    page.goto(f"{base}/dossiers/")
    page.select_option("#id_unit", str(w.tree["a"].pk))
    page.select_option("#id_level", "ministry")
    page.select_option("#id_year", str(YEAR))
    page.click("button:has-text('Lập hồ sơ')")
    page.wait_for_url("**/dossiers/*/")
    dossier_url = page.url
    dossier = Dossier.objects.get()
    for code in (w.worker.code, w.fighter.code):
        page.fill("#id_code", code.lower())
        page.select_option("#id_award", "bang_khen_bo")
        page.click("button:has-text('Thêm'):not(:has-text('người'))")
        page.wait_for_url(f"{dossier_url}**")
    body = page.inner_text("main")
    assert "Phan Văn Hải" in body and "Ngô Thị Giang" in body and "Kiểm tra trước khi gửi" in body
    assert page.is_disabled("button:has-text('Gửi hồ sơ')")
    # the signed unit council minutes: uploaded (this dossier was not made from a review round)
    minutes = dossier.components.get(code="bien_ban")
    page.set_input_files(f"#f{minutes.pk}", _pdf_file(tmp_path, "bien-ban-hop.pdf"))
    page.click(f"#p{minutes.pk} button[type=submit]")
    shot(page, screenshot_dir, "01-built")

    # the tờ trình drafted by the system, opened back
    to_trinh = _text_of_docx(download(page, "a:has-text('Bản dự thảo Word') >> nth=0"))
    assert "TỜ TRÌNH" in to_trinh and "Phan Văn Hải" in to_trinh and "Bằng khen" in to_trinh

    # 2. the officer writes the fighter's report; the worker writes their own from "my proposals"
    fighter_n = dossier.nominations.get(person=w.fighter)
    page.goto(f"{base}/dossiers/nominations/{fighter_n.pk}/report/")
    page.fill("#s-duties", "Chuyên viên Vụ A, phụ trách số hóa hồ sơ.")
    page.fill("#s-achievements", "Hoàn thành xuất sắc nhiệm vụ năm 2025; chủ trì đề án số hóa.")
    page.click("button[name=submit]")
    # the data cannot settle one verdict: the officer explains it in writing
    page.goto(dossier_url)
    gate = page.inner_text("section[aria-labelledby=h-gate]")
    assert "Chưa đủ dữ liệu" in gate and "Ngô Thị Giang" in gate and "sửa hoặc giải trình" in gate
    page.click(f"#n{fighter_n.pk} summary:has-text('Giải trình')")
    why = "Danh hiệu năm 2024, 2025 đã có quyết định số 24/QĐ-VA và 25/QĐ-VA (kèm theo)."
    page.fill(f"#j{fighter_n.pk}", why)
    page.click(f"#n{fighter_n.pk} button:has-text('Lưu giải trình')")
    login(page, base, "nv_hai")
    page.goto(f"{base}/dossiers/mine/")
    page.click("a:has-text('Soạn báo cáo')")
    page.fill("#s-achievements", "Hai năm liền hoàn thành xuất sắc nhiệm vụ, hai sáng kiến cấp cơ sở.")
    page.click("button[name=submit]")
    assert "Chờ thủ trưởng xác nhận" in page.inner_text("main")
    shot(page, screenshot_dir, "02-own-report")

    # 3. the head confirms both reports and approves
    login(page, base, "head_a")
    for n in dossier.nominations.all():
        page.goto(f"{base}/dossiers/nominations/{n.pk}/report/")
        page.click("button:has-text('Xác nhận báo cáo')")
        assert "Thủ trưởng đã xác nhận" in page.inner_text("main")
    page.goto(dossier_url)
    gate = page.inner_text("section[aria-labelledby=h-gate]")
    assert "Hồ sơ đã đủ điều kiện để gửi" in gate, gate
    page.click("button:has-text('Duyệt hồ sơ')")

    # 4. the officer sends
    login(page, base, "officer_a")
    page.goto(dossier_url)
    page.fill("#send-message", "Kính gửi Vụ TĐKT")
    page.click("button:has-text('Gửi hồ sơ')")
    assert "Đã gửi hồ sơ" in page.inner_text("main")
    assert "Bộ Thử nghiệm" in page.inner_text("#h-clock + div")

    # 5. the specialist receives and returns it: the minutes lack the chair's signature
    login(page, base, "vu_tdkt")
    page.goto(f"{base}/dossiers/")
    assert dossier.title in page.inner_text("main")
    page.goto(dossier_url)
    page.click("button:has-text('Tiếp nhận và bắt đầu thẩm định')")
    page.click("summary:has-text('Lý do theo từng đề nghị')")
    page.fill(f"#why_c_{minutes.pk}", "Biên bản chưa có chữ ký của Chủ tọa")
    page.click("button:has-text('Trả lại hồ sơ')")
    body = page.inner_text("main")
    assert "Trả lại để bổ sung" in body and "Biên bản chưa có chữ ký của Chủ tọa" in body
    shot(page, screenshot_dir, "03-returned")

    # 6. the unit replaces the paper, the head approves again, the officer resends
    login(page, base, "officer_a")
    page.goto(dossier_url)
    assert "Lý do trả lại: Biên bản chưa có chữ ký của Chủ tọa" in page.inner_text("main")
    page.set_input_files(f"#f{minutes.pk}", _pdf_file(tmp_path, "bien-ban-hop-da-ky.pdf"))
    page.click(f"#p{minutes.pk} button[type=submit]")
    assert "bản 2/2" in page.inner_text(f"#p{minutes.pk}")
    login(page, base, "head_a")
    page.goto(dossier_url)
    page.click("button:has-text('Duyệt hồ sơ')")
    login(page, base, "officer_a")
    page.goto(dossier_url)
    page.click("button:has-text('Gửi lại hồ sơ')")
    dossier.refresh_from_db()
    assert dossier.status == Status.RESENT

    # 7. the specialist accepts, records the result, drafts the minister's decision
    login(page, base, "vu_tdkt")
    page.goto(dossier_url)
    page.click("button:has-text('Tiếp nhận và bắt đầu thẩm định')")
    page.click("button:has-text('Chấp nhận')")
    page.click("button:has-text('Ghi nhận kết quả')")
    page.click("button:has-text('Lập dự thảo quyết định')")
    page.wait_for_url("**/awards/decisions/**")
    decision_url = page.url

    # 8. the leader issues it; the Word and PDF hold the names, the number and the date
    login(page, base, "lanh_dao_bo")
    page.goto(decision_url)
    page.fill("#id_number", "120")
    page.fill("#id_symbol", "QĐ-BTN")
    page.fill("#id_decided_on", timezone.localdate().strftime("%d/%m/%Y"))
    page.fill("#id_signer_name", "Nguyễn Minh Đức")
    page.click("button:has-text('Ban hành')")
    assert "Đã ban hành" in page.inner_text("main")
    shot(page, screenshot_dir, "04-decision")
    word = _text_of_docx(download(page, "a:has-text('Tải Word')"))
    day = timezone.localdate()
    assert "120/QĐ-BTN" in word and "Phan Văn Hải" in word and "Ngô Thị Giang" in word
    assert f"ngày {day:%d} tháng {day.month if day.month > 2 else f'{day.month:02d}'} năm {day.year}" in word
    pdf_text = _text_of_pdf(download(page, "a:has-text('Tải PDF')"))
    assert "Phan Văn Hải" in pdf_text and "120/QĐ-BTN" in pdf_text
    records = AwardRecord.objects.filter(decision_number="120/QĐ-BTN", award_code="bang_khen_bo")
    assert {r.person_id for r in records} == {w.worker.pk, w.fighter.pk}
    dossier.refresh_from_db()
    assert dossier.status == Status.ISSUED

    # 9. a certificate (Bằng khen) as PDF, looked at as an image
    certificate = download(page, "a[href*='/certificate'] >> nth=0")
    shown = _text_of_pdf(certificate)
    assert "BẰNG KHEN" in shown.upper() and "120/QĐ-BTN" in shown
    # the honorific follows the recorded gender: the first certificate is Ms Giang's or Mr Hải's
    assert "Bà Ngô Thị Giang" in shown or "Ông Phan Văn Hải" in shown
    if shutil.which("pdftoppm"):
        (tmp_path / "bang-khen.pdf").write_bytes(certificate)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(tmp_path / "bang-khen.pdf"),
             str(screenshot_dir / "dossier-05-certificate")],
            check=True, timeout=60,
        )  # fmt: skip

    # 10. the timeline holds every move with who and when
    page.goto(dossier_url)
    timeline = page.inner_text("#h-timeline + ol")
    for step in ("Gửi hồ sơ", "Trả lại", "Gửi lại", "Chấp nhận", "Ban hành quyết định"):
        assert step in timeline
    shot(page, screenshot_dir, "06-issued")


def test_a_state_dossier_is_signed_sent_up_and_its_outcome_recorded(
    live_server, browser_page, screenshot_dir, dossier_world
):
    page, base, w = browser_page, live_server.url, dossier_world
    w.vet = veteran(w, "Long", "NV-LONG1")
    d = ready_dossier(w, level=Level.STATE, awards=(("vet", "bang_khen_ttg"),))
    services.dossier_send(actor=w.officer, dossier_id=d.pk)
    services.dossier_receive(actor=w.specialist, dossier_id=d.pk)
    services.dossier_accept(actor=w.specialist, dossier_id=d.pk)
    assert not services.rulebook.needs_council_vote("bang_khen_ttg", YEAR)
    services.dossier_decide(actor=w.specialist, dossier_id=d.pk)
    url = f"{base}/dossiers/{d.pk}/"

    login(page, base, "vu_tdkt")
    page.goto(url)
    page.click("button:has-text('Lập hồ sơ trình cấp Nhà nước')")
    assert "Bộ đã lập hồ sơ trình cấp Nhà nước" in page.inner_text("main")
    to_trinh_bo = d.components.get(code="to_trinh_bo")
    text = _text_of_pdf(download(page, f"#p{to_trinh_bo.pk} a:has-text('PDF')"))
    assert "Đặng Văn Long" in text and "Thủ tướng" in text

    login(page, base, "lanh_dao_bo")
    page.goto(url)
    page.click("button:has-text('Ký trình')")
    login(page, base, "vu_tdkt")
    page.goto(url)
    page.fill("#up-message", "Tờ trình số 45/TTr-BTN")
    page.click("button:has-text('Đã gửi Ban TĐKT Trung ương')")
    assert "Ban Thi đua – Khen thưởng Trung ương" in page.inner_text("#h-clock + div")

    n = d.nominations.get()
    page.click(f"#n{n.pk} summary:has-text('Ghi kết quả')")
    page.select_option(f"#id_so{n.pk}-outcome", "approved")
    page.fill(f"#id_so{n.pk}-decision_number", "1234/QĐ-TTg")
    page.fill(f"#id_so{n.pk}-decided_on", timezone.localdate().strftime("%d/%m/%Y"))
    page.fill(f"#id_so{n.pk}-signer", "Thủ tướng Chính phủ")
    page.click(f"#n{n.pk} button:has-text('Ghi kết quả')")
    body = page.inner_text("main")
    assert "Đã có kết quả cấp Nhà nước" in body and "1234/QĐ-TTg" in body
    shot(page, screenshot_dir, "07-state-closed")
    record = AwardRecord.objects.get(person=w.vet, award_code="bang_khen_ttg")
    assert record.decision_number == "1234/QĐ-TTg" and record.source == "recorded"
    page.goto(f"{base}/org/people/{w.vet.pk}/")
    assert "1234/QĐ-TTg" in page.inner_text("main")
