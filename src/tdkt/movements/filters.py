"""Filter forms of the movement lists: plain GET forms, every value validated; a filter that does not
validate shows its error and no rows (core.filters), never the unfiltered list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tdkt.core.filters import NOT_IN_LIST, PAGE_SIZES, page_size_field, style_fields
from tdkt.core.search import query_field
from tdkt.movements.enums import MovementKind, MovementStatus
from tdkt.movements.selectors import MovementFilter


class MovementFilterForm(forms.Form):
    q = query_field(_("Tìm theo tên hoặc số văn bản"))
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=1990,
        max_value=2100,
        error_messages={
            "invalid": _("Năm phải là số có 4 chữ số, ví dụ 2025."),
            "min_value": _("Năm phải từ 1990 trở đi."),
            "max_value": _("Năm không hợp lệ."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Loại phong trào"),
        required=False,
        choices=[("", _("Tất cả"))] + list(MovementKind.choices),
        error_messages=NOT_IN_LIST,
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả"))] + list(MovementStatus.choices),
        error_messages=NOT_IN_LIST,
    )
    per_page = page_size_field()

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.is_valid()
        style_fields(self)

    def to_filter(self) -> MovementFilter | None:
        if not self.is_valid():
            return None
        d = self.cleaned_data
        return MovementFilter(
            q=d.get("q") or "", year=d.get("year"), kind=d.get("kind") or "", status=d.get("status") or ""
        )

    @property
    def page_size(self) -> int:
        value = self.cleaned_data.get("per_page") if self.is_valid() else None
        return value if value in PAGE_SIZES else PAGE_SIZES[0]


SHOW_ALL, SHOW_MISSING, SHOW_REGISTERED = "", "missing", "registered"


class TableFilterForm(forms.Form):
    """The consolidated table: all participating units, only those that have not registered, or only
    those that have."""

    show = forms.ChoiceField(
        label=_("Hiển thị"),
        required=False,
        choices=[
            (SHOW_ALL, _("Tất cả đơn vị tham gia")),
            (SHOW_MISSING, _("Chưa đăng ký")),
            (SHOW_REGISTERED, _("Đã đăng ký")),
        ],
        error_messages=NOT_IN_LIST,
    )

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.is_valid()
        style_fields(self)


class SubjectFilterForm(forms.Form):
    """The registration page of a unit: people or collectives, a search, a page."""

    who = forms.ChoiceField(
        label=_("Đối tượng"),
        required=False,
        choices=[("", _("Cá nhân")), ("collectives", _("Tập thể"))],
        error_messages=NOT_IN_LIST,
    )
    q = query_field(_("Tìm theo tên hoặc mã"))
    per_page = page_size_field()

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.is_valid()
        style_fields(self)

    @property
    def page_size(self) -> int:
        value = self.cleaned_data.get("per_page") if self.is_valid() else None
        return value if value in PAGE_SIZES else PAGE_SIZES[0]
