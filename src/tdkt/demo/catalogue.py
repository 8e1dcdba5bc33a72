"""What the demo ministry is made of: its units, titles, job titles, blocs, and the fixed years."""

from __future__ import annotations

import datetime

from tdkt.demo import names
from tdkt.demo.draws import Weighted

DEMO_PASSWORD = "demo"
DEFAULT_PEOPLE = 3000
DEFAULT_SEED = 2025
REFERENCE_YEAR = 2025
YEARS = tuple(range(2020, REFERENCE_YEAR + 1))
AWARD_YEARS = YEARS  # 2025 achievements were decided in early 2026; 2026 is the year under way
NEW_LAW_FROM = 2024  # Law on emulation and commendation 2022, in force 1 January 2024
MERGER_DAY = datetime.date(2025, 7, 1)
BATCH = 2000
CHUNK_PEOPLE = 5000

MINISTRY_NAME = "Bộ Kinh tế Số"
MINISTRY_ABBR = "BKTS"
TDKT_DEPARTMENT_CODE = "TDKT"
OFFICER_UNIT_CODE = "CDS"


TITLES = {
    "ministry": ("Bộ trưởng", "Thứ trưởng"),
    "vu": ("Vụ trưởng", "Phó Vụ trưởng"),
    "cuc": ("Cục trưởng", "Phó Cục trưởng"),
    "vp": ("Chánh Văn phòng", "Phó Chánh Văn phòng"),
    "thanh_tra": ("Chánh Thanh tra", "Phó Chánh Thanh tra"),
    "vien": ("Viện trưởng", "Phó Viện trưởng"),
    "trung_tam": ("Giám đốc", "Phó Giám đốc"),
    "truong": ("Hiệu trưởng", "Phó Hiệu trưởng"),
    "bao": ("Tổng Biên tập", "Phó Tổng Biên tập"),
    "tct": ("Tổng Giám đốc", "Phó Tổng Giám đốc"),
    "so": ("Giám đốc Sở", "Phó Giám đốc Sở"),
}
SUB_TITLES = {
    "Phòng": ("Trưởng phòng", "Phó Trưởng phòng"),
    "Khoa": ("Trưởng khoa", "Phó Trưởng khoa"),
    "Ban": ("Trưởng ban", "Phó Trưởng ban"),
    "Văn phòng": ("Chánh Văn phòng", "Phó Chánh Văn phòng"),
    "Thanh tra": ("Chánh Thanh tra", "Phó Chánh Thanh tra"),
    "Trung tâm": ("Giám đốc", "Phó Giám đốc"),
    "Chi nhánh": ("Giám đốc", "Phó Giám đốc"),
    "Tổ": ("Tổ trưởng", "Tổ phó"),
}

