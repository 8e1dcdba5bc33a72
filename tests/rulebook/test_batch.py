"""Batch evaluation of a unit subtree: results stored, re-run replaces, scope respected."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tdkt.core.models import Job
from tdkt.org.models import Evaluation
from tdkt.rulebook.models import EligibilityResult, EligibilityRun
from tdkt.rulebook.services import codes_for, facts_changed_since, run_execute, run_in_process, run_request
from tests.factories import make_user, person
from tests.rulebook.test_adapters import award, collective, rate


@pytest.fixture
def rated(tree, people):
    rate(people["an"], 2024, "htt")
    rate(people["binh"], 2024, "kht")
    rate(people["cuong"], 2024, "htxs")
    team = collective(tree["a"], code="TT-A")
    rate(team, 2024, "htt")
    award(people["an"], "ldtt", 2024)
    return {**people, "team": team}


def _verdicts(unit_code=None, **filters):
    return dict(EligibilityResult.objects.filter(**filters).values_list("award_code", "verdict"))


def test_batch_stores_one_result_per_subject_and_relevant_code(tree, rated, admin_user):
    run = run_in_process(actor=admin_user, unit=tree["a"], year=2024)
    individual, collective_codes = codes_for("individual", 2024), codes_for("collective", 2024)
    assert run.status == "done"
    assert (run.people_count, run.collective_count) == (2, 1)
    assert run.result_count == 2 * len(individual) + len(collective_codes)
    an = _verdicts(person=rated["an"])
    assert set(an) == set(individual)
    assert an["ldtt"] == "eligible"
    binh = EligibilityResult.objects.get(person=rated["binh"], award_code="ldtt")
    assert binh.verdict == "not_eligible"
    assert "không hoàn thành nhiệm vụ" in binh.failing
    assert binh.forecast_year == 2025
    team = _verdicts(collective=rated["team"])
    assert set(team) == set(collective_codes)
    assert not EligibilityResult.objects.filter(person=rated["cuong"]).exists()  # unit B is outside


def test_rerun_replaces_the_results_of_the_subtree_and_sees_new_facts(tree, rated, admin_user):
    first = run_in_process(actor=admin_user, unit=tree["a"], year=2024)
    assert not facts_changed_since(first)
    Evaluation.objects.filter(person=rated["binh"], year=2024).update(rating="htt")
    Evaluation.objects.get(person=rated["binh"], year=2024).save()  # bumps updated_at
    assert facts_changed_since(first)
    second = run_in_process(actor=admin_user, unit=tree["a"], year=2024)
    assert EligibilityResult.objects.filter(run=first).count() == 0
    assert EligibilityResult.objects.filter(year=2024).count() == second.result_count
    assert EligibilityResult.objects.get(person=rated["binh"], award_code="ldtt").verdict == "eligible"


def test_run_of_a_parent_unit_replaces_results_of_a_child_run(tree, rated, admin_user):
    run_in_process(actor=admin_user, unit=tree["a1"], year=2024)
    run = run_in_process(actor=admin_user, unit=tree["root"], year=2024)
    assert EligibilityResult.objects.filter(year=2024).count() == run.result_count
    assert EligibilityResult.objects.filter(person=rated["binh"], award_code="ldtt").count() == 1


def test_requested_run_goes_through_the_task_with_job_progress(
    tree, rated, officer_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = run_request(actor=officer_a, unit_id=tree["a"].pk, year=2024)
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    assert run.status == "done"
    assert (job.status, job.done, job.total, job.percent) == ("done", 3, 3, 100)
    assert EligibilityResult.objects.filter(run=run).count() == run.result_count > 0


def test_officer_of_unit_a_cannot_run_unit_b(tree, rated, officer_a):
    with pytest.raises(PermissionDenied):
        run_request(actor=officer_a, unit_id=tree["b"].pk, year=2024)
    assert not EligibilityRun.objects.exists()


def test_unit_head_may_view_but_not_run(tree, rated):
    head = make_user("head_a", "unit_head", tree["a"])
    with pytest.raises(PermissionDenied):
        run_request(actor=head, unit_id=tree["a"].pk, year=2024)


def test_bad_year_is_refused_with_a_message(tree, officer_a):
    from tdkt.core.errors import ServiceError

    with pytest.raises(ServiceError, match="Năm"):
        run_request(actor=officer_a, unit_id=tree["a"].pk, year="hai nghìn")


def test_batch_without_forecast_leaves_forecast_year_empty(tree, rated, admin_user):
    run = run_in_process(actor=admin_user, unit=tree["a"], year=2024, with_forecast=False)
    assert run.status == "done"
    assert not EligibilityResult.objects.filter(forecast_year__isnull=False).exists()


def test_large_subtree_is_evaluated_chunk_by_chunk(tree, admin_user):
    for i in range(5):
        rate(person(tree["a1"], code=f"BIG{i}"), 2024, "htt")
    run = EligibilityRun.objects.create(unit=tree["a"], year=2024)
    seen = []
    run_execute(run_id=run.pk, chunk_size=2, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_a_failed_run_leaves_the_previous_results_listed_and_none_of_its_own(
    tree, rated, admin_user, monkeypatch
):
    first = run_in_process(actor=admin_user, unit=tree["a"], year=2024)
    before = set(EligibilityResult.objects.values_list("run_id", "award_code", "verdict", "person_id"))
    from tdkt.rulebook import services

    real = services.evaluate_subtree

    def breaks_after_one_chunk(*args, **kwargs):
        chunks = real(*args, **kwargs)
        yield next(chunks)
        raise RuntimeError("mất kết nối cơ sở dữ liệu")

    monkeypatch.setattr(services, "evaluate_subtree", breaks_after_one_chunk)
    with pytest.raises(RuntimeError):
        run_in_process(actor=admin_user, unit=tree["a"], year=2024)
    failed = EligibilityRun.objects.exclude(pk=first.pk).get()
    assert failed.status == "failed" and "mất kết nối" in failed.message
    assert (
        set(EligibilityResult.objects.values_list("run_id", "award_code", "verdict", "person_id")) == before
    )


@pytest.mark.django_db(transaction=True)
def test_progress_is_committed_chunk_by_chunk_while_the_run_goes_on(tree, admin_user):
    from django.db import connection

    for i in range(5):
        rate(person(tree["a"], given_name=f"Chunk{i}"), 2024, "htt")
    seen = []

    def progress(done, total):
        # no transaction is open around the chunks: other connections (the progress page) see each one
        seen.append((done, total, connection.in_atomic_block))

    run = run_execute(
        run_id=EligibilityRun.objects.create(unit=tree["a"], year=2024, created_by=admin_user).pk,
        chunk_size=2,
        progress=progress,
    )
    assert run.status == "done"
    assert [d for d, _t, _a in seen] == [2, 4, 5]  # three chunks of people (unit A has no collective)
    assert not any(atomic for _d, _t, atomic in seen)


def test_a_run_whose_worker_died_blocks_nothing_and_the_next_one_runs(
    tree, rated, officer_a, django_capture_on_commit_callbacks
):
    """A run left 'running' by a killed worker: its job is failed by the sweep (core.workers); the unit
    may be run again for the year, while a run still going refuses a second one."""
    from tdkt.core.errors import ServiceError

    stuck = run_request(actor=officer_a, unit_id=tree["a"].pk, year=2024)  # never executed: pending
    with pytest.raises(ServiceError, match="đang được xét"):
        run_request(actor=officer_a, unit_id=tree["a"].pk, year=2024)
    EligibilityRun.objects.filter(pk=stuck.pk).update(status="running")
    Job.objects.filter(pk=stuck.job_id).update(status="failed", message="Tiến trình xử lý đã dừng giữa chừng")
    with django_capture_on_commit_callbacks(execute=True):
        again = run_request(actor=officer_a, unit_id=tree["a"].pk, year=2024)
    again.refresh_from_db()
    assert again.status == "done" and again.pk != stuck.pk
    assert EligibilityResult.objects.filter(run=again).count() == again.result_count > 0
