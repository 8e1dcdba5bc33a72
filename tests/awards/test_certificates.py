"""Certificates (Giấy khen, Bằng khen) of issued decisions as PDF: the full drawing, the agency's
pre-printed blanks with fields at configured millimetres, the calibration sheet; the layouts page."""

from __future__ import annotations

import datetime
import io
import os
import subprocess
from pathlib import Path

import pypdf
import pytest
from django.urls import reverse

from tdkt.awards import certificates, services
from tdkt.awards.models import CertificateLayout, Decision, DecisionLine
from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent
from tdkt.org.models import AwardRecord
from tests.factories import make_user, person

YEAR = 2025
SIGNED = datetime.date(2026, 1, 15)
RECIPIENT = "Nguyễn Thị Hằng Nguyệt"
MM_PER_PT = 25.4 / 72


def screenshot_dir() -> Path:
    path = Path(os.environ.get("TDKT_SCREENSHOT_DIR", "test-artifacts/screenshots")) / "certificates"
    path.mkdir(parents=True, exist_ok=True)
    return path


def snapshot_png(pdf: bytes, name: str) -> Path:
    """Page 1 as PNG at 60 dpi (pdftoppm), to look at: the screenshots of this capability."""
    source = screenshot_dir() / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["/usr/bin/pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(source),
         str(screenshot_dir() / name)],
        check=True,
        timeout=60,
    )  # fmt: skip
    return screenshot_dir() / f"{name}.png"


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def page_size_mm(pdf: bytes, index: int = 0) -> tuple[float, float]:
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[index].mediabox
    return round(float(box.width) * MM_PER_PT), round(float(box.height) * MM_PER_PT)


@pytest.fixture
def head_a(tree):
    return make_user("head_a", "unit_head", tree["a"])


@pytest.fixture
def nguyet(tree):
    return person(
        tree["a1"], family_name="Nguyễn", middle_name="Thị Hằng", given_name="Nguyệt", code="CB009",
        gender="female", position="Chuyên viên chính",
    )  # fmt: skip


@pytest.fixture
def issued(tree, people, nguyet, officer_a, head_a):
    """Decision 05/QĐ-CĐS of 15/01/2026 of department A: a Giấy khen for Nguyệt and for An."""
    decision = services.decision_draft(
        actor=officer_a,
        issuer_unit_id=tree["a"].pk,
        year=YEAR,
        subject="Về việc tặng Giấy khen năm 2025",
        lines=[
            services.LineSpec(award_code="giay_khen", unit_id=p.current_unit_id, person_id=p.pk)
            for p in (nguyet, people["an"])
        ],
    )
    return services.decision_issue(
        actor=head_a, decision_id=decision.pk, number="5", symbol="QĐ-CĐS", decided_on=SIGNED,
        signer_name="Lê Thị Hoa", signer_title="Vụ trưởng",
    )  # fmt: skip


def record_of(decision, p) -> AwardRecord:
    return AwardRecord.objects.get(decision_line__decision=decision, person=p)


@pytest.fixture
def bang_khen(tree, nguyet):
    """A Bằng khen of the minister, signed by a deputy minister: written as the ministry would."""
    decision = Decision.objects.create(
        issuer_unit=tree["root"], level="ministry", year=YEAR, subject="Về việc tặng Bằng khen",
        number="12", symbol="QĐ-BTN", decided_on=SIGNED, signer_name="Trần Quốc Vượng",
        signer_title="Thứ trưởng", status="issued",
    )  # fmt: skip
    record = AwardRecord.objects.create(
        person=nguyet, unit=nguyet.current_unit, award_code="bang_khen_bo", first_year=YEAR - 1,
        last_year=YEAR, decision_number="12/QĐ-BTN", decided_on=SIGNED, signer="Trần Quốc Vượng",
        issuer_level="ministry", issuer_name=tree["root"].name, source="issued",
    )  # fmt: skip
    DecisionLine.objects.create(
        decision=decision, person=nguyet, unit=nguyet.current_unit, award_code="bang_khen_bo",
        first_year=YEAR - 1, last_year=YEAR, award_record=record,
    )  # fmt: skip
    return record


