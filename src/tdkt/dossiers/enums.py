from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    MINISTRY = "ministry", _("Cấp bộ")
    STATE = "state", _("Cấp Nhà nước (qua Bộ)")


class Kind(models.TextChoices):
    """What the achievements are: the basis of the award records the dossier leads to (org AwardBasis)."""

    YEARLY = "cong_trang", _("Thành tích thường xuyên hằng năm")
    THEMATIC = "chuyen_de", _("Phong trào thi đua theo chuyên đề")
    IMMEDIATE = "dot_xuat", _("Thành tích đột xuất")
    LONG_SERVICE = "cong_hien", _("Quá trình cống hiến lâu dài")
    FOREIGN = "doi_ngoai", _("Đối ngoại")


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SENT = "sent", _("Đã gửi")
    RECEIVED = "received", _("Đã tiếp nhận")
    APPRAISING = "appraising", _("Đang thẩm định")
    RETURNED = "returned", _("Trả lại để bổ sung")
    RESENT = "resent", _("Đã gửi lại")
    ACCEPTED = "accepted", _("Đủ điều kiện trình Hội đồng")
    IN_COUNCIL = "in_council", _("Hội đồng cấp bộ đang xét")
    DECIDED = "decided", _("Đã có kết quả xét")
    ISSUED = "issued", _("Đã có quyết định khen thưởng")
    PREPARED = "prepared", _("Bộ đã lập hồ sơ trình cấp Nhà nước")
    SIGNED = "signed", _("Lãnh đạo Bộ đã ký trình")
    SENT_UP = "sent_up", _("Đã trình cấp Nhà nước")
    CLOSED = "closed", _("Đã có kết quả cấp Nhà nước")


class Action(models.TextChoices):
    APPROVE = "approve", _("Thủ trưởng đơn vị duyệt")
    SEND = "send", _("Gửi hồ sơ")
    RECEIVE = "receive", _("Tiếp nhận")
    START = "start", _("Bắt đầu thẩm định")
    RETURN = "return", _("Trả lại")
    RESEND = "resend", _("Gửi lại")
    ACCEPT = "accept", _("Chấp nhận")
    TO_COUNCIL = "to_council", _("Trình Hội đồng cấp bộ")
    DECIDE = "decide", _("Ghi nhận kết quả xét")
    ISSUE = "issue", _("Ban hành quyết định")
    PREPARE = "prepare", _("Lập hồ sơ trình cấp Nhà nước")
    SIGN = "sign", _("Ký trình")
    SEND_UP = "send_up", _("Trình cấp Nhà nước")
    RESEND_UP = "resend_up", _("Trình lại cấp Nhà nước")
    CLOSE = "close", _("Kết thúc")


class Appraisal(models.TextChoices):
    PENDING = "", _("Chưa thẩm định")
    OK = "ok", _("Đạt")
    RETURNED = "returned", _("Trả lại")
    REJECTED = "rejected", _("Không đủ điều kiện")


class Decided(models.TextChoices):
    PENDING = "", _("Chưa xét")
    APPROVED = "approved", _("Đồng ý khen thưởng")
    NOT_APPROVED = "not_approved", _("Không khen thưởng")


class StateOutcome(models.TextChoices):
    PENDING = "", _("Chờ kết quả")
    RECEIVED = "received", _("Cấp trên đã tiếp nhận")
    RETURNED = "returned", _("Cấp trên trả lại")
    APPROVED = "approved", _("Đã có quyết định khen thưởng")
    NOT_APPROVED = "not_approved", _("Không được khen thưởng")


class ComponentStatus(models.TextChoices):
    MISSING = "missing", _("Chưa có")
    READY = "ready", _("Đã có")
    RETURNED = "returned", _("Bị trả lại")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ thủ trưởng xác nhận")
    CONFIRMED = "confirmed", _("Thủ trưởng đã xác nhận")


class Severity(models.TextChoices):
    BLOCK = "block", _("Phải sửa")
    JUSTIFY = "justify", _("Sửa hoặc giải trình")
