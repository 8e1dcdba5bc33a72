"""The fixed vocabularies of the case-file format (shared/domain/eligibility-cases.md)."""

from __future__ import annotations

AWARD_CODES: tuple[str, ...] = (
    "ldtt",
    "cstd_co_so",
    "cstd_bo",
    "cstd_toan_quoc",
    "tt_ldtt",
    "tt_ldxs",
    "co_thi_dua_bo",
    "co_thi_dua_cp",
    "giay_khen",
    "bang_khen_bo",
    "bang_khen_ttg",
    "hc_lao_dong_1",
    "hc_lao_dong_2",
    "hc_lao_dong_3",
    "hc_doc_lap_1",
    "hc_doc_lap_2",
    "hc_doc_lap_3",
    "hc_ho_chi_minh",
    "hc_sao_vang",
    "anh_hung_lao_dong",
    "ky_niem_chuong",
)
AWARD_SET = frozenset(AWARD_CODES)
TITLE_CODES = frozenset(
    {
        "ldtt",
        "cstd_co_so",
        "cstd_bo",
        "cstd_toan_quoc",
        "tt_ldtt",
        "tt_ldxs",
        "co_thi_dua_bo",
        "co_thi_dua_cp",
    }
)

# Higher rank = better rating.
RATING_RANK: dict[str, int] = {"kht": 0, "ht": 1, "htt": 2, "htxs": 3}
RATING_VI: dict[str, str] = {
    "htxs": "hoàn thành xuất sắc nhiệm vụ",
    "htt": "hoàn thành tốt nhiệm vụ",
    "ht": "hoàn thành nhiệm vụ",
    "kht": "không hoàn thành nhiệm vụ",
}
DISCIPLINE_FORMS: tuple[str, ...] = (
    "khien_trach",
    "canh_cao",
    "ha_bac_luong",
    "giang_chuc",
    "cach_chuc",
    "buoc_thoi_viec",
)
DISCIPLINE_VI: dict[str, str] = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "ha_bac_luong": "hạ bậc lương",
    "giang_chuc": "giáng chức",
    "cach_chuc": "cách chức",
    "buoc_thoi_viec": "buộc thôi việc",
}
SCOPE_RANK: dict[str, int] = {"co_so": 1, "bo": 2, "toan_quoc": 3}
SCOPE_VI: dict[str, str] = {"co_so": "cơ sở", "bo": "bộ, ban, ngành, tỉnh", "toan_quoc": "toàn quốc"}
BASIS_CODES = frozenset({"cong_trang", "dot_xuat", "chuyen_de", "cong_hien", "nien_han", "doi_ngoai"})
ISSUER_CODES = frozenset({"ministry", "province", "central_org", "provincial_org"})
LEAVE_KINDS = frozenset({"maternity", "sick", "study", "unpaid", "other", "injury_treatment"})
# Result of a training course (kết quả học tập), best first; "khong_xep_loai": the course grades no result.
STUDY_RESULT_RANK: dict[str, int] = {"yeu": 0, "trung_binh": 1, "kha": 2, "gioi": 3, "xuat_sac": 4}
STUDY_RESULTS = frozenset({*STUDY_RESULT_RANK, "khong_xep_loai"})
EMPLOYMENT_KINDS = frozenset({"civil_servant", "public_employee", "contract", "worker", "armed_forces"})
SUBJECT_KINDS = frozenset({"individual", "collective"})
INITIATIVE_KINDS = frozenset({"initiative", "research", "combat"})
TITLE_GROUNDS = frozenset({"htxs", "initiative"})
MEMBER_FIELDS = ("total", "completing", "ldtt", "cstd_co_so", "disciplined")

AWARD_VI: dict[str, str] = {
    "ldtt": "Lao động tiên tiến",
    "cstd_co_so": "Chiến sĩ thi đua cơ sở",
    "cstd_bo": "Chiến sĩ thi đua bộ, ban, ngành, tỉnh",
    "cstd_toan_quoc": "Chiến sĩ thi đua toàn quốc",
    "tt_ldtt": "Tập thể lao động tiên tiến",
    "tt_ldxs": "Tập thể lao động xuất sắc",
    "co_thi_dua_bo": "Cờ thi đua của bộ, ban, ngành, tỉnh",
    "co_thi_dua_cp": "Cờ thi đua của Chính phủ",
    "giay_khen": "Giấy khen",
    "bang_khen_bo": "Bằng khen của bộ, ban, ngành, tỉnh",
    "bang_khen_ttg": "Bằng khen của Thủ tướng Chính phủ",
    "hc_lao_dong_3": "Huân chương Lao động hạng Ba",
    "hc_lao_dong_2": "Huân chương Lao động hạng Nhì",
    "hc_lao_dong_1": "Huân chương Lao động hạng Nhất",
    "hc_doc_lap_3": "Huân chương Độc lập hạng Ba",
    "hc_doc_lap_2": "Huân chương Độc lập hạng Nhì",
    "hc_doc_lap_1": "Huân chương Độc lập hạng Nhất",
    "hc_ho_chi_minh": "Huân chương Hồ Chí Minh",
    "hc_sao_vang": "Huân chương Sao vàng",
    "anh_hung_lao_dong": "Anh hùng Lao động",
    "ky_niem_chuong": "Kỷ niệm chương",
}
