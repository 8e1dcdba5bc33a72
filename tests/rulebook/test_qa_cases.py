"""The engine against official answers (Bộ Nội vụ, Ban TĐKT Trung ương, provincial boards).

Each file in `qa_cases/` is one situation taken from a published official answer, with its source URL, a
short summary of question and answer, the facts in the case-file format of
`shared/domain/eligibility-cases.md`, and the verdict the answer gives. The list of answers and the rules
they confirm is in `docs/law-qa.md`.

Pure engine tests: no database.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tdkt.rulebook.engine import evaluate
from tdkt.rulebook.engine.casefile import parse_case

QA_DIR = Path(__file__).parent / "qa_cases"
FILES = sorted(QA_DIR.glob("*.json"))
VERDICTS = {"eligible", "not_eligible", "undetermined"}
REGIMES = {"law-2022", "law-2013"}
NAME = re.compile(r"^\d{3}-[a-z0-9-]+\.json$")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _explain(path: Path, qa: dict, out: dict | None, problem: str) -> str:
    return "\n".join(
        [
            f"{path.name}: {problem}",
            f"  nguồn: {qa.get('source')} ({qa.get('answered_by')}, {qa.get('date')})",
            f"  hỏi: {qa.get('question')}",
            f"  trả lời: {qa.get('answer')}",
            f"  kỳ vọng: {json.dumps(qa.get('expect'), ensure_ascii=False)}",
            "  kết quả của engine:",
            json.dumps(out, ensure_ascii=False, indent=2) if out is not None else "  (không có)",
        ]
    )


def test_there_are_qa_cases():
    assert len(FILES) >= 50, f"chỉ có {len(FILES)} tình huống hỏi đáp trong {QA_DIR}"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_case_file_is_well_formed(path: Path):
    assert NAME.match(path.name), f"tên tệp phải dạng NNN-ten-ngan.json: {path.name}"
    qa = _load(path)
    for key in ("source", "answered_by", "date", "question", "answer", "case", "expect"):
        assert key in qa, f"{path.name}: thiếu '{key}'"
    assert re.match(r"^https?://\S+$", qa["source"]), f"{path.name}: 'source' phải là URL"
    assert qa["answered_by"].strip(), f"{path.name}: thiếu cơ quan trả lời"
    date_ok = qa["date"] is None or re.match(r"^\d{4}-\d{2}-\d{2}$", qa["date"])
    assert date_ok, f"{path.name}: ngày không hợp lệ"
    assert qa["question"].strip() and qa["answer"].strip()
    exp = qa["expect"]
    assert exp.get("verdict") in VERDICTS, f"{path.name}: expect.verdict không hợp lệ: {exp.get('verdict')!r}"
    assert set(exp) <= {"verdict", "failing_rules_contain", "regime"}, f"{path.name}: khóa lạ trong expect"
    if "regime" in exp:
        assert exp["regime"] in REGIMES
    assert isinstance(exp.get("failing_rules_contain", []), list)
    facts, ask = parse_case(qa["case"])  # raises CaseError with the JSON path on a malformed case
    assert ask.award and ask.year
    if exp.get("regime") == "law-2013":
        # The old law answers only questions proposed before the 2022 law took over.
        day = ask.proposed_on.isoformat() if ask.proposed_on else f"{ask.year + 1}-03-01"
        assert day < "2024-01-01", f"{path.name}: câu trả lời theo luật cũ nhưng ngày đề nghị {day}"
        assert max(facts.years) < 2024


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_engine_decides_as_the_official_answer(path: Path):
    qa = _load(path)
    facts, ask = parse_case(qa["case"])
    verdict = evaluate(facts, ask.award, ask.year, proposed_on=ask.proposed_on, route=ask.route)
    out = verdict.to_dict()
    exp = qa["expect"]
    if "regime" in exp:
        assert out["regime"] == exp["regime"], _explain(path, qa, out, f"chế độ pháp lý {out['regime']}")
    assert out["verdict"] == exp["verdict"], _explain(path, qa, out, f"kết luận {out['verdict']}")
    failing = [r["rule"] for r in out["reasons"] if r["met"] is False]
    for part in exp.get("failing_rules_contain", []):
        assert any(part in rule for rule in failing), _explain(
            path, qa, out, f"không có tiêu chí không đạt nào chứa '{part}' (không đạt: {failing})"
        )
    for r in out["reasons"]:
        assert r.get("cite"), _explain(path, qa, out, f"tiêu chí {r.get('rule')} thiếu điều luật")
