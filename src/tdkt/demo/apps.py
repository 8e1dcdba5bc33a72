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
        register_details({"people": _("số cán bộ"), "seed": _("hạt giống ngẫu nhiên")})
