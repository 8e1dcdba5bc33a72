"""The document layer (core/documents.py, core/docx_templates.py): Word and PDF in the format of
Decree 30/2020/NĐ-CP, opened back with python-docx and pypdf."""

from __future__ import annotations

import io
import socket
import unicodedata
import zipfile
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.template import Context, Template
from docx import Document
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from tdkt.core import docx_templates
from tdkt.core.documents import (
    BLANK,
    FONT_DIR,
    DocumentError,
    FetchRefused,
    dmy,
    docx_template_path,
    join_vi,
    local_url_fetcher,
    names_with_dates,
    number_symbol,
    place_date,
    render_docx,
    render_pdf,
    upper_vi,
)

SIGNER = "Nguyễn Thị Hằng Nguyệt"
ROWS = [
    ["1", "Nguyễn Thị Hằng Nguyệt", "01/02/1985", "Phòng Tổ chức - Cán bộ"],
    ["2", "Trần Văn Đức", "10/03/1979", "Phòng Thi đua - Khen thưởng"],
    ["3", "Lê Thị Ánh Tuyết", "09/11/1990", "Văn phòng"],
]


def sample(**changes) -> dict:
    context = {
        "issuer": {"parent": "Bộ Thử nghiệm", "name": "Văn phòng Bộ"},
        "number": 12,
        "symbol": "QĐ-VPB",
        "place": "Hà Nội",
        "day": date(2026, 12, 5),
        "doc_type": "Quyết định",
        "subject": "Về việc tặng Giấy khen năm 2026",
        "body": [
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Xét đề nghị của Trưởng phòng Thi đua - Khen thưởng,",
        ],
        "table": {
            "title": "Danh sách cá nhân được tặng Giấy khen",
            "note": "(Kèm theo Quyết định số 12/QĐ-VPB ngày 05/12/2026 của Văn phòng Bộ)",
            "columns": ["STT", "Họ và tên", "Ngày sinh", "Đơn vị"],
            "rows": ROWS,
        },
        "recipients": ["Như Điều 3;", "Lưu: VT, TĐKT."],
        "signer": {"authority": "KT. Thủ trưởng", "title": "Phó Thủ trưởng", "name": SIGNER},
    }
    context.update(changes)
    return context


@pytest.fixture(autouse=True)
def agency_dir(settings, tmp_path):
    """An empty agency template folder, so a developer's own data folder cannot change the results."""
    folder = tmp_path / "agency-templates"
    folder.mkdir()
    settings.TDKT_TEMPLATE_DIR = folder
    return folder


