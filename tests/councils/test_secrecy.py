"""Secrecy at rest: on the data of a finished ballot (sixteen members, four items, different choices, cast
through the voting page), nothing in the database, the audit trail or the logs links a member to a
choice; receipts keep no time and their order does not follow the voting order; on PostgreSQL every
counter of the ballot carries the same transaction id after the last vote."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tdkt.core.models import AuditEvent
from tdkt.councils import services
from tdkt.councils.enums import MemberRole
from tdkt.councils.models import BallotReceipt, BallotTally
from tests.councils.conftest import add_meeting, build_council, open_ballot

GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Linh", "Minh", "Nga", "Oanh", "Phúc",
         "Quang", "Sơn", "Tâm", "Uyên"]  # fmt: skip
NAMES = [("Nguyễn", "Văn", g, MemberRole.CHAIR if i == 0 else MemberRole.MEMBER) for i, g in enumerate(GIVEN)]
# what each member chooses on the four items (the last item is about member 15, who is recused on it)
PATTERN = ["agree", "disagree", "abstain", "agree", "disagree", "agree", "abstain", "agree"]
# the order in which the members vote: neither their creation order nor its reverse
VOTING_ORDER = [(i * 7) % 16 for i in range(16)]
CHOICE_WORDS = re.compile(
    r"\b(agree|disagree|abstain)\b|đồng ý|không có ý kiến|Đồng ý|Không đồng ý|Không có ý kiến", re.IGNORECASE
)
PERSONAL = {"accounts_user", "org_person", "councils_councilmember"}


def kendall_tau(order: list[int], reference: list[int]) -> float:
    rank = {v: i for i, v in enumerate(reference)}
    seq = [rank[v] for v in order]
    n = len(seq)
    concordant = sum(1 for i in range(n) for j in range(i + 1, n) if seq[i] < seq[j])
    pairs = n * (n - 1) // 2
    return (2 * concordant - pairs) / pairs


@pytest.fixture
def finished(tree, client, caplog):
    from tests.factories import make_user

    officer = make_user("officer_s", "officer", tree["a"])
    world = build_council(tree["a"], officer=officer, prefix="s", names=NAMES)
    add_meeting(world, tree["a"], items=4, recused_member=15)
    ballot = open_ballot(world, allow_abstain=True)
    items = world.items
    caplog.set_level(logging.DEBUG)
    order = []
    for k, index in enumerate(VOTING_ORDER):
        member = world.members[index]
        data = {"confirm": "1"}
        for n, item in enumerate(items):
            if item.person_id != member.person_id:
                data[f"item_{item.pk}"] = PATTERN[(index + n + k) % len(PATTERN)]
        client.force_login(world.user(member))
        response = client.post(reverse("councils:ballot_vote", args=[ballot.pk]), data)
        assert response.status_code == 302, response.content.decode()[:500]
        order.append(member.pk)
    after_last_vote = _xmins(ballot)
    services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)
    return world, ballot, order, after_last_vote


def _xmins(ballot) -> set[str]:
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT xmin::text FROM {BallotTally._meta.db_table} WHERE ballot_id = %s", [ballot.pk]
        )
        return {row[0] for row in cursor.fetchall()}


def _text_values(row) -> list[str]:
    return [
        v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
        for v in row
        if v is not None
    ]


def test_the_votes_were_all_counted(finished):
    world, ballot, order, _ = finished
    assert BallotReceipt.objects.filter(ballot=ballot).count() == 16
    # 16 members × 4 items, less the recused line
    assert sum(BallotTally.objects.filter(ballot=ballot).values_list("count", flat=True)) == 16 * 4 - 1


def test_no_table_holds_a_person_and_a_choice(finished):
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            relations = connection.introspection.get_relations(cursor, table)
            personal = [col for col, (_ref_col, ref_table) in relations.items() if ref_table in PERSONAL]
            if table in PERSONAL:
                personal.append("id")
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            assert not (personal and "choice" in columns), f"{table} has a person and a choice column"
            if not personal:
                continue
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            index = [columns.index(c) for c in personal]
            for row in cursor.fetchall():
                if all(row[i] is None for i in index):
                    continue
                for text in _text_values(row):
                    assert not CHOICE_WORDS.search(text), (
                        f"{table}: a person's row mentions a choice: {text[:200]}"
                    )


def test_sessions_and_messages_keep_no_choice(finished):
    for session in Session.objects.all():
        data = SessionStore().decode(session.session_data)
        assert not CHOICE_WORDS.search(json.dumps(data, ensure_ascii=False, default=str))


def test_the_audit_trail_names_voters_never_choices(finished):
    world, ballot, order, _ = finished
    casts = AuditEvent.objects.filter(event="ballot.cast")
    assert casts.count() == 16
    assert all(e.changes == {} for e in casts)
    for event in AuditEvent.objects.all():
        text = json.dumps([event.object_repr, event.changes], ensure_ascii=False)
        assert not CHOICE_WORDS.search(text), text


def test_logs_hold_no_choice(finished, caplog):
    assert not [r.getMessage() for r in caplog.records if CHOICE_WORDS.search(r.getMessage())]
    assert not [r for r in caplog.records if r.args and CHOICE_WORDS.search(repr(r.args))]


def test_the_query_log_never_sees_the_choices(tree, client):
    from tests.factories import make_user

    officer = make_user("officer_q", "officer", tree["a"])
    world = build_council(tree["a"], officer=officer, prefix="q")
    add_meeting(world, tree["a"])
    ballot = open_ballot(world)
    member = world.members[0]
    client.force_login(world.user(member))
    data = {"confirm": "1", **{f"item_{i.pk}": "disagree" for i in world.items}}

    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("councils:ballot_vote", args=[ballot.pk]), data)

    assert response.status_code == 302
    assert (
        sum(BallotTally.objects.filter(ballot=ballot, choice="disagree").values_list("count", flat=True)) == 3
    )
    for q in queries.captured_queries:
        assert "disagree" not in q["sql"], q["sql"]


def test_receipts_have_no_time_and_their_order_does_not_follow_the_votes(finished):
    world, ballot, order, _ = finished
    kinds = {type(f) for f in BallotReceipt._meta.get_fields() if getattr(f, "concrete", False)}
    assert not kinds & {models.DateTimeField, models.DateField, models.TimeField}
    assert isinstance(BallotReceipt._meta.pk, models.UUIDField)
    assert {f.column for f in BallotReceipt._meta.concrete_fields} == {"id", "ballot_id", "member_id"}

    by_key = list(
        BallotReceipt.objects.filter(ballot=ballot).order_by("pk").values_list("member_id", flat=True)
    )
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT member_id FROM {BallotReceipt._meta.db_table} WHERE ballot_id = %s ORDER BY {physical}",
            [ballot.pk],
        )
        stored = [row[0] for row in cursor.fetchall()]

    assert sorted(by_key) == sorted(stored) == sorted(order)
    # 16 voters: a random order has |tau| >= 0.8 with probability about 2e-5; the voting order has tau = 1
    assert abs(kendall_tau(by_key, order)) < 0.8
    assert abs(kendall_tau(stored, order)) < 0.8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is a PostgreSQL system column")
def test_every_counter_carries_the_same_transaction_id_after_the_last_vote(finished):
    world, ballot, order, after_last_vote = finished
    assert len(after_last_vote) == 1
    assert len(_xmins(ballot)) == 1


@pytest.mark.django_db(transaction=True)
def test_the_operator_command_cleans_up_after_close(tree):
    import io

    from django.core.management import call_command

    from tests.factories import make_user

    officer = make_user("officer_v", "officer", tree["a"])
    world = build_council(tree["a"], officer=officer, prefix="v")
    add_meeting(world, tree["a"])
    ballot = open_ballot(world)
    from tests.councils.conftest import vote

    for m in world.members:
        vote(world, m, ballot, "agree")
    services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)
    out = io.StringIO()

    call_command("councils_vacuum", stdout=out)

    assert "Đã dọn" in out.getvalue()
    assert BallotReceipt.objects.filter(ballot=ballot).count() == len(world.members)
