"""Hostile but logged-in use of the working-day calendar (core:calendar, its add and remove, the `calendar`
command) and of the certificates and signed decisions (layouts, calibration, certificates, signed PDF):
other units' ids, junk in every parameter, double submits, far dates, line-forging notes, crafted files.
Every refusal is in Vietnamese, saves nothing, and another unit's object reads as nonexistent (404)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tdkt.awards.models import CertificateLayout, Decision
from tdkt.core.models import AuditEvent, CalendarDay
from tdkt.org.models import AwardRecord
from tests.core.test_signing import plain_pdf, signed_pdf
from tests.factories import make_user
from tests.security.test_signed_pdfs import _issue

pytestmark = pytest.mark.django_db

PAGE = reverse("core:calendar")
ADD = reverse("core:calendar_add")
HUGE = 2**70
JUNK = ["²", "１２３４", "-1", "99999", "0000", "\x00", "2025\x00", "x" * 10_000, "1e3", "NaN", "' OR 1=1 --"]
# words of Django's own English messages, or of a traceback, that must never reach a user
ENGLISH = re.compile(
    r"Ensure this value|Enter a |Select a valid|This field is required|Null characters|Traceback|"
    r"Exception|Error at|digits in total|has at most|not allowed",
)
GOOD_DAY = {"date": "24/11/2026", "kind": "holiday", "note": "Ngày Văn hóa Việt Nam", "source": "TB 1/TB-BNV"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TDKT_SIGNING_P12 = None
    settings.TDKT_SIGNING_P12_PASSWORD = None
    settings.TDKT_SIGNING_TRUST = None
    return settings.MEDIA_ROOT


@pytest.fixture
def hostile(client):
    client.raise_request_exception = False  # a crash is observed as a 500, not raised into the test
    return client


def _text(response) -> str:
    return response.content.decode(errors="replace")


def _calendar_state() -> tuple:
    return (
        tuple(CalendarDay.objects.order_by("id").values_list("id", "date", "kind", "note", "source")),
        AuditEvent.objects.count(),
    )


# ----------------------------------------------------------------------------- the calendar page


@pytest.mark.parametrize("year", JUNK)
def test_junk_years_on_the_calendar_page_fall_back_to_this_year(hostile, admin_user, year):
    hostile.force_login(admin_user)
    response = hostile.get(PAGE, {"year": year})
    assert response.status_code == 200
    assert not ENGLISH.search(_text(response))


@pytest.mark.parametrize("year", JUNK)
def test_junk_year_posted_with_an_invalid_day_is_a_400_in_vietnamese(hostile, admin_user, year):
    hostile.force_login(admin_user)
    before = _calendar_state()
    response = hostile.post(ADD, {"year": year, "date": "", "kind": "", "note": "", "source": ""})
    assert response.status_code == 400
    assert not ENGLISH.search(_text(response))
    assert _calendar_state() == before


@pytest.mark.parametrize("date", ["01/01/0001", "02/01/0001", "31/12/9999", "01/01/1000", "01/01/2999"])
def test_a_day_far_out_of_range_is_refused_in_vietnamese(hostile, admin_user, date):
    """The page only shows 2000–2100: a day outside can neither be seen nor removed there, so adding it
    must be refused (today it is saved — or the page of year 1 crashes computing 31/12/0000)."""
    hostile.force_login(admin_user)
    before = _calendar_state()
    response = hostile.post(ADD, GOOD_DAY | {"date": date})
    assert response.status_code == 400
    assert not ENGLISH.search(_text(response))
    assert _calendar_state() == before


@pytest.mark.parametrize("junk", [{"note": ""}, {"kind": "makeup"}, {"kind": "makeup", "date": "31/12/9999"}])
def test_a_refused_day_of_year_one_or_9999_is_not_a_server_error(hostile, admin_user, junk):
    """01/01/0001 is a Monday, so "makeup" is refused by the service; the page of the refusal is then
    drawn for year 1 and `date(1, 1, 1) - 1 day` raises OverflowError: a 500."""
    hostile.force_login(admin_user)
    before = _calendar_state()
    response = hostile.post(ADD, GOOD_DAY | {"date": "01/01/0001"} | junk)
    assert response.status_code == 400
    assert not ENGLISH.search(_text(response))
    assert _calendar_state() == before


@pytest.mark.parametrize(
    "junk",
    [
        {"date": "\x00"},
        {"date": "31/02/2026"},
        {"date": "24/11/2026\x00"},
        {"date": "x" * 10_000},
        {"date": "２４/１１/２０２６"},
        {"kind": "holiday\x00"},
        {"kind": "'; DROP TABLE core_calendarday; --"},
        {"note": "Ngày\x00lễ"},
        {"note": "x" * 10_000},
        {"note": "   "},
        {"source": "TB\x00"},
        {"source": "y" * 10_000},
    ],
)
def test_junk_in_the_day_form_is_refused_in_vietnamese_and_nothing_saved(hostile, admin_user, junk):
    hostile.force_login(admin_user)
    before = _calendar_state()
    response = hostile.post(ADD, GOOD_DAY | junk)
    assert response.status_code == 400
    assert not ENGLISH.search(_text(response)), junk
    assert _calendar_state() == before


def test_a_day_added_twice_is_saved_once_and_the_second_refused(hostile, admin_user):
    hostile.force_login(admin_user)
    assert hostile.post(ADD, GOOD_DAY).status_code == 302
    after_first = _calendar_state()
    again = hostile.post(ADD, GOOD_DAY)
    assert again.status_code == 400
    assert "đã được thêm vào lịch" in _text(again)
    assert _calendar_state() == after_first


def test_a_day_removed_twice_says_so_and_removes_once(hostile, admin_user):
    hostile.force_login(admin_user)
    hostile.post(ADD, GOOD_DAY)
    row = CalendarDay.objects.get()
    url = reverse("core:calendar_remove", args=[row.pk])
    assert hostile.post(url).status_code == 302
    events = AuditEvent.objects.count()
    again = hostile.post(url, follow=True)
    assert again.status_code == 200
    assert "không còn trong lịch" in _text(again)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("pk", [0, HUGE])
def test_removing_a_nonexistent_or_huge_id_is_not_a_server_error(hostile, admin_user, pk):
    hostile.force_login(admin_user)
    response = hostile.post(reverse("core:calendar_remove", args=[pk]), {"year": "²"}, follow=True)
    assert response.status_code == 200
    assert "không còn trong lịch" in _text(response)


def test_who_is_not_the_system_admin_changes_nothing(hostile, tree, officer_a, admin_user):
    hostile.force_login(admin_user)
    hostile.post(ADD, GOOD_DAY)
    row = CalendarDay.objects.get()
    before = _calendar_state()
    for role in ("officer", "specialist", "unit_head", "leader", "inspector"):
        hostile.force_login(make_user(f"u_{role}", role, tree["root"]))
        assert hostile.get(PAGE).status_code == 403
        assert hostile.post(ADD, GOOD_DAY | {"date": "25/11/2026"}).status_code == 403
        assert hostile.post(reverse("core:calendar_remove", args=[row.pk])).status_code == 403
    assert _calendar_state() == before


def test_the_calendar_pages_refuse_other_methods(hostile, admin_user):
    hostile.force_login(admin_user)
    assert hostile.post(PAGE).status_code == 405
    assert hostile.get(ADD).status_code == 405
    assert hostile.get(reverse("core:calendar_remove", args=[1])).status_code == 405


def test_a_note_cannot_forge_a_line_of_the_calendar_command(hostile, admin_user):
    """The note and source are stored with only their ends stripped: a newline and tabs inside a note
    forge a whole extra day in `tdkt calendar year` (tab-separated, one day a line). Stored text
    should be cleaned (tdkt.core.text.clean) like every other name."""
    hostile.force_login(admin_user)
    forged = "Ngày Văn hóa\n2026-12-25\tnghỉ lễ, Tết\tGiáng sinh\tTB giả"
    response = hostile.post(ADD, GOOD_DAY | {"note": forged, "source": "TB 1\r\nTB 2\tx"})
    assert response.status_code in (302, 400)
    out = io.StringIO()
    call_command("calendar", "year", "2026", stdout=out)
    lines = out.getvalue().splitlines()
    assert all(len(line.split("\t")) == 4 for line in lines), lines
    assert not any(line.startswith("2026-12-25") for line in lines)
    row = CalendarDay.objects.filter(date="2026-11-24").first()
    if row is not None:
        assert "\n" not in row.note and "\t" not in row.note and "\n" not in row.source


def test_invisible_characters_in_a_note_are_not_stored(hostile, admin_user):
    hostile.force_login(admin_user)
    hostile.post(ADD, GOOD_DAY | {"note": "Ngày\u200b Văn hóa\u202e", "source": "TB\u2028 1"})
    row = CalendarDay.objects.filter(date="2026-11-24").first()
    assert row is None or (row.note == "Ngày Văn hóa" and row.source == "TB 1")


# ------------------------------------------------------------------------------- the command


@pytest.mark.parametrize("year", ["0000", "²", "１２３４", "-1", "99999", "abcd", ""])
def test_the_calendar_command_refuses_a_bad_year_in_vietnamese(year):
    """`tdkt calendar year 0000` passes the 4-ASCII-digits check, then date(0, 1, 1) raises ValueError:
    a traceback instead of the command's Vietnamese message and exit status 2."""
    with pytest.raises(CommandError, match="năm không hợp lệ"):
        call_command("calendar", "year", year)


