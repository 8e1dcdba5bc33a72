"""Word templates drawn from code, in the national format of Decree 30/2020/NĐ-CP (see
tdkt.core.documents for what was read of it).

Every bundled .docx is made here with python-docx and holds docxtpl placeholders; the files are
committed because they are what an agency copies, opens in Word and edits into its own letterhead
(then drops into TDKT_TEMPLATE_DIR). `tdkt build_document_templates` makes them again from code.

An app registers its templates in its own `docx_templates.py`:

    from tdkt.core.docx_templates import Para, bundled, national_document

    @bundled("councils/bien_ban.docx")
    def bien_ban(path):
        national_document(path, doc_type_placeholder="BIÊN BẢN", body_paragraphs=[...], signature="two")

Placeholders every template made by `national_document` reads (the same names as the HTML includes):
    issuer.parent, issuer.name        managing body (optional) and issuing body
    number, symbol                    12, "QĐ-VPB"  -> "Số: 12/QĐ-VPB"
    place, day                        "Hà Nội", date(2026, 12, 5) -> "Hà Nội, ngày 05 tháng 12 năm 2026"
    subject                           the subject line (trích yếu), unless subject_placeholder=None
    recipients                        list of lines under "Nơi nhận:"
    signer.authority, .title, .name   signature="one": "KT. THỦ TRƯỞNG", "PHÓ THỦ TRƯỞNG", full name
    signers[0], signers[1]            signature="two": left and right signer (title, name)
    table.title, table.note, ...      the annexed list on its own page, when `table` is given
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tdkt.core.documents import FONT_DIR

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165
HEADER_COLUMNS_MM = (65, 100)  # bodies | national title: "CỘNG HÒA ... VIỆT NAM" at 12 pt is 88 mm
SIGNATURE_COLUMNS_MM = (80, 85)  # recipients | signer

# Point sizes chosen inside the decree's ranges; document.css uses the same.
SIZE = {
    "body": 13,
    "bodies": 12,  # managing and issuing body
    "title": 12,  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    "motto": 13,
    "number": 13,
    "place_date": 13,
    "doc_type": 14,
    "subject": 14,
    "signer": 13,
    "signer_name": 14,
    "recipients_label": 12,
    "recipients": 11,
    "table": 12,
    "page_number": 13,
}
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ISSUER_RULE_MM = 22  # 1/3 to 1/2 of a usual issuing body's line; an agency adjusts it to its name
SUBJECT_RULE_MM = 35
SIGNATURE_SPACE_PT = 72  # room for the signature and the seal

# Children that follow <w:pBdr> in <w:pPr> and <w:tblW> in <w:tblPr> (the schema fixes their order).
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_TBLW = (
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)

ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


@dataclass(frozen=True)
class Para:
    """One body paragraph: text with placeholders. A `{%p ... %}` line is a docxtpl tag paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    align: Literal["justify", "center", "left", "right"] = "justify"
    indent: bool = True  # first line indented 10 mm


@dataclass(frozen=True)
class Column:
    header: str
    cell: str  # placeholder for one row, e.g. "{{ row.name }}" or "{{ loop.index }}"
    width_mm: float
    align: Literal["center", "left", "right", "justify"] = "left"


@dataclass(frozen=True)
class AnnexTable:
    """The annexed list, on its own page after the signature, under `{{ table.title }}` and the line
    `{{ table.note }}` ("(Kèm theo Quyết định số ... ngày ...)").

    With `columns`, a fixed set of columns and one row per item of `rows` (a context expression).
    Without, the columns come from the context too: `table.columns` (headers) and `table.rows` (lists
    of cells)."""

    columns: Sequence[Column] = field(default_factory=tuple)
    rows: str = "table.rows"
    when: str = "table"


# --- building blocks ----------------------------------------------------------------------------------


