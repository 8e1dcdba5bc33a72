"""Case-file JSON (shared/domain/eligibility-cases.md) → facts and the question; errors name the JSON path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .codes import (
    AWARD_SET,
    BASIS_CODES,
    DISCIPLINE_FORMS,
    EMPLOYMENT_KINDS,
    INITIATIVE_KINDS,
    ISSUER_CODES,
    LEAVE_KINDS,
    MEMBER_FIELDS,
    RATING_RANK,
    SCOPE_RANK,
    STUDY_RESULTS,
    SUBJECT_KINDS,
    TITLE_GROUNDS,
)
from .facts import Award, Discipline, Initiative, Leave, Members, SubjectFacts, Title, YearFacts


class CaseError(ValueError):
    """A malformed case file; the message (Vietnamese) names the JSON path."""


@dataclass(frozen=True, slots=True)
class Ask:
    award: str
    year: int
    proposed_on: date | None = None
    route: str | None = None


def _err(path: str, msg: str) -> CaseError:
    return CaseError(f"{path}: {msg}")


def _date(value: Any, path: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _err(path, f"ngày phải có dạng YYYY-MM-DD, nhận được {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _err(path, f"ngày không hợp lệ '{value}'") from None


def _year(value: Any, path: str) -> int:
    if isinstance(value, bool):
        raise _err(path, f"năm không hợp lệ {value!r}")
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
        value = int(value)
    if not isinstance(value, int) or not 1900 <= value <= 2200:
        raise _err(path, f"năm không hợp lệ {value!r}")
    return value


def _choice(value: Any, allowed, path: str, what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise _err(path, f"{what} không hợp lệ {value!r}")
    return value


def _code(value: Any, path: str) -> str:
    return _choice(value, AWARD_SET, path, "mã danh hiệu, hình thức khen thưởng")


def _list(value: Any, path: str) -> list:
    if not isinstance(value, list):
        raise _err(path, "phải là một danh sách")
    return value


def _obj(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        raise _err(path, "phải là một đối tượng JSON")
    return value


def _bool(value: Any, path: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _err(path, f"phải là true hoặc false, nhận được {value!r}")


def _number(value: Any, path: str, *, integer: bool = False) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _err(path, f"phải là số không âm, nhận được {value!r}")
    if integer and int(value) != value:
        raise _err(path, f"phải là số nguyên, nhận được {value!r}")
    return int(value) if integer else value


def _title(value: Any, path: str) -> Title:
    if isinstance(value, str):
        return Title(code=_code(value, path))
    o = _obj(value, path)
    ground = o.get("ground")
    if ground is not None:
        _choice(ground, TITLE_GROUNDS, f"{path}.ground", "căn cứ danh hiệu")
    return Title(
        code=_code(o.get("code"), f"{path}.code"),
        decided_on=_date(o.get("decided_on"), f"{path}.decided_on"),
        ground=ground,
    )


def _award(value: Any, path: str) -> Award:
    if isinstance(value, str):
        return Award(code=_code(value, path))
    o = _obj(value, path)
    basis = o.get("basis")
    if basis is not None:
        _choice(basis, BASIS_CODES, f"{path}.basis", "loại khen thưởng (basis)")
    issuer = o.get("issuer")
    if issuer is not None:
        _choice(issuer, ISSUER_CODES, f"{path}.issuer", "cấp ban hành (issuer)")
    period = o.get("period")
    if period is not None:
        items = _list(period, f"{path}.period")
        if not 1 <= len(items) <= 2:
            raise _err(f"{path}.period", "phải có dạng [năm đầu, năm cuối]")
        ys = [_year(v, f"{path}.period[{i}]") for i, v in enumerate(items)]
        period = (min(ys), max(ys))
    return Award(
        code=_code(o.get("code"), f"{path}.code"),
        basis=basis,
        issuer=issuer,
        decided_on=_date(o.get("decided_on"), f"{path}.decided_on"),
        period=period,
        revoked=bool(_bool(o.get("revoked"), f"{path}.revoked")),
    )


def _initiative(value: Any, path: str) -> Initiative:
    o = _obj(value, path)
    kind = o.get("kind", "initiative")
    _choice(kind, INITIATIVE_KINDS, f"{path}.kind", "loại sáng kiến")
    scope = o.get("scope")
    if scope is not None:
        _choice(scope, SCOPE_RANK, f"{path}.scope", "phạm vi ảnh hưởng")
    used = o.get("used_for")
    if used is not None:
        _code(used, f"{path}.used_for")
    return Initiative(
        kind=kind, scope=scope, recognised=_bool(o.get("recognised"), f"{path}.recognised"), used_for=used
    )


STUDY_FIELDS = ("course_under_one_year", "rules_kept", "result")


def _leave(value: Any, path: str) -> Leave:
    """A leave entry; a study leave may say whether the course was under one year, whether the trainee kept
    the institution's rules and the course result (what decides whether the time counts as time worked)."""
    lo = _obj(value, path)
    kind = _choice(lo.get("kind"), LEAVE_KINDS, f"{path}.kind", "loại nghỉ")
    days = int(_number(lo.get("days", 0), f"{path}.days", integer=True) or 0)
    if kind != "study":
        for key in STUDY_FIELDS:
            if lo.get(key) is not None:
                raise _err(f"{path}.{key}", "chỉ dùng cho nghỉ đi học (kind: study)")
        return Leave(kind=kind, days=days)
    result = lo.get("result")
    if result is not None:
        _choice(result, STUDY_RESULTS, f"{path}.result", "kết quả học tập")
    return Leave(
        kind=kind,
        days=days,
        course_under_one_year=_bool(lo.get("course_under_one_year"), f"{path}.course_under_one_year"),
        rules_kept=_bool(lo.get("rules_kept"), f"{path}.rules_kept"),
        result=result,
    )


