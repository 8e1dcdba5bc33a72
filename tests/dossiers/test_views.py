"""The dossier screens as each role sees them: the list sorted by days left with a constant number of
queries, the page with the moves the user may make now, the drafted papers as Word and PDF opened back,
the achievement report written by the nominee and confirmed by the head."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from tdkt.dossiers import services
from tdkt.dossiers.enums import Level
from tests.dossiers.conftest import YEAR
from tests.dossiers.test_flow import ready_dossier


def _client(client, user):
    client.force_login(user)
    return client


def test_the_officer_builds_a_dossier_on_its_page(client, world):
    c = _client(client, world.officer)
    r = c.post(
        reverse("dossiers:create"),
        {"unit": world.tree["a"].pk, "level": "ministry", "kind": "cong_trang", "year": YEAR, "title": ""},
    )
    assert r.status_code == 302
    url = r.headers["Location"]
    r = c.post(url + "nominations/add/", {"code": world.fighter.code.lower(), "award": "cstd_bo"})
    assert r.status_code == 302
    page = c.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ngô Thị Giang" in text and "Báo cáo thành tích" in text and "Điều 22" in text
    assert "Gửi hồ sơ" in text and "disabled" in text  # the gate is not passed yet


@pytest.mark.parametrize("who", ["officer", "head", "specialist", "leader"])
def test_every_role_reads_the_page(client, world, who):
    d = ready_dossier(world)
    page = _client(client, getattr(world, who)).get(reverse("dossiers:detail", args=[d.pk]))
    assert page.status_code == 200
    assert d.title in page.content.decode()


def test_the_list_query_count_does_not_grow_with_its_rows(client, world, django_assert_max_num_queries):
    c = _client(client, world.specialist)
    ready_dossier(world, awards=(("worker", "bang_khen_bo"),))
    with django_assert_max_num_queries(12) as few:
        assert c.get(reverse("dossiers:list")).status_code == 200
    for i in range(6):
        services.dossier_create(
            actor=world.officer,
            unit_id=world.tree["a"].pk,
            level=Level.MINISTRY,
            year=YEAR,
            title=f"Hồ sơ {i}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = c.get(reverse("dossiers:list"))
    assert len(r.context["page"].object_list) == 7


def test_the_drafted_papers_open_back_with_the_names(client, world):
    from docx import Document
    from pypdf import PdfReader

    d = ready_dossier(world)
    c = _client(client, world.officer)
    r = c.get(reverse("dossiers:paper_draft", args=[d.pk, "to_trinh", "docx"]))
    assert r.status_code == 200
    doc = Document(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        cell.text for t in doc.tables for row in t.rows for cell in row.cells
    )
    assert "TỜ TRÌNH" in text and "Ngô Thị Giang" in text and "Chiến sĩ thi đua" in text
    r = c.get(reverse("dossiers:paper_draft", args=[d.pk, "to_trinh", "pdf"]))
    pdf = PdfReader(io.BytesIO(r.content))
    all_text = "".join(p.extract_text() for p in pdf.pages)
    assert "Phan Văn Hải" in all_text


def test_the_page_query_count_does_not_grow_with_the_nominations(
    client, world, django_assert_max_num_queries
):
    from tests.factories import person

    d = ready_dossier(world)
    c = _client(client, world.officer)
    url = reverse("dossiers:detail", args=[d.pk])
    with django_assert_max_num_queries(60) as few:
        assert c.get(url).status_code == 200
    for i in range(5):
        p = person(world.tree["a"], family_name="Vũ", middle_name="Văn", given_name=f"Thêm{i}")
        n = services.nomination_add(
            actor=world.officer,
            dossier_id=d.pk,
            subject=services.Subject(person_id=p.pk),
            award_code="bang_khen_bo",
        )
        services.report_save(
            actor=world.officer, nomination_id=n.pk, sections={"achievements": "x"}, submit=True
        )
    services.comment_add(actor=world.officer, dossier_id=d.pk, text="Bổ sung năm người", nomination_id=n.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = c.get(url)
    assert page.content.decode().count("Vũ Văn Thêm") >= 5
