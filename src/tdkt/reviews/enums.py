from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    PREPARING = "preparing", _("Đang lập danh sách")
    IN_COUNCIL = "in_council", _("Hội đồng đang xét")
    CONCLUDED = "concluded", _("Đã có kết quả")
    CLOSED = "closed", _("Đã kết thúc")


class RoundAction(models.TextChoices):
    SEND = "send", _("Gửi Hội đồng")
    REOPEN = "reopen", _("Mở lại danh sách")
    CONCLUDE = "conclude", _("Ghi nhận kết quả")
    CLOSE = "close", _("Kết thúc đợt")


class Origin(models.TextChoices):
    ENGINE = "engine", _("Theo kết quả xét tiêu chuẩn")
    ADDED = "added", _("Đơn vị bổ sung")


class VoteResult(models.TextChoices):
    NONE = "", _("Không cần bỏ phiếu")
    WAITING = "waiting", _("Chờ bỏ phiếu")
    PASSED = "passed", _("Đạt")
    FAILED = "failed", _("Không đạt")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Chưa có kết quả")
    DECIDE_HERE = "decide_here", _("Thủ trưởng đơn vị quyết định")
    PROPOSE = "propose", _("Đề nghị cấp trên khen thưởng")
    NOT_AWARDED = "not_awarded", _("Không khen thưởng")
    AWARDED = "awarded", _("Đã có quyết định")


class ChangeAction(models.TextChoices):
    ADD = "add", _("Bổ sung")
    DROP = "drop", _("Đưa ra khỏi danh sách")
    RESTORE = "restore", _("Đưa lại vào danh sách")