def blank_layout(**over) -> CertificateLayout:
    layout = certificates.default_layout("giay_khen")
    layout.mode = "blank"
    positions = certificates.default_positions()
    positions["recipient"] |= {"x": 150, "y": 100, "size": 24, "align": "center", "width": 220}
    positions["decision"] |= {"x": 30, "y": 180, "size": 12, "align": "left", "width": 100}
    layout.positions = positions
    for key, value in over.items():
        setattr(layout, key, value)
    return layout


# --------------------------------------------------------------------------------- full drawing


def test_a_giay_khen_carries_the_name_the_decision_and_the_form(issued, nguyet):
    pdf = certificates.certificate_pdf(record_of(issued, nguyet))

    text = pdf_text(pdf)
    assert RECIPIENT in text  # every diacritic survives: the font is embedded, the text extractable
    assert "GIẤY KHEN" in text
    assert "Quyết định số 05/QĐ-CĐS ngày 15/01/2026" in text
    assert "VỤ TRƯỞNG VỤ A" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Chuyên viên chính, Phòng 1 Vụ A" in text
    assert "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025" in text
    assert f"Số sổ: {record_of(issued, nguyet).pk:06d}" in text
    assert "ngày 15 tháng 01 năm 2026" in text and "Lê Thị Hoa" in text
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    assert page_size_mm(pdf) == (297, 210)  # A4 landscape
    assert snapshot_png(pdf, "giay-khen-full").stat().st_size > 0


def test_a_bang_khen_of_the_minister_signed_by_a_deputy(bang_khen):
    pdf = certificates.certificate_pdf(bang_khen)

    text = pdf_text(pdf)
    assert "BẰNG KHEN" in text and "BỘ TRƯỞNG BỘ THỬ NGHIỆM" in text
    assert "KT. BỘ TRƯỞNG" in text and "THỨ TRƯỞNG" in text and "Trần Quốc Vượng" in text
    assert "Bà Nguyễn Thị Hằng Nguyệt" in text
    assert "giai đoạn 2024 – 2025" in text
    assert "Quyết định số 12/QĐ-BTN ngày 15/01/2026" in text
    assert snapshot_png(pdf, "bang-khen-full").stat().st_size > 0


def test_a_portrait_a3_layout_makes_an_a3_portrait_sheet(bang_khen):
    layout = certificates.default_layout("bang_khen_bo")
    layout.page_size, layout.orientation = "A3", "portrait"

    pdf = certificates.certificate_pdf(bang_khen, layout)

    assert page_size_mm(pdf) == (297, 420)
    assert RECIPIENT in pdf_text(pdf)
    snapshot_png(pdf, "bang-khen-a3-portrait")


def test_a_long_name_is_set_smaller_and_stays_on_one_line(tree):
    long_name = "Công ty Trách nhiệm hữu hạn Một thành viên Xổ số Kiến thiết và Dịch vụ In Thủ đô"
    layout = certificates.default_layout("giay_khen")
    values = {"verb": "Tặng", "recipient": long_name, "title": "GIẤY KHEN", "authority": "THỦ TRƯỞNG VỤ A"}

    sizes = certificates._full_sizes(layout, values)

    assert sizes["name"] < 28
    room = 297 - 44 - certificates.text_width_mm("Tặng ", 17, italic=True)
    assert certificates.text_width_mm(long_name, sizes["name"], bold=True) <= room


def test_all_certificates_of_a_decision_one_sheet_each(issued):
    pdf = certificates.certificates_pdf(issued)

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert RECIPIENT in reader.pages[1].extract_text() or RECIPIENT in reader.pages[0].extract_text()
    assert "Nguyễn Văn An" in pdf_text(pdf)


