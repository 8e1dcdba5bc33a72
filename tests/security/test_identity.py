"""Look-alike records and the national ID oracle (issue 7, findings 2 and 3).

2. Codes differing only by case ("cb000001" beside "CB000001") or by an invisible character (a
   zero-width space after a colleague's code) created a second person that looked identical.
3. A row whose ID number belonged to a person outside the officer's scope got a different answer from
   a fresh number: anyone with import rights could test any citizen's ID number (Decree 13/2023).
Every test goes through the import page and the task the worker runs (the immediate backend in tests).
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from tdkt.core.models import AuditEvent, Job
from tdkt.org import services
from tdkt.org.models import AwardRecord, Evaluation, IdentityReview, Person, Position
from tests.factories import make_user, person

HEADER = ["Mã cán bộ", "Họ", "Tên đệm", "Tên", "Giới tính", "Ngày sinh", "Số định danh cá nhân", "Mã đơn vị"]
HELD = "079093939861"  # Lê Cường's number, in Vụ B: outside officer_a's scope


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def specialist(tree):
    return make_user("chuyenvien", "specialist", tree["root"])


def upload(rows, name="can-bo.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cán bộ"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def import_file(client, rows, django_capture_on_commit_callbacks) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org:import_start"), {"kind": "people", "file": upload(rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.order_by("-created_at").first()


def answer(job: Job, client) -> tuple:
    """What the importer can observe: the job's outcome and its page, with the row's own code and ID
    number taken out (they differ between the two files by construction)."""
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    result = {k: v for k, v in job.result.items() if k != "sheet"}
    return job.status, job.message, result, page.count("alert-danger")


# ------------------------------------------------------------------------------ the ID oracle


def test_an_id_number_held_outside_scope_gets_exactly_the_answer_a_fresh_number_gets(
    client, tree, people, officer_a, django_capture_on_commit_callbacks
):
    Person.objects.filter(pk=people["cuong"].pk).update(id_number=HELD)
    client.force_login(officer_a)

    fresh = import_file(
        client, [["NV1", "Vũ", "Thị", "Lan", "Nữ", "02/09/1991", "001191000001", "VU-A"]],
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    held = import_file(
        client, [["NV2", "Vũ", "Thị", "Mai", "Nữ", "02/09/1991", HELD, "VU-A"]],
        django_capture_on_commit_callbacks,
    )  # fmt: skip

    assert answer(fresh, client) == answer(held, client)
    assert fresh.result["created"] == held.result["created"] == 1
    # the officer's record shows the number the officer typed, as for any other row
    new = Person.objects.get(code="NV2")
    page = client.get(reverse("org:person_detail", args=[new.pk])).content.decode()
    assert HELD in page
    assert "xác minh" not in page.lower() and "Lê" not in page
    # the holder is untouched, and the ministry has the clash to decide
    assert Person.objects.get(pk=people["cuong"].pk).id_number == HELD
    review = IdentityReview.objects.get()
    assert (review.person, review.holder, review.id_number, review.status) == (
        new,
        people["cuong"],
        HELD,
        "open",
    )


def test_the_person_services_take_the_same_path(tree, people, officer_a):
    Person.objects.filter(pk=people["cuong"].pk).update(id_number=HELD)
    fields = {"code": "NEW1", "family_name": "Vũ", "given_name": "Hà", "gender": "female"}

    created = services.person_create(actor=officer_a, unit=tree["a"], id_number=HELD, **fields)
    updated = services.person_update(actor=officer_a, person_id=people["an"].pk, id_number=HELD)

    assert created.id_number == updated.id_number == HELD
    assert set(IdentityReview.objects.values_list("person__code", flat=True)) == {"NEW1", "CB001"}


def test_an_id_number_held_inside_scope_is_still_named_to_the_officer(
    client, tree, people, officer_a, django_capture_on_commit_callbacks
):
    Person.objects.filter(pk=people["binh"].pk).update(id_number=HELD)  # Phòng 1 Vụ A: in scope
    client.force_login(officer_a)

    job = import_file(
        client, [["NV9", "Vũ", "", "Lan", "Nữ", "", HELD, "VU-A"]], django_capture_on_commit_callbacks
    )

    assert job.status == "failed"
    assert "CB002 (Trần Thị Bình)" in job.result["errors"][0]["text"]
    assert not IdentityReview.objects.exists()


def test_the_ministry_merges_two_records_of_one_human(
    client, tree, people, officer_a, specialist, django_capture_on_commit_callbacks
):
    cuong = people["cuong"]
    Person.objects.filter(pk=cuong.pk).update(id_number=HELD)
    Evaluation.objects.create(person=cuong, unit=tree["b"], year=2023, rating="htxs")
    client.force_login(officer_a)
    import_file(
        client, [["NV2", "Lê", "", "Cường", "Nam", "", HELD, "VU-A"]], django_capture_on_commit_callbacks
    )
    new = Person.objects.get(code="NV2")
    Evaluation.objects.create(person=new, unit=tree["a"], year=2024, rating="htt")
    AwardRecord.objects.create(
        person=new, unit=tree["a"], award_code="ldtt", first_year=2024, last_year=2024,
        decision_number="9/QĐ", decided_on="2025-01-10",
    )  # fmt: skip
    review = IdentityReview.objects.get()

    client.force_login(specialist)
    queue = client.get(reverse("org:identity_list")).content.decode()
    assert "NV2" in queue and cuong.code in queue
    response = client.post(reverse("org:identity_merge", args=[review.pk]), {"unit_from": "person"})

    assert response.status_code == 302
    assert not Person.objects.filter(code="NV2").exists()
    cuong.refresh_from_db()
    assert cuong.current_unit == tree["a"]  # moved to where the officer now has them
    assert sorted(cuong.evaluations.values_list("year", flat=True)) == [2023, 2024]
    assert cuong.awards.get().decision_number == "9/QĐ"
    assert list(Position.objects.filter(person=cuong, end__isnull=True).values_list("unit", flat=True)) == [
        tree["a"].pk
    ]
    review.refresh_from_db()
    assert review.status == "merged" and review.decided_by == specialist
    assert AuditEvent.objects.filter(event="identity.merge", object_id=str(cuong.pk)).exists()


def test_the_ministry_rejects_a_claim_and_the_number_leaves_the_new_record(
    client, tree, people, officer_a, specialist
):
    Person.objects.filter(pk=people["cuong"].pk).update(id_number=HELD)
    new = services.person_create(
        actor=officer_a, unit=tree["a"], id_number=HELD, code="NEW1", family_name="Vũ", given_name="Hà",
        gender="female",
    )  # fmt: skip
    review = IdentityReview.objects.get()
    client.force_login(specialist)

    without_reason = client.post(reverse("org:identity_reject", args=[review.pk]), {"note": ""})
    assert IdentityReview.objects.get().status == "open"
    client.post(reverse("org:identity_reject", args=[review.pk]), {"note": "Sai số trên CCCD"})

    assert without_reason.status_code == 302
    new.refresh_from_db()
    assert (new.id_number, new.id_number_disputed) == (None, False)
    assert Person.objects.get(pk=people["cuong"].pk).id_number == HELD
    assert IdentityReview.objects.get().status == "rejected"
    second = client.post(reverse("org:identity_reject", args=[review.pk]), {"note": "lại"})
    assert second.status_code == 302 and IdentityReview.objects.get().note == "Sai số trên CCCD"


@pytest.mark.parametrize("role", ["officer", "unit_head", "staff", "inspector"])
def test_only_the_ministry_department_sees_the_queue(client, tree, people, officer_a, role):
    Person.objects.filter(pk=people["cuong"].pk).update(id_number=HELD)
    services.person_create(
        actor=officer_a, unit=tree["a"], id_number=HELD, code="NEW1", family_name="Vũ", given_name="Hà",
        gender="female",
    )  # fmt: skip
    review = IdentityReview.objects.get()
    client.force_login(make_user(f"u-{role}", role, tree["root"]))

    assert client.get(reverse("org:identity_list")).status_code == 403
    assert client.get(reverse("org:identity_detail", args=[review.pk])).status_code == 403
    client.post(reverse("org:identity_merge", args=[review.pk]), {"unit_from": "person"})
    assert IdentityReview.objects.get().status == "open"


def test_a_specialist_of_one_department_sees_no_clash_reaching_outside_it(client, tree, people, officer_a):
    Person.objects.filter(pk=people["cuong"].pk).update(id_number=HELD)
    services.person_create(
        actor=officer_a, unit=tree["a"], id_number=HELD, code="NEW1", family_name="Vũ", given_name="Hà",
        gender="female",
    )  # fmt: skip
    review = IdentityReview.objects.get()
    client.force_login(make_user("spc-a", "specialist", tree["a"]))

    assert "NEW1" not in client.get(reverse("org:identity_list")).content.decode()
    assert client.get(reverse("org:identity_detail", args=[review.pk])).status_code == 404
    assert client.get(reverse("org:identity_detail", args=[review.pk + 999])).status_code == 404


def test_the_queue_costs_the_same_queries_for_1_and_20_reviews(
    client, tree, specialist, officer_a, django_assert_max_num_queries
):
    holder_unit = tree["b"]

    def make_reviews(n, start):
        for i in range(start, start + n):
            number = f"0790939{i:05d}"
            person(holder_unit, code=f"H{i}", id_number=number)
            services.person_create(
                actor=officer_a, unit=tree["a"], id_number=number, code=f"N{i}", family_name="Vũ",
                given_name="Hà", gender="female",
            )  # fmt: skip

    client.force_login(specialist)
    make_reviews(1, 0)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("org:identity_list"))
    make_reviews(19, 1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("org:identity_list")).content.decode()
    assert page.count("/org/identity-reviews/") >= 20


# ------------------------------------------------------------------------------ look-alikes


@pytest.mark.parametrize(
    "code",
    [
        "cb003",  # Lê Cường's code, in lower case, outside the officer's scope
        "CB003\u200b",  # with a zero-width space after it
        "\ufeffCB003",  # with a byte-order mark before it
        "ＣＢ００３",  # in full-width letters
        "CB003\u00ad",  # with a soft hyphen
    ],
)
def test_a_look_alike_of_a_code_outside_scope_is_that_code(
    client, tree, people, officer_a, django_capture_on_commit_callbacks, code
):
    client.force_login(officer_a)

    job = import_file(
        client, [[code, "Lê", "", "Cường", "Nam", "", "", "VU-A"]], django_capture_on_commit_callbacks
    )

    assert job.status == "failed"
    assert "thuộc một hồ sơ ngoài phạm vi" in job.result["errors"][0]["text"]
    assert Person.objects.filter(full_name="Lê Cường").count() == 1


def test_a_look_alike_of_a_code_in_scope_updates_that_person(
    client, tree, people, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)

    job = import_file(
        client,
        [["cb001\u200b", "Nguyễn", "Văn", "An", "Nam", "", "", "vu-a"]],
        django_capture_on_commit_callbacks,
    )

    assert job.status == "done", job.result
    assert (job.result["created"], job.result["updated"] + job.result["unchanged"]) == (0, 1)
    assert Person.objects.filter(full_name="Nguyễn Văn An").count() == 1
    assert Person.objects.get(pk=people["an"].pk).code == "CB001"


@pytest.mark.parametrize(
    ("code", "bad"),
    [("СB777", "U+0421"), ("CB 777", "dấu cách"), ("CB\u202e777", None)],
    ids=["cyrillic-es", "space", "right-to-left-override"],
)
def test_codes_are_plain_ascii(client, tree, officer_a, django_capture_on_commit_callbacks, code, bad):
    client.force_login(officer_a)

    job = import_file(
        client, [[code, "Vũ", "", "Lan", "Nữ", "", "", "VU-A"]], django_capture_on_commit_callbacks
    )

    if bad is None:  # an invisible override is dropped: the code is the plain one
        assert job.status == "done" and Person.objects.filter(code="CB777").exists()
    else:
        assert job.status == "failed" and bad in job.result["errors"][0]["text"]
        assert not Person.objects.filter(given_name="Lan").exists()


def test_names_are_stored_without_invisible_characters(
    client, tree, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)

    import_file(
        client,
        [
            ["NV5", "Nguy\u200bễn", "Thị\u00a0\u00a0", "Ha\u0323nh\ufeff", "Nữ", "", "", "VU-A"]
        ],  # decomposed ạ
        django_capture_on_commit_callbacks,
    )

    p = Person.objects.get(code="NV5")
    assert (p.family_name, p.middle_name, p.given_name, p.full_name) == (
        "Nguyễn",
        "Thị",
        "Hạnh",
        "Nguyễn Thị Hạnh",
    )


def test_the_database_refuses_a_code_differing_only_by_case(tree, people):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            code="cb001", family_name="X", given_name="Y", gender="male", current_unit=tree["a"]
        )


@pytest.mark.parametrize("query", ["Ｈạｎｈ", "Hạ\u200bnh", "ha\u0323nh", "HẠNH"])
def test_search_input_is_normalised_like_the_stored_names(client, tree, officer_a, query):
    person(tree["a"], family_name="Nguyễn", middle_name="Thị", given_name="Hạnh", code="NV8")
    person(tree["a"], family_name="Trần", middle_name="Văn", given_name="Thanh", code="NV9")
    client.force_login(officer_a)

    response = client.get(reverse("org:person_list"), {"q": query})

    names = {p.full_name for p in response.context["page"].object_list}
    assert names == {"Nguyễn Thị Hạnh"}


def test_an_id_number_in_arabic_indic_digits_is_refused_and_nothing_saved(tree, officer_a):
    """`str.isdigit` says yes to "٠٠١…": such a number would be stored and never match the same
    number typed in ASCII digits."""
    from tdkt.core.errors import ServiceError

    with pytest.raises(ServiceError, match="12 chữ số"):
        services.person_create(
            actor=officer_a, unit=tree["a"], id_number="٠٠١١٩١٠٠٠٠٠٢", code="NEW2", family_name="Vũ",
            given_name="Hà", gender="female",
        )  # fmt: skip
    assert not Person.objects.filter(code="NEW2").exists()
