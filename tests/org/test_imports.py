"""Importing people, yearly evaluations and award records from Excel: validation, all-or-nothing."""

from __future__ import annotations

import datetime

import openpyxl
import pytest

from tdkt.core import imports
from tdkt.core.models import AuditEvent
from tdkt.org.imports import IMPORTERS
from tdkt.org.models import AwardRecord, Discipline, Evaluation, Leave, Person, Position
from tests.factories import person

PEOPLE_HEADER = [
    "Mã cán bộ",
    "Họ",
    "Tên đệm",
    "Tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Số định danh cá nhân",
    "Chức vụ",
    "Loại cán bộ",
    "Lao động trực tiếp",
    "Lãnh đạo, quản lý",
    "Mã đơn vị",
    "Ngày vào cơ quan",
]


def xlsx(path, header, rows, sheet="Cán bộ"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path.read_bytes()


def person_row(n, unit="VU-A", **over):
    row = {
        "code": f"NV{n:03d}",
        "family": "Nguyễn",
        "middle": "Văn",
        "given": f"Tên{n}",
        "gender": "Nam",
        "birth": f"{(n % 27) + 1:02d}/03/1990",
        "ethnicity": "Kinh",
        "id": f"0010900{n:05d}",
        "position": "Chuyên viên",
        "employment": "Công chức",
        "direct": "",
        "leader": "",
        "unit": unit,
        "joined": datetime.datetime(2015, 1, 1),
    }
    row.update(over)
    return list(row.values())


def run(data, kind, actor):
    return imports.run(data, IMPORTERS[kind], actor=actor, source="test.xlsx")


def test_people_import_creates_people_with_positions_and_one_audit_event_each(tmp_path, tree, officer_a):
    data = xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, [person_row(1), person_row(2, unit="VU-A-P1")])

    result = run(data, "people", officer_a)

    assert (result["created"], result["updated"], result["unchanged"], result["errors"]) == (2, 0, 0, [])
    p = Person.objects.get(code="NV001")
    assert p.full_name == "Nguyễn Văn Tên1"
    assert p.search_text.startswith("nguyen van ten1")
    assert p.birth_date == datetime.date(1990, 3, 2)
    assert p.joined == datetime.date(2015, 1, 1)
    assert p.id_number == "001090000001"
    assert p.current_unit == tree["a"]
    assert Position.objects.get(person=p, end__isnull=True).unit == tree["a"]
    assert AuditEvent.objects.filter(event="person.import", action="create").count() == 2
    assert AuditEvent.objects.filter(event="person.import", object_type="org.import").count() == 1


def test_reimporting_the_same_file_changes_nothing(tmp_path, tree, officer_a):
    data = xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, [person_row(n) for n in range(1, 6)])
    run(data, "people", officer_a)
    events = AuditEvent.objects.count()
    stamps = dict(Person.objects.values_list("code", "updated_at"))

    again = run(data, "people", officer_a)

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 5)
    assert AuditEvent.objects.count() == events + 1  # the summary only
    assert AuditEvent.objects.latest("id").event == "person.import"
    assert dict(Person.objects.values_list("code", "updated_at")) == stamps
    assert Position.objects.filter(person__code__startswith="NV").count() == 5


def test_one_bad_row_among_ten_good_writes_nothing(tmp_path, tree, officer_a):
    rows = [person_row(n) for n in range(1, 11)] + [person_row(11, birth="31/02/1990")]
    data = xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, rows)
    events = AuditEvent.objects.count()

    result = run(data, "people", officer_a)

    assert result["created"] == 0 and result["error_count"] == 1
    assert result["errors"][0]["text"] == (
        "Sheet 'Cán bộ', dòng 12, cột 'Ngày sinh': '31/02/1990' không phải ngày hợp lệ (định dạng dd/mm/yyyy)"
    )
    assert not Person.objects.filter(code__startswith="NV").exists()
    assert AuditEvent.objects.count() == events


