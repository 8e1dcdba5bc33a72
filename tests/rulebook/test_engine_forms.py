"""Commendation forms: chains anchored on a prior award, initiative consumption, basis of prior awards."""

from __future__ import annotations

from test_engine_titles import ask, good, met


def _bk_bo_years(cstd_ground=None, flagged=False):
    ini = {"scope": "co_so", "recognised": True}
    title = {"code": "cstd_co_so", **({"ground": cstd_ground} if cstd_ground else {})}
    return {
        "2023": good("htxs", titles=["ldtt"], initiatives=[dict(ini)]),
        "2024": good(
            "htxs",
            titles=["ldtt", title],
            initiatives=[dict(ini, **({"used_for": "cstd_co_so"} if flagged else {}))],
        ),
    }


def test_bang_khen_bo_route_d_eligible():
    v = ask(_bk_bo_years(), "bang_khen_bo", 2024, route="74.1.d")
    assert v.verdict == "undetermined"  # 2024 CSTĐCS ground unknown: did it rest on the initiative?
    v = ask(_bk_bo_years(cstd_ground="htxs"), "bang_khen_bo", 2024)
    assert v.verdict == "eligible"
    assert met(v, "consecutive_htxs") is True and met(v, "two_initiatives") is True


def test_initiative_used_for_cstd_co_so_does_not_count_for_bang_khen():
    assert ask(_bk_bo_years(flagged=True), "bang_khen_bo", 2024).verdict == "not_eligible"
    v = ask(_bk_bo_years(cstd_ground="initiative"), "bang_khen_bo", 2024)
    assert v.verdict == "not_eligible" and met(v, "two_initiatives") is False


def test_bang_khen_bo_needs_two_consecutive_htxs():
    y = _bk_bo_years(cstd_ground="htxs")
    y["2023"]["rating"] = "htt"
    v = ask(y, "bang_khen_bo", 2024)
    assert v.verdict == "not_eligible" and met(v, "consecutive_htxs") is False


def test_bang_khen_bo_other_routes_need_recorded_judgment():
    for route in ("74.1.a", "74.1.b", "74.1.c", "74.2"):
        v = ask({"2024": good("htt")}, "bang_khen_bo", 2024, route=route)
        assert v.verdict == "not_eligible" and v.reasons[0].met is None, route


def _ttg_years(anchor_basis="cong_trang", issuer="ministry", cstd=(2020, 2022, 2024), revoked=False):
    years = {
        str(y): good("htt", titles=["ldtt"] + (["cstd_co_so"] if y in cstd else []))
        for y in range(2019, 2025)
    }
    years["2019"]["awards"] = [
        {
            "code": "bang_khen_bo",
            "basis": anchor_basis,
            "issuer": issuer,
            "decided_on": "2020-04-10",
            "period": [2018, 2019],
            "revoked": revoked,
        }
    ]
    return years


def test_bang_khen_ttg_route_b_eligible_after_five_years():
    v = ask(_ttg_years(), "bang_khen_ttg", 2024)
    assert v.verdict == "eligible"
    assert met(v, "five_years") is True and met(v, "three_cstd_co_so") is True


def test_one_off_or_thematic_bang_khen_does_not_anchor():
    for basis in ("dot_xuat", "chuyen_de"):
        v = ask(_ttg_years(anchor_basis=basis), "bang_khen_ttg", 2024)
        assert v.verdict == "not_eligible" and met(v, "anchor") is False


def test_revoked_or_provincial_org_bang_khen_does_not_anchor():
    assert ask(_ttg_years(revoked=True), "bang_khen_ttg", 2024).verdict == "not_eligible"
    assert ask(_ttg_years(issuer="provincial_org"), "bang_khen_ttg", 2024).verdict == "not_eligible"
    assert ask(_ttg_years(issuer="central_org"), "bang_khen_ttg", 2024).verdict == "eligible"


