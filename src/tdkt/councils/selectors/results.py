"""Results of a closed ballot, counted from its counters (one query), by the rule frozen when it opened."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db import connection
from django.utils.translation import gettext as _

from tdkt.core.errors import ServiceError
from tdkt.councils.enums import BallotStatus, Basis, Choice
from tdkt.councils.models import (
    Ballot,
    BallotTally,
    Meeting,
    MeetingItem,
)
from tdkt.councils.selectors.rule import VoteRule, _percent


@dataclass(frozen=True)
class ItemResult:
    """The result of one item of a closed ballot."""

    item_id: int
    key: str
    label: str
    group: str
    person_id: int | None
    agree: int
    disagree: int
    abstain: int
    base: int  # members the threshold is counted on, for this item
    basis: str  # Basis
    needed: int  # agree votes needed
    passed: bool
    recused: bool  # the item's person is a member counted in the base: not voting on this line
    ballot_id: int = 0

    @property
    def voted(self) -> int:
        return self.agree + self.disagree + self.abstain

    def share(self, count: int) -> str:
        return _percent(Fraction(count, self.base)) if self.base else "—"

    @property
    def agree_percent(self) -> str:
        return self.share(self.agree)

    @property
    def disagree_percent(self) -> str:
        return self.share(self.disagree)

    @property
    def abstain_percent(self) -> str:
        return self.share(self.abstain)

    @property
    def basis_label(self) -> str:
        return str(Basis(self.basis).label)


def counter_rows(ballot_ids: list[int]) -> dict[int, list[tuple]]:
    """Per ballot, one row per item in agenda order — (item id, key, label, group, person id, agree,
    disagree, abstain) — summed from the counters by the database: one query for all the ballots.
    Plain SQL: this is the one read a tally is made of, and the ORM doubled its cost."""
    if not ballot_ids:
        return {}
    qn = connection.ops.quote_name
    tally, item = BallotTally._meta, MeetingItem._meta

    def col(meta, name):
        return qn(meta.get_field(name).column)

    choice, count = f"t.{col(tally, 'choice')}", f"t.{col(tally, 'count')}"
    sums = ", ".join(
        f"SUM(CASE WHEN {choice} = '{c}' THEN {count} ELSE 0 END)"
        for c in (Choice.AGREE, Choice.DISAGREE, Choice.ABSTAIN)
    )
    shown = ", ".join(f"i.{col(item, f)}" for f in ("id", "key", "label", "group", "person"))
    ballot, item_id = f"t.{col(tally, 'ballot')}", f"i.{col(item, 'id')}"
    sql = (
        f"SELECT {ballot}, {shown}, {sums} FROM {qn(tally.db_table)} t JOIN {qn(item.db_table)} i "
        f"ON {item_id} = t.{col(tally, 'item')} WHERE {ballot} IN ({', '.join(['%s'] * len(ballot_ids))}) "
        f"GROUP BY {ballot}, {shown}, i.{col(item, 'order')} ORDER BY i.{col(item, 'order')}, {item_id}"
    )
    rows: dict[int, list[tuple]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ballot_ids))
        for row in cursor.fetchall():
            rows[row[0]].append(row[1:])
    return rows


def compute_results(ballot: Ballot, rows: list[tuple] | None = None) -> list[ItemResult]:
    """The results from the ballot's counters by the rule frozen at open. Once the ballot is closed its
    counters never change again (no vote and no paper figures are taken after the close): they are the
    final result, read in one query."""
    rule = VoteRule.from_json(ballot.rule)
    snapshot = ballot.rule
    if rows is None:
        rows = counter_rows([ballot.pk]).get(ballot.pk, [])
    if rule.basis == Basis.PRESENT:
        base_all = snapshot.get("roll_size", 0)
        recused_ids = set(snapshot.get("recused_on_roll", []))
    else:
        base_all = ballot.members_total
        recused_ids = set(snapshot.get("recused_in_council", []))
    needed_for: dict[int, int] = {}
    ballot_id, basis = ballot.pk, rule.basis
    results = []
    for item_id, key, label, group, person_id, agree, disagree, abstain in rows:
        recused = item_id in recused_ids
        base = max(base_all - (1 if recused else 0), 0)
        needed = needed_for.get(base)
        if needed is None:
            needed = needed_for[base] = rule.needed(base)
        results.append(
            ItemResult(
                item_id, key, label, group, person_id, agree, disagree, abstain, base, basis, needed,
                base > 0 and agree >= needed, recused, ballot_id,
            )
        )  # fmt: skip
    return results


def ballot_results(ballot: Ballot) -> list[ItemResult]:
    """Per item of a CLOSED ballot: agree / disagree / abstain, the base, the votes needed, passed or not.
    The counters of an open ballot are read by nobody: ServiceError."""
    if ballot.status != BallotStatus.CLOSED:
        raise ServiceError(_("Kết quả chỉ có sau khi đóng phiếu."))
    return compute_results(ballot)


def results_by_key(meeting: Meeting) -> dict[str, ItemResult]:
    """The latest result of each item of `meeting` (a re-vote overrides the ballot it replaced)."""
    latest: dict[str, ItemResult] = {}
    closed = list(meeting.ballots.filter(status=BallotStatus.CLOSED).order_by("closed_at", "number"))
    rows = counter_rows([b.pk for b in closed])
    for ballot in closed:
        for r in compute_results(ballot, rows.get(ballot.pk, [])):
            latest[r.key] = r
    return latest
