"""Writes of the reports app: recomputing the yearly summary (`AwardTally`) from the award register.

`tally_refresh(years=..., unit_ids=...)` recomputes the given years (every year with records when None),
optionally only the rows of some units, in one transaction per year: the page never sees a half-written
year. Writers of award records may call it after their transaction commits; the others need not: the
periodic job `reports.tally` (`refresh_stale`) compares, per year, the number of records and their latest
`updated_at` (and the persons' latest `updated_at`, which the shares read) with what the summary was
computed from, and recomputes the years that moved. A daily full recomputation catches what no marker
shows (a unit turned into an enterprise).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import BooleanField, Case, Count, F, Max, Min, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.org.enums import UnitKind
from tdkt.org.models import AwardRecord, Person
from tdkt.reports.models import AwardTally, AwardTallyOverall, AwardTallyTotal, StaffTally, TallyYear

KINH = "Kinh"


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _grouped(year: int, unit_ids: Iterable[int] | None):
    person = Q(person__isnull=False)
    qs = AwardRecord.objects.filter(last_year=year).order_by()
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    return (
        qs.annotate(
            is_person=_flag(person),
            minority_=_flag(person & ~Q(person__ethnicity=KINH) & ~Q(person__ethnicity="")),
            direct_=_flag(person & Q(person__direct_worker=True)),
            leader_=_flag(person & Q(person__leader=True)),
            enterprise_=_flag(Q(person__isnull=True) & Q(collective__unit__kind=UnitKind.ENTERPRISE)),
            # decided on or before 30 June of the achievement year (the forms' "6 tháng đầu năm")
            first_half_=_flag(
                Q(decided_on__year__lt=F("last_year"))
                | Q(decided_on__year=F("last_year"), decided_on__month__lte=6)
            ),
        )
        .values(
            "unit_id",
            "award_code",
            "issuer_level",
            "basis",
            "is_person",
            "person__gender",
            "minority_",
            "direct_",
            "leader_",
            "enterprise_",
            "first_half_",
            "revoked",
        )  # fmt: skip
        .annotate(n=Count("pk"))
    )


def _markers(years: Iterable[int] | None = None) -> dict[int, tuple[int, datetime.datetime | None]]:
    """{year: (records, latest updated_at)} of the register — one GROUP BY over the records."""
    qs = AwardRecord.objects.order_by()
    if years is not None:
        qs = qs.filter(last_year__in=list(years))
    rows = qs.values("last_year").annotate(n=Count("pk"), at=Max("updated_at"))
    return {year: (n, at) for year, n, at in rows.values_list("last_year", "n", "at")}


def _people_changed_at():
    return Person.objects.order_by().aggregate(at=Max("updated_at"))["at"]


def tally_refresh(*, years: Iterable[int] | None = None, unit_ids: Iterable[int] | None = None) -> list[int]:
    """Recompute the summary of `years` (every year with records or rows when None), only the rows of
    `unit_ids` when given (the units the records are held in, not their subtrees). Returns the years."""
    markers = _markers(years)
    if years is None:
        years = set(markers) | set(AwardTally.objects.values_list("year", flat=True).distinct())
    years = sorted(set(years))
    people_at = _people_changed_at()
    unit_list = None if unit_ids is None else list(unit_ids)
    for year in years:
        with transaction.atomic():
            # one refresh of a year at a time (the periodic job, a Job asked from the page, a writer): two
            # at once would each delete what the other had not yet committed and both insert, counting twice
            TallyYear.objects.get_or_create(year=year, defaults={"computed_at": timezone.now()})
            TallyYear.objects.select_for_update().get(year=year)
            old = AwardTally.objects.filter(year=year)
            if unit_list is not None:
                old = old.filter(unit_id__in=unit_list)
            old.delete()
            AwardTally.objects.bulk_create(
                (
                    AwardTally(
                        year=year,
                        unit_id=r["unit_id"],
                        award_code=r["award_code"],
                        issuer_level=r["issuer_level"] or "",
                        basis=r["basis"] or "",
                        person=bool(r["is_person"]),
                        gender=r["person__gender"] or "",
                        minority=bool(r["minority_"]),
                        direct_worker=bool(r["direct_"]),
                        leader=bool(r["leader_"]),
                        enterprise=bool(r["enterprise_"]),
                        first_half=bool(r["first_half_"]),
                        revoked=r["revoked"],
                        count=r["n"],
                    )  # fmt: skip
                    for r in _grouped(year, unit_list).iterator(chunk_size=5000)
                ),
                batch_size=2000,
            )
            _totals(year, unit_list)
            if unit_list is None:
                n, at = markers.get(year, (0, None))
                TallyYear.objects.update_or_create(
                    year=year,
                    defaults={
                        "computed_at": timezone.now(),
                        "records": n,
                        "records_changed_at": at,
                        "people_changed_at": people_at,
                    },
                )
            else:  # a partial refresh: the year's marker still says when it was last fully computed
                TallyYear.objects.filter(year=year).update(computed_at=timezone.now())
    if unit_list is None:
        staff_refresh()
    return years


def _totals(year: int, unit_list: list[int] | None) -> None:
    """The page's coarser rows of `year` (AwardTallyTotal), summed from the detail just written, and the
    whole tree's (AwardTallyOverall), summed from those."""
    old = AwardTallyTotal.objects.filter(year=year)
    detail = AwardTally.objects.filter(year=year).order_by()
    if unit_list is not None:
        old, detail = old.filter(unit_id__in=unit_list), detail.filter(unit_id__in=unit_list)
    old.delete()
    rows = detail.values("unit_id", "award_code", "issuer_level", "person", "revoked").annotate(
        n=Sum("count"),
        w=Sum("count", filter=Q(gender="female")),
        m=Sum("count", filter=Q(minority=True)),
        d=Sum("count", filter=Q(direct_worker=True)),
        ld=Sum("count", filter=Q(leader=True)),
    )
    AwardTallyTotal.objects.bulk_create(
        (
            AwardTallyTotal(
                year=year,
                unit_id=r["unit_id"],
                award_code=r["award_code"],
                issuer_level=r["issuer_level"],
                person=r["person"],
                revoked=r["revoked"],
                count=r["n"],
                women=r["w"] or 0,
                minorities=r["m"] or 0,
                direct=r["d"] or 0,
                leaders=r["ld"] or 0,
            )  # fmt: skip
            for r in rows.iterator(chunk_size=5000)
        ),
        batch_size=2000,
    )
    # the whole tree's rows of the year, summed again from every unit's (a partial refresh changed some)
    AwardTallyOverall.objects.filter(year=year).delete()
    overall = (
        AwardTallyTotal.objects.filter(year=year)
        .order_by()
        .values("award_code", "issuer_level", "person", "revoked")
        .annotate(n=Sum("count"), w=Sum("women"), m=Sum("minorities"), d=Sum("direct"), ld=Sum("leaders"))
    )
    AwardTallyOverall.objects.bulk_create(
        (
            AwardTallyOverall(
                year=year,
                award_code=r["award_code"],
                issuer_level=r["issuer_level"],
                person=r["person"],
                revoked=r["revoked"],
                count=r["n"],
                women=r["w"],
                minorities=r["m"],
                direct=r["d"],
                leaders=r["ld"],
            )  # fmt: skip
            for r in overall
        ),
        batch_size=2000,
    )


