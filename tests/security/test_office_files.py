"""Hostile Office files (issue 7, finding 1): the import memory bomb, zip bombs, entity expansion.

The bomb is a valid people template of a few KB with one value far away (row 400,001, column 201):
before the fix the reader materialised the dense rectangle up to that cell and the web worker, then
the task worker, each grew to ~3.1 GB for 7 s; a cell near row 1,048,576 aborted the process.
These tests send such files through the real request path (the import form) and the real task, and
measure peak memory: in-process with tracemalloc, and in a child process with its resident peak
(VmHWM) under an address-space cap, so a regression fails the test instead of the machine.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.core import imports, jobs, spreadsheet, uploads
from tdkt.core.enums import JobStatus
from tdkt.core.models import Job
from tdkt.core.ooxml import Limits, PackageError, open_package
from tdkt.org.imports import IMPORTERS
from tdkt.org.models import Person
from tdkt.org.tasks import run_import

SRC = Path(__file__).resolve().parents[2] / "src"
HEADER = ["Mã cán bộ", "Họ", "Tên đệm", "Tên", "Giới tính", "Mã đơn vị"]
PEAK_LIMIT_MB = 40  # Python allocations while the request or the task handles the bomb
CHILD_RSS_LIMIT_MB = 400  # a whole child process (interpreter, Django, lxml) reading the bomb


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def people_workbook(*, far_row: int | None = None, far_col: int = 201, rows: int = 3) -> bytes:
    """The people template with a few real rows, and optionally one value at (far_row, far_col)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Cán bộ")
    sheet.write_row(0, 0, HEADER)
    for i in range(1, rows + 1):
        sheet.write_row(i, 0, [f"BOMB{i}", "Nguyễn", "Văn", f"An{i}", "Nam", "VU-A"])
    if far_row:
        sheet.write_string(far_row - 1, far_col - 1, "x")
    book.close()
    return out.getvalue()


def test_the_bomb_is_a_small_valid_file():
    data = people_workbook(far_row=400_001)
    assert len(data) < 10_000


def test_the_import_form_refuses_the_bomb_naming_the_cell_with_flat_memory(client, officer_a):
    client.force_login(officer_a)
    bomb = SimpleUploadedFile("can-bo.xlsx", people_workbook(far_row=400_001))

    tracemalloc.start()
    try:
        response = client.post(reverse("org:import_start"), {"kind": "people", "file": bomb})
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 400
    page = response.content.decode()
    assert "GS400001" in page and "400.001" in page
    assert not Job.objects.exists()
    assert peak < PEAK_LIMIT_MB * 1024 * 1024, f"peak {peak / 1048576:.0f} MB"


def test_the_worker_refuses_the_bomb_too_with_flat_memory(officer_a):
    """A file that reached the worker (stored before a limit was lowered, or sent another way)."""
    job = jobs.job_create(actor=officer_a, kind="org.import.people", title="Nhập", params={"kind": "people"})
    job.file.save("bomb.xlsx", ContentFile(people_workbook(far_row=400_001)))

    tracemalloc.start()
    try:
        run_import.call(job_id=str(job.pk))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "GS400001" in job.message
    assert not Person.objects.filter(code__startswith="BOMB").exists()  # nothing half-saved
    assert peak < PEAK_LIMIT_MB * 1024 * 1024, f"peak {peak / 1048576:.0f} MB"


CHILD = r"""
import json, resource, sys, time
def peak_rss_mb():
    # VmHWM belongs to this process image; ru_maxrss would carry the parent's peak over exec()
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
cap = 2 * 1024 ** 3
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
import django
django.setup()
from tdkt.core import imports
from tdkt.org.imports import IMPORTERS
data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
try:
    imports.run(data, IMPORTERS["people"], actor=None, source="bomb.xlsx")
    outcome = "read"
except imports.ImportFileError as exc:
    outcome = exc.message
print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - started,
                  "rss_mb": peak_rss_mb()}))
"""


@pytest.mark.parametrize(("row", "col"), [(400_001, 201), (1_048_576, 16_384)])
def test_a_worker_process_reading_the_bomb_stays_small_and_alive(tmp_path, row, col):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(people_workbook(far_row=row, far_col=col))
    env = os.environ | {
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "tdkt.settings",
        "TDKT_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)

    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, env=env, timeout=120
    )

    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert spreadsheet.column_letters(col) + str(row) in report["outcome"]
    assert report["rss_mb"] < CHILD_RSS_LIMIT_MB, report
    assert report["seconds"] < 5, report  # refused at the cell, not after reading 400,000 empty rows


def test_a_value_within_the_extent_far_down_costs_only_the_rows_present(settings):
    settings.TDKT_IMPORT_MAX_ROWS = 1_048_576
    settings.TDKT_IMPORT_MAX_COLUMNS = 16_384
    data = people_workbook(far_row=1_000_000, far_col=16_000)

    tracemalloc.start()
    try:
        sheet = imports.read_sheet(data, IMPORTERS["people"].spec)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert [number for number, _cells in sheet.rows] == [2, 3, 4]  # the far cell is outside the spec
    assert peak < 5 * 1024 * 1024


def test_many_real_rows_past_the_limit_are_refused_at_the_first_row_past_it(settings):
    settings.TDKT_IMPORT_MAX_ROWS = 50
    with pytest.raises(imports.ImportFileError) as exc:
        imports.read_sheet(people_workbook(rows=80), IMPORTERS["people"].spec)
    assert "A51" in exc.value.message and "50 dòng" in exc.value.message


# ------------------------------------------------------------------------------ zip bombs


def _zip(parts: dict[str, bytes], *, level: int = 9) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return out.getvalue()


