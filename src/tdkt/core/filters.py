"""Filters of lists: a filter that does not validate is said, beside its field and above the list,
and the list (and its export) shows nothing rather than everything."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
