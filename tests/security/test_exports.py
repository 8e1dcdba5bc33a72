"""One export right governs every bulk export (issue 7, finding 7b).

Before the fix a council member — who may read the candidates of a year but not export the people
list — downloaded the candidates (names and codes) in bulk: the candidates export asked only for the
right to read. Now every bulk export goes through core.exports: the right `org.export` is required,
the rows are kept to the export scope, and the "Xuất Excel" button shows only to who may use it.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from tdkt.accounts.models import RoleAssignment
from tdkt.rulebook.models import EligibilityResult, EligibilityRun
from tests.architecture.test_views_have_permissions import _walk
from tests.factories import make_user

YEAR = 2024
CANDIDATES = reverse("rulebook:candidates")
CANDIDATES_EXPORT = reverse("rulebook:candidates_export")
PEOPLE = reverse("org:person_list")
PEOPLE_EXPORT = reverse("org:person_export")


@pytest.fixture
def results(tree, people):
    now = timezone.now()
    run = EligibilityRun.objects.create(
        unit=tree["root"], year=YEAR, status="done", started_at=now, finished_at=now
    )
    for p in people.values():
        EligibilityResult.objects.create(
            run=run, person=p, unit=p.current_unit, year=YEAR, award_code="ldtt", verdict="eligible",
            regime="law-2022",
        )  # fmt: skip
    return run


def _names(response) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {row[1] for row in book.active.iter_rows(min_row=2, values_only=True)}


def test_a_council_member_reads_the_candidates_but_cannot_export_them(client, tree, results):
    council = make_user("council_a", "council_member", tree["a"])
    client.force_login(council)

    page = client.get(CANDIDATES, {"unit": tree["a"].pk, "year": YEAR})
    export = client.get(CANDIDATES_EXPORT, {"unit": tree["a"].pk, "year": YEAR})

    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()
    assert "Xuất Excel" not in page.content.decode() and CANDIDATES_EXPORT not in page.content.decode()
    assert export.status_code == 403 and not export.streaming
    assert "Nguyễn Văn An" not in export.content.decode()


def test_a_role_with_the_export_right_sees_the_button_and_gets_the_file(client, tree, results):
    head = make_user("head_a", "unit_head", tree["a"])
    client.force_login(head)

    page = client.get(CANDIDATES, {"unit": tree["a"].pk, "year": YEAR})
    export = client.get(CANDIDATES_EXPORT, {"unit": tree["a"].pk, "year": YEAR})

    assert "Xuất Excel" in page.content.decode()
    assert export.status_code == 200 and _names(export) == {"Nguyễn Văn An", "Trần Thị Bình"}


def test_the_export_keeps_to_the_export_scope_not_the_reading_scope(client, tree, results):
    """Unit head of A (may export A) and council member of B (may read B's candidates, not export)."""
    user = make_user("head_a_council_b", "unit_head", tree["a"])
    RoleAssignment.objects.create(user=user, role="council_member", unit=tree["b"], include_subtree=True)
    client.force_login(user)

    page_b = client.get(CANDIDATES, {"unit": tree["b"].pk, "year": YEAR})
    export_b = client.get(CANDIDATES_EXPORT, {"unit": tree["b"].pk, "year": YEAR})
    export_a = client.get(CANDIDATES_EXPORT, {"unit": tree["a"].pk, "year": YEAR})

    assert "Lê Cường" in page_b.content.decode()  # B's candidates may be read ...
    assert export_b.status_code == 200 and _names(export_b) == set()  # ... not taken away
    assert _names(export_a) == {"Nguyễn Văn An", "Trần Thị Bình"}


@pytest.mark.parametrize("role", ["council_member", "bloc_head"])
def test_the_people_export_is_refused_by_the_same_right(client, tree, people, role):
    client.force_login(make_user("x", role, tree["a"]))
    page = client.get(PEOPLE)
    assert page.status_code == 200 and "Xuất Excel" not in page.content.decode()
    assert client.get(PEOPLE_EXPORT).status_code == 403


def test_every_export_view_goes_through_the_one_export_helper():
    """A view named `*_export` is a bulk export: it must be made with core.exports.export_view (which
    requires the export right), so a future export cannot forget the right."""
    views = {name: view for _route, name, view in _walk(get_resolver("tdkt.urls").url_patterns) if name}
    exports = {name for name in views if name.endswith("_export")}
    assert {"person_export", "candidates_export"} <= exports
    for name in exports:
        assert getattr(views[name], "tdkt_export", False), f"{name} does not use core.exports.export_view"
        assert views[name].tdkt_permission == "org.export", name
    marked = {name for name, view in views.items() if getattr(view, "tdkt_export", False)}
    assert marked == exports
