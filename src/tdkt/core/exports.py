"""Bulk exports of lists, and what a list and its export do with a filter that does not validate.

One right governs every bulk export: `org.export` (accounts.permissions.ACTION_ROLES). Reading a list
is not taking it away in bulk: a council member reads the candidates of a year but does not export
their names and codes. Every export view therefore
- is decorated with `export_view` (403 to a role without the right; the right is what the
  view-permission test reads);
- keeps only the rows of the export scope, `scope_for(user, EXPORT_ACTION)`, besides the page's own
  scope (core cannot ask accounts for it: the view does, through its selector);
- is offered (its "Xuất Excel" button) only where `can_export(user)`;
- validates its filters with the list's own form and, when they do not validate, exports nothing:
  `core.filters.invalid_filter_response` answers 400 with the errors and a link back to the list.

A list whose filters do not validate shows no rows and `core.filters.invalid_filter_notice(form)`,
never the unfiltered list as if it were the result.

Large exports run in the background. An app registers what an export writes:

    @exporter("org.people")
    def people_export(*, user, params: dict) -> Export:
        ...  # validate `params` (the list's query) with the list's form; raise ServiceError if invalid
        return Export(filename, sheet, columns, rows, count)   # rows: a lazy iterable

and its view, once the filters validated, answers `export_response(request, kind=..., params=...)`:
up to `SYNC_EXPORT_ROWS` rows the file is streamed at once; above, a Job is created (kind
`export.<kind>`, no unit: only its creator and the admin see it), the task `core.tasks.run_export`
writes the file with progress to `Job.output`, and the user is sent to the job page, which offers the
file (`core:job_file`) when done. The task calls the exporter again, as the job's creator: the rows are
those of the creator's scope when the file is written, and a right lost in between fails the job.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import get_resolver
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from tdkt.core import jobs
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.excel import Column, write_xlsx, xlsx_response
from tdkt.core.models import Job

EXPORT_ACTION = "org.export"
SYNC_EXPORT_ROWS = 5_000  # TDKT_SYNC_EXPORT_ROWS overrides: above it, the file is built by a worker


def export_view(view):
    """Mark `view` as a bulk export: it requires the export right."""
    wrapped = permission_required(EXPORT_ACTION)(view)
    wrapped.tdkt_export = True
    return wrapped


def can_export(user) -> bool:
    """Whether to offer the "Xuất Excel" button (the user holds the export right somewhere)."""
    return user.has_perm(EXPORT_ACTION)


@dataclass
class Export:
    filename: str
    sheet: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]  # lazy: not read when the export goes to the background
    count: int


Exporter = Callable[..., Export]
_exporters: dict[str, Exporter] = {}


def exporter(kind: str):
    """Register the decorated `fn(*, user, params) -> Export` as the export `kind` (≤ 40 characters)."""
    if not kind or len(kind) > 40:
        raise ValueError("an export needs a kind of at most 40 characters")

    def decorator(fn: Exporter) -> Exporter:
        known = _exporters.get(kind)
        if known and (known.__module__, known.__qualname__) != (fn.__module__, fn.__qualname__):
            raise ValueError(f"export {kind!r} is already registered by {known.__module__}")
        _exporters[kind] = fn
        return fn

    return decorator


def exporter_for(kind: str) -> Exporter | None:
    """The exporter of `kind`. A worker has not imported the views: the apps' `exports` modules and
    the URLconf (which imports every view module) are loaded the first time a kind is missing."""
    if kind not in _exporters:
        autodiscover_modules("exports")
        get_resolver().url_patterns  # noqa: B018 importing the view modules registers their exporters
    return _exporters.get(kind)


def sync_limit() -> int:
    return int(getattr(settings, "TDKT_SYNC_EXPORT_ROWS", SYNC_EXPORT_ROWS))


def query_params(query: QueryDict) -> dict[str, Any]:
    """A list's query string as JSON-ready params: one value as a string, several as a list."""
    return {k: (v[0] if len(v) == 1 else v) for k, v in query.lists()}


def params_query(params: dict[str, Any]) -> QueryDict:
    """The params back as a QueryDict, for the list's filter form."""
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        query.setlist(str(key), [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return query


def export_request(user, params: dict[str, Any]):
    """What a list's filter form reads of a request (`user`, `GET`), rebuilt from an export's params: the
    exporter validates the same filters with the same form in the web request and in the worker."""
    return SimpleNamespace(user=user, GET=params_query(params))


def export_response(request, *, kind: str, params: dict[str, Any], back_url: str = ""):
    """The file at once for a small export; for a large one a background job and a redirect to its page."""
    fn = exporter_for(kind)
    if fn is None:
        raise LookupError(f"no export registered as {kind!r}")
    export = fn(user=request.user, params=params)
    if export.count <= sync_limit():
        return xlsx_response(export.filename, columns=export.columns, rows=export.rows, sheet=export.sheet)
    with transaction.atomic():
        job = jobs.job_create(
            actor=request.user,
            kind=jobs.EXPORT_KIND_PREFIX + kind,
            title=_("Xuất Excel: %(sheet)s (%(n)s dòng)")
            % {"sheet": export.sheet, "n": f"{export.count:,}".replace(",", ".")},
            params={
                "export": kind,
                "filters": params,
                "output_name": export.filename,
                "back_url": back_url,
                "back_label": _("Quay lại danh sách") if back_url else "",
            },
            total=export.count,
        )
        from tdkt.core.tasks import run_export

        jobs.job_enqueue(job, run_export, job_id=str(job.pk))
    return redirect("core:job_detail", job_id=job.pk)


def write_background_export(job_id: str) -> None:
    """The body of `core.tasks.run_export`: the job's export written to `Job.output`, with progress."""
    job = jobs.job_start(job_id, message=_("Đang lập tệp Excel"))
    fn = exporter_for(job.params.get("export", ""))
    user = job.created_by
    if fn is None or user is None or not user.is_active:
        jobs.job_fail(job_id, message=_("Tác vụ xuất Excel không hợp lệ."))
        return
    try:
        if not user.has_perm(EXPORT_ACTION):
            raise PermissionDenied
        export = fn(user=user, params=job.params.get("filters") or {})
    except PermissionDenied:
        jobs.job_fail(job_id, message=_("Người tạo tác vụ không còn quyền xuất danh sách này."))
        return
    except ServiceError as exc:
        jobs.job_fail(job_id, message=exc.message)
        return
    progress = jobs.JobProgress(job_id)
    total = export.count

    def counted():
        done = 0
        for done, row in enumerate(export.rows, start=1):  # noqa: B007 `done` is read after the loop
            yield row
            progress(done, max(total, done))
        progress(done, max(total, done))

    with tempfile.TemporaryFile() as handle:
        rows = write_xlsx(handle, columns=export.columns, rows=counted(), sheet=export.sheet)
        handle.seek(0)
        stored = Job(pk=job.pk)
        stored.output.save(f"{uuid.uuid4().hex}.xlsx", File(handle), save=False)
    Job.objects.filter(pk=job.pk).update(output=stored.output.name)
    jobs.job_finish(
        job_id,
        result={"rows": rows, "filename": export.filename},
        message=_("Đã xuất %(n)s dòng; bấm “Tải tệp Excel” để lưu về máy.") % {"n": rows},
    )
