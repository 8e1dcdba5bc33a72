"""A task for tests/core/test_jobs_reliability.py, run by a real `tdkt worker`: it holds its worker until
a file appears, so the test can kill the worker in the middle of the job."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

from tdkt.core import jobs


@task()
def hold(job_id: str, release: str) -> None:
    """Start, report some progress, wait for `release` to exist, finish."""
    jobs.job_start(job_id, total=10, message="Đang chờ tệp mở khoá")
    jobs.JobProgress(job_id)(3, 10, "Đã làm một phần")
    while not Path(release).exists():
        time.sleep(0.1)
    jobs.job_finish(job_id, message="Đã xong việc giữ chỗ.")
