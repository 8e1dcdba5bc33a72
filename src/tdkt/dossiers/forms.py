"""Forms of proposal dossiers: Vietnamese labels, every file through the one upload check (core.uploads),
the list's filters validated (a filter that does not validate shows nothing, core.filters)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tdkt.accounts.scope import scope_for
from tdkt.core.filters import NOT_IN_LIST, UnitPickerField
from tdkt.core.ooxml import size_text
from tdkt.core.uploads import DOCUMENTS, validate_upload
from tdkt.dossiers.enums import Kind, Level, StateOutcome, Status
from tdkt.org.models import Unit
from tdkt.org.selectors import tree_order
from tdkt.rulebook.services import judgeable_years


def max_file_bytes() -> int:
    return settings.TDKT_DOSSIER_FILE_MAX_BYTES


def max_file_text() -> str:
    return size_text(max_file_bytes())


def style(form: forms.Form) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = css + (" is-invalid" if name in form.errors else "")
        if name in form.errors:
            widget.attrs["aria-invalid"] = "true"
        if isinstance(field, forms.DateField):
            widget.attrs.update({"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})


def _unit_choices(user, action: str):
    units = scope_for(user, action).filter_units(Unit.objects.filter(active_to__isnull=True))
    ordered = tree_order(list(units.only("id", "name", "depth", "path", "sort_order", "kind", "active_to")))
    return units, [(u.pk, "— " * u.tree_depth + u.name) for u in ordered]


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm theo tên hồ sơ"), max_length=100, required=False)
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), required=False, error_messages=NOT_IN_LIST)
    level = forms.ChoiceField(label=gettext_lazy("Cấp"), required=False, error_messages=NOT_IN_LIST)
    unit = UnitPickerField(  # typed and suggested: the scope's units are never all listed
        label=gettext_lazy("Đơn vị"),
        action="dossiers.view",
        queryset=Unit.objects.none(),
        required=False,
        error_messages=NOT_IN_LIST,
    )
    overdue = forms.BooleanField(label=gettext_lazy("Chỉ hồ sơ quá hạn"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", gettext_lazy("Mọi trạng thái")), *Status.choices]
        self.fields["level"].choices = [("", gettext_lazy("Mọi cấp")), *Level.choices]
        self.fields["unit"].queryset = scope_for(user, "dossiers.view").filter_units(
            Unit.objects.filter(active_to__isnull=True)
        )
        style(self)


class CreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Đơn vị đề nghị"), queryset=Unit.objects.none())
    level = forms.ChoiceField(label=gettext_lazy("Cấp đề nghị"), choices=Level.choices)
    kind = forms.ChoiceField(label=gettext_lazy("Loại khen thưởng"), choices=Kind.choices)
    year = forms.TypedChoiceField(label=gettext_lazy("Năm thành tích"), coerce=int)
    title = forms.CharField(
        label=gettext_lazy("Tên hồ sơ (để trống: tự đặt)"), max_length=255, required=False
    )
    simplified = forms.BooleanField(
        label=gettext_lazy("Thủ tục đơn giản (khen thưởng đột xuất)"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units, choices = _unit_choices(user, "dossiers.prepare")
        self.fields["unit"].queryset = units
        self.fields["unit"].choices = choices
        years = judgeable_years()
        default = timezone.localdate().year - 1
        self.fields["year"].choices = [(y, y) for y in reversed(years)]
        self.fields["year"].initial = default if default in years else years[-1]
        style(self)


class NominationForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Mã cán bộ hoặc mã tập thể"), max_length=40)
    award = forms.ChoiceField(label=gettext_lazy("Danh hiệu, hình thức"))
    first_year = forms.IntegerField(
        label=gettext_lazy("Từ năm"), required=False, min_value=1990, max_value=2100
    )
    last_year = forms.IntegerField(
        label=gettext_lazy("Đến năm"), required=False, min_value=1990, max_value=2100
    )

    def __init__(self, *args, awards: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = awards
        style(self)


class UploadForm(forms.Form):
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
        style(self)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked = validate_upload(upload, kinds=DOCUMENTS, max_bytes=max_file_bytes())
        return upload


class CouncilForm(forms.Form):
    council = forms.TypedChoiceField(label=gettext_lazy("Hội đồng"), coerce=int)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Thời gian họp"), help_text=gettext_lazy("dd/mm/yyyy hh:mm")
    )
    place = forms.CharField(label=gettext_lazy("Địa điểm"), max_length=255, required=False)
    online = forms.BooleanField(label=gettext_lazy("Họp trực tuyến"), required=False)

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [(c.pk, str(c)) for c in councils]
        self.fields["starts_at"].input_formats = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"]
        style(self)


class StateOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Kết quả"), choices=[c for c in StateOutcome.choices if c[0]]
    )
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60, required=False)
    decided_on = forms.DateField(label=gettext_lazy("Ngày quyết định"), required=False)
    issuer_name = forms.CharField(label=gettext_lazy("Cơ quan quyết định"), max_length=255, required=False)
    signer = forms.CharField(label=gettext_lazy("Người ký"), max_length=255, required=False)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def errors_text(form: forms.Form) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out.extend(f"{label}: {e}" if label else str(e) for e in errors)
    return out
