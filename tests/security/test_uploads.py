"""The one upload check (core/uploads.py): type by content, name agreeing with it, size before reading,
and sizes written the way the pages write them (issue 7, finding 7: "20.0 MB" beside "10,0 MB")."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.core import uploads
from tdkt.core.models import Job


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("Cán bộ").write_row(0, 0, ["Mã cán bộ", "Họ", "Tên", "Giới tính", "Mã đơn vị"])
    book.close()
    return out.getvalue()


def test_the_size_message_and_the_page_write_sizes_alike(client, officer_a, settings):
    settings.TDKT_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    client.force_login(officer_a)
    big = SimpleUploadedFile("can-bo.xlsx", xlsx_bytes() + b"\0" * (20 * 1024 * 1024))

    page = client.get(reverse("org:import_start")).content.decode().replace("\xa0", " ")
    response = client.post(reverse("org:import_start"), {"kind": "people", "file": big})

    assert "Tối đa 10,0 MB" in page
    text = response.content.decode().replace("\xa0", " ")
    assert response.status_code == 400
    assert "20,0 MB" in text and "giới hạn là 10,0 MB" in text and "20.0 MB" not in text
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "kinds", "message"),
    [
        ("bao-cao.pdf", b"PK\x03\x04not a zip", {"pdf"}, "không phải loại được nhận (PDF)"),
        (
            "bao-cao.docx",
            b"%PDF-1.7\n...",
            {"pdf", "docx"},
            "có nội dung là PDF nhưng tên lại có đuôi '.docx'",
        ),
        ("anh.png", b"\x89PNG\r\n\x1a\n....", {"pdf", "docx"}, "không phải loại được nhận"),
        ("../../etc/passwd", b"root:x:0:0", {"pdf"}, "Tệp 'passwd' không phải loại được nhận"),
        ("rong.pdf", b"", {"pdf"}, "rỗng"),
    ],
)
def test_type_is_decided_by_content_and_the_name_must_agree(name, data, kinds, message):
    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_upload(SimpleUploadedFile(name, data), kinds=kinds, max_bytes=1024 * 1024)
    assert message in exc.value.message


def test_a_good_file_comes_back_with_its_kind_digest_and_a_clean_name():
    checked = uploads.check_upload(
        SimpleUploadedFile("C:\\Users\\an\\Quyết định\u202e.xlsx", xlsx_bytes()),
        kinds={"xlsx", "pdf"},
        max_bytes=1024 * 1024,
    )
    assert (checked.kind, checked.name, checked.content_type) == (
        "xlsx",
        "Quyết định.xlsx",
        uploads.CONTENT_TYPES["xlsx"],
    )
    assert len(checked.sha256) == 64
    assert uploads.storage_name(checked).endswith(".xlsx") and "Quy" not in uploads.storage_name(checked)


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    class Huge:
        name = "lon.pdf"
        size = 50 * 1024 * 1024

        def read(self, *_args):  # pragma: no cover - must not be called
            raise AssertionError("read before the size check")

    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_upload(Huge(), kinds={"pdf"}, max_bytes=1024 * 1024)
    message = exc.value.message.replace("\xa0", " ")
    assert "50,0 MB" in message and "1,0 MB" in message
