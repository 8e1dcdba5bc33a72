"""`id_link` gives the URL `reverse` gives, for any id, under any script prefix."""

import pytest
from django.urls import reverse, set_script_prefix

from tdkt.core.links import id_link


@pytest.mark.parametrize("name", ["org:person_detail", "org:collective_detail", "awards:record_detail"])
def test_an_id_link_is_the_reversed_url_of_each_id(name):
    link = id_link(name)
    for pk in (1, 9, 40, 987654, 2**40):
        assert link(pk) == reverse(name, args=[pk])


def test_an_id_link_follows_the_script_prefix_it_was_made_under():
    try:
        set_script_prefix("/tdkt/")
        assert id_link("org:person_detail")(12) == reverse("org:person_detail", args=[12])
        assert id_link("org:person_detail")(12).startswith("/tdkt/")
    finally:
        set_script_prefix("/")


def test_an_id_link_takes_only_integers_and_only_urls_of_one_id():
    link = id_link("org:person_detail")
    with pytest.raises(ValueError):
        link("12/../../admin")
    with pytest.raises(Exception):  # noqa: B017 - NoReverseMatch: the URL takes no id
        id_link("org:search")
