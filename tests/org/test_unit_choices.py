"""The people list names units so that they can be told apart, and offers open units in tree order."""

import datetime

from django.urls import reverse

from tests.factories import make_user, person, unit


def test_units_are_offered_in_tree_order_without_closed_ones_and_named_with_their_direct_unit(client, tree):
    closed = unit(code="VU-A-P9", name="Phòng Cũ", kind="subunit", parent=tree["a"])
    closed.active_to = datetime.date(2025, 6, 30)
    closed.save()
    office = unit(code="VU-A-P1-T", name="Văn phòng", kind="subunit", parent=tree["a1"])
    person(office, given_name="Xuân")
    admin = make_user("quantri", "admin", tree["root"])
    client.force_login(admin)
    response = client.get(reverse("org:person_list"))
    options = [label for _value, label in response.context["form"].fields["unit"].choices][1:]
    assert options == [
        "Bộ Thử nghiệm",
        "— Vụ A",
        "— — Phòng 1 Vụ A",
        "— — — Văn phòng",
        "— Vụ B",
    ]
    assert "Văn phòng — Vụ A" in response.content.decode()
