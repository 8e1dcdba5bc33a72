"""One search behaviour (issue 7, finding 7d).

Before the fix the candidates search matched anywhere inside words — "Hạnh" listed every "Thanh",
"an" every "Văn" — while the people search matched word starts. Both now use core.search: each word of
the query begins a word of the name; a word with a digit is a code and matches anywhere.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tdkt.core.text import fold
from tdkt.org.models import Collective, Person
from tdkt.rulebook.models import EligibilityResult, EligibilityRun
from tests.factories import person

YEAR = 2024


@pytest.fixture
def named(tree):
    people = [
        person(tree["a"], family_name="Lê", middle_name="Thị", given_name="Hạnh", code="CB000771"),
        person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="Thanh", code="CB000772"),
        person(tree["a"], family_name="Trần", middle_name="Hạnh", given_name="Phúc", code="CB000773"),
        person(tree["a"], family_name="Phạm", middle_name="Văn", given_name="Long", code="CB000774"),
    ]
    teams = [
        Collective.objects.create(
            unit=tree["a"],
            kind="team",
            code="TO-HC",
            name="Tổ Hành chính",
            search_text=fold("Tổ Hành chính TO-HC"),
        ),
        Collective.objects.create(
            unit=tree["a"],
            kind="team",
            code="TO-TH2",
            name="Tổ Thanh tra",
            search_text=fold("Tổ Thanh tra TO-TH2"),
        ),
    ]
    now = timezone.now()
    run = EligibilityRun.objects.create(
        unit=tree["root"], year=YEAR, status="done", started_at=now, finished_at=now
    )
    for p in people:
        EligibilityResult.objects.create(
            run=run,
            person=p,
            unit=p.current_unit,
            year=YEAR,
            award_code="ldtt",
            verdict="eligible",
            regime="law-2022",
        )
    for c in teams:
        EligibilityResult.objects.create(
            run=run,
            collective=c,
            unit=c.unit,
            year=YEAR,
            award_code="tt_ldtt",
            verdict="eligible",
            regime="law-2022",
        )
    return people


def _candidates(client, q) -> list[str]:
    response = client.get(reverse("rulebook:candidates"), {"year": YEAR, "verdict": "all", "q": q})
    assert response.status_code == 200
    return sorted(str(r.person or r.collective) for r in response.context["page"].object_list)


def _people(client, q) -> list[str]:
    response = client.get(reverse("org:person_list"), {"q": q})
    return sorted(p.full_name for p in response.context["page"].object_list)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Hạnh", ["Lê Thị Hạnh", "Trần Hạnh Phúc"]),  # not Nguyễn Văn Thanh
        ("hanh", ["Lê Thị Hạnh", "Trần Hạnh Phúc"]),
        ("an", []),  # not the "an" inside Văn, Thanh
        ("van", ["Nguyễn Văn Thanh", "Phạm Văn Long"]),
        ("thi hanh", ["Lê Thị Hạnh"]),
        ("0077", ["Lê Thị Hạnh", "Nguyễn Văn Thanh", "Phạm Văn Long", "Trần Hạnh Phúc"]),  # a code: anywhere
        ("772", ["Nguyễn Văn Thanh"]),
    ],
)
def test_people_and_candidates_search_the_same_way(client, admin_user, named, q, expected):
    client.force_login(admin_user)
    assert _people(client, q) == expected
    assert [n for n in _candidates(client, q) if not n.startswith("Tổ")] == expected


def test_the_candidates_search_for_hanh_does_not_list_thanh(client, admin_user, named):
    client.force_login(admin_user)
    found = _candidates(client, "Hạnh")
    assert "Nguyễn Văn Thanh" not in found and "Tổ Thanh tra" not in found
    assert "Lê Thị Hạnh" in found and "Tổ Hành chính" in found


def test_collectives_are_found_by_word_starts_and_by_code_anywhere(client, admin_user, named):
    client.force_login(admin_user)
    assert _candidates(client, "thanh tra") == ["Tổ Thanh tra"]
    assert _candidates(client, "hanh chinh") == ["Tổ Hành chính"]
    assert _candidates(client, "th2") == ["Tổ Thanh tra"]  # inside its code
    assert _candidates(client, "o-h") == ["Tổ Hành chính"]  # a collective code matches anywhere, as before


def test_word_start_q_is_the_one_rule(named):
    from tdkt.core.search import word_start_q  # here: the request-path tests above run on any code

    def names(q):
        return sorted(
            Person.objects.filter(word_start_q("search_text", q)).values_list("full_name", flat=True)
        )

    assert names("HẠNH") == ["Lê Thị Hạnh", "Trần Hạnh Phúc"]
    assert names("") == sorted(p.full_name for p in Person.objects.all())
    assert names("50%") == [] and names("_") == []  # LIKE wildcards are plain characters