def staff_refresh() -> None:
    """Recompute the active staff per unit and gender, minority, direct-worker and leader flags."""
    minority = ~Q(ethnicity=KINH) & ~Q(ethnicity="")
    rows = (
        Person.objects.filter(active=True, current_unit__isnull=False)
        .order_by()
        .annotate(minority_=_flag(minority))
        .values("current_unit_id", "gender", "minority_", "direct_worker", "leader")
        .annotate(n=Count("pk"))
    )
    with transaction.atomic():
        StaffTally.objects.all().delete()
        StaffTally.objects.bulk_create(
            (
                StaffTally(
                    unit_id=r["current_unit_id"],
                    gender=r["gender"] or "",
                    minority=bool(r["minority_"]),
                    direct_worker=r["direct_worker"],
                    leader=r["leader"],
                    count=r["n"],
                )  # fmt: skip
                for r in rows.iterator(chunk_size=5000)
            ),
            batch_size=2000,
        )


def stale_years() -> list[int]:
    """The years whose records (or persons) changed since their summary was computed, or never computed."""
    markers = _markers()
    people_at = _people_changed_at()
    known = {t.year: t for t in TallyYear.objects.all()}
    stale = []
    for year in set(markers) | set(known):
        t = known.get(year)
        n, at = markers.get(year, (0, None))
        if (
            t is None
            or (t.records, t.records_changed_at) != (n, at)
            or (people_at is not None and (t.people_changed_at is None or people_at > t.people_changed_at))
        ):
            stale.append(year)
    return sorted(stale)


def refresh_stale() -> list[int]:
    """Recompute the years whose records moved since their summary was computed (the periodic job)."""
    years = stale_years()
    return tally_refresh(years=years) if years else []


def computed_at(years: Iterable[int]) -> datetime.datetime | None:
    """When the oldest of the computed `years` was computed (None: none of them yet) — for the page."""
    return TallyYear.objects.filter(year__in=list(years)).aggregate(at=Min("computed_at"))["at"]


REFRESH_KIND = "reports.tally"


def tally_refresh_request(*, actor, years: Iterable[int]):
    """A background recomputation of `years` asked from the statistics page: a Job the user follows. While
    one is waiting or running, asking again gives that one instead of queuing another."""
    from tdkt.accounts.rules import require_perm
    from tdkt.core import jobs
    from tdkt.core.audit import audit
    from tdkt.core.enums import JobStatus
    from tdkt.core.models import Job
    from tdkt.reports.tasks import refresh_tally

    require_perm(actor, "reports.export_forms")
    years = sorted(set(years))
    with transaction.atomic():
        running = (
            Job.objects.filter(kind=REFRESH_KIND, status__in=[JobStatus.PENDING, JobStatus.RUNNING])
            .order_by("-created_at")
            .first()
        )
        if running is not None and set(years) <= set(running.params.get("years", [])):
            return running
        title = _("Tính lại số liệu thống kê các năm %(a)s–%(b)s") % {"a": years[0], "b": years[-1]}
        job = jobs.job_create(actor=actor, kind=REFRESH_KIND, title=title, params={"years": years})
        audit(actor, "reports.tally_refresh", job, changes={"years": years})
        jobs.job_enqueue(job, refresh_tally, job_id=str(job.pk), years=years)
    return job
