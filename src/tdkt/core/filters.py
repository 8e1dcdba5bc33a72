"""Filters of lists: a filter that does not validate is said, beside its field and above the list,
and the list (and its export) shows nothing rather than everything."""

from __future__ import annotations

import types

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.core.text import clean, is_digits

# the message of a choice a filter does not offer; the submitted value is not repeated in it (it may be
# long or hold control characters)
NOT_IN_LIST = {"invalid_choice": gettext_lazy("Giá trị này không có trong danh sách, hãy chọn lại.")}


class FilterModelChoiceField(forms.ModelChoiceField):
    """A record chosen in a list filter (a unit): a value with a NUL byte is a choice that is not offered,
    with the field's own message, like any other — Django would answer it with an untranslated
    message of its own ("Null characters are not allowed.")."""

    def validate_no_null_characters(self, value):
        if "\x00" in str(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


def _attrs(attrs: dict) -> str:
    """Attributes as Django's widgets/attrs.html writes them, in their order (flatatt sorts them)."""
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", key))
        elif value is not False:
            parts.append(format_html(' {}="{}"', key, str(value)))
    return mark_safe("".join(parts))


def quick_render(widget, name, value, attrs=None, renderer=None):
    """`widget` rendered as Django's own input and select templates render it, in Python: a filter
    form is drawn on every request of a list, and its eleven fields through the template engine cost
    about as much as the rest of the page's own work (an <option> is a template include each)."""
    context = widget.get_context(name, value, attrs)["widget"]
    if isinstance(widget, forms.Select):
        options = []
        for group_name, group_choices, _index in context["optgroups"]:
            items = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(o["value"]), _attrs(o["attrs"]), o["label"]) for o in group_choices),
            )
            options.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, items) if group_name else items
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            context["name"],
            _attrs(context["attrs"]),
            mark_safe("".join(options)),
        )
    shown = "" if context["value"] is None else format_html(' value="{}"', str(context["value"]))
    return format_html(
        '<input type="{}" name="{}"{}{}>', context["type"], context["name"], shown, _attrs(context["attrs"])
    )


QUICK_WIDGETS = (forms.Select, forms.TextInput, forms.NumberInput, forms.CheckboxInput, forms.DateInput)


def quick_widgets(form) -> None:
    """Render the plain inputs and single selects of `form` with `quick_render` (same HTML)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, UnitPickerWidget | forms.SelectMultiple):
            continue  # the picker draws itself (quickly); a multiple select is left to Django
        if isinstance(widget, QUICK_WIDGETS):
            widget.render = types.MethodType(quick_render, widget)


PAGE_SIZES = (20, 50, 100)  # the rows a list shows per page, the first the default
YES_NO = [("", _("Tất cả")), ("1", _("Có")), ("0", _("Không"))]


def yes_no(value: str) -> bool | None:
    """A YES_NO filter's cleaned value: True, False, or None for "any"."""
    return {"1": True, "0": False}.get(value)


def yes_no_field(label) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=YES_NO, error_messages=NOT_IN_LIST)


def page_size_field() -> forms.TypedChoiceField:
    """The "rows per page" filter of a list: one of PAGE_SIZES, else the error beside it."""
    return forms.TypedChoiceField(
        label=_("Số dòng/trang"),
        required=False,
        coerce=int,
        choices=[(n, n) for n in PAGE_SIZES],
        empty_value=PAGE_SIZES[0],
        error_messages=NOT_IN_LIST,
    )


