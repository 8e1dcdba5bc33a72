"""Certificates of awards (Bằng khen, Giấy khen, certificates of titles) as PDF, one sheet per award.

A `CertificateLayout` per award code says how its sheets are printed:
- `full`: the whole certificate drawn on plain paper — national title and motto, the issuing
  authority, the form's name in large capitals, "Tặng" and the recipient, position and unit, the
  achievement, the decision's number and date, the register number, place and date, the signer, a border;
- `blank`: only the variable fields, each at its position in millimetres on the agency's pre-printed
  paper (x, y of the text's baseline from the sheet's top left corner, font size, alignment around x,
  widest run), with a global offset that corrects the printer's own shift. `calibration_pdf` prints
  the same sheet with a millimetre grid and a labelled crosshair at every field, to print on a blank
  and adjust.

Without a stored layout an award code gets `default_layout(code)` (full mode, A4 landscape).
Rendering goes through core.documents.render_pdf (WeasyPrint, bundled Liberation Serif, no network);
texts that would overrun their width are set smaller, measured with the font's own advance widths.

The writes of this capability (`layout_save`, `decision_attach_signed`) are here, next to the rules
they check, with the permission re-checked and one audit event each.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.accounts.rules import require_perm
from tdkt.awards.documents import place_of
from tdkt.awards.enums import DecisionStatus
from tdkt.awards.models import CertificateLayout, CertificateMode, Decision, Orientation, PageSize
from tdkt.core import signing
from tdkt.core.audit import audit, diff, snapshot
from tdkt.core.documents import FONT_DIR, dmy, number_symbol, place_date, render_pdf, upper_vi
from tdkt.core.errors import ServiceError
from tdkt.core.signing import SignatureReport
from tdkt.core.text import clean
from tdkt.core.uploads import CheckedFile, storage_name
from tdkt.org.enums import TITLE_CODES, AwardCode, Gender, IssuerLevel
from tdkt.org.models import AwardRecord
from tdkt.rulebook.services import award_name

TEMPLATE = "awards/certificates/document.html"
CALIBRATION_TEMPLATE = "awards/certificates/calibration.html"

PT_MM = 25.4 / 72  # one point in millimetres
PAGE_MM = {PageSize.A4: (210, 297), PageSize.A3: (297, 420)}  # short side, long side
A3_SCALE = 297 / 210  # a full A3 sheet is the A4 drawing enlarged (√2)
SIZE_MIN, SIZE_MAX = 6, 72
OFFSET_MAX = Decimal(30)  # mm; a printer shifts by a few, not by centimetres
ALIGNS = ("left", "center", "right")
ALIGN_LABELS = {"left": gettext_lazy("Trái"), "center": gettext_lazy("Giữa"), "right": gettext_lazy("Phải")}
LINE_HEIGHT = 1.2  # of every printed field; the baseline offset below depends on it

# the form's name printed on the sheet when the agency has not written its own
DEFAULT_TITLES = {
    AwardCode.GIAY_KHEN: "GIẤY KHEN",
    AwardCode.BANG_KHEN_BO: "BẰNG KHEN",
    AwardCode.BANG_KHEN_TTG: "BẰNG KHEN",
}
TITLE_SHEET = "GIẤY CHỨNG NHẬN"  # the certificate of an emulation title (Chiến sĩ thi đua, ...)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: object  # lazy Vietnamese label
    sample: str  # printed on the calibration sheet
    bold: bool
    italic: bool
    # default position as fractions of the sheet's width and height, size in pt, alignment, width
    fx: float
    fy: float
    size: float
    align: str
    fwidth: float


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("authority", gettext_lazy("Người, cơ quan khen"), "BỘ TRƯỞNG BỘ THỬ NGHIỆM",
              True, False, 0.5, 0.30, 15, "center", 0.70),
    FieldSpec("recipient", gettext_lazy("Người, tập thể được khen"), "Bà Nguyễn Thị Hằng Nguyệt",
              True, False, 0.5, 0.50, 24, "center", 0.75),
    FieldSpec("position", gettext_lazy("Chức vụ, đơn vị"), "Chuyên viên, Phòng Tổ chức - Cán bộ",
              False, False, 0.5, 0.57, 15, "center", 0.75),
    FieldSpec("achievement", gettext_lazy("Thành tích"),
              "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025",
              False, True, 0.5, 0.64, 15, "center", 0.75),
    FieldSpec("decision", gettext_lazy("Số, ngày quyết định"), "Quyết định số 05/QĐ-CĐS ngày 15/01/2026",
              False, False, 0.22, 0.86, 12, "center", 0.36),
    FieldSpec("register", gettext_lazy("Số sổ"), "Số sổ: 000123",
              False, False, 0.22, 0.90, 12, "center", 0.36),
    FieldSpec("place_date", gettext_lazy("Địa danh, ngày tháng"), "Hà Nội, ngày 15 tháng 01 năm 2026",
              False, True, 0.72, 0.73, 14, "center", 0.46),
    FieldSpec("signer_title", gettext_lazy("Chức vụ người ký"), "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG",
              True, False, 0.72, 0.78, 14, "center", 0.46),
    FieldSpec("signer_name", gettext_lazy("Họ tên người ký"), "Lê Văn Ký",
              True, False, 0.72, 0.92, 15, "center", 0.46),
)  # fmt: skip
FIELD_NAMES = tuple(f.name for f in FIELDS)
SPECS = {f.name: f for f in FIELDS}


# --- pages and positions ----------------------------------------------------------------------------


def page_mm(page_size: str, orientation: str) -> tuple[float, float]:
    """Width and height of the sheet in millimetres."""
    short, long = PAGE_MM.get(page_size, PAGE_MM[PageSize.A4])
    return (long, short) if orientation == Orientation.LANDSCAPE else (short, long)


def default_positions(page_size: str = PageSize.A4, orientation: str = Orientation.LANDSCAPE) -> dict:
    """Where each field goes on a blank of this size, before the agency measures its own."""
    width, height = page_mm(page_size, orientation)
    scale = width / 297 if orientation == Orientation.LANDSCAPE else width / 210

    def mm(value: float) -> float:
        return round(value * 2) / 2  # half millimetres

    return {
        f.name: {
            "enabled": True,
            "x": mm(f.fx * width),
            "y": mm(f.fy * height),
            "size": round(f.size * (scale if scale > 1 else 1), 1),
            "align": f.align,
            "width": mm(f.fwidth * width),
        }
        for f in FIELDS
    }


def default_title(code: str) -> str:
    if code in DEFAULT_TITLES:
        return DEFAULT_TITLES[code]
    return TITLE_SHEET if code in TITLE_CODES else upper_vi(award_name(code))


def default_layout(code: str) -> CertificateLayout:
    """The layout used when the agency has stored none for `code` (not saved): full, A4 landscape."""
    return CertificateLayout(
        award_code=code,
        mode=CertificateMode.FULL,
        title=default_title(code),
        page_size=PageSize.A4,
        orientation=Orientation.LANDSCAPE,
        offset_x_mm=Decimal(0),
        offset_y_mm=Decimal(0),
        positions=default_positions(),
    )


def layout_for(code: str) -> CertificateLayout:
    return CertificateLayout.objects.filter(award_code=code).first() or default_layout(code)


def layouts_overview() -> list[CertificateLayout]:
    """The stored layouts and, for Giấy khen and Bằng khen when none is stored, their defaults."""
    stored = {layout.award_code: layout for layout in CertificateLayout.objects.select_related("changed_by")}
    for code in (AwardCode.GIAY_KHEN, AwardCode.BANG_KHEN_BO):
        stored.setdefault(code, default_layout(code))
    return sorted(stored.values(), key=lambda layout: list(AwardCode.values).index(layout.award_code))


def positions_of(layout: CertificateLayout) -> dict:
    """Every field's position, the layout's own over the defaults of its sheet size. The form saves
    only positions that fit; a stored one that does not (an old row, a hand edit) is not trusted: that
    field keeps its default, so the certificates still print."""
    merged = default_positions(layout.page_size, layout.orientation)
    stored = layout.positions if isinstance(layout.positions, dict) else {}
    for name, spec in stored.items():
        if name in merged and isinstance(spec, dict):
            candidate = merged[name] | {k: spec[k] for k in merged[name] if k in spec}
            if not position_problems(layout.page_size, layout.orientation, {name: candidate}):
                merged[name] = {
                    k: (float(v) if k in ("x", "y", "size", "width") else v) for k, v in candidate.items()
                }
    return merged


def _number(value, field: str, label) -> float:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ServiceError(_("%(label)s: không phải số.") % {"label": label}, field=field) from None
    if not number.is_finite():
        raise ServiceError(_("%(label)s: không phải số.") % {"label": label}, field=field)
    return float(number)


def position_problems(page_size: str, orientation: str, positions: dict) -> list[tuple[str, str]]:
    """(form field, Vietnamese message) for every position that does not fit the sheet: x and y inside
    the page, the text's whole width inside it for its alignment, font size 6–72 pt."""
    width, height = page_mm(page_size, orientation)
    problems = []
    for name, spec in positions.items():
        if name not in SPECS:
            problems.append(("", _("Trường không có trong mẫu: %(name)s.") % {"name": name}))
            continue
        label = SPECS[name].label
        try:
            x = _number(spec.get("x"), f"{name}_x", label)
            y = _number(spec.get("y"), f"{name}_y", label)
            size = _number(spec.get("size"), f"{name}_size", label)
            run = _number(spec.get("width"), f"{name}_width", label)
        except ServiceError as exc:
            problems.append((exc.field, exc.message))
            continue
        align = spec.get("align")
        if align not in ALIGNS:
            problems.append((f"{name}_align", _("%(label)s: căn lề không hợp lệ.") % {"label": label}))
            continue
        if not 0 <= x <= width:
            problems.append(
                (f"{name}_x", _("%(label)s: x phải từ 0 đến %(max)s mm.") % {"label": label, "max": width})
            )
        if not 0 <= y <= height:
            problems.append(
                (f"{name}_y", _("%(label)s: y phải từ 0 đến %(max)s mm.") % {"label": label, "max": height})
            )
        if not SIZE_MIN <= size <= SIZE_MAX:
            problems.append(
                (
                    f"{name}_size",
                    _("%(label)s: cỡ chữ phải từ %(min)s đến %(max)s pt.")
                    % {"label": label, "min": SIZE_MIN, "max": SIZE_MAX},
                )
            )
        left = {"left": x, "center": x - run / 2, "right": x - run}[align]
        if run <= 0 or left < 0 or left + run > width:
            problems.append(
                (
                    f"{name}_width",
                    _("%(label)s: độ rộng %(run)s mm vượt ra ngoài khổ giấy (rộng %(max)s mm).")
                    % {"label": label, "run": _mm(run), "max": width},
                )
            )
    return problems