def test_the_queries_do_not_grow_with_the_number_of_awards(tree, people, nguyet, officer_a, head_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def issue(persons, number):
        draft = services.decision_draft(
            actor=officer_a, issuer_unit_id=tree["a"].pk, year=YEAR, subject="Giấy khen",
            lines=[services.LineSpec(award_code="giay_khen", unit_id=p.current_unit_id, person_id=p.pk)
                   for p in persons],
        )  # fmt: skip
        return services.decision_issue(
            actor=head_a, decision_id=draft.pk, number=number, symbol="QĐ-CĐS", decided_on=SIGNED,
            signer_name="Lê Thị Hoa", signer_title="Vụ trưởng",
        )  # fmt: skip

    one = issue([people["an"]], "7")
    extra = person(tree["a"], family_name="Đỗ", middle_name="Minh", given_name="Đức", code="CB010")
    three = issue([people["binh"], extra, nguyet], "8")
    counts = []
    for decision in (one, three):
        decision = Decision.objects.select_related("issuer_unit__parent").get(pk=decision.pk)
        with CaptureQueriesContext(connection) as queries:
            certificates.certificates_pdf(decision)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_mixed_layouts_keep_each_sheet_size(issued, nguyet, officer_a, admin_user):
    certificates.layout_save(
        actor=admin_user, award_code="giay_khen", mode="full", title="Giấy khen", page_size="A4",
        orientation="portrait", positions={},
    )  # fmt: skip

    pdf = certificates.certificates_pdf(issued)

    assert page_size_mm(pdf, 0) == (210, 297) and page_size_mm(pdf, 1) == (210, 297)


def test_a_draft_decision_has_no_certificates(tree, people, officer_a):
    draft = services.decision_draft(
        actor=officer_a, issuer_unit_id=tree["a"].pk, year=YEAR, subject="Dự thảo",
        lines=[services.LineSpec(award_code="giay_khen", unit_id=tree["a"].pk, person_id=people["an"].pk)],
    )  # fmt: skip
    with pytest.raises(ServiceError, match="chưa ban hành"):
        certificates.certificates_pdf(draft)


def test_a_collective_is_named_without_an_honorific(tree, officer_a, head_a):
    from tdkt.org.models import Collective

    team = Collective.objects.create(unit=tree["a1"], kind="team", code="T-1", name="Tổ Kế hoạch – Tài chính")
    draft = services.decision_draft(
        actor=officer_a, issuer_unit_id=tree["a"].pk, year=YEAR, subject="Giấy khen tập thể",
        lines=[services.LineSpec(award_code="giay_khen", unit_id=tree["a1"].pk, collective_id=team.pk)],
    )  # fmt: skip
    decision = services.decision_issue(
        actor=head_a, decision_id=draft.pk, number="6", symbol="QĐ-CĐS", decided_on=SIGNED,
        signer_name="Lê Thị Hoa", signer_title="Phó Vụ trưởng",
    )  # fmt: skip

    text = pdf_text(certificates.certificates_pdf(decision))

    assert "Tặng Tổ Kế hoạch – Tài chính" in text and "Ông" not in text and "Bà" not in text
    assert "Phòng 1 Vụ A" in text
    # a deputy head signs for the head: the authority is the head's, the signature says so
    assert "THỦ TRƯỞNG VỤ A" in text and "KT. THỦ TRƯỞNG" in text and "PHÓ VỤ TRƯỞNG" in text


def test_a_movements_decision_names_the_movement(issued, nguyet):
    from tdkt.movements.models import Movement

    movement = Movement.objects.create(
        unit=issued.issuer_unit, name="Thi đua chuyển đổi số năm 2025", kind="yearly", year=YEAR
    )
    Decision.objects.filter(pk=issued.pk).update(movement=movement)

    text = pdf_text(certificates.certificate_pdf(record_of(Decision.objects.get(pk=issued.pk), nguyet)))

    assert "Đã có thành tích xuất sắc trong phong trào thi đua “Thi đua chuyển đổi số năm 2025”" in text


def test_a_revoked_award_gets_no_certificate(client, issued, nguyet, officer_a):
    record = record_of(issued, nguyet)
    AwardRecord.objects.filter(pk=record.pk).update(revoked=True, revoked_decision="9/QĐ-CĐS")
    client.force_login(officer_a)

    assert client.get(reverse("awards:award_certificate", args=[record.pk])).status_code == 404
    every = client.get(reverse("awards:decision_certificates", args=[issued.pk]))
    assert RECIPIENT not in pdf_text(every.content) and "Nguyễn Văn An" in pdf_text(every.content)
    with pytest.raises(ServiceError, match="đã bị huỷ bỏ"):
        certificates.certificate_pdf(AwardRecord.objects.get(pk=record.pk))


# --------------------------------------------------------------------------------- blank and calibration


def _text_positions(pdf: bytes) -> dict[str, tuple[float, float]]:
    """Each text run's start (x from the left, y of the baseline from the top), in mm."""
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    height = float(page.mediabox.height)
    found = {}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.setdefault(text.strip(), (x * MM_PER_PT, (height - y) * MM_PER_PT))

    page.extract_text(visitor_text=visit)
    return found


def test_blank_mode_prints_only_the_fields_where_configured(issued, nguyet):
    record = record_of(issued, nguyet)
    layout = blank_layout()

    pdf = certificates.certificate_pdf(record, layout)

    text = pdf_text(pdf)
    assert "Bà Nguyễn Thị Hằng Nguyệt" in text
    assert "CỘNG HÒA" not in text and "GIẤY KHEN" not in text  # the blank has them printed
    positions = _text_positions(pdf)
    # left-aligned at x = 30 mm, baseline at y = 180 mm
    x, y = positions["Quyết định số 05/QĐ-CĐS ngày 15/01/2026"]
    assert abs(x - 30) < 0.5 and abs(y - 180) < 0.5
    # centred on x = 150 mm, baseline at y = 100 mm
    name = "Bà Nguyễn Thị Hằng Nguyệt"
    x, y = positions[name]
    width = certificates.text_width_mm(name, 24, bold=True)
    assert abs(x - (150 - width / 2)) < 1.5 and abs(y - 100) < 0.5
    snapshot_png(pdf, "giay-khen-blank")


def test_the_offset_moves_every_field(issued, nguyet):
    record = record_of(issued, nguyet)

    pdf = certificates.certificate_pdf(record, blank_layout(offset_x_mm=-2.5, offset_y_mm=3))

    x, y = _text_positions(pdf)["Quyết định số 05/QĐ-CĐS ngày 15/01/2026"]
    assert abs(x - 27.5) < 0.5 and abs(y - 183) < 0.5


def test_a_disabled_field_is_not_printed(issued, nguyet):
    layout = blank_layout()
    layout.positions["authority"]["enabled"] = False

    text = pdf_text(certificates.certificate_pdf(record_of(issued, nguyet), layout))

    assert "VỤ TRƯỞNG VỤ A" not in text and RECIPIENT in text


def test_the_calibration_sheet_names_every_field_at_its_crosshair():
    layout = blank_layout()

    pdf = certificates.calibration_pdf(layout)

    text = pdf_text(pdf)
    for spec in certificates.FIELDS:
        assert str(spec.label) in text, spec.name
    assert "Người, tập thể được khen (x 150, y 100)" in text
    assert "Trang căn chỉnh" in text and "dịch ngang 0 mm" in text
    assert page_size_mm(pdf) == (297, 210)
    snapshot_png(pdf, "calibration")


# --------------------------------------------------------------------------------- layout rules


def _positions(**over):
    positions = certificates.default_positions()
    for name, values in over.items():
        positions[name] = positions[name] | values
    return positions


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"recipient": {"x": 300}}, "recipient_x", "x phải từ 0 đến 297"),
        ({"recipient": {"y": -1}}, "recipient_y", "y phải từ 0 đến 210"),
        ({"recipient": {"size": 5}}, "recipient_size", "cỡ chữ phải từ 6 đến 72"),
        ({"recipient": {"size": 73}}, "recipient_size", "cỡ chữ phải từ 6 đến 72"),
        ({"decision": {"x": 10, "align": "center", "width": 40}}, "decision_width", "vượt ra ngoài khổ giấy"),
        ({"decision": {"x": 290, "align": "left", "width": 20}}, "decision_width", "vượt ra ngoài khổ giấy"),
        ({"decision": {"x": "abc"}}, "decision_x", "không phải số"),
    ],
)
def test_positions_outside_the_sheet_are_refused(admin_user, over, field, words):
    with pytest.raises(ServiceError, match=words) as exc:
        certificates.layout_save(
            actor=admin_user, award_code="giay_khen", mode="blank", title="GIẤY KHEN",
            positions=_positions(**over),
        )  # fmt: skip
    assert exc.value.field == field
    assert not CertificateLayout.objects.exists()


