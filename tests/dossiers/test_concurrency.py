"""Two appraisers receiving the same dossier at the same instant: one receives it (and starts the
appraisal), the other is told it has moved; the timeline holds one pair of moves."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tdkt.dossiers import services
from tdkt.dossiers.enums import Status
from tdkt.dossiers.models import Transition
from tests.dossiers.test_flow import ready_dossier
from tests.factories import make_user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel requests need PostgreSQL (SQLite serialises writers)"
)


@pytest.mark.django_db(transaction=True)
def test_two_appraisers_receiving_at_once_make_one_pair_of_moves(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = world
    d = ready_dossier(w)
    services.dossier_send(actor=w.officer, dossier_id=d.pk)
    appraisers = [w.specialist, *(make_user(f"vu_tdkt_{n}", "specialist", w.tree["root"]) for n in range(3))]
    barrier = threading.Barrier(len(appraisers))
    answers: list[tuple[int, list[str]]] = []

    def receive(user):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=30)
            response = client.post(reverse("dossiers:receive", args=[d.pk]))
            page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
            answers.append((response.status_code, page))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receive, args=(u,)) for u in appraisers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert [status for status, _page in answers] == [302] * len(appraisers)
    received = [page for _status, page in answers if "Đã tiếp nhận; hồ sơ đang được thẩm định." in page]
    moved = [page for _status, page in answers if "có thể người khác vừa xử lý" in page]
    assert (len(received), len(moved)) == (1, len(appraisers) - 1)
    d.refresh_from_db()
    assert d.status == Status.APPRAISING
    steps = list(Transition.objects.filter(dossier=d).values_list("action", "from_status", "to_status"))
    assert steps == [
        ("send", "draft", "sent"),
        ("receive", "sent", "received"),
        ("start", "received", "appraising"),
    ]
