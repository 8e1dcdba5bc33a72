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
    """The counters of the ballots, with their items, in agenda order: one query for all of them.
    Plain SQL: this is the one read a tally is made of, and the ORM doubled its cost."""
    if not ballot_ids:
        return {}
    qn = connection.ops.quote_name
    tally, item = BallotTally._meta, MeetingItem._meta

    def col(meta, name):
        return qn(meta.get_field(name).column)

    sql = (
        f"SELECT t.{col(tally, 'ballot')}, t.{col(tally, 'item')}, i.{col(item, 'key')}, "
        f"i.{col(item, 'label')}, i.{col(item, 'group')}, i.{col(item, 'person')}, t.{col(tally, 'choice')}, "
        f"t.{col(tally, 'count')} FROM {qn(tally.db_table)} t JOIN {qn(item.db_table)} i "
        f"ON i.{col(item, 'id')} = t.{col(tally, 'item')} WHERE t.{col(tally, 'ballot')} IN "
        f"({', '.join(['%s'] * len(ballot_ids))}) ORDER BY i.{col(item, 'order')}, i.{col(item, 'id')}"
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
    counts: dict[int, dict[str, int]] = {}
    info: dict[int, tuple] = {}
    for item_id, key, label, group, person_id, choice, count in rows:
        counts.setdefault(item_id, {})[choice] = count
        info[item_id] = (key, label, group, person_id)
    if rule.basis == Basis.PRESENT:
        base_all = snapshot.get("roll_size", 0)
        recused_ids = set(snapshot.get("recused_on_roll", []))
    else:
        base_all = ballot.members_total
        recused_ids = set(snapshot.get("recused_in_council", []))
    needed_for: dict[int, int] = {}
    ballot_id = ballot.pk
    results = []
    for item_id, (key, label, group, person_id) in info.items():
        c = counts[item_id]
        recused = item_id in recused_ids
        base = max(base_all - (1 if recused else 0), 0)
        if base not in needed_for:
            needed_for[base] = rule.needed(base)
        needed = needed_for[base]
        agree = c.get(Choice.AGREE, 0)
        results.append(
            ItemResult(
                item_id=item_id,
                key=key,
                label=label,
                group=group,
                person_id=person_id,
                agree=agree,
                disagree=c.get(Choice.DISAGREE, 0),
                abstain=c.get(Choice.ABSTAIN, 0),
                base=base,
                basis=rule.basis,
                needed=needed,
                passed=base > 0 and agree >= needed,
                recused=recused,
                ballot_id=ballot_id,
            )
        )
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
