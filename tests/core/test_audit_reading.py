"""Reading the audit trail in words (core/audit.py): names of events, objects and fields, and every kind
of value — choices, dates, yes/no, empty, codes, foreign keys (one query per related model)."""

from __future__ import annotations

import ast
import datetime
import pathlib

import pytest
from django.utils import timezone

from tdkt.core import audit as trail
from tdkt.core.audit import TrailReader, audit, event_codes, event_label, object_type_label, present
from tdkt.org.models import AwardRecord
from tests.factories import make_user

SRC = pathlib.Path(trail.__file__).resolve().parents[1]


@pytest.fixture
def admin(tree):
    return make_user("admin", "admin", tree["root"])


def rows_of(event) -> dict[str, dict]:
    present([event])
    return {r["label"]: r for r in event.change_rows}


def test_choices_read_as_their_labels(admin, people):
    event = audit(
        admin,
        "person.update",
        people["an"],
        action="update",
        changes={"gender": ["male", "female"], "employment": ["civil_servant", "contract"]},
    )
    rows = rows_of(event)
    assert (rows["giới tính"]["old"], rows["giới tính"]["new"]) == ("Nam", "Nữ")
    assert (rows["loại cán bộ"]["old"], rows["loại cán bộ"]["new"]) == ("Công chức", "Hợp đồng lao động")


def test_dates_read_dd_mm_yyyy_and_moments_in_local_time(admin, people):
    moment = datetime.datetime(2025, 3, 1, 1, 30, tzinfo=datetime.UTC)
    event = audit(
        admin,
        "person.update",
        people["an"],
        action="update",
        changes={"birth_date": [datetime.date(1985, 5, 1), "1990-05-17"], "checked_at": moment},
    )
    rows = rows_of(event)
    assert (rows["ngày sinh"]["old"], rows["ngày sinh"]["new"]) == ("01/05/1985", "17/05/1990")
    local = timezone.localtime(moment)
    assert rows["checked_at"]["new"] == local.strftime("%d/%m/%Y %H:%M")


def test_yes_no_and_empty_values(admin, people):
    event = audit(
        admin,
        "person.update",
        people["an"],
        action="update",
        changes={
            "leader": [False, True],
            "id_number": [None, "001085000001"],
            "position": ["", "Chuyên viên"],
        },
    )
    rows = rows_of(event)
    assert (rows["lãnh đạo, quản lý"]["old"], rows["lãnh đạo, quản lý"]["new"]) == ("Không", "Có")
    assert rows["số định danh cá nhân"]["old"] == "—"
    assert (rows["chức vụ"]["old"], rows["chức vụ"]["new"]) == ("—", "Chuyên viên")


def test_foreign_keys_read_as_names_and_a_deleted_one_as_its_number(admin, tree, people):
    event = audit(
        admin,
        "person.transfer",
        people["an"],
        changes={"current_unit": [tree["a"].pk, 987654], "on": "2025-03-01"},
    )
    rows = rows_of(event)
    assert rows["đơn vị hiện tại"]["old"] == "Vụ A"
    assert rows["đơn vị hiện tại"]["new"] == "#987654"
    assert rows["từ ngày"]["new"] == "01/03/2025" and rows["từ ngày"]["has_old"] is False


def test_the_changes_of_an_import_are_the_fields_of_the_imported_record_not_of_the_person(admin, people):
    """evaluation/discipline/leave rows are recorded against the person; their keys are the record's."""
    base = {"object_type": "org.person", "object_id": people["an"].pk, "object_repr": str(people["an"])}
    trail.audit_many(
        admin,
        [
            {
                **base,
                "event": "evaluation.import",
                "action": "create",
                "changes": {"year": 2025, "rating": "htt"},
            },
            {
                **base,
                "event": "evaluation.import",
                "action": "update",
                "changes": {"year": 2024, "rating": ["htxs", "ht"], "months_worked": [12, 10]},
            },
            {
                **base,
                "event": "discipline.import",
                "action": "create",
                "changes": {"year": 2025, "form": "khien_trach", "decided_on": datetime.date(2025, 6, 2)},
            },
            {
                **base,
                "event": "leave.import",
                "action": "create",
                "changes": {"kind": "maternity", "start": "2025-07-01", "end": "2025-12-31"},
            },
        ],
    )
    created, updated, discipline, leave = (
        rows_of(e) for e in trail.AuditEvent.objects.order_by("id").filter(event__endswith=".import")
    )
    assert created["năm"]["new"] == 2025 and created["xếp loại"]["new"] == "Hoàn thành tốt nhiệm vụ"
    assert (updated["xếp loại"]["old"], updated["xếp loại"]["new"]) == (
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành nhiệm vụ",
    )
    assert (updated["số tháng công tác"]["old"], updated["số tháng công tác"]["new"]) == (12, 10)
    assert discipline["hình thức kỷ luật"]["new"] == "Khiển trách"
    assert discipline["ngày quyết định"]["new"] == "02/06/2025"
    assert leave["loại nghỉ"]["new"] == "Nghỉ thai sản" and leave["đến ngày"]["new"] == "31/12/2025"


