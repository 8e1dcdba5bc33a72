"""Forms of the setup pages of the clusters app: blocs, clusters, members, the scoring table, the
covenant. They only read what was typed; the services decide (and say why not, in Vietnamese)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tdkt.accounts.scope import scope_for
from tdkt.clusters.enums import BlocRole, CriterionKind
from tdkt.core.filters import UnitPickerField, style_fields
from tdkt.org.models import Unit

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FIRST_YEAR, LAST_YEAR = 2000, 2100
NUMBER_MAX = 20  # characters of a typed number ("1.234.567,89")


def _units(user, action: str):
    return scope_for(user, action).filter_units(Unit.objects.filter(active_to__isnull=True))


def _date(label, *, required=True):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        error_messages={"invalid": _("Ngày không hợp lệ (dạng dd/mm/yyyy).")},
    )


def _year(label=None):
    return forms.IntegerField(
        label=label or _("Năm"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": _("Năm phải là một số, ví dụ 2025.")},
    )


def _number(label, *, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=NUMBER_MAX,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def typed(value) -> str:
    """A number as it is typed back into a field: a decimal comma, no thousands separator (the services
    read "1.234" as one point two three four), no trailing zeros: 1234.50 -> "1234,5"."""
    if value is None:
        return ""
    text = f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")


def parse_year(raw, default: int | None = None) -> int | None:
    """A year from a query string: four digits in a plausible range, else `default` (never an error)."""
    text = str(raw or "").strip()
    if len(text) == 4 and text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    return default


class _Styled(forms.Form):
    """Styled at the end of `__init__`: `style_fields` reads the errors, so a bound form is cleaned
    there — after `prepare` has set the choices and the querysets of the user's scope."""

    def __init__(self, *args, **kwargs):
        options = {
            k: kwargs.pop(k) for k in ("user", "bloc", "clusters", "groups", "years", "lines") if k in kwargs
        }
        super().__init__(*args, **kwargs)
        self.prepare(**options)
        style_fields(self)

    def prepare(self, **options) -> None:
        pass


class BlocForm(_Styled):
    code = forms.CharField(label=_("Mã khối"), max_length=30)
    name = forms.CharField(label=_("Tên khối thi đua"), max_length=255)
    owner_unit = UnitPickerField(
        label=_("Đơn vị tổ chức"), action="clusters.manage", queryset=Unit.objects.none()
    )

    def prepare(self, *, user):
        self.fields["owner_unit"].queryset = _units(user, "clusters.manage")


class ClusterForm(_Styled):
    code = forms.CharField(label=_("Mã cụm"), max_length=30)
    name = forms.CharField(label=_("Tên cụm thi đua"), max_length=255)


class MembershipForm(_Styled):
    unit = UnitPickerField(
        label=_("Đơn vị thành viên"), action="clusters.manage", queryset=Unit.objects.none()
    )
    cluster = forms.TypedChoiceField(label=_("Cụm"), coerce=int)
    year = _year()
    role = forms.ChoiceField(label=_("Vai trò"), choices=BlocRole.choices, initial=BlocRole.MEMBER)

    def prepare(self, *, user, bloc, clusters):
        self.fields["unit"].queryset = _units(user, "clusters.manage")
        self.fields["unit"].widget.attrs["placeholder"] = _("Mã hoặc tên đơn vị")
        self.fields["cluster"].choices = [(c.pk, c.name) for c in clusters]


class YearOpenForm(_Styled):
    cluster = forms.TypedChoiceField(label=_("Cụm"), coerce=int)
    year = _year()

    def prepare(self, *, clusters):
        self.fields["cluster"].choices = [(c.pk, c.name) for c in clusters]


class CriterionForm(_Styled):
    criterion = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    code = forms.CharField(label=_("Số thứ tự"), max_length=20, help_text=_("Ví dụ 1, 1.2, 2.3.1"))
    name = forms.CharField(label=_("Nội dung tiêu chí"), max_length=500)
    kind = forms.ChoiceField(label=_("Loại"), choices=CriterionKind.choices)
    parent = forms.TypedChoiceField(label=_("Thuộc nhóm"), coerce=int, required=False, empty_value=None)
    max_points = _number(_("Điểm tối đa"), help_text=_("Với điểm thưởng, điểm trừ: mức giới hạn."))
    cap_ratio = _number(
        _("Mức trần khi vượt chỉ tiêu (lần)"), help_text=_("Chỉ với tiêu chí theo chỉ tiêu, ví dụ 1,2.")
    )
    unit_label = forms.CharField(label=_("Đơn vị tính của chỉ tiêu"), max_length=40, required=False)
    evidence_required = forms.BooleanField(label=_("Bắt buộc có minh chứng"), required=False)
    evidence_note = forms.CharField(label=_("Minh chứng cần có"), max_length=500, required=False)

    def prepare(self, *, groups):
        self.fields["parent"].choices = [("", _("— không (dòng cấp 1) —"))] + [
            (g.pk, f"{g.code}. {g.name}"[:120]) for g in groups
        ]


class TableCopyForm(_Styled):
    from_year = forms.TypedChoiceField(label=_("Sao chép từ bảng năm"), coerce=int)

    def prepare(self, *, years):
        self.fields["from_year"].choices = [(y, str(y)) for y in years]


class CovenantForm(_Styled):
    on = _date(_("Ngày ký giao ước"), required=False)
    place = forms.CharField(label=_("Nơi ký"), max_length=255, required=False)
    content = forms.CharField(
        label=_("Nội dung giao ước chung"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class PledgeForm(_Styled):
    content = forms.CharField(
        label=_("Nội dung đăng ký"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def prepare(self, *, lines):
        for line in lines:
            label = f"{line.code}. {line.name}"[:160] + (f" ({line.unit_label})" if line.unit_label else "")
            self.fields[f"target_{line.pk}"] = _number(label)
        self.lines = lines

    def targets(self) -> dict[int, str]:
        return {line.pk: self.cleaned_data.get(f"target_{line.pk}", "") for line in self.lines}


class SignForm(_Styled):
    signer = forms.CharField(label=_("Họ tên người ký"), max_length=180)
    signer_title = forms.CharField(label=_("Chức vụ"), max_length=180, required=False)
    on = _date(_("Ngày ký"))
