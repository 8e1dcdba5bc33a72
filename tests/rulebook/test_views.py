"""Rulebook screens: eligibility tabs, candidates of a year, the rulebook browser, scoped by role."""

from __future__ import annotations

import datetime
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from tdkt.core.errors import ServiceError
from tdkt.rulebook.models import EligibilityResult, EligibilityRun
from tdkt.rulebook.services import run_in_process
from tests.factories import make_user, person
from tests.rulebook.test_adapters import award, collective, rate


@pytest.fixture
def rated(tree, people):
    rate(people["an"], 2024, "htt")
    rate(people["binh"], 2024, "kht")
    rate(people["cuong"], 2024, "htxs")
    award(people["an"], "ldtt", 2024)
    return people


def _login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------- person tab


def test_person_tab_shows_every_code_with_reasons_and_articles(client, rated, officer_a):
    response = _login(client, officer_a).get(reverse("rulebook:person_eligibility", args=[rated["binh"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lao động tiên tiến" in html and "Huân chương Lao động hạng Ba" in html
    assert "Chưa đủ tiêu chuẩn" in html
    assert "không hoàn thành nhiệm vụ" in html
    assert "Luật Thi đua, khen thưởng 2022, Điều 24" in html
    assert "sớm nhất năm 2025" in html  # forecast of LĐTT
    assert "Năm thành tích" in html


def test_person_tab_year_defaults_to_last_evaluated_year_and_can_be_chosen(client, rated, officer_a):
    rate(rated["an"], 2021, "htt")
    url = reverse("rulebook:person_eligibility", args=[rated["an"].pk])
    assert 'value="2024" selected' in _login(client, officer_a).get(url).content.decode()
    html = client.get(url, {"year": 2021}).content.decode()
    assert 'value="2021" selected' in html


def test_officer_of_unit_a_cannot_open_a_person_of_unit_b(client, rated, officer_a):
    url = reverse("rulebook:person_eligibility", args=[rated["cuong"].pk])
    assert _login(client, officer_a).get(url).status_code == 404  # as if the person did not exist


def test_staff_sees_only_their_own_tab(client, tree, rated):
    staff = make_user("staff_binh", "staff", tree["a1"])
    rated["binh"].user = staff
    rated["binh"].save()
    _login(client, staff)
    assert client.get(reverse("rulebook:person_eligibility", args=[rated["binh"].pk])).status_code == 200
    assert client.get(reverse("rulebook:person_eligibility", args=[rated["an"].pk])).status_code == 404
    assert client.get(reverse("rulebook:candidates")).status_code == 403


def test_collective_tab_lists_collective_codes(client, tree, rated, officer_a):
    team = collective(tree["a"], code="TT-A")
    rate(team, 2024, "htt")
    html = (
        _login(client, officer_a)
        .get(reverse("rulebook:collective_eligibility", args=[team.pk]))
        .content.decode()
    )
    assert "Tập thể lao động tiên tiến" in html
    assert 'data-award="cstd_co_so"' not in html and 'data-award="tt_ldxs"' in html


def test_person_tab_query_budget(client, rated, officer_a, django_assert_max_num_queries):
    _login(client, officer_a)
    url = reverse("rulebook:person_eligibility", args=[rated["an"].pk])
    client.get(url)
    with django_assert_max_num_queries(16):
        client.get(url)


# ---------------------------------------------------------------- candidates


def test_candidates_page_lists_stored_results_with_filters(client, tree, rated, officer_a):
    run_in_process(actor=officer_a, unit=tree["a"], year=2024)
    _login(client, officer_a)
    url = reverse("rulebook:candidates")
    html = client.get(url, {"unit": tree["a"].pk, "year": 2024, "award": "ldtt"}).content.decode()
    assert "Ứng viên năm 2024" in html
    assert "Nguyễn Văn An" in html and "Trần Thị Bình" not in html  # the list opens on who qualifies
    assert "Chạy lại" in html
    html = client.get(
        url, {"unit": tree["a"].pk, "year": 2024, "award": "ldtt", "verdict": "all"}
    ).content.decode()
    assert "Nguyễn Văn An" in html and "Trần Thị Bình" in html
    html = client.get(
        url, {"unit": tree["a"].pk, "year": 2024, "award": "ldtt", "verdict": "eligible"}
    ).content.decode()
    assert "Nguyễn Văn An" in html and "Trần Thị Bình" not in html
    html = client.get(
        url, {"unit": tree["a"].pk, "year": 2024, "q": "tran thi binh", "verdict": "all"}
    ).content.decode()
    assert "Trần Thị Bình" in html and "Nguyễn Văn An" not in html


def test_candidates_of_another_unit_are_forbidden(client, tree, rated, officer_a, admin_user):
    run_in_process(actor=admin_user, unit=tree["root"], year=2024)
    _login(client, officer_a)
    url = reverse("rulebook:candidates")
    other = client.get(url, {"unit": tree["b"].pk, "year": 2024})
    assert other.status_code == 200 and other.context["page"].paginator.count == 0
    assert "Không có đơn vị này trong phạm vi bạn được xem" in other.content.decode()
    assert "Lê Cường" not in other.content.decode() and "Vụ B" not in other.content.decode()
    html = client.get(url, {"unit": tree["a"].pk, "year": 2024}).content.decode()
    assert "Lê Cường" not in html


def test_officer_runs_the_batch_from_the_page(
    client, tree, rated, officer_a, django_capture_on_commit_callbacks
):
    _login(client, officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rulebook:candidates_run"), {"unit": tree["a"].pk, "year": 2024})
    assert response.status_code == 302
    assert EligibilityResult.objects.filter(unit=tree["a"], year=2024).exists()
    html = client.get(response["Location"]).content.decode()
    assert "Đã bắt đầu xét tiêu chuẩn" in html
    assert "Lượt xét gần nhất" in html


def test_officer_cannot_run_another_unit_and_unit_head_has_no_button(client, tree, rated, officer_a):
    _login(client, officer_a)
    assert (
        client.post(reverse("rulebook:candidates_run"), {"unit": tree["b"].pk, "year": 2024}).status_code
        == 404
    )
    head = make_user("head_a", "unit_head", tree["a"])
    _login(client, head)
    html = client.get(reverse("rulebook:candidates"), {"unit": tree["a"].pk, "year": 2024}).content.decode()
    assert "Xét tiêu chuẩn</button>" not in html
    assert (
        client.post(reverse("rulebook:candidates_run"), {"unit": tree["a"].pk, "year": 2024}).status_code
        == 403
    )


def test_candidates_query_count_is_constant_in_rows(
    client, tree, officer_a, admin_user, django_assert_num_queries
):
    p = person(tree["a1"], code="ONE")
    rate(p, 2024, "htt")
    run_in_process(actor=admin_user, unit=tree["a"], year=2024, with_forecast=False)
    _login(client, officer_a)
    url = reverse("rulebook:candidates")
    params = {"unit": tree["a1"].pk, "year": 2024, "award": "ldtt"}
    client.get(url, params)
    one = []
    with connection.execute_wrapper(lambda execute, sql, *args: one.append(sql) or execute(sql, *args)):
        assert client.get(url, params).content.decode().count('class="result-row"') == 1
    for i in range(19):
        rate(person(tree["a1"], code=f"MORE{i}"), 2024, "htt")
    run_in_process(actor=admin_user, unit=tree["a"], year=2024, with_forecast=False)
    client.get(url, params)
    assert len(one) > 0, one
    with django_assert_num_queries(len(one)):
        assert client.get(url, params).content.decode().count('class="result-row"') == 20


def test_candidates_export_is_an_excel_file_with_the_filtered_rows(client, tree, rated, officer_a):
    run_in_process(actor=officer_a, unit=tree["a"], year=2024)
    _login(client, officer_a)
    response = client.get(
        reverse("rulebook:candidates_export"),
        {"unit": tree["a"].pk, "year": 2024, "award": "ldtt", "verdict": "all"},
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Mã", "Họ và tên / Tập thể", "Đơn vị", "Danh hiệu, hình thức", "Kết quả")
    names = {r[1]: r[4] for r in rows[1:]}
    assert names == {"Nguyễn Văn An": "Đủ tiêu chuẩn", "Trần Thị Bình": "Chưa đủ tiêu chuẩn"}


# ---------------------------------------------------------------- rulebook browser


def test_catalogue_is_open_to_every_signed_in_user(client, tree):
    staff = make_user("staff_x", "staff", tree["a"])
    html = _login(client, staff).get(reverse("rulebook:catalogue")).content.decode()
    assert "Chiến sĩ thi đua toàn quốc" in html and "Huân chương Sao vàng" in html
    assert "Quy định chuyển tiếp" in html


def test_catalogue_needs_login(client, db):
    assert client.get(reverse("rulebook:catalogue")).status_code == 302


def test_award_page_shows_criteria_articles_components_and_regime_switch(client, tree):
    _login(client, make_user("staff_y", "staff", tree["a"]))
    url = reverse("rulebook:award_detail", args=["bang_khen_bo"])
    html = client.get(url).content.decode()
    assert "2 năm liên tục hoàn thành xuất sắc nhiệm vụ" in html
    assert "Luật Thi đua, khen thưởng 2022, Điều 74, khoản 1, điểm d" in html
    assert "Mẫu số 02" in html
    assert "Thành phần hồ sơ" in html and "Thời hạn giải quyết" in html
    old = client.get(url, {"regime": "law-2013"}).content.decode()
    assert "2003" in old or "2013" in old
    assert client.get(reverse("rulebook:award_detail", args=["khong_co"])).status_code == 404


# ---------------------------------------------------------------- years the rulebooks judge


def _this_year():
    from django.utils import timezone

    return timezone.localdate().year


def test_person_tab_with_a_year_before_the_first_regime_says_so_instead_of_failing(client, rated, officer_a):
    url = reverse("rulebook:person_eligibility", args=[rated["an"].pk])
    response = _login(client, officer_a).get(url, {"year": 2003})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Không xét được năm 2003" in html and "từ 2004 đến" in html
    assert 'value="2024" selected' in html  # the default year is shown instead
    for bad in ("abc", _this_year() + 2):
        response = client.get(url, {"year": bad})
        assert response.status_code == 200
        assert "Đang hiển thị năm 2024" in response.content.decode()


def test_eligibility_year_picker_starts_at_the_subjects_first_year_with_facts(client, rated, officer_a):
    rate(rated["an"], 2021, "htt")
    html = (
        _login(client, officer_a)
        .get(reverse("rulebook:person_eligibility", args=[rated["an"].pk]))
        .content.decode()
    )
    offered = [int(y) for y in re.findall(r'<option value="(\d{4})"', html)]
    assert offered == list(range(_this_year() + 1, 2020, -1))  # 2021 … next year, newest first


def test_eligibility_year_picker_falls_back_to_the_joined_year(client, tree, officer_a):
    p = person(tree["a"], code="NEW1")
    p.joined = datetime.date(2019, 5, 1)
    p.save()
    html = _login(client, officer_a).get(reverse("rulebook:person_eligibility", args=[p.pk])).content.decode()
    offered = [int(y) for y in re.findall(r'<option value="(\d{4})"', html)]
    assert min(offered) == 2019 and max(offered) == _this_year() + 1


def test_candidates_offer_only_years_a_regime_covers(client, tree, rated, officer_a):
    html = (
        _login(client, officer_a).get(reverse("rulebook:candidates"), {"unit": tree["a"].pk}).content.decode()
    )
    select = html[html.index('id="f-year"') : html.index("</select>", html.index('id="f-year"'))]
    offered = [int(y) for y in re.findall(r'value="(\d{4})"', select)]
    assert offered == list(range(_this_year() + 1, 2003, -1))  # next year … 2004


def test_candidates_page_with_a_year_no_regime_covers_shows_a_message(client, tree, rated, officer_a):
    response = _login(client, officer_a).get(
        reverse("rulebook:candidates"), {"unit": tree["a"].pk, "year": 2003}
    )
    assert response.status_code == 200
    assert "Không xét được năm 2003" in response.content.decode()


def test_run_for_a_year_no_regime_covers_is_refused_without_a_failed_run(
    client, tree, rated, officer_a, django_capture_on_commit_callbacks
):
    _login(client, officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rulebook:candidates_run"), {"unit": tree["a"].pk, "year": 2003})
    assert response.status_code == 302
    assert not EligibilityRun.objects.exists()
    assert "year=2003" not in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert "Không xét được năm 2003" in html
    with pytest.raises(ServiceError, match="2004"):
        run_in_process(actor=officer_a, unit=tree["a"], year=2003)
    assert not EligibilityRun.objects.exists()


# ---------------------------------------------------------------- the run form follows the filters


def test_htmx_filter_change_swaps_heading_status_and_run_form_for_the_new_unit_and_year(
    client, tree, rated, officer_a
):
    run_in_process(actor=officer_a, unit=tree["a"], year=2024)
    _login(client, officer_a)
    response = client.get(
        reverse("rulebook:candidates"),
        {"unit": tree["a1"].pk, "year": 2023, "verdict": "all"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
    )
    html = response.content.decode()
    assert '<div id="results">' in html
    head = html[html.index('<div id="candidates-head"') :]
    assert 'hx-swap-oob="true"' in head[:80]
    assert "Ứng viên năm 2023 — Phòng 1 Vụ A" in head
    assert f'name="unit" value="{tree["a1"].pk}"' in head and 'name="year" value="2023"' in head
    assert "Chưa có kết quả xét tiêu chuẩn cho đơn vị và năm này" in head  # the 2024 run is not for 2023
    assert "<title>Ứng viên năm 2023 · tdkt</title>" in html
    # the full page of the same address has the same heading and form
    page = client.get(reverse("rulebook:candidates"), {"unit": tree["a1"].pk, "year": 2023}).content.decode()
    assert "Ứng viên năm 2023 — Phòng 1 Vụ A" in page and 'name="year" value="2023"' in page


# ---------------------------------------------------------------- defaults, pages, export


def test_candidates_open_on_eligible_results_and_all_can_be_chosen(client, tree, rated, officer_a):
    run_in_process(actor=officer_a, unit=tree["a"], year=2024, with_forecast=False)
    _login(client, officer_a)
    url = reverse("rulebook:candidates")
    page = client.get(url, {"unit": tree["a"].pk, "year": 2024}).context["page"]
    assert page.paginator.count > 0 and {r.verdict for r in page.object_list} == {"eligible"}
    html = client.get(url, {"unit": tree["a"].pk, "year": 2024}).content.decode()
    assert '<option value="eligible" selected>' in html and 'value="all">Tất cả' in html
    everything = client.get(url, {"unit": tree["a"].pk, "year": 2024, "verdict": "all"})
    assert {r.verdict for r in everything.context["page"].object_list} > {"eligible"}
    assert '<option value="all" selected>' in everything.content.decode()
    assert "verdict=all" in everything.context["query"]


def test_pages_read_from_the_end_match_the_list_and_cost_the_same_queries(
    client, tree, rated, officer_a, django_assert_num_queries
):
    from tdkt.accounts.scope import scope_for
    from tdkt.rulebook import selectors, views

    team = collective(tree["a1"], code="TT-A1")
    rate(team, 2024, "htt")
    run_in_process(actor=officer_a, unit=tree["a"], year=2024, with_forecast=False)
    scope = scope_for(officer_a, "rulebook.view_eligibility")
    f = selectors.CandidateFilters(unit=tree["a"], year=2024)
    everything = [r.pk for r in selectors.candidate_results(scope, f)]
    assert len(everything) > 20
    paginator = views.ClampedPaginator(selectors.candidate_results(scope, f), 7)
    pages = [[r.pk for r in paginator.page(n)] for n in range(1, paginator.num_pages + 1)]
    assert sum(pages, []) == everything  # people (no collective) and collectives (no sort key) alike
    assert [r.pk for r in paginator.page(99999)] == pages[-1]
    assert [r.pk for r in paginator.page("x")] == pages[0]

    _login(client, officer_a)
    url = reverse("rulebook:candidates")
    params = {"unit": tree["a"].pk, "year": 2024, "verdict": "all"}
    client.get(url, params)
    first = []
    with connection.execute_wrapper(lambda execute, sql, *a: first.append(sql) or execute(sql, *a)):
        client.get(url, {**params, "page": 1})
    with django_assert_num_queries(len(first)):
        response = client.get(url, {**params, "page": 99999})
    assert response.status_code == 200
    assert response.context["page"].number == response.context["page"].paginator.num_pages


def _xlsx_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_export_follows_the_default_filter_and_opens_in_excel(client, tree, rated, officer_a):
    team = collective(tree["a"], code="TT-A")
    rate(team, 2024, "htt")
    run_in_process(actor=officer_a, unit=tree["a"], year=2024)
    _login(client, officer_a)
    response = client.get(reverse("rulebook:candidates_export"), {"unit": tree["a"].pk, "year": 2024})
    assert response["Content-Disposition"].startswith('attachment; filename="ung-vien-2024-VU-A.xlsx"')
    rows = _xlsx_rows(response)
    assert rows[0][4] == "Kết quả" and {r[4] for r in rows[1:]} == {"Đủ tiêu chuẩn"}
    assert ("CB001", "Nguyễn Văn An", "Vụ A", "Lao động tiên tiến", "Đủ tiêu chuẩn", None, None) in rows
    assert any(r[0] == "TT-A" and r[1] == "Tập thể Vụ A" for r in rows)


def test_export_larger_than_the_sync_limit_is_written_in_the_background(
    client, tree, rated, officer_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Issue 10: a large list is no longer refused (it was above 20,000 rows): a worker writes it and
    the job page offers the file, with the same filters."""
    from tdkt.core.models import Job

    settings.MEDIA_ROOT = tmp_path
    settings.TDKT_SYNC_EXPORT_ROWS = 2
    run_in_process(actor=officer_a, unit=tree["a"], year=2024, with_forecast=False)
    _login(client, officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            reverse("rulebook:candidates_export"), {"unit": tree["a"].pk, "year": 2024, "verdict": "all"}
        )
    job = Job.objects.get(kind="export.rulebook.candidates")
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.params["filters"]["verdict"] == "all" and job.status == "done"
    rows = _xlsx_rows(client.get(reverse("core:job_file", args=[job.pk])))
    assert len(rows) - 1 == job.result["rows"] > 2 and rows[0][4] == "Kết quả"
    small = client.get(
        reverse("rulebook:candidates_export"),
        {"unit": tree["a"].pk, "year": 2024, "award": "ldtt", "verdict": "eligible"},
    )
    assert small.status_code == 200 and len(_xlsx_rows(small)) == 2
