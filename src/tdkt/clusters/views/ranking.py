"""The ranking of a cluster's year (standings, tie-break rules, the regulation's numbers, the head's
proposals and the conference's preparation) and the published results of a cluster and of a whole bloc,
with their charts, tables and Excel export."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tdkt.clusters import selectors, services
from tdkt.clusters.enums import ProposalAward, YearStatus
from tdkt.clusters.forms_year import CLUSTER_AWARDS, ConferenceForm, ProposeForm, errors_text
from tdkt.clusters.models import Bloc, ClusterYear, Standing
from tdkt.clusters.scoring import fmt
from tdkt.clusters.views.year import RANKED, bloc_crumbs, breadcrumbs, get_year, require_lead
from tdkt.core import charts
from tdkt.core.access import permission_required
from tdkt.core.errors import ServiceError
from tdkt.core.excel import Column, xlsx_response
from tdkt.rulebook import services as rulebook

HISTORY_YEARS = 4  # the chart's series are told apart by four fill patterns


def _tie_break_words(rules: list[str]) -> str:
    """The tie-break rules in words ("… xếp trên là đơn vị nhiều điểm thưởng hơn; rồi …")."""
    words = {
        "bonus": _("nhiều điểm thưởng hơn"),
        "deduction": _("ít điểm trừ hơn"),
        "self": _("tự chấm sát kết quả thẩm định hơn"),
    }
    chosen = [words[r] for r in rules if r in words]
    if not chosen:
        return ""
    return _("Khi bằng tổng điểm, xếp trên là đơn vị %(rules)s.") % {"rules": _("; rồi ").join(chosen)}


def _standings(cy: ClusterYear) -> list[Standing]:
    return list(
        Standing.objects.filter(cluster_year=cy).select_related("unit").order_by("rank", "unit__path")
    )


def _standing_rows(standings: list[Standing]) -> list[dict]:
    return [
        {
            "s": s,
            "total": fmt(s.total),
            "bonus": fmt(s.bonus),
            "deduction": fmt(s.deduction),
            "award": ProposalAward(s.proposed_award).label if s.proposed_award else "",
            "votes": f"{s.votes_agree}/{s.votes_base}" if s.votes_base else "",
        }
        for s in standings
    ]


def _setting(key: str, year: int) -> dict:
    return {"value": rulebook.setting_value(key, year), "cite": rulebook.setting_citation(key, year)}


@require_GET
@permission_required("clusters.view", object_getter=get_year)
def ranking(request, pk: int):
    cy = request.tdkt_object
    can_lead = request.user.has_perm("clusters.lead", cy)
    if cy.status not in RANKED and not can_lead:
        raise PermissionDenied
    open_for_change = can_lead and cy.status == YearStatus.RANKED and not cy.meeting_id
    ctx = {
        "cy": cy,
        "ranked": cy.status in RANKED,
        "rows": _standing_rows(_standings(cy)),
        "tie_break": _tie_break_words(cy.tie_break or []),
        "flags": _setting("bloc.flag_per_cluster", cy.year),
        "certificates": _setting("bloc.bang_khen_per_cluster", cy.year),
        "can_change": open_for_change,
        "propose_choices": [("", _("Không đề nghị")), *CLUSTER_AWARDS],
        "conference_form": ConferenceForm() if open_for_change else None,
        "meeting_url": reverse("councils:meeting_detail", args=[cy.meeting_id]) if cy.meeting_id else None,
        "breadcrumbs": breadcrumbs(cy, (_("Xếp hạng"), None)),
    }
    return render(request, "clusters/ranking.html", ctx)


def _by_standing(request, pk: int, **_kwargs) -> Standing:
    return get_object_or_404(
        Standing.objects.select_related("unit", "cluster_year__cluster__bloc__owner_unit"), pk=pk
    )


@require_POST
@permission_required("clusters.view", object_getter=_by_standing)
def standing_propose(request, pk: int):
    row = request.tdkt_object
    require_lead(request, row.cluster_year)
    form = ProposeForm(request.POST)
    back = redirect(reverse("clusters:ranking", args=[row.cluster_year_id]) + "#standings")
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return back
    try:
        services.standing_propose(actor=request.user, standing_id=row.pk, award=form.cleaned_data["award"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đổi đề nghị của %(unit)s.") % {"unit": row.unit})
    return back


@require_POST
@permission_required("clusters.view", object_getter=get_year)
def conference_prepare(request, pk: int):
    cy = request.tdkt_object
    require_lead(request, cy)
    form = ConferenceForm(request.POST)
    back = redirect(reverse("clusters:ranking", args=[cy.pk]) + "#conference")
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return back
    try:
        meeting = services.conference_prepare(
            actor=request.user,
            cluster_year_id=cy.pk,
            starts_at=form.starts_at(),
            place=form.cleaned_data["place"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return back
    messages.success(
        request, _("Đã chuẩn bị Hội nghị: điểm danh, bỏ phiếu và kiểm phiếu tại trang phiên họp.")
    )
    target = reverse("councils:meeting_detail", args=[meeting.pk])
    return redirect(target) if target else back


# ---------------------------------------------------------------------------------------------- results


def _results_visible(user, cy: ClusterYear) -> bool:
    return cy.status == YearStatus.PUBLISHED or user.has_perm("clusters.lead", cy)


def _group_charts(cy: ClusterYear) -> list[dict]:
    groups, rows, averages = selectors.group_figures(cy)
    out = []
    for g in groups:
        chart = charts.bar_chart(
            f"g{g.pk}",
            _("Nhóm %(code)s. %(name)s") % {"code": g.code, "name": g.name},
            _("Điểm của từng thành viên ở nhóm tiêu chí, so với điểm trung bình của cụm."),
            [str(u) for u, _v in rows],
            [
                (_("Điểm của đơn vị"), [float(v[g.code]) for _u, v in rows]),
                (_("Trung bình cụm"), [float(averages[g.code])] * len(rows)),
            ],
        )
        table = [{"unit": u, "points": fmt(v[g.code]), "average": fmt(averages[g.code])} for u, v in rows]
        out.append({"group": g, "chart": chart, "table": table})
    return out


def _history_chart(cy: ClusterYear, units: list) -> dict:
    history = selectors.unit_history(cy)
    years = sorted({y for rows in history.values() for y, _t, _r in rows})[-HISTORY_YEARS:]
    by_unit = {uid: {y: (t, r) for y, t, r in rows} for uid, rows in history.items()}
    chart = charts.bar_chart(
        "history",
        _("Tổng điểm qua các năm"),
        _("Tổng điểm của từng thành viên trong các năm gần đây (thứ hạng trong cụm ở bảng dưới)."),
        [str(u) for u in units],
        [(str(y), [float(by_unit.get(u.pk, {}).get(y, (Decimal(0), 0))[0]) for u in units]) for y in years],
    )
    table = [
        {
            "unit": u,
            "cells": [
                (fmt(by_unit[u.pk][y][0]), by_unit[u.pk][y][1]) if y in by_unit.get(u.pk, {}) else ("", "")
                for y in years
            ],
        }
        for u in units
    ]
    return {"chart": chart, "years": years, "table": table}


COLUMNS = [
    Column(gettext_lazy("Hạng"), 8, "int"),
    Column(gettext_lazy("Đơn vị"), 48),
    Column(gettext_lazy("Tổng điểm"), 12),
    Column(gettext_lazy("Điểm thưởng"), 12),
    Column(gettext_lazy("Điểm trừ"), 12),
    Column(gettext_lazy("Bằng điểm"), 10, "bool"),
    Column(gettext_lazy("Đề nghị"), 28),
    Column(gettext_lazy("Biểu quyết đồng ý"), 14),
    Column(gettext_lazy("Thông qua"), 10, "bool"),
]


def _xlsx_row(r: dict, *, cluster: str | None = None) -> list:
    s = r["s"]
    row = [
        s.rank,
        str(s.unit),
        r["total"],
        r["bonus"],
        r["deduction"],
        s.tied,
        r["award"],
        r["votes"],
        s.passed,
    ]
    return [cluster, *row] if cluster is not None else row


@require_GET
@permission_required("clusters.view", object_getter=get_year)
def results(request, pk: int):
    cy = request.tdkt_object
    if not _results_visible(request.user, cy):
        raise PermissionDenied
    rows = _standing_rows(_standings(cy))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"ket-qua-{cy.cluster.code}-{cy.year}.xlsx",
            columns=COLUMNS,
            rows=[_xlsx_row(r) for r in rows],
            sheet=str(cy.year),
        )
    units = [r["s"].unit for r in rows]
    ctx = {
        "cy": cy,
        "rows": rows,
        "published": cy.status == YearStatus.PUBLISHED,
        "group_charts": _group_charts(cy),
        "history": _history_chart(cy, units),
        "breadcrumbs": breadcrumbs(cy, (_("Kết quả"), None)),
    }
    return render(request, "clusters/results.html", ctx)


@require_GET
@permission_required("clusters.view")
def bloc_results(request, bloc_pk: int, year: int):
    bloc = Bloc.objects.filter(pk=bloc_pk).first()
    if bloc is None:
        raise Http404
    years = [
        cy
        for cy in selectors.years_for(request.user, bloc=bloc).filter(year=year).order_by("cluster__order")
        if _results_visible(request.user, cy)
    ]
    if not years:
        raise Http404
    standings: dict[int, list[Standing]] = {cy.pk: [] for cy in years}
    for s in (
        Standing.objects.filter(cluster_year__in=years).select_related("unit").order_by("rank", "unit__path")
    ):
        standings[s.cluster_year_id].append(s)
    clusters = [{"cy": cy, "rows": _standing_rows(standings[cy.pk])} for cy in years]
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"ket-qua-{bloc.code}-{year}.xlsx",
            columns=[Column(_("Cụm"), 28), *COLUMNS],
            rows=[_xlsx_row(r, cluster=c["cy"].cluster.name) for c in clusters for r in c["rows"]],
            sheet=str(year),
        )
    chart = charts.bar_chart(
        "bloc",
        _("Tổng điểm các thành viên của khối năm %(year)s") % {"year": year},
        _("Tổng điểm sau thẩm định của từng thành viên, theo cụm và thứ hạng trong cụm."),
        [f"{c['cy'].cluster.name}: {r['s'].unit}" for c in clusters for r in c["rows"]],
        [(_("Tổng điểm"), [float(r["s"].total) for c in clusters for r in c["rows"]])],
    )
    # the bloc's candidates for the Government's flag, among the clusters the user may see the results of
    visible = {cy.pk for cy in years}
    gov, gov_number = selectors.gov_flag_candidates(bloc.pk, year)
    ctx = {
        "bloc": bloc,
        "year": year,
        "clusters": clusters,
        "chart": chart,
        "gov": [s for s in gov if s.cluster_year_id in visible],
        "gov_number": gov_number,
        "gov_cite": rulebook.setting_citation("bloc.gov_flag_per_bloc", year),
        "breadcrumbs": [*bloc_crumbs(bloc, year), (_("Kết quả năm %(year)s") % {"year": year}, None)],
    }
    return render(request, "clusters/results_bloc.html", ctx)


urlpatterns = [
    path("nam/<int:pk>/xep-hang/", ranking, name="ranking"),
    path("xep-hang/<int:pk>/de-nghi/", standing_propose, name="standing_propose"),
    path("nam/<int:pk>/hoi-nghi/", conference_prepare, name="conference_prepare"),
    path("nam/<int:pk>/ket-qua/", results, name="results"),
    path("khoi/<int:bloc_pk>/ket-qua/<int:year>/", bloc_results, name="bloc_results"),
]
