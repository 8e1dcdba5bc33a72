"""The statistics page with its charts and tables, each chart's Excel export, and the report forms."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tdkt.accounts.scope import scope_for
from tdkt.core import charts
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.excel import XLSX_MIME, Column
from tdkt.core.exports import (
    EXPORT_ACTION,
    Export,
    can_export,
    export_request,
    export_response,
    export_view,
    exporter,
    query_params,
)
from tdkt.core.filters import invalid_filter_notice, invalid_filter_response
from tdkt.org.models import Unit
from tdkt.reports import documents, layouts, selectors, services
from tdkt.reports.forms import ReportFormFilter, StatisticsFilterForm

VIEW = "reports.view"
FORMS = "reports.export_forms"
CHARTS = ("year", "level", "award", "unit", "shares", "registration", "steps")
# the article the shares are read against (docs/law.md, "Biểu mẫu báo cáo thống kê" and §2)
PRIORITY_CITE = gettext_lazy(
    "Luật Thi đua, khen thưởng số 06/2022/QH15, Chương I, nguyên tắc khen thưởng (Điều 5 — số điều, "
    "điểm chưa đối chiếu với văn bản): chú trọng khen thưởng cá nhân, tập thể trực tiếp lao động, sản xuất, "
    "kinh doanh; bảo đảm bình đẳng giới trong thi đua, khen thưởng"
)


def _units(scope):
    return scope.filter_units(Unit.objects.all()).only("id", "name", "path", "depth").order_by("path")


def _query(f) -> str:
    if f is None:
        return ""
    data = {"year_from": f.year_from, "year_to": f.year_to}
    if f.unit:
        data["unit"] = f.unit.pk
    if f.level:
        data["level"] = f.level
    if f.subject:
        data["subject"] = f.subject
    return urlencode(data)


def _share_chart(stats) -> charts.Chart:
    rows = [*stats.shares, stats.staff]
    return charts.bar_chart(
        "shares",
        _("Tỷ lệ nữ, người dân tộc thiểu số, người lao động trực tiếp, lãnh đạo trong số cá nhân được khen"),
        _(
            "Tỷ lệ phần trăm trên số lượt cá nhân được khen thưởng của từng cấp, so với tỷ lệ trong cán bộ "
            "đang công tác (dòng cuối)."
        ),
        [r.label for r in rows],
        [
            (_("Nữ"), [r.women_pct for r in rows]),
            (_("Dân tộc thiểu số"), [r.minorities_pct for r in rows]),
            (_("Lao động trực tiếp"), [r.direct_pct for r in rows]),
            (_("Lãnh đạo, quản lý"), [r.leaders_pct for r in rows]),
        ],
        suffix=" %",
        maximum=100,
    )


def _registration_chart(series) -> charts.Chart:
    return charts.bar_chart(
        "registration",
        series.title,
        series.description,
        [r["label"] for r in series.rows],
        [
            (_("Số đăng ký"), [r["value"] for r in series.rows]),
            (_("Số đạt"), [r["achieved"] for r in series.rows]),
        ],
    )


def _steps_chart(steps) -> charts.Chart:
    return charts.bar_chart(
        "steps",
        _("Thời gian xử lý hồ sơ so với thời hạn"),
        _(
            "Số ngày làm việc trung bình của các lượt xử lý đã xong ở từng bước, so với thời hạn của bước "
            "theo quy định (thời hạn lớn nhất nếu các hồ sơ có thời hạn khác nhau)."
        ),
        [s.label for s in steps],
        [
            (_("Số ngày trung bình"), [s.avg_days for s in steps]),
            (_("Thời hạn (ngày làm việc)"), [max(s.limits) if s.limits else 0 for s in steps]),
        ],
    )


@permission_required(VIEW)
def statistics(request):
    scope = scope_for(request.user, VIEW)
    form = StatisticsFilterForm(request.GET, units=_units(scope))
    f = form.filters()
    stats = selectors.statistics(scope, f) if f else None
    computed = services.computed_at(range(f.year_from, f.year_to + 1)) if f else None
    drawn = []
    if stats:
        drawn = [(charts.series_chart(s), s) for s in stats.charts]
    ctx = {
        "form": form,
        "f": f,
        "filter_error": invalid_filter_notice(form),
        "stats": stats,
        "drawn": drawn,
        "share_chart": _share_chart(stats) if stats else None,
        "registration_chart": _registration_chart(stats.registrations) if stats else None,
        "steps_chart": _steps_chart(stats.steps) if stats and stats.steps else None,
        "query": _query(f),
        "can_export": can_export(request.user),
        "priority_cite": PRIORITY_CITE,
        "can_forms": request.user.has_perm(FORMS),
        "computed_at": computed,
        "can_refresh": request.user.has_perm(FORMS),
        "breadcrumbs": [(_("Thống kê"), None)],
    }
    return render(request, "reports/statistics.html", ctx)


@require_POST
@permission_required(FORMS)
def statistics_refresh(request):
    """Recompute the summary of the page's years in the background; the user follows the Job."""
    form = StatisticsFilterForm(request.POST, units=_units(scope_for(request.user, VIEW)))
    f = form.filters()
    if f is None:
        return invalid_filter_response(request, form, back_url=reverse("reports:statistics"))
    job = services.tally_refresh_request(actor=request.user, years=range(f.year_from, f.year_to + 1))
    return redirect("core:job_detail", job_id=job.pk)


