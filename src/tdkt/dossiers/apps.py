import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "tdkt.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ đề nghị khen thưởng")

    def ready(self):
        from tdkt.awards.services import register_issue_listener
        from tdkt.core.audit import register_details, register_events
        from tdkt.core.dashboard import register_cards
        from tdkt.core.periodic import periodic
        from tdkt.councils.services import register_close_listener
        from tdkt.dossiers import services
        from tdkt.dossiers.restructuring import follow_restructuring
        from tdkt.dossiers.selectors import dashboard_cards
        from tdkt.org.restructuring import register_follower

        register_close_listener("dossiers.nomination:", services.record_ballot_results)
        register_follower("dossiers", follow_restructuring)
        register_issue_listener(services.on_decision_issued)
        register_cards(dashboard_cards)
        periodic("dossiers.overdue", every=datetime.timedelta(hours=1))(services.notify_overdue)
        register_events(
            {
                "dossier.create": _("Lập hồ sơ đề nghị khen thưởng"),
                "dossier.nominate": _("Thêm người, tập thể vào hồ sơ đề nghị"),
                "dossier.unnominate": _("Bỏ người, tập thể khỏi hồ sơ đề nghị"),
                "dossier.justify": _("Giải trình trong hồ sơ đề nghị"),
                "dossier.paper": _("Nộp giấy tờ của hồ sơ đề nghị"),
                "dossier.report": _("Soạn báo cáo thành tích"),
                "dossier.report_confirm": _("Xác nhận báo cáo thành tích"),
                "dossier.approve": _("Thủ trưởng đơn vị duyệt hồ sơ đề nghị"),
                "dossier.send": _("Gửi hồ sơ đề nghị"),
                "dossier.resend": _("Gửi lại hồ sơ đề nghị"),
                "dossier.receive": _("Tiếp nhận hồ sơ đề nghị"),
                "dossier.start": _("Bắt đầu thẩm định hồ sơ"),
                "dossier.return": _("Trả lại hồ sơ đề nghị"),
                "dossier.accept": _("Chấp nhận hồ sơ đề nghị"),
                "dossier.to_council": _("Trình Hội đồng cấp bộ"),
                "dossier.decide": _("Ghi nhận kết quả xét hồ sơ"),
                "dossier.decision_draft": _("Lập dự thảo quyết định cho hồ sơ"),
                "dossier.issue": _("Hồ sơ đã có quyết định khen thưởng"),
                "dossier.prepare": _("Lập hồ sơ trình cấp Nhà nước"),
                "dossier.sign": _("Lãnh đạo Bộ ký trình"),
                "dossier.send_up": _("Trình cấp Nhà nước"),
                "dossier.state_outcome": _("Ghi kết quả của cấp Nhà nước"),
                "dossier.close": _("Kết thúc hồ sơ trình cấp Nhà nước"),
                "dossier.comment": _("Ý kiến về hồ sơ"),
                "dossier.restructure": _("Hồ sơ chuyển sang đơn vị kế thừa khi sắp xếp lại đơn vị"),
            }
        )
        register_details(
            {
                "level": _("cấp"),
                "subject": _("người, tập thể"),
                "paper": _("giấy tờ"),
                "version": _("phiên bản"),
                "sha256": _("mã kiểm tra"),
                "nomination": _("đề nghị"),
                "outcome": _("kết quả"),
                "decision": _("quyết định"),
                "text": _("nội dung"),
            }
        )
