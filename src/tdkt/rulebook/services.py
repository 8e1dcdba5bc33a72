"""Writes of the rulebook app: agency settings (audited, legal default kept) and batch eligibility runs."""

from __future__ import annotations

import datetime
import functools
import gc
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.accounts.rules import require_perm
from tdkt.core import jobs
from tdkt.core.audit import audit
from tdkt.core.enums import AuditAction, JobStatus
from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent, Job
from tdkt.core.text import is_digits
from tdkt.org.models import AwardRecord, Collective, Discipline, Evaluation, Initiative, Leave, Person, Unit
from tdkt.rulebook.adapters import (
    SubjectRow,
    collectives_queryset,
    iter_collective_facts,
    iter_people_facts,
    people_queryset,
)
from tdkt.rulebook.engine import Verdict, evaluate_many, load_rulebooks
from tdkt.rulebook.engine.codes import AWARD_CODES, AWARD_VI, DISCIPLINE_VI, RATING_VI
from tdkt.rulebook.engine.evaluate import default_proposal_date
from tdkt.rulebook.enums import RunStatus
from tdkt.rulebook.models import AgencySetting, EligibilityResult, EligibilityRun

# ---------------------------------------------------------------- the codes a subject is asked about


def codes_for(kind: str, year: int) -> list[str]:
    """Award codes that apply to individuals or to collectives under the regime that judges `year`."""
    regime = load_rulebooks().regime_for(default_proposal_date(year))
    return [c for c in AWARD_CODES if regime.awards[c].subject in (kind, "both")]


# ---------------------------------------------------------------- agency settings

ISSUER_VI = {
    "ministry": gettext_lazy("Bộ, ngành"),
    "province": gettext_lazy("Tỉnh, thành phố"),
    "central_org": gettext_lazy("Cơ quan Trung ương của Đảng, Mặt trận, đoàn thể"),
    "provincial_org": gettext_lazy("Cơ quan cấp tỉnh của đoàn thể"),
}


@dataclass(frozen=True)
class SettingDef:
    """A delegated value as the rulebook defines it: its legal default, citation and value type."""

    key: str
    default: Any
    cite: str
    description: str
    confirmed: bool
    note: str
    type: str  # bool | ratio | int | rating | choice | codes | text_list | text
    choices: tuple[tuple[str, str], ...] = ()
    regimes: tuple[str, ...] = ()


VOTE_BASIS = {
    "all": gettext_lazy("tổng số thành viên Hội đồng"),
    "present": gettext_lazy("số thành viên có mặt"),
}
# the tie-break rules of a bloc's ranking (clusters.scoring), in the order the agency lists them
TIE_BREAK = {
    "bonus": gettext_lazy("nhiều điểm thưởng hơn xếp trên"),
    "deduction": gettext_lazy("ít điểm trừ hơn xếp trên"),
    "self": gettext_lazy("tự chấm sát kết quả thẩm định hơn xếp trên"),
}


# collective.chain_across_merger (issue 11): a merged unit's collective continues a predecessor's years
MERGER_CHAIN = {
    "continue": gettext_lazy("tính nối tiếp các năm của tập thể đơn vị cũ"),
    "restart": gettext_lazy("tính lại từ năm đầu sau sắp xếp"),
}


