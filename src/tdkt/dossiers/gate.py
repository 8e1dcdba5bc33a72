"""The gate before a dossier is sent: every finding with its article, found in a number of queries that
does not grow with the nominations (bench/dossier.py measures it on 500).

1. every nomination complete: the papers of the checklist, the achievement report confirmed by the
   unit head;
2. eligibility re-checked on today's data (the engine, the agency's settings);
3. caps (rulebook.services.cap_findings);
4. the same subject and form in another pending dossier;
5. the same form already received for the same achievement years (or within its minimum interval);
6. the same human twice: two records under spellings that fold to the same name with the same birth
   date, or sharing an ID number.
A finding of severity BLOCK must be fixed; JUSTIFY ones may be sent with a written justification on
the nomination (where the law leaves room: a verdict the data cannot settle, two records that are
really two people).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from tdkt.core.text import fold
from tdkt.dossiers.enums import ComponentStatus, ReportStatus, Severity
from tdkt.dossiers.models import Component, Dossier, Nomination
from tdkt.dossiers.workflow import PENDING
from tdkt.org.models import AwardRecord, Person
from tdkt.rulebook import services as rulebook
from tdkt.rulebook.adapters import iter_collective_facts, iter_people_facts
from tdkt.rulebook.engine import evaluate_many

# the papers written on the system as the nominee's report and confirmed by the unit head: the full
# achievement report, or the summary of the simplified procedure
REPORT_CODES = frozenset({"bao_cao", "tom_tat"})


@dataclass
class Finding:
    kind: str  # papers | eligibility | cap | pending | received | identity
    severity: str
    message: str
    cite: str = ""
    nomination_id: int | None = None
    component_id: int | None = None


@dataclass
class GateResult:
    findings: list[Finding] = field(default_factory=list)
    justified: set[int] = field(default_factory=set)  # nomination ids whose JUSTIFY findings are explained

    @property
    def blocking(self) -> list[Finding]:
        return [
            f
            for f in self.findings
            if f.severity == Severity.BLOCK
            or f.nomination_id is None
            or f.nomination_id not in self.justified
        ]

    @property
    def ok(self) -> bool:
        return not self.blocking


def component_ready(component: Component, reports: dict[int, str], minutes: bool) -> bool:
    """A paper is there: a file uploaded; or, for a paper the system drafts, the data it is drafted from
    (a tờ trình and a list always; the minutes when the review's council met; a nominee's report once the
    unit head confirmed it). A paper the appraiser returned needs a new file."""
    if component.status == ComponentStatus.RETURNED:
        return False
    if component.status == ComponentStatus.READY:
        return True
    if not component.generated:
        return False
    if component.code in REPORT_CODES:
        return reports.get(component.nomination_id) == ReportStatus.CONFIRMED
    if component.code in ("bien_ban", "bien_ban_bo"):
        return minutes
    return True


def run_gate(dossier: Dossier) -> GateResult:
    nominations = list(dossier.nominations.select_related("person", "collective", "unit"))
    result = GateResult(justified={n.pk for n in nominations if n.justification.strip()})
    if not nominations:
        result.findings.append(
            Finding("papers", Severity.BLOCK, _("Hồ sơ chưa có người, tập thể nào được đề nghị."))
        )
        return result
    by_id = {n.pk: n for n in nominations}
    _papers(dossier, result, by_id)
    _eligibility(dossier, nominations, result)
    _caps(dossier, nominations, result)
    _pending_elsewhere(dossier, nominations, result)
    _already_received(dossier, nominations, result)
    _same_human(nominations, result)
    return result


def _papers(dossier: Dossier, result: GateResult, by_id: dict[int, Nomination]) -> None:
    from tdkt.dossiers.models import AchievementReport

    reports = dict(
        AchievementReport.objects.filter(nomination__dossier=dossier).values_list("nomination_id", "status")
    )
    minutes = bool(dossier.review_round_id and dossier.review_round and dossier.review_round.meeting_id)
    for c in dossier.components.filter(required=True, stage="unit"):
        if component_ready(c, reports, minutes):
            continue
        who = by_id.get(c.nomination_id)
        if c.code in REPORT_CODES and reports.get(c.nomination_id):
            what = _("Báo cáo thành tích của %(name)s chưa được thủ trưởng đơn vị xác nhận.") % {
                "name": who.subject
            }
        elif who is not None:
            what = _("Thiếu “%(paper)s” của %(name)s.") % {"paper": c.name, "name": who.subject}
        else:
            what = _("Thiếu “%(paper)s”.") % {"paper": c.name}
        if c.status == ComponentStatus.RETURNED:
            what += " " + _("(bị trả lại: %(reason)s)") % {"reason": c.return_reason}
        result.findings.append(
            Finding("papers", Severity.BLOCK, what, c.cite, nomination_id=c.nomination_id, component_id=c.pk)
        )


def _eligibility(dossier: Dossier, nominations: list[Nomination], result: GateResult) -> None:
    """Every nomination judged again on today's data, in bulk (a handful of queries for all)."""
    overrides = rulebook.agency_overrides()
    people = {n.person_id for n in nominations if n.person_id}
    collectives = {n.collective_id for n in nominations if n.collective_id}
    facts = {}
    if people:
        for chunk in iter_people_facts(dossier.year, person_ids=sorted(people)):
            facts.update({("p", row.id): f for row, f in chunk})
    if collectives:
        for chunk in iter_collective_facts(dossier.year, collective_ids=sorted(collectives)):
            facts.update({("c", row.id): f for row, f in chunk})
    wanted: dict[tuple, set[str]] = defaultdict(set)
    for n in nominations:
        wanted[("p", n.person_id) if n.person_id else ("c", n.collective_id)].add(n.award_code)
    verdicts = {
        key: evaluate_many(facts[key], sorted(codes), dossier.year, overrides=overrides)
        for key, codes in wanted.items()
        if key in facts
    }
    for n in nominations:
        key = ("p", n.person_id) if n.person_id else ("c", n.collective_id)
        verdict = verdicts.get(key, {}).get(n.award_code)
        if verdict is None:
            result.findings.append(
                Finding(
                    "eligibility",
                    Severity.BLOCK,
                    _("%(name)s không còn công tác.") % {"name": n.subject},
                    nomination_id=n.pk,
                )
            )
            continue
        if verdict.verdict == "eligible":
            continue
        award = rulebook.award_name(n.award_code)
        if verdict.verdict == "undetermined":
            result.findings.append(
                Finding(
                    "eligibility",
                    Severity.JUSTIFY,
                    _("Chưa đủ dữ liệu để xét %(award)s cho %(name)s: %(why)s.")
                    % {"award": award, "name": n.subject, "why": rulebook.failing_text(verdict)},
                    nomination_id=n.pk,
                )
            )
        else:
            cites = "; ".join(dict.fromkeys(r.cite for r in verdict.reasons if r.met is False and r.cite))
            result.findings.append(
                Finding(
                    "eligibility",
                    Severity.BLOCK,
                    _("%(name)s chưa đủ tiêu chuẩn %(award)s theo dữ liệu hôm nay: %(why)s.")
                    % {"award": award, "name": n.subject, "why": rulebook.failing_text(verdict)},
                    rulebook.rulebook_text(cites),
                    nomination_id=n.pk,
                )
            )


