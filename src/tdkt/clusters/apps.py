from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "tdkt.clusters"
    label = "clusters"
    verbose_name = _("Cụm, khối thi đua")

    def ready(self):
        from tdkt.clusters import (
            rules,  # noqa: F401  (permissions)
            services,
        )
        from tdkt.clusters.restructuring import follow_restructuring
        from tdkt.core.audit import register_events
        from tdkt.councils.services import register_close_listener
        from tdkt.org.restructuring import register_follower

        register_close_listener("clusters.", services.record_conference)
        register_follower("clusters", follow_restructuring)
        register_events(
            {
                "bloc.create": _("Lập khối thi đua"),
                "cluster.create": _("Lập cụm thi đua"),
                "bloc.member": _("Ghi thành viên cụm, khối thi đua"),
                "bloc.member_remove": _("Bỏ thành viên khỏi cụm thi đua"),
                "bloc.follow_restructuring": _("Thành viên khối theo đơn vị kế thừa sau sắp xếp"),
                "cluster_year.open": _("Mở năm thi đua của cụm"),
                "criterion.create": _("Thêm tiêu chí chấm điểm"),
                "criterion.update": _("Sửa tiêu chí chấm điểm"),
                "criterion.remove": _("Bỏ tiêu chí chấm điểm"),
                "criterion.copy": _("Sao chép bảng tiêu chí năm trước"),
                "covenant.set": _("Ghi giao ước thi đua của cụm"),
                "covenant.pledge": _("Ghi nội dung, chỉ tiêu giao ước của thành viên"),
                "covenant.sign": _("Ghi nhận thành viên ký giao ước"),
                "cluster_year.open_scoring": _("Mở tự chấm điểm"),
                "cluster_year.start_appraisal": _("Bắt đầu thẩm định điểm"),
                "cluster_year.start_explanation": _("Mở vòng giải trình"),
                "cluster_year.lock": _("Chốt điểm"),
                "cluster_year.rank": _("Xếp hạng cụm"),
                "cluster_year.record_vote": _("Ghi kết quả biểu quyết của Hội nghị"),
                "cluster_year.vote_ignored": _("Bỏ qua kết quả bỏ phiếu lại sau khi đã lập hồ sơ, công bố"),
                "cluster_year.publish": _("Công bố kết quả thi đua của cụm"),
                "cluster_year.conference": _("Chuẩn bị Hội nghị tổng kết cụm"),
                "cluster_year.dossier": _("Lập hồ sơ đề nghị khen thưởng của cụm"),
                "score.self": _("Tự chấm điểm tiêu chí"),
                "score.evidence": _("Nộp minh chứng"),
                "score.evidence_remove": _("Bỏ minh chứng"),
                "sheet.submit": _("Gửi phiếu tự chấm điểm"),
                "score.adjust": _("Điều chỉnh điểm khi thẩm định"),
                "score.explain": _("Giải trình điểm bị điều chỉnh"),
                "standing.propose": _("Đổi đề nghị khen thưởng theo xếp hạng"),
            }
        )