@pytest.mark.parametrize(
    "start,end",
    [("0001-01-01", "2025-01-01"), ("9999-12-31", "0001-01-01"), ("2025-01-01\x00", "2025-02-01")],
)
def test_the_workdays_command_survives_far_and_junk_dates(start, end):
    out = io.StringIO()
    try:
        call_command("calendar", "workdays", start, end, stdout=out)
    except CommandError as exc:
        assert "ngày không hợp lệ" in str(exc)
    else:
        assert out.getvalue().strip().isdigit()


# ------------------------------------------------------------------------- certificate layouts


@pytest.fixture
def specialist(tree):
    return make_user("spc", "specialist", tree["root"])


def _layout_form(client, code="giay_khen") -> dict:
    """The edit form's fields as the page sends them (its initial values)."""
    response = client.get(reverse("awards:certificate_layout_edit", args=[code]))
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if name.endswith("_enabled"):
            if value:
                data[name] = "on"
            continue
        data[name] = field.prepare_value(value) if value is not None else ""
    return data


def _layout_state() -> tuple:
    return (
        tuple(CertificateLayout.objects.order_by("id").values_list("award_code", "title", "positions")),
        AuditEvent.objects.count(),
    )


def test_the_layout_form_as_sent_is_saved(hostile, specialist):
    hostile.force_login(specialist)
    data = _layout_form(hostile) | {"mode": "blank"}
    response = hostile.post(reverse("awards:certificate_layout_edit", args=["giay_khen"]), data)
    assert response.status_code == 302
    assert CertificateLayout.objects.get().mode == "blank"


