"""Search (issue 10): each folded word begins a word of the name, codes match anywhere; the best match
first, any word order, a small misspelling corrected; within the user's scope, in a fixed number of
queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tdkt.core.search import Vocabulary, search_words
from tdkt.core.text import fold
from tdkt.org.models import AwardRecord, Collective, Person
from tdkt.org.selectors import search, search_people
from tests.factories import make_user, person


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    # the names' vocabulary is cached; each test has its own names
    cache.clear()
    yield
    cache.clear()


def _names(q):
    return sorted(search_people(Person.objects.all(), q).values_list("full_name", flat=True))


def test_a_full_name_finds_that_name_and_longer_given_names_not_inner_syllables(tree):
    person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="An")
    person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="Anh")
    person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="Long")
    person(tree["a"], family_name="Trần", middle_name="Thị", given_name="Lan")
    assert _names("nguyen van an") == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert _names("NGUYỄN VĂN AN") == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert _names("lan") == ["Trần Thị Lan"]  # not "Long", not the "an" inside "Văn"
    assert _names("đ") == []


def test_a_code_matches_anywhere(tree):
    person(tree["a"], given_name="Mai", code="CB002644")
    person(tree["a"], given_name="Hoa", code="CB003000")
    assert _names("2644") == ["Nguyễn Văn Mai"]
    assert _names("cb00") == ["Nguyễn Văn Hoa", "Nguyễn Văn Mai"]


# --------------------------------------------------------------------------------- ranked search

TARGET = "Nguyễn Thị Hương"


@pytest.fixture
def lookalikes(tree):
    """Nguyễn Thị Hương among names that fold or read almost the same; created in an order that puts
    the target neither first nor last by id."""
    a = tree["a"]
    rows = [
        ("giang", a, "Nguyễn", "Thị Hương", "Giang"),
        ("huong_grave", a, "Nguyễn", "Thị", "Hường"),
        ("hoang", a, "Hoàng", "Thị", "Hương"),
        ("target", a, "Nguyễn", "Thị", "Hương"),
        ("huynh", tree["a1"], "Nguyễn", "Thị", "Huỳnh"),
        ("van", a, "Nguyễn", "Văn", "Hương"),
        ("other_unit", tree["b"], "Nguyễn", "Thị", "Hương"),  # the same name in department B
    ]
    made = {}
    for i, (key, unit, family, middle, given) in enumerate(rows, 101):
        made[key] = person(unit, family_name=family, middle_name=middle, given_name=given, code=f"CB000{i}")
    return made


@pytest.fixture
def officer(tree):
    return make_user("officer_a", "officer", tree["a"])


@pytest.mark.parametrize(
    "q",
    [
        "nguyen thi huong",
        "huong nguyen thi",
        "nguyen thi huonng",
        "NGUYEN THI HUONG",
        "Nguyễn Thị Hương",
        "nguyễn thị hương",
        "thi huong nguyen",
        "nguyen thi huongg",
        "ngyuen thi huong",
    ],
)
def test_nguyen_thi_huong_comes_first_among_lookalikes(lookalikes, officer, q):
    people = search(officer, q).people
    assert people[0] == lookalikes["target"], [p.full_name for p in people]
    assert lookalikes["other_unit"] not in people  # the same name in department B: outside the scope


def test_the_order_of_lookalikes_for_the_full_name(lookalikes, officer):
    names = [p.full_name for p in search(officer, "nguyen thi huong").people]
    # the name itself, the name with another tone (same folded text, dictionary order), then the name
    # that begins with it; Hoàng Thị Hương and Nguyễn Văn Hương lack a word and are not listed
    assert names == ["Nguyễn Thị Hương", "Nguyễn Thị Hường", "Nguyễn Thị Hương Giang"]


def test_the_accents_typed_put_that_name_first(lookalikes, officer):
    assert search(officer, "Nguyễn Thị Hường").people[0] == lookalikes["huong_grave"]
    assert search(officer, "nguyễn thị hường").people[0] == lookalikes["huong_grave"]


def test_words_in_another_order_rank_the_same_words_before_longer_names(lookalikes, officer):
    # "huong nguyen thi": exactly these three words before Nguyễn Thị Hương Giang, whose sort key
    # (given name Giang) would otherwise come first
    names = [p.full_name for p in search(officer, "huong nguyen thi").people]
    assert names.index("Nguyễn Thị Hương Giang") > names.index("Nguyễn Thị Hường") > 0


def test_a_given_name_alone_finds_every_one_of_that_name(lookalikes, officer):
    names = {p.full_name for p in search(officer, "huong").people}
    assert names == {
        "Nguyễn Thị Hương",
        "Nguyễn Thị Hường",
        "Nguyễn Thị Hương Giang",
        "Hoàng Thị Hương",
        "Nguyễn Văn Hương",
    }


def test_a_misspelling_is_corrected_and_the_correction_is_named(lookalikes, officer):
    results = search(officer, "nguyen thi huonng")
    assert results.corrections == {"huonng": ["huong"]}
    exact = search(officer, "nguyen thi huong")
    assert exact.corrections == {}
    assert [p.pk for p in results.people] == [p.pk for p in exact.people]


def test_short_words_are_not_corrected(tree, officer):
    person(tree["a"], family_name="Phạm", middle_name="Văn", given_name="Long")
    assert search(officer, "an").people == []  # not "van"
    assert search(officer, "lon").people != []  # a word beginning: Long
    assert search(officer, "lonh").people != []  # four letters: one edit
    assert search(officer, "xyzw").people == []


def test_a_correction_from_outside_the_scope_is_never_named(tree, officer):
    person(tree["b"], family_name="Lê", middle_name="Thị", given_name="Xuyến", code="CB000901")
    results = search(officer, "xuyenn")
    assert results.people == [] and results.corrections == {}


def test_codes_are_found_and_the_whole_code_first(tree, officer):
    longer = person(tree["a"], given_name="Mai", code="CB0001234")
    exact = person(tree["a"], given_name="Yến", code="CB000123")
    assert search(officer, "cb000123").people == [exact, longer]
    assert search(officer, "1234").people == [longer]
    assert search(officer, "CB000123").people[0] == exact


def test_collectives_are_found_by_name_and_code_within_the_scope(tree, officer):
    for unit, code, name in (
        (tree["a"], "TO-HC", "Tổ Hành chính"),
        (tree["a1"], "TO-TV", "Tổ Tài vụ Hành chính"),
        (tree["b"], "TO-HC-B", "Tổ Hành chính"),
    ):
        Collective.objects.create(
            unit=unit, kind="team", code=code, name=name, search_text=fold(f"{name} {code}")
        )
    assert [c.code for c in search(officer, "hanh chinh").collectives] == ["TO-HC", "TO-TV"]
    assert [c.code for c in search(officer, "to-tv").collectives] == ["TO-TV"]
    assert [c.code for c in search(officer, "tai vu").collectives] == ["TO-TV"]


def _award(p, code, year, number):
    return AwardRecord.objects.create(
        person=p,
        unit=p.current_unit,
        award_code=code,
        first_year=year,
        last_year=year,
        decision_number=number,
        decided_on=f"{year + 1}-01-15",
    )


def test_the_awards_of_the_people_found_follow_their_order(lookalikes, officer):
    newer = _award(lookalikes["target"], "cstdcs", 2024, "10/QĐ-BO")
    older = _award(lookalikes["target"], "ldtt", 2022, "9/QĐ-BO")
    second = _award(lookalikes["huong_grave"], "ldtt", 2024, "11/QĐ-BO")
    _award(lookalikes["other_unit"], "ldtt", 2024, "12/QĐ-BO")  # same name, department B
    assert search(officer, "nguyen thi huong").awards == [newer, older, second]


def test_a_collectives_awards_follow_the_peoples_each_holder_newest_first_and_bounded(lookalikes, officer):
    from tdkt.org.selectors import _awards_of

    team = Collective.objects.create(
        unit=lookalikes["target"].current_unit, kind="team", code="TO-NTH", name="Tổ Nguyễn Thị Hương",
        search_text=fold("Tổ Nguyễn Thị Hương TO-NTH"),
    )  # fmt: skip
    team_award = AwardRecord.objects.create(
        collective=team, unit=team.unit, award_code="tt_ldxs", first_year=2024, last_year=2024,
        decision_number="20/QĐ-BO", decided_on="2025-01-15",
    )  # fmt: skip
    mine = [_award(lookalikes["target"], "ldtt", year, f"{year}/QĐ") for year in (2021, 2023, 2022)]
    results = search(officer, "nguyen thi huong")
    assert results.people[0] == lookalikes["target"] and results.collectives == [team]
    assert results.awards == [mine[1], mine[2], mine[0], team_award]
    # each record comes with its unit's path (who may open it), its holder already read
    with CaptureQueriesContext(connection) as ctx:
        assert results.awards[0].unit.path == lookalikes["target"].current_unit.path
        assert results.awards[0].person.full_name == "Nguyễn Thị Hương"
        assert results.awards[-1].collective.name == "Tổ Nguyễn Thị Hương"
        assert [a.decision_number for a in results.awards] == ["2023/QĐ", "2022/QĐ", "2021/QĐ", "20/QĐ-BO"]
    assert ctx.captured_queries == []
    # at most `limit` records a holder, the newest: the person's three and the team's one, limit two
    assert _awards_of([lookalikes["target"]], [team], 2) == [mine[1], mine[2]]
    assert _awards_of([], [team], 2) == [team_award]


def test_a_staff_member_finds_only_themselves(lookalikes, tree):
    staff = make_user("staff", "staff", tree["a"])
    Person.objects.filter(pk=lookalikes["target"].pk).update(user=staff)
    _award(lookalikes["target"], "ldtt", 2024, "10/QĐ-BO")
    _award(lookalikes["huong_grave"], "ldtt", 2024, "11/QĐ-BO")
    results = search(staff, "nguyen thi huong")
    assert results.people == [lookalikes["target"]]
    assert results.collectives == []
    assert [a.person_id for a in results.awards] == [lookalikes["target"].pk]
    assert search(staff, "huong giang").people == []


def test_no_role_finds_nothing(lookalikes, tree):
    assert search(make_user("nobody", None, None), "nguyen thi huong").empty


def test_the_limit_cuts_and_says_there_are_more(tree, officer):
    for i in range(5):
        person(tree["a"], family_name="Đỗ", middle_name="Thị", given_name=f"Lan{i}")
    results = search(officer, "do thi", limit=3)
    assert len(results.people) == 3 and results.more_people
    assert not search(officer, "do thi", limit=5).more_people


def _queries(user, q) -> int:
    with CaptureQueriesContext(connection) as ctx:
        search(user, q)
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(tree, officer):
    one = person(tree["a"], family_name="Vũ", middle_name="Minh", given_name="Khoa")
    _award(one, "ldtt", 2024, "1/QĐ")
    person(tree["a"], family_name="Vũ", middle_name="Minh", given_name="Khoa Nam")  # ranked after the name
    Collective.objects.create(
        unit=tree["a"],
        kind="team",
        code="VMK",
        name="Tổ Vũ Minh Khoa",
        search_text=fold("Tổ Vũ Minh Khoa VMK"),
    )
    officer = make_user("officer_a2", "officer", tree["a"])
    search(officer, "vu minh khoaa")  # the names' vocabulary, read once after a change and kept
    exact_one, fuzzy_one = _queries(officer, "vu minh khoa"), _queries(officer, "vu minh khoaa")
    for i in range(15):
        p = person(tree["a"], family_name="Vũ", middle_name="Minh", given_name=f"Khoa{i}")
        _award(p, "ldtt", 2024, f"{i + 2}/QĐ")
        Collective.objects.create(
            unit=tree["a"], kind="team", code=f"VMK{i}", name=f"Tổ Vũ Minh Khoa {i}",
            search_text=fold(f"Tổ Vũ Minh Khoa {i} VMK{i}"),
        )  # fmt: skip
    officer = make_user("officer_a3", "officer", tree["a"])
    search(officer, "vu minh khoaa")
    assert _queries(officer, "vu minh khoa") == exact_one
    assert _queries(officer, "vu minh khoaa") == fuzzy_one
    # the role assignments, the own record; for people and for collectives: the namesakes, the ids of
    # the names beginning with the words, of the other matches, the rows; the awards; on PostgreSQL,
    # whether the names' vocabulary changed (its words stand for the prefixes in the words' index)
    assert exact_one <= (13 if connection.vendor == "postgresql" else 11)


def test_the_people_list_ranks_and_corrects_the_same_way(client, lookalikes, officer):
    client.force_login(officer)
    for q in ("huong nguyen thi", "nguyen thi huonng"):
        response = client.get(reverse("org:person_list"), {"q": q})
        assert response.context["page"].object_list[0] == lookalikes["target"]
    response = client.get(reverse("org:person_list"), {"q": "nguyen thi huong"})
    assert lookalikes["other_unit"] not in response.context["page"].object_list


def test_the_people_list_keeps_name_order_when_too_many_match_to_rank(monkeypatch, lookalikes):
    from tdkt.core import search as core_search

    ranked_rows = list(search_people(Person.objects.all(), "thi huong"))
    # the names ending with "thi huong" first (Hoàng before Nguyễn by family name), Hương Giang later
    assert ranked_rows[0] == lookalikes["hoang"]
    by_name = sorted(ranked_rows, key=lambda p: (p.sort_key, p.pk))
    assert by_name[0] == lookalikes["giang"]  # given name Giang sorts first
    monkeypatch.setattr(core_search, "RANK_ALL_CAP", 2)
    assert list(search_people(Person.objects.order_by("sort_key", "id"), "thi huong")) == by_name


# --------------------------------------------------------------------------------- the page


def test_the_search_page_shows_the_three_groups_with_links(client, lookalikes, officer):
    award = _award(lookalikes["target"], "ldtt", 2024, "10/QĐ-BO")
    Collective.objects.create(
        unit=lookalikes["target"].current_unit, kind="team", code="TO-NTH", name="Tổ Nguyễn Thị Hương",
        search_text=fold("Tổ Nguyễn Thị Hương TO-NTH"),
    )  # fmt: skip
    client.force_login(officer)
    response = client.get(reverse("org:search"), {"q": "nguyen thi huong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("org:person_detail", args=[lookalikes["target"].pk]) in body
    assert "Tổ Nguyễn Thị Hương" in body and "10/QĐ-BO" in body
    results = response.context["results"]
    assert results.awards == [award] and results.awards[0].link
    assert body.index("CB000104") < body.index("CB000102")  # Hương before Hường
    assert "CB000107" not in body  # department B's Nguyễn Thị Hương


def test_the_page_names_the_correction(client, lookalikes, officer):
    client.force_login(officer)
    body = client.get(reverse("org:search"), {"q": "nguyen thi huonng"}).content.decode()
    assert "kết quả gần đúng" in body and "“huonng” → huong" in body


def test_the_header_has_a_labelled_search_box_for_those_who_may_search(client, tree, officer):
    client.force_login(officer)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert 'for="header-search-q"' in body and 'id="header-search-q"' in body
    assert f'action="{reverse("org:search")}"' in body
    client.force_login(make_user("portal", "portal_editor", tree["a"]))
    assert 'id="header-search-q"' not in client.get(reverse("core:dashboard")).content.decode()


# --------------------------------------------------------------------------------- the helpers


def test_search_words_leave_out_what_cannot_match():
    assert search_words("  Nguyễn   THỊ  hương ") == ["nguyen", "thi", "huong"]
    assert search_words("!!! ... 😀") == []
    assert search_words("a " * 40) == ["a"] * 12


def test_the_vocabulary_corrects_within_one_or_two_edits():
    vocabulary = Vocabulary(["nguyen", "thi", "huong", "hung", "hoang", "van", "an", "cb0001"])
    assert vocabulary.corrections("huonng") == ["huong"]
    assert vocabulary.corrections("nguyne") == ["nguyen"]  # two letters swapped
    assert vocabulary.corrections("ngyen") == ["nguyen"]
    assert vocabulary.corrections("huong") == []  # a known word
    assert vocabulary.corrections("vam") == []  # three letters: never corrected
    assert vocabulary.corrections("cb0002") == []  # a code
    assert "cb0001" not in vocabulary.words


def test_best_matches_rank_the_names_made_of_the_words_whatever_the_cap(tree):
    from tdkt.core.search import best_matches

    for i in range(6):
        person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name=f"An{i}")
    target = person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="An")  # the newest
    qs = Person.objects.all()
    # only 2 of the 7 matches are ranked beyond the names that begin with the words: the name itself,
    # in any order of the words, is found through the index all the same
    for words in (["nguyen", "van", "an"], ["an", "nguyen", "van"], ["van", "an", "nguyen"]):
        assert best_matches(qs, words, limit=1, cap=2, name_field="full_name") == [target]
    # one common word: at most `cap` matches are ranked, the best of them first
    found = best_matches(qs, ["van"], limit=5, cap=3, name_field="full_name")
    assert len(found) == 3 and all("Văn" in p.full_name for p in found)
    assert len(best_matches(qs, ["van"], limit=5, cap=100, name_field="full_name")) == 5


def test_many_namesakes_come_in_order_from_the_index_whatever_the_cap(tree):
    """A full name with more namesakes than the page (the commonest names at national size): the name as
    typed with its accents first, then every other name folding to the query, each group in name order
    — read in that order from the namesakes' index, in two short queries, whatever the ranking cap."""
    from tdkt.core.search import best_matches

    made = []
    for i in range(12):  # interleaved ids: the order must come from the names, not the rows
        given = "Hường" if i % 3 == 0 else "Hương"
        made.append(person(tree["a"], family_name="Nguyễn", middle_name="Thị", given_name=given))
    person(tree["a"], family_name="Nguyễn", middle_name="Thị", given_name="Hương Giang")  # ranked after
    qs = Person.objects.all()
    grave = [p for p in made if p.given_name == "Hường"]
    plain = [p for p in made if p.given_name == "Hương"]
    words = ["nguyen", "thi", "huong"]
    with CaptureQueriesContext(connection) as ctx:
        found = best_matches(qs, words, limit=6, cap=2, name_field="full_name", typed="Nguyễn Thị Hường")
    assert found == grave + plain[:2]
    assert len(ctx.captured_queries) == 2  # the name as typed, then the other namesakes: nothing else
    # without accents every namesake is as good as the next: name order, then the longer name
    found = best_matches(qs, words, limit=13, cap=2, name_field="full_name", typed="nguyen thi huong")
    assert [p.full_name for p in found] == ["Nguyễn Thị Hương"] * 8 + ["Nguyễn Thị Hường"] * 4 + [
        "Nguyễn Thị Hương Giang"
    ]


