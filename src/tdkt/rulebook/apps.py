from __future__ import annotations

import functools
import re
from typing import Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# the name eligibility runs were stored with before they had a readable one: "<unit id>/<year>"
_OLD_RUN_NAME = re.compile(r"^(\d+)/(\d{4})$")


@functools.lru_cache(maxsize=2)
def _definitions_on(day):
    from tdkt.rulebook.services import setting_definitions

    return setting_definitions(day)


def _describe_settings(events) -> dict[int, tuple[str | None, str | None]]:
    """A setting by its name for people (the row keeps its key), linked to its place on the settings page."""
    from tdkt.rulebook.services import setting_label

    page = reverse("rulebook:settings")
    return {
        e.pk: (setting_label(e.object_repr), f"{page}#s-{e.object_repr}") for e in events if e.object_repr
    }


def _setting_value(event, key: str, value: Any) -> str | None:
    """A setting's value as the settings page shows it: labels, percentages, Có/Không."""
    if key not in ("value", "legal_default"):
        return None
    from tdkt.rulebook.services import format_setting_value

    definition = _definitions_on(timezone.localdate()).get(event.object_repr)
    return None if definition is None else str(format_setting_value(definition, value))


def _describe_runs(events) -> dict[int, tuple[str | None, str | None]]:
    """A run names its year and unit (runs stored as "71/2025" get that name here, one query for the
    page), and links to the candidates list of that unit and year."""
    from tdkt.org.models import Unit

    subjects: dict[int, tuple[Any, Any, bool]] = {}
    for e in events:
        changes = e.changes if isinstance(e.changes, dict) else {}
        old = _OLD_RUN_NAME.match(e.object_repr or "")
        unit_id = changes.get("unit") or (int(old.group(1)) if old else None)
        year = changes.get("year") or (int(old.group(2)) if old else None)
        subjects[e.pk] = (unit_id, year, old is not None)
    wanted = {u for u, _y, old in subjects.values() if old and isinstance(u, int)}
    names = dict(Unit.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    page = reverse("rulebook:candidates")
    described = {}
    for pk, (unit_id, year, old) in subjects.items():
        name = None
        if old and unit_id in names:
            name = gettext("Xét tiêu chuẩn khen thưởng năm %(year)s — %(unit)s") % {
                "year": year,
                "unit": names[unit_id],
            }
        url = (
            f"{page}?unit={unit_id}&year={year}"
            if isinstance(unit_id, int) and isinstance(year, int)
            else None
        )
        described[pk] = (name, url)
    return described


class RulebookConfig(AppConfig):
    name = "tdkt.rulebook"
    label = "rulebook"
    verbose_name = _("Quy định thi đua, khen thưởng")

    def ready(self):
        from tdkt.core.audit import Presenter, register_details, register_events, register_presenter

        register_events(
            {
                "rulebook.setting_change": _("Đổi giá trị cài đặt của quy định"),
                "rulebook.setting_reset": _("Trả cài đặt về mức luật định"),
                "rulebook.eligibility_run": _("Xét tiêu chuẩn khen thưởng theo lô"),
            }
        )
        register_details(
            {"legal_default": _("mức luật định"), "unit": _("đơn vị"), "year": _("năm")},
            whole=["legal_default"],
        )
        register_presenter(
            "rulebook.agencysetting", Presenter(describe=_describe_settings, value=_setting_value)
        )
        register_presenter("rulebook.eligibilityrun", Presenter(describe=_describe_runs))
