"""Legacy award lists (issue 10, item 4): reading lists as units keep them, matching the rows to the
records of the importer's scope, the review of uncertain matches, the all-or-nothing write, the report."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.awards import legacy
from tdkt.core.enums import JobStatus
from tdkt.core.models import AuditEvent, Job
from tdkt.org.enums import AwardSource
from tdkt.org.models import AwardRecord, Collective, Person
from tests.awards.legacy_files import HEADER, docx_list, xlsx
from tests.factories import make_user, person

D = datetime.date(2024, 1, 15)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(tree):
    """People of Vụ A (the officer's scope) and Vụ B (outside it)."""
    return {
        "an": person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="An", code="A1",
                     birth_date=datetime.date(1980, 3, 2), id_number="001080000001"),
        "binh": person(tree["a1"], family_name="Trần", middle_name="Thị", given_name="Bình", code="A2",
                       birth_date=None),
        "cuong_b": person(tree["b"], family_name="Lê", middle_name="Văn", given_name="Cường", code="B1"),
    }  # fmt: skip


def row(n, name, unit, award, number="120/QĐ-BTN", day="15/01/2024", position=""):
    return [n, name, position, unit, award, number, day]


# ---------------------------------------------------------------------------------------------- reading


def test_excel_title_two_row_merged_header_and_every_date_spelling_are_read():
    rows = [
        ["DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2023"],
        [],
        ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Danh hiệu/Hình thức khen thưởng", "Quyết định", None],
        [None, None, None, None, None, "Số", "Ngày"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        [1, "Nguyễn Văn An", "Chuyên viên", "Vụ A", "LĐTT", "12/QĐ-BTN", "15/01/2024"],
        [2, "Nguyễn Văn An", "", "Vụ A", "LĐTT", "13/QĐ-BTN", "15-1-2024"],
        [3, "Nguyễn Văn An", "", "Vụ A", "LĐTT", "14/QĐ-BTN", "15.01.2024"],
        [4, "Nguyễn Văn An", "", "Vụ A", "LĐTT", "15/QĐ-BTN", "ngày 15 tháng 01 năm 2024"],
        [5, "Nguyễn Văn An", "", "Vụ A", "LĐTT", "16/QĐ-BTN", 45306],  # Excel day number, General format
        [6, "Nguyễn Văn An", "", "Vụ A", "LĐTT", "17/QĐ-BTN", "2024-01-15"],
        [7, "Nguyễn Văn An", "", "Vụ A", "LĐTT", "18/QĐ-BTN", datetime.datetime(2024, 1, 15)],
    ]
    data = xlsx({"DS": rows}, merges={"DS": ["A1:G1", "F3:G3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4"]})

    parsed = legacy.read_award_list(data, "ds.xlsx")

    assert parsed.errors == []
    assert [r.row for r in parsed.rows] == [6, 7, 8, 9, 10, 11, 12]
    assert {r.decided_on for r in parsed.rows} == {D.isoformat()}
    assert [r.decision_number for r in parsed.rows][:2] == ["12/QĐ-BTN", "13/QĐ-BTN"]
    assert {r.award_code for r in parsed.rows} == {"ldtt"}
    assert {r.year for r in parsed.rows} == {2023}  # "NĂM 2023" in the title, not the decision's year


def test_several_tables_and_sheets_decision_in_heading_and_hidden_sheet_skipped():
    first = [
        ["Kèm theo Quyết định số 120/QĐ-BTN ngày 15 tháng 01 năm 2024 của Bộ trưởng"],
        ["STT", "Họ và tên", "Đơn vị", "Danh hiệu"],
        [1, "Nguyễn Văn An", "Vụ A", "Chiến sĩ thi đua cơ sở"],
        ["Bằng khen của Bộ trưởng"],  # a merged line: a new table, same columns
        [1, "Trần Thị Bình", "Phòng 1 Vụ A", "Bằng khen của Bộ trưởng"],
        [],
        ["Quyết định số 7/QĐ-BTN ngày 02/02/2023"],
        ["STT", "Họ tên", "Đơn vị công tác", "Hình thức khen thưởng", "Số, ngày quyết định"],
        [1, "Nguyễn Văn An", "Vụ A", "Giấy khen của Thủ trưởng đơn vị", "Số 9/QĐ-VA ngày 03/03/2023"],
    ]
    second = [
        ["STT", "Họ và tên", "Đơn vị", "Danh hiệu", "Số QĐ", "Ngày QĐ"],
        [1, "Lê Văn X", "Vụ A", "CSTĐCS", "5/QĐ", "01/02/2022"],
    ]
    hidden = [
        ["STT", "Họ và tên", "Đơn vị", "Danh hiệu", "Số QĐ", "Ngày QĐ"],
        [1, "Ẩn", "Vụ A", "Nonsense", "x", "y"],
    ]

    parsed = legacy.read_award_list(
        xlsx({"2024": first, "2022": second, "Nháp": hidden}, hidden={"Nháp"}), "f.xlsx"
    )

    assert parsed.errors == []
    got = [
        (r.sheet, r.table, r.row, r.name, r.award_code, r.decision_number, r.decided_on) for r in parsed.rows
    ]
    assert got == [
        ("2024", 1, 3, "Nguyễn Văn An", "cstd_co_so", "120/QĐ-BTN", "2024-01-15"),
        ("2024", 2, 5, "Trần Thị Bình", "bang_khen_bo", "120/QĐ-BTN", "2024-01-15"),
        ("2024", 3, 9, "Nguyễn Văn An", "giay_khen", "9/QĐ-VA", "2023-03-03"),
        ("2022", 1, 2, "Lê Văn X", "cstd_co_so", "5/QĐ", "2022-02-01"),
    ]
    assert parsed.notes == ["Bỏ qua sheet ẩn 'Nháp'."]


def test_formula_cells_give_their_cached_value_and_uncalculated_ones_are_named():
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("DS")
    for c, h in enumerate(HEADER):
        ws.write_string(0, c, h)
    for c, v in enumerate(row(1, "Nguyễn Văn An", "Vụ A", "LĐTT")):
        ws.write(1, c, v)
    ws.write_formula(1, 0, "=1", None, 1)
    ws.write_formula(1, 5, '="120/"&"QĐ-BTN"', None, "120/QĐ-BTN")
    wb.close()
    assert legacy.read_award_list(out.getvalue(), "f.xlsx").rows[0].decision_number == "120/QĐ-BTN"

    wb2 = openpyxl.Workbook()
    ws2 = wb2.active
    ws2.title = "DS"
    ws2.append(HEADER)
    ws2.append(row(1, "Nguyễn Văn An", "Vụ A", "LĐTT", number='="120/"&"QĐ"'))
    saved = io.BytesIO()
    wb2.save(saved)  # openpyxl writes formulas without a result
    parsed = legacy.read_award_list(saved.getvalue(), "g.xlsx")

    assert parsed.rows == []
    assert parsed.errors[0]["row"] == 2
    assert parsed.errors[0]["column"] == "Số quyết định (F)"
    assert "công thức chưa được tính" in parsed.errors[0]["text"]
    assert parsed.errors[0]["text"].startswith(
        "Tệp 'g.xlsx', sheet 'DS', bảng 1, dòng 2, cột 'Số quyết định (F)'"
    )


def test_award_names_map_by_folded_synonyms():
    cases = {
        "Lao động tiên tiến": "ldtt",
        "LĐTT": "ldtt",
        "lao dong tien tien": "ldtt",
        "Chiến sĩ thi đua cơ sở": "cstd_co_so",
        "CSTĐCS": "cstd_co_so",
        "Giấy khen của Thủ trưởng Vụ A": "giay_khen",
        "Bằng khen của Bộ trưởng": "bang_khen_bo",
        "Bằng khen của Thủ tướng Chính phủ": "bang_khen_ttg",
        "Tập thể lao động xuất sắc": "tt_ldxs",
        "Huân chương Lao động hạng Ba": "hc_lao_dong_3",
        "Huân chương Lao động hạng III": "hc_lao_dong_3",
        "Danh hiệu Chiến sĩ thi đua cấp Bộ": "cstd_bo",
    }
    assert {text: legacy.award_code(text) for text in cases} == cases


def test_unknown_award_is_an_error_naming_the_cell_and_close_matches():
    data = xlsx({"DS": [HEADER, row(1, "Nguyễn Văn An", "Vụ A", "Lao động tiên tiếng")]})

    parsed = legacy.read_award_list(data, "ds.xlsx")

    assert parsed.rows == []
    (error,) = parsed.errors
    assert (error["sheet"], error["row"], error["column"]) == ("DS", 2, "Danh hiệu/Hình thức (E)")
    assert "Không nhận ra danh hiệu, hình thức 'Lao động tiên tiếng'" in error["message"]
    assert "Gần giống: Lao động tiên tiến" in error["message"]


def test_word_list_with_merged_header_and_decision_in_heading():
    top = ["STT", "Họ và tên", "Đơn vị", "Danh hiệu", "Quyết định", ""]
    below = ["", "", "", "", "Số", "Ngày"]
    data = docx_list(
        [
            (["Năm 2023"], [top, below, ["1", "Nguyễn Văn An", "Vụ A", "LĐTT", "3/QĐ", "15.01.2024"]]),
            (
                ["Quyết định số 8/QĐ-BTN ngày 20/01/2024"],
                [["STT", "Họ và tên", "Đơn vị", "Hình thức"], ["1", "Trần Thị Bình", "Vụ A", "Giấy khen"]],
            ),
        ],
        merged_header=False,
    )

    parsed = legacy.read_award_list(data, "ds.docx")

    assert parsed.errors == []
    got = [
        (r.sheet, r.row, r.name, r.award_code, r.year, r.decision_number, r.decided_on) for r in parsed.rows
    ]
    assert got == [
        ("Bảng 1", 3, "Nguyễn Văn An", "ldtt", 2023, "3/QĐ", "2024-01-15"),
        ("Bảng 2", 2, "Trần Thị Bình", "giay_khen", 2024, "8/QĐ-BTN", "2024-01-20"),
    ]


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_thousand_rows_with_one_bad_row_are_rejected_whole_naming_the_row(staff, officer_a, kind):
    rows = [row(i, "Nguyễn Văn An", "Vụ A", "LĐTT", number=f"{i}/QĐ-BTN") for i in range(1, 1001)]
    rows[699][6] = "31/02/2024"
    if kind == "xlsx":
        data = xlsx({"DS": [HEADER, *rows]})
    else:
        data = docx_list([(["Danh sách"], [HEADER, *[[str(v) for v in r] for r in rows]])])

    result = legacy.import_award_list(actor=officer_a, data=data, filename=f"ds.{kind}")

    assert result["error_count"] == 1
    (error,) = result["errors"]
    assert error["row"] == 701
    assert error["column"].startswith("Ngày quyết định")
    assert "'31/02/2024' không phải ngày" in error["message"]
    assert AwardRecord.objects.count() == 0


# ---------------------------------------------------------------------------------------------- matching


def _match(officer, rows, header=HEADER):
    parsed = legacy.read_award_list(xlsx({"DS": [header, *rows]}), "ds.xlsx")
    assert parsed.errors == []
    legacy.match_rows(parsed, actor=officer)
    return parsed.rows


def test_sure_matches_link_by_id_number_or_name_birth_date_and_unit(staff, officer_a):
    header = [*HEADER, "Ngày sinh", "Số định danh"]
    rows = [
        [*row(1, "Ông Khác Tên", "Vụ A", "LĐTT"), "", "001080000001"],  # the ID decides
        [*row(2, "Nguyễn Văn An", "Vụ A", "LĐTT"), "02/03/1980", ""],
    ]

    got = _match(officer_a, rows, header)

    assert [(r.status, r.person_id) for r in got] == [("link", staff["an"].pk), ("link", staff["an"].pk)]


def test_uncertain_matches_are_left_for_review_with_only_in_scope_candidates(staff, officer_a, tree):
    person(tree["b"], family_name="Trần", middle_name="Thị", given_name="Bình", code="B2")  # outside scope
    rows = [
        row(
            1, "Trần Thị Bình", "Phòng 1 Vụ A", "LĐTT"
        ),  # same name in the unit, no birth date on either side
        row(2, "Nguyen Van An", "Vụ A", "LĐTT"),  # differs only by diacritics
        row(3, "Nguyễn Văn An", "Phòng 1 Vụ A", "LĐTT"),  # found in another unit of the scope
        row(4, "Lê Văn Cường", "Vụ A", "LĐTT"),  # the only Lê Văn Cường is in Vụ B: never shown
    ]

    got = _match(officer_a, rows)

    assert [r.status for r in got] == ["link", "review", "review", "create"]
    assert got[0].person_id == staff["binh"].pk
    assert got[1].reason == "Tên chỉ giống khi bỏ dấu."
    assert got[1].candidates[0]["value"] == f"p:{staff['an'].pk}"
    assert "ở đơn vị khác" in got[2].reason
    shown = " ".join(c["label"] for r in got for c in r.candidates)
    assert "B1" not in shown and "B2" not in shown and "Vụ B" not in shown


def test_several_namesakes_in_the_unit_need_a_choice(staff, officer_a, tree):
    person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="An", code="A9",
           birth_date=datetime.date(1990, 1, 1))  # fmt: skip

    (got,) = _match(officer_a, [row(1, "Nguyễn Văn An", "Vụ A", "LĐTT")])

    assert got.status == "review"
    assert got.proposal == ""
    assert {c["value"] for c in got.candidates} >= {f"p:{staff['an'].pk}", "new", "skip"}


