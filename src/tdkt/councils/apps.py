from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "tdkt.councils"
    label = "councils"
    verbose_name = _("Hội đồng Thi đua – Khen thưởng")

    def ready(self):
        from tdkt.core.audit import register_details, register_events, register_values
        from tdkt.councils.enums import BallotMode, MemberRole

        register_events(
            {
                "council.create": _("Thành lập Hội đồng Thi đua – Khen thưởng"),
                "council.conference": _("Chuẩn bị Hội nghị của cụm, khối thi đua"),
                "council.update": _("Sửa thông tin Hội đồng"),
                "council.member_add": _("Bổ sung thành viên Hội đồng"),
                "council.member_update": _("Đổi chức danh thành viên Hội đồng"),
                "council.member_remove": _("Thành viên thôi tham gia Hội đồng"),
                "meeting.create": _("Tạo phiên họp Hội đồng"),
                "meeting.update": _("Sửa phiên họp Hội đồng"),
                "meeting.attendance": _("Điểm danh phiên họp Hội đồng"),
                "ballot.open": _("Mở bỏ phiếu kín"),
                "ballot.cast": _("Bỏ phiếu kín (không ghi lựa chọn)"),
                "ballot.tallies_enter": _("Nhập kết quả kiểm phiếu giấy"),
                "ballot.close": _("Đóng phiếu, công bố kết quả"),
            }
        )
        register_details(
            {
                "person": _("cán bộ"),
                "items": _("số nội dung"),
                "roll": _("số thành viên được bỏ phiếu"),
                "reason": _("lý do"),
                "replaces": _("thay cho lần bỏ phiếu"),
                "present": _("có mặt"),
                "absent": _("vắng mặt"),
                "committee": _("ban kiểm phiếu"),
                "counts": _("số phiếu (đồng ý, không đồng ý, không có ý kiến)"),
                "voted": _("số phiếu"),
                "passed": _("số nội dung đạt"),
            }
        )
        register_values(MemberRole, BallotMode)

        from tdkt.core.periodic import periodic
        from tdkt.councils.tasks import EVERY, ballots_due

        periodic("councils.ballots_due", every=EVERY)(ballots_due)