def test_update_changes_only_what_differs_and_audits_the_difference(tmp_path, tree, officer_a):
    run(xlsx(tmp_path / "a.xlsx", PEOPLE_HEADER, [person_row(1), person_row(2)]), "people", officer_a)

    result = run(
        xlsx(tmp_path / "b.xlsx", PEOPLE_HEADER, [person_row(1, position="Phó Trưởng phòng"), person_row(2)]),
        "people",
        officer_a,
    )

    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 1)
    event = AuditEvent.objects.get(event="person.import", action="update")
    assert event.changes == {"position": ["Chuyên viên", "Phó Trưởng phòng"]}
    assert Person.objects.get(code="NV001").position == "Phó Trưởng phòng"


def test_changed_unit_is_a_transfer_that_keeps_history(tmp_path, tree, officer_a):
    run(xlsx(tmp_path / "a.xlsx", PEOPLE_HEADER, [person_row(1)]), "people", officer_a)

    result = run(
        xlsx(tmp_path / "b.xlsx", PEOPLE_HEADER, [person_row(1, unit="VU-A-P1")]), "people", officer_a
    )

    assert result["updated"] == 1 and result["transferred"] == 1
    p = Person.objects.get(code="NV001")
    assert p.current_unit == tree["a1"]
    history = list(Position.objects.filter(person=p).order_by("start", "id").values_list("unit__code", "end"))
    assert [h[0] for h in history] == ["VU-A", "VU-A-P1"]
    assert history[0][1] is not None and history[1][1] is None


def test_header_matching_ignores_case_accents_spaces_and_a_title_row(tmp_path, tree, officer_a):
    header = ["  MÃ  CÁN BỘ ", "ho", "ten dem", "TÊN", "giới tính", "ma don vi"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["DANH SÁCH CÁN BỘ NĂM 2024"])
    ws.append(header)
    ws.append(["X1", "Lê", "", "Hoa", "nữ", "vu-a"])
    wb.save(tmp_path / "h.xlsx")

    result = run((tmp_path / "h.xlsx").read_bytes(), "people", officer_a)

    assert result["created"] == 1, result["errors"]
    hoa = Person.objects.get(code="X1")
    assert (hoa.gender, hoa.current_unit, hoa.full_name) == ("female", tree["a"], "Lê Hoa")


def test_duplicate_code_in_the_file_names_both_rows(tmp_path, tree, officer_a):
    data = xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, [person_row(1), person_row(2, code="NV001")])

    result = run(data, "people", officer_a)

    assert [e["text"] for e in result["errors"]] == [
        "Sheet 'Cán bộ', dòng 3, cột 'Mã cán bộ': Mã cán bộ 'NV001' trùng với dòng 2."
    ]
    assert not Person.objects.filter(code="NV001").exists()


def test_duplicate_id_number_in_the_file_names_both_rows(tmp_path, tree, officer_a):
    data = xlsx(
        tmp_path / "p.xlsx", PEOPLE_HEADER, [person_row(1), person_row(2), person_row(3, id="001090000001")]
    )

    result = run(data, "people", officer_a)

    assert result["errors"][0]["row"] == 4
    assert result["errors"][0]["column"] == "Số định danh cá nhân"
    assert result["errors"][0]["message"] == "Số định danh 001090000001 trùng với dòng 2."


def test_id_number_already_held_by_a_person_in_scope_names_that_person(tmp_path, tree, officer_a):
    person(
        tree["a"], code="OLD1", family_name="Hồ", middle_name="", given_name="Lan", id_number="001090000009"
    )
    data = xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, [person_row(9)])

    result = run(data, "people", officer_a)

    assert result["errors"][0]["message"] == "Số định danh 001090000009 đã có ở hồ sơ cán bộ OLD1 (Hồ Lan)."
    assert not Person.objects.filter(code="NV009").exists()


def test_rows_outside_the_officers_scope_refuse_the_whole_file(tmp_path, tree, people, officer_a):
    data = xlsx(
        tmp_path / "p.xlsx",
        PEOPLE_HEADER,
        [person_row(1), person_row(2, unit="VU-B"), person_row(3, code="CB003")],  # CB003 works in Vụ B
    )

    result = run(data, "people", officer_a)

    messages = {(e["row"], e["message"]) for e in result["errors"]}
    assert messages == {
        (3, "Không có đơn vị mã 'VU-B' trong phạm vi bạn được nhập."),
        (4, "Mã cán bộ này thuộc một hồ sơ ngoài phạm vi của bạn."),
    }
    assert not Person.objects.filter(code="NV001").exists()
    assert Person.objects.get(code="CB003").current_unit == tree["b"]


