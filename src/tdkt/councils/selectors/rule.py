"""The vote rule: threshold, basis and quorum of a council's secret ballot, read in one place: `vote_rule`."""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.councils.enums import Basis
from tdkt.councils.models import (
    Meeting,
)
from tdkt.org.models import Unit

THRESHOLD_KEY = "council.vote_threshold"
BASIS_KEY = "council.vote_basis"
QUORUM_KEY = "council.quorum"
UNCONFIRMED = "mức cũ, chưa xác nhận với quy định hiện hành"

_PRESENT_WORDS = ("có mặt", "dự họp", "tham dự", "hiện diện")
_NO_QUORUM_WORDS = ("không quy định",)
_FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)")
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_WORD_FRACTIONS = {"hai phần ba": Fraction(2, 3), "ba phần tư": Fraction(3, 4), "một nửa": Fraction(1, 2)}
_MORE_THAN_HALF = ("quá bán", "quá nửa", "hơn một nửa", "trên một nửa", "trên 50%")
_OLD_NOTE = re.compile(r"\s*\((?:mức cũ|mặc định)[^)]*\)")


def _clean_cite(cite: str) -> str:
    """ "NĐ 91/2017, Điều 45, khoản 8 (mức cũ, dùng làm mặc định)" -> without the rulebook's own note."""
    return " ".join(_OLD_NOTE.sub("", cite or "").split()).strip(" ;,")


def parse_basis(text: str) -> str:
    """The setting's words -> Basis: "… có mặt" counts on those present, anything else on all members."""
    low = (text or "").lower()
    return Basis.PRESENT if any(w in low for w in _PRESENT_WORDS) else Basis.ALL


def parse_quorum(text: str) -> tuple[Fraction | None, bool]:
    """The quorum setting's words -> (share of the voting members that must be present, strictly more).
    "2/3", "67%", "hai phần ba", "quá bán"; "không quy định riêng…" (the legal default) -> no quorum."""
    low = (text or "").lower()
    if not low or any(w in low for w in _NO_QUORUM_WORDS):
        return None, False
    if any(w in low for w in _MORE_THAN_HALF):
        return Fraction(1, 2), True
    m = _FRACTION.search(low)
    if m and int(m.group(2)) > 0:
        return Fraction(int(m.group(1)), int(m.group(2))), False
    m = _PERCENT.search(low)
    if m:
        return Fraction(Decimal(m.group(1).replace(",", "."))) / 100, False
    for words, share in _WORD_FRACTIONS.items():
        if words in low:
            return share, False
    return None, False


def _percent(value: Fraction | Decimal | float) -> str:
    text = f"{float(value) * 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


@dataclass(frozen=True)
class VoteRule:
    """Threshold, basis and quorum of a council's secret ballot, with where each comes from."""

    threshold: str  # a decimal as text ("0.9"): exact arithmetic, JSON-safe
    basis: str  # Basis
    basis_text: str
    quorum_text: str
    quorum_share: str | None  # a fraction as text ("2/3") or None: no quorum of its own
    quorum_strict: bool
    cite: str
    quorum_cite: str
    confirmed: bool
    agency_set: bool  # the agency changed one of the values
    level: str = "unit"

    # -- arithmetic
    def needed(self, base: int) -> int:
        """Agree votes needed on `base` members: at least the threshold, so ceil(threshold × base)."""
        if base <= 0:
            return 0
        return math.ceil(Decimal(self.threshold) * base)

    def quorum_needed(self, total: int) -> int | None:
        if self.quorum_share is None:
            return None
        exact = Fraction(self.quorum_share) * total
        return math.floor(exact) + 1 if self.quorum_strict else math.ceil(exact)

    # -- in words
    @property
    def threshold_percent(self) -> str:
        return _percent(Decimal(self.threshold))

    @property
    def basis_label(self) -> str:
        return self.basis_text or str(Basis(self.basis).label)

    def _source(self, cite: str) -> str:
        if self.agency_set:
            return _("theo cài đặt của cơ quan; quy định gốc: %(cite)s") % {"cite": cite}
        if self.confirmed:
            return cite
        # the ministry's council: the decree's old level; a unit's: a default the agency confirms
        note = (
            UNCONFIRMED if self.level == "ministry" else _("giá trị mặc định, cơ quan xác nhận theo quy chế")
        )
        return f"{cite} — {note}"

    @property
    def describe(self) -> str:
        """ "Tỷ lệ đồng ý tối thiểu 90% tổng số thành viên Hội đồng (Nghị định 91/2017/NĐ-CP, …)"."""
        return _("Tỷ lệ đồng ý tối thiểu %(pct)s %(basis)s (%(source)s)") % {
            "pct": self.threshold_percent,
            "basis": self.basis_label,
            "source": self._source(self.cite),
        }

    @property
    def describe_quorum(self) -> str:
        return _("Điều kiện hợp lệ: %(text)s (%(source)s)") % {
            "text": self.quorum_text,
            "source": self._source(self.quorum_cite or self.cite),
        }

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VoteRule:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


