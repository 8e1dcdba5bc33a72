"""The import pipeline (core/imports.py), the job helpers and the job progress page (core/jobs.py)."""

from __future__ import annotations

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from tdkt.core import imports, jobs
from tdkt.core.audit import audit_many
from tdkt.core.enums import JobStatus
from tdkt.core.models import AuditEvent, Job
from tests.factories import make_user

SPEC = imports.Spec(
    kind="demo",
    title="Thử",
    sheet="Dữ liệu",
    columns=(
        imports.Column("code", "Mã", required=True, text=True, example="A1", help="Mã duy nhất"),
        imports.Column("day", "Ngày", example=datetime.date(2024, 1, 31), help="dd/mm/yyyy"),
        imports.Column("count", "Số lượng", ("SL",), example=3),
        imports.Column("flag", "Có đánh dấu"),
    ),
)


def workbook_bytes(rows, sheet="Dữ liệu") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parse_one(cells: dict):
    errors = imports.Errors(SPEC, "Dữ liệu")
    return imports.Row(5, cells, set(cells), errors), errors


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng."),
        (b"ma,ten\n1,An\n", "Tệp không phải Excel .xlsx"),
        (b"PK\x03\x04 this is not really a zip", "Không đọc được tệp Excel .xlsx: tệp bị hỏng"),
    ],
)
def test_files_that_are_not_xlsx_get_a_clear_message(data, message):
    with pytest.raises(imports.ImportFileError) as exc:
        imports.read_sheet(data, SPEC)
    assert str(exc.value).startswith(message)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "xin chào")
    with pytest.raises(imports.ImportFileError):
        imports.read_sheet(out.getvalue(), SPEC)


def test_a_sheet_without_data_rows_is_refused():
    with pytest.raises(imports.ImportFileError) as exc:
        imports.read_sheet(workbook_bytes([["Mã", "Ngày"]]), SPEC)
    assert str(exc.value) == "Sheet 'Dữ liệu' không có dòng dữ liệu nào."


def test_a_sheet_without_the_columns_of_the_spec_is_refused():
    with pytest.raises(imports.ImportFileError) as exc:
        imports.read_sheet(workbook_bytes([["Họ tên", "Tuổi"], ["An", 30]]), SPEC)
    assert "không có dòng tiêu đề" in str(exc.value)


def test_header_is_found_below_title_rows_and_matched_loosely_and_empty_rows_are_skipped():
    data = workbook_bytes(
        [["Báo cáo"], [], ["  mã ", "NGAY", "sl"], ["A1", "01/02/2024", 4], [], ["A2", "", ""]]
    )

    sheet = imports.read_sheet(data, SPEC)

    assert sheet.present == {"code", "day", "count"}
    assert [number for number, _cells in sheet.rows] == [4, 6]
    assert sheet.rows[0][1] == {"code": "A1", "day": "01/02/2024", "count": 4}


def test_the_named_sheet_is_preferred_over_the_first_one():
    wb = openpyxl.Workbook()
    wb.active.title = "Hướng dẫn"
    wb.active.append(["Mã"])
    data_sheet = wb.create_sheet("DU LIEU")
    data_sheet.append(["Mã"])
    data_sheet.append(["B7"])
    out = io.BytesIO()
    wb.save(out)

    sheet = imports.read_sheet(out.getvalue(), SPEC)

    assert sheet.name == "DU LIEU" and sheet.rows[0][1]["code"] == "B7"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31/12/2024", datetime.date(2024, 12, 31)),
        ("1/2/2024", datetime.date(2024, 2, 1)),
        ("01.02.2024", datetime.date(2024, 2, 1)),
        (datetime.date(2024, 5, 6), datetime.date(2024, 5, 6)),
        (datetime.datetime(2024, 5, 6, 0, 0), datetime.date(2024, 5, 6)),
    ],
)
def test_dates_accept_text_dd_mm_yyyy_and_real_excel_dates(raw, expected):
    row, errors = parse_one({"day": raw})
    assert row.date("day") == expected
    assert not errors


@pytest.mark.parametrize("raw", ["31/02/1990", "2024-01-31", "hôm qua", 45000.0])
def test_wrong_dates_name_sheet_row_and_column(raw):
    row, errors = parse_one({"day": raw})

    assert row.date("day") is None
    (error,) = errors.items
    shown = "45000" if raw == 45000.0 else raw
    assert str(error) == (
        f"Sheet 'Dữ liệu', dòng 5, cột 'Ngày': '{shown}' không phải ngày hợp lệ (định dạng dd/mm/yyyy)"
    )


def test_integers_booleans_and_choices_are_typed_or_reported():
    row, errors = parse_one({"count": 12.0, "flag": "có", "code": "  a  b "})
    assert (row.integer("count"), row.boolean("flag"), row.text("code")) == (12, True, "a b")
    assert row.choice("code", [("x", "Ấ B"), ("y", "Khác")]) == "x"
    assert not errors

    bad, errors = parse_one({"count": "mười", "flag": "có lẽ", "code": ""})
    assert bad.integer("count") is None
    bad.boolean("flag")
    bad.text("code", required=True)
    assert [(e.column, e.message) for e in errors.items] == [
        ("Số lượng", "'mười' không phải số nguyên."),
        ("Có đánh dấu", "'có lẽ' không hợp lệ; ghi “Có” hoặc để trống."),
        ("Mã", "Không được để trống."),
    ]