def _mm(value: float) -> str:
    return f"{value:g}".replace(".", ",")


# --- measuring text ---------------------------------------------------------------------------------


@functools.cache
def _font_metrics(bold: bool, italic: bool):
    from fontTools.ttLib import TTFont

    style = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic"}.get(
        (bold, italic), "BoldItalic"
    )
    font = TTFont(str(FONT_DIR / f"LiberationSerif-{style}.ttf"), lazy=True)
    units = font["head"].unitsPerEm
    advances = {code: font["hmtx"][glyph][0] for code, glyph in font.getBestCmap().items()}
    hhea = font["hhea"]
    return units, advances, hhea.ascent / units, -hhea.descent / units


def text_width_mm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """How wide `text` prints in the bundled font (advance widths; kerning is not applied)."""
    units, advances, _ascent, _descent = _font_metrics(bold, italic)
    fallback = units // 2
    total = sum(advances.get(ord(ch), fallback) for ch in unicodedata.normalize("NFC", text))
    return total / units * size_pt * PT_MM


def fit_size(text: str, size: float, width_mm: float, *, bold=False, italic=False, floor=None) -> float:
    """The largest size up to `size` at which the longest line of `text` fits `width_mm` (not below
    `floor`, default 70 % of `size` and never under 6 pt; beyond that the text wraps)."""
    floor = max(SIZE_MIN, floor if floor is not None else size * 0.7)
    longest = max(
        (text_width_mm(line, size, bold=bold, italic=italic) for line in text.splitlines() or [""]), default=0
    )
    if longest <= width_mm or longest == 0:
        return size
    return round(max(floor, size * width_mm / longest * 0.98), 1)


