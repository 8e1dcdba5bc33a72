"""Facts about one subject, as plain dataclasses: the one interface both adapters (ORM, case file) fill.

`None` means "not known" (a criterion needing it is undetermined); an empty tuple means "known: none".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True, frozen=True)
class Title:
    code: str
    decided_on: date | None = None
    ground: str | None = None  # "htxs" | "initiative" for cstd_co_so


@dataclass(slots=True, frozen=True)
class Award:
    code: str
    basis: str | None = None
    issuer: str | None = None
    decided_on: date | None = None
    period: tuple[int, int] | None = None  # achievement years named by the decision
    revoked: bool = False


@dataclass(slots=True, frozen=True)
class Initiative:
    kind: str = "initiative"  # initiative | research | combat
    scope: str | None = None  # co_so | bo | toan_quoc
    recognised: bool | None = None
    used_for: str | None = None


@dataclass(slots=True, frozen=True)
class Leave:
    kind: str
    days: int
    # Study leave (`kind == "study"`) only: the facts that decide whether the course counts as time worked
    # for Lao động tiên tiến (TT 01/2024/TT-BNV, TT 15/2025/TT-BNV; docs/law.md §3). `None`: not recorded.
    course_under_one_year: bool | None = None
    rules_kept: bool | None = None  # kept the rules of the training institution
    result: str | None = None  # STUDY_RESULTS; "khong_xep_loai" for a course without graded results


@dataclass(slots=True, frozen=True)
class Discipline:
    form: str | None = None
    date: date | None = None
    admin_sanction: bool = False


@dataclass(slots=True, frozen=True)
class Members:
    total: int | None = None
    completing: int | None = None
    ldtt: int | None = None
    cstd_co_so: int | None = None
    disciplined: int | None = None  # members disciplined with a warning (cảnh cáo) or heavier


@dataclass(slots=True)
class YearFacts:
    rating: str | None = None
    months_worked: float | None = None
    leave: tuple[Leave, ...] | None = None
    discipline: tuple[Discipline, ...] | None = None
    titles: tuple[Title, ...] | None = None
    awards: tuple[Award, ...] | None = None
    initiatives: tuple[Initiative, ...] | None = None
    registered: tuple[str, ...] | None = None
    members: Members | None = None

    def title(self, code: str) -> Title | None:
        if self.titles:
            for t in self.titles:
                if t.code == code:
                    return t
        return None


@dataclass(slots=True)
class SubjectFacts:
    kind: str = "individual"
    name: str = ""
    employment: str | None = None
    direct_worker: bool | None = None
    leader: bool | None = None
    joined: date | None = None
    established: date | None = None
    years: dict[int, YearFacts] = field(default_factory=dict)
    # derived views of the facts shared by every award judged for this subject (the engine's own
    # scratch space; facts are not changed once built, and a new SubjectFacts starts empty)
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)
