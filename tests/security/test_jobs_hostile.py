"""Hostile requests against background jobs (issue 10): restart, the export file, the progress poll."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tdkt.core import jobs
from tdkt.core.models import AuditEvent, Job
from tests.factories import make_user

POLL = {"HX-Request": "true", "HX-Target": jobs.PROGRESS_TARGET}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _abandoned(user, unit, task_path: str) -> Job:
    job = jobs.job_create(actor=user, kind="org.import.people", title="Nhập cán bộ", unit=unit)
    Job.objects.filter(pk=job.pk).update(
        status="failed", abandoned_at=timezone.now(), task_path=task_path, task_args={"kwargs": {"x": 1}}
    )
    return job


@pytest.mark.parametrize("path", ["os.system", "tdkt.core.jobs.job_restart", "no.such.module.task", "x"])
def test_a_restart_never_calls_anything_but_a_task(
    client, tree, officer_a, path, django_capture_on_commit_callbacks
):
    """The stored task path is only ever resolved to a django-tasks Task: anything else is refused."""
    job = _abandoned(officer_a, tree["a"], path)
    client.force_login(officer_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("core:job_restart", args=[job.pk]), follow=True)
    assert "không thể chạy lại" in response.content.decode() and not callbacks
    job.refresh_from_db()
    assert job.status == "failed" and job.restarts == 0 and not AuditEvent.objects.exists()


def test_a_restart_is_a_post_with_the_csrf_token(tree, officer_a):
    from django.test import Client

    job = _abandoned(officer_a, tree["a"], "tdkt.core.tasks.send_notification_emails")
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    assert client.get(reverse("core:job_restart", args=[job.pk])).status_code == 405
    assert client.post(reverse("core:job_restart", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.restarts == 0 and job.status == "failed"


def test_a_restart_of_another_units_job_reads_as_nonexistent(client, tree, officer_a):
    job = _abandoned(
        make_user("officer_b", "officer", tree["b"]), tree["b"], "tdkt.core.tasks.send_notification_emails"
    )
    client.force_login(officer_a)
    assert client.post(reverse("core:job_restart", args=[job.pk])).status_code == 404
    assert client.post(reverse("core:job_restart", args=[uuid.uuid4()])).status_code == 404
    job.refresh_from_db()
    assert job.restarts == 0


def test_an_imports_uploaded_file_is_never_served_as_an_export(client, tree, officer_a):
    """job_file serves `output` only: the file an importer uploaded (`file`) is not downloadable there."""
    job = Job(kind="org.import.people", title="Nhập", created_by=officer_a, unit=tree["a"], status="done")
    job.file.save("upload.xlsx", ContentFile(b"secret upload"), save=False)
    job.save()
    client.force_login(officer_a)
    response = client.get(reverse("core:job_file", args=[job.pk]))
    assert response.status_code == 404 and not response.streaming


def test_a_missing_file_on_disk_is_a_404_not_a_500(client, tree, officer_a):
    job = Job(kind="export.org.people", title="Xuất", created_by=officer_a, status="done")
    job.output.save("x.xlsx", ContentFile(b"PK"), save=False)
    job.save()
    job.output.storage.delete(job.output.name)
    client.force_login(officer_a)
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("job_id", ["not-a-uuid", "../../etc/passwd", "1 OR 1=1"])
def test_job_urls_take_only_a_uuid(client, officer_a, job_id):
    client.force_login(officer_a)
    assert client.get(f"/jobs/{job_id}/").status_code == 404
    assert client.get(f"/jobs/{job_id}/file/").status_code == 404


def test_a_poll_after_the_session_ended_is_sent_to_login_not_looped(client, tree, officer_a):
    job = jobs.job_create(actor=officer_a, kind="org.import.people", title="Nhập", unit=tree["a"])
    response = client.get(reverse("core:job_detail", args=[job.pk]), headers=POLL)
    assert response.status_code == 403 and response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_a_huge_export_filter_is_refused_before_any_job(client, tree, people, officer_a, settings):
    settings.TDKT_SYNC_EXPORT_ROWS = 0
    client.force_login(officer_a)
    for query in ({"q": "x" * 5000}, {"q": "a\x00b"}, {"per_page": "999999"}, {"unit": "1; DROP TABLE"}):
        response = client.get(reverse("org:person_export"), query)
        assert response.status_code == 400, query
    assert not Job.objects.exists()
