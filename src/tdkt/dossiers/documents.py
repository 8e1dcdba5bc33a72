"""The papers of a dossier the system drafts, through the one document layer (core/documents.py): the
unit's submission letter (tờ trình) with its list annexed, the list on its own, the ministry's
submission to the State, the council minutes (the councils app's), and each nominee's achievement report
(báo cáo thành tích). Each is Word (to edit) and PDF; all are drafts until signed on paper or
uploaded back as the signed version."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.awards.documents import place_of
from tdkt.core.documents import dmy, join_vi, render_docx, render_pdf
from tdkt.core.errors import ServiceError
from tdkt.dossiers.enums import Decided, Kind, Level
from tdkt.dossiers.models import AchievementReport, Dossier, Nomination
from tdkt.org.models import AwardRecord
from tdkt.rulebook import services as rulebook

VAN_BAN_DOCX = "core/van_ban.docx"
VAN_BAN_PDF = "core/documents/van_ban.html"
REPORT_DOCX = "dossiers/bao_cao.docx"

# the achievement report's sections a person (or the unit's officer) writes; the rest is from the data
REPORT_SECTIONS = (
    ("duties", gettext_lazy("Chức năng, nhiệm vụ được giao")),
    ("achievements", gettext_lazy("Thành tích đạt được")),
    ("initiatives", gettext_lazy("Sáng kiến, giải pháp, đề tài (nếu có)")),
    ("other", gettext_lazy("Các nội dung khác (công tác Đảng, đoàn thể; học tập; …)")),
)
COLLECTIVE_SECTIONS = (
    ("duties", gettext_lazy("Đặc điểm, tình hình, chức năng, nhiệm vụ")),
    ("achievements", gettext_lazy("Thành tích đạt được")),
    ("initiatives", gettext_lazy("Các biện pháp, giải pháp, sáng kiến (nếu có)")),
    ("other", gettext_lazy("Công tác xây dựng Đảng, đoàn thể (nếu có)")),
)
LIST_COLUMNS = ["STT", "Họ và tên / Tập thể", "Chức vụ, đơn vị", "Hình thức đề nghị", "Năm thành tích"]


SIMPLIFIED_SECTIONS = (("achievements", gettext_lazy("Tóm tắt thành tích (hành động, kết quả, ảnh hưởng)")),)


def sections_of(nomination: Nomination):
    if nomination.dossier.simplified:
        return SIMPLIFIED_SECTIONS
    return REPORT_SECTIONS if nomination.person_id else COLLECTIVE_SECTIONS


def _where(n: Nomination) -> str:
    position = getattr(n.person, "position", "") if n.person_id else ""
    return ", ".join(t for t in (position, n.unit.name) if t)


def _years(n: Nomination) -> str:
    return str(n.last_year) if n.first_year == n.last_year else f"{n.first_year}–{n.last_year}"


def _rows(nominations) -> list[list[str]]:
    return [
        [str(i), str(n.subject), _where(n), rulebook.award_name(n.award_code), _years(n)]
        for i, n in enumerate(nominations, start=1)
    ]


def _counts(nominations) -> list[str]:
    by_award: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for n in nominations:
        by_award[n.award_code][0 if n.person_id else 1] += 1
    lines = []
    for code, (people, collectives) in by_award.items():
        who = []
        if people:
            who.append(_("%(n)s cá nhân") % {"n": people})
        if collectives:
            who.append(_("%(n)s tập thể") % {"n": collectives})
        lines.append(f"- {rulebook.award_name(code)}: {join_vi(who)};")
    return lines


def _head_name(unit) -> str:
    """The unit head's name for the signature: the unit's head by role, else blank for a hand signature."""
    from tdkt.accounts.selectors import users_with

    heads = [u for u in users_with("dossiers.approve", unit)]
    return heads[0].full_name if heads else ""


def _issuer(unit) -> dict:
    return {"parent": unit.parent.name if unit.parent_id else "", "name": unit.name}


def _minutes_phrase(dossier: Dossier) -> str:
    meeting = dossier.review_round.meeting if dossier.review_round_id and dossier.review_round else None
    if meeting is None:
        return ""
    return _("Căn cứ Biên bản họp %(council)s ngày %(day)s;") % {
        "council": meeting.council.name,
        "day": dmy(meeting.starts_at),
    }


def to_trinh_context(dossier: Dossier, nominations: list[Nomination]) -> dict:
    """The unit's submission letter to the ministry, the list annexed."""
    unit = dossier.unit
    level = (
        _("Bộ trưởng xét, khen thưởng")
        if dossier.level == Level.MINISTRY
        else _("Bộ trưởng xem xét, trình cấp trên khen thưởng")
    )
    body = [
        _("Kính gửi: Bộ trưởng (qua Vụ Thi đua – Khen thưởng)."),
        _("Căn cứ %(regime)s;") % {"regime": rulebook.regime_for_year(dossier.year).name},
    ]
    minutes = _minutes_phrase(dossier)
    if minutes:
        body.append(minutes)
    body.append(
        _(
            "%(unit)s kính đề nghị %(level)s cho các cá nhân, tập thể đã có thành tích (%(kind)s) "
            "năm %(year)s, gồm:"
        )
        % {"unit": unit.name, "level": level, "kind": Kind(dossier.kind).label.lower(), "year": dossier.year}
    )
    body.extend(_counts(nominations))
    body.append(_("(Có danh sách, báo cáo thành tích và các giấy tờ kèm theo.)"))
    body.append(_("Kính trình Bộ trưởng xem xét, quyết định."))
    return {
        "issuer": _issuer(unit),
        "number": None,
        "symbol": "TTr-" + (unit.short_name or unit.code).upper(),
        "place": place_of(unit),
        "day": timezone.localdate(),
        "doc_type": _("Tờ trình"),
        "subject": _("Về việc đề nghị khen thưởng năm %(year)s") % {"year": dossier.year},
        "body": body,
        "recipients": [_("Như trên;"), _("Lưu: VT, TĐKT.")],
        "signer": {"authority": "", "title": _("Thủ trưởng đơn vị"), "name": _head_name(unit)},
        "table": {
            "title": _("Danh sách đề nghị khen thưởng năm %(year)s") % {"year": dossier.year},
            "note": _("(Kèm theo Tờ trình của %(unit)s)") % {"unit": unit.name},
            "columns": LIST_COLUMNS,
            "rows": _rows(nominations),
        },
    }