@functools.cache
def _font_metrics(bold: bool):
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_DIR / ("LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"))
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of `text` in Times New Roman (Liberation Serif has the same metrics)."""
    cmap, hmtx, units = _font_metrics(bold)
    advance = sum(hmtx[cmap[ord(ch)]][0] for ch in text if ord(ch) in cmap)
    return advance * size_pt / units * 25.4 / 72


def _fonts(rpr) -> None:
    """Times New Roman for every script slot, without the theme fonts Word would prefer."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _new_document():
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)

    # Document defaults: every style (tables, header) starts from Times New Roman 13 pt, Vietnamese.
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(SIZE["body"] * 2))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    paragraph_defaults = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = paragraph_defaults.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(SIZE["body"])
    _fonts(normal.element.get_or_add_rPr())

    # Page numbers centred in the top margin, none on the first page (Appendix I, Part I, I.7).
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    run_pr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(SIZE["page_number"] * 2))
    run_pr.append(size)
    run.append(run_pr)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field_.append(run)
    number._p.append(field_)

    props = document.core_properties
    props.author = props.last_modified_by = "tdkt"
    props.language = LANGUAGE
    props.revision = 1
    # Fixed, so that a rebuild changes the file only where the layout changed.
    props.created = props.modified = datetime(2026, 1, 1)
    return document


def _paragraph(
    container,
    text: str = "",
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align: str = "center",
    before: float = 0,
    after: float = 0,
    first_line_mm: float | None = None,
    line: float | None = None,
):
    """A paragraph with one run: docxtpl needs each {{ }} or {% %} whole inside one run."""
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN[align]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if first_line_mm:
        fmt.first_line_indent = Mm(first_line_mm)
    if line:
        fmt.line_spacing = line
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.italic = italic
    else:
        paragraph.paragraph_format.line_spacing = Pt(size)
    return paragraph


def _tag(container, text: str) -> None:
    """A docxtpl tag paragraph ({%p if ... %}, {%p for ... %}): removed from the output."""
    _paragraph(container, text, size=SIZE["body"], align="left")


def _rule(container, width_mm: float, within_mm: float) -> None:
    """A centred horizontal rule `width_mm` long: an empty 2 pt paragraph with a top border."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max((within_mm - width_mm) / 2, 0)
    fmt.left_indent = fmt.right_indent = Mm(side)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}.items():
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def _layout_table(container, rows: int, widths_mm: Sequence[float]):
    """A table without borders, of fixed column widths, for laying out blocks side by side."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # <w:tblLayout w:type="fixed"/>
    for i, width in enumerate(widths_mm):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)
    for cell in table._cells:  # python-docx leaves one empty paragraph in each new cell
        cell._tc.remove(cell.paragraphs[0]._p)
    return table


def _cell_width(width_mm: float) -> float:
    return width_mm - 2 * 1.9  # Word's default cell margins, 0.19 cm each side


def _national_header(document) -> None:
    left, right = HEADER_COLUMNS_MM
    table = _layout_table(document, 2, HEADER_COLUMNS_MM)
    bodies, nation = table.cell(0, 0), table.cell(0, 1)
    _tag(bodies, "{%p if issuer.parent %}")
    _paragraph(bodies, "{{ issuer.parent|upper_vi }}", size=SIZE["bodies"])
    _tag(bodies, "{%p endif %}")
    _paragraph(bodies, "{{ issuer.name|upper_vi }}", size=SIZE["bodies"], bold=True)
    _rule(bodies, ISSUER_RULE_MM, _cell_width(left))
    _paragraph(nation, NATIONAL_TITLE, size=SIZE["title"], bold=True)
    _paragraph(nation, MOTTO, size=SIZE["motto"], bold=True)
    _rule(nation, text_width_mm(MOTTO, SIZE["motto"], bold=True), _cell_width(right))
    _paragraph(table.cell(1, 0), "{{ number|number_symbol(symbol) }}", size=SIZE["number"], before=6)
    _paragraph(
        table.cell(1, 1), "{{ place|place_date(day) }}", size=SIZE["place_date"], italic=True, before=6
    )