def test_a_row_naming_a_collective_of_the_scope_is_the_collective(staff, officer_a, tree):
    team = Collective.objects.create(unit=tree["a"], kind="unit", code="TT-A", name="Vụ A")

    (got,) = _match(officer_a, [row(1, "Vụ A", "Vụ A", "Tập thể lao động xuất sắc")])

    assert (got.subject, got.status, got.collective_id) == ("collective", "link", team.pk)


# ---------------------------------------------------------------------------------------------- writing


def test_import_writes_all_rows_as_imported_audited_and_links_duplicates(staff, officer_a):
    existing = AwardRecord.objects.create(
        person=staff["an"], unit=staff["an"].current_unit, award_code="ldtt", first_year=2024, last_year=2024,
        decision_number="120/QĐ-BTN", decided_on=D, source=AwardSource.ISSUED,
    )  # fmt: skip
    header = [*HEADER, "Ngày sinh"]
    data = xlsx({"DS": [
        header,
        [*row(1, "Nguyễn Văn An", "Vụ A", "LĐTT"), "02/03/1980"],  # already in the register
        [*row(2, "Nguyễn Văn An", "Vụ A", "Bằng khen của Bộ trưởng"), "02/03/1980"],
        [*row(3, "Phạm Mới", "Vụ A", "LĐTT"), "01/01/1990"],  # nobody: a new person in Vụ A
    ]})  # fmt: skip

    result = legacy.import_award_list(actor=officer_a, data=data, filename="ds.xlsx")

    assert (result["created"], result["linked"], result["people_created"]) == (2, 1, 1)
    assert AwardRecord.objects.filter(person=staff["an"], award_code="ldtt").get() == existing
    new = Person.objects.get(full_name="Phạm Mới")
    assert (new.current_unit, new.birth_date) == (staff["an"].current_unit, datetime.date(1990, 1, 1))
    records = AwardRecord.objects.exclude(pk=existing.pk)
    assert {r.source for r in records} == {AwardSource.IMPORTED}
    events = AuditEvent.objects.filter(event="award.import", object_type="org.awardrecord")
    assert events.count() == 2
    # one event per created record, naming it, its unit and what was written (bulk-written, not summed up)
    by_record = {e.object_id: e for e in events}
    assert set(by_record) == {str(r.pk) for r in records}
    for r in records:
        e = by_record[str(r.pk)]
        assert (e.action, e.actor_id, e.unit_id_ref, e.at is not None) == (
            "create",
            officer_a.pk,
            r.unit_id,
            True,
        )
        assert e.changes == {
            "award_code": r.award_code, "last_year": r.last_year, "decision_number": r.decision_number,
            "decided_on": r.decided_on.isoformat(), "source": "imported",
        }  # fmt: skip
    assert [r["outcome"] for r in result["report"]] == ["Đã có", "Thêm mới", "Thêm mới"]

    again = legacy.import_award_list(actor=officer_a, data=data, filename="ds.xlsx")
    assert (again["created"], again["linked"]) == (0, 3)
    assert AwardRecord.objects.count() == 3


