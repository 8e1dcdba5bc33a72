"""The unit picker of list filters (core.filters.UnitPickerField + org:unit_search): a unit is typed
(code, exact name, or the id other pages link with) and suggested as the user types; only units of the
user's scope are accepted or suggested, and a unit outside it reads exactly like one that does not
exist. No page lists every unit of the scope any more."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import make_user, person, unit

LIST = reverse("org:person_list")
SEARCH = reverse("org:unit_search")
OUTSIDE = "Không có đơn vị này trong phạm vi bạn được xem."


@pytest.fixture
def officer_a(tree):
    return make_user("officer_a", "officer", tree["a"])


def _names(response) -> list[str]:
    return [p.full_name for p in response.context["page"].object_list]


def _options(response) -> list[tuple[str, str]]:
    """(value, label) of every <option> the search answered."""
    import re

    return re.findall(r'<option value="([^"]*)">([^<]*)</option>', response.content.decode())


# --- the filter field --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["VU-A-P1", "vu-a-p1", "Phòng 1 Vụ A", "  phòng 1 vụ a  "])
def test_list_filters_by_a_unit_typed_as_its_code_or_exact_name(client, tree, people, officer_a, typed):
    client.force_login(officer_a)
    response = client.get(LIST, {"unit": typed, "subtree": "on"})
    assert _names(response) == ["Trần Thị Bình"]
    page = response.content.decode()
    # the field shows the chosen unit's code, its name below it
    assert 'value="VU-A-P1"' in page
    assert "Phòng 1 Vụ A" in page


def test_list_still_takes_the_unit_id_other_pages_link_with(client, tree, people, officer_a):
    client.force_login(officer_a)
    response = client.get(LIST, {"unit": tree["a1"].pk, "subtree": "on"})
    assert _names(response) == ["Trần Thị Bình"]


@pytest.mark.parametrize("typed", ["VU-B", "Vụ B", "KHONG-CO", "999999", "Phòng", "x" * 300, "VU-A\x00"])
def test_a_unit_outside_the_scope_reads_like_one_that_does_not_exist(client, tree, people, officer_a, typed):
    client.force_login(officer_a)
    response = client.get(LIST, {"unit": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == [OUTSIDE]
    assert _names(response) == []
    assert "Lê Cường" not in response.content.decode()


def test_two_units_of_the_same_name_ask_for_the_code(client, tree, people, officer_a):
    unit(code="VU-A-VP", name="Văn phòng", kind="subunit", parent=tree["a"])
    unit(code="VU-A-P1-VP", name="Văn phòng", kind="subunit", parent=tree["a1"])
    client.force_login(officer_a)
    response = client.get(LIST, {"unit": "Văn phòng"})
    assert "gõ mã đơn vị" in response.context["form"].errors["unit"][0]
    chosen = client.get(LIST, {"unit": "vu-a-vp"})
    assert not chosen.context["form"].errors


def test_the_list_page_lists_no_unit_of_the_scope(client, tree, people):
    for n in range(30):
        unit(code=f"VU-A-X{n:02d}", name=f"Tổ công tác {n:02d}", kind="subunit", parent=tree["a"])
    admin = make_user("quantri", "admin", tree["root"])
    client.force_login(admin)
    page = client.get(LIST).content.decode()
    assert "Tổ công tác" not in page
    assert "<select" in page  # the other filters are still selects
    assert 'name="unit"' in page and 'list="id_unit-options"' in page
    assert f'hx-get="{SEARCH}?for=org.view_person"' in page


def test_the_dossier_and_candidate_filters_use_the_picker_too(client, tree, people, officer_a):
    client.force_login(officer_a)
    dossiers = client.get(reverse("dossiers:list"), {"unit": "VU-B"})
    assert dossiers.context["form"].errors["unit"]
    assert "Vụ B" not in dossiers.content.decode()
    candidates = client.get(reverse("rulebook:candidates"), {"unit": "VU-A-P1"})
    assert candidates.context["form"].cleaned_data["unit"] == tree["a1"]
    assert 'list="f-unit-options"' in candidates.content.decode()
    refused = client.get(reverse("rulebook:candidates"), {"unit": "VU-B"})
    assert refused.context["form"].errors["unit"] == [OUTSIDE]


# --- the suggestions -----------------------------------------------------------------------------------


def test_suggestions_fold_accents_and_name_units_apart(client, tree, officer_a):
    unit(code="VU-A-P1-VP", name="Văn phòng", kind="subunit", parent=tree["a1"])
    unit(code="VU-B-VP", name="Văn phòng", kind="subunit", parent=tree["b"])
    admin = make_user("quantri", "admin", tree["root"])
    client.force_login(admin)
    response = client.get(SEARCH, {"q": "van PHONG"})
    assert response.status_code == 200
    # the higher unit first
    assert _options(response) == [("VU-B-VP", "Văn phòng — Vụ B"), ("VU-A-P1-VP", "Văn phòng — Vụ A")]


def test_suggestions_stay_inside_the_scope_of_the_list(client, tree, people, officer_a):
    client.force_login(officer_a)
    everything = _options(client.get(SEARCH, {"q": "vu"}))
    assert [code for code, _label in everything] == ["VU-A", "VU-A-P1"]
    # the picker sends its own field (htmx names the value after the input)
    assert [c for c, _l in _options(client.get(SEARCH, {"unit": "phong", "for": "org.view_person"}))] == [
        "VU-A-P1"
    ]
    assert _options(client.get(SEARCH, {"q": "Vụ B"})) == []
    assert _options(client.get(SEARCH, {"q": "VU-B", "for": "no.such_action"})) == []


def test_suggestions_rank_code_then_name_start_and_stop_at_twenty(client, tree):
    for n in range(25):
        unit(code=f"T{n:02d}", name=f"Phòng thử {n:02d}", kind="subunit", parent=tree["b"])
    admin = make_user("quantri", "admin", tree["root"])
    client.force_login(admin)
    options = _options(client.get(SEARCH, {"q": "phong"}))
    assert len(options) == 20
    # names beginning with the query, in name order; "Phòng 1 Vụ A" sorts first
    assert options[:2] == [("VU-A-P1", "Phòng 1 Vụ A — Vụ A"), ("T00", "Phòng thử 00 — Vụ B")]
    assert ("VU-A-P1", "Phòng 1 Vụ A — Vụ A") in _options(client.get(SEARCH, {"q": "phong 1 vu"}))
    assert _options(client.get(SEARCH, {"q": "vu-a-p1"}))[0][0] == "VU-A-P1"


def test_closed_units_are_not_suggested(client, tree):
    closed = unit(code="VU-A-CU", name="Phòng Cũ", kind="subunit", parent=tree["a"])
    closed.active_to = datetime.date(2020, 6, 30)
    closed.save()
    admin = make_user("quantri", "admin", tree["root"])
    client.force_login(admin)
    assert _options(client.get(SEARCH, {"q": "phong cu"})) == []


def test_suggestions_cost_the_same_queries_for_two_and_forty_units(client, tree, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = make_user("quantri", "admin", tree["root"])
    client.force_login(admin)
    client.get(SEARCH, {"q": "phong vu"})
    with CaptureQueriesContext(connection) as few:
        assert len(_options(client.get(SEARCH, {"q": "phong vu"}))) == 1
    for n in range(40):
        parent = unit(code=f"VU-C{n:02d}", name=f"Vụ C{n:02d}", parent=tree["root"])
        unit(code=f"VU-C{n:02d}-P", name=f"Phòng Vụ C{n:02d}", kind="subunit", parent=parent)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(SEARCH, {"q": "phong vu"})
    assert len(_options(response)) == 20


def test_the_search_needs_a_role_that_sees_units(client, tree, people):
    staff = make_user("nhanvien", "staff", tree["a"])
    client.force_login(staff)
    assert client.get(SEARCH, {"q": "vu"}).status_code == 403
    client.logout()
    assert client.get(SEARCH, {"q": "vu"}).status_code == 302


# --- labels on the page -------------------------------------------------------------------------------


def test_the_list_names_units_with_their_direct_unit_within_the_scope(client, tree):
    office = unit(code="VU-A-P1-T", name="Văn phòng", kind="subunit", parent=tree["a1"])
    person(office, given_name="Xuân")
    admin = make_user("quantri", "admin", tree["root"])
    client.force_login(admin)
    assert "Văn phòng — Vụ A" in client.get(LIST).content.decode()
    # an officer of the sub-team does not see department A: the plain name
    client.force_login(make_user("officer_a1", "officer", tree["a1"]))
    page = client.get(LIST).content.decode()
    assert "Văn phòng — Vụ A" not in page and "Văn phòng" in page


def test_the_list_costs_the_same_queries_whatever_the_units_of_the_scope(
    client, tree, people, django_assert_num_queries
):
    admin = make_user("quantri", "admin", tree["root"])
    client.force_login(admin)
    client.get(LIST)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(40):
        parent = unit(code=f"VU-C{n:02d}", name=f"Vụ C{n:02d}", parent=tree["root"])
        person(unit(code=f"VU-C{n:02d}-P", name=f"Phòng C{n:02d}", kind="subunit", parent=parent))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 20


# --- the filter form's drawing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"gender": "female", "active": "all", "rating_year": "2024", "per_page": "50", "leader": "1"},
        {"q": 'a"<b'},
    ],
)
def test_quick_rendering_draws_what_django_draws(tree, data):
    """The filter form's fields drawn in Python give the same HTML as Django's widget templates."""
    import re

    from django.test.html import parse_html

    from tdkt.org.filters import PersonFilterForm
    from tdkt.org.models import Unit

    form = PersonFilterForm(data, units=Unit.objects.all())
    form.is_valid()
    for name, field in form.fields.items():
        if name == "unit":
            continue
        quick = str(form[name])
        del field.widget.render  # back to Django's own rendering through its widget templates
        django = str(form[name])
        assert parse_html(quick) == parse_html(django), name  # the same elements, attributes and text
        assert re.sub(r">\s+<", "><", quick) == re.sub(r">\s+<", "><", django.strip()), name  # in order
