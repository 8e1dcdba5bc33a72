"""Units merged, split, renamed or moved (issue 11, item 7): the list the ministry's TĐKT department
keeps, and the form that records one. Every unit is typed or picked among the units of the user's
`org.restructure` scope; one outside it reads like one that does not exist."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tdkt.accounts.scope import scope_for
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.filters import UnitPickerField
from tdkt.core.paging import paginate
from tdkt.core.text import clean_code
from tdkt.org import restructuring as services
from tdkt.org.enums import CollectiveKind, RestructuringKind
from tdkt.org.models import Collective, Person, Unit
from tdkt.org.selectors import restructurings_for

PERM = "org.restructure"
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
NOT_IN_SCOPE = gettext_lazy("Không có đơn vị này trong phạm vi bạn được xem.")
MAX_CODES = 50


def _units(user):
    return scope_for(user, PERM).filter_units(Unit.objects.filter(active_to__isnull=True))


def _date(label, *, required=True):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ (dạng dd/mm/yyyy).")},
    )


def _picker(label, *, required=True):
    return UnitPickerField(label=label, action=PERM, queryset=Unit.objects.none(), required=required)


class CodesField(forms.CharField):
    """Unit codes, one a line or separated by commas, each looked up among `queryset` only."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, queryset=None, **kwargs):
        super().__init__(max_length=4000, **kwargs)
        self.queryset = queryset

    def clean(self, value):
        value = super().clean(value)
        if "\x00" in (value or ""):
            raise forms.ValidationError(NOT_IN_SCOPE)
        codes = [clean_code(c) for c in re.split(r"[,;\n\r]+", value or "") if c.strip()]
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(_("Nhiều nhất %(n)s đơn vị một lần.") % {"n": MAX_CODES})
        found = {u.code.lower(): u for u in self.queryset.filter(code__in=codes)} if codes else {}
        for code in codes:
            if code.lower() not in found:
                unit = self.queryset.filter(code__iexact=code).first()
                if unit is None:
                    raise forms.ValidationError(f"{NOT_IN_SCOPE} ({code[:40]})")
                found[code.lower()] = unit
        units = []
        for code in codes:
            if found[code.lower()] not in units:
                units.append(found[code.lower()])
        if self.required and not units:
            raise forms.ValidationError(self.error_messages["required"])
        return units


