"""`tdkt eligibility check` and `tdkt eligibility run` from the shell."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from tdkt.rulebook.services import codes_for
from tests.rulebook.test_adapters import rate

CASE = {
    "subject": {"kind": "individual", "employment": "civil_servant"},
    "years": {"2024": {"rating": "kht", "months_worked": 12, "discipline": []}},
    "ask": {"award": "ldtt", "year": 2024},
}


def test_check_prints_the_verdict_as_json_and_exits_0(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    out = io.StringIO()
    call_command("eligibility", "check", str(path), stdout=out)
    verdict = json.loads(out.getvalue())
    assert verdict["verdict"] == "not_eligible"
    assert verdict["forecast"]["year"] == 2025
    assert all(r["cite"] for r in verdict["reasons"])


def test_check_of_a_malformed_case_exits_2_with_a_message(tmp_path):
    bad = json.loads(json.dumps(CASE))
    bad["ask"]["award"] = "huan_chuong_khong_co"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("eligibility", "check", str(path), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert "ask.award" in err.getvalue()


def test_run_writes_csv_with_a_header(tree, people):
    rate(people["an"], 2024, "htt")
    rate(people["cuong"], 2024, "kht")
    out = io.StringIO()
    call_command(
        "eligibility",
        "run",
        "--year",
        "2024",
        "--unit",
        "VU-A",
        "--format",
        "csv",
        stdout=out,
        stderr=io.StringIO(),
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert set(rows[0]) == {"subject_kind", "subject_code", "name", "unit", "award", "verdict", "failing"}
    assert len(rows) == 2 * len(codes_for("individual", 2024))  # An and Bình; Cường is in unit B
    ldtt = {r["name"]: r for r in rows if r["award"] == "ldtt"}
    assert ldtt["Nguyễn Văn An"]["verdict"] == "eligible"
    assert ldtt["Trần Thị Bình"]["verdict"] == "undetermined"
    assert "kết quả xếp loại năm 2024" in ldtt["Trần Thị Bình"]["failing"]


def test_run_of_an_unknown_unit_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có đơn vị mã XYZ"):
        call_command("eligibility", "run", "--year", "2024", "--unit", "XYZ", stdout=io.StringIO())