def docx_texts(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """The paragraphs of the body and every table as rows of cell texts."""
    document = Document(io.BytesIO(data))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return [p.text for p in document.paragraphs], tables


def all_text(data: bytes) -> str:
    paragraphs, tables = docx_texts(data)
    cells = [text for table in tables for row in table for text in row]
    return "\n".join(paragraphs + cells)


def text_positions(page) -> dict[str, tuple[float, float]]:
    """Each line of text on the page with where it starts (x from the left, y from the top)."""
    found = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            found[unicodedata.normalize("NFC", text.strip())] = (round(tm[4], 1), round(tm[5], 1))

    page.extract_text(visitor_text=visit)
    return found


def pdf_text(reader: PdfReader) -> str:
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


# --- Word ---------------------------------------------------------------------------------------------


def test_word_sample_carries_header_names_numbers_and_dates():
    paragraphs, tables = docx_texts(render_docx("core/van_ban.docx", sample()))
    header, signature, annex = tables
    bodies, nation = header[0]
    assert bodies.split("\n") == ["BỘ THỬ NGHIỆM", "VĂN PHÒNG BỘ", ""]
    assert nation.split("\n")[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header[1] == ["Số: 12/QĐ-VPB", "Hà Nội, ngày 05 tháng 12 năm 2026"]
    assert paragraphs[:2] == ["QUYẾT ĐỊNH", "Về việc tặng Giấy khen năm 2026"]
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in paragraphs
    recipients, signer = signature[0]
    assert recipients.split("\n")[:3] == ["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT, TĐKT."]
    assert signer.split("\n") == ["KT. THỦ TRƯỞNG", "PHÓ THỦ TRƯỞNG", SIGNER]
    assert "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN" in paragraphs
    assert annex == [["STT", "Họ và tên", "Ngày sinh", "Đơn vị"], *ROWS]


def test_word_sample_is_a4_with_the_decree_margins_and_times_new_roman():
    document = Document(io.BytesIO(render_docx("core/van_ban.docx", sample())))
    section = document.sections[0]
    mm = {name: round(getattr(section, name).mm, 1) for name in ("page_width", "page_height")}
    mm |= {
        side: round(getattr(section, f"{side}_margin").mm, 1) for side in ("top", "bottom", "left", "right")
    }
    assert (mm["page_width"], mm["page_height"]) == (210, 297)
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
    assert document.styles["Normal"].font.name == "Times New Roman"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    # page numbers in the top margin from page 2: a different, empty first-page header
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_word_values_are_text_not_markup():
    data = render_docx(
        "core/van_ban.docx",
        sample(body=["Phòng Tổ chức & Cán bộ <Hà Nội> {{ không phải trường trộn }}"], table=None),
    )
    assert "Phòng Tổ chức & Cán bộ <Hà Nội> {{ không phải trường trộn }}" in docx_texts(data)[0]


def test_word_sample_without_parent_body_recipients_or_list_leaves_no_trace():
    data = render_docx(
        "core/van_ban.docx", sample(issuer={"name": "Văn phòng Bộ"}, recipients=[], table=None, number=None)
    )
    paragraphs, tables = docx_texts(data)
    assert len(tables) == 2
    assert tables[0][0][0].split("\n")[0] == "VĂN PHÒNG BỘ"
    assert tables[0][1][0] == f"Số: {BLANK}/QĐ-VPB"
    assert "Nơi nhận:" not in all_text(data)
    assert not any("DANH SÁCH" in p for p in paragraphs)


def test_agency_template_in_the_template_dir_replaces_the_bundled_one(agency_dir):
    # The agency's own file: minutes with two signers side by side.
    docx_templates.national_document(
        agency_dir / "core" / "van_ban.docx",
        doc_type_placeholder="BIÊN BẢN",
        body_paragraphs=["Cuộc họp của {{ issuer.name }}."],
        signature="two",
    )
    assert docx_template_path("core/van_ban.docx") == (agency_dir / "core" / "van_ban.docx", True)
    signers = [{"title": "Thư ký", "name": "Trần Văn Đức"}, {"title": "Chủ tọa", "name": SIGNER}]
    paragraphs, tables = docx_texts(render_docx("core/van_ban.docx", sample(signers=signers)))
    assert paragraphs[0] == "BIÊN BẢN"
    assert "Cuộc họp của Văn phòng Bộ." in paragraphs
    assert tables[1][0] == ["THƯ KÝ\nTrần Văn Đức", f"CHỦ TỌA\n{SIGNER}"]
    assert "Nơi nhận:" in paragraphs


def test_template_with_fixed_columns_lists_one_row_per_item(agency_dir):
    columns = [
        docx_templates.Column("STT", "{{ loop.index }}", 15, "center"),
        docx_templates.Column("Họ và tên", "{{ row.name }}", 90),
        docx_templates.Column("Ngày sinh", "{{ row.born|dmy }}", 60, "center"),
    ]
    docx_templates.national_document(
        agency_dir / "core" / "van_ban.docx",
        doc_type_placeholder="QUYẾT ĐỊNH",
        body_paragraphs=[docx_templates.Para("QUYẾT ĐỊNH:", bold=True, align="center"), "Điều 1. …"],
        table=docx_templates.AnnexTable(columns=columns, rows="people"),
    )
    people = [
        {"name": "Nguyễn Thị Hằng Nguyệt", "born": date(1985, 2, 1)},
        {"name": "Trần Văn Đức", "born": date(1979, 3, 10)},
    ]
    paragraphs, tables = docx_texts(render_docx("core/van_ban.docx", sample(people=people)))
    assert "QUYẾT ĐỊNH:" in paragraphs
    assert tables[2] == [
        ["STT", "Họ và tên", "Ngày sinh"],
        ["1", "Nguyễn Thị Hằng Nguyệt", "01/02/1985"],
        ["2", "Trần Văn Đức", "10/03/1979"],
    ]


def test_broken_agency_template_is_refused_with_the_file_named(agency_dir):
    broken = Document()
    broken.add_paragraph("{{ issuer.name }")
    broken.add_paragraph("{% if number %}Số {{ number }}")
    (agency_dir / "core").mkdir()
    broken.save(agency_dir / "core" / "van_ban.docx")
    with pytest.raises(DocumentError) as caught:
        render_docx("core/van_ban.docx", sample())
    message = str(caught.value)
    assert "'core/van_ban.docx' trong thư mục mẫu của cơ quan" in message
    assert "trường trộn" in message
    assert caught.value.path == agency_dir / "core" / "van_ban.docx"


def test_agency_file_that_is_not_a_word_file_is_refused_with_the_file_named(agency_dir):
    (agency_dir / "core").mkdir()
    (agency_dir / "core" / "van_ban.docx").write_text("đây là tệp văn bản, không phải Word")
    with pytest.raises(DocumentError, match="'core/van_ban.docx' trong thư mục mẫu của cơ quan"):
        render_docx("core/van_ban.docx", sample())


@pytest.mark.parametrize(
    "name", ["core/khong_co.docx", "khong_co/van_ban.docx", "../van_ban.docx", "van_ban"]
)
def test_unknown_or_malformed_template_names_are_refused(name):
    with pytest.raises(DocumentError):
        render_docx(name, sample())


def test_bundled_word_template_is_what_the_code_builds(tmp_path):
    """The committed .docx and `tdkt build_document_templates` agree (rebuild after changing the code)."""
    call_command("build_document_templates", "core/van_ban.docx", output=str(tmp_path), stdout=io.StringIO())
    built, (committed, _) = tmp_path / "core" / "van_ban.docx", docx_template_path("core/van_ban.docx")
    with zipfile.ZipFile(built) as new, zipfile.ZipFile(committed) as old:
        for part in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/settings.xml"):
            assert new.read(part) == old.read(part), part


# --- PDF ----------------------------------------------------------------------------------------------


def test_pdf_sample_is_a4_with_the_same_names_numbers_and_dates():
    reader = PdfReader(io.BytesIO(render_pdf("core/documents/van_ban.html", sample())))
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595) <= 1 and abs(float(page.mediabox.height) - 842) <= 1
    text = pdf_text(reader)
    for expected in [
        "BỘ THỬ NGHIỆM",
        "VĂN PHÒNG BỘ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/QĐ-VPB",
        "Hà Nội, ngày 05 tháng 12 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc tặng Giấy khen năm 2026",
        "KT. THỦ TRƯỞNG",
        "PHÓ THỦ TRƯỞNG",
        "Nơi nhận:",
        "- Lưu: VT, TĐKT.",
        "1 Nguyễn Thị Hằng Nguyệt 01/02/1985 Phòng Tổ chức - Cán bộ",
        "2 Trần Văn Đức 10/03/1979 Phòng Thi đua - Khen thưởng",
        "3 Lê Thị Ánh Tuyết 09/11/1990 Văn phòng",
    ]:
        assert expected in text, expected
    first, annex = reader.pages
    assert SIGNER in unicodedata.normalize("NFC", first.extract_text())
    # the annexed list on its own page, numbered; the first page carries no number
    assert unicodedata.normalize("NFC", annex.extract_text()).split("\n")[:2] == [
        "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN",
        "(Kèm theo Quyết định số 12/QĐ-VPB ngày 05/12/2026 của Văn phòng Bộ)",
    ]
    assert annex.extract_text().rstrip().endswith("2")
    assert not first.extract_text().rstrip().endswith("1")


def test_pdf_embeds_the_bundled_liberation_serif():
    reader = PdfReader(io.BytesIO(render_pdf("core/documents/van_ban.html", sample(table=None))))
    embedded = {}
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
        embedded[str(font["/BaseFont"]).split("+", 1)[1]] = program["name"].getDebugName(4)
    # the family is the @font-face of document.css, so the glyphs came from tdkt/core/fonts
    assert embedded == {
        "Liberation-Serif-TDKT": "Liberation Serif",
        "Liberation-Serif-TDKT-Bold": "Liberation Serif Bold",
        "Liberation-Serif-TDKT-Italic": "Liberation Serif Italic",
        "Liberation-Serif-TDKT-Bold-Italic": "Liberation Serif Bold Italic",
    }


def test_pdf_of_minutes_has_both_signers_side_by_side():
    signers = [{"title": "Thư ký", "name": "Trần Văn Đức"}, {"title": "Chủ tọa", "name": SIGNER}]
    reader = PdfReader(
        io.BytesIO(render_pdf("core/documents/van_ban.html", sample(signers=signers, table=None)))
    )
    at = text_positions(reader.pages[0])
    assert at["THƯ KÝ"][1] == at["CHỦ TỌA"][1] and at["THƯ KÝ"][0] < at["CHỦ TỌA"][0]
    assert at["Trần Văn Đức"][1] == at[SIGNER][1] and at["Trần Văn Đức"][0] < at[SIGNER][0]
    assert at["Nơi nhận:"][1] > at[SIGNER][1]  # under the signatures


def test_unknown_html_template_gives_a_document_error():
    with pytest.raises(DocumentError, match="khong_co.html"):
        render_pdf("core/documents/khong_co.html", sample())


# --- no network, ever ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/style.css",
        "ftp://example.com/font.ttf",
        "file:///etc/passwd",
        (FONT_DIR / ".." / ".." / "settings.py").as_uri(),
        "file://example.com" + (FONT_DIR / "LiberationSerif-Regular.ttf").as_posix(),
        (FONT_DIR / "khong_co.ttf").as_uri(),
    ],
)
def test_url_fetcher_refuses_anything_but_tdkt_files(url):
    with pytest.raises(FetchRefused):
        local_url_fetcher().fetch(url)