def _setting_type(key: str, default: Any) -> tuple[str, tuple[tuple[str, str], ...]]:
    # The YAML has no explicit type yet; it follows from the legal default (or the key when it is null).
    if isinstance(default, bool):
        return "bool", ()
    if key.endswith("across_merger") and default in MERGER_CHAIN:
        return "choice", tuple((k, str(v)) for k, v in MERGER_CHAIN.items())
    if key.endswith("tie_break"):
        return "text_list", tuple((k, str(v)) for k, v in TIE_BREAK.items())
    if key.endswith("vote_basis") and default in VOTE_BASIS:
        return "choice", tuple((k, str(v)) for k, v in VOTE_BASIS.items())
    if isinstance(default, list):
        if default and set(default) <= set(AWARD_VI):
            return "codes", tuple((k, str(v)) for k, v in AWARD_VI.items())
        if set(default) <= set(DISCIPLINE_VI):
            return "codes", tuple(DISCIPLINE_VI.items())
        if set(default) <= set(ISSUER_VI):
            return "codes", tuple((k, str(v)) for k, v in ISSUER_VI.items())
        return "text_list", ()
    if isinstance(default, str) and default in RATING_VI:
        return "rating", tuple(RATING_VI.items())
    if isinstance(default, float) or key.endswith(("ratio_cap", "threshold", "ratio")):
        return "ratio", ()
    if isinstance(default, int) or key.endswith("years"):
        return "int", ()
    return "text", ()


def setting_definitions(on: datetime.date | None = None) -> dict[str, SettingDef]:
    """Every delegated value of every regime; the default shown is the one in force on `on` (today)."""
    books = load_rulebooks()
    day = on or timezone.localdate()
    out: dict[str, SettingDef] = {}
    for regime in sorted(books.regimes, key=lambda r: r.covers(day)):  # the regime in force wins
        values = regime.settings_at(day)
        for key, s in regime.settings.items():
            kind, choices = _setting_type(key, s.default)
            previous = out.get(key)
            out[key] = SettingDef(
                key=key,
                default=values[key],
                cite=s.cite,
                description=s.description_vi,
                confirmed=s.confirmed,
                note=s.note or "",
                type=kind,
                choices=choices,
                regimes=((previous.regimes if previous else ()) + (regime.code,)),
            )
    return dict(sorted(out.items()))


def agency_overrides() -> dict[str, Any]:
    """The values the agency changed, to pass to the engine. One query."""
    return dict(AgencySetting.objects.values_list("key", "value"))


def parse_setting_value(definition: SettingDef, raw: Any) -> Any:
    """Turn form input into a value of the setting's type, or raise ServiceError in Vietnamese."""
    kind = definition.type
    if kind == "bool":
        return raw in (True, "1", "true", "on", "yes")
    if kind == "codes":
        items = [raw] if isinstance(raw, str) else list(raw or [])
        allowed = dict(definition.choices)
        bad = [i for i in items if i not in allowed]
        if bad:
            raise ServiceError(_("Giá trị không hợp lệ: %(v)s.") % {"v": ", ".join(bad)}, field="value")
        return [k for k in allowed if k in items]
    text = str(raw if raw is not None else "").strip()
    if kind == "text_list":
        parts = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
        allowed = dict(definition.choices)
        bad = [p for p in parts if allowed and p not in allowed]
        if bad:
            raise ServiceError(
                _("Giá trị không hợp lệ: %(v)s. Dùng: %(ok)s.")
                % {"v": ", ".join(bad), "ok": ", ".join(allowed)},
                field="value",
            )
        return parts
    if kind in ("ratio", "int") and text == "":
        return None
    if kind == "ratio":
        try:
            value = float(text.replace(",", ".").rstrip("%"))
        except ValueError:
            raise ServiceError(_("Nhập một tỷ lệ, ví dụ 0,9 hoặc 90%."), field="value") from None
        if text.endswith("%") or value > 1:
            value /= 100
        if not 0 <= value <= 1:
            raise ServiceError(_("Tỷ lệ phải từ 0 đến 100%."), field="value")
        return round(value, 4)
    if kind == "int":
        if not is_digits(text):
            raise ServiceError(_("Nhập một số nguyên không âm."), field="value")
        value = int(text)
        if value > 100:
            raise ServiceError(_("Giá trị quá lớn (tối đa 100)."), field="value")
        return value
    if kind == "rating":
        if text not in RATING_VI:
            raise ServiceError(_("Chọn một mức xếp loại."), field="value")
        return text
    if kind == "choice":
        if text not in dict(definition.choices):
            raise ServiceError(_("Chọn một giá trị trong danh sách."), field="value")
        return text
    if not text:
        raise ServiceError(_("Giá trị không được để trống."), field="value")
    return text[:255]


