"""Filter forms of the organisation lists: plain GET forms, so every filter is a shareable URL."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tdkt.org.enums import Employment, Gender, Rating
from tdkt.org.models import Unit
from tdkt.org.selectors import PersonFilter, last_year

PAGE_SIZES = (20, 50, 100)
YES_NO = [("", _("Tất cả")), ("1", _("Có")), ("0", _("Không"))]


def _yes_no(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc mã"), required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả đơn vị")
    )
    subtree = forms.BooleanField(label=_("Gồm đơn vị trực thuộc"), required=False, initial=True)
    gender = forms.ChoiceField(
        label=_("Giới tính"), required=False, choices=[("", _("Tất cả"))] + list(Gender.choices)
    )
    employment = forms.ChoiceField(
        label=_("Loại cán bộ"), required=False, choices=[("", _("Tất cả"))] + list(Employment.choices)
    )
    direct_worker = forms.ChoiceField(label=_("Lao động trực tiếp"), required=False, choices=YES_NO)
    leader = forms.ChoiceField(label=_("Lãnh đạo, quản lý"), required=False, choices=YES_NO)
    active = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("1", _("Đang công tác")), ("0", _("Đã nghỉ, chuyển đi")), ("all", _("Tất cả"))],
    )
    rating = forms.ChoiceField(
        label=_("Xếp loại"), required=False, choices=[("", _("Tất cả"))] + list(Rating.choices)
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
    per_page = forms.TypedChoiceField(
        label=_("Số dòng/trang"),
        required=False,
        coerce=int,
        choices=[(n, n) for n in PAGE_SIZES],
        empty_value=PAGE_SIZES[0],
    )

    def __init__(self, data, *, units, choices=None, **kwargs):
        # A bare visit (no query string) starts with the defaults: active people, sub-units included.
        if not data:
            data = {"subtree": "on", "active": "1"}
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = units
        if choices is not None:
            # shown in tree order with indentation (`tree_depth` from org.selectors.tree_order);
            # any unit of `units` is still accepted
            self.fields["unit"].choices = [("", self.fields["unit"].empty_label)] + [
                (u.pk, "— " * u.tree_depth + u.name) for u in choices
            ]
        self.fields["rating_year"].widget.attrs["placeholder"] = str(last_year())
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        for name, fld in self.fields.items():
            widget = fld.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css
            if name in self.errors:
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["class"] += " is-invalid"

    def to_filter(self) -> PersonFilter:
        """The cleaned filter; invalid fields fall back to "no filter" (their errors show beside them)."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        )
        active = data.get("active") or "1"
        return PersonFilter(
            q=data.get("q") or "",
            unit=data.get("unit"),
            include_subtree=bool(data.get("subtree")),
            gender=data.get("gender") or "",
            employment=data.get("employment") or "",
            direct_worker=_yes_no(data.get("direct_worker") or ""),
            leader=_yes_no(data.get("leader") or ""),
            active=None if active == "all" else active == "1",
            rating=data.get("rating") or "",
            rating_year=data.get("rating_year") or None,
        )

    @property
    def page_size(self) -> int:
        value = (self.cleaned_data or {}).get("per_page") if hasattr(self, "cleaned_data") else None
        return value if value in PAGE_SIZES else PAGE_SIZES[0]