NUMBER_JUNK = [
    "²", "１２３", "-1", "-99999", "99999", "1e400", "-1e400", "NaN", "Infinity", "-Infinity", "sNaN",
    "\x00", "12\x00", "x" * 10_000, "1" * 10_000, "0x10", "1_0", "--1", "1,2,3", "1.2.3", " ",
]  # fmt: skip


@pytest.mark.parametrize("value", NUMBER_JUNK)
@pytest.mark.parametrize(
    "field", ["offset_x_mm", "offset_y_mm", "recipient_x", "recipient_y", "recipient_size", "recipient_width"]
)
def test_junk_numbers_in_a_layout_are_refused_in_vietnamese(hostile, specialist, field, value):
    hostile.force_login(specialist)
    data = _layout_form(hostile)
    before = _layout_state()
    response = hostile.post(
        reverse("awards:certificate_layout_edit", args=["giay_khen"]), data | {field: value}
    )
    if value in ("１２３", "1_0") or (value == "-1" and field.startswith("offset")):
        return  # read as 123, 10 (Python's Decimal) or a valid offset of -1 mm: allowed numbers
    assert response.status_code == 400, (field, value)
    assert not ENGLISH.search(_text(response)), (field, value)
    assert _layout_state() == before


@pytest.mark.parametrize(
    "junk",
    [
        {"mode": "evil"},
        {"page_size": "A0"},
        {"orientation": "diagonal"},
        {"recipient_align": "justify\x00"},
        {"title": "x" * 10_000},
        {"title": "GIẤY\x00KHEN"},
        {"title": "\u200b \u200b"},
        {"authority": "y" * 10_000},
        {"recipient_size": "0"},
        {"recipient_size": "500"},
        {"recipient_x": "-5"},
        {"recipient_width": "0"},
    ],
)
def test_junk_in_the_layout_form_is_refused_in_vietnamese(hostile, specialist, junk):
    hostile.force_login(specialist)
    data = _layout_form(hostile)
    before = _layout_state()
    response = hostile.post(reverse("awards:certificate_layout_edit", args=["giay_khen"]), data | junk)
    assert response.status_code == 400, junk
    assert not ENGLISH.search(_text(response)), junk
    assert _layout_state() == before


