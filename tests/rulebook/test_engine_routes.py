"""Routes encoded from the texts read in the second pass: Điều 74 k1 a–d, Điều 73, Điều 43/44, Điều 25,
chains of the higher orders, settings (caps, council), money coefficients, and the 2023→2024 transition."""

from __future__ import annotations

import pytest
from test_engine_titles import ask, good, met

from tdkt.rulebook.engine import load_rulebooks
from tdkt.rulebook.engine.codes import AWARD_CODES

INI = {"scope": "co_so", "recognised": True}


# ---- Bằng khen bộ, Điều 74 khoản 1 điểm d: two consecutive CSTĐCS *or* two consecutive years HTXS
def _cstd_years(g23="htxs", g24="initiative", ini23=0, ini24=3, r23="htt", r24="htt"):
    return {
        "2023": good(
            r23, titles=["ldtt", {"code": "cstd_co_so", "ground": g23}], initiatives=[dict(INI)] * ini23
        ),
        "2024": good(
            r24, titles=["ldtt", {"code": "cstd_co_so", "ground": g24}], initiatives=[dict(INI)] * ini24
        ),
    }


def test_74d_two_consecutive_cstd_co_so_without_htxs_years():
    # Bộ Nội vụ (Lao Động 1432533): CSTĐCS 2023 on HTXS, 2024 on 3 initiatives, one consumed ⇒ 2 remain.
    v = ask(_cstd_years(), "bang_khen_bo", 2024, route="74.1.d")
    assert v.verdict == "eligible"
    assert met(v, "consecutive_htxs") is True and met(v, "two_initiatives") is True


def test_74d_initiatives_used_for_cstd_co_so_do_not_count():
    v = ask(_cstd_years(ini24=2), "bang_khen_bo", 2024, route="74.1.d")
    assert v.verdict == "not_eligible" and met(v, "two_initiatives") is False


def test_74d_neither_two_cstd_nor_two_htxs():
    y = _cstd_years()
    y["2023"]["titles"] = ["ldtt"]
    v = ask(y, "bang_khen_bo", 2024, route="74.1.d")
    assert v.verdict == "not_eligible" and met(v, "consecutive_htxs") is False


def test_74d_unknown_titles_and_rating_is_undetermined():
    y = {"2023": {"months_worked": 12}, "2024": good("htxs", titles=["ldtt"], initiatives=[dict(INI)] * 2)}
    v = ask(y, "bang_khen_bo", 2024, route="74.1.d")
    assert v.verdict == "undetermined" and "years.2023.rating" in v.missing


def test_74d_across_2023_2024_uses_the_new_law_and_old_titles_count():
    y = _cstd_years(g23=None, ini23=1, ini24=3)
    y["2023"]["titles"] = ["ldtt", "cstd_co_so"]  # 2023 CSTĐCS: old law ⇒ rested on its initiative
    v = ask(y, "bang_khen_bo", 2024)
    assert v.regime == "law-2022" and v.verdict == "eligible"  # 0 left in 2023, 2 left in 2024
    v = ask(y, "bang_khen_bo", 2023, proposed_on="2023-12-15")
    assert v.regime == "law-2013"


def test_74_collective_route_is_khoan_3():
    y = {"2023": {"rating": "htxs"}, "2024": {"rating": "htxs"}}
    assert ask(y, "bang_khen_bo", 2024, kind="collective", route="74.3").verdict == "eligible"
    y["2023"]["rating"] = "htt"
    assert ask(y, "bang_khen_bo", 2024, kind="collective").verdict == "not_eligible"


# ---- Bằng khen Thủ tướng, Điều 73
def test_73_other_points_are_a_judgment():
    v = ask({"2024": good("htxs", awards=[])}, "bang_khen_ttg", 2024, route="73.1.a")
    assert v.verdict == "not_eligible" and v.reasons[0].met is None


def test_73b_anchor_can_be_a_2023_award_under_the_old_law():
    years = {
        str(y): good("htt", titles=["ldtt"] + (["cstd_co_so"] if y in (2025, 2026, 2028) else []))
        for y in range(2023, 2029)
    }
    years["2023"]["awards"] = [
        {"code": "bang_khen_bo", "basis": "cong_trang", "issuer": "province", "period": [2022, 2023]}
    ]
    v = ask(years, "bang_khen_ttg", 2028)
    assert v.verdict == "eligible" and met(v, "three_cstd_co_so") is True
    v = ask(years, "bang_khen_ttg", 2027)
    assert v.verdict == "not_eligible" and met(v, "five_years") is False


def test_73b_provincial_branch_of_mass_organisation_does_not_anchor():
    years = {str(y): good("htt", titles=["ldtt", "cstd_co_so"]) for y in range(2019, 2025)}
    years["2019"]["awards"] = [
        {"code": "bang_khen_bo", "basis": "cong_trang", "issuer": "provincial_org", "period": [2019, 2019]}
    ]
    v = ask(years, "bang_khen_ttg", 2024, route="73.1.b")
    assert v.verdict == "not_eligible" and met(v, "anchor") is False