def _definition(key: str) -> SettingDef:
    definition = setting_definitions().get(key)
    if definition is None:
        raise ServiceError(_("Không có cài đặt %(key)s trong bộ quy tắc.") % {"key": key})
    return definition


def setting_change(*, actor, key: str, raw: Any) -> AgencySetting | None:
    """Set the agency's value of `key` (validated against its type). Equal to the legal default: reset."""
    definition = _definition(key)
    value = parse_setting_value(definition, raw)
    require_perm(actor, "rulebook.change_settings")
    if value == definition.default:
        setting_reset(actor=actor, key=key)
        return None
    with transaction.atomic():
        setting = AgencySetting.objects.select_for_update().filter(key=key).first()
        old = setting.value if setting is not None else definition.default
        if setting is None:
            setting = AgencySetting(key=key)
        if setting.pk is not None and old == value:
            return setting
        setting.value, setting.changed_by = value, actor
        setting.save()
        audit(
            actor,
            "rulebook.setting_change",
            setting,
            action=AuditAction.UPDATE,
            changes={"value": [old, value], "legal_default": definition.default},
        )
    return setting


def setting_reset(*, actor, key: str) -> None:
    """Go back to the legal default: the stored override is removed, the change audited."""
    definition = _definition(key)
    require_perm(actor, "rulebook.change_settings")
    with transaction.atomic():
        setting = AgencySetting.objects.select_for_update().filter(key=key).first()
        if setting is None:
            return
        old = setting.value
        audit(
            actor,
            "rulebook.setting_reset",
            setting,
            action=AuditAction.UPDATE,
            changes={"value": [old, definition.default]},
        )
        setting.delete()


# ---------------------------------------------------------------- settings and rulebook texts in words

SETTING_LABELS = {
    "ldtt.discipline_forms_excluded": gettext_lazy("Hình thức kỷ luật không được xét Lao động tiên tiến"),
    "ldtt.exclude_admin_sanction": gettext_lazy(
        "Không xét Lao động tiên tiến khi bị xử phạt vi phạm hành chính"
    ),
    "cstd_co_so.ratio_cap": gettext_lazy("Tỷ lệ tối đa Chiến sĩ thi đua cơ sở"),
    "co_thi_dua_cp.ratio_cap": gettext_lazy("Tỷ lệ tối đa tập thể đề nghị Cờ thi đua của Chính phủ"),
    "council.vote_threshold": gettext_lazy("Tỷ lệ phiếu đồng ý tối thiểu của Hội đồng Thi đua – Khen thưởng"),
    "council.vote_basis": gettext_lazy("Cơ sở tính tỷ lệ phiếu của Hội đồng Thi đua – Khen thưởng"),
    "council.quorum": gettext_lazy("Điều kiện hợp lệ của phiên họp Hội đồng Thi đua – Khen thưởng"),
    "bang_khen_bo.issuers_counted": gettext_lazy("Cấp ban hành Bằng khen được tính là cấp bộ, ngành, tỉnh"),
    "giay_khen.min_rating": gettext_lazy("Mức xếp loại tối thiểu để xét Giấy khen"),
    "ky_niem_chuong.min_service_years": gettext_lazy("Số năm công tác để xét Kỷ niệm chương"),
    "hc_doc_lap_3.collective_min_years": gettext_lazy(
        "Số năm thành lập tối thiểu của tập thể đề nghị Huân chương Độc lập hạng Ba"
    ),
}


def _setting_description(key: str) -> str | None:
    for regime in load_rulebooks().regimes:
        s = regime.settings.get(key)
        if s is not None:
            return s.description_vi
    return None


