"""Check the translation catalogues: every entry translated, none fuzzy, and each .mo matches its .po.

Run as `python -m tdkt.core.i18ncheck` (CI) or `python -m tdkt.core.i18ncheck --compile` to write the
.mo files (with polib, so no GNU gettext is needed to build). Exit status 1 lists what is wrong.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def _catalogues() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def _placeholders(text: str) -> set[str]:
    """The named %(x)s / {x} slots of a text: a translation must keep every one (a count dropped from a
    plural form, as a fuzzy match once did, shows "đơn vị" where "3 đơn vị" was meant)."""
    return {a or b for a, b in _PLACEHOLDER.findall(text)}


def check(compile_mo: bool = False) -> list[str]:
    import polib

    problems: list[str] = []
    for po_path in _catalogues():
        po = polib.pofile(str(po_path))
        if po_path.parent.parent.name == "vi":
            # Vietnamese is the source language of the interface: the catalogue maps each text to itself
            # unless a translator reworded it.
            for entry in po:
                if not entry.msgstr and not entry.msgid_plural:
                    entry.msgstr = entry.msgid
                if entry.msgid_plural and not any(entry.msgstr_plural.values()):
                    entry.msgstr_plural = {0: entry.msgid}
                if entry.msgid_plural and entry.msgstr_plural.get(0) not in (entry.msgid, entry.msgid_plural):
                    # one form only in Vietnamese: the source text itself (a fuzzy match once put
                    # "%(n)s đơn vị" for "%(n)s đơn vị chưa đăng ký")
                    problems.append(
                        f"{po_path}: dạng số nhiều khác với câu gốc: {entry.msgid!r} -> "
                        f"{entry.msgstr_plural.get(0)!r}"
                    )
            if compile_mo:
                po.save()
        for entry in po.translated_entries():
            wanted = _placeholders(entry.msgid)
            texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            for text in texts:
                if _placeholders(text) != wanted:
                    problems.append(
                        f"{po_path}: bản dịch không giữ đúng các chỗ điền {sorted(wanted)}: "
                        f"{entry.msgid!r} -> {text!r}"
                    )
        untranslated = [e.msgid for e in po.untranslated_entries()]
        fuzzy = [e.msgid for e in po.fuzzy_entries()]
        for msgid in untranslated[:20]:
            problems.append(f"{po_path}: chưa dịch: {msgid!r}")
        for msgid in fuzzy[:20]:
            problems.append(f"{po_path}: bản dịch còn 'fuzzy': {msgid!r}")
        mo_path = po_path.with_suffix(".mo")
        if compile_mo:
            po.save_as_mofile(str(mo_path))
        elif not mo_path.exists():
            problems.append(f"{mo_path}: thiếu tệp .mo (chạy python -m tdkt.core.i18ncheck --compile)")
        else:
            compiled = {e.msgid: e.msgstr for e in polib.mofile(str(mo_path))}
            stale = [
                e.msgid
                for e in po.translated_entries()
                if not e.msgid_plural and compiled.get(e.msgid) != e.msgstr
            ]
            for msgid in stale[:20]:
                problems.append(f"{mo_path}: chưa biên dịch lại sau khi sửa: {msgid!r}")
    if not _catalogues():
        problems.append(f"{LOCALE}: không có catalogue dịch nào")
    return problems


def main() -> int:
    problems = check(compile_mo="--compile" in sys.argv)
    for line in problems:
        print(line, file=sys.stderr)
    print(f"{len(_catalogues())} catalogue(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
