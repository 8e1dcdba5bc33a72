"""Individual and collective emulation titles: eligible, each way of failing, undetermined, 2023→2024."""

from __future__ import annotations

from tdkt.rulebook.engine import evaluate, parse_case


def ask(
    years: dict,
    award: str,
    year: int,
    *,
    kind: str = "individual",
    proposed_on: str | None = None,
    route: str | None = None,
    overrides=None,
    **subject,
):
    case = {
        "subject": {"kind": kind, **subject},
        "years": years,
        "ask": {
            "award": award,
            "year": year,
            **({"proposed_on": proposed_on} if proposed_on else {}),
            **({"route": route} if route else {}),
        },
    }
    facts, q = parse_case(case)
    return evaluate(facts, q.award, q.year, proposed_on=q.proposed_on, route=q.route, overrides=overrides)


def good(rating: str = "htt", **extra) -> dict:
    return {"rating": rating, "months_worked": 12, "discipline": [], **extra}


def met(verdict, suffix: str):
    hits = [r.met for r in verdict.reasons if r.rule.endswith(suffix)]
    assert hits, f"no reason ending with {suffix}: {[r.rule for r in verdict.reasons]}"
    return hits[0]


# ---- worked examples of eligibility-cases.md
def test_worked_example_1_ldtt_eligible_with_reasons():
    v = ask({"2024": good("htt")}, "ldtt", 2024, employment="civil_servant")
    assert v.verdict == "eligible"
    assert [r.rule.rsplit(".", 1)[1] for r in v.reasons] == ["rating", "months_worked", "discipline"]
    assert all("Điều" in r.cite for r in v.reasons)
    assert v.to_dict()["forecast"] is None


def test_worked_example_2_kht_not_eligible_forecast_next_year():
    v = ask({"2024": good("kht")}, "ldtt", 2024)
    assert v.verdict == "not_eligible"
    assert met(v, ".rating") is False
    assert v.forecast["year"] == 2025
    assert "hoàn thành tốt" in v.forecast["assumed"]


def test_worked_example_3_collective_without_members_undetermined():
    v = ask({"2024": {"rating": "htxs"}}, "tt_ldxs", 2024, kind="collective")
    assert v.verdict == "undetermined"
    assert v.missing == ["years.2024.members"]


# ---- LĐTT
def test_ldtt_discipline_fails():
    v = ask({"2024": good("htxs", discipline=[{"form": "khien_trach", "date": "2024-05-01"}])}, "ldtt", 2024)
    assert v.verdict == "not_eligible" and met(v, ".discipline") is False


def test_ldtt_under_six_months_fails_but_maternity_counts():
    assert ask({"2024": good(months_worked=5)}, "ldtt", 2024).verdict == "not_eligible"
    v = ask({"2024": good(months_worked=4, leave=[{"kind": "maternity", "days": 180}])}, "ldtt", 2024)
    assert v.verdict == "eligible"


def test_ldtt_missing_rating_is_undetermined():
    v = ask({"2024": {"months_worked": 12, "discipline": []}}, "ldtt", 2024)
    assert v.verdict == "undetermined" and v.missing == ["years.2024.rating"]


def test_ldtt_admin_sanction_only_when_agency_adds_it():
    y = {"2024": good(discipline=[{"admin_sanction": True}])}
    assert ask(y, "ldtt", 2024).verdict == "eligible"
    v = ask(y, "ldtt", 2024, overrides={"ldtt.exclude_admin_sanction": True})
    assert v.verdict == "not_eligible"


def test_ldtt_2023_proposed_in_2023_uses_ten_months_rule():
    y = {"2023": good(months_worked=8)}
    old = ask(y, "ldtt", 2023, proposed_on="2023-12-15")
    assert old.regime == "law-2013" and old.verdict == "not_eligible"
    new = ask(y, "ldtt", 2023, proposed_on="2024-01-10")
    assert new.regime == "law-2022" and new.verdict == "eligible"