def baseline_mm(size_pt: float, *, bold=False, italic=False) -> float:
    """From the top of a line box (line-height LINE_HEIGHT) down to its baseline."""
    _units, _adv, ascent, descent = _font_metrics(bold, italic)
    return ((LINE_HEIGHT - (ascent + descent)) / 2 + ascent) * size_pt * PT_MM


# --- what a certificate says ------------------------------------------------------------------------


def _is_deputy(title: str) -> bool:
    title = clean(title).lower()
    return title.startswith("phó") or title.startswith("thứ trưởng")


def _years(record: AwardRecord) -> str:
    if record.first_year == record.last_year:
        return _("năm %(y)s") % {"y": record.last_year}
    return _("giai đoạn %(a)s – %(b)s") % {"a": record.first_year, "b": record.last_year}


def achievement_text(record: AwardRecord, decision: Decision) -> str:
    """ "Đã có thành tích xuất sắc trong …" from the movement or the year of the decision."""
    if record.award_code in TITLE_CODES:
        return _("Đã đạt danh hiệu %(title)s %(years)s") % {
            "title": award_name(record.award_code),
            "years": _years(record),
        }
    movement = getattr(decision, "movement", None) if decision.movement_id else None
    if movement is not None:
        return _("Đã có thành tích xuất sắc trong phong trào thi đua “%(name)s”") % {"name": movement.name}
    return _("Đã có thành tích xuất sắc trong thực hiện nhiệm vụ %(years)s") % {"years": _years(record)}


