"""Views with no domain: health check, dashboard, audit trail."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from typing import Any

from django import forms
from django.apps import apps
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tdkt.core import dashboard as dashboard_registry
from tdkt.core.access import authenticated, permission_required, public
from tdkt.core.audit import DETAIL_LABELS, OBJECT_LABELS, event_label
from tdkt.core.enums import AuditAction, JobStatus
from tdkt.core.models import AuditEvent, Job
from tdkt.core.paging import paginate
from tdkt.core.text import fold


@public
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


# (url name, label, permission, icon): shortcuts shown on the dashboard to users who may use them
SHORTCUTS = [
    ("org:import_start", gettext_lazy("Nhập dữ liệu từ Excel"), "org.import", "upload"),
    ("core:audit_list", gettext_lazy("Nhật ký thay đổi"), "core.view_audit", "journal-text"),
]

# object types whose page we can link to from the audit trail
OBJECT_PAGES = {"org.person": "org:person_detail", "org.unit": "org:unit_detail"}


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # an app that has not mounted this page yet
        return None


@require_GET
@authenticated
def dashboard(request):
    user = request.user
    is_admin = user.has_perm("core.view_audit")
    panels = [
        mark_safe(render_to_string(p["template"], p["context"], request=request))  # noqa: S308 our templates
        for p in dashboard_registry.panels(request)
    ]
    shortcuts = []
    for name, label, perm, icon in SHORTCUTS:
        url = _url(name)
        if url and user.has_perm(perm):
            shortcuts.append({"url": url, "label": label, "icon": icon})
    jobs = Job.objects.filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING])
    if not is_admin:
        jobs = jobs.filter(created_by=user)
    jobs = list(jobs.order_by("-created_at")[:5])
    for job in jobs:
        job.url = _url("core:job_detail", job.pk)
    recent_events = list(AuditEvent.objects.order_by("-at", "-id")[:8]) if is_admin else []
    for event in recent_events:
        event.event_label = event_label(event.event)
    context = {
        "cards": dashboard_registry.cards(request),
        "panels": panels,
        "shortcuts": shortcuts,
        "jobs": jobs,
        "recent_events": recent_events,
    }
    return render(request, "core/dashboard.html", context)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Người thực hiện"), required=False, max_length=150)
    event = forms.ChoiceField(label=gettext_lazy("Sự kiện"), required=False)
    object_type = forms.ChoiceField(label=gettext_lazy("Loại đối tượng"), required=False)
    action = forms.ChoiceField(
        label=gettext_lazy("Loại thay đổi"),
        required=False,
        choices=[("", gettext_lazy("Tất cả"))] + list(AuditAction.choices),
    )
    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), required=False)
    date_to = forms.DateField(label=gettext_lazy("Đến ngày"), required=False)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        events = AuditEvent.objects.order_by("event").values_list("event", flat=True).distinct()
        types = AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
        self.fields["event"].choices = [("", _("Tất cả"))] + sorted(
            ((e, event_label(e)) for e in events), key=lambda c: fold(c[1])
        )
        self.fields["object_type"].choices = [("", _("Tất cả"))] + sorted(
            ((t, object_type_label(t)) for t in types if t), key=lambda c: fold(c[1])
        )
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["placeholder"] = "dd/mm/yyyy"
            self.fields[name].error_messages["invalid"] = _("Ngày phải có dạng dd/mm/yyyy, ví dụ 31/12/2024.")
        for name, fld in self.fields.items():
            css = (
                "form-select form-select-sm"
                if isinstance(fld.widget, forms.Select)
                else "form-control form-control-sm"
            )
            fld.widget.attrs["class"] = css + (" is-invalid" if name in self.errors else "")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
        return data

    def filter(self, qs):
        data = (
            self.cleaned_data
            if self.is_valid()
            else {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        )
        if data.get("actor"):
            qs = qs.filter(actor_name__icontains=data["actor"].strip())
        for name in ("event", "object_type", "action"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("date_from"):
            qs = qs.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(at__date__lte=data["date_to"])
        return qs


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """ "org.person" → "cá nhân": the model's Vietnamese name (core looks it up, it imports no app)."""
    if object_type in OBJECT_LABELS:
        return str(OBJECT_LABELS[object_type])
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[\d:.]+([+-]\d{2}:\d{2}|Z)?)?$")