def danh_sach_context(dossier: Dossier, nominations: list[Nomination]) -> dict:
    context = to_trinh_context(dossier, nominations)
    context.update(
        {
            "doc_type": _("Danh sách"),
            "subject": _("Đề nghị khen thưởng năm %(year)s của %(unit)s")
            % {"year": dossier.year, "unit": dossier.unit.name},
            "body": [_("Tổng số: %(n)s đề nghị.") % {"n": len(nominations)}, *_counts(nominations)],
            "recipients": [],
        }
    )
    return context


def to_trinh_bo_context(dossier: Dossier, nominations: list[Nomination]) -> dict:
    """The ministry's submission to the State of the nominations it approved."""
    from tdkt.dossiers.services import ministry_of

    ministry = ministry_of(dossier.unit)
    approved = [n for n in nominations if n.decided == Decided.APPROVED]
    body = [
        _("Kính gửi: Thủ tướng Chính phủ (qua Ban Thi đua – Khen thưởng Trung ương)."),
        _("Căn cứ %(regime)s;") % {"regime": rulebook.regime_for_year(dossier.year).name},
    ]
    if dossier.meeting_id:
        body.append(
            _("Căn cứ kết quả họp %(council)s ngày %(day)s;")
            % {"council": dossier.meeting.council.name, "day": dmy(dossier.meeting.starts_at)}
        )
    body.append(
        _("Xét đề nghị của %(unit)s, %(ministry)s kính trình khen thưởng cho các cá nhân, tập thể, gồm:")
        % {"unit": dossier.unit.name, "ministry": ministry.name}
    )
    body.extend(_counts(approved))
    body.append(_("(Có danh sách và hồ sơ kèm theo.)"))
    return {
        "issuer": _issuer(ministry),
        "number": None,
        "symbol": "TTr-" + (ministry.short_name or ministry.code).upper(),
        "place": place_of(ministry),
        "day": timezone.localdate(),
        "doc_type": _("Tờ trình"),
        "subject": _("Về việc đề nghị khen thưởng cấp Nhà nước năm %(year)s") % {"year": dossier.year},
        "body": body,
        "recipients": [_("Như trên;"), _("Lưu: VT, Vụ TĐKT.")],
        "signer": {"authority": _("KT. Bộ trưởng"), "title": _("Thứ trưởng"), "name": ""},
        "table": {
            "title": _("Danh sách đề nghị khen thưởng cấp Nhà nước"),
            "note": _("(Kèm theo Tờ trình của %(ministry)s)") % {"ministry": ministry.name},
            "columns": LIST_COLUMNS,
            "rows": _rows(approved),
        },
    }


CONTEXTS = {"to_trinh": to_trinh_context, "danh_sach": danh_sach_context, "to_trinh_bo": to_trinh_bo_context}


