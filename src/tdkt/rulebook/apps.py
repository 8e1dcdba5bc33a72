from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulebookConfig(AppConfig):
    name = "tdkt.rulebook"
    label = "rulebook"
    verbose_name = _("Quy định thi đua, khen thưởng")