KEYS = {
    # a ministry's (or province's) council: the decree's rule for its secret ballots
    "ministry": (THRESHOLD_KEY, BASIS_KEY, QUORUM_KEY),
    # a unit's own council: the agency's regulation (rulebook settings unit_council.*)
    "unit": ("unit_council.vote_threshold", "unit_council.vote_basis", "unit_council.quorum_ratio"),
}


def council_level(unit: Unit | None) -> str:
    """A council of the top of the tree (the ministry) votes by the ministry's rule; any other by the
    unit council's."""
    return "ministry" if unit is None or unit.parent_id is None else "unit"


def vote_rule(unit: Unit | None, level: str | None = None, *, on: datetime.date | None = None) -> VoteRule:
    """The vote rule of the council of `unit` at `level` ("unit", "ministry"; default from the unit's place
    in the tree) on `on` (today).

    THE one reader of the threshold, its basis and the quorum: the agency's rulebook settings of the
    level (`council.*` for the ministry's council, `unit_council.*` for a unit's), the regime in force on
    the day, the agency's value over the legal default."""
    from tdkt.rulebook.engine import load_rulebooks
    from tdkt.rulebook.services import VOTE_BASIS, agency_overrides

    level = level or council_level(unit)
    threshold_key, basis_key, quorum_key = KEYS.get(level, KEYS["unit"])
    day = on or timezone.localdate()
    regime = load_rulebooks().regime_for(day)
    overrides = {k: v for k, v in agency_overrides().items() if k in (threshold_key, basis_key, quorum_key)}
    values = regime.settings_at(day, overrides)
    settings = regime.settings
    threshold = values.get(threshold_key)
    if threshold is None:
        threshold = 0.9  # no such setting in this regime: the old rule, shown as unconfirmed
    basis_value = values.get(basis_key)
    if basis_value in VOTE_BASIS:  # a unit council's setting is a code
        basis, basis_text = basis_value, str(VOTE_BASIS[basis_value])
    else:
        basis_text = str(basis_value or Basis.ALL.label)
        basis = parse_basis(basis_text)
    quorum = values.get(quorum_key)
    if isinstance(quorum, int | float) and not isinstance(quorum, bool):
        share, strict = Fraction(str(quorum)).limit_denominator(100), False
        quorum_text = _("ít nhất %(pct)s số thành viên có quyền biểu quyết có mặt") % {"pct": _percent(share)}
    else:
        quorum_text = str(quorum or _("không quy định riêng"))
        share, strict = parse_quorum(quorum_text)
    t_setting = settings.get(threshold_key)
    q_setting = settings.get(quorum_key)
    return VoteRule(
        threshold=str(Decimal(str(threshold))),
        basis=basis,
        basis_text=basis_text,
        quorum_text=quorum_text,
        quorum_share=str(share) if share is not None else None,
        quorum_strict=strict,
        cite=_clean_cite(t_setting.cite) if t_setting else "",
        quorum_cite=_clean_cite(q_setting.cite) if q_setting else "",
        confirmed=bool(t_setting and t_setting.confirmed),
        agency_set=bool(overrides),
        level=level,
    )


def meeting_rule(meeting: Meeting) -> VoteRule:
    return vote_rule(meeting.council.unit, on=timezone.localdate(meeting.starts_at))
