"""Choices of the councils app: member roles, attendance, ballot modes and status, the choices on a ballot."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    CHAIR = "chu_tich", _("Chủ tịch Hội đồng")
    VICE_CHAIR = "pho_chu_tich", _("Phó Chủ tịch Hội đồng")
    STANDING = "uy_vien_thuong_truc", _("Ủy viên thường trực")
    MEMBER = "uy_vien", _("Ủy viên")
    SECRETARY = "thu_ky", _("Thư ký")


# members are listed in this order, then by name (Vietnamese order)
ROLE_ORDER = {
    MemberRole.CHAIR: 0,
    MemberRole.VICE_CHAIR: 1,
    MemberRole.STANDING: 2,
    MemberRole.MEMBER: 3,
    MemberRole.SECRETARY: 4,
}


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("Chưa điểm danh")
    PRESENT = "present", _("Có mặt")
    ABSENT = "absent", _("Vắng mặt")


class BallotMode(models.TextChoices):
    ELECTRONIC = "electronic", _("Bỏ phiếu kín điện tử")
    PAPER = "paper", _("Bỏ phiếu kín bằng phiếu giấy")


class BallotStatus(models.TextChoices):
    OPEN = "open", _("Đang bỏ phiếu")
    CLOSED = "closed", _("Đã đóng phiếu")


class BallotAction(models.TextChoices):
    CLOSE = "close", _("Đóng phiếu")


class Choice(models.TextChoices):
    AGREE = "agree", _("Đồng ý")
    DISAGREE = "disagree", _("Không đồng ý")
    ABSTAIN = "abstain", _("Không có ý kiến")


class Basis(models.TextChoices):
    """On what the threshold is counted (rulebook setting `council.vote_basis`)."""

    ALL = "all", _("tổng số thành viên Hội đồng")
    PRESENT = "present", _("số thành viên Hội đồng có mặt")
