"""The bundled Word templates of the councils app, drawn from code (`tdkt build_document_templates`):
the meeting minutes and the vote-counting minutes, in the national format (Decree 30/2020), with the
two signatures of minutes. The placeholders are the names of councils/documents.py's contexts."""

from __future__ import annotations

from pathlib import Path

from tdkt.core.docx_templates import AnnexTable, Column, Para, bundled, national_document


def _heading(text: str) -> Para:
    return Para(text, bold=True, align="left", indent=False)


def _lines(var: str, prefix: str = "") -> list[str]:
    return ["{%p for line in " + var + " %}", prefix + "{{ line }}", "{%p endfor %}"]


RESULT_COLUMNS = [
    Column("STT", "{{ row.n }}", 10, "center"),
    Column("Nội dung", "{{ row.label }}", 48),
    Column("Nhóm", "{{ row.group }}", 30),
    Column("Đồng ý", "{{ row.agree }} ({{ row.agree_percent }})", 18, "center"),
    Column("Không đồng ý", "{{ row.disagree }} ({{ row.disagree_percent }})", 18, "center"),
    Column("Không có ý kiến", "{{ row.abstain }} ({{ row.abstain_percent }})", 18, "center"),
    Column("Cần", "{{ row.needed }}/{{ row.base }}", 12, "center"),
    Column("Kết quả", "{{ row.verdict }}", 16, "center"),
]


@bundled("councils/bien_ban_hop.docx")
def bien_ban_hop(path: Path) -> Path:
    """Biên bản họp Hội đồng Thi đua – Khen thưởng."""
    return national_document(
        path,
        doc_type_placeholder="{{ doc_type|upper_vi }}",
        body_paragraphs=[
            _heading("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN"),
            "Thời gian: {{ time_text }}.",
            "{{ where_label }}: {{ where_text }}.",
            "Chủ trì: {{ chair_text }}.",
            "Thư ký: {{ secretary_text }}.",
            "Thành viên {{ council }}: {{ members_total }} người; có mặt {{ present_count }} người, "
            "vắng mặt {{ absent_count }} người.",
            "Thành viên có mặt:",
            *_lines("present", "- "),
            "{%p if absent %}",
            "Thành viên vắng mặt:",
            *_lines("absent", "- "),
            "{%p endif %}",
            "{{ quorum_text }}",
            _heading("II. NỘI DUNG"),
            "Hội đồng xem xét và bỏ phiếu kín {{ items_count }} nội dung:",
            *_lines("agenda"),
            _heading("III. KẾT QUẢ BỎ PHIẾU KÍN"),
            "Cách tính: {{ rule_text }}.",
            *_lines("ballots"),
            "{%p for row in results %}",
            "{{ row.line }}",
            "{%p endfor %}",
            "{%p if no_results %}",
            "{{ no_results }}",
            "{%p endif %}",
            _heading("IV. KẾT LUẬN"),
            *_lines("conclusions"),
        ],
        table=AnnexTable(columns=RESULT_COLUMNS, rows="results"),
        signature="two",
    )


@bundled("councils/bien_ban_kiem_phieu.docx")
def bien_ban_kiem_phieu(path: Path) -> Path:
    """Biên bản kiểm phiếu (one ballot)."""
    return national_document(
        path,
        doc_type_placeholder="{{ doc_type|upper_vi }}",
        body_paragraphs=[
            "Phiên họp: {{ meeting_title }} ({{ council }}), {{ time_text }}; {{ where_label|lower }}: "
            "{{ where_text }}.",
            "Lần bỏ phiếu: {{ number_text }}.",
            "{%p if replaces_text %}",
            "{{ replaces_text }}.",
            "{%p endif %}",
            "Hình thức: {{ mode_text }}.",
            "{{ counting_text }}",
            "Thời gian bỏ phiếu: {{ window_text }}.",
            "Số thành viên Hội đồng có quyền biểu quyết: {{ members_total }}; có mặt: {{ present_count }}.",
            "Số phiếu phát ra: {{ issued }}; số phiếu thu vào: {{ cast }}; số phiếu hợp lệ: {{ valid }}; "
            "số phiếu không hợp lệ: {{ invalid }}.",
            "Cách tính: {{ rule_text }}.",
            _heading("KẾT QUẢ KIỂM PHIẾU"),
            "{%p for row in results %}",
            "{{ row.line }}",
            "{%p endfor %}",
            "Số nội dung đạt: {{ passed_count }}/{{ items_count }}.",
        ],
        table=AnnexTable(columns=RESULT_COLUMNS, rows="results"),
        signature="two",
    )
