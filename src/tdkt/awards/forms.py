from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tdkt.awards import certificates
from tdkt.awards.models import CertificateMode, Orientation, PageSize
from tdkt.core.ooxml import PackageError
from tdkt.core.uploads import validate_upload
from tdkt.core.wordtables import refuse_non_docx


class IssueForm(forms.Form):
    """What the head's signed decision carries: its number and symbol, the date it was signed, the signer."""

    number = forms.CharField(label=_("Số"), max_length=20)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=40, help_text=_("Ví dụ QĐ-VPB"))
    decided_on = forms.DateField(label=_("Ngày ký"), help_text=_("dd/mm/yyyy"))
    signer_name = forms.CharField(label=_("Người ký"), max_length=120)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control"
            if name in self.errors:
                field.widget.attrs["class"] += " is-invalid"
                field.widget.attrs["aria-invalid"] = "true"
        self.fields["decided_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"


# --- certificates and signed PDFs ---------------------------------------------------------------------


class MillimetreField(forms.DecimalField):
    """A number in mm or pt, written with a comma or a point ("148,5" or "148.5")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 1)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        kwargs.setdefault("error_messages", {"invalid": _("Hãy nhập một số, ví dụ 148,5.")})
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if value in (None, ""):
            return value
        try:
            return f"{float(value):g}".replace(".", ",")
        except (TypeError, ValueError):
            return value


class CertificateLayoutForm(forms.Form):
    """How one award's certificates print: the sheet, and for pre-printed blanks every field's place.
    The positions are checked by the same rule as the service (certificates.position_problems), so
    every mistake shows beside its own box."""

    mode = forms.ChoiceField(label=_("Cách in"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Tên hình thức in trên bằng"), max_length=60)
    authority = forms.CharField(
        label=_("Người, cơ quan khen"),
        max_length=200,
        required=False,
        help_text=_("Để trống thì ghi theo quyết định, ví dụ “THỦ TRƯỞNG VỤ A”."),
    )
    page_size = forms.ChoiceField(label=_("Khổ giấy"))
    orientation = forms.ChoiceField(label=_("Hướng giấy"))
    offset_x_mm = MillimetreField(
        label=_("Dịch ngang (mm)"),
        help_text=_("Dương: sang phải; âm: sang trái."),
        min_value=-30,
        max_value=30,
    )
    offset_y_mm = MillimetreField(
        label=_("Dịch dọc (mm)"), help_text=_("Dương: xuống dưới; âm: lên trên."), min_value=-30, max_value=30
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = CertificateMode.choices
        self.fields["page_size"].choices = PageSize.choices
        self.fields["orientation"].choices = Orientation.choices
        self.rows = []
        for spec in certificates.FIELDS:
            label = spec.label
            names = {
                "enabled": f"{spec.name}_enabled",
                "x": f"{spec.name}_x",
                "y": f"{spec.name}_y",
                "size": f"{spec.name}_size",
                "align": f"{spec.name}_align",
                "width": f"{spec.name}_width",
            }
            self.fields[names["enabled"]] = forms.BooleanField(
                label=_("%(f)s: in") % {"f": label}, required=False
            )
            self.fields[names["x"]] = MillimetreField(label=_("%(f)s: x (mm)") % {"f": label})
            self.fields[names["y"]] = MillimetreField(label=_("%(f)s: y (mm)") % {"f": label})
            self.fields[names["size"]] = MillimetreField(
                label=_("%(f)s: cỡ chữ (pt)") % {"f": label}, max_digits=4
            )
            self.fields[names["align"]] = forms.ChoiceField(
                label=_("%(f)s: căn lề") % {"f": label}, choices=list(certificates.ALIGN_LABELS.items())
            )
            self.fields[names["width"]] = MillimetreField(label=_("%(f)s: rộng tối đa (mm)") % {"f": label})
            self.rows.append({"spec": spec, "names": names})
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"

    SHEET_FIELDS = ("title", "authority", "page_size", "orientation", "offset_x_mm", "offset_y_mm")

    def sheet_fields(self):
        return [self[name] for name in self.SHEET_FIELDS]

    def field_rows(self):
        """Per printed field: its spec, its "print" box and its x, y, size, alignment, width boxes."""
        return [
            {
                "spec": row["spec"],
                "enabled": self[row["names"]["enabled"]],
                "cells": [self[row["names"][key]] for key in ("x", "y", "size", "align", "width")],
            }
            for row in self.rows
        ]

    @staticmethod
    def initial_for(layout) -> dict:
        initial = {
            "mode": layout.mode,
            "title": layout.title,
            "authority": layout.authority,
            "page_size": layout.page_size,
            "orientation": layout.orientation,
            "offset_x_mm": layout.offset_x_mm,
            "offset_y_mm": layout.offset_y_mm,
        }
        for name, pos in certificates.positions_of(layout).items():
            for key in ("enabled", "x", "y", "size", "align", "width"):
                initial[f"{name}_{key}"] = pos[key]
        return initial

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"

    def clean(self):
        data = super().clean()
        positions = {}
        for row in self.rows:
            names = row["names"]
            if any(n in self.errors for n in names.values()):
                continue
            positions[row["spec"].name] = {
                "enabled": bool(data.get(names["enabled"])),
                "x": data.get(names["x"]),
                "y": data.get(names["y"]),
                "size": data.get(names["size"]),
                "align": data.get(names["align"]),
                "width": data.get(names["width"]),
            }
        self.positions = positions
        if data.get("page_size") and data.get("orientation"):
            for field, message in certificates.position_problems(
                data["page_size"], data["orientation"], positions
            ):
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
                elif not field:
                    self.add_error(None, message)
        return data


class SignedPdfForm(forms.Form):
    """The digitally signed PDF of a decision, sent back to be verified and kept."""

    file = forms.FileField(
        label=_("Tệp PDF đã ký số"),
        error_messages={"required": _("Hãy chọn tệp PDF đã ký số."), "empty": _("Tệp rỗng.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked = validate_upload(upload, kinds={"pdf"}, max_bytes=certificates.signed_max_bytes())
        return upload


# --- revocation of an award (issue 10) ----------------------------------------------------------------


class RevokeForm(forms.Form):
    """The decision that revokes an award: its number, its date and the written reason. The service
    (awards.services.award_revoke) cleans and checks them again; its refusals show on this form."""

    decision_number = forms.CharField(
        label=_("Số quyết định huỷ bỏ"),
        max_length=60,
        help_text=_("Ví dụ 25/QĐ-BTN"),
        error_messages={"null_characters_not_allowed": _("Số quyết định có ký tự không hợp lệ, hãy gõ lại.")},
    )
    on = forms.DateField(label=_("Ngày quyết định"), help_text=_("dd/mm/yyyy"))
    reason = forms.CharField(
        label=_("Lý do huỷ bỏ, thu hồi"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"null_characters_not_allowed": _("Lý do có ký tự không hợp lệ, hãy gõ lại.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control"
            if name in self.errors:
                field.widget.attrs["class"] += " is-invalid"
                field.widget.attrs["aria-invalid"] = "true"
        self.fields["on"].widget.attrs["placeholder"] = "dd/mm/yyyy"


# --- legacy award lists (issue 10) --------------------------------------------------------------------


class LegacyImportForm(forms.Form):
    """A legacy list in Excel or Word: the content decides its kind; a Word file saved as a web page or
    in the old .doc format gets a message saying how to save it as .docx."""

    file = forms.FileField(
        label=_("Tệp danh sách (Excel .xlsx hoặc Word .docx)"),
        error_messages={"required": _("Hãy chọn tệp danh sách cần nhập."), "empty": _("Tệp rỗng.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.widget.attrs.update({"class": "form-control", "accept": ".xlsx,.docx"})
        if "file" in self.errors:
            field.widget.attrs["class"] += " is-invalid"
            field.widget.attrs["aria-invalid"] = "true"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        head = upload.read(4096)
        upload.seek(0)
        try:
            refuse_non_docx(head)
        except PackageError as exc:
            raise forms.ValidationError(exc.message) from exc
        checked = validate_upload(upload, kinds={"xlsx", "docx"}, max_bytes=settings.TDKT_IMPORT_MAX_BYTES)
        upload.seek(0)
        self.cleaned_data["checked"] = checked
        return upload