# (code, name, abbr, family)
DEPARTMENTS = [
    ("VPB", "Văn phòng Bộ", "VP", "vp"),
    (TDKT_DEPARTMENT_CODE, "Vụ Thi đua – Khen thưởng", "TĐKT", "vu"),
    ("TCCB", "Vụ Tổ chức cán bộ", "TCCB", "vu"),
    ("KHTC", "Vụ Kế hoạch – Tài chính", "KHTC", "vu"),
    ("PC", "Vụ Pháp chế", "PC", "vu"),
    ("HTQT", "Vụ Hợp tác quốc tế", "HTQT", "vu"),
    ("TTB", "Thanh tra Bộ", "TTr", "thanh_tra"),
    (OFFICER_UNIT_CODE, "Cục Chuyển đổi số", "CĐS", "cuc"),
    ("HTS", "Cục Hạ tầng số", "HTS", "cuc"),
    ("ATTT", "Cục An toàn thông tin", "ATTT", "cuc"),
    ("CDL", "Cục Dữ liệu", "CDL", "cuc"),
]
AFFILIATED = [
    ("VCL", "Viện Chiến lược Kinh tế số", "VCL", "vien"),
    ("VKHDL", "Viện Khoa học Dữ liệu", "VKHDL", "vien"),
    ("VCN", "Viện Công nghệ số", "VCNS", "vien"),
    ("TTTT", "Trung tâm Thông tin", "TTTT", "trung_tam"),
    ("TTDT", "Trung tâm Đào tạo, bồi dưỡng cán bộ", "TTĐT", "trung_tam"),
    ("TTGS", "Trung tâm Giám sát an toàn không gian mạng", "TTGS", "trung_tam"),
    ("TTCT", "Trung tâm Chứng thực điện tử", "TTCT", "trung_tam"),
    ("TTKD", "Trung tâm Kiểm định và Chứng nhận", "TTKĐ", "trung_tam"),
    ("TTDV", "Trung tâm Dịch vụ công trực tuyến", "TTDV", "trung_tam"),
    ("TTUC", "Trung tâm Ứng cứu sự cố", "TTUC", "trung_tam"),
    ("DHCN", "Trường Đại học Công nghệ số", "ĐHCNS", "truong"),
    ("CDKT", "Trường Cao đẳng Kinh tế số", "CĐKTS", "truong"),
    ("BAO", "Báo Kinh tế Số", "BKTS-B", "bao"),
    ("TC", "Tạp chí Kinh tế Số", "TCKTS", "bao"),
    ("NXB", "Nhà xuất bản Kinh tế Số", "NXB", "trung_tam"),
]
ENTERPRISES = [
    ("TCTHT", "Tổng công ty Hạ tầng số", "TCT-HTS", "tct"),
    ("TCTDL", "Tổng công ty Dịch vụ Dữ liệu", "TCT-DVDL", "tct"),
    ("TCTBC", "Tổng công ty Bưu chính Số", "TCT-BCS", "tct"),
    ("TCTTD", "Tổng công ty Truyền dẫn số", "TCT-TDS", "tct"),
    ("CTPM", "Công ty TNHH MTV Phần mềm Công", "CTPMC", "tct"),
]
SUBUNITS = {
    "vp": ["Phòng Hành chính", "Phòng Tổng hợp", "Phòng Quản trị", "Phòng Truyền thông"],
    "vu": ["Phòng Tổng hợp", "Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Chính sách"],
    "thanh_tra": ["Phòng Thanh tra hành chính", "Phòng Thanh tra chuyên ngành", "Phòng Tiếp công dân"],
    "cuc": ["Văn phòng Cục", "Phòng Kế hoạch – Tài chính", "Phòng Quản lý chuyên ngành", "Phòng Pháp chế"],
    "vien": [
        "Phòng Hành chính – Tổng hợp",
        "Phòng Nghiên cứu chiến lược",
        "Phòng Nghiên cứu ứng dụng",
        "Phòng Hợp tác và Thông tin",
    ],
    "trung_tam": ["Phòng Hành chính – Tổng hợp", "Phòng Kỹ thuật", "Phòng Dịch vụ", "Phòng Kế toán"],
    "truong": [
        "Phòng Đào tạo",
        "Phòng Tổ chức – Hành chính",
        "Khoa Công nghệ thông tin",
        "Khoa Kinh tế số",
        "Khoa Khoa học cơ bản",
    ],
    "bao": ["Ban Thư ký tòa soạn", "Ban Thời sự", "Ban Điện tử", "Ban Trị sự"],
    "tct": [
        "Văn phòng",
        "Ban Tài chính – Kế toán",
        "Ban Kỹ thuật",
        "Trung tâm Vận hành mạng",
        "Chi nhánh miền Bắc",
        "Chi nhánh miền Trung",
        "Chi nhánh miền Nam",
    ],
    "so": [
        "Văn phòng Sở",
        "Thanh tra Sở",
        "Phòng Kế hoạch – Tài chính",
        "Phòng Quản lý chuyên ngành",
        "Phòng Chuyển đổi số",
        "Trung tâm Dịch vụ số",
    ],
}
TEAMS = {
    "vien": ["Nhóm nghiên cứu Kinh tế dữ liệu", "Nhóm nghiên cứu Trí tuệ nhân tạo"],
    "trung_tam": ["Tổ Ứng cứu nhanh", "Tổ Hỗ trợ người dùng"],
    "truong": ["Tổ Bộ môn Mạng máy tính", "Tổ Bộ môn Hệ thống thông tin"],
    "bao": ["Tổ Phóng viên thường trú"],
    "tct": ["Đội Kỹ thuật cơ động", "Tổ Chăm sóc khách hàng"],
    "cuc": ["Tổ công tác Chính phủ số"],
}
FAMILY_WEIGHT = {
    "vp": 1.2,
    "vu": 0.8,
    "thanh_tra": 0.7,
    "cuc": 1.4,
    "vien": 1.3,
    "trung_tam": 1.2,
    "truong": 2.2,
    "bao": 1.0,
    "tct": 4.0,
    "so": 1.6,
}
BLOCS = [
    ("KHOI-1", "Khối thi đua các Sở Kinh tế Số miền núi phía Bắc", "north_mountain"),
    ("KHOI-2", "Khối thi đua các Sở Kinh tế Số đồng bằng sông Hồng và Bắc Trung Bộ", "red_river"),
    ("KHOI-3", "Khối thi đua các Sở Kinh tế Số Trung Bộ và Tây Nguyên", "central"),
    ("KHOI-4", "Khối thi đua các Sở Kinh tế Số Nam Bộ", "south"),
]


