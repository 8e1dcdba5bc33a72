"""Filter forms of the organisation lists: plain GET forms, so every filter is a shareable URL.

Every filter is validated: a value the form does not accept (an unknown choice, a unit outside the
user's scope or that does not exist — the same message for both —, a query too long or with a NUL
byte) is an error shown beside its field, and the list shows no rows (core.exports), never the
unfiltered list as if it were the result."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
from tdkt.org.enums import Employment, Gender, Rating
from tdkt.org.models import Unit
from tdkt.org.selectors import PersonFilter, last_year


class PersonFilterForm(forms.Form):
    q = query_field(_("Tìm theo tên hoặc mã"))
    # typed and suggested (core.filters.UnitPickerField), never a select of every unit of the scope
    unit = UnitPickerField(
        label=_("Đơn vị"),
        action="org.view_person",
        queryset=Unit.objects.none(),
        required=False,
    )
    subtree = forms.BooleanField(label=_("Gồm đơn vị trực thuộc"), required=False, initial=True)
    gender = forms.ChoiceField(
        label=_("Giới tính"),
        required=False,
        choices=[("", _("Tất cả"))] + list(Gender.choices),
        error_messages=NOT_IN_LIST,
    )
    employment = forms.ChoiceField(
        label=_("Loại cán bộ"),
        required=False,
        choices=[("", _("Tất cả"))] + list(Employment.choices),
        error_messages=NOT_IN_LIST,
    )
    direct_worker = yes_no_field(_("Lao động trực tiếp"))
    leader = yes_no_field(_("Lãnh đạo, quản lý"))
    active = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("1", _("Đang công tác")), ("0", _("Đã nghỉ, chuyển đi")), ("all", _("Tất cả"))],
        error_messages=NOT_IN_LIST,
    )
    rating = forms.ChoiceField(
        label=_("Xếp loại"),
        required=False,
        choices=[("", _("Tất cả"))] + list(Rating.choices),
        error_messages=NOT_IN_LIST,
    )
    rating_year = forms.IntegerField(
        label=_("Năm xếp loại"),
        required=False,
        min_value=1990,
        max_value=2100,
        error_messages={
            "invalid": _("Năm xếp loại phải là số có 4 chữ số, ví dụ 2024."),
            "min_value": _("Năm xếp loại phải từ 1990 trở đi."),
            "max_value": _("Năm xếp loại không hợp lệ."),
        },
    )
    per_page = page_size_field()

    def __init__(self, data, *, units, **kwargs):
        # A bare visit (no query string) starts with the defaults: active people, sub-units included.
        if not data:
            data = {"subtree": "on", "active": "1"}
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = units  # what is accepted; nothing lists it
        self.fields["rating_year"].widget.attrs["placeholder"] = str(last_year())
        style_fields(self)  # drawn on every request of the list

    def to_filter(self) -> PersonFilter | None:
        """The cleaned filter, or None when any field does not validate: the list then shows no rows
        (and its export exports nothing) while the errors show beside their fields."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        active = data.get("active") or "1"
        return PersonFilter(
            q=data.get("q") or "",
            unit=data.get("unit"),
            include_subtree=bool(data.get("subtree")),
            gender=data.get("gender") or "",
            employment=data.get("employment") or "",
            direct_worker=yes_no(data.get("direct_worker") or ""),
            leader=yes_no(data.get("leader") or ""),
            active=None if active == "all" else active == "1",
            rating=data.get("rating") or "",
            rating_year=data.get("rating_year") or None,
        )

    @property
    def page_size(self) -> int:
        value = self.cleaned_data.get("per_page") if self.is_valid() else None
        return value if value in PAGE_SIZES else PAGE_SIZES[0]
