"""Lists that can hold millions of rows count at most COUNT_CAP of them ("hơn 10.000"), so the pager
and the dashboard cost the same on a unit and on the whole country."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tdkt.core.paging import bounded_count, count_text, paginate
from tdkt.org.models import Person
from tests.factories import make_user, person


@pytest.fixture
def twelve(tree):
    return [person(tree["a"], given_name=f"Tên{n:02d}") for n in range(12)]


def test_bounded_count_stops_at_the_cap_and_says_so(twelve):
    assert bounded_count(Person.objects.all(), 20) == (12, False)
    assert bounded_count(Person.objects.all(), 12) == (12, False)
    assert bounded_count(Person.objects.all(), 5) == (5, True)
    assert bounded_count(list(range(7)), 5) == (5, True)


def test_the_bounded_count_reads_no_more_than_the_cap_without_the_list_order(twelve):
    qs = Person.objects.select_related("current_unit").order_by("sort_key", "id")
    with CaptureQueriesContext(connection) as ctx:
        bounded_count(qs, 5)
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    assert "LIMIT 6" in sql
    assert "ORDER BY" not in sql
    assert "JOIN" not in sql


def test_count_text_reads_as_a_vietnamese_number():
    assert count_text(1234) == "1.234"
    assert count_text(10000, True) == "hơn 10.000"


def test_a_capped_pager_pages_up_to_the_cap(twelve):
    request = RequestFactory().get("/", {"page": "99"})
    page = paginate(request, Person.objects.order_by("sort_key", "id"), 2, count_cap=5)
    assert page.paginator.count == 5 and page.count_capped and page.count_text == "hơn 5"
    assert page.paginator.num_pages == 3 and page.number == 3  # an out-of-range page falls back
    exact = paginate(RequestFactory().get("/"), Person.objects.all(), 2)
    assert exact.paginator.count == 12 and not exact.count_capped and exact.count_text == "12"


def test_the_people_list_says_more_than_the_cap(client, tree, twelve, monkeypatch):
    import tdkt.org.views.people as people_views

    monkeypatch.setattr(people_views, "COUNT_CAP", 10)
    client.force_login(make_user("officer_a", "officer", tree["a"]))
    response = client.get(reverse("org:person_list"))
    page = response.content.decode()
    assert "<strong>hơn 10</strong> cán bộ" in page and "hãy lọc thêm" in page
    assert len(response.context["page"].object_list) == 10  # pages run up to the cap
    small = client.get(reverse("org:person_list"), {"q": "ten01"}).content.decode()
    assert "<strong>1</strong> cán bộ" in small and "hãy lọc thêm" not in small


def test_dashboard_cards_stop_counting_at_the_cap(client, tree, twelve, monkeypatch):
    import tdkt.core.dashboard as dashboard

    monkeypatch.setattr(dashboard.count_card, "__kwdefaults__", {"cap": 10})
    client.force_login(make_user("officer_a", "officer", tree["a"]))
    response = client.get(reverse("core:dashboard"))
    cards = {str(c["label"]): c for c in response.context["cards"]}
    assert cards["Cán bộ đang công tác"]["value"] == 10
    assert cards["Cán bộ đang công tác"]["text"] == "hơn 10"
    assert "hơn 10" in response.content.decode()
    assert cards["Đơn vị"]["text"] == "2"


def test_dashboard_counts_are_reused_for_a_while_and_per_scope(client, tree, twelve, settings):
    from django.core.cache import cache

    cache.clear()
    settings.TDKT_DASHBOARD_COUNT_SECONDS = 300
    officer_a = make_user("officer_a", "officer", tree["a"])
    officer_b = make_user("officer_b", "officer", tree["b"])

    def people_card(user) -> int:
        client.force_login(user)
        cards = client.get(reverse("core:dashboard")).context["cards"]
        return next(c["value"] for c in cards if str(c["label"]) == "Cán bộ đang công tác")

    assert people_card(officer_a) == 12
    person(tree["a"], given_name="Mới")
    person(tree["b"], given_name="Khác")
    with CaptureQueriesContext(connection) as ctx:
        assert people_card(officer_a) == 12  # the count of five minutes ago, no COUNT query
    assert not any("COUNT" in q["sql"] and '"org_person"' in q["sql"] for q in ctx.captured_queries)
    assert people_card(officer_b) == 1  # another scope, its own count
    settings.TDKT_DASHBOARD_COUNT_SECONDS = 0
    assert people_card(officer_a) == 13
    cache.clear()