def _caps(dossier: Dossier, nominations: list[Nomination], result: GateResult) -> None:
    """A cap counts the dossier's nominations for the capped form against their base: the nominations
    for the base form, or (Cờ thi đua của Chính phủ among the holders of the ministry's flag) the year's
    records of the base form."""
    counts: dict[str, int] = defaultdict(int)
    for n in nominations:
        counts[n.award_code] += 1
    for cap in rulebook.RATIO_CAPS:
        if cap.base_from_records and counts.get(cap.capped):
            counts[cap.base] = (
                AwardRecord.objects.in_force().filter(award_code=cap.base, last_year=dossier.year).count()
            )
    for row in rulebook.cap_rows(counts, dossier.year):
        if row.exceeded:
            result.findings.append(Finding("cap", Severity.BLOCK, row.message, row.cite))


def _pending_elsewhere(dossier: Dossier, nominations: list[Nomination], result: GateResult) -> None:
    people = [n.person_id for n in nominations if n.person_id]
    collectives = [n.collective_id for n in nominations if n.collective_id]
    others = (
        Nomination.objects.filter(Q(person_id__in=people) | Q(collective_id__in=collectives))
        .filter(dossier__status__in=PENDING, award_code__in={n.award_code for n in nominations})
        .exclude(dossier=dossier)
        .exclude(decided="not_approved")
        .values_list("person_id", "collective_id", "award_code", "dossier__title")
    )
    elsewhere = {(p, c, code): title for p, c, code, title in others}
    for n in nominations:
        title = elsewhere.get((n.person_id, n.collective_id, n.award_code))
        if title:
            result.findings.append(
                Finding(
                    "pending",
                    Severity.BLOCK,
                    _("%(name)s đã được đề nghị %(award)s trong hồ sơ “%(other)s” chưa có kết quả.")
                    % {"name": n.subject, "award": rulebook.award_name(n.award_code), "other": title},
                    _(
                        "Luật Thi đua, khen thưởng 2022, Điều 5 "
                        "(không khen thưởng nhiều lần cho một thành tích)"
                    ),
                    nomination_id=n.pk,
                )
            )


