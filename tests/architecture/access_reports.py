"""Access table of the statistics and the report forms (issue 10): the statistics are read by those who
read the register of their units (specialist, officer, unit head, leader, inspector), each chart exported
with the one export right; the Ministry's report forms are prepared by the specialist and the officer.
Figures are those of the user's subtree; a unit outside it is an invalid filter (no figures; an export
or a form file: 400).

The world's register: one Lao động tiên tiến per person, all in the same year — 5 in the ministry,
3 in department A's subtree, 1 in department B. A list's "rows" are its totals.

Recomputing the summary (a background job) is asked by those who prepare the report forms.

Targets: - no unit chosen (the scope's own); b — department B chosen in the filter; a — department A.
"""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from tests.architecture.matrix import Endpoint, Request, World

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
reports:statistics               GET    -       all A   A   A   403 A   403 A   403 403 403 log
reports:statistics               GET    b       B   nil nil nil 403 nil 403 nil 403 403 403 log
reports:statistics_refresh       POST   -       302 302 302 403 403 403 403 403 403 403 403 log
reports:statistics_export        GET    -       all A   A   A   403 A   403 A   403 403 403 log
reports:statistics_export        GET    b       B   400 400 400 403 400 403 400 403 403 403 log
reports:forms                    GET    -       all A   A   403 403 403 403 403 403 403 403 log
reports:forms                    GET    b       B   nil nil 403 403 403 403 403 403 403 403 log
reports:form_download            GET    a       200 200 200 403 403 403 403 403 403 403 403 log
reports:form_download            GET    b       200 400 400 403 403 403 403 403 403 403 403 log
"""
# fmt: on

TOTALS = {"all": {"total=5"}, "A": {"total=3"}, "B": {"total=1"}, "nil": set()}


def build(world: World) -> None:
    from tdkt.reports.services import tally_refresh

    tally_refresh()  # the shared world's award records are the register; the pages read its summary


def state() -> tuple:
    from tdkt.core.models import Job

    return (Job.objects.filter(kind="reports.tally").count(),)


def _year() -> int:
    from tests.architecture.test_access_matrix import LAST_YEAR

    return LAST_YEAR - 1  # the year of the world's award records


def _unit(w: World, t: str) -> str:
    return f"&unit={w.units[t].pk}" if t in ("a", "b") else ""


def _statistics_total(response) -> set[str]:
    stats = response.context["stats"]
    return {f"total={stats.total}"} if stats else set()


def _export_total(response) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {f"total={sum(r[1] or 0 for r in book.active.iter_rows(min_row=2, values_only=True))}"}


def _form_total(response) -> set[str]:
    filled = response.context["filled"]
    return {f"total={filled.cells[1][0]}"} if filled else set()  # row 01, column "Tổng số"


def _stats_url(name: str, w: World, t: str, *args) -> str:
    y = _year()
    return reverse(name, args=args) + f"?year_from={y}&year_to={y}" + _unit(w, t)


def _form_url(name: str, w: World, t: str) -> str:
    return reverse(name) + f"?form=tong_hop_nam&year={_year()}&period=year" + _unit(w, t)


ENDPOINTS = {
    "reports:statistics": Endpoint(
        lambda w, t: Request(
            _stats_url("reports:statistics", w, t), marker=w.units["b"].name if t == "b" else None
        ),
        rows=_statistics_total,
        expected_rows=TOTALS,
    ),
    "reports:statistics_export": Endpoint(
        lambda w, t: Request(_stats_url("reports:statistics_export", w, t, "year")),
        rows=_export_total,
        expected_rows=TOTALS,
    ),
    "reports:statistics_refresh": Endpoint(
        lambda w, t: Request(
            reverse("reports:statistics_refresh"),
            data={"year_from": str(_year()), "year_to": str(_year())},
            redirect="/jobs/",
        ),
        changes=True,
    ),
    "reports:forms": Endpoint(
        lambda w, t: Request(
            _form_url("reports:forms", w, t), marker=w.units["b"].name if t == "b" else None
        ),
        rows=_form_total,
        expected_rows=TOTALS,
    ),
    "reports:form_download": Endpoint(lambda w, t: Request(_form_url("reports:form_download", w, t))),
}
