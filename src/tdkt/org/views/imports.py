"""Import from Excel: choose the kind, upload the file, follow the job; download the template per kind.

The upload is checked here (size, content is a real .xlsx, the sheet has the required columns) so a
wrong file gets its message at once and no Job is created; every row is then validated by the task.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tdkt.accounts.scope import scope_for
from tdkt.core import imports, jobs, uploads
from tdkt.core.access import permission_required
from tdkt.core.excel import XLSX_MIME
from tdkt.core.models import Job
from tdkt.core.ooxml import size_text
from tdkt.org.imports import IMPORT_ACTION, IMPORTERS
from tdkt.org.models import Unit

JOB_KIND_PREFIX = "org.import."


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại dữ liệu"))
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp Excel cần nhập."),
            "empty": gettext_lazy("Tệp rỗng."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, imp.spec.title) for k, imp in IMPORTERS.items()]
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx," + XLSX_MIME})

    def clean(self):
        data = super().clean()
        upload, kind = data.get("file"), data.get("kind")
        if upload is None or kind is None:
            return data
        try:
            checked = uploads.check_upload(upload, kinds={"xlsx"}, max_bytes=settings.TDKT_IMPORT_MAX_BYTES)
            sheet = imports.check_file(checked.data, IMPORTERS[kind].spec)
        except uploads.UploadError as exc:
            self.add_error("file", exc.message)
        except imports.ImportFileError as exc:
            self.add_error("file", exc.message)
        else:
            data["rows"] = len(sheet.rows)
        finally:
            upload.seek(0)
        return data


def _import_unit(user) -> Unit | None:
    """The unit an import job belongs to: the highest unit the importer's `org.import` scope covers, so
    the other officers of that unit can follow the job too (core.jobs.may_see)."""
    return scope_for(user, IMPORT_ACTION).filter_units(Unit.objects.order_by("depth", "path")).first()


def _recent_jobs(user) -> list[Job]:
    return list(
        Job.objects.filter(created_by=user, kind__startswith=JOB_KIND_PREFIX).order_by("-created_at")[:10]
    )


@require_http_methods(["GET", "POST"])
@permission_required("org.import")
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        spec = IMPORTERS[kind].spec
        upload = form.cleaned_data["file"]
        with transaction.atomic():
            job = jobs.job_create(
                actor=request.user,
                unit=_import_unit(request.user),
                kind=JOB_KIND_PREFIX + kind,
                title=_("Nhập %(what)s từ Excel") % {"what": str(spec.title).lower()},
                params={
                    "kind": kind,
                    "back_url": reverse("org:import_start"),
                    "back_label": _("Nhập dữ liệu từ Excel"),
                },
                upload=upload,
                total=form.cleaned_data.get("rows", 0) * 2,
            )

            def enqueue() -> None:
                from tdkt.org.tasks import run_import

                run_import.enqueue(job_id=str(job.pk))

            transaction.on_commit(enqueue)
        return redirect("core:job_detail", job_id=job.pk)
    templates = [
        {"kind": k, "title": imp.spec.title, "url": reverse("org:import_template", args=[k])}
        for k, imp in IMPORTERS.items()
    ]
    for job in (recent := _recent_jobs(request.user)):
        job.url = reverse("core:job_detail", args=[job.pk])
    context = {
        "form": form,
        "templates": templates,
        "jobs": recent,
        "max_size": size_text(settings.TDKT_IMPORT_MAX_BYTES),
        "breadcrumbs": [(_("Nhập dữ liệu từ Excel"), None)],
    }
    return render(request, "org/import_start.html", context, status=400 if form.errors else 200)


@require_GET
@permission_required("org.import")
def import_template(request, kind):
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise Http404
    first_unit = (
        scope_for(request.user, IMPORT_ACTION)
        .filter_units(Unit.objects.order_by("path"))
        .only("code")
        .first()
    )
    examples = {"unit_code": first_unit.code} if first_unit else {}
    content = imports.template_bytes(importer.spec, examples=examples)
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.xlsx"'
    return response


@require_GET
@permission_required("org.import")
def import_status(request, job_id):
    job = jobs.visible_job_or_404(request.user, job_id)  # 404 alike for another unit's job and none
    return redirect("core:job_detail", job_id=job.pk)
