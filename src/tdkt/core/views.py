"""Views with no domain: health check, dashboard, audit trail."""

from __future__ import annotations

from django import forms
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tdkt.core import dashboard as dashboard_registry
from tdkt.core.access import authenticated, permission_required, public
from tdkt.core.audit import current_event, event_codes, event_label, object_type_label, present
from tdkt.core.enums import AuditAction, JobStatus
from tdkt.core.filters import invalid_filter_notice
from tdkt.core.models import AuditEvent, Job
from tdkt.core.paging import paginate
from tdkt.core.search import query_field
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
OBJECT_PAGES = {
    "org.person": "org:person_detail",
    "org.unit": "org:unit_detail",
    "org.collective": "org:collective_detail",
    "org.awardrecord": "awards:record_detail",
}


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
    actor = query_field(gettext_lazy("Người thực hiện"))
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
        if data is not None and data.get("event"):
            data = data.copy()  # a link with a code written before: the event it is now
            data["event"] = current_event(data["event"])
        super().__init__(data, **kwargs)
        events = AuditEvent.objects.order_by("event").values_list("event", flat=True).distinct()
        types = AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
        self.fields["event"].choices = [("", _("Tất cả"))] + sorted(
            ((e, event_label(e)) for e in {current_event(e) for e in events}), key=lambda c: fold(c[1])
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
            if name in self.errors:
                fld.widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
        return data

    def filter(self, qs):
        """The events asked for; none at all when a filter does not validate (its error is shown)."""
        if not self.is_bound:
            return qs
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data.get("actor"):
            qs = qs.filter(actor_name__icontains=data["actor"].strip())
        if data.get("event"):
            qs = qs.filter(event__in=event_codes(data["event"]))
        for name in ("object_type", "action"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("date_from"):
            qs = qs.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(at__date__lte=data["date_to"])
        return qs


@require_GET
@permission_required("core.view_audit")
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    events = form.filter(AuditEvent.objects.order_by("-at", "-id"))
    page = paginate(request, events, 50)
    page.object_list = list(page.object_list)
    present(page.object_list)
    for event in page.object_list:
        page_name = OBJECT_PAGES.get(event.object_type)
        if event.url is None and page_name and event.object_id.isdigit():
            event.url = _url(page_name, event.object_id)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "notice": invalid_filter_notice(form) if form.is_bound else "",
        "query": params.urlencode(),
        "breadcrumbs": [(_("Nhật ký thay đổi"), None)],
    }
    return render(request, "core/audit_list.html", context)
