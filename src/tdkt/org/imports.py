"""What can be imported into the organisation from Excel: people, yearly evaluations, award records.

Each kind is a column spec plus a row validator (`parse`), a whole-file check (`check`: duplicates,
references, the importing officer's scope) and `write`, which hands the records to the one service of
org/services.py that writes them. The pipeline itself is core/imports.py.

Messages never describe a record outside the importer's scope, and an ID number held outside it gets
exactly the answer a fresh number gets (the row is written; the ministry's TĐKT department reviews
the clash: services.open_identity_reviews), so a file cannot be used to test whose a number is. For
evaluations and awards an out-of-scope code reads like an unknown one.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.accounts.scope import Scope, scope_for
from tdkt.core.imports import Column, Errors, Row, Spec, chunks
from tdkt.core.text import fold, is_digits
from tdkt.org import services
from tdkt.org.enums import (
    AwardBasis,
    AwardCode,
    DisciplineForm,
    Employment,
    Gender,
    InitiativeKind,
    InitiativeScope,
    IssuerLevel,
    LeaveKind,
    Rating,
)
from tdkt.org.models import Collective, Person, Unit

IMPORT_ACTION = "org.import"
PRIVATE_ACTION = "org.view_private"  # who may see a person's ID number
MIN_AGE_AT_JOINING = 15  # Bộ luật Lao động 2019, Điều 3 khoản 1: độ tuổi lao động tối thiểu


def _person_lookup(codes) -> dict[str, Person]:
    """Lower-cased code -> person (codes are unique whatever their case)."""
    return services.by_code(Person, codes, related="current_unit")


def _collective_lookup(codes) -> dict[str, Collective]:
    return services.by_code(Collective, codes, related="unit")


def _year_bounds() -> tuple[int, int]:
    return 1945, timezone.localdate().year + 1


def _d(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, month=3, day=1)


def _in_future(row: Row, key: str, value: datetime.date | None) -> bool:
    """Records an error and returns True when `value` is after today."""
    if value and value > timezone.localdate():
        row.error(key, _("Ngày %(d)s ở tương lai.") % {"d": _d(value)})
        return True
    return False


def _joining_problem(birth: datetime.date | None, joined: datetime.date | None) -> str | None:
    """Why a joining date cannot go with a date of birth, or None."""
    if not (birth and joined):
        return None
    if joined < birth:
        return _("Ngày vào cơ quan %(joined)s trước ngày sinh %(birth)s.") % {
            "joined": _d(joined),
            "birth": _d(birth),
        }
    if joined < _add_years(birth, MIN_AGE_AT_JOINING):
        return _("Ngày vào cơ quan %(joined)s khi chưa đủ %(age)s tuổi (sinh ngày %(birth)s).") % {
            "joined": _d(joined),
            "age": MIN_AGE_AT_JOINING,
            "birth": _d(birth),
        }
    return None


def _first_rows(records, key_of) -> dict[Any, int]:
    """Key -> first row number; used to name both rows of a duplicate."""
    first: dict[Any, int] = {}
    for record in records:
        key = key_of(record)
        if key is not None:
            first.setdefault(key, record["_row"])
    return first


# ---------------------------------------------------------------------------------------------- people


def _id_number(row: Row) -> str | None:
    value = row.raw("id_number")
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
        if len(text) in (10, 11):  # a number-formatted cell lost the leading zeros of a 12-digit ID
            text = text.zfill(12)
    else:
        text = "".join(str(value).split())
    if not text:
        return None
    if not is_digits(text) or len(text) not in (9, 12):
        row.error(
            "id_number",
            _("'%(value)s' không hợp lệ: số định danh cá nhân gồm 12 chữ số (hoặc 9 chữ số CMND cũ).")
            % {"value": text},
        )
        return None
    return text


class PeopleImporter:
    spec = Spec(
        kind="people",
        title=gettext_lazy("Danh sách cán bộ"),
        sheet="Cán bộ",
        columns=(
            Column(
                "code",
                "Mã cán bộ",
                ("Mã CB", "Mã số cán bộ"),
                required=True,
                text=True,
                example="CB0001",
                help=gettext_lazy("Mã duy nhất của cán bộ; nhập lại cùng mã thì cập nhật hồ sơ đó."),
            ),
            Column(
                "family_name", "Họ", required=True, example="Nguyễn", width=12, help=gettext_lazy("Bắt buộc.")
            ),
            Column("middle_name", "Tên đệm", ("Tên lót", "Đệm"), example="Văn", width=12),
            Column(
                "given_name", "Tên", required=True, example="An", width=10, help=gettext_lazy("Bắt buộc.")
            ),
            Column(
                "gender", "Giới tính", required=True, example=Gender.MALE, width=10, choices=Gender.choices
            ),
            Column(
                "birth_date",
                "Ngày sinh",
                example=datetime.date(1985, 5, 1),
                width=12,
                help=gettext_lazy("Ngày dd/mm/yyyy (ô kiểu ngày hoặc văn bản); không ở tương lai."),
            ),
            Column("ethnicity", "Dân tộc", example="Kinh", width=10),
            Column(
                "id_number",
                "Số định danh cá nhân",
                ("Số định danh", "CCCD", "Số CCCD", "CMND", "Số CMND"),
                text=True,
                example="001085000123",
                width=16,
                help=gettext_lazy("12 chữ số (hoặc 9 chữ số CMND cũ); không trùng với người khác."),
            ),
            Column("position", "Chức vụ", example="Chuyên viên", width=18),
            Column(
                "job_title", "Chức danh", ("Ngạch", "Chức danh nghề nghiệp"), example="Chuyên viên", width=18
            ),
            Column(
                "employment",
                "Loại cán bộ",
                example=Employment.CIVIL_SERVANT,
                width=16,
                choices=Employment.choices,
                help=gettext_lazy("Để trống là công chức."),
            ),
            Column(
                "direct_worker",
                "Lao động trực tiếp",
                ("Người lao động trực tiếp",),
                width=10,
                help=gettext_lazy("“Có” hoặc để trống."),
            ),
            Column(
                "leader",
                "Lãnh đạo, quản lý",
                ("Lãnh đạo", "Lãnh đạo quản lý"),
                width=10,
                help=gettext_lazy("“Có” hoặc để trống."),
            ),
            Column(
                "unit_code",
                "Mã đơn vị",
                required=True,
                text=True,
                example="VU-A",
                width=12,
                help=gettext_lazy(
                    "Mã đơn vị công tác hiện tại, trong phạm vi bạn được nhập; "
                    "đổi mã đơn vị là điều động (giữ lịch sử)."
                ),
            ),
            Column(
                "joined",
                "Ngày vào cơ quan",
                ("Ngày tuyển dụng",),
                example=datetime.date(2010, 1, 1),
                width=12,
                help=gettext_lazy(
                    "Ngày dd/mm/yyyy; sau ngày sinh, khi đã đủ 15 tuổi. Để trống nếu chưa rõ: quá trình "
                    "công tác khi đó bắt đầu từ ngày nhập, rồi lùi về 01/01 của năm đánh giá sớm nhất."
                ),
            ),
        ),
    )

    def parse(self, row: Row) -> dict[str, Any] | None:
        record: dict[str, Any] = {
            "code": row.code("code", required=True, max_length=30),
            "family_name": row.text("family_name", required=True, max_length=50),
            "given_name": row.text("given_name", required=True, max_length=50),
            "gender": row.choice("gender", required=True),
            "unit_code": row.code("unit_code", required=True, max_length=30),
        }
        optional = {
            "middle_name": lambda: row.text("middle_name", max_length=80),
            "birth_date": lambda: row.date("birth_date"),
            "ethnicity": lambda: row.text("ethnicity", max_length=40),
            "id_number": lambda: _id_number(row),
            "position": lambda: row.text("position", max_length=120),
            "job_title": lambda: row.text("job_title", max_length=120),
            "employment": lambda: row.choice("employment") or Employment.CIVIL_SERVANT,
            "direct_worker": lambda: row.boolean("direct_worker"),
            "leader": lambda: row.boolean("leader"),
            "joined": lambda: row.date("joined"),
        }
        for key, read in optional.items():
            if row.has(key):
                record[key] = read()
        future = [_in_future(row, key, record.get(key)) for key in ("birth_date", "joined")]
        if not any(future) and (problem := _joining_problem(record.get("birth_date"), record.get("joined"))):
            row.error("joined", problem)
        return record

    def check(self, records: list[dict[str, Any]], *, actor, errors: Errors) -> None:
        scope = scope_for(actor, IMPORT_ACTION)
        private = scope_for(actor, PRIVATE_ACTION)
        first_code = _first_rows(records, lambda r: r["code"].casefold())
        first_id = _first_rows(records, lambda r: r.get("id_number"))
        for r in records:
            first = first_code[r["code"].casefold()]
            if first != r["_row"]:
                errors.add(
                    r["_row"],
                    "code",
                    _("Mã cán bộ '%(code)s' trùng với dòng %(row)s.") % {"code": r["code"], "row": first},
                )
            if r.get("id_number") and first_id[r["id_number"]] != r["_row"]:
                errors.add(
                    r["_row"],
                    "id_number",
                    _("Số định danh %(n)s trùng với dòng %(row)s.")
                    % {"n": r["id_number"], "row": first_id[r["id_number"]]},
                )
        units = services.by_code(Unit, (r["unit_code"] for r in records))
        existing = _person_lookup(r["code"] for r in records)
        holders: dict[str, Person] = {}  # the undisputed holder of each ID number of the file
        for part in chunks(r.get("id_number") for r in records):
            holders.update(
                {
                    p.id_number: p
                    for p in Person.objects.filter(
                        id_number__in=part, id_number_disputed=False
                    ).select_related("current_unit")
                }
            )
        for r in records:
            unit = units.get(r["unit_code"].lower())
            if unit is None or not scope.covers(unit):
                errors.add(
                    r["_row"],
                    "unit_code",
                    _("Không có đơn vị mã '%(code)s' trong phạm vi bạn được nhập.")
                    % {"code": r["unit_code"]},
                )
            else:
                r["unit_id"] = unit.pk
            person = existing.get(r["code"].lower())
            if person is not None and not scope.covers(person.current_unit):
                # Codes are the agency's, not personal data: the file learns that this one is taken,
                # nothing else (not even whether the ID number matches).
                errors.add(r["_row"], "code", _("Mã cán bộ này thuộc một hồ sơ ngoài phạm vi của bạn."))
                continue
            self._check_dates_against_stored(r, person, errors)
            holder = holders.get(r.get("id_number") or "")
            if holder is None or (person is not None and holder.pk == person.pk):
                continue
            if not scope.covers(holder.current_unit):
                # The same path as a fresh number: the row is written, the number marked disputed and
                # the ministry's TĐKT department reviews it (services.open_identity_reviews).
                r["id_holder_id"] = holder.pk
                continue
            if _may_name(holder, scope, private):
                message = _("Số định danh %(n)s đã có ở hồ sơ cán bộ %(code)s (%(name)s).") % {
                    "n": r["id_number"],
                    "code": holder.code,
                    "name": holder.full_name,
                }
            else:
                message = _("Số định danh %(n)s đã có ở một hồ sơ khác trong đơn vị.") % {"n": r["id_number"]}
            errors.add(r["_row"], "id_number", message)

    @staticmethod
    def _check_dates_against_stored(r: dict[str, Any], person: Person | None, errors: Errors) -> None:
        """A file with only one of the two dates is checked against the other one already stored."""
        if person is None or ("birth_date" in r) == ("joined" in r):
            return  # both in the row were checked by `parse`; neither: nothing changes
        birth = r["birth_date"] if "birth_date" in r else person.birth_date
        joined = r["joined"] if "joined" in r else person.joined
        if problem := _joining_problem(birth, joined):
            errors.add(r["_row"], "joined" if "joined" in r else "birth_date", problem)

    def write(self, records: list[dict[str, Any]], *, actor, source: str) -> dict[str, int]:
        return services.import_people(actor=actor, rows=records, source=source)


def _may_name(person: Person, scope: Scope, private: Scope) -> bool:
    """A clashing record is named only to someone who may import into its unit and see its ID."""
    return scope.covers(person.current_unit) and private.covers_person(person)


# ---------------------------------------------------------------------------------------------- subjects


def _subject_columns() -> tuple[Column, Column]:
    return (
        Column(
            "person_code",
            "Mã cán bộ",
            ("Mã CB",),
            text=True,
            example="CB0001",
            width=12,
            help=gettext_lazy("Mã cán bộ, hoặc để trống và ghi mã tập thể."),
        ),
        Column(
            "collective_code",
            "Mã tập thể",
            text=True,
            width=12,
            help=gettext_lazy("Mã tập thể (khi dòng là của tập thể)."),
        ),
    )


def _parse_subject(row: Row, record: dict[str, Any]) -> None:
    person = row.code("person_code", max_length=30) if row.has("person_code") else ""
    collective = row.code("collective_code", max_length=40) if row.has("collective_code") else ""
    if bool(person) == bool(collective):
        key = (
            "person_code"
            if row.has("person_code")
            else ("collective_code" if row.has("collective_code") else None)
        )
        row.error(key, _("Ghi mã cán bộ hoặc mã tập thể (một trong hai)."))
    record["person_code"], record["collective_code"] = person, collective


def _resolve_subjects(records, *, actor, errors: Errors) -> None:
    """Attach person_id / collective_id and unit_id. A code outside the actor's scope gets the same
    message as an unknown one: the file must not tell whether a record exists elsewhere."""
    scope = scope_for(actor, IMPORT_ACTION)
    people = _person_lookup(r["person_code"] for r in records if r["person_code"])
    collectives = _collective_lookup(r["collective_code"] for r in records if r["collective_code"])
    for r in records:
        if r["person_code"]:
            person = people.get(r["person_code"].lower())
            if person is None or not scope.covers(person.current_unit):
                errors.add(
                    r["_row"],
                    "person_code",
                    _("Không có cán bộ mã '%(code)s' trong phạm vi bạn được nhập.")
                    % {"code": r["person_code"]},
                )
            else:
                r["person_id"], r["collective_id"], r["unit_id"] = person.pk, None, person.current_unit_id
        else:
            collective = collectives.get(r["collective_code"].lower())
            if collective is None or not scope.covers(collective.unit):
                errors.add(
                    r["_row"],
                    "collective_code",
                    _("Không có tập thể mã '%(code)s' trong phạm vi bạn được nhập.")
                    % {"code": r["collective_code"]},
                )
            else:
                r["person_id"], r["collective_id"], r["unit_id"] = None, collective.pk, collective.unit_id


def _subject_key(r) -> tuple[str, str]:
    return ("p", r["person_code"].casefold()) if r["person_code"] else ("c", r["collective_code"].casefold())


def _subject_column(r) -> str:
    return "person_code" if r["person_code"] else "collective_code"


# ---------------------------------------------------------------------------------------------- evaluations


def _without_nhiem_vu(label) -> str:
    return str(label).removesuffix(" nhiệm vụ")


# "Hoàn thành xuất sắc" for "Hoàn thành xuất sắc nhiệm vụ", as many lists write it
_RATING_SHORT = tuple((code, lazy(_without_nhiem_vu, str)(label)) for code, label in Rating.choices)


class EvaluationsImporter:
    spec = Spec(
        kind="evaluations",
        title=gettext_lazy("Đánh giá, xếp loại hằng năm"),
        sheet="Đánh giá",
        columns=(
            *_subject_columns(),
            Column(
                "year",
                "Năm",
                required=True,
                example=timezone.localdate().year - 1,
                width=8,
                help=gettext_lazy("Năm đánh giá, ví dụ 2024."),
            ),
            Column(
                "rating",
                "Xếp loại",
                ("Mức xếp loại", "Xếp loại chất lượng", "Đánh giá"),
                required=True,
                example=Rating.HTXS,
                width=14,
                choices=Rating.choices,
                synonyms=_RATING_SHORT,
            ),
            Column(
                "months_worked",
                "Số tháng công tác",
                ("Số tháng",),
                example=12,
                width=10,
                help=gettext_lazy("Số nguyên 0–12."),
            ),
            Column("note", "Ghi chú", width=20),
            Column(
                "discipline_form",
                "Hình thức kỷ luật",
                ("Kỷ luật",),
                width=16,
                choices=DisciplineForm.choices,
                help=gettext_lazy("Chỉ với cá nhân; để trống nếu không có."),
            ),
            Column(
                "discipline_date",
                "Ngày kỷ luật",
                ("Ngày quyết định kỷ luật",),
                width=12,
                help=gettext_lazy(
                    "Ngày dd/mm/yyyy, trong năm đánh giá của dòng; bắt buộc khi có hình thức kỷ luật."
                ),
            ),
            Column(
                "leave_kind",
                "Loại nghỉ",
                width=14,
                choices=LeaveKind.choices,
                help=gettext_lazy("Chỉ với cá nhân."),
            ),
            Column("leave_start", "Nghỉ từ ngày", width=12, help=gettext_lazy("Ngày dd/mm/yyyy.")),
            Column(
                "leave_end",
                "Nghỉ đến ngày",
                width=12,
                help=gettext_lazy("Ngày dd/mm/yyyy, không trước “Nghỉ từ ngày”."),
            ),
        ),
    )

    def parse(self, row: Row) -> dict[str, Any] | None:
        low, high = _year_bounds()
        record: dict[str, Any] = {}
        _parse_subject(row, record)
        record["year"] = row.integer("year", required=True, minimum=low, maximum=high)
        record["rating"] = row.choice("rating", required=True)
        if row.has("months_worked"):
            record["months_worked"] = row.integer("months_worked", minimum=0, maximum=12)
        if row.has("note"):
            record["note"] = row.text("note", max_length=255)
        form = row.choice("discipline_form") if row.has("discipline_form") else ""
        decided = row.date("discipline_date") if row.has("discipline_date") else None
        if decided and not _in_future(row, "discipline_date", decided) and record["year"]:
            if decided.year != record["year"]:
                row.error(
                    "discipline_date",
                    _("Ngày kỷ luật %(d)s không thuộc năm đánh giá %(y)s của dòng này.")
                    % {"d": _d(decided), "y": record["year"]},
                )
        if form or decided:
            if not form:
                row.error("discipline_form", _("Có ngày kỷ luật nhưng thiếu hình thức kỷ luật."))
            if not decided and row.has("discipline_form") and not row.blank("discipline_form"):
                row.error(
                    "discipline_date" if row.has("discipline_date") else "discipline_form",
                    _("Thiếu ngày kỷ luật."),
                )
            record["discipline"] = {"form": form, "decided_on": decided}
        kind = row.choice("leave_kind") if row.has("leave_kind") else ""
        start = row.date("leave_start") if row.has("leave_start") else None
        end = row.date("leave_end") if row.has("leave_end") else None
        if kind or start or end:
            if not (kind and start and end):
                key = next(
                    k for k, v in (("leave_kind", kind), ("leave_start", start), ("leave_end", end)) if not v
                )
                if row.has(key):
                    row.error(key, _("Nghỉ cần đủ loại nghỉ, từ ngày và đến ngày."))
                else:
                    row.error("leave_kind", _("Nghỉ cần đủ loại nghỉ, từ ngày và đến ngày."))
            elif end < start:
                row.error("leave_end", _("“Nghỉ đến ngày” phải sau hoặc bằng “Nghỉ từ ngày”."))
            record["leave"] = {"kind": kind, "start": start, "end": end}
        if record["collective_code"] and ("discipline" in record or "leave" in record):
            row.error(
                "discipline_form" if "discipline" in record else "leave_kind",
                _("Kỷ luật và nghỉ chỉ ghi cho cá nhân."),
            )
        return record

    def check(self, records: list[dict[str, Any]], *, actor, errors: Errors) -> None:
        first = _first_rows(records, lambda r: (_subject_key(r), r["year"]))
        for r in records:
            row = first[(_subject_key(r), r["year"])]
            if row != r["_row"]:
                errors.add(
                    r["_row"],
                    "year",
                    _("Đối tượng này đã có đánh giá năm %(y)s ở dòng %(row)s.")
                    % {"y": r["year"], "row": row},
                )
        _resolve_subjects(records, actor=actor, errors=errors)

    def write(self, records: list[dict[str, Any]], *, actor, source: str) -> dict[str, int]:
        return services.import_evaluations(actor=actor, rows=records, source=source)


# ---------------------------------------------------------------------------------------------- awards


class AwardsImporter:
    spec = Spec(
        kind="awards",
        title=gettext_lazy("Khen thưởng đã nhận"),
        sheet="Khen thưởng",
        columns=(
            *_subject_columns(),
            Column(
                "award_code",
                "Danh hiệu, hình thức",
                ("Danh hiệu", "Hình thức khen thưởng", "Mã danh hiệu", "Danh hiệu, hình thức khen thưởng"),
                required=True,
                example=AwardCode.CSTD_CO_SO,
                width=22,
                choices=AwardCode.choices,
            ),
            Column(
                "first_year",
                "Từ năm",
                example=timezone.localdate().year - 1,
                width=8,
                help=gettext_lazy("Năm đầu của thành tích; để trống nếu bằng “Đến năm”."),
            ),
            Column(
                "last_year",
                "Đến năm",
                ("Năm",),
                required=True,
                example=timezone.localdate().year - 1,
                width=8,
                help=gettext_lazy("Năm cuối của thành tích."),
            ),
            Column(
                "decision_number", "Số quyết định", required=True, text=True, example="123/QĐ-BTN", width=16
            ),
            Column(
                "decided_on",
                "Ngày quyết định",
                required=True,
                example=datetime.date(timezone.localdate().year - 1, 12, 20),
                width=12,
                help=gettext_lazy(
                    "Ngày dd/mm/yyyy; không trước 01/01 của “Đến năm” (thành tích năm 2025 không thể "
                    "quyết định trong năm 2024) và không ở tương lai."
                ),
            ),
            Column("signer", "Người ký", example="Bộ trưởng", width=18),
            Column(
                "basis",
                "Loại khen thưởng",
                example=AwardBasis.CONG_TRANG,
                width=20,
                choices=AwardBasis.choices,
                help=gettext_lazy("Để trống là thành tích thường xuyên (công trạng)."),
            ),
            Column(
                "issuer_level",
                "Cấp khen",
                example=IssuerLevel.MINISTRY,
                width=16,
                choices=IssuerLevel.choices,
            ),
            Column("issuer_name", "Cơ quan khen", width=22),
        ),
    )

    def parse(self, row: Row) -> dict[str, Any] | None:
        low, high = _year_bounds()
        record: dict[str, Any] = {}
        _parse_subject(row, record)
        record["award_code"] = row.choice("award_code", required=True)
        record["last_year"] = row.integer("last_year", required=True, minimum=low, maximum=high)
        first = row.integer("first_year", minimum=low, maximum=high) if row.has("first_year") else None
        record["first_year"] = first or record["last_year"]
        if first and record["last_year"] and first > record["last_year"]:
            row.error("first_year", _("“Từ năm” phải nhỏ hơn hoặc bằng “Đến năm”."))
        record["decision_number"] = row.text("decision_number", required=True, max_length=60)
        record["decided_on"] = decided = row.date("decided_on", required=True)
        last = record["last_year"]
        if decided and not _in_future(row, "decided_on", decided) and last and decided.year < last:
            row.error(
                "decided_on",
                _(
                    "Ngày quyết định %(d)s trước năm thành tích %(y)s: khen thưởng cho thành tích năm "
                    "%(y)s không thể quyết định trước ngày 01/01/%(y)s."
                )
                % {"d": _d(decided), "y": last},
            )
        if row.has("signer"):
            record["signer"] = row.text("signer", max_length=120)
        if row.has("basis"):
            record["basis"] = row.choice("basis") or AwardBasis.CONG_TRANG
        if row.has("issuer_level"):
            record["issuer_level"] = row.choice("issuer_level")
        if row.has("issuer_name"):
            record["issuer_name"] = row.text("issuer_name", max_length=255)
        return record

    def check(self, records: list[dict[str, Any]], *, actor, errors: Errors) -> None:
        def key(r):
            return (_subject_key(r), r["award_code"], r["last_year"], r["decision_number"].casefold())

        first = _first_rows(records, key)
        for r in records:
            if first[key(r)] != r["_row"]:
                errors.add(
                    r["_row"],
                    "decision_number",
                    _(
                        "Khen thưởng này (cùng đối tượng, danh hiệu, năm và số quyết định) trùng với dòng "
                        "%(row)s."
                    )
                    % {"row": first[key(r)]},
                )
        _resolve_subjects(records, actor=actor, errors=errors)

    def write(self, records: list[dict[str, Any]], *, actor, source: str) -> dict[str, int]:
        return services.import_awards(actor=actor, rows=records, source=source)


# ---------------------------------------------------------------------------------------------- initiatives


class InitiativesImporter:
    spec = Spec(
        kind="initiatives",
        title=gettext_lazy("Sáng kiến, đề tài"),
        sheet="Sáng kiến",
        columns=(
            *_subject_columns(),
            Column(
                "year",
                "Năm",
                required=True,
                example=timezone.localdate().year - 1,
                width=8,
                help=gettext_lazy("Năm công nhận, ví dụ 2024."),
            ),
            Column(
                "title",
                "Tên sáng kiến, đề tài",
                ("Tên sáng kiến", "Tên đề tài", "Sáng kiến", "Đề tài"),
                required=True,
                example="Số hoá hồ sơ thi đua",
                width=40,
                help=gettext_lazy("Nhập lại cùng đối tượng, năm và tên thì cập nhật bản ghi đó."),
            ),
            Column(
                "kind",
                "Loại",
                ("Sáng kiến hay đề tài",),
                example=InitiativeKind.INITIATIVE,
                width=14,
                choices=InitiativeKind.choices,
                help=gettext_lazy("Để trống là sáng kiến."),
            ),
            Column(
                "scope",
                "Phạm vi ảnh hưởng",
                ("Phạm vi", "Cấp công nhận"),
                example=InitiativeScope.CO_SO,
                width=18,
                choices=InitiativeScope.choices,
            ),
            Column(
                "recognised_on",
                "Ngày công nhận",
                example=datetime.date(timezone.localdate().year - 1, 12, 15),
                width=12,
                help=gettext_lazy("Ngày dd/mm/yyyy, không ở tương lai."),
            ),
            Column(
                "decision_number",
                "Số quyết định công nhận",
                ("Số quyết định", "Số QĐ"),
                text=True,
                example="45/QĐ-BTN",
                width=16,
            ),
        ),
    )

    def parse(self, row: Row) -> dict[str, Any] | None:
        low, high = _year_bounds()
        record: dict[str, Any] = {}
        _parse_subject(row, record)
        record["year"] = row.integer("year", required=True, minimum=low, maximum=high)
        record["title"] = row.text("title", required=True, max_length=500)
        if row.has("kind"):
            record["kind"] = row.choice("kind") or InitiativeKind.INITIATIVE
        if row.has("scope"):
            record["scope"] = row.choice("scope")
        if row.has("recognised_on"):
            record["recognised_on"] = day = row.date("recognised_on")
            if (
                day
                and not _in_future(row, "recognised_on", day)
                and record["year"]
                and day.year < record["year"]
            ):
                row.error(
                    "recognised_on",
                    _("Ngày công nhận %(d)s trước năm %(y)s của dòng này.")
                    % {"d": _d(day), "y": record["year"]},
                )
        if row.has("decision_number"):
            record["decision_number"] = row.text("decision_number", max_length=60)
        return record

    def check(self, records: list[dict[str, Any]], *, actor, errors: Errors) -> None:
        def key(r):
            return (_subject_key(r), r["year"], fold(r["title"]))

        first = _first_rows(records, key)
        for r in records:
            if first[key(r)] != r["_row"]:
                errors.add(
                    r["_row"],
                    "title",
                    _("Sáng kiến này (cùng đối tượng, năm và tên) trùng với dòng %(row)s.")
                    % {"row": first[key(r)]},
                )
        _resolve_subjects(records, actor=actor, errors=errors)

    def write(self, records: list[dict[str, Any]], *, actor, source: str) -> dict[str, int]:
        return services.import_initiatives(actor=actor, rows=records, source=source)


IMPORTERS = {
    "people": PeopleImporter(),
    "evaluations": EvaluationsImporter(),
    "awards": AwardsImporter(),
    "initiatives": InitiativesImporter(),
}
