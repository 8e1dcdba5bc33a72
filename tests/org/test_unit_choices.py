"""The people list names units so that they can be told apart, and suggests open units as one types."""

import datetime

from django.urls import reverse

from tests.factories import make_user, person, unit


def test_units_are_suggested_without_closed_ones_and_named_with_their_direct_unit(client, tree):
    closed = unit(code="VU-A-P9", name="Phòng Cũ", kind="subunit", parent=tree["a"])
    closed.active_to = datetime.date(2025, 6, 30)
    closed.save()
    office = unit(code="VU-A-P1-T", name="Văn phòng", kind="subunit", parent=tree["a1"])
    person(office, given_name="Xuân")
    admin = make_user("quantri", "admin", tree["root"])
    client.force_login(admin)
    # the filter is a unit picker that searches (core.filters.UnitPickerField): the page lists no unit
    response = client.get(reverse("org:person_list"))
    assert "Phòng Cũ" not in response.content.decode()
    assert "Văn phòng — Vụ A" in response.content.decode()
    suggested = client.get(
        reverse("org:unit_search"), {"q": "phong", "for": "org.view_person"}
    ).content.decode()
    assert "Phòng 1 Vụ A" in suggested and "Phòng Cũ" not in suggested
    assert "Văn phòng — Vụ A" in client.get(reverse("org:unit_search"), {"q": "van phong"}).content.decode()
    # a closed unit is still accepted when typed: its former people stay reachable
    assert not client.get(reverse("org:person_list"), {"unit": "VU-A-P9"}).context["form"].errors