def test_bad_values_are_reported_by_row_and_column(tmp_path, tree, officer_a):
    rows = [
        person_row(1, gender="Khác"),
        person_row(2, id="12345"),
        person_row(3, unit="KHONG-CO"),
        person_row(4, given=""),
        person_row(5, birth="1990-03-02"),
    ]

    result = run(xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, rows), "people", officer_a)

    found = {(e["row"], e["column"]) for e in result["errors"]}
    assert found == {
        (2, "Giới tính"),
        (3, "Số định danh cá nhân"),
        (4, "Mã đơn vị"),
        (5, "Tên"),
        (6, "Ngày sinh"),
    }
    assert "Không được để trống." in {e["message"] for e in result["errors"]}


def test_dates_as_text_and_as_real_excel_dates_are_both_accepted(tmp_path, tree, officer_a):
    rows = [person_row(1, birth="5/7/1988"), person_row(2, birth=datetime.datetime(1988, 7, 5))]

    run(xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, rows), "people", officer_a)

    assert set(Person.objects.filter(code__in=["NV001", "NV002"]).values_list("birth_date", flat=True)) == {
        datetime.date(1988, 7, 5)
    }


def test_a_file_without_a_required_column_is_refused_as_a_whole(tmp_path, tree, officer_a):
    data = xlsx(tmp_path / "p.xlsx", ["Mã cán bộ", "Họ", "Tên", "Giới tính"], [["A", "B", "C", "Nam"]])

    with pytest.raises(imports.ImportFileError) as exc:
        run(data, "people", officer_a)

    assert str(exc.value) == "Sheet 'Cán bộ' thiếu cột bắt buộc: 'Mã đơn vị'."


# ---------------------------------------------------------------------------------------------- evaluations

EVAL_HEADER = [
    "Mã cán bộ",
    "Mã tập thể",
    "Năm",
    "Xếp loại",
    "Số tháng công tác",
    "Hình thức kỷ luật",
    "Ngày kỷ luật",
    "Loại nghỉ",
    "Nghỉ từ ngày",
    "Nghỉ đến ngày",
]


@pytest.fixture
def collective_a(tree):
    from tdkt.org.models import Collective

    return Collective.objects.create(unit=tree["a"], kind="unit", code="TT-A", name="Tập thể Vụ A")


def test_evaluations_import_ratings_discipline_and_leave_and_reimport_is_a_no_op(
    tmp_path, tree, people, officer_a, collective_a
):
    rows = [
        ["CB001", "", 2023, "htxs", 12, "", "", "", "", ""],
        [
            "CB001",
            "",
            2024,
            "Hoàn thành tốt nhiệm vụ",
            12,
            "",
            "",
            "Nghỉ thai sản",
            "01/03/2024",
            "31/08/2024",
        ],
        ["CB002", "", 2024, "kht", 10, "Khiển trách", "15/06/2024", "", "", ""],
        ["", "TT-A", 2024, "HOÀN THÀNH XUẤT SẮC", "", "", "", "", "", ""],
    ]
    data = xlsx(tmp_path / "e.xlsx", EVAL_HEADER, rows, sheet="Đánh giá")

    first = run(data, "evaluations", officer_a)
    events = AuditEvent.objects.count()
    again = run(data, "evaluations", officer_a)

    assert (first["created"], first["errors"]) == (4, [])
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 4)
    assert AuditEvent.objects.count() == events + 1
    an = people["an"]
    assert dict(Evaluation.objects.filter(person=an).values_list("year", "rating")) == {
        2023: "htxs",
        2024: "htt",
    }
    assert Evaluation.objects.get(collective=collective_a).rating == "htxs"
    assert Leave.objects.get(person=an).days == 184
    assert Discipline.objects.get(person=people["binh"]).form == "khien_trach"


