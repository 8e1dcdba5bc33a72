"""Thông tư 15/2025/TT-BNV takes over from Thông tư 01/2024/TT-BNV (docs/law.md §1, §3, §6 point 18).

Criteria and settings carry dated versions (`variants: - since:`); the case files `cases/*_before_tt15.json`
and `cases/*_from_tt15.json` state the same facts proposed the day before and on the transition date, each
with the verdict and the citation it must get. Time spent on a training course reaches the engine as a study
leave with `course_under_one_year`, `rules_kept` and `result` (the case format of
shared/domain/eligibility-cases.md, extended; old case files stay valid).
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest
import yaml

from tdkt.rulebook.engine import CaseError, RulebookError, evaluate, load_rulebooks, parse_case
from tdkt.rulebook.engine.loader import DATA_DIR

CASES = Path(__file__).parent / "cases"
TT15 = datetime.date(2025, 9, 18)
BEFORE = sorted(CASES.glob("*_before_tt15.json"))
CITED = sorted(p for p in CASES.glob("*.json") if "expect_cites" in json.loads(p.read_text(encoding="utf-8")))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _run(case: dict):
    facts, ask = parse_case(case)
    return evaluate(facts, ask.award, ask.year, proposed_on=ask.proposed_on, route=ask.route)


def _ldtt(months, leave, proposed_on, **overrides):
    case = {
        "subject": {"kind": "individual"},
        "years": {"2025": {"rating": "htt", "months_worked": months, "discipline": [], "leave": leave}},
        "ask": {"award": "ldtt", "year": 2025, "proposed_on": proposed_on},
    }
    facts, ask = parse_case(case)
    return evaluate(facts, "ldtt", 2025, proposed_on=ask.proposed_on, overrides=overrides or None)


def _months(v):
    return next(r for r in v.reasons if r.rule == "ldtt.24.1.months_worked")


# ---------------------------------------------------------------- the transition in the rulebook


def test_transition_note_sources_and_every_dated_version_agree_on_the_date():
    regime = load_rulebooks().regime("law-2022")
    model = regime.model
    note = next(t for t in model.transitional if t.id == "tt15_from_2025_09_18")
    assert "18/09/2025" in note.text_vi and "15/2025/TT-BNV" in note.cite
    assert {"tt-15-2025", "tt15-2025-ld", "tt01-2024-pl"} <= {s.id for s in model.sources}
    assert TT15 in regime.epochs
    ldtt = model.awards["ldtt"].routes[0].criteria
    months = next(c for c in ldtt if c.id == "months_worked")
    assert [v.since for v in months.variants] == [TT15]
    assert "01/2024/TT-BNV" in months.cite and "15/2025/TT-BNV" in months.variants[0].cite
    for key in ("ldtt.maternity_counted", "ldtt.long_course_conditions"):
        s = regime.settings[key]
        assert not s.confirmed, key  # a part of the circulars was not read
        assert [v.since for v in s.variants] == [TT15], key


@pytest.mark.parametrize("before", BEFORE, ids=lambda p: p.stem)
def test_same_facts_either_side_of_the_transition(before: Path):
    after = before.with_name(before.name.replace("_before_tt15", "_from_tt15"))
    b, a = _load(before), _load(after)
    assert b["case"]["ask"].pop("proposed_on") == (TT15 - datetime.timedelta(days=1)).isoformat()
    assert a["case"]["ask"].pop("proposed_on") == TT15.isoformat()
    assert b["case"] == a["case"], "the pair must state the same facts"


@pytest.mark.parametrize("path", CITED, ids=lambda p: p.stem)
def test_case_file_cites_the_circular_in_force(path: Path):
    data = _load(path)
    out = _run(data["case"]).to_dict()
    assert out["verdict"] == data["expect"]["verdict"], out
    cites = {r["rule"]: r["cite"] for r in out["reasons"]}
    for rule, text in data["expect_cites"].items():
        assert text in cites[rule], (rule, cites[rule])
    other = "Thông tư 15/2025" if "01/2024" in "".join(data["expect_cites"].values()) else "Thông tư 01/2024"
    assert not any(other in c for c in cites.values()), cites


def test_at_least_one_pair_gives_two_answers():
    answers = {
        p.stem: (
            _load(p)["expect"]["verdict"],
            _load(p.with_name(p.name.replace("_before", "_from")))["expect"],
        )
        for p in BEFORE
    }
    assert any(before != after["verdict"] for before, after in answers.values()), answers


# ---------------------------------------------------------------- study leave as time worked


SHORT = {"kind": "study", "days": 90, "course_under_one_year": True, "rules_kept": True}
LONG = {"kind": "study", "days": 240, "course_under_one_year": False, "rules_kept": True, "result": "kha"}


@pytest.mark.parametrize("day", ["2024-03-01", "2025-09-17", "2025-09-18", "2026-03-01"])
def test_short_course_with_the_rules_kept_counts_under_both_circulars(day):
    v = _ldtt(4, [SHORT], day)
    assert v.verdict == "eligible" and "90 ngày đi học" in _months(v).detail


def test_short_course_with_the_rules_broken_does_not_count():
    v = _ldtt(4, [{**SHORT, "rules_kept": False}], "2026-03-01")
    assert v.verdict == "not_eligible" and _months(v).met is False
    assert "không tính 90 ngày đi học" in _months(v).detail


def test_study_without_its_course_facts_is_undetermined_only_when_it_matters():
    v = _ldtt(4, [{"kind": "study", "days": 90}], "2026-03-01")
    assert v.verdict == "undetermined" and v.missing == ["years.2025.leave"]
    assert "chấp hành tốt quy định" in _months(v).detail
    assert _ldtt(8, [{"kind": "study", "days": 90}], "2026-03-01").verdict == "eligible"
    assert (
        _ldtt(1, [{"kind": "study", "days": 60}], "2026-03-01").verdict == "not_eligible"
    )  # 3 months at best


@pytest.mark.parametrize(
    ("result", "verdict"),
    [
        ("kha", "eligible"),
        ("xuat_sac", "eligible"),
        ("khong_xep_loai", "eligible"),
        ("trung_binh", "not_eligible"),
    ],
)
def test_long_course_from_tt15_needs_the_rules_kept_and_a_good_result(result, verdict):
    assert _ldtt(3, [{**LONG, "result": result}], "2026-03-01").verdict == verdict


def test_long_course_from_tt15_without_a_result_is_undetermined():
    v = _ldtt(3, [{**LONG, "result": None}], "2026-03-01")
    assert v.verdict == "undetermined" and v.missing == ["years.2025.leave"]


def test_long_course_before_tt15_follows_the_unconfirmed_setting():
    weak = [{**LONG, "result": "trung_binh"}]
    assert _ldtt(3, weak, "2025-03-01").verdict == "eligible"
    assert _ldtt(3, weak, "2025-03-01", **{"ldtt.long_course_conditions": True}).verdict == "not_eligible"


def test_maternity_leave_counts_unless_the_setting_is_switched_off():
    leave = [{"kind": "maternity", "days": 180}]
    assert _ldtt(4, leave, "2026-03-01").verdict == "eligible"
    assert _ldtt(4, leave, "2026-03-01", **{"ldtt.maternity_counted": False}).verdict == "not_eligible"


def test_the_old_law_still_ignores_study_time():
    """Open point 18: law-2013 (TT 02/2011: a khá result; NĐ 91/2017 Điều 10 k3) is not encoded."""
    case = {
        "subject": {"kind": "individual"},
        "years": {"2022": {"rating": "htt", "months_worked": 4, "discipline": [], "leave": [SHORT]}},
        "ask": {"award": "ldtt", "year": 2022},
    }
    v = _run(case)
    assert v.regime == "law-2013" and v.verdict == "not_eligible"


def test_cstd_co_so_sees_study_time_through_its_ldtt_criterion():
    case = {
        "subject": {"kind": "individual"},
        "years": {"2025": {"rating": "htxs", "months_worked": 4, "discipline": [], "leave": [SHORT]}},
        "ask": {"award": "cstd_co_so", "year": 2025, "route": "23.htxs"},
    }
    assert _run(case).verdict == "eligible"


# ---------------------------------------------------------------- the case format


def test_study_facts_are_parsed_and_old_leave_entries_stay_valid():
    facts, _ = parse_case(
        {
            "years": {"2025": {"leave": [{"kind": "sick", "days": 3}, {**LONG, "result": "gioi"}]}},
            "ask": {"award": "ldtt", "year": 2025},
        }
    )
    sick, study = facts.years[2025].leave
    assert (sick.course_under_one_year, sick.rules_kept, sick.result) == (None, None, None)
    assert (study.course_under_one_year, study.rules_kept, study.result) == (False, True, "gioi")


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ({"kind": "sick", "days": 3, "rules_kept": True}, "years.2025.leave[0].rules_kept"),
        ({"kind": "study", "days": 3, "result": "tot"}, "years.2025.leave[0].result"),
        (
            {"kind": "study", "days": 3, "course_under_one_year": "có"},
            "years.2025.leave[0].course_under_one_year",
        ),
    ],
)
def test_bad_study_facts_name_the_json_path(entry, where):
    with pytest.raises(CaseError) as exc:
        parse_case({"years": {"2025": {"leave": [entry]}}, "ask": {"award": "ldtt", "year": 2025}})
    assert str(exc.value).startswith(where + ":")


# ---------------------------------------------------------------- dated versions of a criterion in the YAML


def _copy_and_edit(tmp_path: Path, fn) -> Path:
    for f in DATA_DIR.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    path = tmp_path / "law-2022.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data["awards"]["ldtt"]["routes"][0]["criteria"][1])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda c: c["variants"][0].update(since=datetime.date(2023, 6, 1)),
            r"variants\[0\]\.since: .*ngoài thời gian",
        ),
        (
            lambda c: c["variants"].append({"since": datetime.date(2025, 9, 18), "cite": "x"}),
            r"variants\[1\]\.since: .*không chồng lấn",
        ),
        (lambda c: c["variants"][0].update(params={"max": 3}), r"variants\[0\]\.params: tham số lạ max"),
        (
            lambda c: c["variants"][0].update(params={"study_long_conditions": "setting:khong.co"}),
            r"variants\[0\]\.params: cài đặt không tồn tại 'khong.co'",
        ),
        (lambda c: c["variants"][0].update(cite=" "), r"variants\[0\]\.cite: thiếu trích dẫn"),
    ],
)
def test_bad_dated_version_names_file_and_key(tmp_path, edit, message):
    d = _copy_and_edit(tmp_path, edit)
    with pytest.raises(
        RulebookError, match=r"law-2022\.yaml: awards\.ldtt\.routes\[0\]\.criteria\[1\]\." + message
    ):
        load_rulebooks(d)


def test_a_dated_version_may_change_parameters(tmp_path):
    d = _copy_and_edit(tmp_path, lambda c: c["variants"][0].update(params={"min": 10}))
    books = load_rulebooks(d)
    facts, _ = parse_case(
        {
            "years": {"2025": {"rating": "htt", "months_worked": 8, "discipline": []}},
            "ask": {"award": "ldtt", "year": 2025},
        }
    )
    before = evaluate(facts, "ldtt", 2025, proposed_on=datetime.date(2025, 9, 17), rulebooks=books)
    after = evaluate(facts, "ldtt", 2025, proposed_on=TT15, rulebooks=books)
    assert (before.verdict, after.verdict) == ("eligible", "not_eligible")