def test_template_has_header_example_row_and_guide_sheet():
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_bytes(SPEC, examples={"code": "ZZ9"})))

    assert wb.sheetnames == ["Dữ liệu", "Hướng dẫn"]
    ws = wb["Dữ liệu"]
    assert [c.value for c in ws[1]] == ["Mã", "Ngày", "Số lượng", "Có đánh dấu"]
    assert ws["A2"].value == "ZZ9"
    assert ws["B2"].value == datetime.datetime(2024, 1, 31)
    assert ws["B2"].number_format == "dd/mm/yyyy"
    guide = [[c.value for c in row] for row in wb["Hướng dẫn"].iter_rows(min_row=5)]
    assert guide[0] == ["Mã", "Có", "Mã duy nhất"]
    assert guide[1][0] == "Ngày" and guide[1][2] == "dd/mm/yyyy"


def test_the_template_reads_back_through_the_pipeline():
    sheet = imports.read_sheet(imports.template_bytes(SPEC), SPEC)
    assert sheet.rows[0][1]["code"] == "A1"
    assert sheet.rows[0][1]["day"] == datetime.date(2024, 1, 31)


# ---------------------------------------------------------------------------------------------- coded columns

COLOURS = (("red", "Đỏ tươi"), ("green", "Xanh lá"))
TOWNS = tuple((f"t{n}", f"Thị trấn số {n}, huyện Mộc Châu") for n in range(1, 13))  # long, with commas
CODED = imports.Spec(
    kind="coded",
    title="Thử danh mục",
    sheet="Dữ liệu",
    columns=(
        imports.Column("code", "Mã", required=True),
        imports.Column(
            "colour", "Màu", example="red", choices=COLOURS, synonyms=(("red", "Đỏ"),), help="Màu chính."
        ),
        imports.Column("town", "Thị trấn", example="t2", choices=TOWNS),
    ),
)


def coded_row(cells: dict):
    errors = imports.Errors(CODED, "Dữ liệu")
    return imports.Row(7, cells, set(cells), errors), errors


@pytest.mark.parametrize(
    "raw", ["red", "RED", "Đỏ tươi", "đỏ TƯƠI", "do tuoi", "  Do   tuoi ", "Đỏ tươi (red)", "Đỏ", "do"]
)
def test_a_coded_column_takes_the_code_or_the_label_whatever_the_case_and_accents(raw):
    row, errors = coded_row({"colour": raw})
    assert row.choice("colour") == "red"
    assert not errors


def test_an_unknown_value_of_a_short_list_names_every_label():
    row, errors = coded_row({"colour": "tím"})

    assert row.choice("colour") == ""
    assert [str(e) for e in errors.items] == [
        "Sheet 'Dữ liệu', dòng 7, cột 'Màu': 'tím' không thuộc các giá trị cho phép: Đỏ tươi; Xanh lá."
    ]


def test_an_unknown_value_of_a_long_list_names_the_closest_few_labels():
    row, errors = coded_row({"town": "thi tran so 11 huyen moc chau"})  # the comma is missing

    row.choice("town")

    (error,) = errors.items
    assert error.message.startswith(
        "'thi tran so 11 huyen moc chau' không thuộc các giá trị cho phép, ví dụ: "
    )
    named = error.message.split("ví dụ: ")[1].split("…")[0].split("; ")
    assert len(named) == imports.SUGGESTED_LABELS and named[0] == "Thị trấn số 11, huyện Mộc Châu"
    assert error.message.endswith("(đủ 12 giá trị ở sheet “Hướng dẫn” và danh sách chọn của tệp mẫu).")


def test_template_of_coded_columns_shows_labels_lists_codes_and_offers_drop_down_lists():
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_bytes(CODED)))

    ws = wb["Dữ liệu"]
    assert [c.value for c in ws[2]] == [None, "Đỏ tươi", "Thị trấn số 2, huyện Mộc Châu"]  # labels, not codes
    guide = {row[0]: row[2] for row in wb["Hướng dẫn"].iter_rows(min_row=5, values_only=True)}
    assert guide["Màu"] == "Đỏ tươi (red); Xanh lá (green)\nMàu chính."  # synonyms are not offered
    assert guide["Thị trấn"].startswith("Thị trấn số 1, huyện Mộc Châu (t1); Thị trấn số 2")
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert set(validations) == {"B2:B1048576", "C2:C1048576"}
    colour, town = validations["B2:B1048576"], validations["C2:C1048576"]
    assert (colour.type, colour.formula1, colour.errorStyle) == ("list", '"Đỏ tươi,Xanh lá"', "warning")
    # too long for Excel's 255 characters (and holding commas): a range of the hidden list sheet
    assert (town.type, town.formula1) == ("list", "'Danh mục'!$A$2:$A$13")
    assert wb.sheetnames == ["Dữ liệu", "Hướng dẫn", "Danh mục"]
    lists = wb["Danh mục"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["A"]] == ["Thị trấn", *(label for _code, label in TOWNS)]


