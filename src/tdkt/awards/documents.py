"""Contexts of the decision's Word and PDF (rendered by core/documents.py)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from tdkt.core.documents import dmy, render_docx, render_pdf
from tdkt.org.enums import TITLE_CODES
from tdkt.org.models import Unit
from tdkt.rulebook import services as rulebook

DOCX = "awards/quyet_dinh.docx"
PDF = "awards/documents/quyet_dinh.html"


def place_of(unit: Unit) -> str:
    """The place written on the unit's documents: its province, or the nearest above it, or the agency's."""
    if unit.province:
        return unit.province
    parent = (
        Unit.objects.filter(pk__in=unit.ancestor_ids()).exclude(province="").order_by("-depth").first()
        if unit.ancestor_ids()
        else None
    )
    return parent.province if parent else settings.TDKT_PLACE


def decision_context(decision, lines) -> dict:
    unit = decision.issuer_unit
    parent = unit.parent.name if unit.parent_id else ""
    people = sum(1 for line in lines if line.person_id)
    collectives = len(lines) - people
    has_titles = any(line.award_code in TITLE_CODES for line in lines)
    has_forms = any(line.award_code not in TITLE_CODES for line in lines)
    what = (
        _("công nhận danh hiệu thi đua và tặng Giấy khen")
        if has_titles and has_forms
        else _("công nhận danh hiệu thi đua")
        if has_titles
        else _("tặng Giấy khen")
    )
    who = []
    if people:
        who.append(_("%(n)s cá nhân") % {"n": people})
    if collectives:
        who.append(_("%(n)s tập thể") % {"n": collectives})
    head = decision.signer_title or _("Thủ trưởng")
    reference = decision.reference
    rows = []
    for i, line in enumerate(lines, start=1):
        subject = line.person or line.collective
        where = ", ".join(t for t in (getattr(line.person, "position", ""), line.unit.name) if t)
        rows.append(
            {"index": i, "name": str(subject), "where": where, "award": rulebook.award_name(line.award_code)}
        )
    return {
        "issuer": {"parent": parent, "name": unit.name},
        "number": decision.number or None,
        "symbol": decision.symbol or _("QĐ-…"),
        "place": place_of(unit),
        "day": decision.decided_on,
        "doc_type": _("Quyết định"),
        "subject": decision.subject,
        "authority": _("%(head)s %(unit)s") % {"head": head, "unit": unit.name},
        "bases": [
            _("Căn cứ %(regime)s;") % {"regime": rulebook.regime_for_year(decision.year).name},
            _("Căn cứ Quy chế thi đua, khen thưởng của %(unit)s;") % {"unit": unit.name},
            _("Xét đề nghị của Hội đồng Thi đua – Khen thưởng %(unit)s,") % {"unit": unit.name},
        ],
        "articles": [
            _(
                "Điều 1. %(What)s cho %(who)s có tên trong danh sách kèm theo, đã có thành tích trong năm "
                "%(year)s."
            )
            % {"What": what[:1].upper() + what[1:], "who": _(" và ").join(who), "year": decision.year},
            _("Điều 2. Quyết định này có hiệu lực kể từ ngày ký."),
            _(
                "Điều 3. Các đơn vị, cá nhân và tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết "
                "định này."
            ),
        ],
        "recipients": [_("Như Điều 3;"), _("Lưu: VT, TĐKT.")],
        "signer": {"authority": "", "title": head, "name": decision.signer_name},
        "table": {
            "title": _("Danh sách %(what)s năm %(year)s") % {"what": what, "year": decision.year},
            "note": (
                _("(Kèm theo Quyết định số %(ref)s ngày %(day)s)")
                % {"ref": reference, "day": dmy(decision.decided_on)}
                if reference
                else _("(Kèm theo Quyết định số      ngày      )")
            ),
            "rows": rows,
        },
    }


def decision_docx(decision, lines) -> bytes:
    return render_docx(DOCX, decision_context(decision, lines))


def decision_pdf(decision, lines) -> bytes:
    return render_pdf(PDF, decision_context(decision, lines))