def test_a_row_whose_search_text_is_not_made_yet_is_saved_and_found_by_nothing(tree, officer):
    # the namesakes' index reads the name out of the text: an empty text (a row written before its text
    # is made) has no name, it is not an error (PostgreSQL refused a negative length)
    team = Collective.objects.create(unit=tree["a"], kind="team", code="T-EMPTY", name="Tổ trống")
    assert Collective.objects.get(pk=team.pk).search_text == ""
    assert search(officer, "to trong").collectives == []


def test_a_prefix_is_searched_as_the_name_words_it_begins():
    from tdkt.core.search import _tsquery

    vocabulary = Vocabulary(["thu", "thuy", "thuan", "nguyen", "an", "anh", "cb000123"])
    assert vocabulary.beginning_with("thu") == ["thu", "thuan", "thuy"]
    assert vocabulary.beginning_with("cb") is None  # a code's letters: no name word, stays a prefix
    assert vocabulary.beginning_with("thu", most=2) is None  # too many: stays a prefix
    query = _tsquery([["nguyen"], ["thu"], ["cb"]], vocabulary.beginning_with)
    assert query == "(nguyen) & (thu | thuan | thuy) & (cb:*)"
    # each alternative of a misspelt word expands on its own, the duplicates once
    assert _tsquery([["thuu", "thu", "thuy"]], vocabulary.beginning_with) == "(thuu:* | thu | thuan | thuy)"


