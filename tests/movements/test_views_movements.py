"""The movement pages: the list by scope and filters, the page of one movement, launching through the
form, the files behind a permission."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.movements import services
from tdkt.movements.models import Movement, MovementAttachment
from tests.factories import unit
from tests.movements.conftest import PDF, TODAY, YEAR, launched, pdf

LIST = reverse("movements:movement_list")


def _names(response) -> list[str]:
    return [m.name for m in response.context["page"].object_list]


def _detail(m) -> str:
    return reverse("movements:movement_detail", args=[m.pk])


# ----------------------------------------------------------------------------------------------- list


def test_an_officer_sees_their_units_movements_and_the_ministrys_that_include_it(client, users, movements):
    client.force_login(users["officer_a"])
    response = client.get(LIST)
    assert response.status_code == 200
    assert sorted(_names(response)) == ["Phong trào thi đua của Bộ", "Thi đua chuyên đề của Vụ A"]
    body = response.content.decode()
    assert "Vụ B" not in body and "Dự thảo của Bộ" not in body


def test_the_ministry_sees_every_movement_and_its_own_drafts(client, users, movements):
    client.force_login(users["specialist"])
    assert sorted(_names(client.get(LIST))) == [
        "Dự thảo của Bộ",
        "Phong trào thi đua của Bộ",
        "Thi đua chuyên đề của Vụ A",
        "Thi đua chuyên đề của Vụ B",
    ]


def test_a_leader_of_the_ministry_does_not_see_drafts(client, users, movements):
    client.force_login(users["leader"])
    assert "Dự thảo của Bộ" not in _names(client.get(LIST))


def test_a_staff_member_sees_the_movements_of_their_own_unit(client, users, movements):
    client.force_login(users["staff"])
    assert sorted(_names(client.get(LIST))) == ["Phong trào thi đua của Bộ", "Thi đua chuyên đề của Vụ A"]


def test_a_movement_of_chosen_units_is_seen_only_in_them(client, tree, users, movements):
    services.movement_create(
        actor=users["specialist"],
        unit=tree["root"],
        data=services.MovementData(
            name="Chỉ cho Vụ B",
            kind="thematic",
            start=TODAY,
            end=TODAY + datetime.timedelta(days=30),
            award_codes=["ldtt"],
            all_units=False,
            units=[tree["b"]],
            doc_number="1/KH",
            doc_date=TODAY,
        ),
        document=pdf(),
    )
    movement = Movement.objects.get(name="Chỉ cho Vụ B")
    from tdkt.movements.enums import MovementAction

    services.movement_transition(
        actor=users["specialist"], movement_id=movement.pk, action=MovementAction.LAUNCH
    )
    client.force_login(users["officer_a"])
    assert "Chỉ cho Vụ B" not in _names(client.get(LIST))
    assert client.get(_detail(movement)).status_code == 404
    client.force_login(users["officer_b"])
    assert "Chỉ cho Vụ B" in _names(client.get(LIST))


def test_filters_narrow_the_list(client, users, movements):
    client.force_login(users["specialist"])
    assert sorted(_names(client.get(LIST, {"kind": "thematic"}))) == [
        "Thi đua chuyên đề của Vụ A",
        "Thi đua chuyên đề của Vụ B",
    ]
    assert _names(client.get(LIST, {"status": "draft"})) == ["Dự thảo của Bộ"]
    assert _names(client.get(LIST, {"q": "cua bo", "status": "launched"})) == ["Phong trào thi đua của Bộ"]
    assert _names(client.get(LIST, {"year": YEAR + 1, "kind": "yearly"})) == ["Dự thảo của Bộ"]
    assert _names(client.get(LIST, {"year": YEAR - 1})) == []
    assert _names(client.get(LIST, {"q": "12/QĐ", "kind": "yearly", "status": "launched"})) == [
        "Phong trào thi đua của Bộ"
    ]


@pytest.mark.parametrize(
    "params",
    [{"kind": "xyz"}, {"status": "'; drop"}, {"year": "abc"}, {"year": "1800"}, {"q": "a" * 101},
     {"q": "a\x00b"}, {"per_page": "7"}],
)  # fmt: skip
def test_junk_in_a_filter_shows_its_error_and_no_rows(client, users, movements, params):
    client.force_login(users["specialist"])
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert _names(response) == []
    assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_the_list_answers_with_the_same_queries_for_1_and_20_movements(
    client, tree, users, django_assert_num_queries
):
    launched(users["officer_a"], tree["a"], name="Một")
    client.force_login(users["officer_a"])
    client.get(LIST)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (1, 20):
        for i in range(Movement.objects.count(), n):
            launched(users["officer_a"], tree["a"], name=f"Phong trào {i}", year=YEAR - i)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST)
        assert len(response.context["page"].object_list) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_an_htmx_filter_swaps_only_the_results(client, users, movements):
    client.force_login(users["specialist"])
    response = client.get(
        LIST, {"kind": "yearly"}, headers={"HX-Request": "true", "HX-Target": "movement-results"}
    )
    body = response.content.decode()
    assert "<form" not in body and "Phong trào thi đua của Bộ" in body


# ------------------------------------------------------------------------------------------- detail


def test_the_page_shows_document_goals_units_titles_and_the_awards_section(client, users, movements):
    movement = movements["ministry"]
    services.attachment_add(
        actor=users["specialist"], movement_id=movement.pk, title="Hướng dẫn", file=pdf("hd.pdf")
    )
    client.force_login(users["officer_a"])
    body = client.get(_detail(movement)).content.decode()
    for text in (
        "12/QĐ-BTN",
        "Quyết định phát động.pdf",
        "Toàn bộ đơn vị thuộc Bộ Thử nghiệm",
        "Chiến sĩ thi đua cơ sở",
        "Hướng dẫn",
        "Đã khen thưởng theo phong trào",
        "Chưa có khen thưởng nào gắn với phong trào này.",
        "Đăng ký theo đơn vị",
    ):
        assert text in body, text
    assert (
        reverse("movements:unit_registration", args=[movement.pk, movements["ministry"].unit.pk]) not in body
    )


def test_another_units_internal_movement_reads_as_nonexistent(client, users, movements):
    client.force_login(users["officer_a"])
    response = client.get(_detail(movements["b"]))
    assert response.status_code == 404
    assert "Vụ B" not in response.content.decode()
    assert client.get(_detail(movements["draft"])).status_code == 404


def test_the_detail_page_stays_under_a_query_budget(
    client, tree, people, users, movements, django_assert_max_num_queries
):
    client.force_login(users["specialist"])
    client.get(_detail(movements["ministry"]))
    with django_assert_max_num_queries(16):
        client.get(_detail(movements["ministry"]))


# ---------------------------------------------------------------------------------- launching by form


def _form(**extra) -> dict:
    fields = {
        "name": "Thi đua hoàn thành kế hoạch năm",
        "kind": "yearly",
        "year": str(YEAR),
        "doc_number": "5/KH-VA",
        "doc_date": TODAY.strftime("%d/%m/%Y"),
        "doc_signer": "Vụ trưởng",
        "award_codes": ["ldtt", "tt_ldtt"],
        "participation": "all",
        "registration_deadline": (TODAY + datetime.timedelta(days=10)).strftime("%d/%m/%Y"),
    }
    fields.update(extra)
    return fields


def test_an_officer_drafts_and_launches_a_movement_of_their_unit(client, tree, users):
    client.force_login(users["officer_a"])
    page = client.get(reverse("movements:movement_create")).content.decode()
    assert f'value="{tree["root"].pk}"' not in page  # only the units they manage
    response = client.post(
        reverse("movements:movement_create"),
        _form(unit=tree["a"].pk, doc_file=SimpleUploadedFile("KH 5.docx".replace("docx", "pdf"), PDF)),
    )
    movement = Movement.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(movement)
    assert (movement.unit, movement.status, movement.doc_file_name) == (tree["a"], "draft", "KH 5.pdf")
    assert movement.registration_deadline == TODAY + datetime.timedelta(days=10)

    response = client.post(reverse("movements:movement_launch", args=[movement.pk]))
    movement.refresh_from_db()
    assert movement.status == "launched"
    assert "Đã phát động phong trào." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"kind": "thematic", "year": "", "start": "10/05/2025", "end": "01/05/2025"}, "end",
         "Ngày kết thúc (01/05/2025) phải sau hoặc bằng ngày bắt đầu (10/05/2025)"),
        ({"registration_deadline": "01/01/2000"}, "registration_deadline", "không được trước ngày phát động"),
        ({"doc_date": "31/02/2025"}, "doc_date", "Ngày phải có dạng dd/mm/yyyy"),
        ({"award_codes": []}, "award_codes", "Hãy chọn ít nhất một danh hiệu"),
        ({"award_codes": ["ldtt", "khong_co"]}, "award_codes", "không có trong danh mục"),
        ({"participation": "chosen"}, "units", "Hãy chọn đơn vị tham gia"),
        ({"doc_file": "pdf-named-docx"}, "doc_file", "có nội dung là PDF nhưng tên lại có đuôi '.docx'"),
        ({"doc_file": "text"}, "doc_file", "không phải loại được nhận (PDF, Word .docx)"),
    ],
)  # fmt: skip
def test_bad_input_is_said_beside_its_field_and_nothing_is_saved(
    client, tree, users, settings, extra, field, message
):
    client.force_login(users["officer_a"])
    files = {
        "pdf-named-docx": SimpleUploadedFile("to-trinh.docx", PDF),
        "text": SimpleUploadedFile("ghi-chu.txt", b"hello"),
    }
    if "doc_file" in extra:
        extra = {**extra, "doc_file": files[extra["doc_file"]]}
    response = client.post(reverse("movements:movement_create"), _form(unit=tree["a"].pk, **extra))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert message.split("(")[0] in response.content.decode().replace("&#x27;", "'")
    assert not Movement.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_a_launched_movement_cannot_be_edited_through_the_form(client, users, movements):
    client.force_login(users["specialist"])
    url = reverse("movements:movement_edit", args=[movements["ministry"].pk])
    response = client.post(url, _form(name="Đổi tên"))
    assert response.status_code == 302
    movements["ministry"].refresh_from_db()
    assert movements["ministry"].name == "Phong trào thi đua của Bộ"


def test_a_draft_is_edited_through_the_form(client, users, movements):
    client.force_login(users["specialist"])
    url = reverse("movements:movement_edit", args=[movements["draft"].pk])
    page = client.get(url).content.decode()
    assert "Dự thảo của Bộ" in page
    assert f'value="{(TODAY - datetime.timedelta(days=5)).strftime("%d/%m/%Y")}"' in page  # dd/mm/yyyy
    response = client.post(url, _form(name="Dự thảo đã sửa", year=str(YEAR + 1)))
    assert response.status_code == 302
    movements["draft"].refresh_from_db()
    assert movements["draft"].name == "Dự thảo đã sửa"


def test_closing_needs_the_manager_and_records_the_note(client, users, movements):
    url = reverse("movements:movement_close", args=[movements["ministry"].pk])
    client.force_login(users["officer_a"])
    assert client.post(url).status_code == 404
    client.force_login(users["specialist"])
    client.post(url, {"note": "Tổng kết năm"})
    movements["ministry"].refresh_from_db()
    assert movements["ministry"].status == "closed"
    assert "Tổng kết năm" in client.get(_detail(movements["ministry"])).content.decode()


def test_an_attachment_of_the_wrong_type_is_refused_with_its_reason(client, users, movements):
    client.force_login(users["specialist"])
    url = reverse("movements:attachment_add", args=[movements["ministry"].pk])
    response = client.post(url, {"title": "Kế hoạch", "file": SimpleUploadedFile("kh.exe", b"MZ\x90\x00")})
    assert response.status_code == 400
    assert "không phải loại được nhận" in response.content.decode()
    assert not MovementAttachment.objects.exists()
    response = client.post(url, {"title": "Kế hoạch", "file": SimpleUploadedFile("kh.pdf", PDF)})
    assert response.status_code == 302 and MovementAttachment.objects.count() == 1


# -------------------------------------------------------------------------------------------- files


def test_the_document_is_served_with_its_clean_name_to_those_who_see_the_movement(client, users, movements):
    url = reverse("movements:document_download", args=[movements["ministry"].pk])
    client.force_login(users["staff"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        "filename*=utf-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20ph%C3%A1t%20%C4%91%E1%BB%99ng.pdf"
        in disposition
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_units_officer_gets_404_and_an_anonymous_visitor_the_login(client, users, movements):
    b = movements["b"]
    attachment = services.attachment_add(
        actor=users["officer_b"], movement_id=b.pk, title="Kế hoạch B", file=pdf()
    )
    for url in (
        reverse("movements:document_download", args=[b.pk]),
        reverse("movements:attachment_download", args=[attachment.pk]),
    ):
        client.force_login(users["officer_a"])
        response = client.get(url)
        assert response.status_code == 404 and not response.streaming
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        client.force_login(users["officer_b"])
        assert client.get(url).status_code == 200


def test_the_dashboard_leads_a_staff_member_to_their_registrations(client, users, movements):
    client.force_login(users["staff"])
    body = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("movements:my_registrations") in body
    assert "2 phong trào đang nhận đăng ký" in body


def test_a_unit_of_many_levels_shows_in_tree_order(client, tree, users, movements):
    deep = unit(code="VU-A-P1-T", name="Tổ 1 Phòng 1", kind="subunit", parent=tree["a1"])
    client.force_login(users["specialist"])
    rows = client.get(_detail(movements["ministry"])).context["table"].rows
    names = [r.unit.name for r in rows]
    assert names.index("Vụ A") < names.index("Phòng 1 Vụ A") < names.index(deep.name)