def certificate_values(record: AwardRecord, layout: CertificateLayout, *, place: str | None = None) -> dict:
    """The texts of one certificate, by field name (the same for both modes). `place`: the decision's
    place when the caller already knows it (one query fewer per sheet)."""
    decision = record.decision_line.decision
    unit = decision.issuer_unit
    default_head = _("Bộ trưởng") if decision.level == IssuerLevel.MINISTRY else _("Thủ trưởng")
    signer_title = clean(decision.signer_title)
    deputy = bool(signer_title) and _is_deputy(signer_title)
    head = default_head if deputy or not signer_title else signer_title
    authority = upper_vi(layout.authority or f"{head} {unit.name}")
    if record.person_id:
        person = record.person
        honorific = {Gender.FEMALE: _("Bà"), Gender.MALE: _("Ông")}.get(person.gender, "")
        recipient = f"{honorific} {person.full_name}".strip()  # no guess from the name when not recorded
        position = ", ".join(t for t in (clean(person.position), record.unit.name) if t)
    else:
        recipient = record.collective.name
        position = record.unit.name
    number = number_symbol(decision.number, decision.symbol).removeprefix("Số: ")
    signer_authority = f"KT. {upper_vi(head)}" if deputy else ""
    day = dmy(decision.decided_on)
    return {
        "title": layout.title or default_title(record.award_code),
        "authority": authority,
        "verb": _("Chứng nhận") if record.award_code in TITLE_CODES else _("Tặng"),
        "recipient": recipient,
        "position": position,
        "achievement": achievement_text(record, decision),
        "decision": _("Quyết định số %(number)s ngày %(day)s") % {"number": number, "day": day},
        # the same in two lines, for the narrow corner of a portrait sheet
        "decision_number": _("Quyết định số %(number)s") % {"number": number},
        "decision_day": _("ngày %(day)s") % {"day": day},
        "register": _("Số sổ: %(n)s") % {"n": register_number(record)},
        "place_date": place_date(place if place is not None else place_of(unit), decision.decided_on),
        "signer_authority": signer_authority,
        "signer_title": upper_vi(signer_title or head),
        "signer_name": decision.signer_name,
    }


