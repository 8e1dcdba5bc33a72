from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