def _minimal_xlsx_parts(sheet_xml: bytes, shared: bytes | None = None) -> dict[str, bytes]:
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "xl/workbook.xml": b"<workbook "
        + ns
        + b" "
        + rel
        + b'><sheets><sheet name="C\xc3\xa1n b\xe1\xbb\x99" '
        b'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": (
            b'<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return parts


def test_a_zip_bomb_part_is_refused_from_the_directory_before_it_is_unpacked():
    huge = b"<worksheet>" + b" " * (300 * 1024 * 1024) + b"</worksheet>"
    data = _zip(_minimal_xlsx_parts(huge))
    del huge
    assert len(data) < 1_000_000

    tracemalloc.start()
    try:
        with pytest.raises(imports.ImportFileError) as exc:
            imports.read_sheet(data, IMPORTERS["people"].spec)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "xl/worksheets/sheet1.xml" in exc.value.message
    assert peak < 5 * 1024 * 1024 + len(data)


def test_a_part_compressed_far_beyond_real_files_is_refused():
    limits = Limits(max_entries=100, max_part_bytes=10**9, max_total_bytes=10**9, max_ratio=200)
    data = _zip(_minimal_xlsx_parts(b"<worksheet>" + b"0" * (20 * 1024 * 1024) + b"</worksheet>"))
    with pytest.raises(PackageError) as exc:
        open_package(data, kind="xlsx", limits=limits)
    assert "nén quá mức" in exc.value.message


def test_a_directory_that_lies_about_sizes_gives_a_broken_file_not_a_bomb():
    """The directory says 100 bytes; the data unpacks to 50 MB: zipfile stops at the declared size."""
    sheet = b"<worksheet><sheetData>" + b" " * (50 * 1024 * 1024) + b"</sheetData></worksheet>"
    data = bytearray(_zip(_minimal_xlsx_parts(sheet)))
    del sheet
    # patch the declared uncompressed size of the sheet in both the local header and the directory
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(4, "little")
    fake = (100).to_bytes(4, "little")
    assert data.count(real) >= 2
    data = bytearray(bytes(data).replace(real, fake))

    tracemalloc.start()
    try:
        with pytest.raises(imports.ImportFileError) as exc:
            imports.read_sheet(bytes(data), IMPORTERS["people"].spec)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "hỏng" in exc.value.message
    assert peak < 5 * 1024 * 1024 + len(data)


def test_too_many_entries_are_refused():
    parts = _minimal_xlsx_parts(b"<worksheet/>") | {f"x/{i}.xml": b"<a/>" for i in range(3000)}
    with pytest.raises(PackageError) as exc:
        open_package(_zip(parts, level=1), kind="xlsx")
    assert "3.004 thành phần" in exc.value.message


# ------------------------------------------------------------------------------ entities


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&e;</t></si></sst>'
)
HIDDEN = b'<?xml version="1.0"?>' + b"<!--" + b"x" * 70_000 + b"-->" + XXE.split(b"?>", 1)[1]
SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize("shared", [LAUGHS, XXE, HIDDEN], ids=["billion-laughs", "external-entity", "hidden"])
def test_xml_with_entity_declarations_is_refused_before_parsing(shared):
    data = _zip(_minimal_xlsx_parts(SHEET, shared))
    with pytest.raises(imports.ImportFileError) as exc:
        imports.read_sheet(data, IMPORTERS["people"].spec)
    assert "sharedStrings" in exc.value.message
    assert "root:" not in exc.value.message


def test_the_same_guard_covers_word_files_through_the_upload_check():
    parts = {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document/>",
        "word/big.xml": b"<a>" + b"0" * (20 * 1024 * 1024) + b"</a>",
    }
    upload = SimpleUploadedFile("to-trinh.docx", _zip(parts))
    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_upload(upload, kinds={"docx", "pdf"}, max_bytes=10 * 1024 * 1024)
    assert "to-trinh.docx" in exc.value.message and "nén quá mức" in exc.value.message


def test_a_word_document_parsed_through_the_package_refuses_a_doctype():
    doc = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "b">]><w:document xmlns:w="urn:w">&a;</w:document>'
    package = open_package(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": doc}), kind="docx")
    with pytest.raises(PackageError) as exc:
        package.parse("word/document.xml")
    assert "DOCTYPE" in exc.value.message


def test_an_encrypted_zip_is_refused_with_a_message():
    data = bytearray(_zip(_minimal_xlsx_parts(SHEET)))
    # set the "encrypted" flag bit of every entry (local headers and central directory)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := bytes(data).find(signature, start)) >= 0:
            data[at + offset] |= 0x1
            start = at + 4
    with pytest.raises(PackageError) as exc:
        open_package(bytes(data), kind="xlsx")
    assert "mật khẩu" in exc.value.message


def test_formula_without_its_result_is_reported_as_uncalculated(officer_a):
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>M\xc3\xa3</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>Ng\xc3\xa0y</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>X1</t></is></c><c r="B2"><f>TODAY()</f></c></row>'
        b"</sheetData></worksheet>"
    )
    spec = imports.Spec(
        kind="t",
        title="Thử",
        sheet="Cán bộ",
        columns=(imports.Column("code", "Mã", required=True), imports.Column("day", "Ngày")),
    )

    class Reader:
        def __init__(self):
            self.spec = spec

        def parse(self, row):
            return {"code": row.text("code"), "day": row.date("day")}

        def check(self, records, *, actor, errors):
            return None

        def write(self, records, *, actor, source):
            raise AssertionError("nothing may be written")

    result = imports.run(_zip(_minimal_xlsx_parts(sheet)), Reader(), actor=officer_a, source="f.xlsx")

    assert result["error_count"] == 1
    assert "công thức chưa được tính (=TODAY())" in result["errors"][0]["text"]
    assert "dòng 2" in result["errors"][0]["text"] and "Ngày" in result["errors"][0]["text"]
