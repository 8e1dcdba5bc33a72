"""`tdkt eligibility check CASE.json`: print the verdict as JSON; exit 2 on a malformed case."""

from __future__ import annotations

import json
from typing import IO

from .casefile import CaseError, parse_case
from .evaluate import EngineError, evaluate
from .loader import RulebookError


def check_main(path: str, stdout: IO[str], stderr: IO[str]) -> int:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        stderr.write(f"Lỗi: không tìm thấy tệp {path}\n")
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        stderr.write(f"Lỗi: {path} không phải JSON hợp lệ: {exc}\n")
        return 2
    try:
        facts, ask = parse_case(data)
        verdict = evaluate(facts, ask.award, ask.year, proposed_on=ask.proposed_on, route=ask.route)
        out = verdict.to_dict()
    except (CaseError, EngineError) as exc:
        stderr.write(f"Lỗi trong {path}: {exc}\n")
        return 2
    except RulebookError as exc:
        stderr.write(f"Lỗi bộ quy tắc: {exc}\n")
        return 2
    stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    return 0
