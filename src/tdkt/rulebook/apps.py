from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulebookConfig(AppConfig):
    name = "tdkt.rulebook"
    label = "rulebook"
    verbose_name = _("Quy định thi đua, khen thưởng")

    def ready(self):
        from tdkt.core.audit import register_details, register_events

        register_events(
            {
                "rulebook.setting_change": _("Đổi giá trị cài đặt của quy định"),
                "rulebook.setting_reset": _("Trả cài đặt về mức luật định"),
                "rulebook.eligibility_run": _("Xét tiêu chuẩn khen thưởng theo lô"),
            }
        )
        register_details({"legal_default": _("mức luật định"), "unit": _("đơn vị"), "year": _("năm")})
