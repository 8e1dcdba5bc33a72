from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    SPECIALIST = "specialist", _("Chuyên viên Vụ TĐKT")
    OFFICER = "officer", _("Cán bộ TĐKT đơn vị")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng TĐKT")
    LEADER = "leader", _("Lãnh đạo")
    BLOC_HEAD = "bloc_head", _("Khối trưởng")
    INSPECTOR = "inspector", _("Thanh tra, kiểm tra")
    PORTAL_EDITOR = "portal_editor", _("Biên tập cổng thông tin")
    STAFF = "staff", _("Cán bộ, công chức, viên chức")