def test_a_layout_with_missing_fields_is_refused(hostile, specialist):
    hostile.force_login(specialist)
    before = _layout_state()
    response = hostile.post(reverse("awards:certificate_layout_edit", args=["giay_khen"]), {"mode": "blank"})
    assert response.status_code == 400
    assert not ENGLISH.search(_text(response))
    assert _layout_state() == before


@pytest.mark.parametrize("code", ["khong_co", "giay_khen\x00", "GIAY_KHEN", "x" * 5000, "' OR 1=1"])
def test_unknown_award_codes_are_not_found(hostile, specialist, code):
    hostile.force_login(specialist)
    assert hostile.get(reverse("awards:certificate_layouts"), {"code": code}).status_code == 404
    assert hostile.get(reverse("awards:certificate_layout_edit", args=[code])).status_code == 404
    assert hostile.get(reverse("awards:certificate_calibration", args=[code])).status_code == 404


def test_who_may_not_manage_layouts_changes_nothing(hostile, specialist, tree, officer_a):
    hostile.force_login(specialist)
    data = _layout_form(hostile) | {"title": "BẰNG GIẢ"}
    before = _layout_state()
    for user in (
        officer_a,
        make_user("hd", "unit_head", tree["root"]),
        make_user("ld", "leader", tree["root"]),
    ):
        hostile.force_login(user)
        assert (
            hostile.post(reverse("awards:certificate_layout_edit", args=["giay_khen"]), data).status_code
            == 403
        )
        assert hostile.get(reverse("awards:certificate_calibration", args=["giay_khen"])).status_code == 403
    assert _layout_state() == before


def test_a_layout_saved_twice_is_one_row(hostile, specialist):
    hostile.force_login(specialist)
    data = _layout_form(hostile) | {"mode": "blank"}
    url = reverse("awards:certificate_layout_edit", args=["giay_khen"])
    assert hostile.post(url, data).status_code == 302
    assert hostile.post(url, data).status_code == 302
    assert CertificateLayout.objects.count() == 1


def test_a_stored_layout_with_junk_positions_still_prints(hostile, specialist, tree, people, officer_a):
    """A layout row written before the checks (or by hand) with junk positions: certificates and the
    calibration sheet must not crash."""
    decision = _issue(tree, people, officer_a)
    CertificateLayout.objects.create(
        award_code="giay_khen", mode="blank", title="GIẤY KHEN",
        positions={"recipient": {"x": "abc", "size": None, "align": "diagonal", "width": -5}, "evil": 1},
    )  # fmt: skip
    hostile.force_login(officer_a)
    record = AwardRecord.objects.get(decision_line__decision=decision)
    got = {
        "certificates": hostile.get(reverse("awards:decision_certificates", args=[decision.pk])).status_code,
        "one": hostile.get(reverse("awards:award_certificate", args=[record.pk])).status_code,
    }
    hostile.force_login(specialist)
    got["calibration"] = hostile.get(
        reverse("awards:certificate_calibration", args=["giay_khen"])
    ).status_code
    got["edit"] = hostile.get(reverse("awards:certificate_layout_edit", args=["giay_khen"])).status_code
    got["list"] = hostile.get(reverse("awards:certificate_layouts")).status_code
    assert 500 not in got.values(), got


