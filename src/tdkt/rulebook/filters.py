"""Filter forms of the rulebook's lists: the candidates of a year (its page and its export)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tdkt.core.errors import ServiceError
from tdkt.core.filters import NOT_IN_LIST, UnitPickerField, style_fields
from tdkt.core.search import query_field
from tdkt.org.models import Unit
from tdkt.rulebook import selectors, services
from tdkt.rulebook.engine.codes import AWARD_CODES, AWARD_VI
from tdkt.rulebook.enums import VerdictChoice

ALL = "all"
DEFAULT_VERDICT = VerdictChoice.ELIGIBLE


class CandidateFilterForm(forms.Form):
    """The filters of the candidates list and its export, every one validated: an unknown award or
    verdict, a unit outside the user's scope (the same message as a unit that does not exist), a year
    the rulebooks cannot judge, a search too long or with a NUL byte are errors beside their
    field, and the list shows no rows — never another list in place of the one asked for.

    Absent values take their defaults before the form is bound (`for_request`), so the form shows what
    is listed: the first unit of the scope, last year, every award, the eligible only."""

    unit = UnitPickerField(  # typed and suggested: the scope's units are never all listed
        label=gettext_lazy("Đơn vị"),
        action="rulebook.view_eligibility",
        queryset=Unit.objects.none(),
        empty_label=None,
    )
    year = forms.IntegerField(
        label=gettext_lazy("Năm"),
        widget=forms.Select,
        error_messages={"invalid": gettext_lazy("Năm không hợp lệ.")},
    )
    award = forms.ChoiceField(
        label=gettext_lazy("Danh hiệu, hình thức"),
        required=False,
        choices=[("", gettext_lazy("Tất cả"))] + [(c, AWARD_VI[c]) for c in AWARD_CODES],
        error_messages=NOT_IN_LIST,
    )
    verdict = forms.ChoiceField(
        label=gettext_lazy("Kết quả"),
        choices=[(ALL, gettext_lazy("Tất cả"))] + list(VerdictChoice.choices),
        error_messages=NOT_IN_LIST,
    )
    q = query_field(gettext_lazy("Tìm theo tên, mã"))

    def __init__(self, data, *, units, default_year: int):
        super().__init__(data, auto_id="f-%s")
        self.fields["unit"].queryset = units  # what is accepted
        year = self.data.get("year")
        selected = (
            int(year) if year and year.isascii() and year.isdigit() and len(year) == 4 else default_year
        )
        self.fields["year"].widget.choices = [(y, y) for y in selectors.year_choices(selected)]
        style_fields(self)

    @classmethod
    def for_request(cls, request, scope) -> CandidateFilterForm:
        units = selectors.units_in_scope(scope)
        default_year = selectors.clamp_year(timezone.localdate().year - 1)
        data = request.GET.copy()

        def absent(name: str) -> bool:
            return not data.get(name, "").strip()

        if absent("unit"):
            first = units.first()
            if first is None:
                raise PermissionDenied
            data["unit"] = str(first.pk)
        if absent("year"):
            data["year"] = str(default_year)
        if absent("verdict"):
            data["verdict"] = DEFAULT_VERDICT  # the list opens on who qualifies; "Tất cả" shows every result
        return cls(data, units=units, default_year=default_year)

    def clean_year(self) -> int:
        try:
            return services.check_year(self.cleaned_data["year"])
        except ServiceError as exc:
            raise forms.ValidationError(exc.message, code="year") from None

    def clean_verdict(self) -> str:
        verdict = self.cleaned_data["verdict"]
        return "" if verdict == ALL else verdict

    def filters(self) -> selectors.CandidateFilters | None:
        """The filters to list, or None when any of them does not validate (nothing is listed)."""
        if not self.is_valid():
            return None
        d = self.cleaned_data
        return selectors.CandidateFilters(
            unit=d["unit"], year=d["year"], award=d["award"], verdict=d["verdict"], q=d["q"]
        )
