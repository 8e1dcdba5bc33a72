"""The register's filter form: a plain GET form, so every filter is a shareable URL.

Every value is validated like the people list's (org.filters): an unknown choice, a look-alike code, a
unit outside the user's scope or that does not exist (one message for both), a year that is not four
plain digits, a query too long or with a NUL byte — each an error beside its field, and the register
then shows no rows (and its export exports nothing), never the whole register as if it were the result.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tdkt.awards.selectors import REGISTER_SORTS, RegisterFilter
from tdkt.core.filters import (
    NOT_IN_LIST,
    PAGE_SIZES,
    UnitPickerField,
    page_size_field,
    style_fields,
    yes_no,
    yes_no_field,
)
from tdkt.core.search import query_field
from tdkt.core.text import clean, is_digits
from tdkt.org.enums import AwardCode, AwardSource, Gender, IssuerLevel
from tdkt.org.models import Unit

ALL = [("", _("Tất cả"))]
SORT_CHOICES = [(key, key) for key in REGISTER_SORTS] + [(f"-{key}", f"-{key}") for key in REGISTER_SORTS]
YEAR_MIN, YEAR_MAX = 1945, 2100


def _choice(label, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, choices=ALL + list(choices), error_messages=NOT_IN_LIST
    )


class RegisterFilterForm(forms.Form):
    q = query_field(_("Tìm theo tên, mã hoặc số quyết định"))
    year = forms.CharField(label=_("Năm thành tích"), required=False, max_length=4)
    award_code = _choice(_("Danh hiệu, hình thức"), AwardCode.choices)
    level = _choice(_("Cấp khen"), IssuerLevel.choices)
    # typed and suggested (core.filters.UnitPickerField), never a select of every unit of the scope
    unit = UnitPickerField(
        label=_("Đơn vị"),
        action="awards.view_register",
        queryset=Unit.objects.none(),
        required=False,
    )
    subtree = forms.BooleanField(label=_("Gồm đơn vị trực thuộc"), required=False, initial=True)
    subject = _choice(_("Đối tượng"), [("person", _("Cá nhân")), ("collective", _("Tập thể"))])
    gender = _choice(_("Giới tính"), Gender.choices)
    ethnicity = forms.CharField(
        label=_("Dân tộc"),
        required=False,
        max_length=40,
        error_messages={
            "max_length": _("Tên dân tộc dài quá %(limit_value)d ký tự."),
            "null_characters_not_allowed": _("Tên dân tộc có ký tự không hợp lệ, hãy gõ lại."),
        },
    )
    direct_worker = yes_no_field(_("Lao động trực tiếp"))
    leader = yes_no_field(_("Lãnh đạo, quản lý"))
    source = _choice(_("Nguồn"), AwardSource.choices)
    revoked = _choice(_("Hiệu lực"), [("0", _("Còn hiệu lực")), ("1", _("Đã huỷ bỏ, thu hồi"))])
    sort = forms.ChoiceField(
        label=_("Sắp xếp"), required=False, choices=SORT_CHOICES, error_messages=NOT_IN_LIST
    )
    per_page = page_size_field()

    def __init__(self, data, *, units, **kwargs):
        # a bare visit starts with sub-units included
        if not data:
            data = {"subtree": "on"}
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = units  # what is accepted; nothing lists it
        self.fields["sort"].widget = forms.HiddenInput()
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "placeholder": "2024"})
        self.fields["ethnicity"].widget.attrs["placeholder"] = _("Ví dụ: Tày")
        style_fields(self)  # drawn on every request of the register

    def clean_year(self) -> int | None:
        raw = clean(self.cleaned_data.get("year"))
        if not raw:
            return None
        # plain ASCII digits only: "２０２４" or "٢٠٢٤" is not silently read as 2024
        if not is_digits(raw) or len(raw) != 4:
            raise forms.ValidationError(_("Năm thành tích phải là số có 4 chữ số, ví dụ 2024."))
        year = int(raw)
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise forms.ValidationError(
                _("Năm thành tích phải trong khoảng %(lo)d–%(hi)d.") % {"lo": YEAR_MIN, "hi": YEAR_MAX}
            )
        return year

    def clean_ethnicity(self) -> str:
        return clean(self.cleaned_data.get("ethnicity"))

    def to_filter(self) -> RegisterFilter | None:
        """The cleaned filter, or None when any field does not validate (no rows, errors shown)."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        revoked = data.get("revoked") or ""
        return RegisterFilter(
            q=data.get("q") or "",
            year=data.get("year"),
            award_code=data.get("award_code") or "",
            level=data.get("level") or "",
            unit=data.get("unit"),
            include_subtree=bool(data.get("subtree")),
            gender=data.get("gender") or "",
            ethnicity=data.get("ethnicity") or "",
            direct_worker=yes_no(data.get("direct_worker") or ""),
            leader=yes_no(data.get("leader") or ""),
            source=data.get("source") or "",
            revoked=yes_no(revoked),
            subject=data.get("subject") or "",
            sort=data.get("sort") or "-year",
        )

    @property
    def page_size(self) -> int:
        value = self.cleaned_data.get("per_page") if self.is_valid() else None
        return value if value in PAGE_SIZES else PAGE_SIZES[0]