class _ChangeReader:
    """Renders the `changes` of a page of events in words: field names as the model's verbose names,
    choices as their labels, dates as dd/mm/yyyy, yes/no, and foreign keys as the related object's
    name — fetched in one query per related model for the whole page."""

    def __init__(self, events):
        self.fields: dict[str, dict] = {}
        wanted: dict[Any, set] = defaultdict(set)
        for event in events:
            fields = self._fields(event.object_type)
            for name, value in event.changes.items() if isinstance(event.changes, dict) else ():
                field = fields.get(name)
                if field is not None and field.many_to_one:
                    for v in value if isinstance(value, list) else [value]:
                        if isinstance(v, int):
                            wanted[field.related_model].add(v)
        self.names = {
            model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}
            for model, ids in wanted.items()
        }

    def _fields(self, object_type: str) -> dict:
        if object_type not in self.fields:
            model = _model(object_type)
            self.fields[object_type] = (
                {}
                if model is None
                else {f.name: f for f in model._meta.get_fields() if getattr(f, "concrete", False)}
            )
        return self.fields[object_type]

    def value(self, field, value):
        if value is None or value == "":
            return "—"
        if value is True:
            return _("Có")
        if value is False:
            return _("Không")
        if field is not None:
            if field.many_to_one and isinstance(value, int):
                return self.names.get(field.related_model, {}).get(value, f"#{value}")
            if field.choices:
                return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, str) and ISO_DATE.match(value):
            try:
                if "T" in value:
                    moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
                    return date_format(timezone.localtime(moment), "d/m/Y H:i")
                return date_format(datetime.date.fromisoformat(value), "d/m/Y")
            except ValueError:
                return value
        if isinstance(value, list):
            return ", ".join(str(self.value(field, v)) for v in value)
        return value

    def rows(self, event) -> list[dict]:
        """{"field": [old, new]} as rows; any other detail (a created record's values) as new values."""
        changes = event.changes
        if not isinstance(changes, dict):
            return [{"field": "", "label": "", "old": None, "new": changes, "has_old": False}]
        fields = self._fields(event.object_type)
        rows = []
        for name, value in changes.items():
            field = fields.get(name)
            label = str(field.verbose_name) if field is not None else str(DETAIL_LABELS.get(name, name))
            row = {"field": name, "label": label}
            if isinstance(value, list) and len(value) == 2 and not (field is None and name in LIST_DETAILS):
                row.update(old=self.value(field, value[0]), new=self.value(field, value[1]), has_old=True)
            else:
                row.update(old=None, new=self.value(field, value), has_old=False)
            rows.append(row)
        return rows


# details whose value is itself a list of two items, not an [old, new] pair
LIST_DETAILS = frozenset({"period"})


@require_GET
@permission_required("core.view_audit")
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    events = form.filter(AuditEvent.objects.order_by("-at", "-id"))
    page = paginate(request, events, 50)
    page.object_list = list(page.object_list)
    reader = _ChangeReader(page.object_list)
    for event in page.object_list:
        event.change_rows = reader.rows(event)
        event.event_label = event_label(event.event)
        event.type_label = object_type_label(event.object_type) if event.object_type else ""
        page_name = OBJECT_PAGES.get(event.object_type)
        event.url = _url(page_name, event.object_id) if page_name and event.object_id.isdigit() else None
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": params.urlencode(),
        "breadcrumbs": [(_("Nhật ký thay đổi"), None)],
    }
    return render(request, "core/audit_list.html", context)
