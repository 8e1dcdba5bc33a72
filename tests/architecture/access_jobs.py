"""Access table of background jobs (issue 10): the jobs list, running an abandoned job again, the file of
a background export. The progress page itself (core:job_detail) has its rows in test_access_matrix.py.

- the list: with `core.view_job` (specialist, officer) one's own jobs and those of the units one's scope
  covers (the admin: all); with only the export right (unit head, leader, inspector) one's own exports
  (the signed-in user's job here is an import: none); anyone else 403;
- restart: the creator or the admin, of a job they may see; a colleague of the unit who follows the job
  may not restart it (403); another unit's job reads as nonexistent (404) to those who follow jobs;
- the export's file: its creator while they hold the export right, and the admin; another unit's export
  reads as nonexistent to those who follow jobs, 403 to those who only have their own exports.

Targets: own — a job of the signed-in user; unit — a colleague's job of department A; other — a job of
an officer of department B. For restart the job was abandoned by a dead worker; for the file it is a
finished export.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tdkt.core.models import Job
from tests.architecture.matrix import Endpoint, Request, World

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
core:job_list                    GET    -       all A   A   nil 403 nil 403 nil 403 403 403 log
core:job_restart                 POST   own     302 302 302 403 403 403 403 403 403 403 403 log
core:job_restart                 POST   unit    302 403 403 403 403 403 403 403 403 403 403 log
core:job_restart                 POST   other   302 404 404 403 403 403 403 403 403 403 403 log
core:job_file                    GET    own     200 200 200 200 403 200 403 200 403 403 403 log
core:job_file                    GET    other   200 404 404 403 403 403 403 403 403 403 403 log
"""
# fmt: on

OWN, UNIT, OTHER = "Tác vụ của tôi", "Tác vụ của đồng nghiệp Vụ Alpha", "Tác vụ của Vụ Beta"
EXPORT_OTHER = "Xuất Excel của Vụ Beta"


def build(world: World) -> None:
    officer_b = world.other_job.created_by
    world.extra["export_other"] = _export(officer_b, EXPORT_OTHER)


def state() -> tuple:
    return tuple(sorted(Job.objects.values_list("id", "status", "restarts")))


def _export(user, title: str) -> Job:
    job = Job(kind="export.org.people", title=title, created_by=user, status="done", total=1, done=1)
    job.output.save("xuat.xlsx", ContentFile(b"PK\x03\x04 not read by the test"), save=False)
    job.result = {"rows": 1, "filename": "danh-sach-can-bo.xlsx"}
    job.save()
    return job


def _job(w: World, t: str) -> Job:
    if t == "own" and w.own_job:
        return w.own_job
    return w.unit_job if t == "unit" else w.other_job


def _abandoned(w: World, t: str) -> Request:
    job = _job(w, t)
    Job.objects.filter(pk=job.pk).update(
        status="failed",
        abandoned_at=timezone.now(),
        task_path="tdkt.core.tasks.send_notification_emails",
        message="Tiến trình xử lý đã dừng giữa chừng",
    )
    return Request(
        reverse("core:job_restart", args=[job.pk]), {}, redirect=reverse("core:job_detail", args=[job.pk])
    )


def _file(w: World, t: str) -> Request:
    if t == "own" and w.own_job:
        job = _export(w.own_job.created_by, "Xuất Excel của tôi")
    else:
        job = w.extra["export_other"]
    return Request(reverse("core:job_file", args=[job.pk]))


def _titles(response) -> set[str]:
    return {j.title for j in response.context["page"].object_list} & {OWN, UNIT, OTHER, EXPORT_OTHER}


ENDPOINTS = {
    "core:job_list": Endpoint(
        lambda w, t: Request(reverse("core:job_list")),
        rows=_titles,
        expected_rows={"all": {OWN, UNIT, OTHER, EXPORT_OTHER}, "A": {OWN, UNIT}, "nil": set()},
    ),
    "core:job_restart": Endpoint(_abandoned, changes=True),
    "core:job_file": Endpoint(_file),
}
