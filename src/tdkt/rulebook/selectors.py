"""Read paths of the rulebook app: live verdicts of one subject, stored candidates, the catalogue."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.accounts.scope import Scope
from tdkt.core.search import query_words, word_start_q
from tdkt.org.models import AwardRecord, Discipline, Evaluation, Initiative, Leave, Unit
from tdkt.rulebook.adapters import collective_facts, person_facts
from tdkt.rulebook.engine import Verdict, evaluate_many, load_rulebooks
from tdkt.rulebook.engine.codes import AWARD_CODES, AWARD_VI, DISCIPLINE_VI, RATING_VI, SCOPE_VI
from tdkt.rulebook.enums import RunStatus
from tdkt.rulebook.models import EligibilityResult, EligibilityRun
from tdkt.rulebook.services import (
    agency_overrides,
    codes_for,
    format_setting_value,
    judgeable_years,
    rulebook_text,
    setting_definitions,
    setting_label,
)

REGIMES = ("law-2022", "law-2013")


def clamp_year(year: int) -> int:
    """The nearest year the loaded rulebooks can judge."""
    years = judgeable_years()
    if year in years:
        return year
    return min(years, key=lambda y: (abs(y - year), -y))


def default_year(*, person_id: int | None = None, collective_id: int | None = None) -> int:
    """The last year with an evaluation of the subject; else last calendar year (a judgeable year)."""
    qs = (
        Evaluation.objects.filter(person_id=person_id)
        if person_id
        else Evaluation.objects.filter(collective_id=collective_id)
    )
    year = qs.aggregate(y=Max("year"))["y"]
    return clamp_year(year or timezone.localdate().year - 1)


def first_fact_year(*, person_id: int | None = None, collective_id: int | None = None) -> int | None:
    """The first year the register holds anything about the subject (one query)."""
    if person_id:
        where = {"person_id": person_id}
        models = (Evaluation, Discipline, Leave, Initiative)
    else:
        where = {"collective_id": collective_id}
        models = (Evaluation, Initiative)
    parts = [m.objects.filter(**where).order_by().values_list("year", flat=True) for m in models]
    parts.append(AwardRecord.objects.filter(**where).order_by().values_list("first_year", flat=True))
    years = list(parts[0].union(*parts[1:]))
    return min(years) if years else None


def year_choices(selected: int, since: int | None = None) -> list[int]:
    """Years to offer, newest first: those the rulebooks can judge (up to next year), from `since` on
    (the subject's first year with facts) when given; the selected year is always there."""
    years = [y for y in judgeable_years() if since is None or y >= since]
    if not years:
        years = judgeable_years()[-2:]
    if selected not in years:
        years.append(selected)
    return sorted(years, reverse=True)


def live_verdicts(kind: str, subject_id: int, year: int) -> list[Verdict]:
    """Every relevant award code for one person or collective, computed now with the agency's values."""
    facts = person_facts(subject_id, year) if kind == "individual" else collective_facts(subject_id, year)
    verdicts = evaluate_many(facts, codes_for(kind, year), year, overrides=agency_overrides())
    return list(verdicts.values())


# ---------------------------------------------------------------- candidates


@dataclass(frozen=True)
class CandidateFilters:
    unit: Unit
    year: int
    award: str = ""
    verdict: str = ""
    q: str = ""


def candidate_results(
    scope: Scope, f: CandidateFilters, *, export_scope: Scope | None = None
) -> QuerySet[EligibilityResult]:
    """Stored results of `f`'s unit subtree within `scope`; an export also within `export_scope` (the
    right to export, core.exports). The search is the one of every list (core.search): each word begins
    a word of the person's or the collective's name; a collective's code also matches anywhere."""
    # results of finished runs only: a run in progress writes its rows before the previous ones go
    qs = EligibilityResult.objects.filter(
        year=f.year, unit__path__startswith=f.unit.path, run__status=RunStatus.DONE
    )
    qs = scope.filter(qs, "unit")
    if export_scope is not None:
        qs = export_scope.filter(qs, "unit")
    if f.award:
        qs = qs.filter(award_code=f.award)
    if f.verdict:
        qs = qs.filter(verdict=f.verdict)
    if query_words(f.q):
        qs = qs.filter(
            word_start_q("person__search_text", f.q)
            | word_start_q("collective__search_text", f.q)
            | Q(collective__code__icontains=f.q.strip())
        )
    return qs.select_related("person", "collective", "unit").order_by(
        "unit__path", "award_code", "collective_id", "person__sort_key", "id"
    )


def latest_run(unit: Unit, year: int) -> EligibilityRun | None:
    return (
        EligibilityRun.objects.filter(unit=unit, year=year)
        .select_related("unit", "job", "job__unit")  # the job's unit: who may open the job (core.jobs)
        .order_by("-created_at", "-id")
        .first()
    )


def covering_run(unit: Unit, year: int) -> EligibilityRun | None:
    """The last finished run whose subtree includes `unit` (its results are the ones listed)."""
    ancestors = [int(x) for x in unit.path.strip("/").split("/") if x]
    return (
        EligibilityRun.objects.filter(unit_id__in=ancestors, year=year, status="done")
        .select_related("unit")
        .order_by("-finished_at", "-id")
        .first()
    )


def units_in_scope(scope: Scope) -> QuerySet[Unit]:
    return scope.filter_units(Unit.objects.all()).only("id", "name", "path", "depth", "code").order_by("path")


# ---------------------------------------------------------------- catalogue


def regime_or_default(code: str | None):
    books = load_rulebooks()
    if code:
        for r in books.regimes:
            if r.code == code:
                return r
    return books.regime_for(timezone.localdate())


def catalogue(regime) -> dict[str, list[dict[str, Any]]]:
    titles, forms = [], []
    for code in AWARD_CODES:
        a = regime.awards[code].definition
        entry = {
            "code": code,
            "name": a.name_vi,
            "name_en": a.name_en,
            "subject": a.subject,
            "level": a.level,
            "decided_by": a.decided_by,
            "cite": a.cite,
        }
        (titles if a.kind == "title" else forms).append(entry)
    return {"titles": titles, "forms": forms}


STEP_VI = {
    "central_appraisal": gettext_lazy("Thẩm định cấp Nhà nước (Bộ Nội vụ) và trình Thủ tướng Chính phủ"),
    "appraisal_and_decision": gettext_lazy("Thẩm định hồ sơ và quyết định khen thưởng"),
}
_TOKEN = re.compile(r"\{([a-z0-9_.]+)\}")


def _fill(text: str, values: dict[str, Any], definitions) -> str:
    """`{council.vote_threshold}` in a rulebook text → the value in words (90%)."""

    def value(m: re.Match) -> str:
        key = m.group(1)
        if key not in values or key not in definitions:
            return m.group(0)
        return format_setting_value(definitions[key], values[key])

    return _TOKEN.sub(value, text or "")


def _setting_row(key: str, values, legal, definitions, regime) -> dict[str, Any]:
    d = definitions[key]
    return {
        "key": key,
        "label": setting_label(key),
        "value": format_setting_value(d, values.get(key)),
        "legal": format_setting_value(d, legal.get(key)),
        "changed": values.get(key) != legal.get(key),
        "cite": rulebook_text(regime.settings[key].cite),
    }


def award_page(regime, code: str, on: datetime.date | None = None) -> dict[str, Any]:
    """Everything the rulebook says about one title or form, with the agency's values resolved, in words
    (no codes, no setting keys, no notes of the rulebook's authors in the body)."""
    award = regime.awards[code]
    a = award.definition
    day = on or timezone.localdate()
    if not regime.covers(day):
        day = regime.effective_to or regime.effective_from
    values = regime.settings_at(day, agency_overrides())
    legal = regime.settings_at(day)
    definitions = setting_definitions()
    used: list[str] = []
    for route in a.routes:
        for c in route.criteria:
            for ref in _refs(c.params):
                if ref not in used:
                    used.append(ref)
    routes = [
        {
            "id": r.id,
            "heading": route_heading(r),
            "subject": r.subject,
            "criteria": [
                {
                    "text": describe_criterion(c.kind, c.params, values),
                    "cite": rulebook_text(c.cite),
                    "note": c.note or "",
                }
                for c in r.criteria
            ],
        }
        for r in a.routes
    ]

    def limit(v, *, ratio: bool):
        if v is None:
            return None
        if v.setting and v.setting in definitions:
            text = format_setting_value(definitions[v.setting], values.get(v.setting))
            how = _("theo cài đặt của cơ quan “%(label)s”") % {"label": setting_label(v.setting)}
        elif v.value is None:
            text, how = (_("Không quy định tỷ lệ") if ratio else _("Không quy định")), ""
        else:
            text, how = (f"{v.value:.0%}" if ratio and isinstance(v.value, float) else str(v.value)), ""
        return {"text": text, "how": how, "cite": rulebook_text(v.cite), "note": v.note or ""}

    money = None
    if a.money_coefficient is not None:
        m = a.money_coefficient
        money = {
            "individual": m.individual,
            "collective": m.collective,
            "cite": rulebook_text(m.cite),
            "note": m.note or "",
            "variants": [
                {"since": v.since, "value": v.value, "cite": rulebook_text(v.cite)} for v in m.variants
            ],
        }
    return {
        "code": code,
        "def": a,
        "name": AWARD_VI.get(code, a.name_vi),
        "cite": rulebook_text(a.cite),
        "note": a.note or "",
        "routes": routes,
        "pending": [_step(_fill(p["detail"], values, definitions), p["cite"]) for p in award.pending],
        "prerequisites": [(p, AWARD_VI.get(p, p)) for p in a.prerequisites],
        "settings_used": [_setting_row(k, values, legal, definitions, regime) for k in used],
        "ratio_cap": limit(a.ratio_cap, ratio=True),
        "min_interval": limit(a.min_interval, ratio=False),
        "deadlines": [
            {
                "step": str(STEP_VI.get(d.step) or rulebook_text(d.step).replace("_", " ")),
                "working_days": d.working_days,
                "cite": rulebook_text(d.cite),
                "note": d.note or "",
            }
            for d in a.deadlines
        ],
        "dossier": [
            {
                "name": rulebook_text(c.name_vi),
                "template": c.template,
                "applies_to": c.applies_to,
                "cite": rulebook_text(c.cite),
            }
            for c in a.dossier_components
        ],
        "money": money,
        "forecast": a.forecast,
    }


def _refs(value: Any, acc: list[str] | None = None) -> list[str]:
    acc = [] if acc is None else acc
    if isinstance(value, str) and value.startswith("setting:"):
        acc.append(value[len("setting:") :])
    elif isinstance(value, dict):
        for v in value.values():
            _refs(v, acc)
    elif isinstance(value, list):
        for v in value:
            _refs(v, acc)
    return acc


# ---------------------------------------------------------------- criteria in words (training pages)

_RATING = RATING_VI  # the engine's own Vietnamese labels
_SCOPE = SCOPE_VI
_MEMBER = {
    "ldtt": "đạt Lao động tiên tiến",
    "completing": "hoàn thành nhiệm vụ trở lên",
    "cstd_co_so": "đạt Chiến sĩ thi đua cơ sở",
    "disciplined": "bị kỷ luật từ cảnh cáo trở lên",
}


def _names(codes) -> str:
    return ", ".join(AWARD_VI.get(c, c) for c in codes or ())


def _pct(x) -> str:
    return f"{x:.0%}" if isinstance(x, int | float) else str(x)


def describe_criterion(kind: str, p: dict[str, Any], values: dict[str, Any]) -> str:
    """One criterion of the rulebook as a Vietnamese sentence (setting references resolved)."""

    def v(key, default=None):
        raw = p.get(key, default)
        if isinstance(raw, str) and raw.startswith("setting:"):
            return values.get(raw[len("setting:") :])
        return raw

    if kind == "rating_at_least":
        year = "năm đề nghị" if not p.get("offset") else f"năm trước đó {abs(p['offset'])} năm"
        return f"Xếp loại {_RATING.get(v('min'), v('min'))} trở lên ({year})"
    if kind == "months_worked_at_least":
        return f"Có ít nhất {v('min')} tháng công tác trong năm (nghỉ thai sản được tính)"
    if kind == "no_discipline":
        forms = v("forms") or []
        if v("admin_sanction") and not forms:
            return "Không bị xử phạt vi phạm hành chính trong năm"
        if not forms:
            return "Không bị kỷ luật trong năm (cơ quan không loại trừ hình thức kỷ luật nào)"
        return "Không bị kỷ luật trong năm (" + ", ".join(DISCIPLINE_VI.get(f, str(f)) for f in forms) + ")"
    if kind == "absence_days_below":
        text = (
            f"Nghỉ việc dưới {v('max_days')} ngày làm việc trong năm "
            "(không kể nghỉ thai sản, điều trị thương tích, đi học)"
        )
        start, end = _day(v("in_force_from")), _day(v("in_force_until"))
        if start and end:
            text += f"; áp dụng cho hồ sơ đề nghị từ {start} đến {end}"
        elif start:
            text += f"; áp dụng cho hồ sơ đề nghị từ {start}"
        elif end:
            text += f"; áp dụng cho hồ sơ đề nghị đến {end}"
        return text
    if kind == "any_of":
        options = [
            describe_criterion(o.get("kind", ""), o.get("params") or {}, values)
            for o in p.get("options") or ()
            if isinstance(o, dict)
        ]
        return "Đáp ứng một trong các điều kiện: " + "; hoặc ".join(o[:1].lower() + o[1:] for o in options)
    if kind == "consecutive_cycles":
        return (
            f"{v('count')} lần liên tục đạt {_names([v('code')])} "
            f"(mỗi lần cách lần trước không quá {v('cycle')} năm)"
        )
    if kind == "proposed_soon_after_title":
        return (
            f"Đề nghị chậm nhất {v('max_years_after')} năm sau năm có quyết định công nhận "
            f"{_names([v('code')])}"
        )
    if kind == "holds_title_or_meets":
        return f"Đạt danh hiệu {_names([v('code')])} trong năm"
    if kind == "holds_title":
        offset = p.get("offset") or 0
        when = "" if not offset else f" (năm trước đó {abs(offset)} năm)"
        return f"Đạt danh hiệu {_names([v('code')])}{when}"
    if kind == "consecutive_titles":
        return f"{v('count')} năm liên tục đạt {_names([v('code')])}"
    if kind == "consecutive_ratings":
        return f"{v('count')} năm liên tục {_RATING.get(v('min'), v('min'))}"
    if kind == "initiatives_count":
        span = v("span", 1)
        where = "trong năm" if span == 1 else f"trong {span} năm"
        scope = _SCOPE.get(v("min_scope", "co_so"))
        text = f"Có {v('count')} sáng kiến, đề tài được công nhận phạm vi {scope} {where}"
        if p.get("exclude_used_for"):
            text += f" (chưa dùng để xét {_names(v('exclude_used_for'))})"
        return text
    if kind == "anchor_award":
        return f"Đã được tặng {_names(v('codes'))} về thành tích công trạng (mốc tính thời gian)"
    if kind == "years_after_anchor":
        return f"Sau lần khen trước, {v('min_years')} năm liên tục {_RATING.get(v('rating_min'))} trở lên"
    if kind == "titles_after_anchor":
        return f"Trong thời gian đó có {v('count')} lần {_names([v('code')])}"
    if kind == "ratings_after_anchor":
        return f"Trong thời gian đó có {v('count')} năm {_RATING.get(v('rating'))}"
    if kind == "count_in_span":
        return f"Có {v('count')} lần {_names(v('codes'))} trong {v('span')} năm"
    if kind == "members_share":
        cmp = "trên" if p.get("strict") else "ít nhất"
        return f"{cmp.capitalize()} {_pct(v('min_ratio'))} thành viên {_MEMBER.get(v('field'), v('field'))}"
    if kind == "members_at_least":
        return f"Ít nhất {v('min')} thành viên {_MEMBER.get(v('field'), v('field'))}"
    if kind == "members_at_most":
        return f"Không quá {v('max')} thành viên {_MEMBER.get(v('field'), v('field'))}"
    if kind == "members_all_completing":
        return "100% thành viên hoàn thành nhiệm vụ trở lên"
    if kind == "years_of_existence":
        return f"Thành lập ít nhất {v('min_years')} năm"
    if kind == "service_years_at_least":
        n = v("min_years")
        return (
            f"Công tác ít nhất {n} năm"
            if n is not None
            else "Số năm công tác theo quy định của bộ, ngành (chưa cấu hình)"
        )
    if kind == "judgment":
        return f"Được cấp có thẩm quyền ghi nhận: {v('what')}"
    if kind == "setting_enabled":
        if not v("enabled"):
            return "Điều kiện bổ sung của cơ quan (đang tắt)"
        then = p.get("then") or {}
        return (
            describe_criterion(then.get("kind", ""), then.get("params", {}), values)
            + " (quy chế của cơ quan)"
        )
    if kind == "subject_kind":
        return "Đối tượng là " + ("cá nhân" if v("kind") == "individual" else "tập thể")
    return _("Tiêu chí theo căn cứ pháp lý ghi bên cạnh")


def _day(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y")


# ---------------------------------------------------------------- routes and reasons in words

_ARTICLE = re.compile(r"\bĐiều\s+(\d+)")


def _article_from_id(route_id: str) -> str:
    """`74.1.d` → "Điều 74, khoản 1, điểm d"; `23.htxs` → "Điều 23"; an id of another shape → ""."""
    parts = route_id.split(".")
    out: list[str] = []
    for label, part in zip(("Điều", "khoản", "điểm"), parts, strict=False):
        if label == "điểm" and len(part) == 1 and part.isalpha():
            out.append(f"{label} {part}")
        elif label != "điểm" and part.isdigit():
            out.append(f"{label} {part}")
        else:
            break
    return ", ".join(out)


def route_article(route) -> str:
    """The article a route of the rulebook rests on: its own citation, else the id's article when the
    first criterion cites the same article of the law, else that criterion's citation."""
    source = route.cite or (route.criteria[0].cite if route.criteria else "")
    segment = source.split(";")[0].strip()
    m = _ARTICLE.search(segment)
    if m is None:
        return ""
    if not segment.startswith("Luật"):  # a decree or a circular: its name stays
        return rulebook_text(segment)
    if not route.cite:
        derived = _article_from_id(route.id)
        if derived.split(",")[0] == f"Điều {m.group(1)}":
            return derived
    return rulebook_text(segment[m.start() :])


def route_heading(route) -> str:
    """A route as a heading people read: "Trường hợp: <name> (Điều 23)", never its id."""
    name = rulebook_text(route.name)
    article = route_article(route)
    if not article:
        return _("Trường hợp: %(name)s") % {"name": name}
    if "(" in article:
        return _("Trường hợp: %(name)s — %(article)s") % {"name": name, "article": article}
    return _("Trường hợp: %(name)s (%(article)s)") % {"name": name, "article": article}


def explain(verdict: Verdict) -> dict[str, Any]:
    """The reasons of a verdict grouped by the route they belong to (the engine's reason ids are
    `<award>.<route>.<criterion>`), each route with its own status; a reason repeated identically inside
    a route once; setting keys and codes replaced by words. The engine's output is not changed."""
    regime = load_rulebooks().regime(verdict.regime)
    award = regime.awards[verdict.award].definition
    routes_by_id = {r.id: r for r in award.routes}
    prefix = verdict.award + "."
    grouped: dict[str, list] = {}
    general = []
    for reason in verdict.reasons:
        rest = reason.rule[len(prefix) :] if reason.rule.startswith(prefix) else reason.rule
        route_id, dot, _criterion = rest.rpartition(".")
        if dot and route_id in routes_by_id:
            grouped.setdefault(route_id, []).append(reason)
        else:
            general.append(reason)
    routes = []
    for route in award.routes:
        reasons = grouped.get(route.id)
        if not reasons:
            continue
        met = [r.met for r in reasons]
        status = "met" if all(m is True for m in met) else "not_met" if False in met else "open"
        routes.append(
            {
                "id": route.id,
                "heading": route_heading(route),
                "status": status,
                "decisive": verdict.verdict == "eligible" and status == "met",
                # a route an eligible subject does not need: shown, but not in red
                "spare": verdict.verdict == "eligible" and status != "met",
                "reasons": _merge_reasons(reasons),
            }
        )
    if verdict.verdict == "eligible":
        routes.sort(key=lambda r: not r["decisive"])  # the route that made the subject eligible first
    return {
        "routes": routes,
        "general": _merge_reasons(general),
        "pending": [_step(p.get("detail"), p.get("cite")) for p in verdict.pending],
    }


def _step(detail: str | None, cite: str | None) -> dict[str, str]:
    """A step of the procedure in words; its citation left out when the text already says it."""
    detail, cite = rulebook_text(detail), rulebook_text(cite)
    return {"detail": detail, "cite": "" if cite and cite in detail else cite}


def _merge_reasons(reasons) -> list[dict[str, Any]]:
    out: dict[tuple, dict[str, Any]] = {}
    for r in reasons:
        key = (r.met, r.detail)
        cite = rulebook_text(r.cite)
        hit = out.get(key)
        if hit is None:
            out[key] = {"met": r.met, "detail": rulebook_text(r.detail), "cites": [cite] if cite else []}
        elif cite and cite not in hit["cites"]:
            hit["cites"].append(cite)
    for item in out.values():
        item["cite"] = "; ".join(item.pop("cites"))
    return list(out.values())
