"""The pages of background jobs: the list of a user's jobs, a job's progress page (its partial polled by
htmx until the job ends), running an abandoned job again, and the file a background export wrote."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tdkt.core import jobs, workers
from tdkt.core.access import authenticated
from tdkt.core.enums import JobStatus
from tdkt.core.errors import ServiceError
from tdkt.core.excel import XLSX_MIME
from tdkt.core.models import Job
from tdkt.core.paging import paginate

# htmx stops polling on this status and still swaps the answer in (htmx 2: "286 Stop Polling")
STOP_POLLING = 286
PAGE_SIZE = 20


def _polling(request) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == jobs.PROGRESS_TARGET
    )


def _gone(request):
    """The answer to a progress poll for a job the user may not (or no longer) see, or that does not
    exist: a closing box and 286, so the page stops asking every second (a 404 is not swapped in by
    htmx and the poll would go on for ever). One answer for both: an id tells nothing."""
    return render(
        request, "core/job_detail.html#gone", {"progress_target": jobs.PROGRESS_TARGET}, status=STOP_POLLING
    )


def job_view(view):
    """Signed in, and following jobs at all (`core.view_job`, or the export right for one's own
    exports); else 403 before any job is looked at — except a progress poll, which gets `_gone`."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        if not jobs.follows_jobs(request.user):
            if _polling(request):
                return _gone(request)
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped = authenticated(inner)
    wrapped.tdkt_permission = "core.view_job | own export (core.jobs.follows_jobs)"
    return wrapped


def _job_or_404(request, job_id) -> Job:
    job = jobs.visible_job_or_404(request.user, job_id)
    workers.fail_abandoned_jobs(jobs=[job])  # a dead worker is reported here even with no worker left
    return job


@require_GET
@job_view
def job_detail(request, job_id):
    try:
        job = _job_or_404(request, job_id)
    except (Http404, PermissionDenied):
        if _polling(request):
            return _gone(request)
        raise
    result = job.result or {}
    context = {
        "job": job,
        "result": result,
        "errors": result.get("errors") or [],
        "error_count": result.get("error_count") or len(result.get("errors") or []),
        "counts": [
            (label, result[key])
            for key, label in (
                ("total", _("Số dòng")),
                ("created", _("Thêm mới")),
                ("updated", _("Cập nhật")),
                ("unchanged", _("Không đổi")),
                ("rows", _("Số dòng đã xuất")),
            )
            if key in result
        ],
        "back_url": job.params.get("back_url") or "",
        "back_label": job.params.get("back_label") or "",
        "progress_target": jobs.PROGRESS_TARGET,
        "can_restart": job.abandoned_at is not None
        and job.status == JobStatus.FAILED
        and bool(job.task_path)
        and jobs.may_restart(request.user, job),
        "has_output": job.status == JobStatus.DONE and bool(job.output),
    }
    back = (
        [(context["back_label"], context["back_url"])]
        if context["back_url"]
        else [(_("Tác vụ nền"), reverse("core:job_list"))]
    )
    context["breadcrumbs"] = back + [(job.title, None)]
    if _polling(request):
        status = STOP_POLLING if job.finished else 200
        return render(request, "core/job_detail.html#progress", context, status=status)
    return render(request, "core/job_detail.html", context)


def _visible_jobs(user):
    """The jobs of the list: one's own, and with `core.view_job` those of the units its scope covers (the
    admin: all). Own jobs without `core.view_job`: only one's exports."""
    if not user.has_perm("core.view_job"):
        return Job.objects.filter(created_by=user, kind__startswith=jobs.EXPORT_KIND_PREFIX)
    if user.has_perm("core.view_audit"):  # the admin (the one role reading the audit trail): every job
        return Job.objects.all()
    # the units that have jobs, checked against the scope (core does not query accounts' scope itself)
    unit_model = Job._meta.get_field("unit").related_model
    units = unit_model.objects.filter(pk__in=Job.objects.filter(unit__isnull=False).values("unit"))
    covered = [u.pk for u in units.only("id", "path", "depth") if user.has_perm("core.view_job", u)]
    return Job.objects.filter(Q(created_by=user) | Q(unit__in=covered))


@require_GET
@job_view
def job_list(request):
    page = paginate(
        request,
        _visible_jobs(request.user).select_related("created_by", "worker").order_by("-created_at", "-pk"),
        PAGE_SIZE,
    )
    page.object_list = list(page.object_list)
    workers.fail_abandoned_jobs(jobs=page.object_list)
    for job in page.object_list:
        job.dead = workers.is_abandoned(job)
    context = {"page": page, "breadcrumbs": [(_("Tác vụ nền"), None)]}
    return render(request, "core/job_list.html", context)


@require_POST
@job_view
def job_restart(request, job_id):
    job = jobs.visible_job_or_404(request.user, job_id)
    try:
        jobs.job_restart(job_id=job.pk, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã cho chạy lại tác vụ."))
    return redirect("core:job_detail", job_id=job.pk)


@require_GET
@job_view
def job_file(request, job_id):
    """The file a background export wrote, to who may see its job; 404 alike for a job not seen, not
    done or without a file."""
    job = jobs.visible_job_or_404(request.user, job_id)
    if job.status != JobStatus.DONE or not job.output:
        raise Http404
    try:
        handle = job.output.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = (job.result or {}).get("filename") or job.params.get("output_name") or "xuat-excel.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_MIME)