class DecisionForm(forms.Form):
    on = _date(gettext_lazy("Ngày hiệu lực"))
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60, required=False)
    decision_date = _date(gettext_lazy("Ngày quyết định"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Lý do, căn cứ"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = _units(user)
        for field in self.fields.values():
            if isinstance(field, UnitPickerField | CodesField):
                field.queryset = units
        for name, field in self.fields.items():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = css + (" is-invalid" if name in self.errors else "")
            if isinstance(field, forms.DateField):
                widget.attrs.update(
                    {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
                )

    def decision(self) -> services.Decision:
        d = self.cleaned_data
        return services.Decision(number=d["decision_number"], date=d["decision_date"], reason=d["reason"])


class MergeForm(DecisionForm):
    predecessors = CodesField(
        label=gettext_lazy("Mã các đơn vị được hợp nhất, sáp nhập"),
        help_text=gettext_lazy("Mỗi mã một dòng, hoặc cách nhau bằng dấu phẩy."),
    )
    successor = _picker(gettext_lazy("Đơn vị kế thừa (đơn vị đã có)"), required=False)
    new_code = forms.CharField(label=gettext_lazy("hoặc mã đơn vị mới"), max_length=30, required=False)
    new_name = forms.CharField(label=gettext_lazy("Tên đơn vị mới"), max_length=255, required=False)
    continuing = forms.CharField(
        label=gettext_lazy("Mã tập thể được tính nối tiếp (nếu có)"),
        max_length=40,
        required=False,
        help_text=gettext_lazy(
            "Tập thể của một đơn vị được sáp nhập mà tập thể đơn vị kế thừa được tính nối tiếp các năm "
            "thành tích, khi quy định cho phép."
        ),
    )
    field_order = ["predecessors", "successor", "new_code", "new_name", "continuing", "on"]

    def clean(self):
        d = super().clean()
        has_new = bool((d.get("new_code") or "").strip() or (d.get("new_name") or "").strip())
        if d.get("successor") is None and not has_new and "successor" not in self.errors:
            self.add_error("successor", _("Hãy chọn đơn vị kế thừa, hoặc nhập mã và tên đơn vị mới."))
        if d.get("successor") is not None and has_new:
            self.add_error("new_code", _("Chọn đơn vị đã có hoặc nhập đơn vị mới, không cả hai."))
        return d

    def save(self):
        d = self.cleaned_data
        continuing = None
        if d["continuing"].strip():
            c = Collective.objects.filter(
                code__iexact=d["continuing"].strip(),
                unit__in=[u.pk for u in d["predecessors"]],
                kind=CollectiveKind.UNIT,
            ).first()
            if c is None:
                raise ServiceError(
                    _("Tập thể được tính nối tiếp phải là tập thể của một đơn vị được sáp nhập."),
                    field="continuing",
                )
            continuing = c.pk
        new = None
        if d["successor"] is None:
            new = services.NewUnit(code=d["new_code"], name=d["new_name"])
        return services.merge_units(
            actor=self.user,
            predecessor_ids=[u.pk for u in d["predecessors"]],
            on=d["on"],
            successor_id=d["successor"].pk if d["successor"] is not None else None,
            new_unit=new,
            continuing_collective_id=continuing,
            decision=self.decision(),
        )


class SplitForm(DecisionForm):
    unit = _picker(gettext_lazy("Đơn vị được chia, tách"))
    successors = CodesField(
        label=gettext_lazy("Mã các đơn vị kế thừa đã có"),
        required=False,
        help_text=gettext_lazy("Đơn vị kế thừa đầu tiên nhận các hồ sơ, công việc đang làm dở."),
    )
    new_units = forms.CharField(
        label=gettext_lazy("Đơn vị kế thừa thành lập mới"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Mỗi dòng một đơn vị: mã | tên. Đơn vị mới cùng cấp trên với đơn vị được chia, tách."
        ),
    )
    field_order = ["unit", "successors", "new_units", "on"]

    def clean_new_units(self):
        units = []
        for line in (self.cleaned_data.get("new_units") or "").splitlines():
            if not line.strip():
                continue
            code, sep, name = line.partition("|")
            if not sep or not code.strip() or not name.strip():
                raise forms.ValidationError(_("Mỗi dòng một đơn vị, dạng: mã | tên."))
            units.append(services.NewUnit(code=code.strip(), name=name.strip()))
        if len(units) > MAX_CODES:
            raise forms.ValidationError(_("Nhiều nhất %(n)s đơn vị một lần.") % {"n": MAX_CODES})
        return units

    def clean(self):
        d = super().clean()
        if "successors" in d and "new_units" in d and len(d["successors"]) + len(d["new_units"]) < 2:
            self.add_error("successors", _("Chia, tách cần ít nhất hai đơn vị kế thừa."))
        return d

    def options(self) -> list[tuple[str, str]]:
        """The successors a row may go to: existing units by id, new ones by -(k + 1) (split_unit)."""
        d = self.cleaned_data
        existing = [(str(s.pk), s.name) for s in d["successors"]]
        new = [(str(-(k + 1)), _("%(name)s (mới)") % {"name": u.name}) for k, u in enumerate(d["new_units"])]
        return existing + new

    def mapping_rows(self):
        """What must be given a successor: the unit's active people, open sub-units and teams."""
        unit = self.cleaned_data["unit"]
        people = list(Person.objects.filter(current_unit=unit, active=True).order_by("sort_key", "pk"))
        children = list(
            Unit.objects.filter(parent=unit, active_to__isnull=True).order_by("sort_order", "name")
        )
        teams = list(
            Collective.objects.filter(unit=unit, active=True, kind=CollectiveKind.TEAM).order_by("name")
        )
        valid = {value for value, _label in self.options()}
        rows = []
        for prefix, items, label in (
            ("p", people, _("Cán bộ")),
            ("u", children, _("Đơn vị trực thuộc")),
            ("t", teams, _("Tập thể")),
        ):
            for item in items:
                chosen = self.data.get(f"{prefix}-{item.pk}", "")
                rows.append(
                    {
                        "name": f"{prefix}-{item.pk}",
                        "group": label,
                        "label": str(item),
                        "code": getattr(item, "code", ""),
                        "chosen": chosen if chosen in valid else "",
                        "item": item,
                        "prefix": prefix,
                    }
                )
        return rows

    def save(self, rows):
        d = self.cleaned_data
        people, subunits, teams = {}, {}, {}
        target = {"p": people, "u": subunits, "t": teams}
        for row in rows:
            if row["chosen"]:
                target[row["prefix"]][row["item"].pk] = int(row["chosen"])
        return services.split_unit(
            actor=self.user,
            unit_id=d["unit"].pk,
            on=d["on"],
            successor_ids=[s.pk for s in d["successors"]],
            new_units=d["new_units"],
            people=people,
            subunits=subunits,
            teams=teams,
            decision=self.decision(),
        )


class RenameForm(DecisionForm):
    unit = _picker(gettext_lazy("Đơn vị đổi tên"))
    name = forms.CharField(label=gettext_lazy("Tên mới"), max_length=255)
    short_name = forms.CharField(label=gettext_lazy("Tên viết tắt mới"), max_length=60, required=False)
    field_order = ["unit", "name", "short_name", "on"]

    def save(self):
        d = self.cleaned_data
        return services.rename_unit(
            actor=self.user,
            unit_id=d["unit"].pk,
            on=d["on"],
            name=d["name"],
            short_name=d["short_name"] or None,
            decision=self.decision(),
        )


class MoveForm(DecisionForm):
    unit = _picker(gettext_lazy("Đơn vị chuyển"))
    new_parent = _picker(gettext_lazy("Đơn vị cấp trên mới"))
    field_order = ["unit", "new_parent", "on"]

    def save(self):
        d = self.cleaned_data
        return services.move_unit(
            actor=self.user,
            unit_id=d["unit"].pk,
            on=d["on"],
            new_parent_id=d["new_parent"].pk,
            decision=self.decision(),
        )


FORMS = {
    RestructuringKind.MERGE: MergeForm,
    RestructuringKind.SPLIT: SplitForm,
    RestructuringKind.RENAME: RenameForm,
    RestructuringKind.MOVE: MoveForm,
}


def _crumbs(*tail):
    return [(_("Sắp xếp lại đơn vị"), reverse("org:restructuring_list")), *tail]


@require_GET
@permission_required(PERM)
def restructuring_list(request):
    page = paginate(request, restructurings_for(request.user), 30)
    context = {
        "page": page,
        "kinds": RestructuringKind.choices,
        "breadcrumbs": [(_("Sắp xếp lại đơn vị"), None)],
    }
    return render(request, "org/restructuring_list.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(PERM)
def restructuring_create(request):
    kind = request.GET.get("kind") or request.POST.get("kind") or RestructuringKind.MERGE
    if kind not in FORMS:
        kind = RestructuringKind.MERGE
    form_class = FORMS[kind]
    rows = None
    if request.method == "POST":
        form = form_class(request.POST, user=request.user)
        if form.is_valid():
            try:
                if kind == RestructuringKind.SPLIT:
                    rows = form.mapping_rows()
                    if request.POST.get("step") != "save":
                        return _render(request, kind, form, rows)
                    form.save(rows)
                else:
                    form.save()
            except ServiceError as exc:
                exc.show_on(form)
            else:
                messages.success(request, _("Đã ghi nhận việc sắp xếp lại đơn vị."))
                return redirect("org:restructuring_list")
    else:
        form = form_class(user=request.user)
    return _render(request, kind, form, rows)


def _render(request, kind, form, rows):
    context = {
        "form": form,
        "kind": kind,
        "kinds": RestructuringKind.choices,
        "rows": rows,
        "options": form.options() if rows is not None else None,
        "breadcrumbs": _crumbs((_("Ghi nhận"), None)),
    }
    return render(request, "org/restructuring_form.html", context)
