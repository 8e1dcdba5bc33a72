from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "tdkt.demo"
    label = "demo"
    verbose_name = _("Dữ liệu mẫu")

    def ready(self):
        from tdkt.core.audit import register_details, register_events, register_objects

        register_events({"demo.load": _("Nạp dữ liệu mẫu")})
        register_objects({"demo": _("dữ liệu mẫu")})
        register_details(
            {
                "people": _("số cán bộ"),
                "seed": _("hạt giống ngẫu nhiên"),
                # row counts of the demo load, by model
                "awardrecord": _("khen thưởng"),
                "collective": _("tập thể"),
                "discipline": _("kỷ luật"),
                "evaluation": _("kết quả xếp loại"),
                "initiative": _("sáng kiến, đề tài"),
                "leave": _("nghỉ"),
                "person": _("cán bộ"),
                "position": _("quá trình công tác"),
                "unit": _("đơn vị"),
                "bloc": _("khối thi đua"),
                "blocmembership": _("thành viên khối"),
            }
        )
