from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "tdkt.org"
    label = "org"
    verbose_name = _("Tổ chức, cán bộ")

    def ready(self):
        from tdkt.core.dashboard import register_cards, register_panels
        from tdkt.org.selectors import dashboard_cards, dashboard_panels

        register_cards(dashboard_cards)
        register_panels(dashboard_panels)
