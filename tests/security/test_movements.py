"""Hostile use of movements and registration (issue 8): ids of other units, crafted posts, double
submits, crafted files, junk in filters. Every refusal leaves the database and the disk as they were."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent
from tdkt.movements import services
from tdkt.movements.enums import MovementAction
from tdkt.movements.models import Movement, MovementAttachment, Registration
from tests.movements.conftest import PDF, TODAY, YEAR, data, make_movements, make_teams, make_users, pdf
from tests.security.test_office_files import _zip

Entry = services.Entry


# the small ministry of the movements tests (tests/movements/conftest.py)
@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def users(tree, people):
    return make_users(tree, people)


@pytest.fixture
def teams(tree):
    return make_teams(tree)


@pytest.fixture
def movements(tree, users):
    return make_movements(tree, users)


def _files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def _state() -> tuple:
    return (
        tuple(Movement.objects.order_by("id").values_list("id", "name", "status", "registration_deadline")),
        tuple(Registration.objects.order_by("id").values_list("id", "status", "person_id", "award_code")),
        MovementAttachment.objects.count(),
        AuditEvent.objects.count(),
    )


def _bomb_docx() -> bytes:
    """A Word file of a few KB that unpacks to 20 MB (the generator of test_office_files.py)."""
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/big.xml": b"<a>" + b"0" * (20 * 1024 * 1024) + b"</a>",
        }
    )


@pytest.fixture
def world(tree, people, teams, users, movements):
    """A pending self-registration in A1 and an officer's registration in B."""
    own = services.registration_self_create(
        actor=users["staff"], movement_id=movements["ministry"].pk, award_code="ldtt"
    )
    in_b = services.registrations_create(
        actor=users["officer_b"],
        movement_id=movements["ministry"].pk,
        unit_id=tree["b"].pk,
        entries=[Entry("person", people["cuong"].pk, "ldtt")],
    )[0]
    return {"own": own, "in_b": in_b}


# ------------------------------------------------------------------------------ other units' ids


def test_another_units_movement_ids_read_as_nonexistent_and_change_nothing(
    client, users, movements, world, settings
):
    media = settings.MEDIA_ROOT
    b = movements["b"]
    client.force_login(users["officer_a"])
    before, files = _state(), _files(media)
    for name, payload in (
        ("movements:movement_detail", None),
        ("movements:movement_edit", None),
        (
            "movements:movement_edit",
            {"name": "Chiếm", "kind": "yearly", "year": YEAR, "award_codes": ["ldtt"]},
        ),
        ("movements:movement_close", {}),
        ("movements:movement_launch", {}),
        ("movements:attachment_add", {"title": "X", "file": SimpleUploadedFile("x.pdf", PDF)}),
        ("movements:document_download", None),
        ("movements:self_register", {f"m{b.pk}-award_code": "ldtt"}),
    ):
        url = reverse(name, args=[b.pk])
        response = client.get(url) if payload is None else client.post(url, payload)
        assert response.status_code == 404, (name, response.status_code)
        assert "Vụ B" not in response.content.decode()
    assert _state() == before and _files(media) == files


def test_a_draft_of_the_ministry_is_invisible_to_units(client, tree, users, movements):
    draft = movements["draft"]
    client.force_login(users["officer_a"])
    for url in (
        reverse("movements:movement_detail", args=[draft.pk]),
        reverse("movements:document_download", args=[draft.pk]),
        reverse("movements:unit_registration", args=[draft.pk, tree["a"].pk]),
    ):
        assert client.get(url).status_code == 404


def test_another_units_registration_ids_read_as_nonexistent_and_change_nothing(client, users, world):
    before = _state()
    client.force_login(users["head_b"])  # a head, but of B: the pending registration is of A1
    assert client.post(reverse("movements:registration_approve", args=[world["own"].pk])).status_code == 404
    reject = reverse("movements:registration_reject", args=[world["own"].pk])
    assert client.post(reject, {"reason": "x"}).status_code == 404
    client.force_login(users["officer_a"])  # withdrawing what someone else registered
    assert client.post(reverse("movements:registration_withdraw", args=[world["in_b"].pk])).status_code == 404
    assert client.post(reverse("movements:registration_withdraw", args=[world["own"].pk])).status_code == 404
    assert client.post(reverse("movements:registration_withdraw", args=[999999])).status_code == 404
    assert _state() == before


