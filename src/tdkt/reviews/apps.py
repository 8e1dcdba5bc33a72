import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "tdkt.reviews"
    label = "reviews"
    verbose_name = _("Bình xét thi đua, khen thưởng")

    def ready(self):
        from tdkt.awards.services import register_issue_listener
        from tdkt.core.audit import register_details, register_events
        from tdkt.core.periodic import periodic
        from tdkt.councils.services import register_close_listener
        from tdkt.reviews import services

        register_close_listener("reviews.candidate:", services.record_ballot_results)
        register_issue_listener(services.on_decision_issued)
        periodic("reviews.deadline_reminders", every=datetime.timedelta(hours=1))(services.deadline_reminders)

        register_events(
            {
                "review.create": _("Tạo đợt bình xét"),
                "review.prefill": _("Lập danh sách ứng viên từ kết quả xét tiêu chuẩn"),
                "review.candidate_add": _("Bổ sung ứng viên"),
                "review.candidate_drop": _("Đưa ứng viên ra khỏi danh sách"),
                "review.candidate_restore": _("Đưa ứng viên lại vào danh sách"),
                "review.send": _("Gửi danh sách tới Hội đồng"),
                "review.reopen": _("Mở lại danh sách bình xét"),
                "review.conclude": _("Ghi nhận kết quả bình xét"),
                "review.close": _("Kết thúc đợt bình xét"),
            }
        )
        register_details(
            {
                "added": _("thêm"),
                "refreshed": _("cập nhật"),
                "total": _("tổng"),
                "candidate": _("ứng viên"),
                "award": _("danh hiệu, hình thức"),
                "reason": _("lý do"),
                "message": _("lời nhắn"),
                "title": _("tên"),
            }
        )