# ---- Huân chương Lao động hạng Nhì, Điều 43 khoản 1 (chain)
def _hcld2_years(htxs=(2021, 2023), cstd_bo=(2023,), anchor="hc_lao_dong_3", basis="cong_trang"):
    years = {
        str(y): good(
            "htxs" if y in htxs else "htt",
            titles=["ldtt"] + (["cstd_co_so", "cstd_bo"] if y in cstd_bo else []),
        )
        for y in range(2019, 2025)
    }
    years["2019"]["awards"] = [{"code": anchor, "basis": basis, "period": [2019, 2019]}]
    return years


def test_hcld2_chain_eligible():
    v = ask(_hcld2_years(), "hc_lao_dong_2", 2024, route="43.1.đ")
    assert v.verdict == "eligible"
    assert met(v, "two_htxs") is True and met(v, "one_cstd_bo") is True


@pytest.mark.parametrize(
    "kw, failing",
    [
        ({"htxs": (2023,)}, "two_htxs"),
        ({"cstd_bo": ()}, "one_cstd_bo"),
        ({"anchor": "bang_khen_ttg"}, "anchor"),
        ({"basis": "dot_xuat"}, "anchor"),
    ],
)
def test_hcld2_chain_each_way_of_failing(kw, failing):
    v = ask(_hcld2_years(**kw), "hc_lao_dong_2", 2024)
    assert v.verdict == "not_eligible" and met(v, failing) is False


def test_hcld2_five_years_counted_from_the_anchor_period():
    y = _hcld2_years()
    y["2019"]["awards"][0]["period"] = [2020, 2020]  # next award counted from 2021: only 4 years
    v = ask(y, "hc_lao_dong_2", 2024, route="43.1.đ")
    assert v.verdict == "not_eligible" and met(v, "five_years") is False
    assert v.forecast["year"] == 2025


def test_hcld2_other_points_and_workers_are_judgments():
    for route in ("43.1.a", "43.2"):
        v = ask({"2024": good("htxs", awards=[])}, "hc_lao_dong_2", 2024, route=route)
        assert v.verdict == "not_eligible" and v.reasons[0].met is None


# ---- Huân chương Lao động hạng Ba, other points
def test_hcld3_other_points_are_judgments():
    for route in ("44.1.a", "44.1.g", "44.2"):
        v = ask({"2024": good("htxs", awards=[])}, "hc_lao_dong_3", 2024, route=route)
        assert v.verdict == "not_eligible" and v.reasons[0].met is None, route


def test_hcld3_collective_anchor_and_five_htxs_then_judgment():
    years = {str(y): {"rating": "htxs", "awards": []} for y in range(2019, 2025)}
    years["2019"]["awards"] = [{"code": "bang_khen_ttg", "basis": "cong_trang", "period": [2019, 2019]}]
    v = ask(years, "hc_lao_dong_3", 2024, kind="collective")
    assert v.verdict == "not_eligible"
    assert met(v, "anchor") is True and met(v, "five_years") is True and met(v, "other_conditions") is None


# ---- higher orders: chain anchor on the order below, five years after it
@pytest.mark.parametrize(
    "code, below",
    [
        ("hc_lao_dong_1", "hc_lao_dong_2"),
        ("hc_doc_lap_3", "hc_lao_dong_1"),
        ("hc_doc_lap_2", "hc_doc_lap_3"),
        ("hc_doc_lap_1", "hc_doc_lap_2"),
        ("hc_ho_chi_minh", "hc_doc_lap_1"),
        ("hc_sao_vang", "hc_ho_chi_minh"),
    ],
)
def test_order_chains(code, below):
    years = {str(y): good("htxs", titles=["ldtt"], awards=[]) for y in range(2019, 2025)}
    v = ask(years, code, 2024)
    assert v.verdict == "not_eligible" and met(v, "anchor") is False
    years["2019"]["awards"] = [{"code": below, "basis": "cong_trang", "period": [2019, 2019]}]
    v = ask(years, code, 2024)
    assert met(v, "anchor") is True and met(v, "five_years") is True
    assert v.verdict == "not_eligible" and met(v, "other_conditions") is None  # rest of the article: judgment


def test_doc_lap_3_collective_needs_years_of_existence():
    years = {str(y): {"rating": "htxs", "awards": []} for y in range(2019, 2025)}
    years["2019"]["awards"] = [{"code": "hc_lao_dong_1", "basis": "cong_trang", "period": [2019, 2019]}]
    v = ask(years, "hc_doc_lap_3", 2024, kind="collective", established="2000-01-01")
    assert met(v, "existence") is False
    v = ask(years, "hc_doc_lap_3", 2024, kind="collective", established="1990-01-01")
    assert met(v, "existence") is True