def test_ldtt_forty_working_days_of_absence_only_under_nd_65_2014():
    """NĐ 65/2014/NĐ-CP Điều 5 khoản 6 barred LĐTT for 40 working days of absence or more (Ninh Thuận
    board, docs/law-qa.md case 041); NĐ 91/2017 dropped the bar from 01/10/2017; maternity leave is not
    absence."""
    sick = {"2015": good(months_worked=10, leave=[{"kind": "sick", "days": 45}])}
    v = ask(sick, "ldtt", 2015, proposed_on="2016-01-15")
    assert v.regime == "law-2013" and v.verdict == "not_eligible" and met(v, ".absence") is False
    short = {"2015": good(months_worked=11, leave=[{"kind": "sick", "days": 39}])}
    assert ask(short, "ldtt", 2015, proposed_on="2016-01-15").verdict == "eligible"
    mat = {"2015": good(months_worked=6, leave=[{"kind": "maternity", "days": 180}])}
    assert ask(mat, "ldtt", 2015, proposed_on="2016-01-15").verdict == "eligible"
    after = {"2017": good(months_worked=10, leave=[{"kind": "sick", "days": 45}])}
    v = ask(after, "ldtt", 2017, proposed_on="2018-01-15")
    assert v.verdict == "eligible" and not [r for r in v.reasons if r.rule.endswith(".absence")]
    before = ask(
        {"2013": good(months_worked=10, leave=[{"kind": "sick", "days": 45}])},
        "ldtt",
        2013,
        proposed_on="2014-03-01",
    )
    assert before.verdict == "eligible"
    now = ask({"2024": good(months_worked=10, leave=[{"kind": "sick", "days": 45}])}, "ldtt", 2024)
    assert now.regime == "law-2022" and now.verdict == "eligible"


def test_ldtt_absence_rule_needs_the_leave_facts_in_its_window():
    v = ask({"2015": good()}, "ldtt", 2015, proposed_on="2016-01-15")
    assert v.verdict == "undetermined" and v.missing == ["years.2015.leave"]
    # CSTĐCS in the same window carries the LĐTT question along
    c = ask(
        {"2015": good(initiatives=[{"scope": "co_so", "recognised": True}])},
        "cstd_co_so",
        2015,
        proposed_on="2016-01-15",
    )
    assert c.verdict == "undetermined" and "years.2015.leave" in c.missing


# ---- CSTĐCS
def test_cstd_co_so_htxs_alone_suffices_since_2024():
    v = ask({"2024": good("htxs", initiatives=[])}, "cstd_co_so", 2024)
    assert v.verdict == "eligible"


def test_cstd_co_so_needed_initiative_under_old_law():
    y = {"2023": good("htxs", initiatives=[])}
    assert ask(y, "cstd_co_so", 2023, proposed_on="2023-12-20").verdict == "not_eligible"
    y2 = {"2023": good("htt", initiatives=[{"scope": "co_so", "recognised": True}])}
    assert ask(y2, "cstd_co_so", 2023, proposed_on="2023-12-20").verdict == "eligible"


def test_cstd_co_so_htt_without_initiative_fails_and_forecasts():
    v = ask({"2024": good("htt", initiatives=[])}, "cstd_co_so", 2024)
    assert v.verdict == "not_eligible"
    assert v.forecast["year"] == 2025


def test_cstd_co_so_unrecognised_initiative_is_not_met_with_null():
    v = ask({"2024": good("htt", initiatives=[{"scope": "co_so"}])}, "cstd_co_so", 2024)
    assert v.verdict == "not_eligible"
    assert met(v, "23.sang_kien.initiative") is None


def test_cstd_co_so_without_ldtt_fails():
    v = ask({"2024": good("htxs", discipline=[{"form": "canh_cao"}])}, "cstd_co_so", 2024)
    assert v.verdict == "not_eligible" and met(v, "23.htxs.ldtt") is False


# ---- CSTĐ bộ and toàn quốc
def _cstd_years(n: int, last: int = 2024, initiative_scope: str = "bo") -> dict:
    years = {}
    for y in range(last - n + 1, last + 1):
        years[str(y)] = good("htxs", titles=["ldtt", "cstd_co_so"], initiatives=[])
    years[str(last)]["initiatives"] = [{"scope": initiative_scope, "recognised": True}]
    return years