def test_url_fetcher_serves_the_bundled_font():
    response = local_url_fetcher().fetch((FONT_DIR / "LiberationSerif-Regular.ttf").as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    response.close()


def test_pdf_rendering_opens_no_connection(settings, tmp_path, monkeypatch, caplog):
    (tmp_path / "hostile.html").write_text(
        '<link rel="stylesheet" href="https://example.com/x.css">'
        '<p style="background: url(http://example.com/bg.png)">Nguyễn Thị Hằng Nguyệt</p>'
        '<img src="http://example.com/logo.png"><img src="file:///etc/passwd">',
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer opened a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    reader = PdfReader(io.BytesIO(render_pdf("hostile.html", {})))
    assert SIGNER in pdf_text(reader)
    refused = {r.args[0] for r in caplog.records if r.name == "tdkt.core.documents"}
    assert refused == {
        "https://example.com/x.css",
        "http://example.com/bg.png",
        "http://example.com/logo.png",
        "file:///etc/passwd",
    }


# --- Vietnamese formatting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("đ", "Đ"),
        ("Văn phòng Bộ", "VĂN PHÒNG BỘ"),
        (unicodedata.normalize("NFD", "Nguyễn Thị Hằng Nguyệt"), "NGUYỄN THỊ HẰNG NGUYỆT"),
        ("ư ơ ă â ê ô ỹ", "Ư Ơ Ă Â Ê Ô Ỹ"),
        ("ðào Ðức", "ĐÀO ĐỨC"),  # the Icelandic eth old conversions leave for đ
        ("  thi   đua\u200b ", "THI ĐUA"),
        (None, ""),
    ],
)
def test_upper_vi(text, expected):
    result = upper_vi(text)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 1), "Hà Nội, ngày 01 tháng 12 năm 2026"),
        (date(2026, 12, 9), "Hà Nội, ngày 09 tháng 12 năm 2026"),
        (date(2026, 12, 10), "Hà Nội, ngày 10 tháng 12 năm 2026"),
        (date(2026, 1, 15), "Hà Nội, ngày 15 tháng 01 năm 2026"),
        (date(2026, 2, 28), "Hà Nội, ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 15), "Hà Nội, ngày 15 tháng 3 năm 2026"),
        (date(2026, 12, 31), "Hà Nội, ngày 31 tháng 12 năm 2026"),
        # an instant is dated in Vietnam: 20:00 UTC on 4 December is 03:00 on 5 December in Hà Nội
        (datetime(2026, 12, 4, 20, 0, tzinfo=UTC), "Hà Nội, ngày 05 tháng 12 năm 2026"),
        ("2026-02-01", "Hà Nội, ngày 01 tháng 02 năm 2026"),
    ],
)
def test_place_date_leading_zeros_follow_the_decree(day, expected):
    assert place_date("Hà Nội", day) == expected


