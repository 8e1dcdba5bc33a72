"""Emulation blocs (khối thi đua): comparable units that compete and rank together each year."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tdkt.clusters.enums import BlocRole
from tdkt.core.models import TimeStampedModel


class Bloc(TimeStampedModel):
    code = models.CharField(_("mã khối"), max_length=30, unique=True)
    name = models.CharField(_("tên khối thi đua"), max_length=255)
    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("khối thi đua")
        verbose_name_plural = _("khối thi đua")

    def __str__(self) -> str:
        return self.name


class BlocMembership(models.Model):
    """A unit's membership of a bloc for one year, with its role (head and deputy rotate yearly)."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    role = models.CharField(_("vai trò"), max_length=10, choices=BlocRole.choices, default=BlocRole.MEMBER)

    class Meta:
        ordering = ["bloc", "year", "role"]
        verbose_name = _("thành viên khối")
        constraints = [models.UniqueConstraint(fields=["bloc", "unit", "year"], name="uniq_bloc_unit_year")]
