"""The one document layer of tdkt: every Word and PDF file goes through here; apps only build contexts.

- `render_docx("app/name.docx", context)`: docxtpl (Jinja in a Word file). The agency's own file in
  `settings.TDKT_TEMPLATE_DIR/app/name.docx` wins over the bundled `tdkt/<app>/documents/name.docx`, so
  an agency puts its letterhead in by dropping a file of the same name there.
- `render_pdf("app/....html", context)`: WeasyPrint from a Django template, styled by the one
  stylesheet `documents/document.css`, with the bundled Liberation Serif fonts and a URL fetcher that
  reads only files of tdkt's own font and static folders: a document never reaches the network.
- The Vietnamese formatting helpers (`place_date`, `number_symbol`, `upper_vi`, `dmy`, `join_vi`,
  `names_with_dates`) are filters of both: Jinja filters in Word templates, Django filters through
  `{% load documents %}`.

The layout is the national format of administrative documents, Decree 30/2020/NĐ-CP on clerical work
(Nghị định 30/2020/NĐ-CP về công tác văn thư), Appendix I "Thể thức, kỹ thuật trình bày văn bản hành
chính". What was read of it, through copies of its text (the official gazette was not reachable):

- Part I, I (general rules), read in the appendix's text: A4 (210 mm x 297 mm), portrait; margins
  top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm; Times New Roman, Unicode (TCVN 6909:2001),
  black; pages numbered from 1 in Arabic figures, 13-14 pt, upright, centred in the top margin, the
  number not shown on the first page.
- Part I, II.1, read in the appendix's text: national title "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in
  capitals, 12-13 pt, upright, bold, top right of the first page; motto "Độc lập - Tự do - Hạnh
  phúc" in lower case with each phrase capitalised, 13-14 pt, upright, bold, centred under the title.
  The rest of the item (the rule under the motto) was cut off in the copy read.
- Part I, II.3.c, read as quoted by a notary's page: the word "Số" in lower case, 13 pt, upright,
  followed by a colon; numbers below 10 take a leading 0; the symbol in capitals, 13 pt, a slash
  between number and symbol, hyphens between its groups, no spaces.
- Part I, II.4, read as quoted by several legal pages: the date is written in full in Arabic figures;
  days below 10 and months 1 and 2 take a leading 0 ("ngày 01 tháng 02 năm 2023", "ngày 12 tháng 3
  năm 2023"); the place is the official name of the province or city of the issuing body's seat.
- Article 13 and Part I, II.7, as summarised by legal pages: the authority marks KT. (ký thay), TM.
  (thay mặt), TL. (thừa lệnh), TUQ. (thừa ủy quyền), Q. (quyền) go before the office.

Not read in the decree's own text, taken from the brief and the older Circular 01/2011/TT-BNV (whose
text was read, and which the decree replaced with the same presentation): the managing body in
capitals, regular, over the issuing body in capitals, bold, with a short rule of 1/3 to 1/2 of its
line under it; the rule under the motto as long as the motto; the place and date in italics, 13-14 pt;
the document type in bold capitals, centred, with the subject in bold under it; "Nơi nhận:" 12 pt bold
italic and the recipients 11 pt, level with the signer's authority line on the left; the signer's
authority and office in bold capitals, the full name in bold; the minutes' two signers side by side.
The exact point sizes chosen inside each range are listed in docs/documents.md.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.core.errors import ServiceError
from tdkt.core.text import clean

logger = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STYLESHEET = "documents/document.css"
# Blanks left for a hand-written number or date on a draft; non-breaking so HTML keeps them.
BLANK = "\u00a0" * 6

_TEMPLATE_NAME = re.compile(r"^(?P<app>[a-z][a-z0-9_]*)/(?P<name>[A-Za-z0-9_][A-Za-z0-9_.-]*)$")


class DocumentError(ServiceError):
    """A document could not be made; the message names the template and says why, in Vietnamese."""

    def __init__(self, message, *, template: str = "", path: Path | None = None):
        super().__init__(message)
        self.template = template
        self.path = path


class FetchRefused(ValueError):
    """The PDF renderer asked for a resource outside tdkt's own font and static folders."""


# --- Vietnamese formatting, shared by the Word and the PDF templates ---------------------------------


def _as_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip())
    raise TypeError(f"not a date: {value!r}")