def test_place_date_of_a_draft_leaves_blanks_to_fill_in():
    assert place_date("Hà Nội", None) == f"Hà Nội, ngày{BLANK}tháng{BLANK}năm{BLANK}"
    assert BLANK == "\u00a0" * 6  # non-breaking: HTML would fold ordinary spaces into one


@pytest.mark.parametrize(
    ("number", "symbol", "expected"),
    [
        (12, "QĐ-VPB", "Số: 12/QĐ-VPB"),
        (5, "QĐ-VPB", "Số: 05/QĐ-VPB"),
        ("7", "TTr - VPB", "Số: 07/TTr-VPB"),
        (123, "BB-HĐTĐKT", "Số: 123/BB-HĐTĐKT"),
        (None, "QĐ-VPB", f"Số: {BLANK}/QĐ-VPB"),
    ],
)
def test_number_symbol(number, symbol, expected):
    assert number_symbol(number, symbol) == expected


def test_names_with_dates_are_written_dd_mm_yyyy_in_a_sentence():
    assert dmy(date(2026, 2, 1)) == "01/02/2026"
    assert dmy(None) == ""
    assert join_vi(["An", "Bình", "Cường"]) == "An, Bình và Cường"
    assert join_vi(["An"]) == "An"
    people = [
        ("Nguyễn Văn An", date(1980, 12, 5)),
        {"name": "Trần Thị Bình", "date": date(1990, 2, 1)},
        ("Lê Cường", None),
    ]
    assert names_with_dates(people) == "Nguyễn Văn An (05/12/1980), Trần Thị Bình (01/02/1990) và Lê Cường"


def test_django_templates_use_the_same_filters():
    template = Template(
        "{% load documents %}{{ number|number_symbol:symbol }} | {{ place|place_date:day }} | "
        "{{ name|upper_vi }} | {{ day|dmy }}"
    )
    rendered = template.render(
        Context({"number": 3, "symbol": "TTr-VPB", "place": "Hà Nội", "day": date(2026, 1, 9), "name": "Đức"})
    )
    assert rendered == "Số: 03/TTr-VPB | Hà Nội, ngày 09 tháng 01 năm 2026 | ĐỨC | 09/01/2026"