def setting_label(key: str) -> str:
    """A delegated value's name for people (a setting the list does not know: its description)."""
    label = SETTING_LABELS.get(key)
    if label is not None:
        return str(label)
    description = _setting_description(key)
    return description.rstrip(". ") if description else key


def _percent(value: float) -> str:
    text = f"{value * 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def format_setting_value(definition: SettingDef, value: Any) -> str:
    """A setting's value for people: labels instead of codes, ratios as percentages, Có/Không."""
    kind = definition.type
    if value is None or value == "":
        return _("Chưa quy định") if kind == "int" else _("Không áp dụng")
    if kind == "bool" or isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, list | tuple):
        if not value:
            return _("Không có")
        labels = dict(definition.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if kind == "ratio" and isinstance(value, int | float):
        return _percent(value)
    if kind == "rating":
        return RATING_VI.get(value, str(value))
    if kind == "choice":
        return str(dict(definition.choices).get(value, value))
    return str(value)


def setting_input_value(definition: SettingDef, value: Any) -> str:
    """The text put back in a setting's input box (a ratio as 90%, which the form accepts)."""
    if value is None:
        return ""
    if definition.type == "ratio" and isinstance(value, int | float) and not isinstance(value, bool):
        return _percent(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


# "theo law.md §7", "ghi trong docs/law-qa.md": the rulebook authors' notes, not a legal source
_DEV_REFERENCE = re.compile(
    r"[\s,;–—-]*\b(?:theo|ghi trong|xem)\s+(?:docs/)?[\w./-]+\.md\b(?:\s*§\s*[\d.]+)?"
)


@functools.lru_cache(maxsize=4)
def _text_patterns(_books_id: int) -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    keys = sorted({k for r in load_rulebooks().regimes for k in r.settings}, key=len, reverse=True)
    setting_re = re.compile(r"(cài đặt\s+)?\b(" + "|".join(re.escape(k) for k in keys) + r")\b")
    names: dict[str, str] = {}
    for code, name in AWARD_VI.items():
        if "_" in code:
            names[code] = name
            names[code.replace("_", " ")] = name
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    award_re = re.compile(r"\b(" + alternatives + r")\b")
    return setting_re, award_re, names


def rulebook_text(text: str | None) -> str:
    """A rulebook text (route name, citation, reason, step) as people read it: a setting key becomes the
    setting's label, an award code its Vietnamese name, and references to the project's notes go."""
    if not text:
        return ""
    setting_re, award_re, names = _text_patterns(id(load_rulebooks()))
    text = _DEV_REFERENCE.sub("", str(text))

    def setting(m: re.Match) -> str:
        label = setting_label(m.group(2))
        return _("cài đặt của cơ quan “%(label)s”") % {"label": label} if m.group(1) else f"“{label}”"

    text = setting_re.sub(setting, text)
    return award_re.sub(lambda m: names[m.group(1)], text)


# ---------------------------------------------------------------- batch evaluation


def evaluate_subtree(
    year: int,
    *,
    unit: Unit | None,
    overrides: dict[str, Any] | None = None,
    chunk_size: int = 2000,
) -> Iterator[list[tuple[SubjectRow, dict[str, Verdict]]]]:
    """Verdicts of every relevant code for the people, then the collectives, of `unit`'s subtree.

    The cyclic garbage collector is paused while the batch runs: the facts and verdicts are acyclic,
    short-lived and many, and the collector's repeated scans of them took almost half the batch time
    (bench/eligibility.py). Reference counting still frees every chunk as soon as it is consumed."""
    books = load_rulebooks()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for kind, chunks in (
            ("individual", iter_people_facts(year, unit=unit, chunk_size=chunk_size)),
            ("collective", iter_collective_facts(year, unit=unit, chunk_size=chunk_size)),
        ):
            codes = codes_for(kind, year)
            for chunk in chunks:
                yield [
                    (row, evaluate_many(facts, codes, year, overrides=overrides, rulebooks=books))
                    for row, facts in chunk
                ]
    finally:
        if was_enabled:
            gc.enable()


MISSING_FIELDS = {
    "rating": gettext_lazy("kết quả xếp loại"),
    "months_worked": gettext_lazy("số tháng công tác"),
    "leave": gettext_lazy("thời gian nghỉ"),
    "discipline": gettext_lazy("kỷ luật"),
    "titles": gettext_lazy("danh hiệu đã đạt"),
    "awards": gettext_lazy("khen thưởng đã nhận"),
    "initiatives": gettext_lazy("sáng kiến, đề tài"),
    "registered": gettext_lazy("đăng ký thi đua"),
    "members": gettext_lazy("số liệu thành viên"),
    "total": gettext_lazy("tổng số thành viên"),
    "completing": gettext_lazy("số thành viên hoàn thành nhiệm vụ"),
    "ldtt": gettext_lazy("số thành viên đạt Lao động tiên tiến"),
    "cstd_co_so": gettext_lazy("số thành viên đạt Chiến sĩ thi đua cơ sở"),
    "disciplined": gettext_lazy("số thành viên bị kỷ luật"),
    "established": gettext_lazy("ngày thành lập"),
    "joined": gettext_lazy("ngày bắt đầu công tác"),
}


def missing_label(path: str) -> str:
    """A missing fact in words: `years.2024.rating` → "kết quả xếp loại năm 2024"."""
    parts = path.split(".")
    if parts[0] == "years" and len(parts) >= 3 and parts[1].isdigit():
        field = MISSING_FIELDS.get(parts[-1])
        if field is not None:
            return _("%(what)s năm %(year)s") % {"what": field, "year": parts[1]}
    field = MISSING_FIELDS.get(parts[-1])
    return str(field) if field is not None else path


def failing_text(verdict: Verdict) -> str:
    """The short text of a list row: what fails, or which facts are missing."""
    if verdict.verdict == "eligible":
        return ""
    if verdict.verdict == "undetermined":
        return (_("Thiếu: ") + ", ".join(missing_label(m) for m in verdict.missing))[:500]
    seen: dict[str, None] = {}
    for r in verdict.reasons:
        if r.met is False:
            seen.setdefault(r.detail)
    if not seen:
        for r in verdict.reasons:
            if r.met is None:
                seen.setdefault(r.detail)
    return "; ".join(seen)[:500]


RESULT_FIELDS = (
    "run_id",
    "person_id",
    "collective_id",
    "unit_id",
    "year",
    "award_code",
    "verdict",
    "regime",
    "failing",
    "missing",
    "forecast_year",
)


def result_values(run: EligibilityRun, row: SubjectRow, verdict: Verdict, *, with_forecast: bool) -> tuple:
    """One EligibilityResult as a tuple of RESULT_FIELDS (written with executemany, not model objects:
    building and preparing 1.7 million model instances took most of a national run)."""
    forecast = verdict.forecast if with_forecast else None
    individual = row.kind == "individual"
    return (
        run.pk,
        row.id if individual else None,
        None if individual else row.id,
        row.unit_id,
        run.year,
        verdict.award,
        verdict.verdict,
        verdict.regime,
        failing_text(verdict),
        json.dumps(list(verdict.missing), ensure_ascii=False),
        (forecast or {}).get("year"),
    )


def _insert_results(rows: list[tuple]) -> None:
    meta = EligibilityResult._meta
    column = {f.attname: f.column for f in meta.concrete_fields}
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(column[f]) for f in RESULT_FIELDS)}) "
        f"VALUES ({', '.join(['%s'] * len(RESULT_FIELDS))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def judgeable_years() -> list[int]:
    """The achievement years the loaded rulebooks can judge, ascending: a regime is in force on the year's
    proposal date (1 March of the next year), and the year is at most next year."""
    books = load_rulebooks()
    last = timezone.localdate().year + 1
    first = min(r.effective_from for r in books.regimes).year - 1
    return [
        y for y in range(first, last + 1) if any(r.covers(default_proposal_date(y)) for r in books.regimes)
    ]


