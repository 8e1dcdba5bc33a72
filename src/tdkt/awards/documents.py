"""Contexts of the decision's Word and PDF (rendered by core/documents.py); the PDFs of an issued
decision (the decision, its certificates) are signed with the agency's certificate when one is
configured (core/signing.py)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from tdkt.awards.enums import DecisionStatus
from tdkt.core import signing
from tdkt.core.documents import dmy, join_vi, render_docx, render_pdf
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
    # what Article 1 does, named from the lines: "công nhận danh hiệu Lao động tiên tiến, Chiến sĩ thi
    # đua cơ sở và tặng Giấy khen"; a minister's decision "tặng Bằng khen …" likewise
    codes = list(dict.fromkeys(line.award_code for line in lines))
    titles = [rulebook.award_name(c) for c in codes if c in TITLE_CODES]
    forms = [rulebook.award_name(c) for c in codes if c not in TITLE_CODES]
    parts = []
    if titles:
        parts.append(_("công nhận danh hiệu %(names)s") % {"names": join_vi(titles)})
    if forms:
        parts.append(_("tặng %(names)s") % {"names": join_vi(forms)})
    what = _(" và ").join(parts)
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


def sign_issued(pdf: bytes, decision, reason: str) -> bytes:
    """`pdf` signed as PAdES with the agency's certificate when one is configured and the decision is
    issued; a draft is never signed (it is not yet an official document)."""
    if decision.status != DecisionStatus.ISSUED or not signing.signing_enabled():
        return pdf
    return signing.sign_pdf(pdf, reason=reason, location=place_of(decision.issuer_unit))


def decision_pdf(decision, lines) -> bytes:
    pdf = render_pdf(PDF, decision_context(decision, lines))
    return sign_issued(pdf, decision, _("Ban hành Quyết định số %(ref)s") % {"ref": decision.reference})
