"""Screens of the rulebook: eligibility tabs, candidates of a year, the rulebook browser, agency settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tdkt.accounts.scope import scope_for
from tdkt.core.access import authenticated, permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.excel import Column, xlsx_response
from tdkt.org.models import Collective, Person, Unit
from tdkt.rulebook import selectors, services
from tdkt.rulebook.engine.codes import AWARD_CODES, AWARD_VI
from tdkt.rulebook.enums import RunStatus, VerdictChoice
from tdkt.rulebook.models import AgencySetting, EligibilityRun

PAGE_SIZE = 50


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _htmx_target(request) -> str | None:
    if request.headers.get("HX-Request") != "true":
        return None
    return request.headers.get("HX-Target") or ""


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


def _verdict_context(request, kind: str, subject, year_default: int):
    year = _int(request.GET.get("year"), year_default)
    if not 1990 <= year <= timezone.localdate().year + 1:
        year = year_default
    verdicts = selectors.live_verdicts(kind, subject.pk, year)
    return {
        "subject": subject,
        "kind": kind,
        "year": year,
        "years": selectors.year_choices(year),
        "verdicts": [(v, AWARD_VI.get(v.award, v.award)) for v in verdicts],
        "counts": {v: sum(1 for x in verdicts if x.verdict == v) for v in VerdictChoice.values},
    }


@require_GET
@permission_required("rulebook.view_eligibility", object_getter=_get_person)
def person_eligibility(request, pk: int):
    person = request.tdkt_object
    ctx = _verdict_context(request, "individual", person, selectors.default_year(person_id=person.pk))
    profile = _try_reverse("org:person_detail", person.pk)
    ctx["breadcrumbs"] = [
        (_("Cán bộ"), _try_reverse("org:person_list")),
        (person.full_name, profile),
        (_("Xét danh hiệu"), None),
    ]
    ctx["profile_url"] = profile
    template = "rulebook/eligibility.html#verdicts" if _htmx_target(request) else "rulebook/eligibility.html"
    return render(request, template, ctx)


@require_GET
@permission_required("rulebook.view_eligibility", object_getter=_get_collective)
def collective_eligibility(request, pk: int):
    collective = request.tdkt_object
    ctx = _verdict_context(
        request, "collective", collective, selectors.default_year(collective_id=collective.pk)
    )
    unit_url = _try_reverse("org:unit_detail", collective.unit_id)
    ctx["breadcrumbs"] = [
        (collective.unit.name, unit_url),
        (collective.name, None),
        (_("Xét danh hiệu"), None),
    ]
    template = "rulebook/eligibility.html#verdicts" if _htmx_target(request) else "rulebook/eligibility.html"
    return render(request, template, ctx)


# ---------------------------------------------------------------- candidates of a year


def _candidate_filters(request, scope):
    units = selectors.units_in_scope(scope)
    unit_id = _int(request.GET.get("unit") or request.POST.get("unit"))
    unit = None
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise Http404
        if not scope.covers(unit):
            raise PermissionDenied
    if unit is None:
        unit = units.first()
        if unit is None:
            raise PermissionDenied
    this = timezone.localdate().year
    year = _int(request.GET.get("year"), this - 1)
    if not 1990 <= year <= this + 1:
        year = this - 1
    award = request.GET.get("award", "")
    award = award if award in AWARD_CODES else ""
    verdict = request.GET.get("verdict", "")
    verdict = verdict if verdict in VerdictChoice.values else ""
    q = request.GET.get("q", "").strip()[:100]
    return selectors.CandidateFilters(unit=unit, year=year, award=award, verdict=verdict, q=q), units


def _view_scope(request):
    scope = scope_for(request.user, "rulebook.view_eligibility")
    if not scope.units_only:  # a staff member sees only their own tab, never a unit's list
        raise PermissionDenied
    return scope


@require_GET
@permission_required("rulebook.view_eligibility")
def candidates(request):
    scope = _view_scope(request)
    f, units = _candidate_filters(request, scope)
    results = selectors.candidate_results(scope, f)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    run = selectors.latest_run(f.unit, f.year)
    covering = selectors.covering_run(f.unit, f.year)
    stale = covering is not None and services.facts_changed_since(covering)
    query = {
        k: v
        for k, v in {
            "unit": f.unit.pk,
            "year": f.year,
            "award": f.award,
            "verdict": f.verdict,
            "q": f.q,
        }.items()
        if v
    }
    ctx = {
        "f": f,
        "units": units,
        "page": page,
        "run": run,
        "covering": covering,
        "stale": stale,
        "can_run": request.user.has_perm("rulebook.run_eligibility", f.unit),
        "years": selectors.year_choices(f.year),
        "awards": [(c, AWARD_VI[c]) for c in AWARD_CODES],
        "verdicts": VerdictChoice.choices,
        "query": urlencode(query),
        "breadcrumbs": [(_("Ứng viên năm %(year)s") % {"year": f.year}, None)],
        "job_url": _try_reverse("core:job_detail", run.job_id) if run and run.job_id else None,
    }
    template = (
        "rulebook/candidates.html#results"
        if _htmx_target(request) == "results"
        else "rulebook/candidates.html"
    )
    return render(request, template, ctx)


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
    try:
        services.run_request(actor=request.user, unit_id=unit.pk, year=year)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã bắt đầu xét tiêu chuẩn; kết quả hiện ra khi tác vụ hoàn tất."))
    return redirect(f"{reverse('rulebook:candidates')}?{urlencode({'unit': unit.pk, 'year': year})}")


@require_GET
@permission_required("rulebook.view_eligibility")
def run_status(request, pk: int):
    """The progress partial polled by htmx while a run is going; tells the page to reload when done."""
    scope = _view_scope(request)
    run = get_object_or_404(EligibilityRun.objects.select_related("unit", "job"), pk=pk)
    if not scope.covers(run.unit):
        raise PermissionDenied
    response = render(request, "rulebook/candidates.html#run_status", {"run": run})
    if run.status in (RunStatus.DONE, RunStatus.FAILED) and request.GET.get("poll"):
        response["HX-Refresh"] = "true"
    return response


@require_GET
@permission_required("rulebook.view_eligibility")
def candidates_export(request):
    scope = _view_scope(request)
    f, _units = _candidate_filters(request, scope)
    labels = dict(VerdictChoice.choices)
    columns = [
        Column(_("Mã"), 12),
        Column(_("Họ và tên / Tập thể"), 30),
        Column(_("Đơn vị"), 30),
        Column(_("Danh hiệu, hình thức"), 36),
        Column(_("Kết quả"), 18),
        Column(_("Tiêu chí chưa đạt / dữ kiện thiếu"), 80),
        Column(_("Năm dự kiến đạt"), 10, "int"),
    ]

    def rows():
        for r in selectors.candidate_results(scope, f).iterator(chunk_size=2000):
            subject = r.person or r.collective
            yield [
                subject.code,
                str(subject),
                r.unit.name,
                AWARD_VI.get(r.award_code, r.award_code),
                str(labels.get(r.verdict, r.verdict)),
                r.failing,
                r.forecast_year,
            ]

    return xlsx_response(
        f"ung-vien-{f.year}-{f.unit.code}.xlsx", columns=columns, rows=rows(), sheet=_("Ứng viên")
    )


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
    day = timezone.localdate() if regime.covers(timezone.localdate()) else regime.effective_from
    values = regime.settings_at(day, services.agency_overrides())
    routes = [
        {
            "id": r.id,
            "name": r.name,
            "subject": r.subject,
            "cite": r.cite,
            "criteria": [
                {
                    "text": selectors.describe_criterion(c.kind, c.params, values),
                    "cite": c.cite,
                    "note": c.note,
                    "id": c.id,
                }
                for c in r.criteria
            ],
        }
        for r in page["def"].routes
    ]
    ctx = {
        "regime": regime,
        "regimes": selectors.load_rulebooks().regimes,
        "page": page,
        "a": page["def"],
        "routes": routes,
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
        rows.append({"def": d, "stored": s, "value": s.value if s is not None else d.default})
    return render(
        request,
        "rulebook/settings.html",
        {
            "rows": rows,
            "ratings": list(selectors._RATING.items()),
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
    raw = request.POST.getlist("value") if d.type == "codes" else request.POST.get("value")
    try:
        services.setting_change(actor=request.user, key=key, raw=raw)
    except ServiceError as exc:
        messages.error(request, _("%(key)s: %(msg)s") % {"key": key, "msg": exc.message})
    else:
        messages.success(request, _("Đã lưu cài đặt %(key)s.") % {"key": key})
    return redirect(f"{reverse('rulebook:settings')}#s-{key}")


@require_POST
@permission_required("rulebook.change_settings")
def setting_reset(request, key: str):
    if key not in services.setting_definitions():
        raise Http404
    services.setting_reset(actor=request.user, key=key)
    messages.success(request, _("Đã khôi phục giá trị mặc định theo quy định cho %(key)s.") % {"key": key})
    return redirect(f"{reverse('rulebook:settings')}#s-{key}")