def test_a_created_record_shows_values_not_pairs_and_unnamed_fields_get_a_vietnamese_label(
    admin, tree, people
):
    award = AwardRecord.objects.create(
        person=people["an"],
        unit=tree["a"],
        award_code="cstd_co_so",
        first_year=2023,
        last_year=2024,
        decision_number="12/QĐ",
        decided_on=datetime.date(2024, 12, 20),
    )
    event = audit(
        admin,
        "award.import",
        award,
        action="create",
        changes={
            "award_code": "cstd_co_so",
            "person": people["an"].pk,
            "collective": None,
            "period": [2023, 2024],
        },
    )
    rows = rows_of(event)
    assert rows["danh hiệu, hình thức"]["new"] == "Chiến sĩ thi đua cơ sở"
    assert rows["cán bộ"]["new"] == "Nguyễn Văn An"  # AwardRecord.person has no verbose_name of its own
    assert rows["tập thể"]["new"] == "—"
    assert rows["period"]["has_old"] is False and rows["period"]["new"] == "2023, 2024"


def test_codes_in_values_no_field_describes_read_by_name(admin):
    """A detail (not a field) holding codes: discipline forms, award codes, ratings by their names; a
    list of two that is one value (a legal default) is not read as old → new."""
    event = audit(
        admin,
        "x.detail",
        None,
        object_type="org.import",
        action="update",
        changes={"legal_default": ["khien_trach", "canh_cao"], "award": "ldtt", "rating": ["htt", "htxs"]},
    )
    rows = rows_of(event)
    assert rows["mức luật định"]["has_old"] is False
    assert rows["mức luật định"]["new"] == "Khiển trách, Cảnh cáo"
    assert rows["danh hiệu, hình thức"]["new"] == "Lao động tiên tiến"
    assert (rows["rating"]["old"], rows["rating"]["new"]) == (
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành xuất sắc nhiệm vụ",
    )


def test_foreign_keys_of_a_whole_page_cost_one_query_per_related_model(
    admin, tree, people, django_assert_num_queries
):
    def page(n):
        for i in range(n):
            audit(
                admin,
                "person.transfer",
                people["an"],
                changes={"current_unit": [tree["a"].pk, tree["b" if i % 2 else "a1"].pk]},
            )
            audit(
                admin,
                "role.assign",
                None,
                object_type="accounts.roleassignment",
                changes={"unit": tree["b"].pk},
            )
            audit(
                admin,
                "award.import",
                None,
                object_type="org.awardrecord",
                action="create",
                changes={"person": people["binh"].pk, "unit": tree["root"].pk},
            )
        return list(trail.AuditEvent.objects.order_by("-id")[: 3 * n])

    for n in (5, 50):
        events = page(n)
        with django_assert_num_queries(2):  # units, people
            reader = TrailReader(events)
        assert {"Vụ A", "Vụ B", "Phòng 1 Vụ A", "Bộ Thử nghiệm"} <= set(
            reader.names[type(tree["a"])].values()
        )


def test_names_of_events_and_objects():
    assert event_label("person.create") == "Thêm cán bộ"
    assert event_label("import.people") == event_label("person.import") == "Nhập danh sách cán bộ từ Excel"
    assert event_codes("person.import") == ["import.people", "person.import"]
    assert event_codes("import.awards") == ["award.import", "import.awards"]
    assert event_label("nobody.knows") == "nobody.knows"
    assert object_type_label("org.person") == "cá nhân"
    assert object_type_label("rulebook.agencysetting") == "cài đặt của cơ quan"
    assert object_type_label("org.import") == "tệp nhập dữ liệu"
    assert object_type_label("no.such") == "no.such"


def _written_event_codes() -> set[str]:
    """Event codes the sources write: audit(actor, "code", …) and {"event": "code", …} (audit_many)."""
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name.startswith("test"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "audit"
                and len(node.args) >= 2
            ):
                arg = node.args[1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    codes.add(arg.value)
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "event"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        codes.add(value.value)
    return codes


def test_every_event_the_sources_write_has_a_name():
    codes = _written_event_codes()
    assert {"person.create", "person.import", "rulebook.setting_change", "user.login", "demo.load"} <= codes
    unnamed = sorted(c for c in codes if event_label(c) == c)
    assert unnamed == []
