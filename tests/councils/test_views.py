"""The council pages as users see them: councils and members, the meeting page (attendance, ballots,
results only after close), the member's ballot paper with its confirmation, and flat query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tdkt.councils import services
from tdkt.councils.enums import Attendance, BallotMode, BallotStatus, MemberRole
from tdkt.councils.models import Ballot, BallotReceipt, BallotTally, Council
from tests.councils.conftest import add_meeting, build_council, open_ballot, vote
from tests.factories import make_user


def body(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------------------------- councils


def test_council_list_shows_the_councils_of_the_scope_and_those_one_sits_on(world, client, tree):
    other = build_council(tree["b"], officer=make_user("officer_b", "officer", tree["b"]), prefix="b")

    client.force_login(world.officer)
    shown = {c.name for c in client.get(reverse("councils:council_list")).context["councils"]}
    assert shown == {world.council.name}

    client.force_login(other.user(other.members[0]))  # no role at all: only the council they sit on
    shown = {c.name for c in client.get(reverse("councils:council_list")).context["councils"]}
    assert shown == {other.council.name}


def test_an_officer_founds_a_council_and_adds_members_in_role_then_name_order(client, tree, officer):
    from tests.factories import person

    client.force_login(officer)
    response = client.post(
        reverse("councils:council_create"),
        {
            "unit": tree["a"].pk,
            "name": "Hội đồng TĐKT Vụ A",
            "term_from": "01/01/2025",
            "term_to": "31/12/2029",
            "decision_number": "12/QĐ-VA",
            "decision_date": "02/01/2025",
        },
    )
    council = Council.objects.get()
    assert response.status_code == 302 and council.decision_date == datetime.date(2025, 1, 2)
    people = [
        person(tree["a"], family_name="Trần", middle_name="Văn", given_name="Bình", code="X1"),
        person(tree["a"], family_name="Nguyễn", middle_name="Thị", given_name="An", code="X2"),
        person(tree["a1"], family_name="Lê", middle_name="", given_name="Cường", code="X3"),
        person(tree["a"], family_name="Phạm", middle_name="", given_name="Dũng", code="X4"),
    ]
    for code, role in (("X1", "uy_vien"), ("X2", "uy_vien"), ("X3", "chu_tich"), ("X4", "thu_ky")):
        client.post(reverse("councils:member_add", args=[council.pk]), {"code": code, "role": role})

    page = client.get(reverse("councils:council_detail", args=[council.pk]))
    names = [m.person.full_name for m in page.context["members"]]
    assert names == ["Lê Cường", "Nguyễn Thị An", "Trần Văn Bình", "Phạm Dũng"]
    assert [m.votes for m in page.context["members"]] == [True, True, True, False]
    assert people[0].full_name in body(page)


def test_a_member_code_outside_the_unit_is_refused_with_the_reason(world, client, tree):
    from tests.factories import person

    person(tree["b"], code="OUT1")
    client.force_login(world.officer)
    response = client.post(
        reverse("councils:member_add", args=[world.council.pk]),
        {"code": "OUT1", "role": "uy_vien"},
        follow=True,
    )
    assert "Không có cán bộ mã OUT1 trong Vụ A hoặc đơn vị trực thuộc." in body(response)


# ---------------------------------------------------------------------------------------------- meeting


def test_meeting_page_shows_the_rule_with_its_article_and_the_secretary_marks_attendance(world, client):
    client.force_login(world.secretary_user)
    url = reverse("councils:meeting_detail", args=[world.meeting.pk])
    page = body(client.get(url))
    assert "Tỷ lệ đồng ý tối thiểu 90% tổng số thành viên Hội đồng (Nghị định 91/2017/NĐ-CP" in page
    assert 'name="status_' in page

    absent = world.members[2]
    response = client.post(
        reverse("councils:meeting_attendance", args=[world.meeting.pk]),
        {f"status_{absent.pk}": Attendance.ABSENT, f"reason_{absent.pk}": "Đi công tác"},
    )
    assert response.status_code == 302
    page = body(client.get(url))
    assert "Có mặt 5/6 thành viên có quyền biểu quyết." in page
    assert "không nội dung nào có thể đạt" in page  # 90% of six needs six


def test_a_member_reads_the_meeting_without_the_secretary_tools(world, client):
    client.force_login(world.user(world.members[1]))
    page = body(client.get(reverse("councils:meeting_detail", args=[world.meeting.pk])))
    assert world.meeting.title in page
    assert 'name="status_' not in page and "Mở bỏ phiếu" not in page


def test_secretary_opens_and_closes_and_results_appear_only_after_close(world, client):
    client.force_login(world.secretary_user)
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    response = client.post(
        reverse("councils:ballot_open", args=[world.meeting.pk]),
        {
            "items": [i.pk for i in world.items],
            "mode": BallotMode.ELECTRONIC,
            "closes_day": tomorrow.strftime("%d/%m/%Y"),
            "closes_time": "17:00",
        },
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    for m in world.members:
        vote(world, m, ballot, "agree")

    url = reverse("councils:meeting_detail", args=[world.meeting.pk])
    before = client.get(url)
    assert "Đã bỏ phiếu: 6/6 thành viên." in body(before)
    assert all(v.results is None for v in before.context["page"].ballots)
    assert "Đạt</span>" not in body(before)

    client.post(reverse("councils:ballot_close", args=[ballot.pk]))
    after = body(client.get(url))
    assert "Đạt</span>" in after and "6 <span" in after
    assert "Biên bản kiểm phiếu (Word)" in after


def test_the_counting_committee_enters_paper_figures(world, client):
    ballot = open_ballot(world, mode=BallotMode.PAPER, closes_at=None)
    client.force_login(world.secretary_user)
    url = reverse("councils:ballot_tallies", args=[ballot.pk])
    assert "Ban kiểm phiếu" in body(client.get(url))
    a, b, c = world.items
    data = {
        "committee": [world.members[2].pk, world.members[3].pk],
        "papers_cast": "6",
        "invalid_papers": "0",
    }
    data.update({f"agree_{a.pk}": "7", f"disagree_{a.pk}": "0", f"agree_{b.pk}": "1", f"agree_{c.pk}": "1"})

    refused = client.post(url, data)
    assert "Tổng số phiếu của “Bùi Văn Ứng0” (7) vượt số phiếu hợp lệ được tính (6)." in body(refused)
    assert not Ballot.objects.get(pk=ballot.pk).tallies_entered_at

    data[f"agree_{a.pk}"] = "6"
    assert client.post(url, data).status_code == 302
    results = services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)
    assert [r.agree for r in results] == [6, 1, 1]


# ---------------------------------------------------------------------------------------------- voting


def test_voting_page_form_confirmation_and_a_second_submission(world, client):
    ballot = open_ballot(world, allow_abstain=True)
    member = world.members[5]  # the candidate of the last line
    client.force_login(world.user(member))
    url = reverse("councils:ballot_vote", args=[ballot.pk])

    mine = body(client.get(reverse("councils:my_ballots")))
    assert world.meeting.title in mine and url in mine

    page = body(client.get(url))
    assert page.count("<fieldset") == 3 and page.count("<legend") == 3
    assert "Nội dung về chính bạn: không bỏ phiếu cho chính mình." in page
    a, b, c = world.items
    assert f'name="item_{a.pk}"' in page and f'name="item_{c.pk}"' not in page
    radio = rf'<input[^>]+id="v-item_{a.pk}_0"[^>]*>\s*<label class="form-check-label" for="v-item_{a.pk}_0">'
    assert re.search(radio + "Đồng ý", page)

    missing = body(client.post(url, {f"item_{a.pk}": "agree"}))
    assert "Chọn ý kiến cho nội dung này." in missing

    review = client.post(url, {f"item_{a.pk}": "agree", f"item_{b.pk}": "abstain"})
    assert review.templates[0].name == "councils/vote_confirm.html"
    text = body(review)
    assert "Xác nhận bỏ phiếu" in text and "Không có ý kiến" in text
    assert not BallotReceipt.objects.exists()

    edit = body(client.post(url, {f"item_{a.pk}": "agree", f"item_{b.pk}": "abstain", "edit": "1"}))
    assert re.search(rf'value="abstain" id="v-item_{b.pk}_2" checked', edit)

    done = client.post(url, {f"item_{a.pk}": "agree", f"item_{b.pk}": "abstain", "confirm": "1"}, follow=True)
    assert "Đã ghi nhận phiếu bầu của bạn." in body(done)
    assert "Bạn đã bỏ phiếu" in body(done)
    assert done.redirect_chain[-1][0] == reverse("councils:my_ballots")

    again = client.post(url, {f"item_{a.pk}": "disagree", f"item_{b.pk}": "agree", "confirm": "1"})
    assert "Bạn đã bỏ phiếu." in body(again)
    assert "Bạn đã bỏ phiếu." in body(client.get(url))
    assert sum(BallotTally.objects.filter(ballot=ballot).values_list("count", flat=True)) == 2
    assert (
        client.get(url)["Cache-Control"].startswith("max-age=0")
        or "no-store" in client.get(url)["Cache-Control"]
    )


def test_the_voting_page_tells_an_absent_member_why(world, client):
    from tests.councils.conftest import mark

    mark(world, {world.members[0].pk: Attendance.ABSENT})
    ballot = open_ballot(world)
    client.force_login(world.user(world.members[0]))

    page = body(client.get(reverse("councils:ballot_vote", args=[ballot.pk])))

    assert "không có tên trong danh sách thành viên có mặt khi mở phiếu" in page
    assert "<fieldset" not in page


# ---------------------------------------------------------------------------------------------- queries


def _big_world(tree, n: int):
    names = [
        ("Nguyễn", "Văn", f"Thành{k:02d}", MemberRole.CHAIR if k == 0 else MemberRole.MEMBER)
        for k in range(n)
    ]
    officer = make_user(f"officer_{n}", "officer", tree["a"])
    world = build_council(tree["a"], officer=officer, prefix=f"w{n}_", names=names)
    add_meeting(world, tree["a"], items=n, recused_member=n - 1)
    return world


# the same budget for 3 and for 30 items and members: the counts do not grow with the rows shown
@pytest.mark.parametrize("n", [3, 30])
def test_meeting_page_queries_do_not_grow_with_items_and_members(
    tree, client, django_assert_max_num_queries, n
):
    world = _big_world(tree, n)
    closed = open_ballot(world, item_ids=[i.pk for i in world.items[: n // 2 + 1]])
    for m in world.members:
        vote(world, m, closed, "agree")
    services.ballot_close(actor=world.secretary_user, ballot_id=closed.pk)
    open_ballot(world, item_ids=[i.pk for i in world.items[n // 2 + 1 :]])
    client.force_login(world.secretary_user)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("councils:meeting_detail", args=[world.meeting.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_voting_and_council_pages_queries_do_not_grow(tree, client, django_assert_max_num_queries, n):
    world = _big_world(tree, n)
    ballot = open_ballot(world)
    member = world.members[0]
    client.force_login(world.user(member))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("councils:ballot_vote", args=[ballot.pk])).status_code == 200
    data = {f"item_{i.pk}": "agree" for i in world.items if i.person_id != member.person_id}
    with django_assert_max_num_queries(10):
        assert client.post(reverse("councils:ballot_vote", args=[ballot.pk]), data).status_code == 200
    with django_assert_max_num_queries(21):
        response = client.post(reverse("councils:ballot_vote", args=[ballot.pk]), {**data, "confirm": "1"})
        assert response.status_code == 302
    with django_assert_max_num_queries(9):
        assert client.get(reverse("councils:my_ballots")).status_code == 200
    client.force_login(world.officer)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("councils:council_detail", args=[world.council.pk])).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("councils:council_list")).status_code == 200
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.OPEN
