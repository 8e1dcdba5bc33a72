from django.db import models
from django.utils.translation import gettext_lazy as _


class MovementKind(models.TextChoices):
    YEARLY = "yearly", _("Thường xuyên (hằng năm)")
    THEMATIC = "thematic", _("Chuyên đề, theo đợt")


class MovementStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    LAUNCHED = "launched", _("Đã phát động")
    CLOSED = "closed", _("Đã kết thúc")


class MovementAction(models.TextChoices):
    LAUNCH = "launch", _("Phát động")
    CLOSE = "close", _("Kết thúc")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thủ trưởng duyệt")
    APPROVED = "approved", _("Đã đăng ký")
    REJECTED = "rejected", _("Không được duyệt")
    WITHDRAWN = "withdrawn", _("Đã rút")


class RegistrationAction(models.TextChoices):
    APPROVE = "approve", _("Duyệt")
    REJECT = "reject", _("Không duyệt")
    WITHDRAW = "withdraw", _("Rút đăng ký")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")


# registrations that hold their place: a second one for the same subject and title is a duplicate
ACTIVE_REGISTRATION = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)
