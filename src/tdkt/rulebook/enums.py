from django.db import models
from django.utils.translation import gettext_lazy as _


class VerdictChoice(models.TextChoices):
    ELIGIBLE = "eligible", _("Đủ tiêu chuẩn")
    NOT_ELIGIBLE = "not_eligible", _("Chưa đủ tiêu chuẩn")
    UNDETERMINED = "undetermined", _("Chưa đủ dữ kiện")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Thất bại")


class SubjectKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")