def test_evaluation_update_counts_as_updated(tmp_path, tree, people, officer_a):
    run(
        xlsx(tmp_path / "a.xlsx", EVAL_HEADER, [["CB001", "", 2024, "ht", 12]], sheet="Đánh giá"),
        "evaluations",
        officer_a,
    )

    result = run(
        xlsx(tmp_path / "b.xlsx", EVAL_HEADER, [["CB001", "", 2024, "htt", 12]], sheet="Đánh giá"),
        "evaluations",
        officer_a,
    )

    assert (result["created"], result["updated"]) == (0, 1)
    assert Evaluation.objects.get(person=people["an"], year=2024).rating == "htt"


def test_evaluation_errors_unknown_person_other_unit_bad_rating_duplicate_year(
    tmp_path, tree, people, officer_a
):
    rows = [
        ["KHONG", "", 2024, "htt"],
        ["CB003", "", 2024, "htt"],
        ["CB001", "", 2024, "giỏi"],
        ["CB002", "", 2024, "htt"],
        ["CB002", "", 2024, "ht"],
        ["", "", 2024, "ht"],
    ]

    result = run(xlsx(tmp_path / "e.xlsx", EVAL_HEADER[:4], rows, sheet="Đánh giá"), "evaluations", officer_a)

    by_row = {e["row"]: e["message"] for e in result["errors"]}
    assert by_row[2] == "Không có cán bộ mã 'KHONG' trong phạm vi bạn được nhập."
    assert by_row[3] == "Không có cán bộ mã 'CB003' trong phạm vi bạn được nhập."  # exists, in Vụ B
    assert by_row[4].startswith("'giỏi' không thuộc các giá trị cho phép")
    assert by_row[7] == "Ghi mã cán bộ hoặc mã tập thể (một trong hai)."
    assert by_row[6] == "Đối tượng này đã có đánh giá năm 2024 ở dòng 5."
    assert not Evaluation.objects.exists()


def test_duplicate_subject_and_year_is_reported_with_both_rows(tmp_path, tree, people, officer_a):
    rows = [["CB002", "", 2024, "htt"], ["CB002", "", 2024, "ht"]]

    result = run(xlsx(tmp_path / "e.xlsx", EVAL_HEADER[:4], rows, sheet="Đánh giá"), "evaluations", officer_a)

    assert [e["text"] for e in result["errors"]] == [
        "Sheet 'Đánh giá', dòng 3, cột 'Năm': Đối tượng này đã có đánh giá năm 2024 ở dòng 2."
    ]


# ---------------------------------------------------------------------------------------------- awards

AWARD_HEADER = [
    "Mã cán bộ",
    "Mã tập thể",
    "Danh hiệu, hình thức",
    "Từ năm",
    "Đến năm",
    "Số quyết định",
    "Ngày quyết định",
    "Người ký",
    "Loại khen thưởng",
    "Cấp khen",
]


def test_awards_import_accepts_codes_and_vietnamese_names_and_reimport_is_a_no_op(
    tmp_path, tree, people, officer_a, collective_a
):
    rows = [
        ["CB001", "", "cstd_co_so", 2023, 2023, "12/QĐ-BTN", "20/12/2023", "Bộ trưởng", "", "Bộ, ngành"],
        [
            "CB001",
            "",
            "Bằng khen của bộ, ban, ngành, tỉnh",
            2022,
            2023,
            "99/QĐ-BTN",
            "15/01/2024",
            "",
            "",
            "",
        ],
        [
            "",
            "TT-A",
            "tt_ldxs",
            "",
            2024,
            "5/QĐ-BTN",
            datetime.datetime(2025, 1, 10),
            "",
            "Thành tích thường xuyên (công trạng)",
            "",
        ],
    ]
    data = xlsx(tmp_path / "k.xlsx", AWARD_HEADER, rows, sheet="Khen thưởng")

    first = run(data, "awards", officer_a)
    again = run(data, "awards", officer_a)

    assert (first["created"], first["errors"]) == (3, [])
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    bk = AwardRecord.objects.get(decision_number="99/QĐ-BTN")
    assert (bk.award_code, bk.first_year, bk.last_year, bk.decided_on) == (
        "bang_khen_bo",
        2022,
        2023,
        datetime.date(2024, 1, 15),
    )
    assert AwardRecord.objects.get(collective=collective_a).first_year == 2024
    assert AwardRecord.objects.get(decision_number="12/QĐ-BTN").issuer_level == "ministry"