def test_a_tampered_choice_outside_the_offered_candidates_writes_nothing(staff, officer_a):
    parsed = legacy.parse_and_match(
        xlsx(
            {
                "DS": [
                    HEADER,
                    row(1, "Nguyen Van An", "Vụ A", "LĐTT"),
                    row(2, "Trần Thị Bình", "Phòng 1 Vụ A", "LĐTT"),
                ]
            }
        ),
        "ds.xlsx",
        actor=officer_a,
    )
    first = parsed.rows[0]
    assert first.status == "review"

    with pytest.raises(legacy.ServiceError):
        legacy.write_award_list(
            actor=officer_a,
            parsed=parsed,
            choices={first.index: f"p:{staff['cuong_b'].pk}"},
            source="ds.xlsx",
        )
    assert AwardRecord.objects.count() == 0


# ---------------------------------------------------------------------------------------------- pages


def _upload(client, data, name, capture):
    with capture(execute=True):
        response = client.post(reverse("awards:legacy_import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(kind="awards.legacy_parse")


def test_upload_review_confirm_and_report(client, staff, officer_a, django_capture_on_commit_callbacks):
    client.force_login(officer_a)
    data = docx_list([(["Quyết định số 120/QĐ-BTN ngày 15/01/2024"], [
        ["STT", "Họ và tên", "Đơn vị", "Danh hiệu"],
        ["1", "Nguyen Van An", "Vụ A", "LĐTT"],
        ["2", "Trần Thị Bình", "Phòng 1 Vụ A", "Chiến sĩ thi đua cơ sở"],
    ])])  # fmt: skip

    job = _upload(client, data, "danh-sach.docx", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE
    review_url = reverse("awards:legacy_review", args=[job.pk])
    assert review_url in client.get(reverse("core:job_detail", args=[job.pk])).content.decode()

    page = client.get(review_url).content.decode()
    assert "Tên chỉ giống khi bỏ dấu." in page
    index = job.result["parsed"]["rows"][0]["index"]
    assert f'name="row-{index}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url, {f"row-{index}": f"p:{staff['an'].pk}"})
    write = Job.objects.get(kind="awards.legacy_write")
    assert response.url == reverse("core:job_detail", args=[write.pk])
    assert write.status == JobStatus.DONE, write.message
    assert AwardRecord.objects.filter(
        person=staff["an"], award_code="ldtt", decision_number="120/QĐ-BTN"
    ).exists()
    assert AwardRecord.objects.filter(person=staff["binh"], award_code="cstd_co_so").exists()

    report = client.get(reverse("awards:legacy_report", args=[write.pk])).content.decode()
    assert "Thêm mới" in report and "Nguyen Van An" in report
    download = client.get(reverse("awards:legacy_report", args=[write.pk]) + "?format=xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    values = [[c.value for c in r] for r in wb.active.iter_rows()]
    assert values[1][2:] == ["Nguyen Van An", "Lao động tiên tiến", 2024, "120/QĐ-BTN", "Thêm mới"]


def test_review_without_a_choice_for_a_row_with_several_candidates_writes_nothing(
    client, staff, officer_a, tree, django_capture_on_commit_callbacks
):
    person(tree["a"], family_name="Nguyễn", middle_name="Văn", given_name="An", code="A9")
    client.force_login(officer_a)
    job = _upload(client, xlsx({"DS": [HEADER, row(1, "Nguyễn Văn An", "Vụ A", "LĐTT")]}), "a.xlsx",
                  django_capture_on_commit_callbacks)  # fmt: skip

    response = client.post(reverse("awards:legacy_review", args=[job.pk]), {})

    assert response.status_code == 400
    assert "DS, dòng 2 (Nguyễn Văn An): hãy chọn một cách xử lý." in response.content.decode()
    assert not Job.objects.filter(kind="awards.legacy_write").exists()


def test_file_errors_are_listed_with_file_sheet_row_and_column(
    client, staff, officer_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    data = xlsx({"DS": [HEADER, row(1, "Nguyễn Văn An", "Vụ A", "Huy chương vàng")]})

    job = _upload(client, data, "loi.xlsx", django_capture_on_commit_callbacks)

    assert job.status == JobStatus.FAILED
    page = client.get(reverse("awards:legacy_review", args=[job.pk])).content.decode()
    assert "Danh hiệu/Hình thức (E)" in page and "Huy chương vàng" in page
    assert "Xác nhận và ghi vào sổ" not in page


def test_another_officer_gets_404_for_the_review_and_the_report(
    client, staff, officer_a, tree, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    job = _upload(client, xlsx({"DS": [HEADER, row(1, "Nguyễn Văn An", "Vụ A", "LĐTT")]}), "a.xlsx",
                  django_capture_on_commit_callbacks)  # fmt: skip
    other = make_user("officer_root", "officer", tree["root"])
    client.force_login(other)

    assert client.get(reverse("awards:legacy_review", args=[job.pk])).status_code == 404
    assert client.get(reverse("awards:legacy_report", args=[job.pk])).status_code == 404
