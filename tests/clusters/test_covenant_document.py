"""The covenant document (Word and PDF, through the one document layer): opened back, it names every
member, their targets and signers, and the date and place of the covenant, in the national format."""

from __future__ import annotations

import io

import docx
import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse

from tdkt.clusters.documents import covenant_file
from tests.clusters.conftest import sign_all

MEMBERS = ("Sở Kinh tế Số tỉnh An Giang", "Sở Kinh tế Số tỉnh Bắc Ninh", "Sở Kinh tế Số tỉnh Cà Mau")


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]

    def cells(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    cells(document.tables)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages).split()
    )


@pytest.fixture
def signed(world):
    sign_all(world, targets={world.units[1].pk: "97,5"})
    world.cy.refresh_from_db()
    return world


def test_the_word_covenant_names_every_member_its_target_signer_and_the_date(client, signed):
    client.force_login(signed.officers[2])  # a member reads and downloads it
    response = client.get(reverse("clusters:covenant_document", args=[signed.cy.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    body = docx_text(response.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "Độc lập - Tự do - Hạnh phúc" in body
    assert "CỤM THI ĐUA SỐ 1" in body  # the issuing body
    assert "GIAO ƯỚC THI ĐUA NĂM 2025" in body
    assert "Cà Mau, ngày 15 tháng 01 năm 2025" in body
    for name in MEMBERS:
        assert name in body
        assert name.upper() in body  # its signature block
    assert "97,50" in body and "95" in body  # the targets
    assert "Giám đốc SO-2" in body  # a signer
    assert "{{" not in body and "{%" not in body


def test_the_pdf_covenant_names_every_member_its_target_and_the_date(signed):
    text = pdf_text(covenant_file(signed.cy, "pdf"))
    assert "GIAO ƯỚC THI ĐUA NĂM 2025" in text
    assert "Cà Mau, ngày 15 tháng 01 năm 2025" in text
    assert "Ngày 15 tháng 01 năm 2025, tại Cà Mau, các đơn vị thành viên Cụm thi đua số 1" in text
    for name in MEMBERS:
        assert name in text
    assert "97,50" in text and "Giám đốc SO-3" in text


def test_an_unsigned_covenant_leaves_blanks_to_fill_in_by_hand(world):
    body = docx_text(covenant_file(world.cy, "docx"))
    assert "GIAO ƯỚC THI ĐUA NĂM 2025" in body and "tháng" in body
    for name in MEMBERS:
        assert name in body


def test_a_kind_other_than_word_or_pdf_is_not_found(client, signed):
    client.force_login(signed.head)
    assert client.get(f"/clusters/nam/{signed.cy.pk}/giao-uoc.exe").status_code == 404


def test_the_outsider_cannot_download_the_covenant(client, signed):
    client.force_login(signed.outsider)
    assert client.get(reverse("clusters:covenant_document", args=[signed.cy.pk, "pdf"])).status_code == 404


def test_the_committed_word_template_is_the_one_the_code_draws(tmp_path):
    call_command(
        "build_document_templates", "clusters/giao_uoc.docx", output=str(tmp_path), stdout=io.StringIO()
    )
    from pathlib import Path

    import tdkt.clusters

    committed = Path(tdkt.clusters.__file__).parent / "documents" / "giao_uoc.docx"
    made = tmp_path / "clusters" / "giao_uoc.docx"
    assert docx_text(made.read_bytes()) == docx_text(committed.read_bytes())