def test_award_with_unknown_code_or_reversed_years_is_refused(tmp_path, tree, people, officer_a):
    rows = [
        ["CB001", "", "huy chương vàng", 2023, 2023, "1/QĐ", "20/12/2023"],
        ["CB001", "", "ldtt", 2024, 2023, "2/QĐ", "20/12/2023"],
        ["CB001", "", "ldtt", 2023, 2023, "3/QĐ", "20.13.2023"],
    ]

    result = run(xlsx(tmp_path / "k.xlsx", AWARD_HEADER[:7], rows, sheet="Khen thưởng"), "awards", officer_a)

    assert {(e["row"], e["column"]) for e in result["errors"]} == {
        (2, "Danh hiệu, hình thức"),
        (3, "Từ năm"),
        (4, "Ngày quyết định"),
    }
    assert not AwardRecord.objects.exists()


# ---------------------------------------------------------------------------------------------- scope leaks
# An officer's file must not reveal who holds an ID number or a code outside the officer's scope.

OUTSIDER = ("CB003", "Lê Cường", "Vụ B", "VU-B")  # people["cuong"] works in Vụ B, outside officer_a's scope


def assert_reveals_nothing_about_the_outsider(message):
    for secret in OUTSIDER:
        assert secret not in message


def test_code_held_outside_scope_reveals_nothing_about_its_record(tmp_path, tree, people, officer_a):
    data = xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, [person_row(1, code="CB003")])

    result = run(data, "people", officer_a)

    assert [e["text"] for e in result["errors"]] == [
        "Sheet 'Cán bộ', dòng 2, cột 'Mã cán bộ': Mã cán bộ này thuộc một hồ sơ ngoài phạm vi của bạn."
    ]
    assert_reveals_nothing_about_the_outsider(result["errors"][0]["message"])
    assert Person.objects.get(code="CB003").full_name == "Lê Cường"


def test_an_outside_code_is_not_compared_with_the_id_number_so_they_cannot_be_linked(
    tmp_path, tree, people, officer_a
):
    """Had the ID check run, "CB003 + its own ID" (no ID error) and "CB003 + someone else's ID" (an ID
    error) would tell which ID number belongs to CB003."""
    Person.objects.filter(code="CB003").update(id_number="079093939861")
    person(tree["b"], code="CB004", id_number="079093939862")
    rows = [person_row(1, code="CB003", id="079093939861"), person_row(2, code="CB003", id="079093939862")]

    result = run(xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, rows), "people", officer_a)

    by_row = {(e["row"], e["column"]): e["message"] for e in result["errors"] if e["row"] in (2, 3)}
    assert by_row == {
        (2, "Mã cán bộ"): "Mã cán bộ này thuộc một hồ sơ ngoài phạm vi của bạn.",
        (3, "Mã cán bộ"): "Mã cán bộ này thuộc một hồ sơ ngoài phạm vi của bạn.",
    }


@pytest.mark.parametrize("kind", ["evaluations", "awards"])
def test_evaluations_and_awards_treat_an_outside_code_like_an_unknown_one(
    tmp_path, tree, people, officer_a, kind
):
    if kind == "evaluations":
        header, sheet = EVAL_HEADER[:4], "Đánh giá"
        rows = [["CB003", "", 2024, "htt"], ["KHONG-CO", "", 2024, "htt"]]
    else:
        header, sheet = AWARD_HEADER[:7], "Khen thưởng"
        rows = [
            ["CB003", "", "ldtt", 2024, 2024, "1/QĐ", "20/12/2024"],
            ["KHONG-CO", "", "ldtt", 2024, 2024, "1/QĐ", "20/12/2024"],
        ]

    result = run(xlsx(tmp_path / "x.xlsx", header, rows, sheet=sheet), kind, officer_a)

    messages = [e["message"] for e in result["errors"]]
    assert messages == [
        "Không có cán bộ mã 'CB003' trong phạm vi bạn được nhập.",
        "Không có cán bộ mã 'KHONG-CO' trong phạm vi bạn được nhập.",
    ]
    assert "Lê Cường" not in str(messages) and "Vụ B" not in str(messages)


# An ID number held outside the scope: tests/security/test_identity.py