def _already_received(dossier: Dossier, nominations: list[Nomination], result: GateResult) -> None:
    people = [n.person_id for n in nominations if n.person_id]
    collectives = [n.collective_id for n in nominations if n.collective_id]
    held = defaultdict(list)
    for p, c, code, first, last, number in (
        AwardRecord.objects.in_force()
        .filter(Q(person_id__in=people) | Q(collective_id__in=collectives))
        .filter(award_code__in={n.award_code for n in nominations})
        .values_list("person_id", "collective_id", "award_code", "first_year", "last_year", "decision_number")
    ):
        held[(p, c, code)].append((first, last, number))
    for n in nominations:
        interval = rulebook.min_interval_years(n.award_code, dossier.year)
        for first, last, number in held.get((n.person_id, n.collective_id, n.award_code), []):
            overlap = first <= n.last_year and n.first_year <= last
            too_soon = interval and n.last_year - last < interval
            if overlap or too_soon:
                why = (
                    _("đã được khen thưởng cho năm %(years)s (QĐ %(number)s)")
                    if overlap
                    else _("được khen thưởng lần trước năm %(years)s (QĐ %(number)s), chưa đủ %(n)s năm")
                ) % {"years": last if first == last else f"{first}–{last}", "number": number, "n": interval}
                result.findings.append(
                    Finding(
                        "received",
                        Severity.BLOCK,
                        _("%(name)s %(why)s: %(award)s.")
                        % {"name": n.subject, "why": why, "award": rulebook.award_name(n.award_code)},
                        _("Luật Thi đua, khen thưởng 2022, Điều 5"),
                        nomination_id=n.pk,
                    )
                )
                break


def _same_human(nominations: list[Nomination], result: GateResult) -> None:
    """Two records of one human: the same folded name and birth date, or the same ID number — among
    the dossier's nominees and every record of the agency (one query each)."""
    nominees = [n for n in nominations if n.person_id]
    if not nominees:
        return
    folded = {n.pk: fold(n.person.full_name) for n in nominees}  # each name folded once
    names = set(folded.values())
    births = {n.person.birth_date for n in nominees if n.person.birth_date}
    ids = {n.person.id_number for n in nominees if n.person.id_number}
    look_alikes = defaultdict(list)
    for pk, name, birth, code, unit in Person.objects.filter(birth_date__in=births).values_list(
        "pk", "full_name", "birth_date", "code", "current_unit__name"
    ):
        key = fold(name)
        if key in names:
            look_alikes[(key, birth)].append((pk, code, unit))
    sharing = defaultdict(list)
    for pk, number, code in Person.objects.filter(id_number__in=ids).values_list("pk", "id_number", "code"):
        sharing[number].append((pk, code))
    seen: set[int] = set()
    for n in nominees:
        if n.pk in seen:
            continue
        p = n.person
        twins = [t for t in look_alikes.get((folded[n.pk], p.birth_date), []) if t[0] != p.pk]
        if twins:
            seen.add(n.pk)
            result.findings.append(
                Finding(
                    "identity",
                    Severity.JUSTIFY,
                    _(
                        "%(name)s (%(code)s, sinh %(birth)s) trùng họ tên và ngày sinh với %(others)s: "
                        "có thể là cùng một người ghi hai hồ sơ."
                    )
                    % {
                        "name": p.full_name,
                        "code": p.code,
                        "birth": p.birth_date.strftime("%d/%m/%Y"),
                        "others": ", ".join(f"{code} ({unit})" for _pk, code, unit in twins[:3]),
                    },
                    nomination_id=n.pk,
                )
            )
        same_id = [t for t in sharing.get(p.id_number, []) if t[0] != p.pk]
        if same_id:
            result.findings.append(
                Finding(
                    "identity",
                    Severity.BLOCK,
                    _("%(name)s dùng chung số định danh với hồ sơ %(others)s; hãy để Vụ TĐKT xác minh trước.")
                    % {"name": p.full_name, "others": ", ".join(code for _pk, code in same_id[:3])},
                    nomination_id=n.pk,
                )
            )
