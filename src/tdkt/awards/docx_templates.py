"""The bundled Word template of a decision (regenerate with `tdkt build_document_templates`)."""

from __future__ import annotations

from pathlib import Path

from tdkt.core.docx_templates import AnnexTable, Column, Para, bundled, national_document


@bundled("awards/quyet_dinh.docx")
def quyet_dinh(path: Path) -> Path:
    """A decision recognising titles and forms: the issuing authority, the legal bases, the articles,
    and the annexed list of who is recognised for what."""
    return national_document(
        path,
        doc_type_placeholder="QUYẾT ĐỊNH",
        body_paragraphs=[
            Para("{{ authority|upper_vi }}", bold=True, align="center", indent=False),
            "{%p for basis in bases %}",
            Para("{{ basis }}", italic=True),
            "{%p endfor %}",
            Para("QUYẾT ĐỊNH:", bold=True, align="center", indent=False),
            "{%p for article in articles %}",
            Para("{{ article }}"),
            "{%p endfor %}",
        ],
        table=AnnexTable(
            columns=(
                Column("STT", "{{ row.index }}", 12, "center"),
                Column("Họ và tên / Tập thể", "{{ row.name }}", 52),
                Column("Chức vụ, đơn vị", "{{ row.where }}", 62),
                Column("Danh hiệu, hình thức", "{{ row.award }}", 40),
            ),
            rows="table.rows",
        ),
        signature="one",
    )
