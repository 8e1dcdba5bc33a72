"""The covenant document of a cluster's year (giao ước thi đua), built from what was recorded: the
cluster as issuing body, the place and date of the meeting, the common content, each member's pledge and
targets, and a signature block per member's representative. Rendered by tdkt.core.documents (Word:
clusters/giao_uoc.docx; PDF: clusters/covenant_document.html)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from tdkt.clusters import scoring, selectors
from tdkt.clusters.models import ClusterYear
from tdkt.core.documents import dmy, place_date, render_docx, render_pdf

DOCX = "clusters/giao_uoc.docx"
PDF = "clusters/covenant_document.html"
SYMBOL = "GƯTĐ"


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


def covenant_context(cy: ClusterYear) -> dict[str, Any]:
    """Everything the Word and PDF covenant show; official text, in Vietnamese."""
    cluster, bloc = cy.cluster, cy.cluster.bloc
    lines, rows = selectors.covenant_rows(cy)
    members = []
    signers = []
    for n, row in enumerate(rows, start=1):
        pledge = row.pledge
        members.append(
            {
                "n": n,
                "unit": row.unit.name,
                "role": row.membership.get_role_display(),
                "content": _paragraphs(pledge.content if pledge else ""),
                "targets": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "value": scoring.fmt(row.targets[c.pk]),
                        "unit_label": c.unit_label,
                    }
                    for c in lines
                    if c.pk in row.targets
                ],
            }
        )
        signed = pledge is not None and pledge.signed_on is not None
        signers.append(
            {
                "unit": row.unit.name,
                "title": (pledge.signer_title if signed else "") or "",
                "name": pledge.signer if signed else "",
                "date": dmy(pledge.signed_on) if signed else "",
            }
        )
    blank = {"unit": "", "title": "", "name": "", "date": ""}
    pairs = [
        signers[i : i + 2] + ([blank] if len(signers[i : i + 2]) < 2 else [])
        for i in range(0, len(signers), 2)
    ]
    where = place_date("", cy.covenant_on) if cy.covenant_on else ""
    if where and cy.covenant_place:
        where += f", tại {cy.covenant_place}"
    opening = (
        f"các đơn vị thành viên {cluster.name} thuộc {bloc.name} cùng thống nhất ký giao ước thi đua năm "
        f"{cy.year} với các nội dung sau:"
    )
    return {
        "issuer": {"parent": bloc.name, "name": cluster.name},
        "number": "",
        "symbol": SYMBOL,
        "place": cy.covenant_place,
        "day": cy.covenant_on,
        "doc_type": f"Giao ước thi đua năm {cy.year}",
        "subject": f"của {cluster.name} — {bloc.name}",
        "opening": f"{where}, {opening}" if where else opening[:1].upper() + opening[1:],
        "content": _paragraphs(cy.covenant_content)
        or ["Các đơn vị thành viên thi đua hoàn thành xuất sắc nhiệm vụ chính trị được giao trong năm."],
        "members": members,
        "closing": (
            f"Các đơn vị thành viên tổ chức thực hiện giao ước; kết quả được chấm điểm theo bảng tiêu chí "
            f"năm {cy.year} của {bloc.name} và bình xét tại hội nghị tổng kết của cụm."
        ),
        "signature_rows": pairs,
        "signers": signers,
        "recipients": ["Các đơn vị thành viên cụm;", f"{bloc.owner_unit.name} (để báo cáo);", "Lưu: Cụm."],
    }


def covenant_file(cy: ClusterYear, kind: str) -> bytes:
    """The covenant as Word ("docx") or PDF ("pdf"): an official document, in Vietnamese whatever the
    language of the user's interface."""
    with translation.override("vi"):
        context = covenant_context(cy)
        if kind == "docx":
            return render_docx(DOCX, context)
        return render_pdf(PDF, context)
