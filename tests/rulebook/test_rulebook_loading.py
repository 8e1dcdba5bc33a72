"""The regime files load, every rule cites its article, and bad files fail with file and key named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tdkt.rulebook.engine import RulebookError, load_rulebooks
from tdkt.rulebook.engine.codes import AWARD_CODES
from tdkt.rulebook.engine.loader import DATA_DIR


def _copy(tmp_path: Path) -> Path:
    for f in DATA_DIR.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def _edit(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_both_regimes_load_with_every_code():
    books = load_rulebooks()
    assert [r.code for r in books.regimes] == ["law-2013", "law-2022"]
    for regime in books.regimes:
        assert set(regime.awards) == set(AWARD_CODES)


def test_every_criterion_has_a_citation():
    for regime in load_rulebooks().regimes:
        for award in regime.awards.values():
            assert award.definition.cite
            for route in award.routes:
                for crit in route.criteria:
                    assert crit.cite.strip(), crit.rule


def test_regime_chosen_by_proposal_date():
    books = load_rulebooks()
    from datetime import date

    assert books.regime_for(date(2023, 12, 31)).code == "law-2013"
    assert books.regime_for(date(2024, 1, 1)).code == "law-2022"


def test_missing_cite_names_file_and_key(tmp_path):
    d = _copy(tmp_path)
    _edit(d / "law-2022.yaml", lambda x: x["awards"]["cstd_bo"]["routes"][0]["criteria"][1].pop("cite"))
    with pytest.raises(RulebookError) as exc:
        load_rulebooks(d)
    assert str(exc.value) == (
        "law-2022.yaml: awards.cstd_bo.routes[0].criteria[1].cite: thiếu trích dẫn điều khoản"
    )


def test_empty_cite_is_rejected(tmp_path):
    d = _copy(tmp_path)

    def blank(x):
        x["awards"]["ldtt"]["routes"][0]["criteria"][0]["cite"] = " "

    _edit(d / "law-2022.yaml", blank)
    with pytest.raises(RulebookError, match=r"ldtt\.routes\[0\]\.criteria\[0\]\.cite: thiếu"):
        load_rulebooks(d)


def test_unknown_award_code(tmp_path):
    d = _copy(tmp_path)
    _edit(d / "law-2022.yaml", lambda x: x["awards"].__setitem__("huy_chuong_xyz", x["awards"]["ldtt"]))
    with pytest.raises(RulebookError, match=r"law-2022.yaml: awards\.huy_chuong_xyz: mã .* không hợp lệ"):
        load_rulebooks(d)


def test_unknown_predicate_kind(tmp_path):
    d = _copy(tmp_path)

    def bad(x):
        x["awards"]["ldtt"]["routes"][0]["criteria"][0]["kind"] = "rating_above_moon"

    _edit(d / "law-2022.yaml", bad)
    with pytest.raises(RulebookError, match=r"ldtt\.routes\[0\]\.criteria\[0\]\.kind: .*above_moon"):
        load_rulebooks(d)


def test_cycle_in_prerequisites(tmp_path):
    d = _copy(tmp_path)
    _edit(d / "law-2022.yaml", lambda x: x["awards"]["ldtt"].__setitem__("prerequisites", ["cstd_bo"]))
    with pytest.raises(RulebookError, match=r"law-2022.yaml: awards\..*prerequisites: vòng lặp"):
        load_rulebooks(d)


def test_overlapping_regimes(tmp_path):
    d = _copy(tmp_path)
    _edit(d / "law-2013.yaml", lambda x: x.__setitem__("effective_to", "2024-06-30"))
    with pytest.raises(RulebookError, match=r"law-2013.yaml, law-2022.yaml: .*chồng lấn"):
        load_rulebooks(d)


def test_unknown_setting_reference(tmp_path):
    d = _copy(tmp_path)

    def bad(x):
        x["awards"]["giay_khen"]["routes"][0]["criteria"][0]["params"]["min"] = "setting:nope.key"

    _edit(d / "law-2022.yaml", bad)
    with pytest.raises(RulebookError, match="cài đặt không tồn tại 'nope.key'"):
        load_rulebooks(d)


def test_missing_required_param(tmp_path):
    d = _copy(tmp_path)
    _edit(d / "law-2022.yaml", lambda x: x["awards"]["ldtt"]["routes"][0]["criteria"][0]["params"].clear())
    with pytest.raises(RulebookError, match=r"criteria\[0\]\.params: thiếu tham số min"):
        load_rulebooks(d)


def test_engine_does_not_import_django():
    import subprocess
    import sys

    code = (
        "import sys, tdkt.rulebook.engine as e; e.load_rulebooks();"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
