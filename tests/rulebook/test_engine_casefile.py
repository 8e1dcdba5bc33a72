"""Case-file adapter and the `check` command: JSON in, JSON out, exit 2 on malformed cases."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tdkt.rulebook.engine import CaseError, parse_case
from tdkt.rulebook.engine.cli import check_main

CASES = Path(__file__).parent / "cases"
BASE = {
    "subject": {"kind": "individual"},
    "years": {"2024": {"rating": "htt"}},
    "ask": {"award": "ldtt", "year": 2024},
}


def _with(path: list, value):
    case = json.loads(json.dumps(BASE))
    node = case
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return case


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (["ask", "award"], "bang_khen_xyz", "ask.award"),
        (["years", "2024", "rating"], "xuat_sac", "years.2024.rating"),
        (["years", "20x4"], {}, "years.20x4"),
        (["ask", "year"], "năm ngoái", "ask.year"),
        (["ask", "proposed_on"], "2023-02-30", "ask.proposed_on"),
        (["years", "2024", "discipline"], [{"form": "phat_tien"}], "years.2024.discipline[0].form"),
        (["years", "2024", "initiatives"], [{"scope": "huyen"}], "years.2024.initiatives[0].scope"),
        (["years", "2024", "titles"], ["ldtt", {"code": "cstd_xyz"}], "years.2024.titles[1].code"),
        (["years", "2024", "months_worked"], 13, "years.2024.months_worked"),
    ],
)
def test_malformed_case_names_the_json_path(path, value, where):
    with pytest.raises(CaseError) as exc:
        parse_case(_with(path, value))
    assert str(exc.value).startswith(where + ":")


def test_titles_accept_codes_and_objects():
    facts, ask = parse_case(
        _with(
            ["years", "2024", "titles"],
            ["ldtt", {"code": "cstd_co_so", "decided_on": "2025-01-20", "ground": "htxs"}],
        )
    )
    titles = facts.years[2024].titles
    assert [t.code for t in titles] == ["ldtt", "cstd_co_so"] and titles[1].ground == "htxs"
    assert facts.years[2024].awards is None  # absent stays unknown, not empty


def test_check_prints_json_and_exits_0(tmp_path):
    f = tmp_path / "case.json"
    year = {"rating": "kht", "months_worked": 12, "discipline": []}
    f.write_text(json.dumps(_with(["years", "2024"], year)))
    out, err = io.StringIO(), io.StringIO()
    assert check_main(str(f), out, err) == 0
    data = json.loads(out.getvalue())
    assert set(data) == {"award", "year", "regime", "verdict", "reasons", "missing", "pending", "forecast"}
    assert data["verdict"] == "not_eligible" and data["forecast"]["year"] == 2025
    assert set(data["reasons"][0]) == {"rule", "met", "detail", "cite"}


def test_check_exits_2_with_vietnamese_message(tmp_path):
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(_with(["ask", "proposed_on"], "2023-02-30")))
    out, err = io.StringIO(), io.StringIO()
    assert check_main(str(f), out, err) == 2
    assert "ngày không hợp lệ" in err.getvalue() and out.getvalue() == ""
    assert check_main(str(tmp_path / "none.json"), out, err) == 2


def test_unknown_route_is_an_error(tmp_path):
    f = tmp_path / "r.json"
    f.write_text(json.dumps(_with(["ask", "route"], "99.9")))
    err = io.StringIO()
    assert check_main(str(f), io.StringIO(), err) == 2 and "99.9" in err.getvalue()


@pytest.mark.parametrize("path", sorted(CASES.glob("*.json")), ids=lambda p: p.stem)
def test_own_case_files(path):
    from tdkt.rulebook.engine import evaluate

    data = json.loads(path.read_text(encoding="utf-8"))
    facts, ask = parse_case(data["case"])
    v = evaluate(facts, ask.award, ask.year, proposed_on=ask.proposed_on, route=ask.route).to_dict()
    for key, value in data["expect"].items():
        assert v[key] == value, (key, v)
