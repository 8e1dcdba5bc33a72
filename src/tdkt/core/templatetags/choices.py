"""`{% load choices %}`: a field's choice label, translated once per language and kept.

    {{ person|choice_label:"gender" }}      Nữ
    {{ award|choice_label:"award_code" }}   Lao động tiên tiến

The same text as `get_<field>_display`, which builds the field's whole choice table on every call and so
translates every label of it (thirty award names for each row of the register); lists use this instead.
"""

from django import template
from django.utils.translation import get_language

register = template.Library()

_LABELS: dict[tuple, dict] = {}  # (model, field, language) -> {value: label}


@register.filter
def choice_label(obj, field_name: str) -> str:
    field = obj._meta.get_field(field_name)
    key = (obj.__class__, field_name, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {value: str(label) for value, label in field.flatchoices}
    value = getattr(obj, field.attname)
    return labels.get(value, value)