# ------------------------------------------------------------------------------------------- impossible data


def error_texts(result):
    return [e["text"] for e in result["errors"]]


@pytest.mark.parametrize(
    ("over", "text"),
    [
        (
            {"birth": "01/03/1990", "joined": "28/02/1990"},
            "Sheet 'Cán bộ', dòng 2, cột 'Ngày vào cơ quan': "
            "Ngày vào cơ quan 28/02/1990 trước ngày sinh 01/03/1990.",
        ),
        (
            {"birth": "01/03/1990", "joined": "28/02/2005"},
            "Sheet 'Cán bộ', dòng 2, cột 'Ngày vào cơ quan': "
            "Ngày vào cơ quan 28/02/2005 khi chưa đủ 15 tuổi (sinh ngày 01/03/1990).",
        ),
        (
            {"birth": "01/01/2099", "joined": ""},
            "Sheet 'Cán bộ', dòng 2, cột 'Ngày sinh': Ngày 01/01/2099 ở tương lai.",
        ),
    ],
)
def test_impossible_birth_and_joining_dates_are_refused(tmp_path, tree, officer_a, over, text):
    result = run(xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, [person_row(1, **over)]), "people", officer_a)

    assert error_texts(result) == [text]
    assert not Person.objects.filter(code="NV001").exists()


def test_joining_at_exactly_15_is_accepted(tmp_path, tree, officer_a):
    rows = [
        person_row(1, birth="29/02/1992", joined="01/03/2007"),
        person_row(2, birth="10/05/1990", joined="10/05/2005"),
    ]

    result = run(xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, rows), "people", officer_a)

    assert result["errors"] == [] and result["created"] == 2


def test_a_joining_date_alone_is_checked_against_the_stored_date_of_birth(tmp_path, tree, people, officer_a):
    header = ["Mã cán bộ", "Họ", "Tên", "Giới tính", "Mã đơn vị", "Ngày vào cơ quan"]
    data = xlsx(tmp_path / "p.xlsx", header, [["CB001", "Nguyễn", "An", "Nam", "VU-A", "01/01/1980"]])

    result = run(data, "people", officer_a)  # CB001 was born on 01/05/1985

    assert error_texts(result) == [
        "Sheet 'Cán bộ', dòng 2, cột 'Ngày vào cơ quan': "
        "Ngày vào cơ quan 01/01/1980 trước ngày sinh 01/05/1985."
    ]
    assert Person.objects.get(code="CB001").joined == datetime.date(2010, 1, 1)


def test_discipline_outside_the_rows_year_and_leave_ending_before_it_starts_are_refused(
    tmp_path, tree, people, officer_a
):
    rows = [
        ["CB001", "", 2023, "ht", 12, "Khiển trách", "15/06/2024", "", "", ""],
        ["CB002", "", 2024, "htt", 12, "", "", "Nghỉ ốm", "10/03/2024", "09/03/2024"],
        ["CB001", "", 2024, "htt", 12, "Cảnh cáo", "20/12/2024", "Nghỉ ốm", "10/03/2024", "10/03/2024"],
    ]

    result = run(xlsx(tmp_path / "e.xlsx", EVAL_HEADER, rows, sheet="Đánh giá"), "evaluations", officer_a)

    assert error_texts(result) == [
        "Sheet 'Đánh giá', dòng 2, cột 'Ngày kỷ luật': Ngày kỷ luật 15/06/2024 không thuộc năm đánh giá 2023 "
        "của dòng này.",
        "Sheet 'Đánh giá', dòng 3, cột 'Nghỉ đến ngày': “Nghỉ đến ngày” phải sau hoặc bằng “Nghỉ từ ngày”.",
    ]
    assert not Evaluation.objects.exists() and not Discipline.objects.exists() and not Leave.objects.exists()


