"""The review's screens: creating a round, filling it, changing it with reasons, a person's own page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tdkt.org.models import Evaluation
from tdkt.reviews import services
from tdkt.reviews.models import Candidate, ReviewRound
from tests.factories import make_user, person
from tests.reviews.test_year import YEAR


@pytest.fixture
def rated(tree):
    def make(n, start=0):
        out = []
        for i in range(start, start + n):
            p = person(
                tree["a"], family_name="Đinh", middle_name="Văn", given_name=f"Tên{i}", code=f"R{i:03d}"
            )
            Evaluation.objects.create(person=p, unit=tree["a"], year=YEAR, rating="htt", months_worked=12)
            out.append(p)
        return out

    return make


def test_an_officer_creates_a_round_and_fills_it_from_the_engine(
    client, tree, rated, officer_a, django_capture_on_commit_callbacks
):
    rated(3)
    client.force_login(officer_a)

    created = client.post(reverse("reviews:round_create"), {"unit": tree["a"].pk, "year": YEAR, "title": ""})
    review = ReviewRound.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        filled = client.post(reverse("reviews:round_prefill", args=[review.pk]))
    page = client.get(reverse("reviews:round_detail", args=[review.pk])).content.decode()

    assert created.status_code == 302 and filled.status_code == 302
    assert filled["Location"].startswith("/jobs/")
    assert review.title == f"Bình xét thi đua, khen thưởng năm {YEAR}"
    assert Candidate.objects.filter(round=review, award_code="ldtt").count() == 3
    assert "Đinh Văn Tên0" in page and "Lao động tiên tiến" in page
    assert "Điều 24" in page  # the kept reasons cite the article


def test_dropping_without_a_reason_is_refused_and_with_one_it_is_kept(client, tree, rated, officer_a):
    rated(2)
    review = services.round_create(actor=officer_a, unit_id=tree["a"].pk, year=YEAR)
    services.prefill(actor=officer_a, round_id=review.pk)
    candidate = Candidate.objects.filter(round=review).first()
    client.force_login(officer_a)

    client.post(reverse("reviews:candidate_drop", args=[candidate.pk]), {"reason": ""})
    assert Candidate.objects.get(pk=candidate.pk).included
    client.post(reverse("reviews:candidate_drop", args=[candidate.pk]), {"reason": "Nghỉ việc từ tháng 11"})
    page = client.get(reverse("reviews:round_detail", args=[review.pk]) + "?show=all").content.decode()

    assert not Candidate.objects.get(pk=candidate.pk).included
    assert "Nghỉ việc từ tháng 11" in page


def test_the_round_page_costs_the_same_queries_for_5_and_50_candidates(
    client, tree, rated, officer_a, django_assert_max_num_queries
):
    rated(5)
    review = services.round_create(actor=officer_a, unit_id=tree["a"].pk, year=YEAR)
    services.prefill(actor=officer_a, round_id=review.pk)
    client.force_login(officer_a)
    url = reverse("reviews:round_detail", args=[review.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as five:
        client.get(url)
    rated(45, start=5)
    services.prefill(actor=officer_a, round_id=review.pk)
    with django_assert_max_num_queries(len(five.captured_queries)):
        page = client.get(url).content.decode()
    assert "Đinh Văn Tên49" in page or "Tên49" in page


def test_a_unit_head_reads_the_round_but_cannot_change_it(client, tree, rated, officer_a):
    rated(1)
    review = services.round_create(actor=officer_a, unit_id=tree["a"].pk, year=YEAR)
    services.prefill(actor=officer_a, round_id=review.pk)
    candidate = Candidate.objects.get(round=review, award_code="ldtt")
    client.force_login(make_user("head_a", "unit_head", tree["a"]))

    page = client.get(reverse("reviews:round_detail", args=[review.pk]))
    refused = client.post(
        reverse("reviews:candidate_drop", args=[candidate.pk]), {"reason": "Không đồng ý với tổ"}
    )

    assert page.status_code == 200 and "Lập danh sách từ kết quả" not in page.content.decode()
    assert refused.status_code == 403
    assert Candidate.objects.get(pk=candidate.pk).included


def test_a_staff_member_sees_their_own_candidacy_with_its_reasons_and_no_one_elses(
    client, tree, rated, officer_a
):
    mine, other = rated(2)
    user = make_user("nv", "staff", tree["a"])
    mine.user = user
    mine.save(update_fields=["user"])
    review = services.round_create(actor=officer_a, unit_id=tree["a"].pk, year=YEAR)
    services.prefill(actor=officer_a, round_id=review.pk)
    client.force_login(user)

    own = client.get(reverse("reviews:mine")).content.decode()
    theirs = client.get(reverse("reviews:person_candidacies", args=[other.pk]))
    the_round = client.get(reverse("reviews:round_detail", args=[review.pk]))

    assert "Lao động tiên tiến" in own and "Điều 24" in own
    assert theirs.status_code == 404
    assert the_round.status_code == 404
