"""The shared parts of the access matrix (test_access_matrix.py) and of its per-capability tables
(access_<app>.py): the columns, how a table is read, the world's shape, how each URL is asked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tdkt.core.models import Job
from tdkt.org.models import Collective, Person, Unit
from tdkt.rulebook.models import EligibilityRun

SUBJECTS = (
    "admin",  # adm: system admin
    "specialist",  # spc: ministry TĐKT specialist
    "officer",  # off: unit TĐKT officer
    "unit_head",  # hd
    "council_member",  # cnc
    "leader",  # ldr
    "bloc_head",  # blc
    "inspector",  # ins
    "portal_editor",  # prt
    "staff",  # stf
    "no_role",  # non
    "anonymous",  # ano
)


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    target: str
    outcomes: dict[str, str]

    @property
    def id(self) -> str:
        return f"{self.name}-{self.method}-{self.target}"


def _parse(table: str) -> list[Row]:
    rows = []
    for line in table.strip().splitlines():
        if line.startswith("#"):
            continue
        name, method, target, *codes = line.split()
        assert len(codes) == len(SUBJECTS), f"{name} {target}: {len(codes)} outcomes for {len(SUBJECTS)}"
        rows.append(Row(name, method, target, dict(zip(SUBJECTS, codes, strict=True))))
    return rows


@dataclass
class World:
    units: dict[str, Unit]
    people: dict[str, Person]
    collectives: dict[str, Collective]
    runs: dict[str, EligibilityRun]
    other_job: Job
    unit_job: Job
    bool_key: str
    stored_key: str
    own_job: Job | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # objects the app tables build (access_*.py)


@dataclass(frozen=True)
class Request:
    path: str
    data: dict | None = None
    marker: str | None = None  # the object's name: on the page when allowed, absent when refused
    redirect: str | None = None  # where a 302 leads (its beginning)


@dataclass(frozen=True)
class Endpoint:
    request: Callable[[World, str], Request]
    rows: Callable[[Any], set[str]] | None = None  # the names (or counts) a list shows
    expected_rows: dict[str, set[str]] = field(default_factory=dict)
    changes: bool = False  # a POST that writes when allowed