def _title(document, doc_type_placeholder: str, subject_placeholder: str | None) -> None:
    _paragraph(document, doc_type_placeholder, size=SIZE["doc_type"], bold=True, before=18)
    if subject_placeholder:
        _paragraph(document, subject_placeholder, size=SIZE["subject"], bold=True)
        _rule(document, SUBJECT_RULE_MM, TEXT_WIDTH_MM)
    _paragraph(document, size=SIZE["body"], after=6)


def _body(document, item: str | Para) -> None:
    item = Para(item) if isinstance(item, str) else item
    if item.text.startswith("{%p"):
        _tag(document, item.text)
        return
    _paragraph(
        document,
        item.text,
        size=SIZE["body"],
        bold=item.bold,
        italic=item.italic,
        align=item.align,
        after=6,
        first_line_mm=10 if item.indent and item.align == "justify" else None,
        line=1.15,
    )


def _recipients(cell) -> None:
    _tag(cell, "{%p if recipients %}")
    _paragraph(cell, "Nơi nhận:", size=SIZE["recipients_label"], bold=True, italic=True, align="left")
    _tag(cell, "{%p for line in recipients %}")
    _paragraph(cell, "- {{ line }}", size=SIZE["recipients"], align="left")
    _tag(cell, "{%p endfor %}")
    _tag(cell, "{%p endif %}")


def _signer(cell, var: str) -> None:
    _tag(cell, "{%p if " + var + ".authority %}")
    _paragraph(cell, "{{ " + var + ".authority|upper_vi }}", size=SIZE["signer"], bold=True)
    _tag(cell, "{%p endif %}")
    _paragraph(cell, "{{ " + var + ".title|upper_vi }}", size=SIZE["signer"], bold=True)
    _paragraph(cell, "{{ " + var + ".name }}", size=SIZE["signer_name"], bold=True, before=SIGNATURE_SPACE_PT)


def _signature(document, signature: str) -> None:
    if signature == "one":
        table = _layout_table(document, 1, SIGNATURE_COLUMNS_MM)
        _recipients(table.cell(0, 0))
        _paragraph(table.cell(0, 0), size=2)  # a cell needs a paragraph when there are no recipients
        _signer(table.cell(0, 1), "signer")
        return
    # Minutes: two signers side by side (the first on the left), the recipients under them.
    half = TEXT_WIDTH_MM / 2
    table = _layout_table(document, 1, (half, half))
    _signer(table.cell(0, 0), "signers[0]")
    _signer(table.cell(0, 1), "signers[1]")
    _paragraph(document, size=SIZE["body"], after=6)
    _recipients(document)


def _annex(document, annex: AnnexTable) -> None:
    _tag(document, "{%p if " + annex.when + " %}")
    heading = _paragraph(document, "{{ table.title|upper_vi }}", size=SIZE["doc_type"], bold=True)
    heading.paragraph_format.page_break_before = True
    _tag(document, "{%p if table.note %}")
    _paragraph(document, "{{ table.note }}", size=SIZE["body"], italic=True)
    _tag(document, "{%p endif %}")
    _paragraph(document, size=SIZE["body"], after=6)

    size = SIZE["table"]
    if annex.columns:
        table = document.add_table(rows=4, cols=len(annex.columns))
        for i, column in enumerate(annex.columns):
            table.columns[i].width = Mm(column.width_mm)
            for cell in table.columns[i].cells:
                cell.width = Mm(column.width_mm)
            _cell_text(table.cell(0, i), column.header, size=size, bold=True, align="center")
            _cell_text(table.cell(2, i), column.cell, size=size, align=column.align)
        _cell_text(table.cell(1, 0), "{%tr for row in " + annex.rows + " %}", size=size)
        _cell_text(table.cell(3, 0), "{%tr endfor %}", size=size)
    else:
        # Columns from the context: {%tc for %} repeats the middle cell; docxtpl fixes the grid after.
        table = document.add_table(rows=4, cols=3)
        _cell_text(table.cell(0, 0), "{%tc for col in table.columns %}", size=size)
        _cell_text(table.cell(0, 1), "{{ col }}", size=size, bold=True, align="center")
        _cell_text(table.cell(0, 2), "{%tc endfor %}", size=size)
        _cell_text(table.cell(1, 0), "{%tr for row in " + annex.rows + " %}", size=size)
        _cell_text(table.cell(2, 0), "{%tc for value in row %}", size=size)
        _cell_text(table.cell(2, 1), "{{ value }}", size=size, align="left")
        _cell_text(table.cell(2, 2), "{%tc endfor %}", size=size)
        _cell_text(table.cell(3, 0), "{%tr endfor %}", size=size)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), "5000")
    width.set(qn("w:type"), "pct")
    existing = table._tbl.tblPr.find(qn("w:tblW"))
    if existing is not None:
        table._tbl.tblPr.remove(existing)
    table._tbl.tblPr.insert_element_before(width, *_AFTER_TBLW)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row again on every page of a long list
    header.append(repeat)
    _tag(document, "{%p endif %}")


