"""Forms of the councils pages. They read and check input; the services decide."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tdkt.accounts.scope import scope_for
from tdkt.councils.enums import Attendance, BallotMode, Choice, MemberRole
from tdkt.org.models import Person, Unit

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TIME_FORMATS = ["%H:%M", "%H giờ %M", "%Hh%M"]


def style(form: forms.Form) -> None:
    """Bootstrap classes, error state and the dd/mm/yyyy hint on every field."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = css + (" is-invalid" if name in form.errors else "")
        if name in form.errors:
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{form.auto_id % name}-error"
        if isinstance(field, forms.DateField):
            widget.attrs.setdefault("placeholder", "dd/mm/yyyy")
        if isinstance(field, forms.TimeField):
            widget.attrs.setdefault("placeholder", "hh:mm")


def date_field(label, *, required=True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
        error_messages={"invalid": _("Ngày không hợp lệ (dạng dd/mm/yyyy).")},
    )


def time_field(label) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(format="%H:%M"),
        error_messages={"invalid": _("Giờ không hợp lệ (dạng hh:mm).")},
    )


def moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


class CouncilForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        error_messages={"invalid_choice": _("Không có đơn vị này trong phạm vi bạn được quản lý.")},
    )
    name = forms.CharField(label=_("Tên Hội đồng"), max_length=255)
    term_from = date_field(_("Nhiệm kỳ từ ngày"))
    term_to = date_field(_("Nhiệm kỳ đến ngày"), required=False)
    decision_number = forms.CharField(label=_("Số quyết định thành lập"), max_length=60, required=False)
    decision_date = date_field(_("Ngày quyết định thành lập"), required=False)

    def __init__(self, *args, user, fixed_unit: Unit | None = None, **kwargs):
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)
        if fixed_unit is not None:
            del self.fields["unit"]
        else:
            units = scope_for(user, "councils.manage").filter_units(
                Unit.objects.filter(active_to__isnull=True)
            )
            self.fields["unit"].queryset = units
            self.fields["unit"].choices = [(u.pk, u.name) for u in units.only("id", "name", "path")]
        style(self)


class MemberForm(forms.Form):
    code = forms.CharField(label=_("Mã cán bộ"), max_length=30)
    role = forms.ChoiceField(
        label=_("Chức danh trong Hội đồng"), choices=MemberRole.choices, initial=MemberRole.MEMBER
    )
    votes = forms.BooleanField(
        label=_("Thư ký đồng thời là thành viên (có quyền biểu quyết)"), required=False
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        kwargs.setdefault("auto_id", "m-%s")
        super().__init__(*args, **kwargs)
        self.unit = unit
        style(self)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        person = (
            Person.objects.filter(code__iexact=code, current_unit__path__startswith=self.unit.path)
            .only("id")
            .first()
        )
        if person is None:
            raise forms.ValidationError(
                _("Không có cán bộ mã %(code)s trong %(unit)s hoặc đơn vị trực thuộc."),
                params={"code": code, "unit": self.unit.name},
            )
        self.person_id = person.pk
        return code


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Nội dung phiên họp"), max_length=255)
    day = date_field(_("Ngày họp"))
    time = time_field(_("Giờ họp"))
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    online = forms.BooleanField(label=_("Họp trực tuyến"), required=False)
    chair = forms.TypedChoiceField(label=_("Chủ trì"), coerce=int, required=False, empty_value=None)
    secretary = forms.TypedChoiceField(label=_("Thư ký"), coerce=int, required=False, empty_value=None)
    agenda = forms.CharField(
        label=_("Chương trình (mỗi dòng một nội dung; có thể ghi “nội dung | nhóm”)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    conclusions = forms.CharField(
        label=_("Kết luận (ghi vào biên bản)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, members, editing: bool = False, **kwargs):
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)
        choices = [("", _("— Chưa chọn —"))] + [
            (m.pk, f"{m.person} ({m.get_role_display()})") for m in members
        ]
        self.fields["chair"].choices = choices
        self.fields["secretary"].choices = choices
        if editing:
            del self.fields["agenda"]
        else:
            del self.fields["conclusions"]
        style(self)

    def agenda_lines(self) -> list[tuple[str, str]]:
        lines = []
        for raw in (self.cleaned_data.get("agenda") or "").splitlines():
            label, _sep, group = raw.partition("|")
            if label.strip():
                lines.append((label.strip(), group.strip()))
        return lines


class OpenBallotForm(forms.Form):
    items = forms.TypedMultipleChoiceField(
        label=_("Nội dung bỏ phiếu"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    mode = forms.ChoiceField(
        label=_("Hình thức"),
        choices=BallotMode.choices,
        initial=BallotMode.ELECTRONIC,
        widget=forms.RadioSelect,
    )
    closes_day = date_field(_("Hạn bỏ phiếu — ngày"), required=False)
    closes_time = forms.TimeField(
        label=_("Hạn bỏ phiếu — giờ"),
        input_formats=TIME_FORMATS,
        required=False,
        widget=forms.TimeInput(format="%H:%M"),
        error_messages={"invalid": _("Giờ không hợp lệ (dạng hh:mm).")},
    )
    allow_abstain = forms.BooleanField(label=_("Có lựa chọn “không có ý kiến”"), required=False)
    replaces = forms.TypedChoiceField(
        label=_("Bỏ phiếu lại thay cho lần"), coerce=int, required=False, empty_value=None
    )
    reason = forms.CharField(
        label=_("Lý do bỏ phiếu lại"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, items, closed_ballots, **kwargs):
        kwargs.setdefault("auto_id", "b-%s")
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(i.pk, i.label) for i in items]
        self.fields["replaces"].choices = [("", _("— Không (lần bỏ phiếu mới) —"))] + [
            (b.pk, _("Lần %(n)s") % {"n": b.number}) for b in closed_ballots
        ]
        style(self)

    def closes_at(self) -> datetime.datetime | None:
        day, time = self.cleaned_data.get("closes_day"), self.cleaned_data.get("closes_time")
        return moment(day, time) if day and time else None


class VoteForm(forms.Form):
    """One radio group per item the member votes on; the recused lines have no field."""

    def __init__(self, *args, lines, allow_abstain: bool, **kwargs):
        kwargs.setdefault("auto_id", "v-%s")
        super().__init__(*args, **kwargs)
        choices = [(Choice.AGREE, Choice.AGREE.label), (Choice.DISAGREE, Choice.DISAGREE.label)]
        if allow_abstain:
            choices.append((Choice.ABSTAIN, Choice.ABSTAIN.label))
        self.lines = lines
        for line in lines:
            if line.recused:
                continue
            self.fields[f"item_{line.item.pk}"] = forms.ChoiceField(
                label=line.item.label,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Chọn ý kiến cho nội dung này."),
                    "invalid_choice": _("Lựa chọn không hợp lệ."),
                },
            )

    def rows(self):
        """(line, bound field or None) in the order of the ballot paper."""
        for line in self.lines:
            yield line, (None if line.recused else self[f"item_{line.item.pk}"])

    def choices(self) -> dict[int, str]:
        return {
            int(name.removeprefix("item_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item_")
        }


ATTENDANCE_CHOICES = Attendance.choices