def test_an_edited_name_enters_the_vocabulary_at_the_next_search(tree, officer):
    from tdkt.org.selectors import search_vocabulary

    older = person(tree["a"], family_name="Lê", middle_name="Văn", given_name="Tám")
    person(tree["a"], family_name="Trần", middle_name="Văn", given_name="Chín")  # newer: not the edited one
    assert "quyet" not in search_vocabulary().words
    older.given_name = "Quyết"
    from tdkt.org.services import fill_person_derived

    fill_person_derived(older)
    older.save()
    assert "quyet" in search_vocabulary().words
    # and a misspelling of it is corrected to it, a prefix of it expanded to it
    assert search(officer, "le van quyeet").people == [older]
    assert "quyet" in search_vocabulary().beginning_with("quy")


@pytest.mark.parametrize("awards", [2, 20])
def test_the_search_page_costs_the_same_queries_whatever_the_awards_found(
    client, lookalikes, officer, awards, django_assert_max_num_queries
):
    # each award's link depends on whether its unit is in the officer's scope: the units come with the
    # awards (it was one query per award)
    for i in range(awards):
        _award(lookalikes["target"] if i % 2 else lookalikes["huong_grave"], "ldtt", 2000 + i, f"{i + 1}/QĐ")
    client.force_login(officer)
    client.get(reverse("org:search"), {"q": "nguyen thi huong"})
    with django_assert_max_num_queries(16):
        response = client.get(reverse("org:search"), {"q": "nguyen thi huong"})
    assert len(response.context["results"].awards) == min(awards, 20)
    assert all(a.link for a in response.context["results"].awards)