def test_cstd_bo_three_consecutive_cstd_co_so_across_2023_2024():
    v = ask(_cstd_years(3), "cstd_bo", 2024)
    assert v.verdict == "eligible"
    assert any(p["condition"] == "council_vote" and "90%" in p["detail"] for p in v.to_dict()["pending"])


def test_cstd_bo_gap_breaks_the_chain():
    y = _cstd_years(3)
    y["2023"]["titles"] = ["ldtt"]
    v = ask(y, "cstd_bo", 2024)
    assert v.verdict == "not_eligible" and met(v, "three_cstd_co_so") is False
    assert v.forecast["year"] == 2026


def test_cstd_bo_needs_ministry_scope_initiative():
    v = ask(_cstd_years(3, initiative_scope="co_so"), "cstd_bo", 2024)
    assert v.verdict == "not_eligible" and met(v, "initiative_bo") is None  # bộ scope not recognised


def test_cstd_bo_missing_titles_undetermined():
    y = _cstd_years(3)
    del y["2022"]["titles"]
    v = ask(y, "cstd_bo", 2024)
    assert v.verdict == "undetermined" and v.missing == ["years.2022.titles"]


def test_cstd_toan_quoc_two_consecutive_cstd_bo():
    years = {str(y): good("htxs", titles=["ldtt", "cstd_co_so"], initiatives=[]) for y in range(2019, 2025)}
    for y in ("2020", "2024"):  # cycles 2018–2020 and 2022–2024: a gap (2021) between them
        years[y]["titles"].append("cstd_bo")
    years["2024"]["initiatives"] = [{"scope": "toan_quoc", "recognised": True}]
    assert ask(years, "cstd_toan_quoc", 2024).verdict == "not_eligible"
    years["2021"]["titles"].append("cstd_bo")  # cycles 2019–2021 and 2022–2024: consecutive cycles
    assert ask(years, "cstd_toan_quoc", 2024).verdict == "eligible"


# ---- collectives
def _members(**kw):
    return {"total": 20, "completing": 20, "ldtt": 15, "cstd_co_so": 2, **kw}


def test_tt_ldxs_eligible_and_each_failure():
    ok = ask({"2024": {"rating": "htxs", "members": _members()}}, "tt_ldxs", 2024, kind="collective")
    assert ok.verdict == "eligible"
    for bad, rule in [
        ({"completing": 19}, "all_completing"),
        ({"ldtt": 13}, "ldtt_share"),
        ({"cstd_co_so": 0}, "has_cstd_co_so"),
    ]:
        v = ask({"2024": {"rating": "htxs", "members": _members(**bad)}}, "tt_ldxs", 2024, kind="collective")
        assert v.verdict == "not_eligible" and met(v, rule) is False
    v = ask({"2024": {"rating": "htt", "members": _members()}}, "tt_ldxs", 2024, kind="collective")
    assert v.verdict == "not_eligible" and v.forecast["year"] == 2025


def test_tt_ldtt_needs_more_than_half_ldtt():
    half = ask({"2024": {"rating": "htt", "members": _members(ldtt=10)}}, "tt_ldtt", 2024, kind="collective")
    assert half.verdict == "not_eligible"
    more = ask({"2024": {"rating": "htt", "members": _members(ldtt=11)}}, "tt_ldtt", 2024, kind="collective")
    assert more.verdict == "eligible"
    warned = ask(
        {"2024": {"rating": "htt", "members": _members(ldtt=11, disciplined=1)}},
        "tt_ldtt",
        2024,
        kind="collective",
    )
    assert warned.verdict == "not_eligible"


def test_individual_cannot_get_collective_title():
    v = ask({"2024": good("htxs")}, "tt_ldxs", 2024)
    assert v.verdict == "not_eligible"


def test_flags_need_a_judgment_not_recorded():
    v = ask({"2024": {"rating": "htxs"}}, "co_thi_dua_bo", 2024, kind="collective")
    assert v.verdict == "not_eligible"
    assert met(v, "leading") is None and v.missing == []
    assert v.forecast["year"] is None