def upper_vi(text) -> str:
    """Vietnamese in capitals, composed (NFC) so every letter is one glyph: "Vụ Thi đua" -> "VỤ THI ĐUA".

    The Icelandic eth (ð, Ð: U+00F0, U+00D0), which old font conversions leave for "đ", becomes the
    Vietnamese Đ (U+0110): they look alike but do not sort or search alike."""
    text = clean(None if text is None else str(text)).translate({0xF0: "đ", 0xD0: "Đ"})
    return unicodedata.normalize("NFC", text.upper())


def place_date(place, day) -> str:
    """Place and date, "Hà Nội, ngày 05 tháng 12 năm 2026": days below 10 and months 1 and 2 with a
    leading 0 (Decree 30/2020, Appendix I, Part I, II.4). Without a day, blanks to fill in by hand."""
    place = clean(place)
    value = _as_date(day)
    if value is None:
        when = f"ngày{BLANK}tháng{BLANK}năm{BLANK}"
    else:
        month = f"{value.month:02d}" if value.month < 3 else str(value.month)
        when = f"ngày {value.day:02d} tháng {month} năm {value.year}"
    return f"{place}, {when}" if place else when[:1].upper() + when[1:]


def number_symbol(number, symbol="") -> str:
    """Number and symbol, "Số: 12/QĐ-VPB": numbers below 10 with a leading 0, the symbol without
    spaces (Decree 30/2020, Appendix I, Part I, II.3). The symbol keeps its case: the decree's own
    abbreviations are not all capitals ("TTr" for tờ trình). Without a number (a draft), a blank."""
    symbol = "".join(clean(symbol).split())
    if number is None or str(number).strip() == "":
        shown = BLANK
    else:
        shown = str(number).strip()
        if shown.isdigit():
            shown = f"{int(shown):02d}"
    return f"Số: {shown}/{symbol}" if symbol else f"Số: {shown}"


def dmy(value) -> str:
    """A date as dd/mm/yyyy ("05/12/2026"), the way tdkt writes dates in lists; "" for no date."""
    value = _as_date(value)
    return value.strftime("%d/%m/%Y") if value else ""


def join_vi(items: Iterable) -> str:
    """A list in a sentence: "A, B và C"."""
    items = [clean(str(item)) for item in items if item not in (None, "")]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def names_with_dates(items: Iterable) -> str:
    """People with a date each (birth, decision, ...), in a sentence: "Nguyễn Văn An (05/12/1980),
    Trần Thị Bình (01/02/1990) và Lê Cường". Each item is a (name, date) pair or a mapping with "name"
    and "date"; a missing date leaves the name alone."""
    parts = []
    for item in items:
        name, day = (item.get("name"), item.get("date")) if isinstance(item, Mapping) else item
        shown = dmy(day)
        parts.append(f"{clean(name)} ({shown})" if shown else clean(name))
    return join_vi(parts)


FILTERS = {
    "upper_vi": upper_vi,
    "place_date": place_date,
    "number_symbol": number_symbol,
    "dmy": dmy,
    "join_vi": join_vi,
    "names_with_dates": names_with_dates,
}


# --- Word ---------------------------------------------------------------------------------------------


def template_dir() -> Path:
    """The agency's template folder: a file there replaces the bundled template of the same name."""
    return Path(getattr(settings, "TDKT_TEMPLATE_DIR", Path(settings.DATA_DIR) / "templates"))


def docx_template_path(template: str) -> tuple[Path, bool]:
    """Where the Word template "app/name.docx" is read from, and whether it is the agency's own."""
    match = _TEMPLATE_NAME.match(template or "")
    if not match or not template.endswith(".docx") or ".." in template:
        raise DocumentError(
            _("Tên mẫu văn bản '%(template)s' không hợp lệ (dạng đúng: ứng_dụng/tên.docx).")
            % {"template": template},
            template=template,
        )
    agency = template_dir() / match["app"] / match["name"]
    if agency.is_file():
        return agency, True
    try:
        app_path = Path(apps.get_app_config(match["app"]).path)
    except LookupError:
        app_path = None
    if app_path is not None and (app_path / "documents" / match["name"]).is_file():
        return app_path / "documents" / match["name"], False
    raise DocumentError(
        _("Không tìm thấy mẫu văn bản '%(template)s'.") % {"template": template}, template=template
    )


@functools.cache
def _jinja_env():
    from jinja2.sandbox import SandboxedEnvironment

    # Sandboxed: an agency's Word file is a template the agency wrote, not code we reviewed.
    # Autoescaped: values become XML text, so "Phòng Tổ chức & Cán bộ" cannot break the file.
    env = SandboxedEnvironment(autoescape=True)
    env.filters.update(FILTERS)
    return env


