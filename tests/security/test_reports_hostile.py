"""Hostile input on the statistics page, its exports and the report forms: junk years (look-alike digits,
NUL bytes, signs, five digits), reversed and huge ranges, units of other departments or that do not
exist, choices not offered, chart names that are paths. Each is an error beside its field and no figures
(an export: 400 and no file) — never a 500, never the figures of something else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.reports.register import YEAR, build

JUNK_YEARS = ["２０２３", "20x3", "-2023", "+2023", "20233", "0000", "1800", "2023\x00", "", "٢٠٢٣", "2e03"]


@pytest.fixture
def reg(db):
    return build()


@pytest.fixture
def head_a(reg, client):
    user = make_user("head_a", "unit_head", reg.units["a"])
    client.force_login(user)
    return user


@pytest.mark.parametrize("year", JUNK_YEARS)
def test_junk_year_is_an_error_and_no_figures(client, head_a, year):
    response = client.get(reverse("reports:statistics"), {"year_from": year, "year_to": YEAR})
    assert response.status_code == 200
    assert response.context["stats"] is None
    assert response.context["form"].errors["year_from"]
    assert "Bộ lọc không hợp lệ" in response.content.decode()


@pytest.mark.parametrize(
    ("year_from", "year_to", "message"),
    [
        (YEAR, YEAR - 3, "“Đến năm” phải không trước “Từ năm”."),
        (1945, 2100, "Mỗi lần xem tối đa 30 năm."),
        (1990, 2020, "Mỗi lần xem tối đa 30 năm."),
    ],
)
def test_reversed_or_huge_ranges_are_refused(client, head_a, year_from, year_to, message):
    response = client.get(reverse("reports:statistics"), {"year_from": year_from, "year_to": year_to})
    assert response.context["stats"] is None
    assert message in response.content.decode()


def test_thirty_years_are_accepted(client, head_a):
    response = client.get(reverse("reports:statistics"), {"year_from": YEAR - 29, "year_to": YEAR})
    assert response.context["stats"] is not None
    assert len(next(s for s in response.context["stats"].charts if s.key == "year").rows) == 30


@pytest.mark.parametrize("unit", ["b", "root", "999999", "abc", "1\x00", "-1", "１"])
def test_a_unit_outside_the_scope_reads_like_one_that_does_not_exist(client, reg, head_a, unit):
    value = str(reg.units[unit].pk) if unit in reg.units else unit
    response = client.get(reverse("reports:statistics"), {"unit": value})
    body = response.content.decode()
    assert response.status_code == 200 and response.context["stats"] is None
    assert "Không có đơn vị này trong phạm vi bạn được xem." in body
    assert "Vụ Bình Minh" not in body
    export = client.get(reverse("reports:statistics_export", args=["year"]), {"unit": value})
    assert export.status_code == 400 and not export.streaming


@pytest.mark.parametrize(
    ("field", "value"), [("level", "emperor"), ("level", "state\x00"), ("subject", "household")]
)
def test_choices_not_offered_are_errors(client, head_a, field, value):
    response = client.get(reverse("reports:statistics"), {field: value})
    assert response.context["stats"] is None
    assert "Giá trị này không có trong danh sách" in response.content.decode()


@pytest.mark.parametrize("chart", ["..", "year.xlsx", "x" * 200, "%2e%2e"])
def test_unknown_chart_names_are_404(client, head_a, chart):
    try:
        url = reverse("reports:statistics_export", args=[chart])
    except Exception:  # not even a slug: the router never reaches the view
        return
    assert client.get(url).status_code == 404


def test_export_of_an_invalid_filter_is_400_without_a_file(client, head_a):
    response = client.get(reverse("reports:statistics_export", args=["unit"]), {"year_from": "１９９９"})
    assert response.status_code == 400
    assert "Bộ lọc không hợp lệ" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"form": "../../etc/passwd"},
        {"form": "0603\x00"},
        {"year": "２０２３"},
        {"year": "99999"},
        {"period": "q3"},
        {"unit": "abc"},
        {"unit": "b"},
        {"unit": "root"},
    ],
)
def test_report_form_download_refuses_junk(client, reg, params):
    officer = make_user("officer_a", "officer", reg.units["a"])
    client.force_login(officer)
    data = {"form": "0603", "year": YEAR, "period": "year", "unit": reg.units["a"].pk, **params}
    if data["unit"] in reg.units:
        data["unit"] = reg.units[data["unit"]].pk
    response = client.get(reverse("reports:form_download"), data)
    assert response.status_code == 400
    assert "Bộ lọc không hợp lệ" in response.content.decode()
    page = client.get(reverse("reports:forms"), data)
    assert page.status_code == 200 and page.context["filled"] is None
    assert "Vụ Bình Minh" not in page.content.decode()


@pytest.mark.parametrize("year", [*JUNK_YEARS, "1900"])
def test_junk_years_recompute_nothing(client, reg, year):
    """Asking the summary's recomputation with junk or a range past the page's limit: 400, no Job, the
    summary untouched."""
    from tdkt.core.models import Job
    from tdkt.reports.models import TallyYear

    client.force_login(make_user("officer", "officer", reg.units["root"]))
    before = sorted(TallyYear.objects.values_list("year", "computed_at"))
    response = client.post(reverse("reports:statistics_refresh"), {"year_from": year, "year_to": YEAR})
    assert response.status_code == 400
    assert not Job.objects.filter(kind="reports.tally").exists()
    assert sorted(TallyYear.objects.values_list("year", "computed_at")) == before
