"""The filters of the statistics page and of the report forms, every value validated: a year that is not
four plain digits or lies outside 1945–2100, a span longer than `MAX_SPAN` years, a unit outside the
user's scope (the same message as a unit that does not exist), a level or subject not offered — each is
an error beside its field, and the page shows no figures rather than other figures."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tdkt.core.filters import NOT_IN_LIST, UnitPickerField, style_fields
from tdkt.core.text import is_digits
from tdkt.org.enums import IssuerLevel
from tdkt.org.models import Unit
from tdkt.reports.selectors import NO_LEVEL, StatFilter

FIRST_YEAR, LAST_YEAR = 1945, 2100
MAX_SPAN = 30  # years in one statistics page: a bounded range keeps every query on the year index

SUBJECTS = [
    ("", gettext_lazy("Cá nhân và tập thể")),
    ("person", gettext_lazy("Cá nhân")),
    ("collective", gettext_lazy("Tập thể")),
]


def _year_field(label):
    return forms.CharField(
        label=label, max_length=4, error_messages={"max_length": gettext_lazy("Năm phải có 4 chữ số.")}
    )


def _clean_year(value: str) -> int:
    if not is_digits(value) or len(value) != 4:
        raise forms.ValidationError(gettext_lazy("Năm phải có 4 chữ số."))
    year = int(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise forms.ValidationError(
            gettext_lazy("Năm phải từ %(a)s đến %(b)s."), params={"a": FIRST_YEAR, "b": LAST_YEAR}
        )
    return year


class StatisticsFilterForm(forms.Form):
    year_from = _year_field(gettext_lazy("Từ năm"))
    year_to = _year_field(gettext_lazy("Đến năm"))
    # typed and suggested (core.filters.UnitPickerField): the scope's units are never all listed
    unit = UnitPickerField(
        label=gettext_lazy("Đơn vị (gồm cấp dưới)"),
        action="reports.view",
        queryset=Unit.objects.none(),
        required=False,
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Cấp khen"),
        required=False,
        choices=[("", gettext_lazy("Mọi cấp"))]
        + list(IssuerLevel.choices)
        + [(NO_LEVEL, gettext_lazy("Chưa ghi cấp khen"))],
        error_messages=NOT_IN_LIST,
    )
    subject = forms.ChoiceField(
        label=gettext_lazy("Đối tượng"), required=False, choices=SUBJECTS, error_messages=NOT_IN_LIST
    )

    def __init__(self, data, *, units):
        this_year = timezone.localdate().year
        data = data.copy()
        data.setdefault("year_to", str(this_year - 1))
        data.setdefault("year_from", str(this_year - 5))
        super().__init__(data, auto_id="f-%s")
        self.fields["unit"].queryset = units
        style_fields(self)

    def clean_year_from(self):
        return _clean_year(self.cleaned_data["year_from"])

    def clean_year_to(self):
        return _clean_year(self.cleaned_data["year_to"])

    def clean(self):
        data = super().clean()
        a, b = data.get("year_from"), data.get("year_to")
        if a is not None and b is not None:
            if a > b:
                self.add_error("year_to", gettext_lazy("“Đến năm” phải không trước “Từ năm”."))
            elif b - a + 1 > MAX_SPAN:
                self.add_error("year_to", gettext_lazy("Mỗi lần xem tối đa %(n)s năm.") % {"n": MAX_SPAN})
        return data

    def filters(self) -> StatFilter | None:
        if not self.is_valid():
            return None
        d = self.cleaned_data
        return StatFilter(d["year_from"], d["year_to"], d["unit"], d["level"], d["subject"])


PERIODS = [("year", gettext_lazy("Cả năm")), ("h1", gettext_lazy("6 tháng đầu năm"))]


class ReportFormFilter(forms.Form):
    """The year (or half-year), the unit whose subtree a report form covers, and the form."""

    form = forms.ChoiceField(label=gettext_lazy("Biểu mẫu"), choices=(), error_messages=NOT_IN_LIST)
    year = _year_field(gettext_lazy("Năm báo cáo"))
    period = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"), choices=PERIODS, error_messages=NOT_IN_LIST)
    unit = UnitPickerField(
        label=gettext_lazy("Đơn vị báo cáo (gồm cấp dưới)"),
        action="reports.export_forms",
        queryset=Unit.objects.none(),
        error_messages={"required": gettext_lazy("Hãy chọn đơn vị báo cáo.")},
    )

    def __init__(self, data, *, units, forms_offered):
        data = data.copy()
        data.setdefault("year", str(timezone.localdate().year - 1))
        data.setdefault("period", "year")
        super().__init__(data, auto_id="r-%s")
        self.fields["form"].choices = forms_offered
        self.fields["unit"].queryset = units
        style_fields(self)

    def clean_year(self):
        return _clean_year(self.cleaned_data["year"])
