"""Rulebook screens: eligibility tabs, candidates of a year, the rulebook browser, scoped by role."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from tdkt.rulebook.models import EligibilityResult
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
    assert _login(client, officer_a).get(url).status_code == 403


def test_staff_sees_only_their_own_tab(client, tree, rated):
    staff = make_user("staff_binh", "staff", tree["a1"])
    rated["binh"].user = staff
    rated["binh"].save()
    _login(client, staff)
    assert client.get(reverse("rulebook:person_eligibility", args=[rated["binh"].pk])).status_code == 200
    assert client.get(reverse("rulebook:person_eligibility", args=[rated["an"].pk])).status_code == 403
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
    assert "Nguyễn Văn An" in html and "Trần Thị Bình" in html
    assert "Chạy lại" in html
    html = client.get(
        url, {"unit": tree["a"].pk, "year": 2024, "award": "ldtt", "verdict": "eligible"}
    ).content.decode()
    assert "Nguyễn Văn An" in html and "Trần Thị Bình" not in html
    html = client.get(url, {"unit": tree["a"].pk, "year": 2024, "q": "tran thi binh"}).content.decode()
    assert "Trần Thị Bình" in html and "Nguyễn Văn An" not in html


def test_candidates_of_another_unit_are_forbidden(client, tree, rated, officer_a, admin_user):
    run_in_process(actor=admin_user, unit=tree["root"], year=2024)
    _login(client, officer_a)
    url = reverse("rulebook:candidates")
    assert client.get(url, {"unit": tree["b"].pk, "year": 2024}).status_code == 403
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
        == 403
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
        reverse("rulebook:candidates_export"), {"unit": tree["a"].pk, "year": 2024, "award": "ldtt"}
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