# ------------------------------------------------------------------- SQLite's full-text index (org 0010)

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 tables are SQLite's")


@sqlite_only
def test_on_sqlite_the_words_come_from_the_full_text_index_not_a_scan(lookalikes, officer):
    with CaptureQueriesContext(connection) as ctx:
        found = search_people(Person.objects.all(), "huong nguyen")
    assert lookalikes["target"] in found
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "org_person_words MATCH" in sql
    # a code word (digits) is matched anywhere in the code by LIKE alone; the FTS query leaves it out
    assert search_people(Person.objects.all(), "000104") and search_people(Person.objects.all(), "b00010")


@sqlite_only
def test_on_sqlite_the_full_text_index_follows_every_write(tree, officer):
    from tdkt.org.services import fill_person_derived

    p = person(tree["a"], family_name="Trịnh", middle_name="Công", given_name="Sơn")
    assert list(search_people(Person.objects.all(), "trinh son")) == [p]
    p.given_name = "Sang"
    fill_person_derived(p)
    p.save()  # an edited name: the old words go, the new come
    assert list(search_people(Person.objects.all(), "trinh son")) == []
    assert list(search_people(Person.objects.all(), "trinh sang")) == [p]
    # rows written around the ORM's save (an import's bulk insert, a queryset update) are indexed too
    twin = Person(
        current_unit=tree["a"], family_name="Trịnh", middle_name="Công", given_name="Sang", code="TCS2",
        gender="male", birth_date="1980-01-01", joined="2010-01-01",
    )  # fmt: skip
    fill_person_derived(twin)
    (twin,) = Person.objects.bulk_create([twin])
    assert set(search_people(Person.objects.all(), "trinh sang")) == {p, twin}
    Person.objects.filter(pk=twin.pk).update(search_text=fold("Trịnh Công Sáng TCS2").replace("sang", "sinh"))
    assert list(search_people(Person.objects.all(), "trinh sang")) == [p]
    team = Collective.objects.create(
        unit=tree["a"], kind="team", code="TO-CS", name="Tổ Công Sơn", search_text=fold("Tổ Công Sơn TO-CS")
    )
    assert search(officer, "to cong son").collectives == [team]
    Collective.objects.filter(pk=team.pk).update(search_text=fold("Tổ Văn Cao TO-CS"))
    assert search(officer, "to cong son").collectives == []
    assert search(officer, "to van cao").collectives == [team]