def test_a_saved_layout_is_used_and_audited(issued, nguyet, admin_user):
    certificates.layout_save(
        actor=admin_user, award_code="giay_khen", mode="blank", title="giấy khen", page_size="A4",
        orientation="landscape", offset_x_mm="1.5", offset_y_mm="-2",
        positions=_positions(recipient={"x": 148.5, "y": 95, "size": 20}),
    )  # fmt: skip

    layout = certificates.layout_for("giay_khen")
    assert layout.pk and layout.title == "GIẤY KHEN" and float(layout.offset_x_mm) == 1.5
    assert certificates.positions_of(layout)["recipient"]["y"] == 95
    event = AuditEvent.objects.get(event="certificate_layout.change")
    assert event.actor == admin_user
    assert "CỘNG HÒA" not in pdf_text(certificates.certificate_pdf(record_of(issued, nguyet)))


def test_only_the_ministrys_department_changes_layouts(tree, officer_a):
    from django.core.exceptions import PermissionDenied

    head = make_user("hd", "unit_head", tree["a"])
    for user in (officer_a, head):
        with pytest.raises(PermissionDenied):
            certificates.layout_save(
                actor=user, award_code="giay_khen", mode="full", title="GIẤY KHEN", positions={}
            )
    specialist = make_user("spc", "specialist", tree["root"])
    layout = certificates.layout_save(
        actor=specialist, award_code="giay_khen", mode="full", title="GIẤY KHEN", positions={}
    )
    assert layout.title == "GIẤY KHEN"