# ---- Cờ thi đua của Chính phủ, Điều 25
def test_co_thi_dua_cp_routes():
    v = ask({"2024": {"rating": "htxs"}}, "co_thi_dua_cp", 2024, kind="collective")
    assert v.verdict == "not_eligible"
    assert {r.rule.split(".")[1] + "." + r.rule.split(".")[2] for r in v.reasons} >= {"25.1", "25.2", "25.3"}
    assert met(v, "25.1.rating") is True and met(v, "leading_bloc") is None
    v = ask({"2024": {"rating": "htt"}}, "co_thi_dua_cp", 2024, kind="collective", route="25.1")
    assert met(v, "25.1.rating") is False
    v = ask({"2024": {}}, "co_thi_dua_cp", 2024, kind="collective", route="25.1")
    assert v.verdict == "undetermined" and v.missing == ["years.2024.rating"]


# ---- caps, council, money: data the screens show
def test_ratio_caps_are_settings_and_never_decide_a_verdict():
    b = load_rulebooks()
    new, old = b.regime("law-2022"), b.regime("law-2013")
    assert new.settings["cstd_co_so.ratio_cap"].default is None
    assert old.settings["cstd_co_so.ratio_cap"].default == 0.15
    assert old.settings["co_thi_dua_cp.ratio_cap"].default == 0.2
    v = ask({"2024": good("htxs")}, "cstd_co_so", 2024, overrides={"cstd_co_so.ratio_cap": 0.01})
    assert v.verdict == "eligible"


def test_council_items_show_threshold_and_basis():
    v = ask({"2024": good("htxs")}, "cstd_bo", 2024)
    vote = [p for p in v.pending if p["condition"] == "council_vote"][0]
    assert "90%" in vote["detail"] and "tổng số thành viên" in vote["detail"]
    assert "council.quorum" in load_rulebooks().regime("law-2022").settings


def test_money_coefficients_with_2025_variants():
    r = load_rulebooks().regime("law-2022")
    m = {c: r.awards[c].definition.money_coefficient for c in AWARD_CODES}
    assert (
        m["ldtt"].individual,
        m["cstd_co_so"].individual,
        m["cstd_bo"].individual,
        m["cstd_toan_quoc"].individual,
    ) == (0.3, 1.0, 3.0, 4.5)
    assert (
        m["tt_ldtt"].collective,
        m["tt_ldxs"].collective,
        m["co_thi_dua_bo"].collective,
        m["co_thi_dua_cp"].collective,
    ) == (0.8, 1.5, 8.0, 12.0)
    assert (m["hc_lao_dong_3"].individual, m["hc_lao_dong_3"].collective) == (4.5, 9.0)
    assert m["hc_sao_vang"].individual == 46.0 and m["hc_doc_lap_3"].individual == 10.5
    assert m["bang_khen_ttg"].variants[0].value == {"individual": 3.5}
    assert all("Điều" in (mc.cite or "") for mc in m.values() if mc and mc.individual is not None)


def test_every_route_and_criterion_has_an_article():
    for regime in load_rulebooks().regimes:
        for code, award in regime.awards.items():
            ids = [r.id for r in award.routes]
            assert len(ids) == len(set(ids)), (regime.code, code)
            assert not any(i.endswith(".other") for i in ids if regime.code == "law-2022"), (code, ids)
            for r in award.routes:
                for c in r.criteria:
                    words = ("Điều", "cài đặt", "Quy chế", "mục danh hiệu")
                    assert any(w in c.cite for w in words), (code, c.rule)


# ---- CSTĐ toàn quốc: consecutive cycles; old-law timing (NĐ 91/2017 Điều 48 k1 a)
def _cstdtq_years(second_decided="2011-12-20"):
    years = {str(y): good("htxs", titles=["ldtt", "cstd_co_so"], initiatives=[]) for y in range(2006, 2012)}
    years["2008"]["titles"].append("cstd_bo")
    years["2011"]["titles"].append({"code": "cstd_bo", "decided_on": second_decided})
    years["2011"]["initiatives"] = [{"scope": "toan_quoc", "recognised": True}]
    return years


def test_cstd_toan_quoc_old_law_proposed_the_year_after_the_second_cstd_bo():
    v = ask(_cstdtq_years(), "cstd_toan_quoc", 2011, proposed_on="2012-04-01")
    assert v.regime == "law-2013" and v.verdict == "eligible" and met(v, "timing") is True
    v = ask(_cstdtq_years(), "cstd_toan_quoc", 2011, proposed_on="2018-04-10")
    assert v.verdict == "not_eligible" and met(v, "timing") is False


def test_cstd_toan_quoc_cycles_under_the_new_law():
    years = {str(y + 13): f for y, f in ((int(k), v) for k, v in _cstdtq_years().items())}
    years["2024"]["titles"][-1] = "cstd_bo"
    v = ask(years, "cstd_toan_quoc", 2024)
    assert v.regime == "law-2022" and v.verdict == "eligible" and met(v, "two_cstd_bo") is True
    years["2021"]["titles"].remove("cstd_bo")
    assert ask(years, "cstd_toan_quoc", 2024).verdict == "not_eligible"
