"""Hostile legacy award lists: nothing is written, nothing hangs, and the message says what and where."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.awards import legacy
from tdkt.core.models import Job
from tdkt.org.models import AwardRecord
from tests.awards.legacy_files import HEADER, docx_list, xlsx
from tests.factories import person

CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'wordprocessingml.document.main+xml"/></Types>'
)


def _docx_with(document_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", document_xml)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def an(tree):
    return person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="An", code="A1")


def test_zip_bomb_docx_is_refused_before_it_is_inflated(officer_a):
    bomb = _docx_with(b"<w:document>" + b" " * (30 * 1024 * 1024) + b"</w:document>")
    assert len(bomb) < 200_000

    result = legacy.import_award_list(actor=officer_a, data=bomb, filename="bom.docx")

    assert result["error_count"] == 1
    assert "nén quá mức bình thường" in result["errors"][0]["message"]
    assert result["errors"][0]["text"].startswith("Tệp 'bom.docx': ")
    assert AwardRecord.objects.count() == 0


def test_entity_expansion_in_document_xml_is_refused(officer_a):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
            for i in range(1, 10)
        )
        + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )

    result = legacy.import_award_list(actor=officer_a, data=_docx_with(laughs), filename="cuoi.docx")

    assert result["error_count"] == 1
    assert "DOCTYPE/ENTITY" in result["errors"][0]["message"]
    assert AwardRecord.objects.count() == 0


def test_word_file_that_is_really_html_is_refused_at_upload_with_the_way_out(client, officer_a):
    client.force_login(officer_a)
    html = "<html><body><table><tr><td>STT</td><td>Họ và tên</td></tr></table></body></html>".encode()

    response = client.post(reverse("awards:legacy_import"), {"file": SimpleUploadedFile("ds.docx", html)})

    assert response.status_code == 400
    page = response.content.decode()
    assert "trang web (HTML)" in page and "Word Document (.docx)" in page
    assert not Job.objects.exists()


def test_old_binary_doc_is_refused_at_upload_saying_to_save_as_docx(client, officer_a):
    client.force_login(officer_a)
    doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000

    response = client.post(reverse("awards:legacy_import"), {"file": SimpleUploadedFile("ds.doc", doc)})

    assert response.status_code == 400
    assert "Word 97–2003 (.doc)" in response.content.decode()
    assert not Job.objects.exists()


def test_oversize_file_is_refused_before_it_is_read(client, officer_a, settings):
    settings.TDKT_IMPORT_MAX_BYTES = 50_000
    client.force_login(officer_a)
    data = xlsx(
        {
            "DS": [
                HEADER,
                *[
                    [i, "Nguyễn Văn An", "x" * 40, "Vụ A", "LĐTT", f"{i}/QĐ", "15/01/2024"]
                    for i in range(3000)
                ],
            ]
        }
    )
    assert len(data) > 50_000

    response = client.post(reverse("awards:legacy_import"), {"file": SimpleUploadedFile("to.xlsx", data)})

    assert response.status_code == 400
    assert "quá lớn" in response.content.decode()
    assert not Job.objects.exists()


def test_one_bad_row_in_a_word_list_writes_nothing_and_names_table_row_and_column(an, officer_a):
    rows = [[str(i), "Nguyễn Văn An", "", "Vụ A", "LĐTT", f"{i}/QĐ", "15/01/2024"] for i in range(1, 40)]
    rows[20][4] = "Huân chương Mặt Trăng"
    first = ["1", "Nguyễn Văn An", "", "Vụ A", "LĐTT", "0/QĐ", "15/01/2024"]
    data = docx_list([(["Danh sách 1"], [HEADER, first]), (["Danh sách 2"], [HEADER, *rows])])

    result = legacy.import_award_list(actor=officer_a, data=data, filename="ds.docx")

    (error,) = result["errors"]
    assert (error["sheet"], error["row"], error["column"]) == ("Bảng 2", 22, "Danh hiệu/Hình thức (cột 5)")
    assert error["text"].startswith("Tệp 'ds.docx', Bảng 2, dòng 22, cột 'Danh hiệu/Hình thức (cột 5)': ")
    assert AwardRecord.objects.count() == 0


def test_a_choice_naming_a_person_outside_the_scope_is_refused_whole(
    client, an, officer_a, tree, django_capture_on_commit_callbacks
):
    outsider = person(tree["b"], family_name="Nguyễn", middle_name="Văn", given_name="An", code="B9")
    client.force_login(officer_a)
    data = xlsx({"DS": [HEADER, [1, "Nguyen Van An", "", "Vụ A", "LĐTT", "1/QĐ", "15/01/2024"]]})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("awards:legacy_import"), {"file": SimpleUploadedFile("ds.xlsx", data)})
    job = Job.objects.get(kind="awards.legacy_parse")
    page = client.get(reverse("awards:legacy_review", args=[job.pk])).content.decode()
    assert "B9" not in page and "Vụ B" not in page

    response = client.post(reverse("awards:legacy_review", args=[job.pk]), {"row-0": f"p:{outsider.pk}"})

    assert response.status_code == 400  # not an offered choice: asked again, nothing queued
    assert not Job.objects.filter(kind="awards.legacy_write").exists()
    assert AwardRecord.objects.count() == 0