def _check_year(year: int) -> int:
    """The year as an int, or ServiceError (in Vietnamese) when no loaded regime judges it."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ServiceError(_("Năm không hợp lệ."), field="year") from None
    years = judgeable_years()
    if year not in years:
        raise ServiceError(
            _(
                "Không xét được năm %(year)s: các quy định đã nạp chỉ áp dụng cho năm thành tích "
                "từ %(first)s đến %(last)s."
            )
            % {"year": year, "first": years[0], "last": years[-1]},
            field="year",
        )
    return year


check_year = _check_year


def run_request(*, actor, unit_id: int, year: int) -> EligibilityRun:
    """Ask for a batch run of a unit subtree: the run and its Job are created, the task enqueued on commit."""
    year = _check_year(year)
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ServiceError(_("Không tìm thấy đơn vị."), field="unit")
    require_perm(actor, "rulebook.run_eligibility", unit)
    with transaction.atomic():
        # a run whose job a dead worker left behind (failed by core.workers' sweep) blocks nothing
        busy = (
            EligibilityRun.objects.filter(
                unit=unit, year=year, status__in=[RunStatus.PENDING, RunStatus.RUNNING]
            )
            .exclude(job__status=JobStatus.FAILED)
            .exists()
        )
        if busy:
            raise ServiceError(
                _("Đơn vị này đang được xét cho năm %(year)s; hãy chờ lượt trước hoàn tất.") % {"year": year}
            )
        job = jobs.job_create(
            actor=actor,
            kind="rulebook.eligibility",
            title=_("Xét tiêu chuẩn khen thưởng năm %(year)s — %(unit)s") % {"year": year, "unit": unit.name},
            params={"unit_id": unit.pk, "year": year},
            unit=unit,  # the officers of the unit follow the run's job, not only the one who started it
        )
        run = EligibilityRun.objects.create(unit=unit, year=year, job=job, created_by=actor)
        audit(
            actor, "rulebook.eligibility_run", run, changes={"unit": unit.pk, "year": year}, unit_id=unit.pk
        )

        def enqueue() -> None:
            from tdkt.rulebook.tasks import run_eligibility

            run_eligibility.enqueue(run_id=run.pk)

        transaction.on_commit(enqueue)
    return run


def run_execute(
    *,
    run_id: int,
    with_forecast: bool = True,
    chunk_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> EligibilityRun:
    """Evaluate the run's subtree and replace its stored results. Called by the task and by
    `tdkt eligibility run`.

    The new results are written chunk by chunk, each chunk committed with the job's progress so the
    progress page moves; pages list only results of finished runs, so they keep showing the previous
    run until this one is done. At the end one transaction removes the previous results of the subtree
    and marks the run done; on failure this run's partial results are removed."""
    run = EligibilityRun.objects.select_related("unit", "job").get(pk=run_id)
    unit, year = run.unit, run.year
    now = timezone.now()
    people = people_queryset(unit).count()
    collectives = collectives_queryset(unit).count()
    total = people + collectives
    EligibilityRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=now, people_count=people, collective_count=collectives
    )
    if run.job_id:
        jobs.job_start(run.job_id, total=total)  # records the worker: a dead one's run fails, can restart
    overrides = agency_overrides()
    done = results = eligible = 0
    subtree = Unit.objects.filter(path__startswith=unit.path).values("pk")
    try:
        for chunk in evaluate_subtree(year, unit=unit, overrides=overrides, chunk_size=chunk_size):
            rows = [
                result_values(run, row, verdict, with_forecast=with_forecast)
                for row, verdicts in chunk
                for verdict in verdicts.values()
            ]
            with transaction.atomic():
                _insert_results(rows)
                done += len(chunk)
                results += len(rows)
                eligible += sum(1 for r in rows if r[6] == "eligible")
                if run.job_id:
                    Job.objects.filter(pk=run.job_id).update(done=done)
            if progress:
                progress(done, total)
        with transaction.atomic():
            EligibilityResult.objects.filter(year=year, unit_id__in=subtree).exclude(run_id=run.pk).delete()
            finished = timezone.now()
            EligibilityRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE, finished_at=finished, result_count=results, eligible_count=eligible
            )
    except Exception as exc:
        finished = timezone.now()
        EligibilityResult.objects.filter(run_id=run.pk).delete()
        EligibilityRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=finished, message=str(exc)[:2000]
        )
        if run.job_id:
            Job.objects.filter(pk=run.job_id).update(
                status=JobStatus.FAILED, finished_at=finished, message=str(exc)[:2000]
            )
        raise
    if run.job_id:
        Job.objects.filter(pk=run.job_id).update(
            status=JobStatus.DONE,
            finished_at=finished,
            done=total,
            message=_("Đã xét %(n)s đối tượng, %(r)s kết quả, %(e)s đủ tiêu chuẩn.")
            % {"n": done, "r": results, "e": eligible},
            result={"run_id": run.pk, "results": results, "eligible": eligible},
        )
    run.refresh_from_db()
    return run