def _where(template: str, agency: bool) -> str:
    if agency:
        return _("mẫu '%(template)s' trong thư mục mẫu của cơ quan") % {"template": template}
    return _("mẫu có sẵn '%(template)s'") % {"template": template}


def render_docx(template: str, context: dict) -> bytes:
    """The Word file made from the template "app/name.docx" and `context`, as bytes."""
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from lxml.etree import XMLSyntaxError

    path, agency = docx_template_path(template)
    where = _where(template, agency)
    document = DocxTemplate(str(path))
    try:
        document.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        logger.warning("Word template %s cannot be opened: %s", path, exc)
        raise DocumentError(
            _("Không mở được %(where)s: tệp không phải văn bản Word (.docx) hợp lệ.") % {"where": where},
            template=template,
            path=path,
        ) from exc
    try:
        document.render(dict(context), jinja_env=_jinja_env())
    except TemplateError as exc:
        near = " ".join(" ".join(getattr(exc, "docx_context", [])).split())[:160]
        error = str(exc).rstrip(".")
        message = _("%(where)s có lỗi trong trường trộn: %(error)s.") % {"where": where, "error": error}
        if near:
            message += " " + _("Gần đoạn: “%(near)s”.") % {"near": near}
        raise DocumentError(message[:1].upper() + message[1:], template=template, path=path) from exc
    except XMLSyntaxError as exc:
        logger.warning("Word template %s made invalid XML: %s", path, exc)
        message = _("%(where)s tạo ra nội dung Word không hợp lệ; kiểm tra các thẻ {%% %%}.") % {
            "where": where
        }
        raise DocumentError(message[:1].upper() + message[1:], template=template, path=path) from exc
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------


def fetch_roots() -> tuple[Path, ...]:
    """The only folders the PDF renderer may read: the bundled fonts and tdkt's static files."""
    return (FONT_DIR, STATIC_DIR)


def local_file(url: str, roots: Iterable[Path] | None = None) -> Path:
    """The file a file:// URL names, when it lies inside `roots` (after resolving "..", symlinks);
    otherwise FetchRefused. Any other scheme (http, https, ftp, ...) is refused."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"refused (only local files of tdkt): {url}")
    path = Path(url2pathname(parts.path)).resolve()
    for root in roots if roots is not None else fetch_roots():
        if path.is_relative_to(Path(root).resolve()) and path.is_file():
            return path
    raise FetchRefused(f"refused (outside tdkt's font and static folders): {url}")


@functools.cache
def _fetcher_class():
    # WeasyPrint loads Pango when imported: only PDF rendering pays for it, not every web process.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFileFetcher(URLFetcher):
        """Serves tdkt's own fonts and static files and data: URLs; refuses everything else."""

        def __init__(self, roots: Iterable[Path] | None = None):
            super().__init__(allowed_protocols=("data",), allow_redirects=False)
            self.roots = tuple(Path(root).resolve() for root in (roots or fetch_roots()))

        def fetch(self, url, headers=None):
            if urlsplit(url).scheme.lower() == "data":  # inline bytes: nothing is fetched
                return super().fetch(url, headers)
            try:
                path = local_file(url, self.roots)
            except FetchRefused:
                logger.warning("PDF resource refused: %s", url)
                raise
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime})

    return LocalFileFetcher


def local_url_fetcher(roots: Iterable[Path] | None = None):
    """WeasyPrint's URL fetcher for tdkt: only files under `roots` (default `fetch_roots()`)."""
    return _fetcher_class()(roots)


def render_pdf(template: str, context: dict) -> bytes:
    """The PDF made from the Django template `template` and `context`, as bytes (A4, bundled fonts)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    try:
        html = render_to_string(template, context)
        css = render_to_string(STYLESHEET)
    except TemplateDoesNotExist as exc:
        raise DocumentError(
            _("Không tìm thấy mẫu văn bản '%(template)s'.") % {"template": exc}, template=template
        ) from exc
    except TemplateSyntaxError as exc:
        raise DocumentError(
            _("Mẫu văn bản '%(template)s' có lỗi: %(error)s.") % {"template": template, "error": exc},
            template=template,
        ) from exc
    fetcher = local_url_fetcher()
    fonts = FontConfiguration()
    # The stylesheet names the font files relative to the font folder; the page's own relative links
    # (an image, a logo) resolve inside tdkt's static folder.
    stylesheet = CSS(string=css, base_url=FONT_DIR.as_uri() + "/", url_fetcher=fetcher, font_config=fonts)
    page = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return page.write_pdf(stylesheets=[stylesheet], font_config=fonts)