def register_number(record: AwardRecord) -> str:
    """The award's number in tdkt's register of awards (its record), six digits: "000123"."""
    return f"{record.pk:06d}"


# --- rendering --------------------------------------------------------------------------------------


def _field_boxes(layout: CertificateLayout, values: dict, *, sample: bool = False) -> list[dict]:
    """The absolutely placed boxes of a blank sheet: left/top/width in mm (offset included), size."""
    dx, dy = float(layout.offset_x_mm or 0), float(layout.offset_y_mm or 0)
    boxes = []
    for name, pos in positions_of(layout).items():
        if not pos.get("enabled", True):
            continue
        spec = SPECS[name]
        if sample:
            text = spec.sample
        elif name == "signer_title":
            text = "\n".join(t for t in (values["signer_authority"], values["signer_title"]) if t)
        else:
            text = values.get(name, "")
        x, y, run = float(pos["x"]), float(pos["y"]), float(pos["width"])
        size = fit_size(text, float(pos["size"]), run, bold=spec.bold, italic=spec.italic)
        left = {"left": x, "center": x - run / 2, "right": x - run}[pos["align"]]
        boxes.append(
            {
                "name": name,
                "label": spec.label,
                "text": text,
                "x": x + dx,
                "y": y + dy,
                "x_text": _mm(x),
                "y_text": _mm(y),
                "left": round(left + dx, 2),
                "top": round(y + dy - baseline_mm(size, bold=spec.bold, italic=spec.italic), 2),
                "width": run,
                "size": size,
                "align": pos["align"],
                "bold": spec.bold,
                "italic": spec.italic,
                "box_left": round(left + dx, 2),
                "box_right": round(left + dx + run, 2),
            }
        )
    return boxes


def _full_sizes(layout: CertificateLayout, values: dict) -> dict:
    """Sizes of the full drawing that depend on the texts (the recipient's name set smaller to fit)."""
    width = 297 if layout.orientation == Orientation.LANDSCAPE else 210
    room = width - 44 - text_width_mm(values["verb"] + " ", 17, italic=True)
    title_room = width - 50
    return {
        "name": fit_size(values["recipient"], 28, room, bold=True, floor=16),
        "title": fit_size(values["title"], 54, title_room, bold=True, floor=24),
        "authority": fit_size(values["authority"], 15, width - 44, bold=True, floor=11),
    }


def _sheet(layout: CertificateLayout, values: dict) -> dict:
    width, height = page_mm(layout.page_size, layout.orientation)
    sheet = {
        "mode": layout.mode,
        "page": f"p{layout.page_size}{layout.orientation}",
        "width": width,
        "height": height,
        "values": values,
        "orientation": layout.orientation,
    }
    if layout.mode == CertificateMode.BLANK:
        sheet["fields"] = _field_boxes(layout, values)
    else:
        a4w, a4h = page_mm(PageSize.A4, layout.orientation)
        sheet.update(
            drawing_width=a4w,
            drawing_height=a4h,
            scale=A3_SCALE if layout.page_size == PageSize.A3 else 1,
            sizes=_full_sizes(layout, values),
        )
    return sheet


def _pages(sheets: list[dict]) -> list[dict]:
    seen = {}
    for sheet in sheets:
        seen.setdefault(
            sheet["page"], {"name": sheet["page"], "width": sheet["width"], "height": sheet["height"]}
        )
    return list(seen.values())


