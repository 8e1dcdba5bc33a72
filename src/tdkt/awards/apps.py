from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "tdkt.awards"
    label = "awards"
    verbose_name = _("Quyết định khen thưởng")

    def ready(self):
        from tdkt.core.audit import register_details, register_events

        register_events(
            {
                "decision.draft": _("Lập dự thảo quyết định khen thưởng"),
                "decision.issue": _("Ban hành quyết định khen thưởng"),
                "decision.signed_upload": _("Lưu bản quyết định đã ký số"),
                "certificate_layout.change": _("Sửa mẫu in bằng khen, giấy khen"),
            }
        )
        register_details(
            {
                "lines": _("số dòng"),
                "number": _("số quyết định"),
                "year": _("năm"),
                "signed_by": _("người ký số"),
                "file": _("tệp"),
                "size": _("dung lượng"),
                "sha256": _("mã kiểm tra"),
                "trusted": _("chứng thư tin cậy"),
            }
        )

        from tdkt.movements.selectors import register_award_source
        from tdkt.org.models import AwardRecord

        register_award_source(
            lambda movement: AwardRecord.objects.filter(decision_line__decision__movement=movement)
        )