def paper_file(dossier: Dossier, nominations: list[Nomination], code: str, kind: str) -> tuple[bytes, str]:
    """The drafted paper `code` of the dossier as `kind` (docx or pdf), with its file name."""
    from tdkt.councils.documents import meeting_minutes

    if code in ("bien_ban", "bien_ban_bo"):
        meeting = (
            dossier.meeting
            if code == "bien_ban_bo"
            else (dossier.review_round.meeting if dossier.review_round_id and dossier.review_round else None)
        )
        if meeting is None:
            raise ServiceError(_("Hồ sơ không gắn với cuộc họp Hội đồng nào: hãy tải lên biên bản đã ký."))
        return meeting_minutes(meeting, kind), f"bien-ban-{dossier.pk}.{kind}"
    builder = CONTEXTS.get(code)
    if builder is None:
        raise ServiceError(_("Giấy tờ này không do hệ thống lập: hãy tải tệp lên."))
    context = builder(dossier, nominations)
    data = render_docx(VAN_BAN_DOCX, context) if kind == "docx" else render_pdf(VAN_BAN_PDF, context)
    return data, f"{code.replace('_', '-')}-{dossier.pk}.{kind}"


# ---------------------------------------------------------------------------------------------- the report


def _received(n: Nomination) -> list[str]:
    records = (
        AwardRecord.objects.in_force()
        .filter(**({"person_id": n.person_id} if n.person_id else {"collective_id": n.collective_id}))
        .order_by("last_year", "decided_on")
    )
    return [
        _("Năm %(years)s: %(award)s (Quyết định số %(number)s ngày %(day)s)")
        % {
            "years": r.last_year if r.first_year == r.last_year else f"{r.first_year}–{r.last_year}",
            "award": rulebook.award_name(r.award_code),
            "number": r.decision_number,
            "day": dmy(r.decided_on),
        }
        for r in records
    ]


def report_context(nomination: Nomination, report: AchievementReport | None) -> dict:
    dossier = nomination.dossier
    unit = dossier.unit
    sections = (report.sections if report else {}) or {}
    award = rulebook.award_name(nomination.award_code)
    body = []
    if nomination.person_id:
        p = nomination.person
        body += [
            _("I. SƠ LƯỢC LÝ LỊCH, QUÁ TRÌNH CÔNG TÁC"),
            _("Họ và tên: %(name)s. Giới tính: %(gender)s.")
            % {"name": p.full_name, "gender": p.get_gender_display()},
            _("Ngày sinh: %(birth)s. Dân tộc: %(ethnicity)s.")
            % {"birth": dmy(p.birth_date) if p.birth_date else "…", "ethnicity": p.ethnicity or "…"},
            _("Chức vụ, đơn vị công tác: %(where)s.") % {"where": _where(nomination)},
            _("II. THÀNH TÍCH ĐẠT ĐƯỢC"),
        ]
    else:
        c = nomination.collective
        body += [
            _("I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH"),
            _("Tên tập thể: %(name)s; thuộc %(unit)s.") % {"name": c.name, "unit": nomination.unit.name},
            _("II. THÀNH TÍCH ĐẠT ĐƯỢC"),
        ]
    for i, (key, label) in enumerate(sections_of(nomination), start=1):
        text = (sections.get(key) or "").strip()
        if not text and key in ("initiatives", "other"):
            continue
        body.append(f"{i}. {label}")
        body.extend(line.strip() for line in (text or "…").splitlines() if line.strip())
    body.append(_("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG"))
    body.extend(_received(nomination) or [_("(Chưa có.)")])
    confirmed = report is not None and report.confirmed_at is not None
    head = report.confirmed_by.full_name if confirmed and report.confirmed_by else _head_name(unit)
    if confirmed:
        body.append(
            _("Thủ trưởng đơn vị đã xác nhận ngày %(day)s.")
            % {"day": dmy(timezone.localtime(report.confirmed_at))}
        )
    return {
        "issuer": _issuer(unit),
        "number": None,
        "symbol": "",
        "place": place_of(unit),
        "day": timezone.localdate(),
        "doc_type": _("Tóm tắt thành tích") if dossier.simplified else _("Báo cáo thành tích"),
        "subject": _("Đề nghị %(award)s (thành tích năm %(years)s)")
        % {"award": award, "years": _years(nomination)},
        "body": body,
        "recipients": [],
        "signers": [
            {"authority": "", "title": _("Thủ trưởng đơn vị xác nhận, đề nghị"), "name": head},
            {
                "authority": "",
                "title": _("Người báo cáo thành tích") if nomination.person_id else _("Thủ trưởng tập thể"),
                "name": nomination.person.full_name if nomination.person_id else "",
            },
        ],
        "signer": {"authority": "", "title": "", "name": ""},
    }


def report_file(nomination: Nomination, report: AchievementReport | None, kind: str) -> tuple[bytes, str]:
    context = report_context(nomination, report)
    data = render_docx(REPORT_DOCX, context) if kind == "docx" else render_pdf(VAN_BAN_PDF, context)
    who = nomination.person.code if nomination.person_id else nomination.collective.code
    return data, f"bao-cao-thanh-tich-{who}.{kind}"