# ---------------------------------------------------------------- decisions, certificates, signed PDF


@pytest.fixture
def decision_a(tree, people, officer_a):
    return _issue(tree, people, officer_a)


@pytest.fixture
def decision_b(tree, people, admin_user):
    return _issue(tree, people, admin_user, unit_key="b", person_key="cuong")


def test_another_units_decision_and_awards_are_not_found(hostile, decision_b, officer_a):
    hostile.force_login(officer_a)
    record = AwardRecord.objects.get(decision_line__decision=decision_b)
    for url in (
        reverse("awards:decision_detail", args=[decision_b.pk]),
        reverse("awards:decision_file", args=[decision_b.pk, "docx"]),
        reverse("awards:decision_file", args=[decision_b.pk, "pdf"]),
        reverse("awards:decision_certificates", args=[decision_b.pk]),
        reverse("awards:award_certificate", args=[record.pk]),
        reverse("awards:decision_signed", args=[decision_b.pk]),
        reverse("awards:decision_signed_file", args=[decision_b.pk]),
    ):
        assert hostile.get(url).status_code == 404, url
    assert hostile.post(reverse("awards:decision_detail", args=[decision_b.pk]), {}).status_code == 404


@pytest.mark.parametrize("pk", [0, HUGE])
def test_nonexistent_and_huge_ids_are_not_found(hostile, officer_a, pk):
    hostile.force_login(officer_a)
    for name in ("decision_detail", "decision_certificates", "award_certificate", "decision_signed",
                 "decision_signed_file"):  # fmt: skip
        assert hostile.get(reverse(f"awards:{name}", args=[pk])).status_code == 404, name
    assert hostile.get(reverse("awards:decision_file", args=[pk, "pdf"])).status_code == 404


@pytest.mark.parametrize("fmt", ["exe", "PDF", "pdf\x00", "html", "x" * 3000])
def test_unknown_file_formats_are_not_found(hostile, decision_a, officer_a, fmt):
    hostile.force_login(officer_a)
    assert hostile.get(reverse("awards:decision_file", args=[decision_a.pk, fmt])).status_code == 404


@pytest.mark.parametrize("param", ["status", "page"])
@pytest.mark.parametrize("value", JUNK)
def test_junk_filters_on_the_decision_list(hostile, decision_a, officer_a, param, value):
    hostile.force_login(officer_a)
    response = hostile.get(reverse("awards:decision_list"), {param: value})
    assert response.status_code == 200
    assert not ENGLISH.search(_text(response))


@pytest.mark.parametrize(
    "junk",
    [
        {"number": "５"},
        {"number": "5\x00"},
        {"number": "1" * 10_000},
        {"symbol": "QĐ\x00"},
        {"decided_on": "31/12/9999"},
        {"decided_on": "\x00"},
        {"decided_on": "01/01/0001"},
        {"signer_name": "x" * 10_000},
    ],
)
def test_junk_in_the_issuing_form_is_refused_in_vietnamese(hostile, tree, people, officer_a, junk):
    from tdkt.awards import services

    head = make_user("head_x", "unit_head", tree["a"])
    draft = services.decision_draft(
        actor=officer_a, issuer_unit_id=tree["a"].pk, year=2025, subject="Giấy khen",
        lines=[services.LineSpec(award_code="giay_khen", unit_id=tree["a"].pk, person_id=people["an"].pk)],
    )  # fmt: skip
    hostile.force_login(head)
    good = {"number": "7", "symbol": "QĐ-VA", "decided_on": "15/01/2026", "signer_name": "Lê Thị Hoa"}
    response = hostile.post(reverse("awards:decision_detail", args=[draft.pk]), good | junk)
    assert response.status_code == 400, junk
    assert not ENGLISH.search(_text(response)), junk
    assert Decision.objects.get(pk=draft.pk).status == "draft"
    assert not AwardRecord.objects.exists()


