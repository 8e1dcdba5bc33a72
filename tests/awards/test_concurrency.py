"""A decision issued twice at the same instant (a double click, two heads' tabs): one wins, the other is
refused, and every award record is written once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tdkt.awards import services
from tdkt.org.models import AwardRecord
from tests.factories import make_user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel requests need PostgreSQL (SQLite serialises writers)"
)


@pytest.mark.django_db(transaction=True)
def test_two_heads_issuing_at_once_write_each_record_once(tree, people):
    officer = make_user("officer_c", "officer", tree["a"])
    heads = [make_user(f"head_c{n}", "unit_head", tree["a"]) for n in range(4)]
    decision = services.decision_draft(
        actor=officer,
        issuer_unit_id=tree["a"].pk,
        year=2025,
        subject="Về việc công nhận danh hiệu",
        lines=[
            services.LineSpec(award_code="ldtt", unit_id=p.current_unit_id, person_id=p.pk)
            for p in (people["an"], people["binh"])
        ],
    )
    barrier = threading.Barrier(len(heads))
    statuses: list[int] = []

    def issue(user, number):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=30)
            response = client.post(
                reverse("awards:decision_detail", args=[decision.pk]),
                {
                    "number": str(number),
                    "symbol": "QĐ-VA",
                    "decided_on": "15/01/2026",
                    "signer_name": "Lê Thị Hoa",
                },
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(u, 20 + n)) for n, u in enumerate(heads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert sorted(statuses).count(302) == 1, statuses  # the others: refused (the page says why) or gone
    assert AwardRecord.objects.filter(award_code="ldtt", last_year=2025).count() == 2
    assert len(set(AwardRecord.objects.values_list("decision_number", flat=True))) == 1