def _year_facts(value: Any, path: str) -> YearFacts:
    o = _obj(value, path)
    yf = YearFacts()
    if "rating" in o and o["rating"] is not None:
        yf.rating = _choice(o["rating"], RATING_RANK, f"{path}.rating", "kết quả xếp loại")
    yf.months_worked = _number(o.get("months_worked"), f"{path}.months_worked")
    if yf.months_worked is not None and yf.months_worked > 12:
        raise _err(f"{path}.months_worked", "không thể quá 12 tháng")
    if o.get("leave") is not None:
        yf.leave = tuple(
            _leave(lv, f"{path}.leave[{i}]") for i, lv in enumerate(_list(o["leave"], f"{path}.leave"))
        )
    if o.get("discipline") is not None:
        items = []
        for i, d in enumerate(_list(o["discipline"], f"{path}.discipline")):
            p = f"{path}.discipline[{i}]"
            if isinstance(d, str):
                items.append(Discipline(form=_choice(d, DISCIPLINE_FORMS, p, "hình thức kỷ luật")))
                continue
            do = _obj(d, p)
            form = do.get("form")
            if form is not None:
                _choice(form, DISCIPLINE_FORMS, f"{p}.form", "hình thức kỷ luật")
            admin = bool(_bool(do.get("admin_sanction"), f"{p}.admin_sanction"))
            if form is None and not admin:
                raise _err(p, "cần hình thức kỷ luật (form) hoặc admin_sanction: true")
            items.append(Discipline(form=form, date=_date(do.get("date"), f"{p}.date"), admin_sanction=admin))
        yf.discipline = tuple(items)
    if o.get("titles") is not None:
        yf.titles = tuple(
            _title(t, f"{path}.titles[{i}]") for i, t in enumerate(_list(o["titles"], f"{path}.titles"))
        )
    if o.get("awards") is not None:
        yf.awards = tuple(
            _award(a, f"{path}.awards[{i}]") for i, a in enumerate(_list(o["awards"], f"{path}.awards"))
        )
    if o.get("initiatives") is not None:
        yf.initiatives = tuple(
            _initiative(x, f"{path}.initiatives[{i}]")
            for i, x in enumerate(_list(o["initiatives"], f"{path}.initiatives"))
        )
    if o.get("registered") is not None:
        yf.registered = tuple(
            _code(c, f"{path}.registered[{i}]")
            for i, c in enumerate(_list(o["registered"], f"{path}.registered"))
        )
    if o.get("members") is not None:
        mo = _obj(o["members"], f"{path}.members")
        for k in mo:
            if k not in MEMBER_FIELDS:
                raise _err(f"{path}.members.{k}", "trường không xác định")
        vals = {k: _number(mo.get(k), f"{path}.members.{k}", integer=True) for k in MEMBER_FIELDS}
        total = vals["total"]
        if total is not None:
            for k in ("completing", "ldtt", "cstd_co_so", "disciplined"):
                if vals[k] is not None and vals[k] > total:
                    raise _err(f"{path}.members.{k}", f"lớn hơn tổng số thành viên ({total})")
        yf.members = Members(**vals)
    return yf


def parse_case(data: Any) -> tuple[SubjectFacts, Ask]:
    root = _obj(data, "$")
    subj = _obj(root.get("subject", {}), "subject")
    kind = subj.get("kind", "individual")
    _choice(kind, SUBJECT_KINDS, "subject.kind", "loại đối tượng")
    employment = subj.get("employment")
    if employment is not None:
        _choice(employment, EMPLOYMENT_KINDS, "subject.employment", "loại lao động")
    facts = SubjectFacts(
        kind=kind,
        name=str(subj.get("name", "")),
        employment=employment,
        direct_worker=_bool(subj.get("direct_worker"), "subject.direct_worker"),
        leader=_bool(subj.get("leader"), "subject.leader"),
        joined=_date(subj.get("joined"), "subject.joined"),
        established=_date(subj.get("established"), "subject.established"),
    )
    years = _obj(root.get("years", {}), "years")
    for key, value in years.items():
        y = _year(key, f"years.{key}")
        facts.years[y] = _year_facts(value, f"years.{key}")
    if "ask" not in root:
        raise _err("ask", "thiếu câu hỏi (ask)")
    ask_o = _obj(root["ask"], "ask")
    if "year" not in ask_o:
        raise _err("ask.year", "thiếu năm đề nghị")
    route = ask_o.get("route")
    if route is not None and not isinstance(route, str):
        raise _err("ask.route", f"điểm không hợp lệ {route!r}")
    ask = Ask(
        award=_code(ask_o.get("award"), "ask.award"),
        year=_year(ask_o["year"], "ask.year"),
        proposed_on=_date(ask_o.get("proposed_on"), "ask.proposed_on"),
        route=route,
    )
    return facts, ask