def _render(sheets: list[dict], title: str) -> bytes:
    return render_pdf(TEMPLATE, {"sheets": sheets, "pages": _pages(sheets), "title": title})


def _issued_record(record: AwardRecord) -> Decision:
    line = getattr(record, "decision_line", None)
    if line is None or line.decision.status != DecisionStatus.ISSUED:
        raise ServiceError(_("Khen thưởng này không thuộc quyết định nào đã ban hành trên hệ thống."))
    if record.revoked:
        raise ServiceError(_("Khen thưởng này đã bị huỷ bỏ; không in bằng khen, giấy khen."))
    return line.decision


def certificate_pdf(award_record: AwardRecord, layout: CertificateLayout | None = None) -> bytes:
    """The certificate of one award of an issued decision, as PDF bytes (not signed)."""
    _issued_record(award_record)
    layout = layout or layout_for(award_record.award_code)
    values = certificate_values(award_record, layout)
    return _render([_sheet(layout, values)], f"{values['title']} – {values['recipient']}")


def decision_records(decision: Decision) -> list[AwardRecord]:
    """The awards of an issued decision still in force (a revoked one gets no sheet), in the order of
    its list, with what a sheet reads."""
    return list(
        AwardRecord.objects.in_force()
        .filter(decision_line__decision=decision)
        .select_related(
            "person", "collective", "unit", "decision_line__decision__issuer_unit__parent",
            "decision_line__decision__movement",
        )
        .order_by(
            "decision_line__award_code", "decision_line__collective_id", "person__sort_key",
            "decision_line__order", "decision_line__id",
        )
    )  # fmt: skip


def certificates_pdf(decision: Decision) -> bytes:
    """One sheet per award of an issued decision, in one PDF (not signed)."""
    if decision.status != DecisionStatus.ISSUED:
        raise ServiceError(_("Quyết định chưa ban hành nên chưa in được bằng khen, giấy khen."))
    records = decision_records(decision)
    if not records:
        raise ServiceError(_("Quyết định không có khen thưởng nào để in."))
    layouts = {}
    sheets = []
    place = place_of(decision.issuer_unit)
    for record in records:
        layout = layouts.get(record.award_code) or layouts.setdefault(
            record.award_code, layout_for(record.award_code)
        )
        sheets.append(_sheet(layout, certificate_values(record, layout, place=place)))
    return _render(sheets, _("Bằng khen, giấy khen theo Quyết định số %(ref)s") % {"ref": decision.reference})


def calibration_pdf(layout: CertificateLayout) -> bytes:
    """The layout's sheet with a millimetre grid and a labelled crosshair at every field, the sample
    texts at their size: printed on a blank, it shows how far each field and the whole print are off."""
    width, height = page_mm(layout.page_size, layout.orientation)
    dx, dy = float(layout.offset_x_mm or 0), float(layout.offset_y_mm or 0)
    lines = [{"x1": x, "y1": 0, "x2": x, "y2": height, "kind": _grid_kind(x)} for x in range(int(width) + 1)]
    lines += [{"x1": 0, "y1": y, "x2": width, "y2": y, "kind": _grid_kind(y)} for y in range(int(height) + 1)]
    # the finer lines first, so that a 1 mm line never crosses over a 10 mm one
    lines.sort(key=lambda line: ("mm", "half", "cm").index(line["kind"]))
    context = {
        "layout": layout,
        "award": award_name(layout.award_code),
        "page": {"name": "calibration", "width": width, "height": height},
        "lines": lines,
        "marks_x": [{"at": x, "label": x} for x in range(10, int(width), 10)],
        "marks_y": [{"at": y, "label": y} for y in range(10, int(height), 10)],
        "fields": _field_boxes(layout, {}, sample=True),
        "dx": dx,
        "dy": dy,
        "offset_text": _("dịch ngang %(x)s mm, dịch dọc %(y)s mm") % {"x": _mm(dx), "y": _mm(dy)},
        "title": _("Trang căn chỉnh – %(award)s") % {"award": award_name(layout.award_code)},
    }
    return render_pdf(CALIBRATION_TEMPLATE, context)