def test_a_units_page_of_another_unit_or_a_unit_not_taking_part_is_404(client, tree, users, movements):
    client.force_login(users["officer_a"])
    assert (
        client.get(
            reverse("movements:unit_registration", args=[movements["ministry"].pk, tree["b"].pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("movements:unit_registration", args=[movements["b"].pk, tree["a"].pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("movements:unit_registration", args=[movements["a"].pk, 999999])).status_code
        == 404
    )


# ---------------------------------------------------------------------------------- crafted posts


def test_registering_a_person_of_another_unit_by_posting_their_id_saves_nothing(
    client, tree, people, teams, users, movements
):
    client.force_login(users["officer_a"])
    url = reverse("movements:unit_registration", args=[movements["ministry"].pk, tree["a"].pk])
    before = _state()
    for post in (
        {f"award_person_{people['an'].pk}": "ldtt", f"award_person_{people['cuong'].pk}": "ldtt"},
        {f"award_collective_{teams['b'].pk}": "tt_ldtt"},
        {f"award_person_{people['an'].pk}": "cstd_toan_quoc"},  # a title the movement does not plan
        {f"award_person_{people['an'].pk}": "x" * 5000},
    ):
        response = client.post(url, post)
        assert response.status_code == 400
        assert "Lê Cường" not in response.content.decode()
    assert _state() == before


def test_a_registration_of_a_sub_unit_not_taking_part_is_refused(client, tree, people, users):
    movement = services.movement_create(
        actor=users["specialist"],
        unit=tree["root"],
        data=data(name="Chỉ Vụ A", kind="thematic", year=None, start=TODAY,
                  end=TODAY + datetime.timedelta(days=60), all_units=False, units=[tree["a"]]),
        document=pdf(),
    )  # fmt: skip
    services.movement_transition(
        actor=users["specialist"], movement_id=movement.pk, action=MovementAction.LAUNCH
    )
    # A takes part with its sub-units, so A1's people may register; B's may not
    rows = services.registrations_create(
        actor=users["specialist"],
        movement_id=movement.pk,
        unit_id=tree["a"].pk,
        entries=[Entry("person", people["binh"].pk, "ldtt")],
    )
    assert len(rows) == 1
    with pytest.raises(ServiceError, match="không tham gia"):
        services.registrations_create(
            actor=users["specialist"],
            movement_id=movement.pk,
            unit_id=tree["b"].pk,
            entries=[Entry("person", people["cuong"].pk, "ldtt")],
        )
    assert Registration.objects.count() == 1


def test_a_staff_member_cannot_register_someone_else(client, tree, people, users, movements):
    client.force_login(users["staff"])
    movement = movements["ministry"]
    # the units page is an officer's: a staff member has no right to it
    url = reverse("movements:unit_registration", args=[movement.pk, tree["a"].pk])
    assert client.post(url, {f"award_person_{people['an'].pk}": "ldtt"}).status_code == 403
    # their own page ignores any person sent along: the registration is theirs
    client.post(
        reverse("movements:self_register", args=[movement.pk]),
        {
            f"m{movement.pk}-award_code": "ldtt",
            "person": people["an"].pk,
            f"m{movement.pk}-person": people["an"].pk,
        },
    )
    assert list(Registration.objects.values_list("person_id", flat=True)) == [people["binh"].pk]


def test_a_staff_member_cannot_approve_their_own_or_anyones(client, users, world):
    client.force_login(users["staff"])
    assert client.post(reverse("movements:registration_approve", args=[world["own"].pk])).status_code == 403
    assert Registration.objects.get(pk=world["own"].pk).status == "pending"


def test_a_double_submit_saves_once_and_the_database_refuses_a_racing_second(
    client, tree, people, users, movements
):
    client.force_login(users["officer_a"])
    url = reverse("movements:unit_registration", args=[movements["ministry"].pk, tree["a"].pk])
    post = {f"award_person_{people['an'].pk}": "ldtt"}
    assert client.post(url, post).status_code == 302
    response = client.post(url, post)
    assert response.status_code == 400 and "không ghi lại lần nữa" in response.content.decode()
    assert Registration.objects.count() == 1
    # two requests that both passed the check: the unique constraint stops the second
    first = Registration.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            movement=first.movement, person=first.person, unit=first.unit, award_code="ldtt", status="pending"
        )
    assert Registration.objects.count() == 1


def test_a_registration_after_close_is_refused(client, tree, people, users, movements):
    services.movement_transition(
        actor=users["specialist"], movement_id=movements["ministry"].pk, action=MovementAction.CLOSE
    )
    client.force_login(users["officer_a"])
    url = reverse("movements:unit_registration", args=[movements["ministry"].pk, tree["a"].pk])
    response = client.post(url, {f"award_person_{people['an'].pk}": "ldtt"})
    assert response.status_code == 400 and "Phong trào đã kết thúc" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_next_address_after_an_action_stays_on_the_site(client, users, world):
    client.force_login(users["head_a"])
    response = client.post(
        reverse("movements:registration_approve", args=[world["own"].pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("movements:approval_list")


# ---------------------------------------------------------------------------------- crafted files


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("quyet-dinh.docx", PDF, "có nội dung là PDF nhưng tên lại có đuôi '.docx'"),
        ("quyet-dinh.docx", "bomb", "nén quá mức"),
        ("quyet-dinh.pdf", b"MZ\x90\x00 an executable", "không phải loại được nhận"),
        ("quyet-dinh.pdf", b"", "rỗng"),
    ],
)
def test_a_crafted_file_is_refused_and_nothing_is_stored(
    client, tree, users, movements, settings, name, content, message
):
    media = settings.MEDIA_ROOT
    content = _bomb_docx() if content == "bomb" else content
    client.force_login(users["specialist"])
    before, files = _state(), _files(media)
    create = client.post(
        reverse("movements:movement_create"),
        {"unit": tree["root"].pk, "name": "Có tệp lạ", "kind": "yearly", "year": YEAR + 3,
         "award_codes": ["ldtt"], "participation": "all", "doc_file": SimpleUploadedFile(name, content)},
    )  # fmt: skip
    attach = client.post(
        reverse("movements:attachment_add", args=[movements["ministry"].pk]),
        {"title": "Tệp lạ", "file": SimpleUploadedFile(name, content)},
    )
    for response in (create, attach):
        assert response.status_code == 400
        assert message in response.content.decode().replace("&#x27;", "'")
    assert _state() == before and _files(media) == files


def test_a_file_name_cannot_inject_headers_or_paths(client, users, movements, settings):
    media = settings.MEDIA_ROOT
    attachment = services.attachment_add(
        actor=users["specialist"],
        movement_id=movements["ministry"].pk,
        title="Tên lạ",
        file=pdf('..\\..\\bao "cao"\r\nX-Evil: 1.pdf'),
    )
    assert "/" not in attachment.file_name and "\r" not in attachment.file_name
    assert str(media) in str((media / attachment.file.name).resolve())
    client.force_login(users["officer_a"])
    response = client.get(reverse("movements:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert "X-Evil" not in response.headers
    assert "\n" not in response["Content-Disposition"] and "\r" not in response["Content-Disposition"]


# ------------------------------------------------------------------------------------ junk filters


JUNK = [
    {"q": "a\x00b"},
    {"q": "x" * 101},
    {"year": "2025; DROP TABLE"},
    {"kind": "<script>"},
    {"status": "launched' OR 1=1"},
    {"per_page": "100000"},
]


@pytest.mark.parametrize("params", JUNK)
def test_junk_in_the_movement_list_filters_shows_no_rows(client, users, movements, params):
    client.force_login(users["specialist"])
    response = client.get(reverse("movements:movement_list"), params)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "Bộ lọc không hợp lệ" in response.content.decode()
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("params", [{"who": "everyone"}, {"q": "a\x00b"}, {"per_page": "-1"}])
def test_junk_in_the_units_page_filters_shows_no_rows(client, tree, users, movements, params):
    client.force_login(users["officer_a"])
    response = client.get(
        reverse("movements:unit_registration", args=[movements["ministry"].pk, tree["a"].pk]), params
    )
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "Bộ lọc không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("params", [{"show": "all-of-it"}, {"show": "\x00"}])
def test_junk_in_the_consolidated_filter_shows_no_rows_and_exports_nothing(client, users, movements, params):
    client.force_login(users["specialist"])
    movement = movements["ministry"]
    response = client.get(reverse("movements:consolidated", args=[movement.pk]), params)
    assert response.status_code == 200 and response.context["rows"] == []
    export = client.get(reverse("movements:consolidated_export", args=[movement.pk]), params)
    assert export.status_code == 400 and not export.streaming
