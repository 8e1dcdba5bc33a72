"""Hostile use of the secret ballot: votes from outside the roll, forged lines, closed ballots, the
counters of an open ballot read through any address, and ids of another unit's councils."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from docx import Document

from tdkt.councils import services
from tdkt.councils.enums import BallotMode
from tdkt.councils.models import BallotReceipt, BallotTally
from tests.councils.conftest import add_meeting, build_council, open_ballot, vote
from tests.factories import make_user

RESULT_MARKS = re.compile(
    r"phiếu đồng ý \(|Kết quả bỏ phiếu lần|badge text-bg-success\">Đạt|Không đạt</span>"
)


@pytest.fixture
def world(tree):
    w = build_council(tree["a"], officer=make_user("officer_a", "officer", tree["a"]))
    add_meeting(w, tree["a"])
    return w


@pytest.fixture
def two_units(world, tree):
    """Council A (the `world` fixture) and council B of department B, each with an open ballot."""
    officer_b = make_user("officer_b", "officer", tree["b"])
    other = build_council(tree["b"], officer=officer_b, prefix="b")
    add_meeting(other, tree["b"])
    return world, open_ballot(world), other, open_ballot(other)


def counted(*ballots) -> int:
    return sum(BallotTally.objects.filter(ballot__in=ballots).values_list("count", flat=True)) + (
        BallotReceipt.objects.filter(ballot__in=ballots).count()
    )


def form(world, member, ballot, choice="agree") -> dict:
    data = {"confirm": "1"}
    for item in ballot.items.all():
        if member is None or item.person_id != member.person_id:
            data[f"item_{item.pk}"] = choice
    return data


def post_vote(client, ballot, data):
    return client.post(reverse("councils:ballot_vote", args=[ballot.pk]), data)


def test_a_non_member_posting_a_vote_gets_404_and_nothing_counts(two_units, client, tree):
    world, ballot, other, other_ballot = two_units
    for user in (make_user("nosy", "officer", tree["a"]), make_user("boss", "admin", tree["root"])):
        client.force_login(user)
        assert post_vote(client, ballot, form(world, None, ballot)).status_code == 404
        assert client.get(reverse("councils:ballot_vote", args=[ballot.pk])).status_code == 404
    assert counted(ballot, other_ballot) == 0


def test_a_member_of_another_units_council_gets_404(two_units, client):
    world, ballot, other, other_ballot = two_units
    client.force_login(other.user(other.members[0]))

    response = post_vote(client, ballot, form(world, None, ballot))

    assert response.status_code == 404
    assert counted(ballot, other_ballot) == 0


def test_a_forged_item_of_another_ballot_is_refused(two_units, client):
    world, ballot, other, other_ballot = two_units
    member = world.members[0]
    client.force_login(world.user(member))
    data = form(world, member, ballot)
    data[f"item_{other_ballot.items.first().pk}"] = "agree"

    response = post_vote(client, ballot, data)

    assert "Nội dung không thuộc phiếu bầu này." in response.content.decode()
    assert counted(ballot, other_ballot) == 0


def test_a_forged_field_name_is_refused(two_units, client):
    world, ballot, *_ = two_units
    member = world.members[0]
    client.force_login(world.user(member))

    response = post_vote(client, ballot, {**form(world, member, ballot), "item_1x": "agree"})

    assert "Nội dung không thuộc phiếu bầu này." in response.content.decode()
    assert counted(ballot) == 0


def test_a_recused_line_sent_anyway_is_refused(two_units, client):
    world, ballot, *_ = two_units
    member = world.members[5]
    client.force_login(world.user(member))

    response = post_vote(client, ballot, form(world, None, ballot))  # a choice on their own line too

    assert "Bạn không bỏ phiếu cho chính mình" in response.content.decode()
    assert counted(ballot) == 0


def test_a_closed_ballot_takes_no_vote(two_units, client):
    world, ballot, *_ = two_units
    services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)
    member = world.members[0]
    client.force_login(world.user(member))

    response = post_vote(client, ballot, form(world, member, ballot))

    assert "Phiếu bầu đã đóng." in response.content.decode()
    assert BallotReceipt.objects.filter(ballot=ballot).count() == 0


def test_a_choice_outside_the_list_is_refused(two_units, client):
    world, ballot, *_ = two_units
    member = world.members[0]
    client.force_login(world.user(member))

    response = post_vote(client, ballot, form(world, member, ballot, choice="agree'; DROP TABLE x;--"))

    assert response.status_code == 200
    assert counted(ballot) == 0


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return " ".join([p.text for p in document.paragraphs] + cells)


def test_no_address_shows_the_counters_of_an_open_ballot(two_units, client, tree):
    world, ballot, *_ = two_units
    for m in world.members:
        vote(world, m, ballot, "agree")
    paper = None
    admin = make_user("root_admin", "admin", tree["root"])
    meeting_url = reverse("councils:meeting_detail", args=[world.meeting.pk])
    for user in (world.secretary_user, world.officer, admin, world.user(world.members[0])):
        client.force_login(user)
        page = client.get(meeting_url)
        assert page.status_code == 200
        assert all(v.results is None for v in page.context["page"].ballots)
        assert not RESULT_MARKS.search(page.content.decode())
        for kind in ("docx", "pdf"):
            minutes = client.get(reverse("councils:counting_minutes", args=[ballot.pk, kind]))
            assert minutes.status_code == 302  # back to the meeting: "only after the ballot is closed"
        meeting_minutes = client.get(reverse("councils:meeting_minutes", args=[world.meeting.pk, "docx"]))
        assert "phiếu đồng ý (" not in _docx_text(meeting_minutes.content)
        assert client.get(reverse("councils:ballot_tallies", args=[ballot.pk])).status_code in (403, 404)
        assert not RESULT_MARKS.search(client.get(reverse("councils:my_ballots")).content.decode())
    # a paper ballot whose figures were entered: not shown back before the close, not in the audit trail
    services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)
    paper = open_ballot(world, item_ids=[world.items[0].pk], mode=BallotMode.PAPER, closes_at=None,
                        replaces_id=ballot.pk, reason="Kiểm tra bằng phiếu giấy")  # fmt: skip
    services.ballot_enter_tallies(
        actor=world.secretary_user,
        ballot_id=paper.pk,
        committee=[world.members[1].pk, world.members[2].pk],
        tallies={world.items[0].pk: (4, 1, 0)},
    )
    client.force_login(world.secretary_user)
    form_page = client.get(reverse("councils:ballot_tallies", args=[paper.pk])).content.decode()
    assert re.findall(r'name="(?:agree|disagree|abstain)_\d+" id="[^"]+" value="(\d+)"', form_page) == [
        "0",
        "0",
    ]
    client.force_login(admin)
    trail = client.get(reverse("core:audit_list")).content.decode()
    assert "[4, 1, 0]" not in trail and "4, 1, 0" not in trail


def test_another_units_meeting_and_ballot_ids_answer_404(two_units, client):
    world, ballot, other, other_ballot = two_units
    client.force_login(world.officer)
    meeting = other.meeting
    gets = [
        reverse("councils:council_detail", args=[other.council.pk]),
        reverse("councils:council_edit", args=[other.council.pk]),
        reverse("councils:meeting_detail", args=[meeting.pk]),
        reverse("councils:meeting_edit", args=[meeting.pk]),
        reverse("councils:meeting_minutes", args=[meeting.pk, "docx"]),
        reverse("councils:meeting_minutes", args=[meeting.pk, "pdf"]),
        reverse("councils:counting_minutes", args=[other_ballot.pk, "pdf"]),
        reverse("councils:ballot_tallies", args=[other_ballot.pk]),
        reverse("councils:ballot_vote", args=[other_ballot.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("councils:meeting_attendance", args=[meeting.pk]),
        reverse("councils:ballot_open", args=[meeting.pk]),
        reverse("councils:ballot_close", args=[other_ballot.pk]),
        reverse("councils:member_add", args=[other.council.pk]),
        reverse("councils:member_remove", args=[other.members[1].pk]),
        reverse("councils:meeting_create", args=[other.council.pk]),
    ]
    for url in posts:
        assert client.post(url, {}).status_code == 404, url
    other_ballot.refresh_from_db()
    assert other_ballot.status == "open"


def test_a_plain_member_cannot_run_the_meeting(two_units, client):
    world, ballot, *_ = two_units
    client.force_login(world.user(world.members[1]))

    assert client.post(reverse("councils:ballot_close", args=[ballot.pk])).status_code in (403, 404)
    assert client.post(reverse("councils:meeting_attendance", args=[world.meeting.pk]), {}).status_code in (
        403,
        404,
    )
    ballot.refresh_from_db()
    assert ballot.status == "open"


@pytest.mark.parametrize("odd", ["²", "１２", "٣"])
def test_a_field_name_with_a_look_alike_digit_is_refused_not_a_server_error(two_units, client, odd):
    world, ballot, *_ = two_units
    member = world.members[0]
    client.force_login(world.user(member))
    client.raise_request_exception = False

    response = post_vote(client, ballot, {**form(world, member, ballot), f"item_{odd}": "agree"})

    assert response.status_code != 500
    assert "Nội dung không thuộc phiếu bầu này." in response.content.decode()
    assert counted(ballot) == 0


@pytest.mark.parametrize("odd", ["²", "１２", "٣"])
def test_attendance_with_a_look_alike_digit_in_a_field_name_is_not_a_server_error(world, client, odd):
    from tdkt.councils.models import MeetingAttendance as AttendanceRow

    client.force_login(world.secretary_user)
    client.raise_request_exception = False
    before = list(AttendanceRow.objects.order_by("pk").values_list("pk", "status"))

    response = client.post(
        reverse("councils:meeting_attendance", args=[world.meeting.pk]), {f"status_{odd}": "absent"}
    )

    assert response.status_code in (302, 400)
    assert list(AttendanceRow.objects.order_by("pk").values_list("pk", "status")) == before
