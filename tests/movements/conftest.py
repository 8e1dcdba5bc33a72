"""A small ministry with its movements: the ministry's (all units), A's own, B's own, a ministry draft."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tdkt.core.uploads import check_upload
from tdkt.movements import services
from tdkt.movements.enums import MovementAction
from tdkt.org.models import Collective, Person
from tests.factories import make_user

TODAY = timezone.localdate()
YEAR = TODAY.year
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "Quyết định phát động.pdf", data: bytes = PDF):
    return check_upload(SimpleUploadedFile(name, data), kinds={"pdf", "docx"}, max_bytes=1024 * 1024)


def data(**extra) -> services.MovementData:
    fields = {
        "name": "Thi đua yêu nước",
        "kind": "yearly",
        "year": YEAR,
        "doc_number": "12/QĐ-BTN",
        "doc_date": TODAY - datetime.timedelta(days=5),
        "doc_signer": "Bộ trưởng",
        "award_codes": ["ldtt", "cstd_co_so", "tt_ldtt", "bang_khen_bo"],
        "registration_deadline": TODAY + datetime.timedelta(days=20),
    }
    fields.update(extra)
    return services.MovementData(**fields)


def launched(actor, unit, *, document=True, **extra):
    movement = services.movement_create(
        actor=actor, unit=unit, data=data(**extra), document=pdf() if document else None
    )
    return services.movement_transition(actor=actor, movement_id=movement.pk, action=MovementAction.LAUNCH)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_users(tree, people) -> dict:
    staff = make_user("staff_binh", "staff", tree["a1"])
    Person.objects.filter(pk=people["binh"].pk).update(user=staff)
    return {
        "specialist": make_user("specialist", "specialist", tree["root"]),
        "leader": make_user("leader", "leader", tree["root"]),
        "officer_a": make_user("officer_a", "officer", tree["a"]),
        "officer_b": make_user("officer_b", "officer", tree["b"]),
        "head_a": make_user("head_a", "unit_head", tree["a"]),
        "head_b": make_user("head_b", "unit_head", tree["b"]),
        "staff": staff,
        "nobody": make_user("nobody", None, None),
    }


def make_teams(tree) -> dict:
    return {
        "a": Collective.objects.create(unit=tree["a"], kind="team", code="T-A", name="Tổ Kế hoạch"),
        "a1": Collective.objects.create(unit=tree["a1"], kind="team", code="T-A1", name="Tổ Pháp chế"),
        "b": Collective.objects.create(unit=tree["b"], kind="team", code="T-B", name="Tổ Kiểm soát"),
    }


def make_movements(tree, users) -> dict:
    """The ministry's yearly movement (all units), A's and B's own thematic ones, a ministry draft."""
    period = {"kind": "thematic", "year": None, "start": TODAY - datetime.timedelta(days=10),
              "end": TODAY + datetime.timedelta(days=200)}  # fmt: skip
    ministry = launched(users["specialist"], tree["root"], name="Phong trào thi đua của Bộ")
    own_a = launched(users["officer_a"], tree["a"], name="Thi đua chuyên đề của Vụ A", **period)
    own_b = launched(users["officer_b"], tree["b"], name="Thi đua chuyên đề của Vụ B", **period)
    draft = services.movement_create(
        actor=users["specialist"], unit=tree["root"], data=data(name="Dự thảo của Bộ", year=YEAR + 1)
    )
    return {"ministry": ministry, "a": own_a, "b": own_b, "draft": draft}


@pytest.fixture
def users(tree, people):
    return make_users(tree, people)


@pytest.fixture
def teams(tree):
    return make_teams(tree)


@pytest.fixture
def movements(tree, users):
    return make_movements(tree, users)
