"""Hostile input to the unit picker (core.filters.UnitPickerField) and its suggestions (org:unit_search):
nothing is a 500, nothing outside the scope is suggested or accepted, nothing typed comes back unescaped."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_user, unit

SEARCH = reverse("org:unit_search")
LIST = reverse("org:person_list")


@pytest.fixture
def officer_a(tree):
    return make_user("officer_a", "officer", tree["a"])


@pytest.mark.parametrize(
    "typed",
    ["\x00", "VU-A\x00", "x" * 10_000, "%", "_", "' OR 1=1 --", "<script>alert(1)</script>", "\u202evu", "٣"],
)
def test_suggestions_survive_hostile_queries_and_stay_in_scope(client, tree, officer_a, typed):
    client.force_login(officer_a)
    response = client.get(SEARCH, {"q": typed, "for": "org.view_person"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vụ B" not in body and "Bộ Thử nghiệm" not in body
    assert "<script>" not in body


def test_a_unit_name_with_markup_is_escaped_in_the_suggestions(client, tree, officer_a):
    unit(code="VU-A-X", name='Phòng <b onmouseover="x()">X</b>', kind="subunit", parent=tree["a"])
    client.force_login(officer_a)
    body = client.get(SEARCH, {"q": "phong"}).content.decode()
    assert "<b onmouseover" not in body and "&lt;b onmouseover" in body


@pytest.mark.parametrize(
    "typed", ["%", "_", "VU-%", "' OR 1=1 --", "x" * 10_000, "VU-A\x00", "\u200bVU-B", "٣"]
)
def test_the_filter_refuses_wildcards_and_junk_like_a_unit_that_does_not_exist(
    client, tree, officer_a, typed
):
    client.force_login(officer_a)
    response = client.get(LIST, {"unit": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == ["Không có đơn vị này trong phạm vi bạn được xem."]
    assert list(response.context["page"].object_list) == []


def test_invisible_characters_and_decomposed_accents_still_find_the_unit(client, tree, people, officer_a):
    import unicodedata

    client.force_login(officer_a)
    for typed in ("\u200bVU-A-P1\ufeff", unicodedata.normalize("NFD", "Phòng 1 Vụ A")):
        response = client.get(LIST, {"unit": typed, "subtree": "on"})
        assert response.context["form"].cleaned_data["unit"] == tree["a1"], typed
