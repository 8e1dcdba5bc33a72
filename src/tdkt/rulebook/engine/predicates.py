"""Generic checks referenced by name from the rulebook files.

A predicate is `fn(ctx, params) -> Outcome`, `Outcome = (met, detail, missing)`: `met` is True, False or
None; `missing` names the absent facts (`years.2024.rating`); `None` with no missing fact means a
judgment the facts do not record (an outstanding deed, an unrecognised scope): not met, not missing.
Returning `SKIP` leaves the criterion out (a condition an agency setting has switched off).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from .codes import (
    AWARD_VI,
    DISCIPLINE_VI,
    RATING_RANK,
    RATING_VI,
    SCOPE_RANK,
    SCOPE_VI,
    STUDY_RESULT_RANK,
    TITLE_CODES,
)
from .facts import Award, Leave, YearFacts

if TYPE_CHECKING:
    from .evaluate import Ctx

Outcome = tuple[bool | None, str, tuple[str, ...]]
Predicate = Callable[["Ctx", Mapping[str, Any]], Outcome]
SKIP: Outcome = (None, "", ("__skip__",))
NONE: tuple[str, ...] = ()


class PredicateSpec:
    __slots__ = ("name", "fn", "required", "optional")

    def __init__(self, name: str, fn: Predicate, required: frozenset[str], optional: frozenset[str]):
        self.name, self.fn, self.required, self.optional = name, fn, required, optional


REGISTRY: dict[str, PredicateSpec] = {}


def predicate(name: str, *, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()):
    def deco(fn: Predicate) -> Predicate:
        REGISTRY[name] = PredicateSpec(name, fn, frozenset(required), frozenset(optional))
        return fn

    return deco


def _years_text(years: list[int]) -> str:
    return ", ".join(str(y) for y in sorted(years))


def _yf(ctx: Ctx, year: int) -> YearFacts | None:
    return ctx.facts.years.get(year)


# ---------------------------------------------------------------- a single year


@predicate("rating_at_least", required=("min",), optional=("offset",))
def rating_at_least(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    y = ctx.year + p.get("offset", 0)
    yf = _yf(ctx, y)
    rating = yf.rating if yf is not None else None
    need = p["min"]
    if rating is None:
        return None, f"Chưa có kết quả đánh giá, xếp loại năm {y}", (f"years.{y}.rating",)
    ok = RATING_RANK[rating] >= RATING_RANK[need]
    return ok, f"Năm {y}: {RATING_VI[rating]} (yêu cầu {RATING_VI[need]} trở lên)", NONE


def _study_counts(lv: Leave, p: Mapping[str, Any]) -> bool | None:
    """Whether the days of a study leave count as time worked (None: a fact that decides it is missing).

    `study_short`: a course under one year counts when the trainee kept the institution's rules (TT 01/2024
    Điều 1 k5 b; TT 15/2025 Điều 2 k5 b). `study_long`: a course of one year or more counts; with
    `study_long_conditions` only when the trainee kept the rules and reached `study_long_min_result` (a course
    that grades no result, `khong_xep_loai`, passes) — TT 15/2025 Điều 2 k5 b (docs/law.md §3, §6)."""

    def short() -> bool | None:
        return lv.rules_kept if p.get("study_short") else False

    def long() -> bool | None:
        if not p.get("study_long"):
            return False
        if not p.get("study_long_conditions", True):
            return True
        if lv.rules_kept is False:
            return False
        need = p.get("study_long_min_result") or "kha"
        if lv.result is None:
            result_ok = None
        elif lv.result == "khong_xep_loai":
            result_ok = True
        else:
            result_ok = STUDY_RESULT_RANK[lv.result] >= STUDY_RESULT_RANK[need]
        if result_ok is False:
            return False
        return None if lv.rules_kept is None or result_ok is None else True

    if lv.course_under_one_year is True:
        return short()
    if lv.course_under_one_year is False:
        return long()
    a, b = short(), long()
    return a if a == b else None


@predicate(
    "months_worked_at_least",
    required=("min",),
    optional=(
        "count_maternity",
        "count_injury",
        "study_short",
        "study_long",
        "study_long_conditions",
        "study_long_min_result",
    ),
)
def months_worked_at_least(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    """Months worked in the year, with the leave the rules count as time worked: maternity leave and the
    treatment of injuries from combat or rescue (unless switched off), and study leave as `_study_counts`
    decides. A study leave whose course facts are missing makes the verdict undetermined only when those days
    would change it."""
    y = ctx.year
    yf = _yf(ctx, y)
    months = yf.months_worked if yf is not None else None
    if months is None:
        return None, f"Chưa có số tháng công tác năm {y}", (f"years.{y}.months_worked",)
    kinds = []
    if p.get("count_maternity", True):
        kinds.append("maternity")
    if p.get("count_injury", True):
        kinds.append("injury_treatment")
    counted = 0
    study = 0
    maybe = 0
    refused = 0
    for lv in yf.leave or ():
        if lv.kind in kinds:
            counted += lv.days
        elif lv.kind == "study" and (p.get("study_short") or p.get("study_long")):
            ok = _study_counts(lv, p)
            if ok is True:
                study += lv.days
            elif ok is None:
                maybe += lv.days
            else:
                refused += lv.days
    effective = min(12.0, months + (counted + study) / 30.0)
    need = p["min"]
    extra = f", tính cả {counted} ngày nghỉ thai sản/điều trị" if counted else ""
    if study:
        extra += f", tính cả {study} ngày đi học đủ điều kiện"
    if refused:
        extra += f"; không tính {refused} ngày đi học chưa đủ điều kiện"
    detail = f"Năm {y}: {effective:g} tháng công tác{extra} (không xét nếu dưới {need} tháng)"
    if effective >= need or not maybe or min(12.0, effective + maybe / 30.0) < need:
        return effective >= need, detail, NONE
    detail += (
        f"; còn {maybe} ngày đi học chưa rõ có được tính: cần ghi khóa học dưới 01 năm hay không, "
        "có chấp hành tốt quy định của cơ sở đào tạo, bồi dưỡng không và kết quả học tập (khóa từ 01 năm)"
    )
    return None, detail, (f"years.{y}.leave",)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@predicate(
    "absence_days_below", required=("max_days",), optional=("kinds", "in_force_from", "in_force_until")
)
def absence_days_below(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    """Absence from work in the year below `max_days` working days; maternity leave, treatment of injuries
    from combat or rescue and study are not absence (they have their own rules). Applies only to proposals
    dated within [in_force_from, in_force_until]: NĐ 65/2014/NĐ-CP Điều 5 khoản 6 barred LĐTT for 40
    working days or more of absence; NĐ 91/2017/NĐ-CP (from 01/10/2017) dropped that bar."""
    day = ctx._day
    start, end = _as_date(p.get("in_force_from")), _as_date(p.get("in_force_until"))
    if (start is not None and day < start) or (end is not None and day > end):
        return SKIP
    y = ctx.year
    yf = _yf(ctx, y)
    items = yf.leave if yf is not None else None
    if items is None:
        return None, f"Chưa có thông tin nghỉ việc trong năm {y}", (f"years.{y}.leave",)
    kinds = p.get("kinds", ("sick", "unpaid", "other"))
    days = sum(lv.days for lv in items if lv.kind in kinds)
    limit = p["max_days"]
    detail = (
        f"Năm {y}: nghỉ {days} ngày làm việc (không kể nghỉ thai sản, điều trị thương tích, đi học); "
        f"không xét nếu nghỉ từ {limit} ngày làm việc trở lên"
    )
    return days < limit, detail, NONE


@predicate("no_discipline", required=("forms",), optional=("admin_sanction",))
def no_discipline(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    y = ctx.year
    yf = _yf(ctx, y)
    items = yf.discipline if yf is not None else None
    if items is None:
        return None, f"Chưa có thông tin kỷ luật năm {y}", (f"years.{y}.discipline",)
    forms = p["forms"]
    hits = [d for d in items if d.form is not None and d.form in forms]
    if p.get("admin_sanction"):
        hits += [d for d in items if d.admin_sanction and d not in hits]
    if hits:
        names = ", ".join(DISCIPLINE_VI.get(d.form or "", "xử phạt vi phạm hành chính") for d in hits)
        return False, f"Năm {y} bị {names}", NONE
    return True, f"Năm {y} không bị kỷ luật thuộc các hình thức loại trừ", NONE


@predicate("holds_title", required=("code",), optional=("offset",))
def holds_title(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    y = ctx.year + p.get("offset", 0)
    code = p["code"]
    yf = _yf(ctx, y)
    if yf is None or yf.titles is None:
        return None, f"Chưa có danh sách danh hiệu năm {y}", (f"years.{y}.titles",)
    if yf.title(code) is not None:
        return True, f"Năm {y} đạt danh hiệu {AWARD_VI[code]}", NONE
    return False, f"Năm {y} không có danh hiệu {AWARD_VI[code]}", NONE


@predicate("holds_title_or_meets", required=("code",))
def holds_title_or_meets(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    """The lower title of the same year: recorded, or its criteria met now (both are decided together)."""
    y = ctx.year
    code = p["code"]
    yf = _yf(ctx, y)
    if yf is not None and yf.title(code) is not None:
        return True, f"Năm {y} đạt danh hiệu {AWARD_VI[code]}", NONE
    verdict, missing = ctx.sub(code)
    if verdict == "eligible":
        return True, f"Năm {y} đạt tiêu chuẩn danh hiệu {AWARD_VI[code]}", NONE
    if verdict == "undetermined":
        return None, f"Chưa đủ dữ kiện để xác định tiêu chuẩn {AWARD_VI[code]} năm {y}", missing
    return False, f"Năm {y} không đạt tiêu chuẩn danh hiệu {AWARD_VI[code]}", NONE


@predicate("judgment", required=("what",))
def judgment(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    out = p.get("_out")
    if out is not None:
        return out
    return None, f"Cần {p['what']}: hồ sơ chưa ghi nhận", NONE


@predicate("setting_enabled", required=("enabled", "then"))
def setting_enabled(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    """A condition an agency may add (e.g. no administrative sanction); left out when switched off."""
    if not p["enabled"]:
        return SKIP
    spec = REGISTRY[p["then"]["kind"]]
    return spec.fn(ctx, p["then"].get("params", {}))


@predicate("any_of", required=("options",))
def any_of(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    """One of several alternative conditions of the same point (e.g. Luật 2022 Điều 74 k1 d: two consecutive
    CSTĐCS titles *or* two consecutive years HTXS). Met when one option is met; undetermined when none is
    met and an option lacks a fact; otherwise not met. Options are `{kind, params}` of other predicates."""
    details: list[str] = []
    missing: list[str] = []
    unsettled = False
    for opt in p["options"]:
        met, detail, miss = REGISTRY[opt["kind"]].fn(ctx, opt.get("params", {}))
        if met is True:
            return True, detail, NONE
        details.append(detail)
        if met is None:
            unsettled = True
            missing.extend(miss)
    text = "; ".join(details)
    if unsettled:
        return None, text, tuple(missing)
    return False, text, NONE


# ---------------------------------------------------------------- streaks


def _walk_back(ctx: Ctx, test: Callable[[YearFacts], bool | None], field: str, count: int):
    """Years ending at ctx.year that pass `test` without a gap: (streak years, missing field or None)."""
    years: list[int] = []
    y = ctx.year
    while len(years) < count:
        yf = _yf(ctx, y)
        res = test(yf) if yf is not None else None
        if res is None:
            return years, f"years.{y}.{field}"
        if not res:
            return years, None
        years.append(y)
        y -= 1
    return years, None


@predicate("consecutive_titles", required=("code", "count"))
def consecutive_titles(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    code, count = p["code"], p["count"]

    def test(yf: YearFacts) -> bool | None:
        return None if yf.titles is None else yf.title(code) is not None

    years, missing = _walk_back(ctx, test, "titles", count)
    name = AWARD_VI[code]
    if len(years) >= count:
        return True, f"Đạt {name} {count} năm liên tục ({_years_text(years)})", NONE
    if missing:
        return None, f"Chưa đủ dữ kiện danh hiệu để xác định {count} năm liên tục {name}", (missing,)
    got = f" ({_years_text(years)})" if years else ""
    return False, f"Chỉ {len(years)} năm liên tục {name} đến năm {ctx.year}{got}; yêu cầu {count}", NONE


@predicate("consecutive_cycles", required=("code", "count", "cycle"))
def consecutive_cycles(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    """Titles given per multi-year cycle (CSTĐ bộ rests on 3 CSTĐCS): `count` times in a row means
    consecutive cycles with no gap, not consecutive calendar years (Ban TĐKT TW answer on NĐ 91/2017
    Điều 48). The latest must be for the asked year; each earlier one within `cycle` years before the next."""
    code, count, cycle = p["code"], p["count"], p["cycle"]
    name = AWARD_VI[code]
    got: list[int] = []
    y = ctx.year
    window = 1  # the first title must be for the asked year itself
    while len(got) < count:
        hit = None
        unknown = None
        for cand in range(y, y - window, -1):
            yf = _yf(ctx, cand)
            if yf is None or yf.titles is None:
                unknown = unknown or f"years.{cand}.titles"
                continue
            if yf.title(code) is not None:
                hit = cand
                break
        if hit is None:
            if unknown:
                return None, f"Chưa đủ dữ kiện danh hiệu để xác định {count} lần liên tục {name}", (unknown,)
            got_text = f" ({_years_text(got)})" if got else ""
            text = f"Chỉ {len(got)} lần liên tục {name} đến năm {ctx.year}{got_text}; yêu cầu {count}"
            return False, text, NONE
        got.append(hit)
        y = hit - 1
        window = cycle
    return True, f"Đạt {name} {count} lần liên tục, theo chu kỳ ({_years_text(got)})", NONE


@predicate("proposed_soon_after_title", required=("code", "max_years_after"))
def proposed_soon_after_title(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    """The proposal is made at the latest `max_years_after` calendar years after the year of the decision on
    the asked year's `code` title (NĐ 91/2017 Điều 48 k1 a: the year right after the second CSTĐ bộ)."""
    code, gap = p["code"], p["max_years_after"]
    yf = _yf(ctx, ctx.year)
    title = yf.title(code) if yf is not None and yf.titles else None
    day = ctx._day
    if title is not None and title.decided_on is not None:
        decided = title.decided_on.year
        how = f"quyết định công nhận {AWARD_VI[code]} năm {decided}"
    else:
        decided = ctx.year + 1  # a year's title is decided in that year or the next at the latest
        how = f"{AWARD_VI[code]} năm {ctx.year} (chưa có ngày quyết định: tính muộn nhất năm {decided})"
    ok = day.year <= decided + gap
    return ok, f"Đề nghị năm {day.year}; {how}; phải đề nghị chậm nhất năm {decided + gap}", NONE