def _export_rows(key: str, stats) -> tuple[str, list[Column], list[list]]:
    pct = lambda v: number_format(v, decimal_pos=1)  # noqa: E731
    if key in ("year", "level", "award", "unit"):
        series = next(s for s in stats.charts if s.key == key)
        cols = [Column(series.label_header, 40), Column(_("Số lượt còn hiệu lực"), 18, "int"),
                Column(_("Số lượt đã huỷ bỏ"), 18, "int")]  # fmt: skip
        return series.title, cols, [[r["label"], r["value"], r.get("revoked", 0)] for r in series.rows]
    if key == "shares":
        cols = [Column(_("Cấp khen thưởng"), 60), Column(_("Số lượt cá nhân"), 14, "int")]
        for name in (_("Nữ"), _("Dân tộc thiểu số"), _("Lao động trực tiếp"), _("Lãnh đạo, quản lý")):
            cols += [Column(name, 12, "int"), Column(_("%(n)s (%%)") % {"n": name}, 12)]
        rows = [
            [r.label, r.total, r.women, pct(r.women_pct), r.minorities, pct(r.minorities_pct), r.direct,
             pct(r.direct_pct), r.leaders, pct(r.leaders_pct)]
            for r in [*stats.shares, stats.staff]
        ]  # fmt: skip
        return _("Tỷ lệ trong số cá nhân được khen"), cols, rows
    if key == "registration":
        series = stats.registrations
        cols = [
            Column(series.label_header, 40),
            Column(_("Số đăng ký"), 14, "int"),
            Column(_("Số đạt"), 14, "int"),
            Column(_("Tỷ lệ đạt (%)"), 14),
        ]
        return (
            series.title,
            cols,
            [[r["label"], r["value"], r["achieved"], pct(r["pct"])] for r in series.rows],
        )
    cols = [
        Column(_("Bước"), 40),
        Column(_("Số lượt đã xong"), 14, "int"),
        Column(_("Số ngày trung bình"), 14),
        Column(_("Số ngày nhiều nhất"), 14, "int"),
        Column(_("Thời hạn (ngày làm việc)"), 14),
        Column(_("Đúng hạn"), 12, "int"),
        Column(_("Quá hạn"), 12, "int"),
        Column(_("Đang xử lý"), 12, "int"),
        Column(_("Đang quá hạn"), 12, "int"),
    ]
    rows = [
        [s.label, s.done, pct(s.avg_days), s.max_days, s.limit_text, s.on_time, s.late, s.open, s.open_late]
        for s in stats.steps
    ]
    return _("Thời gian xử lý hồ sơ"), cols, rows