@pytest.mark.parametrize(
    "q",
    [
        "nguyen thi huong",
        "huong nguyen thi",
        "thi huong",
        "huong",
        "Nguyễn Thị Hường",
        "nguyen huonng",
        "cb0001",
    ],
)
def test_few_matches_read_at_once_come_in_the_same_order_as_the_full_path(lookalikes, q):
    from tdkt.core.search import best_matches
    from tdkt.org.selectors import corrected_words

    words = search_words(q)
    alternatives = corrected_words(words) if q == "nguyen huonng" else None
    options = {"name_field": "full_name", "typed": q, "alternatives": alternatives}
    for limit, cap in ((3, 300), (10, 300), (3, 2)):  # cap 2: too many at once, the full path instead
        full = best_matches(Person.objects.all(), words, limit=limit, cap=cap, **options)
        few = best_matches(Person.objects.all(), words, limit=limit, cap=cap, few=True, **options)
        assert few == full and full, (q, limit, cap)


def test_a_query_matching_nothing_in_a_table_of_few_matches_costs_one_query(lookalikes):
    from tdkt.core.search import best_matches

    best_matches(
        Collective.objects.all(), ["van"], limit=20, few=True
    )  # SQLite: its FTS table looked up once
    with CaptureQueriesContext(connection) as ctx:
        assert best_matches(Collective.objects.all(), ["nguyen", "thi"], limit=20, few=True) == []
    assert len(ctx.captured_queries) == 1
