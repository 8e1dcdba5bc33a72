"""A second ballot paper from the same member — two tabs, two requests at the same instant — is refused:
the unique receipt (ballot, member) decides, the loser reads "Bạn đã bỏ phiếu" and nothing counts twice."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from tdkt.core.errors import ServiceError
from tdkt.councils.models import BallotReceipt, BallotTally
from tdkt.councils.services import ballots
from tests.councils.conftest import add_meeting, build_council, open_ballot, vote
from tests.factories import make_user

ALREADY = "Bạn đã bỏ phiếu."


def _post(user, ballot, data, results, barrier):
    client = Client()
    client.force_login(user)
    try:
        barrier.wait(timeout=30)
        response = client.post(reverse("councils:ballot_vote", args=[ballot.pk]), data)
        results.append((response.status_code, response.content.decode()))
    finally:
        connections.close_all()


def _form(world, member, choice):
    data = {"confirm": "1"}
    for item in world.items:
        if item.person_id != member.person_id:
            data[f"item_{item.pk}"] = choice
    return data


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel requests need PostgreSQL (SQLite: below)"
)
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_instant_count_once(tree):
    officer = make_user("officer_p", "officer", tree["a"])
    world = build_council(tree["a"], officer=officer, prefix="p")
    add_meeting(world, tree["a"])
    ballot = open_ballot(world)
    member = world.members[0]
    results: list[tuple[int, str]] = []
    tabs = 6
    barrier = threading.Barrier(tabs)
    threads = [
        threading.Thread(
            target=_post,
            args=(
                world.user(member),
                ballot,
                _form(world, member, "agree" if n % 2 else "disagree"),
                results,
                barrier,
            ),
        )
        for n in range(tabs)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(code for code, _body in results) == [200] * (tabs - 1) + [302]
    assert all(ALREADY in body for code, body in results if code == 200)
    assert BallotReceipt.objects.filter(ballot=ballot).count() == 1
    per_item = {}
    for t in BallotTally.objects.filter(ballot=ballot):
        per_item[t.item_id] = per_item.get(t.item_id, 0) + t.count
    assert set(per_item.values()) == {1}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel requests need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_members_voting_at_the_same_instant_are_all_counted(tree):
    officer = make_user("officer_q", "officer", tree["a"])
    world = build_council(tree["a"], officer=officer, prefix="q")
    add_meeting(world, tree["a"], recused_member=None)
    ballot = open_ballot(world)
    results: list[tuple[int, str]] = []
    barrier = threading.Barrier(len(world.members))
    threads = [
        threading.Thread(
            target=_post, args=(world.user(m), ballot, _form(world, m, "agree"), results, barrier)
        )
        for m in world.members
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert [code for code, _body in results] == [302] * len(world.members)
    assert set(BallotTally.objects.filter(ballot=ballot, choice="agree").values_list("count", flat=True)) == {
        6
    }


def test_sequential_double_submit_is_refused(world, client):
    ballot = open_ballot(world)
    member = world.members[0]
    client.force_login(world.user(member))
    url = reverse("councils:ballot_vote", args=[ballot.pk])

    first = client.post(url, _form(world, member, "agree"))
    second = client.post(url, _form(world, member, "disagree"))

    assert first.status_code == 302
    assert second.status_code == 200 and ALREADY in second.content.decode()
    assert BallotReceipt.objects.filter(ballot=ballot).count() == 1
    assert (
        sum(BallotTally.objects.filter(ballot=ballot, choice="disagree").values_list("count", flat=True)) == 0
    )


def test_the_unique_receipt_decides_when_the_courtesy_check_is_passed(world, monkeypatch):
    ballot = open_ballot(world)
    vote(world, world.members[0], ballot, "agree")
    monkeypatch.setattr(ballots, "_has_voted", lambda ballot, member: False)  # as a racing request sees it

    with pytest.raises(ServiceError) as err:
        vote(world, world.members[0], ballot, "disagree")

    assert err.value.message == ALREADY
    assert sum(BallotTally.objects.filter(ballot=ballot).values_list("count", flat=True)) == 3


def test_the_database_refuses_a_second_receipt(world):
    ballot = open_ballot(world)
    BallotReceipt.objects.create(ballot=ballot, member=world.members[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        BallotReceipt.objects.create(ballot=ballot, member=world.members[0])
