"""Vietnamese text: accent folding for search and the dictionary sort order for names."""

from __future__ import annotations

import unicodedata

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics and collapse spaces: "Nguyễn  Văn Ân" -> "nguyen van an"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
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
