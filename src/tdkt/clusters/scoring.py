"""The arithmetic of a scoring table: a line's points from what the member gave, a sheet's totals over the
tree, and the ranking of a cluster with the regulation's tie-break. Plain Python on plain values (no
queries), so that the sheet page, the lock and the ranking count the same way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from tdkt.clusters.enums import CriterionKind

TWO = Decimal("0.01")
ZERO = Decimal("0")
TIE_BREAK_KEYS = ("bonus", "deduction", "self")


@dataclass(frozen=True)
class Line:
    """What the arithmetic needs of a criterion."""

    id: int
    parent_id: int | None
    code: str
    kind: str
    max_points: Decimal | None
    cap_ratio: Decimal | None = None


def q(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def line_points(line: Line, value: Decimal | None, target: Decimal | None) -> Decimal | None:
    """The points a line makes from the member's value; None while nothing is given. Bad values are
    refused by `check_value` before they get here."""
    if value is None:
        return None
    if line.kind == CriterionKind.TARGET:
        if not target:
            return None
        ratio = value / target
        cap = line.cap_ratio if line.cap_ratio and line.cap_ratio > 1 else Decimal(1)
        return q((line.max_points or ZERO) * min(ratio, cap))
    return q(value)


def check_value(line: Line, value: Decimal, target: Decimal | None) -> str | None:
    """Why a value cannot be given for the line (Vietnamese), or None."""
    if value < 0:
        if line.kind == CriterionKind.DEDUCTION:
            return _("Điểm trừ ghi số dương (số điểm bị trừ), không ghi số âm.")
        return _("Không ghi số âm.")
    if line.kind == CriterionKind.TARGET:
        if not target:
            return _("Đơn vị chưa có chỉ tiêu giao cho tiêu chí này trong giao ước.")
        return None
    if line.max_points is not None and value > line.max_points:
        return _("Vượt điểm tối đa của tiêu chí (%(max)s).") % {"max": fmt(line.max_points)}
    return None


def fmt(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{q(value):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text[:-3] if text.endswith(",00") else text


def plain(value: Decimal | None) -> str:
    """A number to put back in an input box: decimal comma, no thousands separator ("1234,5"), so that
    what the user sends back reads as the same number."""
    if value is None:
        return ""
    text = f"{q(value):.2f}".replace(".", ",")
    return text.rstrip("0").rstrip(",") if "," in text else text


@dataclass
class Totals:
    total: Decimal = ZERO
    bonus: Decimal = ZERO
    deduction: Decimal = ZERO
    groups: dict[str, Decimal] = field(default_factory=dict)  # top-level group code -> its points
    missing: list[str] = field(default_factory=list)  # codes of scored lines with nothing given


def totals(lines: Sequence[Line], points: dict[int, Decimal | None]) -> Totals:
    """The sheet's totals: each group adds its lines (capped at its maximum when it has one), bonus
    and deduction lines counted apart, deductions subtracted; never below zero."""
    children: dict[int | None, list[Line]] = {}
    for line in lines:
        children.setdefault(line.parent_id, []).append(line)
    out = Totals()

    def walk(line: Line) -> tuple[Decimal, Decimal, Decimal]:
        """(plain points, bonus, deduction) of a line and its subtree, caps applied."""
        if line.kind == CriterionKind.GROUP:
            plain = bonus = deduction = ZERO
            for child in children.get(line.id, []):
                p, b, d = walk(child)
                plain, bonus, deduction = plain + p, bonus + b, deduction + d
            if line.max_points is not None:
                plain = min(plain, line.max_points)
                bonus = min(bonus, line.max_points)
                deduction = min(deduction, line.max_points)
            return plain, bonus, deduction
        got = points.get(line.id)
        if got is None:
            out.missing.append(line.code)
            got = ZERO
        if line.kind == CriterionKind.BONUS:
            return ZERO, got, ZERO
        if line.kind == CriterionKind.DEDUCTION:
            return ZERO, ZERO, got
        return got, ZERO, ZERO

    plain = ZERO
    for top in children.get(None, []):
        p, b, d = walk(top)
        plain, out.bonus, out.deduction = plain + p, out.bonus + b, out.deduction + d
        out.groups[top.code] = q(p + b - d)
    out.total = q(max(plain + out.bonus - out.deduction, ZERO))
    out.bonus, out.deduction = q(out.bonus), q(out.deduction)
    return out


@dataclass(frozen=True)
class Entry:
    unit_id: int
    total: Decimal
    bonus: Decimal
    deduction: Decimal
    self_gap: Decimal = ZERO  # |self-scored total − appraised total|


@dataclass(frozen=True)
class Placed:
    entry: Entry
    rank: int
    tied: bool  # shares its rank with another member: the rules could not break the tie


def _key(entry: Entry, rules: Iterable[str]) -> tuple:
    out: list = [-entry.total]
    for rule in rules:
        if rule == "bonus":
            out.append(-entry.bonus)
        elif rule == "deduction":
            out.append(entry.deduction)
        elif rule == "self":
            out.append(entry.self_gap)
    return tuple(out)


def rank(entries: Iterable[Entry], rules: Sequence[str]) -> list[Placed]:
    """Rank by total, then by the tie-break rules in their order; members still equal share a rank
    (standard competition ranking: 1, 2, 2, 4) and are marked tied, for the conference to decide."""
    rules = [r for r in rules if r in TIE_BREAK_KEYS]
    ordered = sorted(entries, key=lambda e: (_key(e, rules), e.unit_id))
    keys = [_key(e, rules) for e in ordered]
    out: list[Placed] = []
    for i, entry in enumerate(ordered):
        first = keys.index(keys[i])
        shared = keys.count(keys[i]) > 1
        out.append(Placed(entry=entry, rank=first + 1, tied=shared))
    return out