JOB_TITLES = {
    "ministry": Weighted([("Chuyên viên cao cấp", 1)]),
    "vu": Weighted(
        [("Chuyên viên", 55), ("Chuyên viên chính", 35), ("Chuyên viên cao cấp", 5), ("Cán sự", 5)]
    ),
    "vp": Weighted(
        [
            ("Chuyên viên", 50),
            ("Chuyên viên chính", 20),
            ("Văn thư viên", 10),
            ("Kế toán viên", 10),
            ("Nhân viên", 10),
        ]
    ),
    "thanh_tra": Weighted([("Thanh tra viên", 55), ("Thanh tra viên chính", 35), ("Chuyên viên", 10)]),
    "cuc": Weighted([("Chuyên viên", 55), ("Chuyên viên chính", 30), ("Kỹ sư", 10), ("Kế toán viên", 5)]),
    "so": Weighted([("Chuyên viên", 60), ("Chuyên viên chính", 25), ("Kỹ sư", 10), ("Kế toán viên", 5)]),
    "vien": Weighted(
        [("Nghiên cứu viên", 55), ("Nghiên cứu viên chính", 30), ("Kỹ sư", 10), ("Kế toán viên", 5)]
    ),
    "trung_tam": Weighted([("Kỹ sư", 45), ("Chuyên viên", 30), ("Kỹ thuật viên", 20), ("Kế toán viên", 5)]),
    "truong": Weighted([("Giảng viên", 60), ("Giảng viên chính", 25), ("Chuyên viên", 15)]),
    "bao": Weighted([("Phóng viên", 45), ("Biên tập viên", 40), ("Kỹ thuật viên", 15)]),
    "tct": Weighted([("Kỹ sư", 40), ("Nhân viên kinh doanh", 25), ("Kế toán viên", 10), ("Chuyên viên", 25)]),
}
DIRECT_TITLES = {
    "truong": "Giảng viên",
    "bao": "Phóng viên",
    "vien": "Nghiên cứu viên",
    "tct": "Công nhân kỹ thuật",
    "trung_tam": "Kỹ thuật viên",
    "so": "Kỹ thuật viên",
    "cuc": "Kỹ thuật viên",
}
DIRECT_SHARE = {
    "tct": 0.65,
    "trung_tam": 0.45,
    "truong": 0.45,
    "bao": 0.4,
    "vien": 0.35,
    "so": 0.3,
    "cuc": 0.12,
    "vp": 0.05,
    "vu": 0.02,
    "thanh_tra": 0.02,
    "ministry": 0.0,
}
INITIATIVE_ACTIONS = ["Giải pháp", "Sáng kiến", "Quy trình", "Ứng dụng", "Mô hình", "Phương pháp"]
INITIATIVE_OBJECTS = [
    "số hóa hồ sơ lưu trữ",
    "tự động hóa báo cáo thống kê",
    "quản lý văn bản điện tử",
    "giám sát hạ tầng mạng",
    "tiếp nhận hồ sơ trực tuyến",
    "chuẩn hóa dữ liệu chuyên ngành",
    "tiết kiệm chi phí vận hành",
    "đào tạo trực tuyến cho công chức",
    "phân tích dữ liệu phục vụ điều hành",
    "bảo đảm an toàn thông tin",
    "chữ ký số trong giao dịch nội bộ",
    "kết nối liên thông dữ liệu",
    "quản lý tài sản công",
    "chăm sóc khách hàng đa kênh",
    "điều hành sản xuất kinh doanh",
]
ADMIN_PROVINCES = [code for code, _province in names.PROVINCES_63]