def _cell_text(cell, text: str, *, size: float, bold: bool = False, align: str = "left") -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = ALIGN[align]
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold


# --- the public builder -------------------------------------------------------------------------------


def national_document(
    path: Path | str,
    *,
    doc_type_placeholder: str,
    body_paragraphs: Sequence[str | Para],
    subject_placeholder: str | None = "{{ subject }}",
    table: AnnexTable | None = None,
    signature: Literal["one", "two"] = "one",
) -> Path:
    """Write a Word template of an administrative document to `path`: national header, document type
    and subject, the body, recipients and signature (one signer, or two side by side for minutes), and
    an optional annexed list on its own page."""
    if signature not in ("one", "two"):
        raise ValueError(f"signature must be 'one' or 'two', not {signature!r}")
    document = _new_document()
    _national_header(document)
    _title(document, doc_type_placeholder, subject_placeholder)
    for item in body_paragraphs:
        _body(document, item)
    _signature(document, signature)
    if table is not None:
        _annex(document, table)
    # Word wants a paragraph after a last table; a small one keeps the page count honest.
    _paragraph(document, size=2)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


# --- the bundled templates ----------------------------------------------------------------------------

_BUILDERS: dict[str, Callable[[Path], object]] = {}


def bundled(name: str):
    """Register the builder of the bundled template "app/name.docx" (see the module docstring)."""

    def register(builder: Callable[[Path], object]):
        _BUILDERS[name] = builder
        return builder

    return register


def bundled_templates() -> dict[str, Callable[[Path], object]]:
    """Every registered builder, after importing each installed app's `docx_templates` module."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("docx_templates")
    return dict(sorted(_BUILDERS.items()))


def build_bundled(names: Sequence[str] = (), output: Path | None = None) -> list[tuple[str, Path]]:
    """Make the bundled templates again (all, or `names`) into `<app>/documents/` or `output/<app>/`."""
    from django.apps import apps

    builders = bundled_templates()
    unknown = sorted(set(names) - set(builders))
    if unknown:
        raise KeyError(", ".join(unknown))
    made = []
    for name, builder in builders.items():
        if names and name not in names:
            continue
        app, file_name = name.split("/", 1)
        folder = Path(output) / app if output else Path(apps.get_app_config(app).path) / "documents"
        target = folder / file_name
        builder(target)
        made.append((name, target))
    return made


@bundled("core/van_ban.docx")
def van_ban(path: Path) -> Path:
    """The generic administrative document ("văn bản hành chính"): `doc_type`, `subject`, `body` (a list
    of paragraphs), an optional `table` (title, note, columns, rows), `recipients`, `signer`."""
    return national_document(
        path,
        doc_type_placeholder="{{ doc_type|upper_vi }}",
        body_paragraphs=["{%p for para in body %}", "{{ para }}", "{%p endfor %}"],
        table=AnnexTable(),
        signature="one",
    )