@exporter("reports.statistics")
def statistics_export_rows(*, user, params: dict) -> Export:
    """One chart's numbers (`params["chart"]`) as an export (core.exports): the page's filters validated by
    its form; the figures are those of the page's scope and of the export right's scope together."""
    if not user.has_perm(VIEW):
        raise PermissionDenied
    chart = params.get("chart")
    if chart not in CHARTS:
        raise ServiceError(_("Không có biểu đồ này."))
    view_scope = scope_for(user, VIEW)
    form = StatisticsFilterForm(export_request(user, params).GET, units=_units(view_scope))
    f = form.filters()
    if f is None:
        raise ServiceError(invalid_filter_notice(form))
    stats = selectors.statistics(selectors.Scopes(view_scope, scope_for(user, EXPORT_ACTION)), f)
    title, columns, rows = _export_rows(chart, stats)
    filename = f"thong-ke-{chart}-{f.year_from}-{f.year_to}.xlsx"
    return Export(filename, title[:31], columns, rows, len(rows))


@export_view
@permission_required(VIEW)
def statistics_export(request, chart: str):
    """A chart's table as a workbook; a filter that does not validate exports nothing (400). The sheets
    are a few dozen rows: `export_response` writes them at once."""
    if chart not in CHARTS:
        raise Http404
    form = StatisticsFilterForm(request.GET, units=_units(scope_for(request.user, VIEW)))
    back = reverse("reports:statistics") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if form.filters() is None:
        return invalid_filter_response(request, form, back_url=back)
    params = {**query_params(request.GET), "chart": chart}
    return export_response(request, kind="reports.statistics", params=params, back_url=back)


# ------------------------------------------------------------------------------------------ report forms


def _report_form(request, scope) -> ReportFormFilter:
    units = _units(scope)
    data = request.GET.copy()
    if "unit" not in data:
        first = units.first()
        if first is not None:
            data["unit"] = str(first.pk)
    if "form" not in data:
        data["form"] = next(iter(layouts.catalogue().forms))
    return ReportFormFilter(data, units=units, forms_offered=layouts.form_choices())


def _filled(form, scope):
    if not form.is_valid():
        return None
    d = form.cleaned_data
    layout = layouts.catalogue().forms[d["form"]]
    return layouts.fill(layout, scope, d["unit"], layouts.Period(d["year"], d["period"] == "h1"))


@permission_required(FORMS)
def report_forms(request):
    scope = scope_for(request.user, FORMS)
    form = _report_form(request, scope)
    filled = _filled(form, scope)
    cat = layouts.catalogue()
    rows = []
    if filled:
        for i, row in enumerate(filled.layout.rows):
            rows.append({"row": row, "values": filled.cells.get(i)})
    ctx = {
        "form": form,
        "filter_error": invalid_filter_notice(form),
        "filled": filled,
        "rows": rows,
        "catalogue": cat,
        "unread": layouts.unread_forms(),
        "query": urlencode({k: form.data.get(k, "") for k in ("form", "year", "period", "unit")}),
        "breadcrumbs": [(_("Biểu mẫu báo cáo thống kê"), None)],
    }
    return render(request, "reports/forms.html", ctx)


@permission_required(FORMS)
def report_form_download(request):
    scope = scope_for(request.user, FORMS)
    form = _report_form(request, scope)
    filled = _filled(form, scope)
    if filled is None:
        back = reverse("reports:forms") + (f"?{request.GET.urlencode()}" if request.GET else "")
        return invalid_filter_response(request, form, back_url=back)
    content = documents.form_workbook(filled)
    name = slugify(f"bieu-{filled.layout.key}-{filled.period.year}-{filled.unit.pk}") + ".xlsx"
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
