from django.db import models
from django.utils.translation import gettext_lazy as _


class BlocRole(models.TextChoices):
    HEAD = "head", _("Khối trưởng")
    DEPUTY = "deputy", _("Khối phó")
    MEMBER = "member", _("Thành viên")
