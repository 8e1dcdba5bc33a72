"""The bundled Word template of the dossiers app, drawn from code (`tdkt build_document_templates`): the
achievement report (báo cáo thành tích), in the national format (Decree 30/2020), its body paragraphs
from the context and the two signatures side by side (the unit head confirming, the person reporting)."""

from __future__ import annotations

from pathlib import Path

from tdkt.core.docx_templates import bundled, national_document


@bundled("dossiers/bao_cao.docx")
def bao_cao(path: Path) -> Path:
    return national_document(
        path,
        doc_type_placeholder="{{ doc_type|upper_vi }}",
        body_paragraphs=["{%p for para in body %}", "{{ para }}", "{%p endfor %}"],
        signature="two",
    )