@pytest.mark.parametrize(
    ("first", "last", "decided", "column", "message"),
    [
        (
            2025,
            2025,
            "31/12/2024",
            "Ngày quyết định",
            "Ngày quyết định 31/12/2024 trước năm thành tích 2025: khen thưởng cho thành tích năm 2025 không "
            "thể quyết định trước ngày 01/01/2025.",
        ),
        (2024, 2024, "01/01/2099", "Ngày quyết định", "Ngày 01/01/2099 ở tương lai."),
        (2024, 2023, "20/12/2024", "Từ năm", "“Từ năm” phải nhỏ hơn hoặc bằng “Đến năm”."),
    ],
)
def test_impossible_award_dates_are_refused_and_nothing_is_written(
    tmp_path, tree, people, officer_a, first, last, decided, column, message
):
    rows = [
        ["CB001", "", "ldtt", 2023, 2023, "1/QĐ", "20/12/2023"],
        ["CB002", "", "ldtt", first, last, "2/QĐ", decided],
    ]

    result = run(xlsx(tmp_path / "k.xlsx", AWARD_HEADER[:7], rows, sheet="Khen thưởng"), "awards", officer_a)

    assert [(e["row"], e["column"], e["message"]) for e in result["errors"]] == [(3, column, message)]
    assert not AwardRecord.objects.exists()


def test_an_award_decided_on_the_first_day_of_its_last_year_is_accepted(tmp_path, tree, people, officer_a):
    rows = [["CB001", "", "ldtt", 2024, 2024, "1/QĐ", "01/01/2024"]]

    result = run(xlsx(tmp_path / "k.xlsx", AWARD_HEADER[:7], rows, sheet="Khen thưởng"), "awards", officer_a)

    assert result["errors"] == [] and result["created"] == 1


# ---------------------------------------------------------------------------------------------- work history


def test_without_a_joining_date_work_history_starts_at_the_first_evaluation_year(tmp_path, tree, officer_a):
    run(xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, [person_row(1, joined="")]), "people", officer_a)
    nv = Person.objects.get(code="NV001")
    assert nv.joined is None
    assert Position.objects.get(person=nv).start == datetime.date.today()  # nothing better is known yet
    rows = [["NV001", "", year, "htt"] for year in (2022, 2021, 2023)]
    data = xlsx(tmp_path / "e.xlsx", EVAL_HEADER[:4], rows, sheet="Đánh giá")

    run(data, "evaluations", officer_a)
    events = AuditEvent.objects.count()
    again = run(data, "evaluations", officer_a)

    assert Position.objects.get(person=nv).start == datetime.date(2021, 1, 1)
    moved = AuditEvent.objects.get(event="position.import")
    assert moved.object_id == str(nv.pk)
    assert moved.changes == {"position_start": [datetime.date.today().isoformat(), "2021-01-01"]}
    assert again["unchanged"] == 3 and AuditEvent.objects.count() == events + 1


def test_evaluations_never_move_a_known_joining_date(tmp_path, tree, people, officer_a):
    rows = [["CB001", "", 2005, "htt"]]  # before CB001 joined on 01/01/2010

    run(xlsx(tmp_path / "e.xlsx", EVAL_HEADER[:4], rows, sheet="Đánh giá"), "evaluations", officer_a)

    assert Position.objects.get(person=people["an"]).start == datetime.date(2010, 1, 1)


def test_a_joining_date_given_later_becomes_the_start_of_the_work_history(tmp_path, tree, officer_a):
    run(xlsx(tmp_path / "a.xlsx", PEOPLE_HEADER, [person_row(1, joined="")]), "people", officer_a)

    result = run(
        xlsx(tmp_path / "b.xlsx", PEOPLE_HEADER, [person_row(1, joined="01/09/2012")]), "people", officer_a
    )

    assert result["updated"] == 1
    nv = Person.objects.get(code="NV001")
    assert nv.joined == datetime.date(2012, 9, 1)
    assert list(Position.objects.filter(person=nv).values_list("start", "end")) == [
        (datetime.date(2012, 9, 1), None)
    ]


# ---------------------------------------------------------------------------------------------- labels


def test_people_file_with_vietnamese_labels_in_any_case_and_without_accents(tmp_path, tree, officer_a):
    rows = [
        person_row(1, gender="Nữ", employment="Viên chức"),
        person_row(2, gender="nu", employment="hop dong lao dong"),
        person_row(3, gender="NAM", employment="Lực lượng vũ trang (armed_forces)"),  # as the guide writes it
        person_row(4, gender="female", employment="public_employee"),  # codes still work
    ]
    data = xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, rows)

    first = run(data, "people", officer_a)
    again = run(data, "people", officer_a)

    assert first["errors"] == [] and first["created"] == 4
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 4)
    assert list(
        Person.objects.filter(code__startswith="NV").order_by("code").values_list("gender", "employment")
    ) == [
        ("female", "public_employee"),
        ("female", "contract"),
        ("male", "armed_forces"),
        ("female", "public_employee"),
    ]