def test_chain_counted_from_period_of_previous_decision():
    y = _ttg_years()
    y["2019"]["awards"][0]["period"] = [2020, 2021]  # decision names later years: only 2022–2024 follow
    v = ask(y, "bang_khen_ttg", 2024)
    assert v.verdict == "not_eligible" and met(v, "five_years") is False
    assert v.forecast["year"] == 2026


def test_bang_khen_ttg_needs_three_cstd_co_so():
    v = ask(_ttg_years(cstd=(2022, 2024)), "bang_khen_ttg", 2024)
    assert v.verdict == "not_eligible" and met(v, "three_cstd_co_so") is False


def test_bang_khen_ttg_gap_rating_breaks_chain():
    y = _ttg_years()
    y["2021"]["rating"] = "ht"
    assert ask(y, "bang_khen_ttg", 2024).verdict == "not_eligible"


def test_bang_khen_ttg_without_any_award_info_is_undetermined():
    y = _ttg_years()
    del y["2019"]["awards"]
    v = ask(y, "bang_khen_ttg", 2024, route="73.1.b")
    assert v.verdict == "undetermined" and v.missing == ["years.2024.awards"]


def test_hc_lao_dong_3_route_e():
    years = {
        str(y): good("htt", titles=["ldtt"] + (["cstd_co_so"] if y in (2020, 2022, 2024) else []))
        for y in range(2019, 2025)
    }
    years["2019"]["awards"] = [{"code": "bang_khen_ttg", "basis": "cong_trang", "period": [2019, 2019]}]
    v = ask(years, "hc_lao_dong_3", 2024)
    assert v.verdict == "not_eligible" and met(v, "one_htxs") is False
    years["2022"]["rating"] = "htxs"
    assert ask(years, "hc_lao_dong_3", 2024).verdict == "eligible"


def test_higher_orders_are_never_eligible_on_facts_alone():
    for code in ("hc_lao_dong_2", "hc_doc_lap_1", "hc_sao_vang", "anh_hung_lao_dong", "co_thi_dua_cp"):
        v = ask({"2024": good("htxs", awards=[])}, code, 2024)
        assert v.verdict == "not_eligible", code


def test_giay_khen_uses_agency_setting():
    assert ask({"2024": good("htt")}, "giay_khen", 2024).verdict == "eligible"
    v = ask({"2024": good("htt")}, "giay_khen", 2024, overrides={"giay_khen.min_rating": "htxs"})
    assert v.verdict == "not_eligible"


def test_ky_niem_chuong_delegated_until_configured():
    y = {"2024": good("htt")}
    assert ask(y, "ky_niem_chuong", 2024, joined="2000-01-01").verdict == "not_eligible"
    v = ask(
        y, "ky_niem_chuong", 2024, joined="2000-01-01", overrides={"ky_niem_chuong.min_service_years": 20}
    )
    assert v.verdict == "eligible"


def test_old_law_bang_khen_ttg_needed_five_initiatives():
    years = {
        str(y): good("htxs", titles=["ldtt"], initiatives=[{"scope": "co_so", "recognised": True}])
        for y in range(2018, 2024)
    }
    years["2018"]["awards"] = [{"code": "bang_khen_bo", "basis": "cong_trang", "period": [2017, 2018]}]
    v = ask(years, "bang_khen_ttg", 2023, proposed_on="2023-10-01")
    assert v.regime == "law-2013" and v.verdict == "eligible"
    years["2020"]["initiatives"] = []
    assert ask(years, "bang_khen_ttg", 2023, proposed_on="2023-10-01").verdict == "not_eligible"


def test_evaluate_many_skips_codes_for_other_subject_kind():
    from tdkt.rulebook.engine import evaluate_many, parse_case
    from tdkt.rulebook.engine.codes import AWARD_CODES

    facts, _ = parse_case({"years": {"2024": good("htt")}, "ask": {"award": "ldtt", "year": 2024}})
    out = evaluate_many(facts, AWARD_CODES, 2024)
    assert "tt_ldxs" not in out and out["ldtt"].verdict == "eligible"