# --------------------------------------------------------------------------------- pages


def test_the_decision_page_offers_the_certificates_of_an_issued_decision(client, issued, officer_a):
    client.force_login(officer_a)

    page = client.get(reverse("awards:decision_detail", args=[issued.pk])).content.decode()

    assert reverse("awards:decision_certificates", args=[issued.pk]) in page
    assert reverse("awards:decision_signed", args=[issued.pk]) in page


def test_an_officer_downloads_one_certificate_and_all_of_them(client, issued, nguyet, officer_a):
    client.force_login(officer_a)
    record = record_of(issued, nguyet)

    one = client.get(reverse("awards:award_certificate", args=[record.pk]))
    every = client.get(reverse("awards:decision_certificates", args=[issued.pk]))

    assert one.status_code == 200 and one["Content-Type"] == "application/pdf"
    assert "attachment" in one["Content-Disposition"]
    assert RECIPIENT in pdf_text(one.content)
    assert every.status_code == 200 and len(pypdf.PdfReader(io.BytesIO(every.content)).pages) == 2


def test_an_imported_award_has_no_certificate(client, people, officer_a):
    imported = AwardRecord.objects.create(
        person=people["an"], unit=people["an"].current_unit, award_code="giay_khen", first_year=YEAR,
        last_year=YEAR, decision_number="7/QĐ-CU", decided_on=SIGNED,
    )  # fmt: skip
    client.force_login(officer_a)

    response = client.get(reverse("awards:award_certificate", args=[imported.pk]))

    assert response.status_code == 404


def test_the_certificates_of_a_draft_decision_are_not_found(client, tree, people, officer_a):
    draft = services.decision_draft(
        actor=officer_a, issuer_unit_id=tree["a"].pk, year=YEAR, subject="Dự thảo",
        lines=[services.LineSpec(award_code="giay_khen", unit_id=tree["a"].pk, person_id=people["an"].pk)],
    )  # fmt: skip
    client.force_login(officer_a)

    assert client.get(reverse("awards:decision_certificates", args=[draft.pk])).status_code == 404


def test_the_layouts_page_lists_the_defaults_and_edits_a_blank_layout(client, admin_user):
    client.force_login(admin_user)

    listing = client.get(reverse("awards:certificate_layouts"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "GIẤY KHEN" in body and "BẰNG KHEN" in body

    url = reverse("awards:certificate_layout_edit", args=["giay_khen"])
    form = client.get(url)
    assert form.status_code == 200
    data = dict(form.context["form"].initial)
    data.update(mode="blank", offset_x_mm="1,5", recipient_y="99", recipient_size="22")
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    saved = client.post(url, data)

    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    layout = CertificateLayout.objects.get(award_code="giay_khen")
    assert layout.mode == "blank" and float(layout.offset_x_mm) == 1.5
    assert layout.positions["recipient"]["y"] == 99 and layout.positions["recipient"]["size"] == 22

    bad = client.post(url, data | {"recipient_size": "80", "decision_x": "400"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "cỡ chữ phải từ 6 đến 72" in page and "x phải từ 0 đến 297" in page
    assert CertificateLayout.objects.get(award_code="giay_khen").positions["recipient"]["size"] == 22

    calibration = client.get(reverse("awards:certificate_calibration", args=["giay_khen"]))
    assert calibration.status_code == 200 and calibration["Content-Type"] == "application/pdf"
    assert "Người, tập thể được khen (x" in pdf_text(calibration.content)


def test_an_unknown_award_code_has_no_layout_page(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("awards:certificate_layout_edit", args=["khong_co"])).status_code == 404