@predicate("consecutive_ratings", required=("min", "count"))
def consecutive_ratings(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    need, count = p["min"], p["count"]
    rank = RATING_RANK[need]

    def test(yf: YearFacts) -> bool | None:
        return None if yf.rating is None else RATING_RANK[yf.rating] >= rank

    years, missing = _walk_back(ctx, test, "rating", count)
    label = RATING_VI[need]
    if len(years) >= count:
        return True, f"{label.capitalize()} trở lên {count} năm liên tục ({_years_text(years)})", NONE
    if missing:
        return None, f"Thiếu kết quả xếp loại để xác định {count} năm liên tục {label}", (missing,)
    return False, f"Chỉ {len(years)} năm liên tục {label} trở lên đến năm {ctx.year}; yêu cầu {count}", NONE


# ---------------------------------------------------------------- initiatives


def _initiative_counts(ctx: Ctx, p: Mapping[str, Any], span_years: list[int]):
    """(counted, possible_if_recognised, ambiguous_years, missing) for unconsumed initiatives; an ambiguous
    year is one whose base title's ground is unknown, so one of its initiatives may have been consumed."""
    min_rank = SCOPE_RANK[p.get("min_scope", "co_so")]
    exclude = p.get("exclude_used_for", ())
    consume_title = p.get("consumed_by_title")
    kinds = p.get("kinds")
    sure = 0
    possible = 0
    ambiguous: list[int] = []
    missing: list[str] = []
    for y in span_years:
        yf = _yf(ctx, y)
        if yf is None or yf.initiatives is None:
            missing.append(f"years.{y}.initiatives")
            continue
        good = 0
        maybe = 0
        flagged_for_title = False
        for ini in yf.initiatives:
            if kinds and ini.kind not in kinds:
                continue
            if ini.used_for is not None and ini.used_for == consume_title:
                flagged_for_title = True
            if ini.used_for is not None and ini.used_for in exclude:
                continue
            if ini.recognised and ini.scope is not None and SCOPE_RANK[ini.scope] >= min_rank:
                good += 1
            else:
                maybe += 1
        # A title that rested on an initiative consumed one of the year's initiatives even when the
        # initiative itself was not flagged (MOHA answers on Luật 2022 Điều 74).
        if consume_title and not flagged_for_title and good:
            title = yf.title(consume_title) if yf.titles else None
            if title is not None:
                ground = title.ground
                decided = title.decided_on
                if (
                    ground is None
                    and y < ctx.rules_new_law_from
                    and (decided is None or decided.year < ctx.rules_new_law_from)
                ):
                    # before 2024 the base title always rested on an initiative (NĐ 91/2017 Điều 9 k3);
                    # a title of 2023 decided from 01/01/2024 may have been proposed under Luật 2022
                    # (Điều 94) and rest on HTXS alone: without its ground it stays unknown (docs/law.md §1)
                    ground = "initiative"
                if ground == "initiative":
                    good -= 1
                elif ground is None:
                    good -= 1
                    ambiguous.append(y)
        sure += good
        possible += good + maybe
    return sure, possible, ambiguous, missing


@predicate(
    "initiatives_count",
    required=("count",),
    optional=("min_scope", "span", "exclude_used_for", "consumed_by_title", "kinds"),
)
def initiatives_count(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    count = p["count"]
    span = p.get("span", 1)
    years = list(range(ctx.year - span + 1, ctx.year + 1))
    scope = SCOPE_VI[p.get("min_scope", "co_so")]
    sure, possible, ambiguous, missing = _initiative_counts(ctx, p, years)
    where = f"năm {years[0]}" if span == 1 else f"các năm {years[0]}–{years[-1]}"
    if sure >= count:
        return True, f"Có {sure} sáng kiến/đề tài được công nhận phạm vi {scope} trong {where}", NONE
    if sure + len(ambiguous) >= count:
        # only the years whose Chiến sĩ thi đua cơ sở has no recorded ground are missing a fact
        return (
            None,
            (
                f"Có {sure + len(ambiguous)} sáng kiến trong {where}, nhưng chưa rõ danh hiệu "
                f"Chiến sĩ thi đua cơ sở năm {_years_text(ambiguous)} đã dựa vào sáng kiến hay vào kết quả "
                "hoàn thành xuất sắc nhiệm vụ"
            ),
            tuple(f"years.{y}.titles" for y in ambiguous),
        )
    if missing and sure + len(missing) * count >= count:
        return None, f"Chưa có thông tin sáng kiến trong {where}", tuple(missing)
    if possible >= count:
        return (
            None,
            (
                f"Cần {count} sáng kiến được cấp có thẩm quyền công nhận hiệu quả, phạm vi {scope} "
                f"trong {where}; "
                f"hồ sơ mới ghi nhận {sure}"
            ),
            NONE,
        )
    return (
        False,
        (
            f"Chỉ có {sure} sáng kiến/đề tài chưa dùng cho danh hiệu khác, phạm vi {scope} trong {where}; "
            f"yêu cầu {count}"
        ),
        NONE,
    )


# ---------------------------------------------------------------- chains anchored on a prior award


def _award_end(year: int, a: Award) -> int:
    return a.period[1] if a.period else year


def _unrevoked_awards(ctx: Ctx) -> tuple[tuple[tuple[int, Award], ...], bool]:
    """(year, award) of every award not revoked, and whether any year lists awards at all; once per
    subject, as a dozen orders and medals ask for their anchor."""
    hit = ctx.facts.memo.get("awards")
    if hit is None:
        found: list[tuple[int, Award]] = []
        any_list = False
        for y, yf in ctx.facts.years.items():
            if yf.awards is None:
                continue
            any_list = True
            found.extend((y, a) for a in yf.awards if not a.revoked)
        hit = ctx.facts.memo["awards"] = (tuple(found), any_list)
    return hit


def _find_anchor(ctx: Ctx, codes, issuers) -> tuple[int | None, Award | None, tuple[str, ...], bool]:
    """Latest non-revoked award for regular achievements among `codes` before the asked year."""
    best: tuple[int, Award] | None = None
    unknown_basis: list[str] = []
    awards, any_list = _unrevoked_awards(ctx)
    for y, a in awards:
        if a.code not in codes:
            continue
        if a.code == "bang_khen_bo" and a.issuer is not None and a.issuer not in issuers:
            continue
        end = _award_end(y, a)
        if end >= ctx.year:
            continue
        if a.basis is None:
            unknown_basis.append(f"years.{y}.awards")
            continue
        if a.basis != "cong_trang":
            continue
        if best is None or end > best[0]:
            best = (end, a)
    # An emulation title among `codes` (Cờ thi đua của Chính phủ for the collective Huân chương Lao động hạng
    # Ba, Luật 2022 Điều 44; docs/law.md §4) is recorded under `titles`, as the case format and the register
    # adapter record every title: a title is always for regular achievements of its year.
    for code in codes:
        if code not in TITLE_CODES:
            continue
        for y, yf in ctx.facts.years.items():
            if y < ctx.year and yf.titles and yf.title(code) is not None and (best is None or y > best[0]):
                best = (y, Award(code=code, basis="cong_trang", period=(y, y)))
    if best is None:
        return None, None, tuple(unknown_basis), any_list
    return best[0], best[1], (), any_list


@predicate("anchor_award", required=("codes",), optional=("restart_codes", "issuers"))
def anchor_award(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    codes = tuple(p["codes"]) + tuple(p.get("restart_codes", ()))
    end, award, unknown, any_list = _find_anchor(ctx, codes, p.get("issuers", ()))
    ctx.route_cache["anchor_end"] = end
    names = " hoặc ".join(AWARD_VI[c] for c in p["codes"])
    if award is not None:
        assert end is not None
        if award.code not in p["codes"]:
            return (
                True,
                (
                    f"Đã có {AWARD_VI[award.code]} (công trạng) tính đến năm {end}: "
                    f"lần khen tiếp theo tính từ năm {end + 1}"
                ),
                NONE,
            )
        return True, f"Đã được tặng {AWARD_VI[award.code]} về thành tích công trạng, tính đến năm {end}", NONE
    if unknown:
        return None, f"Chưa rõ loại khen thưởng (công trạng, đột xuất, chuyên đề) của {names}", unknown
    if not any_list:
        return None, f"Chưa có thông tin khen thưởng đã nhận ({names})", (f"years.{ctx.year}.awards",)
    return (
        False,
        (
            f"Chưa được tặng {names} về thành tích công trạng (khen đột xuất, chuyên đề hoặc đã bị hủy bỏ "
            "không được tính)"
        ),
        NONE,
    )


def _streak_after_anchor(ctx: Ctx, rating_min: str, need: int) -> tuple[list[int], str | None]:
    start = ctx.route_cache.get("anchor_end")
    key = ("streak", ctx.year, start, rating_min, need)
    cached = ctx.facts.memo.get(key)
    if cached is not None:
        return cached
    floor = start + 1 if start is not None else -10_000
    rank = RATING_RANK[rating_min]
    years: list[int] = []
    missing = None
    y = ctx.year
    while y >= floor:
        yf = _yf(ctx, y)
        if yf is None or yf.rating is None:
            if len(years) < need and (start is not None or y > ctx.year - need):
                missing = f"years.{y}.rating"
            break
        if RATING_RANK[yf.rating] < rank:
            break
        years.append(y)
        y -= 1
    ctx.facts.memo[key] = (years, missing)
    return years, missing


def _streak_cut_by_unknown(ctx: Ctx, years: list[int], missing: str | None) -> str | None:
    """The rating whose absence ended the streak after the anchor: counting titles or excellent years within
    the streak cannot say "not enough" while an unknown year might extend it (a missing fact makes the
    verdict undetermined, never a silent not_eligible — shared/domain/eligibility-cases.md)."""
    if missing:
        return missing
    start = ctx.route_cache.get("anchor_end")
    y = (years[-1] if years else ctx.year + 1) - 1  # the streak walks back: years[-1] is its earliest year
    yf = _yf(ctx, y)
    if start is None:  # anchor unknown: only a recorded year without its rating is a gap in the facts
        return f"years.{y}.rating" if yf is not None and yf.rating is None else None
    if y <= start:
        return None
    return f"years.{y}.rating" if yf is None or yf.rating is None else None


@predicate("years_after_anchor", required=("min_years", "rating_min"))
def years_after_anchor(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    need, rmin = p["min_years"], p["rating_min"]
    years, missing = _streak_after_anchor(ctx, rmin, need)
    label = RATING_VI[rmin]
    if len(years) >= need:
        return (
            True,
            (
                f"{len(years)} năm liên tục {label} trở lên đến năm đề nghị ({_years_text(years)}); "
                f"yêu cầu {need}"
            ),
            NONE,
        )
    if missing:
        return None, f"Thiếu kết quả xếp loại để xác định {need} năm liên tục {label}", (missing,)
    return False, f"Chỉ {len(years)} năm liên tục {label} trở lên sau lần khen trước; yêu cầu {need}", NONE


@predicate("titles_after_anchor", required=("code", "count", "rating_min"), optional=("min_years",))
def titles_after_anchor(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    code, count = p["code"], p["count"]
    years, streak_missing = _streak_after_anchor(ctx, p["rating_min"], p.get("min_years", 5))
    got: list[int] = []
    unknown: list[str] = []
    for y in years:
        yf = ctx.facts.years[y]
        if yf.titles is None:
            unknown.append(f"years.{y}.titles")
        elif yf.title(code) is not None:
            got.append(y)
    name = AWARD_VI[code]
    if len(got) >= count:
        return True, f"Trong thời gian đó có {len(got)} lần {name} ({_years_text(got)})", NONE
    if len(got) + len(unknown) >= count:
        return None, f"Chưa đủ dữ kiện danh hiệu để đếm {count} lần {name}", tuple(unknown)
    cut = _streak_cut_by_unknown(ctx, years, streak_missing)
    if cut:
        return None, f"Thiếu kết quả xếp loại để xác định thời gian đếm {count} lần {name}", (*unknown, cut)
    return False, f"Trong thời gian đó chỉ có {len(got)} lần {name}; yêu cầu {count}", NONE


@predicate("ratings_after_anchor", required=("rating", "count", "rating_min"), optional=("min_years",))
def ratings_after_anchor(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    years, streak_missing = _streak_after_anchor(ctx, p["rating_min"], p.get("min_years", 5))
    rank = RATING_RANK[p["rating"]]
    got = [y for y in years if RATING_RANK[ctx.facts.years[y].rating or "kht"] >= rank]
    label = RATING_VI[p["rating"]]
    if len(got) >= p["count"]:
        return True, f"Trong thời gian đó có {len(got)} năm {label} ({_years_text(got)})", NONE
    cut = _streak_cut_by_unknown(ctx, years, streak_missing)
    if cut:
        return None, f"Thiếu kết quả xếp loại để xác định số năm {label} trong thời gian đó", (cut,)
    return False, f"Trong thời gian đó có {len(got)} năm {label}; yêu cầu {p['count']}", NONE


@predicate("count_in_span", required=("codes", "count", "span"))
def count_in_span(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    """Titles or regular awards among `codes` over the last `span` achievement years."""
    codes = p["codes"]
    years = range(ctx.year - p["span"] + 1, ctx.year + 1)
    got: list[int] = []
    unknown: list[str] = []
    for y in years:
        yf = _yf(ctx, y)
        if yf is None or (yf.titles is None and yf.awards is None):
            unknown.append(f"years.{y}.titles")
            continue
        hit = any(t.code in codes for t in yf.titles or ()) or any(
            a.code in codes and not a.revoked and a.basis in (None, "cong_trang") for a in yf.awards or ()
        )
        if hit:
            got.append(y)
    names = " hoặc ".join(AWARD_VI[c] for c in codes)
    if len(got) >= p["count"]:
        return True, f"Có {len(got)} lần {names} trong {p['span']} năm ({_years_text(got)})", NONE
    if len(got) + len(unknown) >= p["count"]:
        return None, f"Chưa đủ dữ kiện để đếm {names}", tuple(unknown)
    return False, f"Chỉ có {len(got)} lần {names} trong {p['span']} năm; yêu cầu {p['count']}", NONE


# ---------------------------------------------------------------- collectives and service


def _members(ctx: Ctx, field: str):
    y = ctx.year
    yf = _yf(ctx, y)
    m = yf.members if yf is not None else None
    if m is None:
        return None, None, f"years.{y}.members"
    if not m.total:
        return None, None, f"years.{y}.members.total"
    val = getattr(m, field)
    if val is None:
        return None, None, f"years.{y}.members.{field}"
    return m.total, val, None


_MEMBER_VI = {
    "ldtt": "đạt Lao động tiên tiến",
    "completing": "hoàn thành nhiệm vụ trở lên",
    "cstd_co_so": "đạt Chiến sĩ thi đua cơ sở",
    "disciplined": "bị kỷ luật từ cảnh cáo trở lên",
}


@predicate("members_share", required=("field", "min_ratio"), optional=("strict",))
def members_share(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    total, val, missing = _members(ctx, p["field"])
    if missing:
        return None, "Chưa có số liệu thành viên của tập thể", (missing,)
    ratio = val / total
    need = p["min_ratio"]
    ok = ratio > need if p.get("strict") else ratio >= need
    cmp = "trên" if p.get("strict") else "ít nhất"
    what = _MEMBER_VI.get(p["field"], p["field"])
    return ok, f"{val}/{total} thành viên {what} ({ratio:.0%}; yêu cầu {cmp} {need:.0%})", NONE


@predicate("members_at_least", required=("field", "min"))
def members_at_least(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    total, val, missing = _members(ctx, p["field"])
    if missing:
        return None, "Chưa có số liệu thành viên của tập thể", (missing,)
    what = _MEMBER_VI.get(p["field"], p["field"])
    return val >= p["min"], f"{val} thành viên {what} (yêu cầu ít nhất {p['min']})", NONE


@predicate("members_at_most", required=("field", "max"), optional=("skip_if_unknown",))
def members_at_most(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    total, val, missing = _members(ctx, p["field"])
    if missing and p.get("skip_if_unknown") and missing.endswith("." + p["field"]):
        return SKIP
    if missing:
        return None, "Chưa có số liệu thành viên của tập thể", (missing,)
    what = _MEMBER_VI.get(p["field"], p["field"])
    return val <= p["max"], f"{val} thành viên {what} (tối đa {p['max']})", NONE


@predicate("members_all_completing")
def members_all_completing(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    total, val, missing = _members(ctx, "completing")
    if missing:
        return None, "Chưa có số liệu thành viên của tập thể", (missing,)
    return val >= total, f"{val}/{total} thành viên hoàn thành nhiệm vụ trở lên (yêu cầu 100%)", NONE


@predicate("years_of_existence", required=("min_years",))
def years_of_existence(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    est = ctx.facts.established
    if est is None:
        return None, "Chưa có ngày thành lập của tập thể", ("subject.established",)
    age = ctx.year - est.year
    return age >= p["min_years"], f"Thành lập năm {est.year}: {age} năm (yêu cầu {p['min_years']})", NONE


@predicate("service_years_at_least", required=("min_years",))
def service_years_at_least(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    need = p["min_years"]
    if need is None:
        return None, "Tiêu chuẩn do bộ, ngành, tỉnh quy định: cơ quan chưa cấu hình số năm công tác", NONE
    joined = ctx.facts.joined
    if joined is None:
        return None, "Chưa có ngày bắt đầu công tác", ("subject.joined",)
    years = ctx.year - joined.year
    return years >= need, f"Đã công tác {years} năm (từ {joined.year}; yêu cầu {need})", NONE


@predicate("subject_kind", required=("kind",))
def subject_kind(ctx: Ctx, p: Mapping[str, Any]) -> Outcome:
    ok = ctx.facts.kind == p["kind"]
    return ok, ("Đối tượng là cá nhân" if ctx.facts.kind == "individual" else "Đối tượng là tập thể"), NONE
