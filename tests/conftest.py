import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import make_user, person, unit


@pytest.fixture
def tree(db):
    """A small ministry: root with two departments; dept A has a sub-team. Returns a dict of units."""
    root = unit(code="BO", name="Bộ Thử nghiệm", kind="ministry")
    dept_a = unit(code="VU-A", name="Vụ A", kind="department", parent=root)
    team_a1 = unit(code="VU-A-P1", name="Phòng 1 Vụ A", kind="subunit", parent=dept_a)
    dept_b = unit(code="VU-B", name="Vụ B", kind="department", parent=root)
    return {"root": root, "a": dept_a, "a1": team_a1, "b": dept_b}


@pytest.fixture
def people(tree):
    return {
        "an": person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="An", code="CB001"),
        "binh": person(tree["a1"], family_name="Trần", middle_name="Thị", given_name="Bình", code="CB002"),
        "cuong": person(tree["b"], family_name="Lê", middle_name="", given_name="Cường", code="CB003"),
    }


@pytest.fixture
def admin_user(tree):
    return make_user("admin", "admin", tree["root"])


@pytest.fixture
def officer_a(tree):
    return make_user("officer_a", "officer", tree["a"])


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default language: a request in English (a language cookie)
    leaves English active in the thread, and the next test's messages would be English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
