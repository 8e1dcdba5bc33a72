"""Initiatives and research works imported from Excel (issue 10): the template, the import through the
one pipeline, re-importing changes nothing, errors name the row and column, the scope is kept."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.core import imports
from tdkt.core.enums import JobStatus
from tdkt.core.models import AuditEvent, Job
from tdkt.org.imports import IMPORTERS
from tdkt.org.models import Initiative

HEADER = [
    "Mã cán bộ",
    "Mã tập thể",
    "Năm",
    "Tên sáng kiến, đề tài",
    "Loại",
    "Phạm vi ảnh hưởng",
    "Ngày công nhận",
    "Số quyết định công nhận",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _file(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sáng kiến"
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    ["CB001", "", 2023, "Số hoá hồ sơ thi đua", "Sáng kiến", "Cấp cơ sở", "15/12/2023", "45/QĐ-BTN"],
    ["CB002", "", 2024, "Nghiên cứu chấm điểm", "de tai khoa hoc", "cap bo, nganh, tinh",
     datetime.date(2024, 6, 1), ""],
]  # fmt: skip


def test_template_of_initiatives_opens_with_its_columns_and_lists(client, officer_a):
    client.force_login(officer_a)

    response = client.get(reverse("org:import_template", args=["initiatives"]))

    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Sáng kiến"][1]] == HEADER
    assert "Toàn quốc (toan_quoc)" in " ".join(
        str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row
    )
    assert "Sáng kiến, đề tài" in client.get(reverse("org:import_start")).content.decode()


def test_initiatives_import_writes_rows_audited_and_again_changes_nothing(people, officer_a):
    result = imports.run(_file(GOOD), IMPORTERS["initiatives"], actor=officer_a, source="sk.xlsx")

    assert (result["error_count"], result["created"]) == (0, 2)
    first = Initiative.objects.get(person=people["an"])
    assert (first.year, first.kind, first.scope, first.recognised_on, first.decision_number, first.unit) == (
        2023, "initiative", "co_so", datetime.date(2023, 12, 15), "45/QĐ-BTN", people["an"].current_unit
    )  # fmt: skip
    assert Initiative.objects.get(person=people["binh"]).kind == "research"
    assert AuditEvent.objects.filter(event="initiative.import").count() == 3  # two rows and the file

    again = imports.run(_file(GOOD), IMPORTERS["initiatives"], actor=officer_a, source="sk.xlsx")

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert Initiative.objects.count() == 2


def test_bad_rows_are_named_and_nothing_is_written(people, officer_a):
    rows = [
        *GOOD,
        ["CB003", "", 2024, "Ngoài phạm vi", "", "", "", ""],
        ["CB001", "", 2024, "", "", "Cấp xã", "", ""],
    ]

    result = imports.run(_file(rows), IMPORTERS["initiatives"], actor=officer_a, source="sk.xlsx")

    texts = [e["text"] for e in result["errors"]]
    assert "Sheet 'Sáng kiến', dòng 5, cột 'Tên sáng kiến, đề tài': Không được để trống." in texts
    assert any(
        t.startswith("Sheet 'Sáng kiến', dòng 5, cột 'Phạm vi ảnh hưởng': 'Cấp xã' không thuộc")
        for t in texts
    )
    assert (
        "Sheet 'Sáng kiến', dòng 4, cột 'Mã cán bộ': Không có cán bộ mã 'CB003' trong phạm vi bạn được nhập."
        in texts
    )
    assert Initiative.objects.count() == 0


def test_initiatives_import_runs_as_a_job_from_the_import_page(
    client, people, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("org:import_start"),
            {"kind": "initiatives", "file": SimpleUploadedFile("sk.xlsx", _file(GOOD))},
        )

    job = Job.objects.get()
    assert response.url == reverse("core:job_detail", args=[job.pk])
    assert job.status == JobStatus.DONE and job.result["created"] == 2
