"""Vietnamese text: accent folding for search and the dictionary sort order for names."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})
CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./")


def _visible(text: str) -> str:
    """Without format characters (zero-width space U+200B, BOM U+FEFF, soft hyphen U+00AD, direction
    overrides U+202A–U+202E, ...) and with control characters (tabs, line breaks, NUL) as spaces."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        out.append(" " if category == "Cc" else ch)
    return "".join(out)


def clean(text: str | None) -> str:
    """The text as stored: NFC, no invisible characters, spaces collapsed and trimmed.

    Every write of a name or a code goes through it, so two records cannot differ only by a character
    nobody can see ("CB000001" and "CB000001\u200b") or by the way an accent was encoded."""
    if not text:
        return ""
    return " ".join(_visible(unicodedata.normalize("NFC", str(text))).split())


def is_digits(text: str | None) -> bool:
    """Plain ASCII digits only. `str.isdigit` also says yes to "²", "１２" and "٣", which `int` then
    refuses or reads as another number: every number typed by a user is checked with this."""
    return bool(text) and text.isascii() and text.isdigit()


def clean_block(text: str | None) -> str:
    """A multi-line text as stored (a report, a reason, a comment): like `clean` line by line, so the
    paragraphs stay but NUL and other control characters, invisible characters and trailing spaces go;
    more than one empty line in a row becomes one."""
    if not text:
        return ""
    lines = [clean(line) for line in unicodedata.normalize("NFC", str(text)).splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def clean_code(text: str | None) -> str:
    """A code as stored: `clean`, then compatibility forms folded (full-width "ＣＢ０１" -> "CB01"). The
    case is kept; uniqueness ignores it (a unique index on the lower-cased code). Whether every
    character is allowed is `code_problem`'s question."""
    return clean(unicodedata.normalize("NFKC", str(text or "")))


def code_problem(code: str) -> str | None:
    """Why `code` (already cleaned) cannot be a code, or None. Codes are plain ASCII so that no two can
    look alike: a Cyrillic "С" looks exactly like a Latin "C"."""
    bad = sorted({ch for ch in code if ch not in CODE_CHARS})
    if not bad:
        return None
    shown = ", ".join(_("dấu cách") if ch == " " else f"'{ch}' (U+{ord(ch):04X})" for ch in bad[:3])
    return _(
        "Mã '%(code)s' có ký tự không dùng được trong mã: %(chars)s. Mã chỉ gồm chữ cái không dấu, chữ "
        "số và các dấu - _ . /"
    ) % {"code": code, "chars": shown}


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics and collapse spaces: "Nguyễn  Văn Ân" -> "nguyen van an".

    Compatibility forms are folded first and invisible characters dropped, so a query typed in
    full-width letters or pasted with a zero-width space finds the same names ("Ｈạｎｈ" -> "hanh")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", _visible(str(text)).translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


# Vietnamese alphabet order; each letter has a two-character rank so keys compare as plain strings.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: f"{i + 10:02d}" for i, ch in enumerate(_ALPHABET)}
# Tone marks in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a different letter (ă, â, ê, ô, ơ, ư), recomposed before ranking.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def _word_key(word: str) -> str:
    letters: list[str] = []
    tone = "0"
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch in _LETTER_MARKS and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        else:
            letters.append(ch)
    ranked = "".join(_LETTER_RANK.get(ch, "99" if not ch.isdigit() else "0" + ch) for ch in letters)
    return ranked + tone


def name_sort_key(family_name: str, middle_name: str, given_name: str) -> str:
    """Key that sorts by given name, then middle name, then family name, the Vietnamese way."""
    parts = []
    for part in (given_name, middle_name, family_name):
        parts.append(" ".join(_word_key(w) for w in (part or "").split()))
    return "|".join(parts)
