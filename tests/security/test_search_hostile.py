"""Hostile input to the search (issue 10): the page and the selector answer junk with a clear message or
no rows, never a server error, never everyone, never a name from outside the scope."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from tdkt.org.selectors import search
from tests.factories import make_user, person

SEARCH = reverse("org:search")
TOO_LONG = "Từ khoá dài quá"
BAD_CHARACTER = "Từ khoá có ký tự không hợp lệ"
ONLY_SYMBOLS = "Từ khoá chỉ có dấu câu hoặc ký hiệu"


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def named(tree):
    return {
        "a": person(tree["a"], family_name="Nguyễn", middle_name="Thị", given_name="Hương", code="CB000201"),
        "b": person(tree["b"], family_name="Nguyễn", middle_name="Thị", given_name="Hường", code="CB000202"),
    }


@pytest.fixture
def officer_client(client, tree, named):
    client.force_login(make_user("officer_a", "officer", tree["a"]))
    return client


def _page(client, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    body = response.content.decode()
    assert "CB000202" not in body  # department B's person, whatever the query
    return response, body


def _shown(response) -> list:
    results = response.context["results"]
    return [] if results is None else results.people + results.collectives + results.awards


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("nguyen\x00thi", BAD_CHARACTER),  # a NUL byte: PostgreSQL would refuse it
        ("\x00", BAD_CHARACTER),
        ("huong " * 2000, TOO_LONG),  # 12,000 characters
        ("a" * 10_000, TOO_LONG),
        ("!!! ... ??? %%% ___", ONLY_SYMBOLS),  # LIKE wildcards alone are not a search
        ("😀 🎉 🇻🇳", ONLY_SYMBOLS),  # emoji
        ("— · • ★", ONLY_SYMBOLS),
    ],
)
def test_junk_gives_a_message_and_no_rows(officer_client, q, message):
    response, body = _page(officer_client, q)
    assert message in body
    assert _shown(response) == []


@pytest.mark.parametrize(
    "q",
    [
        "Нгуен Тхи Хыонг",  # Cyrillic
        "ΝGUYΕΝ",  # Greek capitals that look Latin
        "' OR 1=1 --",
        "%",  # alone: only a symbol
        "a%",
        "_u",  # a LIKE wildcard is a plain character: not "hu", "tu", ...
        "h%g",
        "\\",
        "ｎｇｕｙｅｎ ｔｈｉ ｈｕｏｎｇ ｘｘｘｘ",  # full-width, plus a word nobody has
        "\u200bxyzw\u200b",
    ],
)
def test_lookalikes_wildcards_and_injections_find_nothing(officer_client, q):
    response, body = _page(officer_client, q)
    assert _shown(response) == []
    assert "CB000201" not in body


@pytest.mark.parametrize(
    ("q", "found"),
    [
        # the full-text query syntax of SQLite's FTS5 (org 0010) and PostgreSQL's tsquery: no word is an
        # operator; "or", "near" and "xyzw" are words no name has, so nothing is found
        ('nguyen" OR "', False),
        ("nguyen OR xyzw", False),
        ("NEAR(nguyen huong)", False),
        ("nguyen:* | xyzw", False),
        ("search_text : nguyen", False),
        ("nguyen -huong xyzw", False),
        # a stray symbol in a word is a typing error like any other: corrected, and said so
        ("nguyen* huong*", True),
        ("nguyen & !huong", True),
        ("^huong", True),
    ],
)
def test_full_text_query_syntax_is_plain_words(officer_client, named, q, found):
    response, body = _page(officer_client, q)  # never an error, never department B
    assert [p.pk for p in _shown(response) if hasattr(p, "code")] == ([named["a"].pk] if found else [])
    if found:
        assert response.context["results"].corrections


def test_markup_in_the_query_is_shown_as_text(officer_client):
    _response, body = _page(officer_client, '<script>alert("x")</script>')
    assert '<script>alert("x")' not in body
    assert "&lt;script&gt;" in body


def test_full_width_letters_find_the_person_like_plain_ones(officer_client):
    response, _body = _page(officer_client, "ｎｇｕｙｅｎ ｔｈｉ ｈｕｏｎｇ")
    assert [p.code for p in response.context["results"].people] == ["CB000201"]


def test_an_invisible_character_inside_a_word_does_not_hide_the_person(officer_client):
    response, _body = _page(officer_client, "hu\u200bong")
    assert [p.code for p in response.context["results"].people] == ["CB000201"]


def test_the_selector_itself_refuses_junk_without_an_error(tree, named):
    officer = make_user("officer_a", "officer", tree["a"])
    assert search(officer, "a" * 10_000).empty
    assert search(officer, "\x00").empty
    assert search(officer, "").empty and search(officer, None).empty
    assert search(officer, "nguyen\x00thi\x00huong").people == [named["a"]]  # NUL as a space
    assert search(officer, "a " * 50).people == []  # many words: the first twelve, no match


def test_a_lookalike_letter_is_corrected_like_a_typing_error_and_said_so(officer_client):
    # a Cyrillic "е" inside "Nguyen" looks the same: the word is one edit from "nguyen"
    response, body = _page(officer_client, "Nguyеn Thị Hương")
    assert [p.code for p in response.context["results"].people] == ["CB000201"]
    assert response.context["results"].corrections == {"nguyеn": ["nguyen"]}
    assert "kết quả gần đúng" in body


def test_a_misspelling_of_a_name_outside_the_scope_reveals_nothing(officer_client, tree):
    # "xuyenn" is one edit from department B's Xuyến, and from nobody's name in department A
    person(tree["b"], family_name="Lê", middle_name="Thị", given_name="Xuyến", code="CB000203")
    response, body = _page(officer_client, "le thi xuyenn")
    assert _shown(response) == []
    assert "gần đúng" not in body and "→" not in body and "CB000203" not in body


def test_anonymous_and_roles_without_people_are_refused(client, tree, named):
    response = client.get(SEARCH, {"q": "nguyen"})
    assert response.status_code == 302
    client.force_login(make_user("portal", "portal_editor", tree["a"]))
    assert client.get(SEARCH, {"q": "nguyen"}).status_code == 403