def test_the_template_of_coded_columns_reads_back_to_codes():
    sheet = imports.read_sheet(imports.template_bytes(CODED), CODED)
    errors = imports.Errors(CODED, sheet.name)
    row = imports.Row(2, sheet.rows[0][1], sheet.present, errors)

    assert (row.choice("colour"), row.choice("town")) == ("red", "t2")
    assert not errors


# ---------------------------------------------------------------------------------------------- jobs


def test_progress_is_written_at_most_every_percent_and_always_at_the_end(db):
    job = Job.objects.create(kind="t", title="T")
    progress = jobs.JobProgress(job.pk, min_interval=0)

    for done in range(1, 10_001):
        progress(done, 10_000, "Đang chạy")

    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (10_000, 10_000, "Đang chạy")
    assert 90 <= progress.writes <= 101


def test_progress_step_is_capped_at_500_rows_for_big_jobs(db):
    job = Job.objects.create(kind="t", title="T")
    progress = jobs.JobProgress(job.pk, min_interval=0)
    for done in range(1, 100_001):
        progress(done, 100_000, "x")
    assert 190 <= progress.writes <= 201


def test_audit_many_writes_one_event_per_item(db, tree, admin_user):
    audit_many(
        admin_user,
        [
            {"event": "unit.touch", "obj": tree["a"], "changes": {"name": ["x", "y"]}},
            {"event": "unit.touch", "object_type": "org.unit", "object_id": 9, "object_repr": "Chín"},
        ],
    )
    events = list(AuditEvent.objects.filter(event="unit.touch").order_by("id"))
    assert [(e.object_id, e.object_repr, e.actor_name) for e in events] == [
        (str(tree["a"].pk), "Vụ A", "admin"),
        ("9", "Chín", "admin"),
    ]
    assert events[0].changes == {"name": ["x", "y"]} and events[0].at is not None


@pytest.fixture
def running_job(officer_a):
    return Job.objects.create(
        kind="org.import.people",
        title="Nhập danh sách cán bộ",
        created_by=officer_a,
        status=JobStatus.RUNNING,
        total=200,
        done=50,
        message="Đang kiểm tra dữ liệu",
    )


def test_job_page_polls_every_second_while_running(client, officer_a, running_job):
    client.force_login(officer_a)

    page = client.get(reverse("core:job_detail", args=[running_job.pk])).content.decode()

    assert 'hx-trigger="every 1s"' in page
    assert "Đang kiểm tra dữ liệu" in page
    assert 'value="25"' in page and "25%" in page


def test_progress_partial_alone_for_htmx_and_stops_polling_when_finished(client, officer_a, running_job):
    client.force_login(officer_a)
    url = reverse("core:job_detail", args=[running_job.pk])
    jobs.job_fail(
        running_job.pk,
        message="Tệp có 1 lỗi; chưa ghi dữ liệu nào.",
        result={
            "total": 3,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "error_count": 1,
            "errors": [
                {
                    "sheet": "Cán bộ",
                    "row": 7,
                    "column": "Ngày sinh",
                    "message": "'31/02/1990' không phải ngày hợp lệ",
                }
            ],
        },
    )

    part = client.get(url, headers={"HX-Request": "true", "HX-Target": "job-progress"}).content.decode()

    assert part.lstrip().startswith('<section id="job-progress"')
    assert "<html" not in part and "hx-trigger" not in part
    assert "Tệp có 1 lỗi; chưa ghi dữ liệu nào." in part
    assert (
        "<td>Cán bộ</td><td>7</td><td>Ngày sinh</td><td>&#x27;31/02/1990&#x27; không phải ngày hợp lệ</td>"
        in part
    )


def test_finished_job_shows_its_counts(client, officer_a, running_job):
    jobs.job_finish(
        running_job.pk, result={"total": 5, "created": 2, "updated": 1, "unchanged": 2}, message="Xong"
    )
    client.force_login(officer_a)

    page = client.get(reverse("core:job_detail", args=[running_job.pk])).content.decode()

    assert "Hoàn tất." in page and "Xong" in page
    assert '<dt class="col-6 col-md-2">Thêm mới</dt><dd class="col-6 col-md-2">2</dd>' in page


def test_only_the_creator_or_an_admin_sees_a_job_without_a_unit(client, tree, running_job, admin_user):
    url = reverse("core:job_detail", args=[running_job.pk])
    other_officer = make_user("officer_b", "officer", tree["b"])
    staff = make_user("staff_a", "staff", tree["a"])

    client.force_login(other_officer)
    assert client.get(url).status_code == 404  # as a job that does not exist (tests/security)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302