def test_files_with_labels_and_with_codes_store_the_same_and_the_second_changes_nothing(
    tmp_path, tree, people, officer_a
):
    labels = [
        [
            "CB001",
            "",
            2024,
            "Hoàn thành xuất sắc nhiệm vụ",
            12,
            "Khiển trách",
            "15/06/2024",
            "Nghỉ ốm",
            "01/03/2024",
            "05/03/2024",
        ],
        ["CB002", "", 2024, "hoan thanh tot nhiem vu", 12, "", "", "", "", ""],
    ]
    codes = [
        ["CB001", "", 2024, "htxs", 12, "khien_trach", "15/06/2024", "sick", "01/03/2024", "05/03/2024"],
        ["CB002", "", 2024, "htt", 12, "", "", "", "", ""],
    ]

    first = run(xlsx(tmp_path / "l.xlsx", EVAL_HEADER, labels, sheet="Đánh giá"), "evaluations", officer_a)
    events = AuditEvent.objects.count()
    second = run(xlsx(tmp_path / "c.xlsx", EVAL_HEADER, codes, sheet="Đánh giá"), "evaluations", officer_a)

    assert first["errors"] == [] and first["created"] == 2
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 2)
    assert AuditEvent.objects.count() == events + 1
    assert dict(Evaluation.objects.values_list("person__code", "rating")) == {"CB001": "htxs", "CB002": "htt"}
    assert Discipline.objects.get().form == "khien_trach" and Leave.objects.get().kind == "sick"


def test_awards_file_with_labels(tmp_path, tree, people, officer_a):
    header = AWARD_HEADER
    rows = [
        [
            "CB001",
            "",
            "Chiến sĩ thi đua cơ sở",
            2024,
            2024,
            "7/QĐ",
            "20/12/2024",
            "",
            "Đột xuất",
            "bo, nganh",
        ],
        [
            "CB002",
            "",
            "chien si thi dua bo, ban, nganh, tinh",
            2023,
            2024,
            "8/QĐ",
            "20/12/2024",
            "",
            "",
            "Đơn vị",
        ],
    ]
    data = xlsx(tmp_path / "k.xlsx", header, rows, sheet="Khen thưởng")

    first = run(data, "awards", officer_a)
    again = run(data, "awards", officer_a)

    assert first["errors"] == [] and first["created"] == 2
    assert again["unchanged"] == 2
    assert list(
        AwardRecord.objects.order_by("decision_number").values_list("award_code", "basis", "issuer_level")
    ) == [
        ("cstd_co_so", "dot_xuat", "ministry"),
        ("cstd_bo", "cong_trang", "unit"),
    ]


def test_labels_of_the_english_template_are_accepted_too(tmp_path, tree, officer_a):
    rows = [person_row(1, gender="Female", employment="Public employee")]

    result = run(xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, rows), "people", officer_a)

    assert result["errors"] == []
    assert Person.objects.get(code="NV001").employment == "public_employee"


def test_an_unknown_value_names_a_few_accepted_labels(tmp_path, tree, people, officer_a):
    rows = [["CB001", "", "Chiến sĩ thi đua cấp cơ sở", 2024, 2024, "1/QĐ", "20/12/2024"]]

    result = run(xlsx(tmp_path / "k.xlsx", AWARD_HEADER[:7], rows, sheet="Khen thưởng"), "awards", officer_a)

    (message,) = [e["message"] for e in result["errors"]]
    assert message.startswith(
        "'Chiến sĩ thi đua cấp cơ sở' không thuộc các giá trị cho phép, ví dụ: Chiến sĩ thi đua cơ sở;"
    )
    assert message.endswith("(đủ 21 giá trị ở sheet “Hướng dẫn” và danh sách chọn của tệp mẫu).")
    assert "cstd_co_so" not in message and "Kỷ niệm chương" not in message
