"""The import pages: upload → job page with progress → result; templates; malformed files; permissions."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.core.enums import JobStatus
from tdkt.core.models import Job
from tdkt.org.models import Person
from tests.factories import make_user

URL = "/org/import/"
HEADER = ["Mã cán bộ", "Họ", "Tên đệm", "Tên", "Giới tính", "Ngày sinh", "Mã đơn vị"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(rows, header=HEADER, name="can-bo.xlsx") -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cán bộ"
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


GOOD = [
    ["N1", "Phạm", "Thu", "Hà", "Nữ", "02/09/1991", "VU-A"],
    ["N2", "Đỗ", "", "Minh", "Nam", "", "VU-A-P1"],
]


def test_import_page_offers_the_form_and_the_three_templates(client, officer_a):
    client.force_login(officer_a)

    page = client.get(URL).content.decode()

    assert 'enctype="multipart/form-data"' in page
    for kind in ("people", "evaluations", "awards"):
        assert reverse("org:import_template", args=[kind]) in page
    assert "Bạn chưa nhập tệp nào." in page


def test_upload_runs_the_import_and_shows_the_finished_job(
    client, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"kind": "people", "file": upload(GOOD)})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.result["created"] == 2
    assert job.file.name.endswith(".xlsx") and "can-bo" not in job.file.name  # stored under a random name
    assert job.params["filename"] == "can-bo.xlsx"
    page = client.get(response["Location"]).content.decode()
    assert "Hoàn tất." in page
    assert "Đã nhập 2 dòng: 2 thêm mới, 0 cập nhật, 0 không đổi." in page
    assert "hx-trigger" not in page
    assert set(Person.objects.values_list("code", flat=True)) >= {"N1", "N2"}
    listing = client.get(URL).content.decode()
    assert reverse("core:job_detail", args=[job.pk]) in listing and "can-bo.xlsx" in listing


def test_upload_with_a_bad_row_shows_the_error_table_and_writes_nothing(
    client, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    rows = GOOD + [["N3", "Vũ", "", "Lan", "Nữ", "31/02/1990", "VU-A"]]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"kind": "people", "file": upload(rows)})

    page = client.get(response["Location"]).content.decode()
    assert "Không thành công." in page
    assert "Tệp có 1 lỗi; chưa ghi dữ liệu nào." in page
    assert "<td>Cán bộ</td><td>4</td><td>Ngày sinh</td>" in page
    assert "không phải ngày hợp lệ (định dạng dd/mm/yyyy)" in page
    assert not Person.objects.filter(code__in=["N1", "N2", "N3"]).exists()
    assert Job.objects.get().status == JobStatus.FAILED


def test_reuploading_the_same_file_reports_all_rows_unchanged(
    client, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"kind": "people", "file": upload(GOOD)})
        client.post(URL, {"kind": "people", "file": upload(GOOD)})

    latest = Job.objects.order_by("-created_at").first()
    assert (latest.result["created"], latest.result["updated"], latest.result["unchanged"]) == (0, 0, 2)


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("a.xlsx", b""), "Tệp rỗng."),
        (
            SimpleUploadedFile("a.csv", "Mã,Họ\n1,An\n".encode()),
            "không phải loại được nhận (Excel .xlsx). Với bảng tính, hãy lưu tệp dưới dạng “Excel Workbook",
        ),
        (SimpleUploadedFile("a.xlsx", b"PK\x03\x04\x00\x00broken"), "tệp bị hỏng"),
        (upload([["N1", "An", "Nam"]], header=["Mã cán bộ", "Tên", "Giới tính"]), "thiếu cột bắt buộc"),
        (upload([], header=HEADER), "không có dòng dữ liệu nào"),
    ],
)
def test_malformed_files_get_a_message_and_no_job(client, officer_a, file, message):
    client.force_login(officer_a)

    response = client.post(URL, {"kind": "people", "file": file})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_oversized_file_is_refused(client, officer_a, settings):
    settings.TDKT_IMPORT_MAX_BYTES = 1024
    client.force_login(officer_a)

    response = client.post(URL, {"kind": "people", "file": upload(GOOD * 40)})

    assert response.status_code == 400
    assert "quá lớn" in response.content.decode()
    assert not Job.objects.exists()


def test_missing_file_is_asked_for(client, officer_a):
    client.force_login(officer_a)
    response = client.post(URL, {"kind": "people"})
    assert "Hãy chọn tệp Excel cần nhập." in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "sheet", "first_headers"),
    [
        ("people", "Cán bộ", ["Mã cán bộ", "Họ", "Tên đệm", "Tên", "Giới tính"]),
        ("evaluations", "Đánh giá", ["Mã cán bộ", "Mã tập thể", "Năm", "Xếp loại", "Số tháng công tác"]),
        ("awards", "Khen thưởng", ["Mã cán bộ", "Mã tập thể", "Danh hiệu, hình thức", "Từ năm", "Đến năm"]),
    ],
)
def test_templates_download_with_header_example_and_guide(client, officer_a, kind, sheet, first_headers):
    client.force_login(officer_a)

    response = client.get(reverse("org:import_template", args=[kind]))

    assert response["Content-Disposition"] == f'attachment; filename="mau-nhap-{kind}.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:2] == [sheet, "Hướng dẫn"]
    assert all(wb[name].sheet_state == "hidden" for name in wb.sheetnames[2:])  # drop-down lists only
    assert [c.value for c in wb[sheet][1]][:5] == first_headers
    assert wb[sheet]["A2"].value  # the example row
    guide_columns = [r[0].value for r in wb["Hướng dẫn"].iter_rows(min_row=5)]
    assert guide_columns[:2] == first_headers[:2]


def test_people_template_example_uses_a_unit_the_officer_may_import_into(client, officer_a):
    client.force_login(officer_a)
    wb = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("org:import_template", args=["people"])).content)
    )
    headers = [c.value for c in wb["Cán bộ"][1]]
    assert wb["Cán bộ"].cell(row=2, column=headers.index("Mã đơn vị") + 1).value == "VU-A"
    guide = {r[0].value: r[2].value for r in wb["Hướng dẫn"].iter_rows(min_row=5)}
    assert guide["Giới tính"] == "Nam (male); Nữ (female)"


def test_the_filled_in_template_imports(client, officer_a, django_capture_on_commit_callbacks):
    client.force_login(officer_a)
    template = client.get(reverse("org:import_template", args=["people"])).content

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"kind": "people", "file": SimpleUploadedFile("mau.xlsx", template)})

    assert Job.objects.get().status == JobStatus.DONE
    assert Person.objects.get(code="CB0001").full_name == "Nguyễn Văn An"


def template_workbook(client, kind):
    return openpyxl.load_workbook(io.BytesIO(client.get(reverse("org:import_template", args=[kind])).content))


@pytest.mark.parametrize(
    ("kind", "examples", "lists"),
    [
        (
            "people",
            {"Giới tính": "Nam", "Loại cán bộ": "Công chức"},
            {
                "Giới tính": '"Nam,Nữ"',
                "Loại cán bộ": '"Công chức,Viên chức,Hợp đồng lao động,Người lao động,Lực lượng vũ trang"',
            },
        ),
        (
            "evaluations",
            {"Xếp loại": "Hoàn thành xuất sắc nhiệm vụ"},
            {
                "Xếp loại": '"Hoàn thành xuất sắc nhiệm vụ,Hoàn thành tốt nhiệm vụ,Hoàn thành nhiệm vụ,'
                'Không hoàn thành nhiệm vụ"',
                "Hình thức kỷ luật": '"Khiển trách,Cảnh cáo,Hạ bậc lương,Giáng chức,Cách chức,'
                'Buộc thôi việc"',
                "Loại nghỉ": '"Nghỉ thai sản,Nghỉ ốm,Đi học,Nghỉ không lương,Khác"',
            },
        ),
        (
            "awards",
            {
                "Danh hiệu, hình thức": "Chiến sĩ thi đua cơ sở",
                "Loại khen thưởng": "Thành tích thường xuyên (công trạng)",
                "Cấp khen": "Bộ, ngành",
            },
            {  # 21 titles pass Excel's 255 characters; labels with commas cannot be typed into a list
                "Danh hiệu, hình thức": "'Danh mục'!$A$2:$A$22",
                "Loại khen thưởng": "'Danh mục'!$B$2:$B$7",
                "Cấp khen": "'Danh mục'!$C$2:$C$8",
            },
        ),
    ],
)
def test_templates_show_labels_and_offer_drop_down_lists_on_coded_columns(
    client, officer_a, kind, examples, lists
):
    client.force_login(officer_a)

    wb = template_workbook(client, kind)

    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    example = dict(zip(headers, [c.value for c in ws[2]], strict=True))
    assert {h: example[h] for h in examples} == examples
    found = {}
    for dv in ws.data_validations.dataValidation:
        (cells,) = str(dv.sqref).split()
        column = headers[
            openpyxl.utils.column_index_from_string(cells.split(":")[0].rstrip("0123456789")) - 1
        ]
        assert (dv.type, dv.errorStyle, cells.split(":")[1][-7:]) == ("list", "warning", "1048576")
        found[column] = dv.formula1
    assert found == lists
    if kind == "awards":
        hidden = wb["Danh mục"]
        assert hidden.sheet_state == "hidden"
        assert [c.value for c in hidden["A"]][:3] == [
            "Danh hiệu, hình thức",
            "Lao động tiên tiến",
            "Chiến sĩ thi đua cơ sở",
        ]
        guide = {r[0].value: r[2].value for r in wb["Hướng dẫn"].iter_rows(min_row=5)}
        assert "Chiến sĩ thi đua cơ sở (cstd_co_so)" in guide["Danh hiệu, hình thức"]
    else:
        assert wb.sheetnames == [ws.title, "Hướng dẫn"]


def test_every_filled_in_template_imports_with_its_labels(
    client, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)

    with django_capture_on_commit_callbacks(execute=True):
        for kind in ("people", "evaluations", "awards"):  # the examples name the person of the first
            template = client.get(reverse("org:import_template", args=[kind])).content
            client.post(URL, {"kind": kind, "file": SimpleUploadedFile(f"{kind}.xlsx", template)})

    jobs = Job.objects.order_by("created_at")
    assert [(j.status, j.result.get("created")) for j in jobs] == [(JobStatus.DONE, 1)] * 3, [
        j.result for j in jobs
    ]
    an = Person.objects.get(code="CB0001")
    assert an.evaluations.get().rating == "htxs"
    assert an.awards.get().award_code == "cstd_co_so"


def test_unknown_template_kind_is_404(client, officer_a):
    client.force_login(officer_a)
    assert client.get("/org/import/template/khac.xlsx").status_code == 404


@pytest.mark.parametrize("role", ["staff", "unit_head", "council_member"])
def test_roles_without_import_right_are_refused(client, tree, role):
    client.force_login(make_user("u", role, tree["a"]))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("org:import_template", args=["people"])).status_code == 403
    assert client.post(URL, {"kind": "people", "file": upload(GOOD)}).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(URL).status_code == 302


def test_import_status_leads_to_the_job_page(client, officer_a):
    job = Job.objects.create(kind="org.import.people", title="T", created_by=officer_a)
    client.force_login(officer_a)
    response = client.get(reverse("org:import_status", args=[job.pk]))
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])


def test_import_page_query_count_does_not_grow_with_recent_jobs(client, officer_a, django_assert_num_queries):
    client.force_login(officer_a)
    Job.objects.create(kind="org.import.people", title="T", created_by=officer_a)
    client.get(URL)
    with django_assert_num_queries(5) as one:
        client.get(URL)
    for n in range(15):
        Job.objects.create(kind="org.import.people", title=f"T{n}", created_by=officer_a)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(URL).content.decode()
    main = page[page.index("<main") :]  # the header's menu links the jobs list ("Tác vụ nền")
    assert main.count('href="/jobs/') == 10
