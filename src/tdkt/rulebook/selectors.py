"""Read paths of the rulebook app: live verdicts of one subject, stored candidates, the catalogue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from tdkt.accounts.scope import Scope
from tdkt.core.text import fold
from tdkt.org.models import Evaluation, Unit
from tdkt.rulebook.adapters import collective_facts, person_facts
from tdkt.rulebook.engine import Verdict, evaluate_many, load_rulebooks
from tdkt.rulebook.engine.codes import AWARD_CODES, AWARD_VI
from tdkt.rulebook.enums import RunStatus
from tdkt.rulebook.models import EligibilityResult, EligibilityRun
from tdkt.rulebook.services import agency_overrides, codes_for

REGIMES = ("law-2022", "law-2013")


def default_year(*, person_id: int | None = None, collective_id: int | None = None) -> int:
    """The last year with an evaluation of the subject; else last calendar year."""
    qs = (
        Evaluation.objects.filter(person_id=person_id)
        if person_id
        else Evaluation.objects.filter(collective_id=collective_id)
    )
    year = qs.aggregate(y=Max("year"))["y"]
    return year or timezone.localdate().year - 1


def year_choices(selected: int) -> list[int]:
    this = timezone.localdate().year
    years = list(range(this, this - 12, -1))
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


def candidate_results(scope: Scope, f: CandidateFilters) -> QuerySet[EligibilityResult]:
    # results of finished runs only: a run in progress writes its rows before the previous ones go
    qs = EligibilityResult.objects.filter(
        year=f.year, unit__path__startswith=f.unit.path, run__status=RunStatus.DONE
    )
    qs = scope.filter(qs, "unit")
    if f.award:
        qs = qs.filter(award_code=f.award)
    if f.verdict:
        qs = qs.filter(verdict=f.verdict)
    if f.q:
        needle = fold(f.q)
        qs = qs.filter(
            Q(person__search_text__contains=needle)
            | Q(collective__search_text__contains=needle)
            | Q(collective__code__icontains=f.q.strip())
        )
    return qs.select_related("person", "collective", "unit").order_by(
        "unit__path", "award_code", "collective_id", "person__sort_key", "id"
    )


def latest_run(unit: Unit, year: int) -> EligibilityRun | None:
    return (
        EligibilityRun.objects.filter(unit=unit, year=year)
        .select_related("job")
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


def award_page(regime, code: str, on: datetime.date | None = None) -> dict[str, Any]:
    """Everything the rulebook says about one title or form, with the agency's values resolved."""
    award = regime.awards[code]
    a = award.definition
    day = on or timezone.localdate()
    if not regime.covers(day):
        day = regime.effective_to or regime.effective_from
    values = regime.settings_at(day, agency_overrides())
    legal = regime.settings_at(day)
    settings_used = {}
    for route in a.routes:
        for c in route.criteria:
            for ref in _refs(c.params):
                settings_used[ref] = (values.get(ref), legal.get(ref), regime.settings[ref].cite)
    money = None
    if a.money_coefficient is not None:
        m = a.money_coefficient
        money = {
            "individual": m.individual,
            "collective": m.collective,
            "cite": m.cite,
            "note": m.note,
            "variants": [{"since": v.since, "value": v.value, "cite": v.cite} for v in m.variants],
        }
    return {
        "code": code,
        "def": a,
        "name": AWARD_VI.get(code, a.name_vi),
        "routes": a.routes,
        "pending": [dict(p) for p in award.pending],
        "prerequisites": [(p, AWARD_VI.get(p, p)) for p in a.prerequisites],
        "settings_used": settings_used,
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

_RATING = {
    "htxs": "hoàn thành xuất sắc nhiệm vụ",
    "htt": "hoàn thành tốt nhiệm vụ",
    "ht": "hoàn thành nhiệm vụ",
    "kht": "không hoàn thành nhiệm vụ",
}
_SCOPE = {"co_so": "cơ sở", "bo": "bộ, ban, ngành, tỉnh", "toan_quoc": "toàn quốc"}
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
        return "Không bị kỷ luật trong năm (" + ", ".join(str(f).replace("_", " ") for f in forms) + ")"
    if kind == "holds_title_or_meets":
        return f"Đạt danh hiệu {_names([v('code')])} trong năm"
    if kind == "holds_title":
        return f"Đạt danh hiệu {_names([v('code')])}"
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
    return kind
