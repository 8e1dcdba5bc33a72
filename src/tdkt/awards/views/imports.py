"""Legacy award lists into the register: upload, review the uncertain matches, confirm, report.

Upload → a Job reads and matches the list in the background (core:job_detail shows its progress and
links to the review) → the review lists the errors (file, sheet/table, row, column) or the rows to
decide, with a choice per row → confirm → a second Job writes all or nothing → the report, also as
Excel. Only the officer who uploaded the list sees its review and report: the candidates shown are
records of their scope, which another officer's scope may not cover.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tdkt.accounts.scope import scope_for
from tdkt.awards import legacy
from tdkt.awards.forms import LegacyImportForm
from tdkt.awards.tasks import PARSE_KIND, WRITE_KIND
from tdkt.core import jobs
from tdkt.core.access import permission_required
from tdkt.core.enums import JobStatus
from tdkt.core.excel import Column, xlsx_response
from tdkt.core.models import Job
from tdkt.core.ooxml import size_text
from tdkt.org.models import Unit

REVIEW_PAGE_ROWS = 500  # rows to decide shown at once; the rest keep their proposed choice
REPORT_PAGE_ROWS = 1000  # the whole report is in the Excel download


def _own_job(request, job_id, kind: str) -> Job:
    """The user's own job of `kind`, or 404 alike for another's, another kind's and none."""
    job = Job.objects.filter(pk=job_id, kind=kind, created_by=request.user).first()
    if job is None:
        raise Http404
    return job


def _import_unit(user) -> Unit | None:
    return scope_for(user, legacy.ACTION).filter_units(Unit.objects.order_by("depth", "path")).first()


@require_http_methods(["GET", "POST"])
@permission_required("awards.import_register")
def legacy_import(request):
    form = LegacyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with transaction.atomic():
            job = jobs.job_create(
                actor=request.user,
                unit=_import_unit(request.user),
                kind=PARSE_KIND,
                title=_("Đọc danh sách khen thưởng"),
                params={"back_label": _("Xem lại và xác nhận")},
                upload=upload,
            )
            job.params["back_url"] = reverse("awards:legacy_review", args=[job.pk])
            job.save(update_fields=["params"])

            def enqueue() -> None:
                from tdkt.awards.tasks import parse_legacy

                parse_legacy.enqueue(job_id=str(job.pk))

            transaction.on_commit(enqueue)
        return redirect("core:job_detail", job_id=job.pk)
    recent = list(
        Job.objects.filter(created_by=request.user, kind__in=[PARSE_KIND, WRITE_KIND]).order_by(
            "-created_at"
        )[:10]
    )
    for job in recent:
        job.url = reverse("core:job_detail", args=[job.pk])
    context = {
        "form": form,
        "jobs": recent,
        "max_size": size_text(settings.TDKT_IMPORT_MAX_BYTES),
        "breadcrumbs": [(_("Nhập danh sách khen thưởng"), None)],
    }
    return render(request, "awards/legacy_import.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permission_required("awards.import_register")
def legacy_review(request, job_id):
    job = _own_job(request, job_id, PARSE_KIND)
    if job.status in (JobStatus.PENDING, JobStatus.RUNNING):
        return redirect("core:job_detail", job_id=job.pk)
    result = job.result or {}
    parsed = legacy.ParsedList.from_dict(result.get("parsed") or {})
    written = job.params.get("written_by_job")
    to_review = [r for r in parsed.rows if r.status == "review"]
    shown = {r.index for r in to_review[:REVIEW_PAGE_ROWS]}
    choices: dict[int, str] = {}
    problems: list[str] = []
    if request.method == "POST" and not parsed.error_count and not written:
        for r in to_review:
            value = request.POST.get(f"row-{r.index}", "")
            offered = {c["value"] for c in r.candidates}
            if value and value in offered:
                choices[r.index] = value
            elif r.index in shown or not r.proposal:
                problems.append(
                    _("%(sheet)s, dòng %(row)s (%(name)s): hãy chọn một cách xử lý.")
                    % {"sheet": r.sheet, "row": r.row, "name": r.name}
                )
        if not problems:
            with transaction.atomic():
                write = jobs.job_create(
                    actor=request.user,
                    unit=job.unit,
                    kind=WRITE_KIND,
                    title=_("Ghi danh sách khen thưởng vào sổ"),
                    params={
                        "parse_job": str(job.pk),
                        "choices": {str(k): v for k, v in choices.items()},
                        "filename": job.params.get("filename", ""),
                        "back_label": _("Xem báo cáo nhập"),
                    },
                    total=len(parsed.rows) * 2,
                )
                write.params["back_url"] = reverse("awards:legacy_report", args=[write.pk])
                write.save(update_fields=["params"])

                def enqueue() -> None:
                    from tdkt.awards.tasks import write_legacy

                    write_legacy.enqueue(job_id=str(write.pk))

                transaction.on_commit(enqueue)
            return redirect("core:job_detail", job_id=write.pk)
    for r in to_review[:REVIEW_PAGE_ROWS]:
        r.chosen = request.POST.get(f"row-{r.index}", r.proposal)
    counts = {key: result.get(key, 0) for key in ("total", "link", "existing", "create", "review")}
    context = {
        "job": job,
        "parsed": parsed,
        "counts": counts,
        "to_review": to_review[:REVIEW_PAGE_ROWS],
        "more_to_review": max(0, len(to_review) - REVIEW_PAGE_ROWS),
        "problems": problems,
        "written_url": reverse("awards:legacy_report", args=[written]) if written else "",
        "breadcrumbs": [
            (_("Nhập danh sách khen thưởng"), reverse("awards:legacy_import")),
            (job.params.get("filename") or _("Xem lại"), None),
        ],
    }
    return render(request, "awards/legacy_review.html", context, status=400 if problems else 200)


REPORT_COLUMNS = [
    Column(_("Sheet/Bảng"), 14),
    Column(_("Dòng"), 8, "int"),
    Column(_("Họ và tên, tập thể"), 28),
    Column(_("Danh hiệu, hình thức"), 30),
    Column(_("Năm"), 8, "int"),
    Column(_("Số quyết định"), 18),
    Column(_("Kết quả"), 14),
]


@require_GET
@permission_required("awards.import_register")
def legacy_report(request, job_id):
    job = _own_job(request, job_id, WRITE_KIND)
    if job.status in (JobStatus.PENDING, JobStatus.RUNNING):
        return redirect("core:job_detail", job_id=job.pk)
    result = job.result or {}
    report = result.get("report") or []
    if request.GET.get("format") == "xlsx":
        rows = (
            [r["sheet"], r["row"], r["name"], r["award"], r["year"], r["decision_number"], r["outcome"]]
            for r in report
        )
        return xlsx_response(
            "bao-cao-nhap-khen-thuong.xlsx", columns=REPORT_COLUMNS, rows=rows, sheet="Báo cáo"
        )
    context = {
        "job": job,
        "result": result,
        "report": report[:REPORT_PAGE_ROWS],
        "more_in_report": max(0, len(report) - REPORT_PAGE_ROWS),
        "breadcrumbs": [
            (_("Nhập danh sách khen thưởng"), reverse("awards:legacy_import")),
            (_("Báo cáo nhập"), None),
        ],
    }
    return render(request, "awards/legacy_report.html", context)
