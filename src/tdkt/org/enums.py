from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", _("Bộ")
    DEPARTMENT = "department", _("Vụ, Cục, đơn vị thuộc Bộ")
    AFFILIATED = "affiliated", _("Đơn vị sự nghiệp trực thuộc")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    PROVINCIAL = "provincial", _("Sở ngành tại tỉnh, thành phố")
    SUBUNIT = "subunit", _("Phòng, ban, tổ")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Employment(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Công chức")
    PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")
    CONTRACT = "contract", _("Hợp đồng lao động")
    WORKER = "worker", _("Người lao động")
    ARMED_FORCES = "armed_forces", _("Lực lượng vũ trang")


class Rating(models.TextChoices):
    HTXS = "htxs", _("Hoàn thành xuất sắc nhiệm vụ")
    HTT = "htt", _("Hoàn thành tốt nhiệm vụ")
    HT = "ht", _("Hoàn thành nhiệm vụ")
    KHT = "kht", _("Không hoàn thành nhiệm vụ")


class DisciplineForm(models.TextChoices):
    KHIEN_TRACH = "khien_trach", _("Khiển trách")
    CANH_CAO = "canh_cao", _("Cảnh cáo")
    HA_BAC_LUONG = "ha_bac_luong", _("Hạ bậc lương")
    GIANG_CHUC = "giang_chuc", _("Giáng chức")
    CACH_CHUC = "cach_chuc", _("Cách chức")
    BUOC_THOI_VIEC = "buoc_thoi_viec", _("Buộc thôi việc")


class LeaveKind(models.TextChoices):
    MATERNITY = "maternity", _("Nghỉ thai sản")
    SICK = "sick", _("Nghỉ ốm")
    STUDY = "study", _("Đi học")
    UNPAID = "unpaid", _("Nghỉ không lương")
    OTHER = "other", _("Khác")


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("Sáng kiến")
    RESEARCH = "research", _("Đề tài khoa học")


class InitiativeScope(models.TextChoices):
    CO_SO = "co_so", _("Cấp cơ sở")
    BO = "bo", _("Cấp bộ, ngành, tỉnh")
    TOAN_QUOC = "toan_quoc", _("Toàn quốc")


class CollectiveKind(models.TextChoices):
    UNIT = "unit", _("Đơn vị")
    TEAM = "team", _("Phòng, tổ, nhóm")


class AwardBasis(models.TextChoices):
    CONG_TRANG = "cong_trang", _("Thành tích thường xuyên (công trạng)")
    DOT_XUAT = "dot_xuat", _("Đột xuất")
    CHUYEN_DE = "chuyen_de", _("Chuyên đề, theo đợt")
    CONG_HIEN = "cong_hien", _("Quá trình cống hiến")
    NIEN_HAN = "nien_han", _("Niên hạn")
    DOI_NGOAI = "doi_ngoai", _("Đối ngoại")


class AwardSource(models.TextChoices):
    """Where an award record came from."""

    IMPORTED = "imported", _("Nhập từ danh sách")
    ISSUED = "issued", _("Quyết định của hệ thống")
    RECORDED = "recorded", _("Ghi nhận quyết định cấp trên")


class IssuerLevel(models.TextChoices):
    UNIT = "unit", _("Đơn vị")
    MINISTRY = "ministry", _("Bộ, ngành")
    PROVINCE = "province", _("Tỉnh, thành phố")
    CENTRAL_ORG = "central_org", _("Cơ quan Trung ương của Đảng, Mặt trận, đoàn thể")
    PROVINCIAL_ORG = "provincial_org", _("Cơ quan cấp tỉnh của đoàn thể")
    GOVERNMENT = "government", _("Chính phủ, Thủ tướng")
    STATE = "state", _("Chủ tịch nước")


class AwardCode(models.TextChoices):
    """The codes of titles and forms (shared/domain/eligibility-cases.md); the rulebook uses the same."""

    LDTT = "ldtt", _("Lao động tiên tiến")
    CSTD_CO_SO = "cstd_co_so", _("Chiến sĩ thi đua cơ sở")
    CSTD_BO = "cstd_bo", _("Chiến sĩ thi đua bộ, ban, ngành, tỉnh")
    CSTD_TOAN_QUOC = "cstd_toan_quoc", _("Chiến sĩ thi đua toàn quốc")
    TT_LDTT = "tt_ldtt", _("Tập thể lao động tiên tiến")
    TT_LDXS = "tt_ldxs", _("Tập thể lao động xuất sắc")
    CO_THI_DUA_BO = "co_thi_dua_bo", _("Cờ thi đua của bộ, ban, ngành, tỉnh")
    CO_THI_DUA_CP = "co_thi_dua_cp", _("Cờ thi đua của Chính phủ")
    GIAY_KHEN = "giay_khen", _("Giấy khen")
    BANG_KHEN_BO = "bang_khen_bo", _("Bằng khen của bộ, ban, ngành, tỉnh")
    BANG_KHEN_TTG = "bang_khen_ttg", _("Bằng khen của Thủ tướng Chính phủ")
    HC_LAO_DONG_3 = "hc_lao_dong_3", _("Huân chương Lao động hạng Ba")
    HC_LAO_DONG_2 = "hc_lao_dong_2", _("Huân chương Lao động hạng Nhì")
    HC_LAO_DONG_1 = "hc_lao_dong_1", _("Huân chương Lao động hạng Nhất")
    HC_DOC_LAP_3 = "hc_doc_lap_3", _("Huân chương Độc lập hạng Ba")
    HC_DOC_LAP_2 = "hc_doc_lap_2", _("Huân chương Độc lập hạng Nhì")
    HC_DOC_LAP_1 = "hc_doc_lap_1", _("Huân chương Độc lập hạng Nhất")
    HC_HO_CHI_MINH = "hc_ho_chi_minh", _("Huân chương Hồ Chí Minh")
    HC_SAO_VANG = "hc_sao_vang", _("Huân chương Sao vàng")
    ANH_HUNG_LAO_DONG = "anh_hung_lao_dong", _("Anh hùng Lao động")
    KY_NIEM_CHUONG = "ky_niem_chuong", _("Kỷ niệm chương")


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


class ReviewStatus(models.TextChoices):
    """Of an IdentityReview: an ID number claimed by two records."""

    OPEN = "open", _("Chờ xem xét")
    MERGED = "merged", _("Đã hợp nhất")
    REJECTED = "rejected", _("Đã gỡ số định danh")


class RestructuringKind(models.TextChoices):
    """Of a Restructuring: what happened to the units on its date."""

    MERGE = "merge", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia, tách")
    RENAME = "rename", _("Đổi tên")
    MOVE = "move", _("Chuyển đơn vị cấp trên")