def style_fields(form) -> None:
    """The look of a filter or list form, the one way: Bootstrap's small controls (a check box, a select,
    a text field), a field with an error marked invalid and described by its message
    (includes/field_errors.html), and the plain widgets drawn quickly (`quick_widgets`). Call it at the
    end of the form's `__init__`; hidden fields are left alone."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs["class"] = css
        if name in form.errors:
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{form[name].auto_id}-error"
            widget.attrs["class"] += " is-invalid"
    quick_widgets(form)


# the longest value a unit picker looks up (a unit's name is at most 255 characters)
UNIT_PICKER_MAX = 255


class UnitPickerWidget(forms.TextInput):
    """A text field that suggests units as the user types: the suggestions come from `org:unit_search`
    (htmx, into a native <datalist>, so the browser gives the keyboard and screen-reader behaviour of a
    combobox), and without JavaScript it is a plain text field taking a unit's code or exact name.

    Shows the chosen unit's code in the field and its name below it; never lists the units of the scope
    (a select of every unit cost more than the rest of the page on every request)."""

    def __init__(self, attrs=None, *, action: str = "", url_name: str = "org:unit_search"):
        super().__init__(attrs)
        self.action = action
        self.url_name = url_name
        self.chosen = None  # the unit the field resolved its value to (set by UnitPickerField.to_python)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.chosen = None
        return copy

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        field_id = attrs.get("id") or f"id_{name}"
        options_id, hint_id = f"{field_id}-options", f"{field_id}-hint"
        described = " ".join(filter(None, [hint_id, attrs.get("aria-describedby", "")]))
        url = reverse(self.url_name) + ("?" + urlencode({"for": self.action}) if self.action else "")
        shown = self.chosen.code if self.chosen is not None else (value or "")
        attrs.update(
            {
                "list": options_id,
                "autocomplete": "off",
                "spellcheck": "false",
                "maxlength": str(UNIT_PICKER_MAX),
                "aria-describedby": described,
                "hx-get": url,
                "hx-trigger": "focus once, input changed delay:250ms",
                "hx-target": f"#{options_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                # not the enclosing filter form's: its URL stays the list's
                "hx-push-url": "false",
            }
        )
        if self.chosen is not None:
            hint = format_html(
                '{} <span class="text-body-secondary">({})</span>', self.chosen.name, self.chosen.code
            )
        elif self.is_required:  # a form's unit, not a filter's: nothing means nothing
            hint = _("Gõ tên hoặc mã đơn vị để chọn.")
        else:
            hint = _("Gõ tên hoặc mã đơn vị để chọn; để trống: tất cả.")
        attrs["id"] = field_id
        text_input = quick_render(self, name, shown, attrs)
        return format_html(
            '{}<datalist id="{}"></datalist><div class="form-text" id="{}">{}</div>',
            text_input,
            options_id,
            hint_id,
            hint,
        )


class UnitPickerField(FilterModelChoiceField):
    """A unit chosen in a list filter by typing (UnitPickerWidget): the value is a unit's id (the links
    other pages build), its code or its exact name, looked up only among `queryset` (the user's scope),
    so a unit outside the scope and one that does not exist get the same message.

    `queryset` is what is accepted; nothing ever lists it (no `choices` are built)."""

    widget = UnitPickerWidget

    default_error_messages = {
        # one message for a unit outside the scope and a unit that does not exist: nothing to learn
        "invalid_choice": gettext_lazy("Không có đơn vị này trong phạm vi bạn được xem."),
        "ambiguous": gettext_lazy("Có nhiều đơn vị cùng tên này; hãy chọn trong gợi ý hoặc gõ mã đơn vị."),
    }

    def __init__(self, *, action: str = "", **kwargs):
        kwargs.setdefault("widget", UnitPickerWidget(action=action))
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        self.widget.chosen = None
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            value = value.pk
        raw = str(value)
        if "\x00" in raw or len(raw) > UNIT_PICKER_MAX * 4:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        text = clean(raw)  # as names and codes are stored: NFC (a name typed decomposed still matches)
        if not text:
            return None
        if len(text) > UNIT_PICKER_MAX:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        unit = None
        if is_digits(text) and len(text) <= 18:  # an id (a longer number overflows the database's integer)
            unit = self.queryset.filter(pk=int(text)).first()
        if unit is None:
            unit = self.queryset.filter(code__iexact=text).first()
        if unit is None:
            named = list(self.queryset.filter(name__iexact=text)[:2])
            if len(named) > 1:
                raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous")
            unit = named[0] if named else None
        if unit is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        self.widget.chosen = unit
        return unit

    def validate(self, value):
        forms.Field.validate(self, value)

    def has_changed(self, initial, data):
        return str(initial or "") != str(data or "")


def filter_problems(form) -> list[str]:
    """ "<label> — <error>" for every error of a filter form, in the order of its fields."""
    problems = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            text = str(error).rstrip(".")
            problems.append(f"{label} — {text}" if label else text)
    return problems


def invalid_filter_notice(form) -> str:
    """The sentence a list shows instead of its rows when its filters do not validate ("" when they do)."""
    if not form.errors:
        return ""
    return _("Bộ lọc không hợp lệ: %(problems)s; sửa bộ lọc để xem danh sách.") % {
        "problems": "; ".join(filter_problems(form))
    }


def invalid_filter_response(request, form, *, back_url: str):
    """The answer of an export whose filters do not validate: 400, the errors, a link back to the list
    (where the same errors show beside their fields), and no file."""
    context = {"notice": invalid_filter_notice(form), "back_url": back_url}
    return render(request, "errors/invalid_filter.html", context, status=400)