def _grid_kind(value: int) -> str:
    return "cm" if value % 10 == 0 else "half" if value % 5 == 0 else "mm"


# --- writes -----------------------------------------------------------------------------------------

LAYOUT_FIELDS = [
    "mode",
    "title",
    "authority",
    "page_size",
    "orientation",
    "offset_x_mm",
    "offset_y_mm",
    "positions",
]


def layout_save(
    *,
    actor,
    award_code: str,
    mode: str,
    title: str,
    authority: str = "",
    page_size: str = PageSize.A4,
    orientation: str = Orientation.LANDSCAPE,
    offset_x_mm=0,
    offset_y_mm=0,
    positions: dict,
) -> CertificateLayout:
    """Store how the certificates of `award_code` are printed (the agency's administrators)."""
    require_perm(actor, "awards.manage_certificates")
    if award_code not in AwardCode.values:
        raise ServiceError(_("Danh hiệu, hình thức không có trong danh mục."), field="award_code")
    if mode not in CertificateMode.values:
        raise ServiceError(_("Cách in không hợp lệ."), field="mode")
    if page_size not in PageSize.values:
        raise ServiceError(_("Khổ giấy không hợp lệ."), field="page_size")
    if orientation not in Orientation.values:
        raise ServiceError(_("Hướng giấy không hợp lệ."), field="orientation")
    title = upper_vi(clean(title))[:60]
    if not title:
        raise ServiceError(_("Hãy ghi tên hình thức in trên bằng, ví dụ GIẤY KHEN."), field="title")
    offsets = []
    for name, value in (("offset_x_mm", offset_x_mm), ("offset_y_mm", offset_y_mm)):
        number = Decimal(str(_number(value, name, _("Độ dịch")))).quantize(Decimal("0.1"))
        if abs(number) > OFFSET_MAX:
            raise ServiceError(_("Độ dịch phải trong khoảng ±%(max)s mm.") % {"max": OFFSET_MAX}, field=name)
        offsets.append(number)
    clean_positions = {}
    for name in FIELD_NAMES:
        spec = (positions or {}).get(name)
        if spec is None:
            continue
        clean_positions[name] = {
            "enabled": bool(spec.get("enabled", True)),
            "x": _number(spec.get("x"), f"{name}_x", SPECS[name].label),
            "y": _number(spec.get("y"), f"{name}_y", SPECS[name].label),
            "size": _number(spec.get("size"), f"{name}_size", SPECS[name].label),
            "align": spec.get("align"),
            "width": _number(spec.get("width"), f"{name}_width", SPECS[name].label),
        }
    unknown = set(positions or {}) - set(FIELD_NAMES)
    if unknown:
        raise ServiceError(_("Trường không có trong mẫu: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    problems = position_problems(page_size, orientation, clean_positions)
    if problems:
        field, message = problems[0]
        raise ServiceError(message, field=field or None)
    with transaction.atomic():
        layout = CertificateLayout.objects.select_for_update().filter(award_code=award_code).first()
        created = layout is None
        layout = layout or CertificateLayout(award_code=award_code)
        before = snapshot(layout, LAYOUT_FIELDS) if not created else {}
        layout.mode, layout.title, layout.authority = mode, title, upper_vi(clean(authority))[:200]
        layout.page_size, layout.orientation = page_size, orientation
        layout.offset_x_mm, layout.offset_y_mm = offsets
        layout.positions = clean_positions
        layout.changed_by = actor if getattr(actor, "pk", None) else None
        layout.save()
        changes = diff(before, snapshot(layout, LAYOUT_FIELDS))
        audit(
            actor,
            "certificate_layout.change",
            layout,
            action="create" if created else "update",
            changes=changes,
        )
    return layout


def signed_max_bytes() -> int:
    from django.conf import settings

    return getattr(settings, "TDKT_SIGNED_PDF_MAX_BYTES", 20 * 1024 * 1024)


class SignatureRefused(ServiceError):
    """The uploaded PDF is not a signed, intact document; `report` says what was found."""

    def __init__(self, message, *, report: SignatureReport):
        super().__init__(message, field="file")
        self.report = report


def may_store_signed(user, decision) -> bool:
    """Who keeps the signed copy of a decision: whoever drafts or issues the issuer's decisions (the
    clerk who scans or receives it, the head who signed it); not every reader of the decision."""
    unit = decision.issuer_unit
    return user.has_perm("awards.draft_decision", unit) or user.has_perm("awards.issue_decision", unit)


def _is_this_decision(data: bytes, decision) -> str | None:
    """Why a signed PDF cannot be taken as this decision, or None. Its text must name the decision's
    number and symbol. A file without a text layer (a scan) cannot be compared, and taking it on the
    signer's word would let any signed PDF stand for any decision: it is refused with the way out."""
    import io

    from pypdf import PdfReader

    try:
        text = "".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages[:3])
    except Exception:  # noqa: BLE001 - pypdf's text extraction raises many kinds on odd files
        text = ""
    squeezed = "".join(text.split())
    wanted = "".join(decision.reference.split())
    if not squeezed:
        return _(
            "Tệp đã ký không có lớp chữ (bản quét): không đối chiếu được với Quyết định số %(ref)s. Hãy ký "
            "số bản PDF xuất từ tệp Word của quyết định."
        ) % {"ref": decision.reference}
    if wanted and wanted not in squeezed:
        return _(
            "Tệp đã ký không phải Quyết định số %(ref)s: không thấy số, ký hiệu của quyết định trong tệp."
        ) % {"ref": decision.reference}
    return None


def decision_attach_signed(*, actor, decision_id: int, file: CheckedFile) -> tuple[Decision, SignatureReport]:
    """Keep the digitally signed PDF of an issued decision, once its signatures are verified intact:
    the file under a random name, the signer and the time it was checked. Anything else (no signature,
    a document changed after signing, a file that is not a PDF) is refused and nothing is stored."""
    if file.kind != "pdf":
        raise ServiceError(_("Chỉ nhận tệp PDF đã ký số."), field="file")
    report = signing.verify_pdf(file.data)
    if not report.intact:
        raise SignatureRefused(report.message, report=report)
    stored = ""
    old_name = ""
    try:
        with transaction.atomic():
            decision = (
                Decision.objects.select_for_update(of=("self",))
                .select_related("issuer_unit")
                .get(pk=decision_id)
            )
            if not may_store_signed(actor, decision):
                raise PermissionDenied
            if decision.status != DecisionStatus.ISSUED:
                raise ServiceError(_("Quyết định chưa ban hành; hãy ban hành trước khi lưu bản đã ký số."))
            problem = _is_this_decision(file.data, decision)
            if problem:
                raise ServiceError(problem, field="file")
            old_name = decision.signed_file.name if decision.signed_file else ""
            decision.signed_file.save(storage_name(file), ContentFile(file.data), save=False)
            stored = decision.signed_file.name
            decision.signed_by = report.signer[:255]
            decision.signed_verified_at = timezone.now()
            decision.save(update_fields=["signed_file", "signed_by", "signed_verified_at", "updated_at"])
            audit(
                actor,
                "decision.signed_upload",
                decision,
                unit_id=decision.issuer_unit_id,
                changes={
                    "signed_by": decision.signed_by,
                    "file": file.name,
                    "size": file.size,
                    "sha256": file.sha256,
                    "trusted": report.trusted,
                },
            )
            if old_name:
                storage = decision.signed_file.storage
                transaction.on_commit(lambda: storage.delete(old_name))
    except BaseException:
        if stored:
            Decision._meta.get_field("signed_file").storage.delete(stored)
        raise
    return decision, report
