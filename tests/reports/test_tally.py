"""The yearly summary the statistics page and the report forms read (reports.AwardTally): recomputed from
the records it equals what counting the records gives; a revocation, a new award or a changed person shows
once the summary is recomputed (the periodic job finds the years that moved); the page says when its
figures were computed and offers recomputation to who prepares the reports."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from tdkt.awards.services import award_revoke
from tdkt.core.models import Job
from tdkt.org.models import AwardRecord, Person, Unit
from tdkt.reports import services
from tdkt.reports.models import AwardTally, AwardTallyOverall, AwardTallyTotal, TallyYear
from tests.factories import make_user
from tests.reports.register import YEAR, Award, add_award, build


@pytest.fixture
def reg(db):
    return build()


def _stats(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("reports:statistics"), {"year_from": YEAR - 2, "year_to": YEAR, **params})
    assert response.status_code == 200
    return response


def _by_year(response) -> dict[str, int]:
    series = next(s for s in response.context["stats"].charts if s.key == "year")
    return {r["label"]: r["value"] for r in series.rows}


def test_the_summary_holds_the_records_counts_per_year_unit_and_form(reg):
    direct = (
        AwardRecord.objects.order_by()
        .values("last_year", "unit_id", "award_code")
        .annotate(n=Count("pk", filter=Q(revoked=False)), r=Count("pk", filter=Q(revoked=True)))
    )
    expected = {(d["last_year"], d["unit_id"], d["award_code"]): (d["n"], d["r"]) for d in direct}
    summed = (
        AwardTally.objects.order_by()
        .values("year", "unit_id", "award_code")
        .annotate(n=Sum("count", filter=Q(revoked=False)), r=Sum("count", filter=Q(revoked=True)))
    )
    got = {(s["year"], s["unit_id"], s["award_code"]): (s["n"] or 0, s["r"] or 0) for s in summed}
    assert got == expected
    assert sum(got[k][0] + got[k][1] for k in got) == len(reg.awards) == AwardRecord.objects.count()
    # records that differ in no dimension share one row: two more LĐTT of Dũng in B add one row
    rows = AwardTally.objects.count()
    add_award(reg, Award("b", "ldtt", YEAR - 2, "unit", person="dung"), 800, refresh=False)
    add_award(reg, Award("b", "ldtt", YEAR - 2, "unit", person="dung"), 801)
    assert AwardTally.objects.count() == rows + 1
    assert AwardTally.objects.get(year=YEAR - 2, unit=reg.units["b"]).count == 2


def test_a_partial_refresh_of_one_unit_gives_what_a_full_one_gives(reg):
    add_award(reg, Award("b", "ldtt", YEAR, "unit", person="dung"), 900, refresh=False)
    services.tally_refresh(years=[YEAR], unit_ids=[reg.units["b"].pk])

    def rows():
        detail = AwardTally.objects.values_list("year", "unit_id", "award_code", "gender", "revoked", "count")
        totals = AwardTallyTotal.objects.values_list(
            "year", "unit_id", "award_code", "person", "revoked", "count", "women", "direct", "leaders"
        )
        return sorted(detail), sorted(totals)

    partial = rows()
    services.tally_refresh()
    assert partial == rows()
    # Dũng (a man, a leader, not a direct worker) now has two LĐTT of YEAR in B
    total = AwardTallyTotal.objects.get(year=YEAR, unit=reg.units["b"], award_code="ldtt", revoked=False)
    assert (total.count, total.women, total.direct, total.leaders) == (2, 0, 0, 2)


def test_a_revocation_shows_after_the_refresh_of_its_year_only(client, reg):
    admin = make_user("admin", "admin", reg.units["root"])
    before = _by_year(_stats(client, admin))
    record = AwardRecord.objects.get(unit=reg.units["b"], award_code="hc_lao_dong_3", last_year=YEAR)
    award_revoke(
        actor=admin, award_id=record.pk, decision_number="9/QĐ-HB", on=datetime.date(YEAR + 1, 3, 1),
        reason="Kê khai không trung thực",
    )  # fmt: skip
    assert _by_year(_stats(client, admin)) == before  # the summary is not yet recomputed
    assert services.stale_years() == [YEAR]
    assert services.refresh_stale() == [YEAR]
    after = _stats(client, admin)
    assert _by_year(after)[str(YEAR)] == before[str(YEAR)] - 1
    assert after.context["stats"].revoked == sum(a.revoked for a in reg.awards) + 1
    assert services.stale_years() == []


def test_a_new_award_shows_after_the_periodic_job(client, reg):
    from tdkt.core.periodic import run_due

    head = make_user("head_a", "unit_head", reg.units["a"])
    before = _by_year(_stats(client, head))
    add_award(reg, Award("a1", "ldtt", YEAR - 1, "unit", person="chi"), 901, refresh=False)
    assert _by_year(_stats(client, head)) == before
    assert "reports.tally" in run_due(timezone.now() + datetime.timedelta(days=2))
    after = _by_year(_stats(client, head))
    assert after[str(YEAR - 1)] == before[str(YEAR - 1)] + 1
    # a unit head of B does not see department A's award
    head_b = make_user("head_b", "unit_head", reg.units["b"])
    mine = [a for a in reg.in_units({"b"}) if not a.revoked]
    assert _by_year(_stats(client, head_b))[str(YEAR - 1)] == sum(a.year == YEAR - 1 for a in mine)


def test_a_changed_person_marks_every_year_stale_and_the_shares_follow(client, reg):
    admin = make_user("admin", "admin", reg.units["root"])
    women_before = sum(r.women for r in _stats(client, admin).context["stats"].shares)
    dung = reg.people["dung"]
    dung_awards = [a for a in reg.awards if a.person == "dung" and not a.revoked]
    Person.objects.filter(pk=dung.pk).update(gender="female", updated_at=timezone.now())
    assert services.stale_years() == sorted(TallyYear.objects.values_list("year", flat=True))
    services.refresh_stale()
    stats = _stats(client, admin).context["stats"]
    assert sum(r.women for r in stats.shares) == women_before + len(dung_awards)
    assert stats.staff.women == sum(1 for p in Person.objects.filter(active=True, gender="female"))


def test_the_page_says_when_the_figures_were_computed(client, reg):
    TallyYear.objects.filter(year=YEAR).update(
        computed_at=datetime.datetime(2026, 12, 5, 1, 30, tzinfo=datetime.UTC)  # 08:30 in Hà Nội
    )
    officer = make_user("officer", "officer", reg.units["root"])
    html = _stats(client, officer).content.decode()
    assert "Số liệu tính đến 08:30 ngày 05/12/2026" in html
    assert reverse("reports:statistics_refresh") in html
    head = make_user("head_a", "unit_head", reg.units["a"])
    html = _stats(client, head).content.decode()
    assert "Số liệu tính đến 08:30 ngày 05/12/2026" in html
    assert reverse("reports:statistics_refresh") not in html  # a unit head reads; recomputing is not theirs


def test_years_never_computed_say_so(client, reg):
    officer = make_user("officer", "officer", reg.units["root"])
    html = _stats(client, officer, year_from=1990, year_to=1991).content.decode()
    assert "chưa được tổng hợp" in html


def test_recomputation_runs_as_a_job_and_a_second_ask_reuses_a_waiting_one(
    client, reg, django_capture_on_commit_callbacks
):
    officer = make_user("officer", "officer", reg.units["root"])
    client.force_login(officer)
    add_award(reg, Award("b", "ldtt", YEAR, "unit", person="em"), 902, refresh=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:statistics_refresh"), {"year_from": YEAR - 2, "year_to": YEAR}
        )
    job = Job.objects.get(kind="reports.tally")
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done" and job.result == {"years": [YEAR - 2, YEAR - 1, YEAR]}
    assert services.stale_years() == []
    Job.objects.filter(pk=job.pk).update(status="pending")  # as if still queued
    client.post(reverse("reports:statistics_refresh"), {"year_from": YEAR, "year_to": YEAR})
    assert Job.objects.filter(kind="reports.tally").count() == 1


def test_recomputation_refuses_a_bad_range_and_a_unit_head(client, reg):
    officer = make_user("officer", "officer", reg.units["root"])
    client.force_login(officer)
    response = client.post(reverse("reports:statistics_refresh"), {"year_from": "abc", "year_to": YEAR})
    assert response.status_code == 400
    response = client.post(reverse("reports:statistics_refresh"), {"year_from": 1900, "year_to": YEAR})
    assert response.status_code == 400
    head = make_user("head_a", "unit_head", reg.units["a"])
    client.force_login(head)
    assert (
        client.post(reverse("reports:statistics_refresh"), {"year_from": YEAR, "year_to": YEAR}).status_code
        == 403
    )
    assert client.get(reverse("reports:statistics_refresh")).status_code in (403, 405)
    assert not Job.objects.filter(kind="reports.tally").exists()


def test_the_command_recomputes_the_years(reg, capsys):
    AwardTally.objects.all().delete()
    TallyYear.objects.all().delete()
    call_command("reports_refresh", "--year", str(YEAR))
    assert set(AwardTally.objects.values_list("year", flat=True)) == {YEAR}
    assert "1 năm" in capsys.readouterr().out
    call_command("reports_refresh", "--stale")
    assert set(AwardTally.objects.values_list("year", flat=True)) == {YEAR - 2, YEAR - 1, YEAR}


def _overall_rows():
    return sorted(
        AwardTallyOverall.objects.values_list(
            "year",
            "award_code",
            "issuer_level",
            "person",
            "revoked",
            "count",
            "women",
            "minorities",
            "direct",
            "leaders",
        )
    )


def _units_summed():
    summed = (
        AwardTallyTotal.objects.order_by()
        .values("year", "award_code", "issuer_level", "person", "revoked")
        .annotate(n=Sum("count"), w=Sum("women"), m=Sum("minorities"), d=Sum("direct"), ld=Sum("leaders"))
    )
    return sorted(
        (
            s["year"],
            s["award_code"],
            s["issuer_level"],
            s["person"],
            s["revoked"],
            s["n"],
            s["w"],
            s["m"],
            s["d"],
            s["ld"],
        )
        for s in summed
    )


def test_the_whole_trees_rows_are_the_units_rows_summed_after_a_full_or_a_partial_refresh(reg):
    assert _overall_rows() == _units_summed() != []
    add_award(reg, Award("b", "ldtt", YEAR, "unit", person="dung"), 910, refresh=False)
    services.tally_refresh(years=[YEAR], unit_ids=[reg.units["b"].pk])
    assert _overall_rows() == _units_summed()
    row = AwardTallyOverall.objects.get(
        year=YEAR, award_code="ldtt", issuer_level="unit", person=True, revoked=False
    )
    assert row.count == AwardRecord.objects.filter(last_year=YEAR, award_code="ldtt", revoked=False).count()


def test_who_sees_every_unit_gets_from_the_whole_trees_rows_what_the_units_rows_give(reg):
    """The statistics of an administrator with no unit chosen are summed from AwardTallyOverall; each of
    their figures equals what the units' rows give, for every level and subject filter."""
    from tdkt.accounts.scope import Scope
    from tdkt.reports import selectors

    everything = Scope(everything=True)
    for level in ("", "unit", "ministry"):
        for subject in ("", "person", "collective"):
            f = selectors.StatFilter(year_from=YEAR - 2, year_to=YEAR, level=level, subject=subject)
            overall = selectors.awards(everything, f, per_unit=False)
            assert overall.model is AwardTallyOverall
            assert sorted(selectors.cube(overall)) == sorted(selectors.cube(selectors.awards(everything, f)))
    # the ministry's own officers see the subtree of the one top unit: every unit too
    f = selectors.StatFilter(year_from=YEAR - 2, year_to=YEAR)
    ministry = Scope(subtree_paths=(reg.units["root"].path,))
    assert selectors.awards(ministry, f, per_unit=False).model is AwardTallyOverall
    # a unit chosen, a user who sees part of the tree, or a second top unit the scope does not cover: the
    # units' rows, filtered by the scope
    chosen = selectors.StatFilter(year_from=YEAR - 2, year_to=YEAR, unit=reg.units["b"])
    assert selectors.awards(everything, chosen, per_unit=False).model is AwardTallyTotal
    part = Scope(subtree_paths=(reg.units["b"].path,))
    assert selectors.awards(part, f, per_unit=False).model is AwardTallyTotal
    assert sorted(selectors.cube(selectors.awards(part, f, per_unit=False))) != sorted(
        selectors.cube(selectors.awards(everything, f, per_unit=False))
    )
    # the page's scope and the export's together: every unit only when both see every unit
    assert (
        selectors.awards(selectors.Scopes(everything, ministry), f, per_unit=False).model is AwardTallyOverall
    )
    assert selectors.awards(selectors.Scopes(everything, part), f, per_unit=False).model is AwardTallyTotal
    Unit.objects.create(code="KHAC", name="Cơ quan khác", kind=reg.units["root"].kind)
    assert selectors.awards(ministry, f, per_unit=False).model is AwardTallyTotal


def test_the_migration_fills_the_whole_trees_rows_of_the_years_already_computed(reg):
    import importlib

    from django.apps import apps

    expected = _overall_rows()
    AwardTallyOverall.objects.all().delete()
    migration = importlib.import_module("tdkt.reports.migrations.0002_award_tally_overall")
    migration.fill(apps, None)
    assert _overall_rows() == expected != []