def _upload(client, decision, data: bytes, name: str = "quyet-dinh-da-ky.pdf"):
    return client.post(
        reverse("awards:decision_signed", args=[decision.pk]), {"file": SimpleUploadedFile(name, data)}
    )


def _nothing_stored(decision, media) -> bool:
    decision = Decision.objects.get(pk=decision.pk)
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    return not decision.signed_file and not decision.signed_by and not files


@pytest.mark.parametrize(
    "data,name",
    [
        (b"", "rong.pdf"),
        (b"%PDF-", "cut.pdf"),
        (b"%PDF-1.7\n" + b"\x00" * 4096, "nul.pdf"),
        (b"MZ\x90\x00" + b"\x00" * 200, "virus.pdf"),
        (b"<html><script>alert(1)</script></html>", "page.pdf"),
        (b"PK\x03\x04" + b"\x00" * 100, "zip.pdf"),
        (b"%PDF-1.4\n" + b"A" * 300_000, "junk.pdf"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
         "loop.pdf"),
    ],
)  # fmt: skip
def test_crafted_files_are_refused_in_vietnamese_and_nothing_stored(
    hostile, decision_a, officer_a, media, data, name
):
    hostile.force_login(officer_a)
    response = _upload(hostile, decision_a, data, name=name)
    assert response.status_code == 400, name
    assert not ENGLISH.search(_text(response)), name
    assert _nothing_stored(decision_a, media)


def test_a_truncated_signed_pdf_is_refused(hostile, settings, tmp_path, decision_a, officer_a, media):
    data = signed_pdf(settings, tmp_path)
    hostile.force_login(officer_a)
    for cut in (len(data) // 2, len(data) - 40, 200):
        response = _upload(hostile, decision_a, data[:cut])
        assert response.status_code == 400, cut
        assert not ENGLISH.search(_text(response)), cut
    assert _nothing_stored(decision_a, media)


@pytest.mark.parametrize(
    "name", ["\x00.pdf", "../../etc/passwd.pdf", "a" * 5000 + ".pdf", "qd.pdf.exe", "qd", ".pdf"]
)
def test_crafted_file_names_do_not_crash_or_escape(
    hostile, settings, tmp_path, decision_a, officer_a, media, name
):
    data = signed_pdf(settings, tmp_path)
    hostile.force_login(officer_a)
    response = _upload(hostile, decision_a, data, name=name)
    assert response.status_code in (302, 400), name
    if response.status_code == 400:
        assert not ENGLISH.search(_text(response))
    for path in media.rglob("*") if media.exists() else []:
        assert str(path.resolve()).startswith(str(media.resolve()))
        assert ".." not in path.name and "\x00" not in path.name and not path.name.endswith(".exe")


def test_a_reader_who_does_not_keep_signed_copies_stores_nothing(
    hostile, settings, tmp_path, tree, decision_a, media
):
    data = signed_pdf(settings, tmp_path)
    for role in ("inspector", "council_member"):  # they read department A's decisions, keep none
        hostile.force_login(make_user(f"r_{role}", role, tree["a"]))
        assert _upload(hostile, decision_a, data).status_code in (403, 404), role
    assert _nothing_stored(decision_a, media)


def test_a_signed_pdf_without_a_text_layer_is_checked_against_the_decision(
    hostile, settings, tmp_path, decision_a, officer_a, media
):
    """Any signed PDF whose text is empty (here: a blank page titled with another decision) is taken as
    decision 5/QĐ-CĐS of department A "on the signer's word": an officer can attach any signed file
    at all. At least the title/metadata or a confirmation should be required — today it is stored."""
    data = signed_pdf(settings, tmp_path, data=plain_pdf("Hợp đồng mua bán 99/HĐ"))
    hostile.force_login(officer_a)
    response = _upload(hostile, decision_a, data)
    assert response.status_code == 400
    assert _nothing_stored(decision_a, media)


def test_a_download_without_a_stored_file_is_not_found(hostile, decision_a, officer_a):
    hostile.force_login(officer_a)
    assert hostile.get(reverse("awards:decision_signed_file", args=[decision_a.pk])).status_code == 404
