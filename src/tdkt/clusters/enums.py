from django.db import models
from django.utils.translation import gettext_lazy as _


class BlocRole(models.TextChoices):
    HEAD = "head", _("Khối trưởng")
    DEPUTY = "deputy", _("Khối phó")
    MEMBER = "member", _("Thành viên")


class YearStatus(models.TextChoices):
    """Where a cluster's year stands; the head moves it on, the scores follow."""

    SETUP = "setup", _("Chuẩn bị (giao ước, bảng điểm)")
    SCORING = "scoring", _("Thành viên tự chấm điểm")
    APPRAISAL = "appraisal", _("Thẩm định điểm")
    EXPLANATION = "explanation", _("Giải trình")
    LOCKED = "locked", _("Đã chốt điểm")
    RANKED = "ranked", _("Đã xếp hạng")
    VOTED = "voted", _("Hội nghị đã biểu quyết")
    PUBLISHED = "published", _("Đã công bố")


class YearAction(models.TextChoices):
    OPEN_SCORING = "open_scoring", _("Mở tự chấm điểm")
    START_APPRAISAL = "start_appraisal", _("Bắt đầu thẩm định")
    START_EXPLANATION = "start_explanation", _("Mở giải trình")
    LOCK = "lock", _("Chốt điểm")
    RANK = "rank", _("Xếp hạng")
    RECORD_VOTE = "record_vote", _("Ghi kết quả biểu quyết")
    PUBLISH = "publish", _("Công bố")


class CriterionKind(models.TextChoices):
    GROUP = "group", _("Nhóm tiêu chí")
    FIXED = "fixed", _("Chấm điểm trực tiếp")
    TARGET = "target", _("Theo chỉ tiêu giao")
    BONUS = "bonus", _("Điểm thưởng")
    DEDUCTION = "deduction", _("Điểm trừ")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Đang tự chấm")
    SUBMITTED = "submitted", _("Đã gửi")
    LOCKED = "locked", _("Đã chốt")


class ProposalAward(models.TextChoices):
    """What a cluster's conference proposes its members for (rulebook codes)."""

    CO_THI_DUA_CP = "co_thi_dua_cp", _("Cờ thi đua của Chính phủ")
    CO_THI_DUA_BO = "co_thi_dua_bo", _("Cờ thi đua của Bộ")
    BANG_KHEN_BO = "bang_khen_bo", _("Bằng khen của Bộ trưởng")