def run_in_process(
    *,
    actor,
    unit: Unit | None,
    year: int,
    with_forecast: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> EligibilityRun:
    """The shell's `tdkt eligibility run`: the same run, executed here instead of by a worker."""
    year = _check_year(year)
    if unit is None:
        unit = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        if unit is None:
            raise ServiceError(_("Chưa có đơn vị nào."))
    with transaction.atomic():
        run = EligibilityRun.objects.create(unit=unit, year=year, created_by=actor)
        audit(
            actor, "rulebook.eligibility_run", run, changes={"unit": unit.pk, "year": year}, unit_id=unit.pk
        )
    return run_execute(run_id=run.pk, with_forecast=with_forecast, progress=progress)


FACT_TABLES = (Evaluation, Discipline, Leave, Initiative, AwardRecord)


def facts_changed_since(run: EligibilityRun) -> bool:
    """True when a fact of the run's subtree (or an agency setting) changed after the run started.

    A handful of EXISTS queries on updated_at; deletions of rows are not seen (the register keeps
    award records; the lead decides whether deletes of evaluations need a tombstone)."""
    since = run.started_at
    if since is None:
        return False
    path = run.unit.path
    if AuditEvent.objects.filter(event__startswith="rulebook.setting_", at__gt=since).exists():
        return True
    if Person.objects.filter(current_unit__path__startswith=path, updated_at__gt=since).exists():
        return True
    if Collective.objects.filter(unit__path__startswith=path, updated_at__gt=since).exists():
        return True
    return any(
        model.objects.filter(unit__path__startswith=path, updated_at__gt=since).exists()
        for model in FACT_TABLES
    )


def award_name(code: str) -> str:
    return AWARD_VI.get(code, code)


def regime_for_year(year: int):
    """The regime that judges achievements of `year` proposed on the usual date (1 March after)."""
    return load_rulebooks().regime_for(default_proposal_date(year))


def award_level(code: str, year: int) -> str:
    """The level that decides the award under the regime of `year`: co_so, bo or nha_nuoc."""
    regime = regime_for_year(year)
    award = regime.awards.get(code)
    return award.definition.level if award is not None else ""


def unit_may_decide(code: str, year: int) -> bool:
    """Whether the head of a unit recognises the award (level co_so: Lao động tiên tiến, Chiến sĩ thi đua
    cơ sở, Tập thể lao động tiên tiến, Giấy khen), or it must be proposed to a higher level."""
    return award_level(code, year) == "co_so"


def setting_value(key: str, year: int):
    """An agency setting as it applies to achievements of `year`: the agency's value if changed,
    otherwise the rulebook's for that date."""
    regime = regime_for_year(year)
    values = regime.settings_at(default_proposal_date(year), agency_overrides())
    return values.get(key)


def setting_citation(key: str, year: int) -> str:
    """The article a setting comes from, in words, for messages ("… — Nghị định 91/2017/NĐ-CP, Điều 9")."""
    regime = regime_for_year(year)
    s = regime.settings.get(key)
    return rulebook_text(getattr(s, "cite", "") or "") if s is not None else ""


# ---------------------------------------------------------------- caps and intervals


@dataclass(frozen=True)
class RatioCap:
    setting: str
    capped: str  # the award whose number is capped
    base: str  # the award it is a share of
    base_from_records: bool = False  # the base is the year's awards received, not the list's own


RATIO_CAPS = (
    RatioCap("cstd_co_so.ratio_cap", "cstd_co_so", "ldtt"),
    RatioCap("co_thi_dua_cp.ratio_cap", "co_thi_dua_cp", "co_thi_dua_bo", base_from_records=True),
)


@dataclass(frozen=True)
class CapRow:
    cap: RatioCap
    have: int
    base_count: int
    ratio: float | None
    allowed: int | None
    cite: str

    @property
    def exceeded(self) -> bool:
        return self.allowed is not None and self.have > self.allowed

    @property
    def ratio_text(self) -> str:
        return _percent(self.ratio) if self.ratio is not None else ""

    @property
    def message(self) -> str:
        return _(
            "Số %(capped)s (%(have)s) vượt tỷ lệ %(ratio)s số %(base)s (%(n)s → tối đa %(allowed)s) — "
            "%(cite)s."
        ) % {
            "capped": award_name(self.cap.capped),
            "have": self.have,
            "ratio": self.ratio_text,
            "base": award_name(self.cap.base),
            "n": self.base_count,
            "allowed": self.allowed,
            "cite": self.cite,
        }


def cap_rows(counts: dict[str, int], year: int) -> list[CapRow]:
    """Each ratio cap of the regime of `year`, with the live figures of `counts` (award code -> number):
    the one computation of caps, for a review's list and a dossier's gate alike."""
    rows = []
    for cap in RATIO_CAPS:
        ratio = setting_value(cap.setting, year)
        base = counts.get(cap.base, 0)
        allowed = None if ratio in (None, "") else math.floor(float(ratio) * base + 1e-9)
        rows.append(
            CapRow(
                cap=cap,
                have=counts.get(cap.capped, 0),
                base_count=base,
                ratio=None if ratio in (None, "") else float(ratio),
                allowed=allowed,
                cite=setting_citation(cap.setting, year),
            )
        )
    return rows


def min_interval_years(code: str, year: int) -> int | None:
    """The minimum years between two awards of the same form, where the rulebook gives one."""
    regime = regime_for_year(year)
    award = regime.awards.get(code)
    interval = award.definition.min_interval if award is not None else None
    if interval is None:
        return None
    value = setting_value(interval.setting, year) if interval.setting else interval.value
    return int(value) if value not in (None, "") else None


def needs_council_vote(code: str, year: int) -> bool:
    """Whether the ministry's council votes by secret ballot on the form (a `council_vote` step)."""
    regime = regime_for_year(year)
    award = regime.awards.get(code)
    return bool(award) and any(p.get("condition") == "council_vote" for p in award.pending)


# the levels whose head decides an award: a unit decides the base-level forms, the ministry its own
DECIDES = {"unit": frozenset({"co_so"}), "ministry": frozenset({"co_so", "bo"})}


def may_decide(issuer_level: str, code: str, year: int) -> bool:
    return award_level(code, year) in DECIDES.get(issuer_level, frozenset())
