"""The working-day calendar page (system admin): a year's days off and make-up days — the data file's and
those added here — a form to add next year's notice, and removal of an added day."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tdkt.core import calendar, calendar_data
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.models import CalendarDay
from tdkt.core.text import is_digits

PERMISSION = calendar.ADMIN_PERMISSION
WEEKDAYS = [
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
]
YEARS = calendar.YEARS


class CalendarDayForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Ngày (dd/mm/yyyy)"),
        input_formats=["%d/%m/%Y"],
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ: nhập dd/mm/yyyy, ví dụ 03/09/2027.")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại ngày"),
        choices=CalendarDay.Kind.choices,
        error_messages={"invalid_choice": gettext_lazy("Loại ngày không hợp lệ.")},
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=255)
    source = forms.CharField(
        label=gettext_lazy("Căn cứ (số, ngày của thông báo)"),
        max_length=255,
        help_text=gettext_lazy("Ví dụ: Thông báo 1234/TB-BNV ngày 20/11/2026 của Bộ Nội vụ."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["placeholder"] = "dd/mm/yyyy"
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css + (" is-invalid" if name in self.errors else "")
            if name in self.errors:
                field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    if is_digits(raw) and len(raw) == 4 and YEARS[0] <= int(raw) <= YEARS[1]:
        return int(raw)
    return timezone.localdate().year


def _page(request, year: int, form: CalendarDayForm, *, status: int = 200):
    data = calendar_data.load()
    added = {row.date: row for row in CalendarDay.objects.filter(date__year=year)}
    kinds = dict(CalendarDay.Kind.choices)
    rows = []
    sources: dict[str, calendar_data.DataDay] = {}
    for special in calendar.calendar_year(year):
        row = added.get(special.day)
        listed = data.days.get(special.day)
        from_data = listed if row is None else None
        if from_data is not None:
            sources.setdefault(from_data.source_label, from_data)
        rows.append(
            {
                "day": special.day,
                "weekday": WEEKDAYS[special.day.weekday()],
                "kind": special.kind,
                "kind_label": kinds.get(special.kind, special.kind),
                "off": special.kind in calendar_data.OFF_KINDS,
                "note": special.note,
                "source": special.source,
                "data": from_data,  # its source shown by number, the titles listed once below
                "added": row,
                "replaces": listed if row is not None else None,
                "unconfirmed": row is None and listed is not None and not listed.confirmed,
            }
        )
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    context = {
        "year": year,
        "rows": rows,
        "sources": list(sources.values()),
        "form": form,
        "workdays": calendar.workdays_between(start - datetime.timedelta(days=1), end),
        "off_weekdays": sum(1 for r in rows if r["off"] and r["day"].weekday() < 5),
        "unconfirmed_year": year in data.unconfirmed_years,
        "beyond_data": year > data.last_year and not added,
        "last_year": data.last_year,
        "previous_year": year - 1 if year > YEARS[0] else None,
        "next_year": year + 1 if year < YEARS[1] else None,
        "breadcrumbs": [(_("Lịch làm việc"), None)],
    }
    return render(request, "core/calendar.html", context, status=status)


@require_GET
@permission_required(PERMISSION)
def calendar_page(request):
    return _page(request, _year(request), CalendarDayForm())


@require_POST
@permission_required(PERMISSION)
def calendar_add(request):
    form = CalendarDayForm(request.POST)
    year = _year(request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = calendar.calendar_day_add(
                actor=request.user,
                day=data["date"],
                kind=data["kind"],
                note=data["note"],
                source=data["source"],
            )
        except ServiceError as exc:
            exc.show_on(form)
        else:
            messages.success(
                request,
                _("Đã thêm ngày %(day)s (%(kind)s) vào lịch.")
                % {"day": f"{row.date:%d/%m/%Y}", "kind": row.get_kind_display()},
            )
            return redirect(f"{reverse('core:calendar')}?year={row.date.year}")
        day = data.get("date")
        year = day.year if day and YEARS[0] <= day.year <= YEARS[1] else year
    return _page(request, year, form, status=400)


@require_POST
@permission_required(PERMISSION)
def calendar_remove(request, pk: int):
    try:
        row = calendar.calendar_day_remove(actor=request.user, pk=pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('core:calendar')}?year={_year(request)}")
    messages.success(request, _("Đã xoá ngày %(day)s khỏi lịch.") % {"day": f"{row.date:%d/%m/%Y}"})
    return redirect(f"{reverse('core:calendar')}?year={row.date.year}")
