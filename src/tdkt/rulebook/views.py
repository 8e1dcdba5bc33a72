"""Screens of the rulebook: eligibility tabs, candidates of a year, the rulebook browser, agency settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tdkt.accounts.scope import scope_for
from tdkt.core import jobs
from tdkt.core.access import authenticated, permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.excel import Column
from tdkt.core.exports import (
    EXPORT_ACTION,
    Export,
    can_export,
    export_request,
    export_response,
    export_view,
    exporter,
)
from tdkt.core.filters import (
    invalid_filter_notice,
    invalid_filter_response,
)
from tdkt.org.models import Collective, Person, Unit
from tdkt.org.views.people import person_tabs
from tdkt.rulebook import selectors, services
from tdkt.rulebook.engine import load_rulebooks
from tdkt.rulebook.engine.codes import AWARD_CODES, AWARD_VI
from tdkt.rulebook.engine.evaluate import default_proposal_date
from tdkt.rulebook.enums import RunStatus, VerdictChoice
from tdkt.rulebook.filters import ALL, CandidateFilterForm
from tdkt.rulebook.models import AgencySetting, EligibilityResult, EligibilityRun

PAGE_SIZE = 50


class ClampedPaginator(Paginator):
    """A page number out of range (or not a number) is clamped to the last (or first) page without an
    exception, and a page in the second half of the list is read from its end (reversed order, small
    offset): `?page=99999` costs what page 1 costs, two queries (count and rows) whatever the page."""

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            return 1
        return max(1, min(number, self.num_pages))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = self.object_list
        if bottom > self.count // 2 and isinstance(rows, QuerySet) and rows.ordered:
            tail = list(rows.reverse()[self.count - top : self.count - bottom])
            tail.reverse()
            return self._get_page(tail, number, self)
        return self._get_page(rows[bottom:top], number, self)


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _htmx_target(request) -> str | None:
    """The element an htmx request swaps (None for a normal request or a history restore)."""
    if request.headers.get("HX-Request") != "true" or request.headers.get("HX-History-Restore-Request"):
        return None
    return request.headers.get("HX-Target") or ""


def _year_from(raw, default: int) -> tuple[int, str]:
    """(year, error): a year the rulebooks judge, else the default and a message in Vietnamese."""
    if raw in (None, ""):
        return default, ""
    try:
        return services.check_year(raw), ""
    except ServiceError as exc:
        return default, exc.message


def _try_reverse(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# ---------------------------------------------------------------- eligibility tabs


def _get_person(request, pk):
    return get_object_or_404(Person.objects.select_related("current_unit"), pk=pk)


def _get_collective(request, pk):
    return get_object_or_404(Collective.objects.select_related("unit"), pk=pk)


def _verdict_context(request, kind: str, subject, year_default: int, since: int | None):
    year, year_error = _year_from(request.GET.get("year"), year_default)
    verdicts = selectors.live_verdicts(kind, subject.pk, year)
    books = load_rulebooks()
    regime = books.regime_for(default_proposal_date(year))
    names = {r.code: r.name for r in books.regimes}
    return {
        "subject": subject,
        "kind": kind,
        "year": year,
        "year_error": year_error,
        "years": selectors.year_choices(year, since),
        "regime": regime,
        "verdicts": [
            {
                "v": v,
                "name": AWARD_VI.get(v.award, v.award),
                "regime_name": names.get(v.regime, v.regime) if v.regime != regime.code else "",
                "explained": selectors.explain(v),
            }
            for v in verdicts
        ],
        "counts": {v: sum(1 for x in verdicts if x.verdict == v) for v in VerdictChoice.values},
    }


def _eligibility_template(request) -> str:
    if _htmx_target(request) == "verdicts":
        return "rulebook/eligibility.html#verdicts"
    return "rulebook/eligibility.html"


@require_GET
@permission_required("rulebook.view_eligibility", object_getter=_get_person)
def person_eligibility(request, pk: int):
    person = request.tdkt_object
    first = selectors.first_fact_year(person_id=person.pk)
    since = first if first is not None else (person.joined.year if person.joined else None)
    ctx = _verdict_context(request, "individual", person, selectors.default_year(person_id=person.pk), since)
    profile = _try_reverse("org:person_detail", person.pk)
    ctx["breadcrumbs"] = [
        (_("Cán bộ"), _try_reverse("org:person_list")),
        (person.full_name, profile),
        (_("Xét danh hiệu"), None),
    ]
    ctx["profile_url"] = profile
    if _htmx_target(request) != "verdicts":
        ctx["tabs"] = person_tabs(person, "eligibility", request.user)
    return render(request, _eligibility_template(request), ctx)


@require_GET
@permission_required("rulebook.view_eligibility", object_getter=_get_collective)
def collective_eligibility(request, pk: int):
    collective = request.tdkt_object
    first = selectors.first_fact_year(collective_id=collective.pk)
    since = first if first is not None else (collective.established.year if collective.established else None)
    ctx = _verdict_context(
        request,
        "collective",
        collective,
        selectors.default_year(collective_id=collective.pk),
        since,
    )
    unit_url = _try_reverse("org:unit_detail", collective.unit_id)
    ctx["breadcrumbs"] = [
        (collective.unit.name, unit_url),
        (collective.name, None),
        (_("Xét danh hiệu"), None),
    ]
    return render(request, _eligibility_template(request), ctx)


# ---------------------------------------------------------------- candidates of a year


def _candidate_query(f) -> dict:
    query = {"unit": f.unit.pk, "year": f.year, "award": f.award, "verdict": f.verdict or ALL, "q": f.q}
    return {k: v for k, v in query.items() if v}


def _view_scope(request):
    scope = scope_for(request.user, "rulebook.view_eligibility")
    if not scope.units_only:  # a staff member sees only their own tab, never a unit's list
        raise PermissionDenied
    return scope


@require_GET
@permission_required("rulebook.view_eligibility")
def candidates(request):
    scope = _view_scope(request)
    form = CandidateFilterForm.for_request(request, scope)
    f = form.filters()
    # an invalid filter shows its errors and no rows, never another list in place of the one asked for
    results = selectors.candidate_results(scope, f) if f else EligibilityResult.objects.none()
    page = ClampedPaginator(results, PAGE_SIZE).page(request.GET.get("page"))
    run = selectors.latest_run(f.unit, f.year) if f else None
    covering = selectors.covering_run(f.unit, f.year) if f else None
    stale = covering is not None and services.facts_changed_since(covering)
    ctx = {
        "f": f,
        "form": form,
        "filter_error": invalid_filter_notice(form),
        "page": page,
        "run": run,
        "covering": covering,
        "stale": stale,
        "can_run": f is not None and request.user.has_perm("rulebook.run_eligibility", f.unit),
        "can_export": can_export(request.user),
        "query": urlencode(_candidate_query(f)) if f else "",
        "breadcrumbs": [(_("Ứng viên"), None)],
        "job_url": jobs.job_url(request.user, run.job) if run else None,
    }
    if _htmx_target(request) == "results":
        # the list, and out of band the heading, run status and the run form's hidden unit and year:
        # changing the unit or the year in the filters changes what "Chạy lại" runs
        html = "".join(
            render_to_string(f"rulebook/candidates.html#{part}", {**ctx, "oob": True}, request=request)
            for part in ("doc_title", "results", "head")
        )
        return HttpResponse(html)
    return render(request, "rulebook/candidates.html", ctx)


def _unit_from_post(request, **kwargs):
    unit = Unit.objects.filter(pk=_int(request.POST.get("unit"), 0)).first()
    if unit is None:
        raise Http404
    return unit


@require_POST
@permission_required("rulebook.run_eligibility", object_getter=_unit_from_post)
def candidates_run(request):
    unit = request.tdkt_object
    year = request.POST.get("year")
    query = {"unit": unit.pk}
    try:
        run = services.run_request(actor=request.user, unit_id=unit.pk, year=year)
    except ServiceError as exc:
        messages.error(request, exc.message)
        if exc.field != "year":
            query["year"] = year
    else:
        query["year"] = run.year
        messages.success(request, _("Đã bắt đầu xét tiêu chuẩn; kết quả hiện ra khi tác vụ hoàn tất."))
    return redirect(f"{reverse('rulebook:candidates')}?{urlencode(query)}")


@require_GET
@permission_required("rulebook.view_eligibility")
def run_status(request, pk: int):
    """The progress partial polled by htmx while a run is going; tells the page to reload when done."""
    scope = _view_scope(request)
    run = EligibilityRun.objects.select_related("unit", "job", "job__unit").filter(pk=pk).first()
    if run is None or not scope.covers(run.unit):
        raise Http404  # the same answer for a run of another unit and one that does not exist
    job_url = jobs.job_url(request.user, run.job)
    response = render(request, "rulebook/candidates.html#run_status", {"run": run, "job_url": job_url})
    if run.status in (RunStatus.DONE, RunStatus.FAILED) and request.GET.get("poll"):
        response["HX-Refresh"] = "true"
    return response


@exporter("rulebook.candidates")
def candidates_export_rows(*, user, params: dict) -> Export:
    """The candidates of a year as an Excel export (core.exports): validated with the list's form, rows
    kept to the export scope; large ones are written by a worker."""
    request = export_request(user, params)
    scope = _view_scope(request)
    f = CandidateFilterForm.for_request(request, scope).filters()
    if f is None:
        raise ServiceError(_("Bộ lọc của danh sách ứng viên không còn hợp lệ; hãy xuất lại từ danh sách."))
    results = selectors.candidate_results(scope, f, export_scope=scope_for(user, EXPORT_ACTION))
    labels = {k: str(v) for k, v in VerdictChoice.choices}
    columns = [
        Column(_("Mã"), 12),
        Column(_("Họ và tên / Tập thể"), 30),
        Column(_("Đơn vị"), 30),
        Column(_("Danh hiệu, hình thức"), 36),
        Column(_("Kết quả"), 18),
        Column(_("Tiêu chí chưa đạt / dữ kiện thiếu"), 80),
        Column(_("Năm dự kiến đạt"), 10, "int"),
    ]
    fields = (
        "person__code",
        "person__full_name",
        "collective__code",
        "collective__name",
        "unit__name",
        "award_code",
        "verdict",
        "failing",
        "forecast_year",
    )

    def rows():
        # tuples, not model instances: the export of a large list is mostly the building of rows
        for p_code, p_name, c_code, c_name, unit_name, code, verdict, failing, year in results.values_list(
            *fields
        ).iterator(chunk_size=2000):
            yield [
                p_code or c_code,
                p_name or c_name,
                unit_name,
                AWARD_VI.get(code, code),
                labels.get(verdict, verdict),
                failing,
                year,
            ]

    return Export(f"ung-vien-{f.year}-{f.unit.code}.xlsx", _("Ứng viên"), columns, rows(), results.count())


@require_GET
@export_view
def candidates_export(request):
    """Up to core.exports.SYNC_EXPORT_ROWS rows the file at once; a larger list is written by a worker
    (the job page offers the file), never refused and never built inside the web request."""
    scope = _view_scope(request)
    form = CandidateFilterForm.for_request(request, scope)
    f = form.filters()
    if f is None:
        back = reverse("rulebook:candidates") + (f"?{request.GET.urlencode()}" if request.GET else "")
        return invalid_filter_response(request, form, back_url=back)
    query = _candidate_query(f)  # the defaults resolved: the worker exports the very list asked for
    back = f"{reverse('rulebook:candidates')}?{urlencode(query)}"
    return export_response(request, kind="rulebook.candidates", params=query, back_url=back)


# ---------------------------------------------------------------- rulebook browser


@require_GET
@authenticated
def catalogue(request):
    regime = selectors.regime_or_default(request.GET.get("regime"))
    books = selectors.load_rulebooks()
    ctx = {
        "regime": regime,
        "regimes": books.regimes,
        "catalogue": selectors.catalogue(regime),
        "transitional": regime.model.transitional,
        "sources": regime.model.sources,
        "breadcrumbs": [(_("Quy định TĐKT"), None)],
    }
    return render(request, "rulebook/catalogue.html", ctx)


@require_GET
@authenticated
def award_detail(request, code: str):
    if code not in AWARD_CODES:
        raise Http404
    regime = selectors.regime_or_default(request.GET.get("regime"))
    page = selectors.award_page(regime, code)
    ctx = {
        "regime": regime,
        "regimes": selectors.load_rulebooks().regimes,
        "page": page,
        "a": page["def"],
        "routes": page["routes"],
        "english": (get_language() or "").startswith("en"),
        "breadcrumbs": [
            (_("Quy định TĐKT"), f"{reverse('rulebook:catalogue')}?regime={regime.code}"),
            (page["def"].name_vi, None),
        ],
    }
    return render(request, "rulebook/award_detail.html", ctx)


# ---------------------------------------------------------------- agency settings


@require_GET
@permission_required("rulebook.change_settings")
def settings_list(request):
    stored = {s.key: s for s in AgencySetting.objects.select_related("changed_by")}
    rows = []
    for key, d in services.setting_definitions().items():
        s = stored.get(key)
        value = s.value if s is not None else d.default
        rows.append(
            {
                "def": d,
                "label": services.setting_label(key),
                "cite": services.rulebook_text(d.cite),
                "stored": s,
                "value": value,
                "value_text": services.format_setting_value(d, value),
                "default_text": services.format_setting_value(d, d.default),
                "input": services.setting_input_value(d, value),
            }
        )
    return render(
        request,
        "rulebook/settings.html",
        {
            "rows": rows,
            "breadcrumbs": [
                (_("Quy định TĐKT"), reverse("rulebook:catalogue")),
                (_("Cài đặt của cơ quan"), None),
            ],
        },
    )


@require_POST
@permission_required("rulebook.change_settings")
def setting_edit(request, key: str):
    definitions = services.setting_definitions()
    if key not in definitions:
        raise Http404
    d = definitions[key]
    label = services.setting_label(key)
    raw = request.POST.getlist("value") if d.type == "codes" else request.POST.get("value")
    try:
        services.setting_change(actor=request.user, key=key, raw=raw)
    except ServiceError as exc:
        messages.error(request, _("%(label)s: %(msg)s") % {"label": label, "msg": exc.message})
    else:
        messages.success(request, _("Đã lưu cài đặt “%(label)s”.") % {"label": label})
    return redirect(f"{reverse('rulebook:settings')}#s-{key}")


@require_POST
@permission_required("rulebook.change_settings")
def setting_reset(request, key: str):
    if key not in services.setting_definitions():
        raise Http404
    services.setting_reset(actor=request.user, key=key)
    messages.success(
        request,
        _("Đã khôi phục giá trị mặc định theo quy định cho “%(label)s”.")
        % {"label": services.setting_label(key)},
    )
    return redirect(f"{reverse('rulebook:settings')}#s-{key}")
