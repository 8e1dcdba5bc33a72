"""Background tasks of the rulebook: take ids, call services (progress is written by the service)."""

from __future__ import annotations

from django_tasks import task

from tdkt.rulebook import services


@task()
def run_eligibility(run_id: int) -> int:
    run = services.run_execute(run_id=run_id)
    return run.result_count
