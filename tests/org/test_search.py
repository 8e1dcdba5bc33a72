"""People search: each folded word begins a word of the name; codes match anywhere."""

from tdkt.org.models import Person
from tdkt.org.selectors import search_people
from tests.factories import person


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
