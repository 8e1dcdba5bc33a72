"""Forms of movements and registrations: labels in Vietnamese, dates as dd/mm/yyyy, every file through
the one upload check (core.uploads), and the same rules as the services (services.movement_problems)
so that all mistakes show at once beside their fields."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.core.ooxml import size_text
from tdkt.core.uploads import DOCUMENTS, validate_upload
from tdkt.movements.enums import MovementKind
from tdkt.movements.services import MovementData, movement_problems
from tdkt.org.enums import AwardCode

DOCUMENT_KINDS = frozenset({"pdf", "docx"})
ATTACHMENT_KINDS = DOCUMENTS
DATE_HELP = gettext_lazy("dd/mm/yyyy")
DATE_INVALID = gettext_lazy("Ngày phải có dạng dd/mm/yyyy, ví dụ 31/12/2025.")


def max_file_bytes() -> int:
    return getattr(settings, "TDKT_MOVEMENT_FILE_MAX_BYTES", 20 * 1024 * 1024)


def max_file_text() -> str:
    return size_text(max_file_bytes())


def _date_field(label, required=False) -> forms.DateField:
    field = forms.DateField(label=label, required=required, error_messages={"invalid": DATE_INVALID})
    field.widget.attrs.update({"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})
    field.widget.format = "%d/%m/%Y"
    return field


def style(form: forms.Form) -> None:
    """Bootstrap classes on every widget."""
    for fld in form.fields.values():
        widget = fld.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.CheckboxInput)):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = css


class StyledForm(forms.Form):
    """A form whose invalid fields are marked for assistive technology and Bootstrap, wired to the
    message of includes/field_errors.html."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "— " * getattr(obj, "tree_depth", 0) + obj.name


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return "— " * getattr(obj, "tree_depth", 0) + obj.name


PARTICIPATION = [
    ("all", gettext_lazy("Toàn bộ đơn vị thuộc đơn vị phát động")),
    ("chosen", gettext_lazy("Các đơn vị được chọn (mỗi đơn vị gồm cả đơn vị trực thuộc)")),
]


class MovementForm(StyledForm):
    unit = UnitChoiceField(
        label=gettext_lazy("Đơn vị phát động"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": gettext_lazy("Không có đơn vị này trong phạm vi bạn được phát động.")
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Tên phong trào"),
        max_length=255,
        error_messages={"required": gettext_lazy("Hãy nhập tên phong trào.")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại phong trào"),
        choices=MovementKind.choices,
        widget=forms.RadioSelect,
        initial=MovementKind.YEARLY,
    )
    year = forms.IntegerField(
        label=gettext_lazy("Năm (phong trào thường xuyên)"),
        required=False,
        error_messages={"invalid": gettext_lazy("Năm phải là số có 4 chữ số, ví dụ 2025.")},
    )
    start = _date_field(gettext_lazy("Từ ngày (phong trào chuyên đề)"))
    end = _date_field(gettext_lazy("Đến ngày (phong trào chuyên đề)"))
    goals = forms.CharField(
        label=gettext_lazy("Mục tiêu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    criteria = forms.CharField(
        label=gettext_lazy("Tiêu chí thi đua"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    doc_number = forms.CharField(
        label=gettext_lazy("Số, ký hiệu văn bản phát động"), required=False, max_length=60
    )
    doc_date = _date_field(gettext_lazy("Ngày ký văn bản phát động"))
    doc_signer = forms.CharField(label=gettext_lazy("Người ký"), required=False, max_length=120)
    doc_file = forms.FileField(
        label=gettext_lazy("Tệp văn bản phát động (PDF hoặc Word .docx)"),
        required=False,
        error_messages={"empty": gettext_lazy("Tệp rỗng.")},
    )
    award_codes = forms.MultipleChoiceField(
        label=gettext_lazy("Danh hiệu, hình thức dự kiến"),
        choices=AwardCode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Có danh hiệu, hình thức không có trong danh mục.")},
    )
    participation = forms.ChoiceField(
        label=gettext_lazy("Đơn vị tham gia"), choices=PARTICIPATION, widget=forms.RadioSelect, initial="all"
    )
    units = UnitsChoiceField(
        label=gettext_lazy("Các đơn vị được chọn"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={
            "invalid_choice": gettext_lazy("Có đơn vị không nằm trong phạm vi của bạn."),
            "invalid_pk_value": gettext_lazy("Có đơn vị không hợp lệ."),
        },
    )
    registration_deadline = _date_field(gettext_lazy("Hạn đăng ký thi đua"))

    def __init__(self, *args, units, unit_choices, owner=None, **kwargs):
        """`units`: the queryset of units the user may manage; `unit_choices`: the same in tree order.
        `owner`: the owning unit of a movement being edited (it does not change)."""
        super().__init__(*args, **kwargs)
        self.owner = owner
        for name in ("unit", "units"):
            self.fields[name].queryset = units
            self.fields[name].choices = [
                (u.pk, self.fields[name].label_from_instance(u)) for u in unit_choices
            ]
        if owner is not None:
            del self.fields["unit"]
        self.checked_document = None

    def clean_doc_file(self):
        upload = self.cleaned_data.get("doc_file")
        if upload:
            self.checked_document = validate_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=max_file_bytes())
        return upload

    def clean(self):
        data = super().clean()
        owner = self.owner or data.get("unit")
        self.movement_data = MovementData(
            name=data.get("name") or "",
            kind=data.get("kind") or "",
            year=data.get("year"),
            start=data.get("start"),
            end=data.get("end"),
            goals=data.get("goals") or "",
            criteria=data.get("criteria") or "",
            doc_number=data.get("doc_number") or "",
            doc_date=data.get("doc_date"),
            doc_signer=data.get("doc_signer") or "",
            award_codes=data.get("award_codes") or [],
            all_units=data.get("participation") != "chosen",
            units=list(data.get("units") or []),
            registration_deadline=data.get("registration_deadline"),
        )
        for field, message in movement_problems(owner, self.movement_data):
            if field in self.errors:
                continue  # its own message (a date that is not a date) says it already
            self.add_error(field if field in self.fields else None, message)
        return data


class AttachmentForm(StyledForm):
    title = forms.CharField(label=gettext_lazy("Tên tài liệu"), max_length=255)
    file = forms.FileField(
        label=gettext_lazy("Tệp (PDF, Word, Excel, ảnh)"),
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp cần tải lên."),
            "empty": gettext_lazy("Tệp rỗng."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None
        self.fields["title"].error_messages["required"] = _("Hãy nhập tên tài liệu.")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked = validate_upload(upload, kinds=ATTACHMENT_KINDS, max_bytes=max_file_bytes())
        return upload


class SelfRegistrationForm(StyledForm):
    award_code = forms.ChoiceField(
        label=gettext_lazy("Danh hiệu đăng ký"),
        error_messages={
            "required": gettext_lazy("Hãy chọn danh hiệu đăng ký."),
            "invalid_choice": gettext_lazy(
                "Danh hiệu này không có trong các danh hiệu dự kiến của phong trào."
            ),
        },
    )
    targets = forms.CharField(
        label=gettext_lazy("Chỉ tiêu phấn đấu"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, choices, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["award_code"].choices = [("", _("— Chọn danh hiệu —"))] + list(choices)


class RejectForm(StyledForm):
    reason = forms.CharField(
        label=gettext_lazy("Lý do không duyệt (cán bộ sẽ đọc)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Hãy ghi lý do không duyệt.")},
    )


class TransitionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=500)
