"""Access table of the legacy award-list import (issue 10, item 4): the TĐKT officers and specialists
(`awards.import_register`) upload a list, review its parsed rows and read the report; everyone else
403 before anything is looked at. The review and the report are the uploader's own: the candidates
shown are records of their scope, so another officer's list reads as nonexistent (404), the admin's
included.

Targets: own — a list parsed for (or written by) the signed-in user; other — one of an officer of
department B.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.awards.tasks import PARSE_KIND, WRITE_KIND
from tdkt.core.models import Job
from tdkt.org.models import AwardRecord
from tests.architecture.matrix import Endpoint, Request, World

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
awards:legacy_import             GET    -       200 200 200 403 403 403 403 403 403 403 403 log
awards:legacy_import             POST   -       302 302 302 403 403 403 403 403 403 403 403 log
awards:legacy_review             GET    own     200 200 200 403 403 403 403 403 403 403 403 log
awards:legacy_review             GET    other   404 404 404 403 403 403 403 403 403 403 403 log
awards:legacy_review             POST   own     302 302 302 403 403 403 403 403 403 403 403 log
awards:legacy_review             POST   other   404 404 404 403 403 403 403 403 403 403 403 log
awards:legacy_report             GET    own     200 200 200 403 403 403 403 403 403 403 403 log
awards:legacy_report             GET    other   404 404 404 403 403 403 403 403 403 403 403 log
"""
# fmt: on

OWN_FILE, OTHER_FILE = "danh-sach-cua-toi.xlsx", "danh-sach-vu-beta.xlsx"


def _parsed(w: World, filename: str) -> dict:
    p = w.people["a"]
    row = {
        "index": 0, "file": filename, "sheet": "DS", "table": 1, "row": 2, "name": p.full_name,
        "unit_text": "Vụ Alpha", "award_code": "giay_khen", "year": 2024, "decision_number": "77/QĐ-MT",
        "decided_on": "2024-01-15", "subject": "person", "status": "link", "person_id": p.pk,
        "unit_id": p.current_unit_id,
    }  # fmt: skip
    return {"file": filename, "rows": [row], "errors": [], "error_count": 0, "notes": [], "tables": []}


def _jobs(w: World, user, filename: str) -> tuple[Job, Job]:
    parse = Job.objects.create(
        kind=PARSE_KIND, title="Đọc danh sách khen thưởng", created_by=user, status="done",
        params={"filename": filename}, result={"parsed": _parsed(w, filename), "total": 1, "link": 1},
    )  # fmt: skip
    write = Job.objects.create(
        kind=WRITE_KIND, title="Ghi danh sách khen thưởng vào sổ", created_by=user, status="done",
        params={"filename": filename, "parse_job": str(parse.pk)},
        result={"total": 1, "created": 1, "linked": 0, "skipped": 0, "people_created": 0, "report": [
            {"sheet": "DS", "table": 1, "row": 2, "name": filename, "award": "Giấy khen", "year": 2024,
             "decision_number": "77/QĐ-MT", "outcome": "Thêm mới", "person_id": None, "collective_id": None}
        ]},
    )  # fmt: skip
    return parse, write


def build(world: World) -> None:
    world.extra["legacy_other"] = _jobs(world, world.other_job.created_by, OTHER_FILE)


def state() -> tuple:
    return (AwardRecord.objects.count(),)


def _target(w: World, t: str) -> tuple[Job, Job]:
    if t == "own" and w.own_job:
        return _jobs(w, w.own_job.created_by, OWN_FILE)
    return w.extra["legacy_other"]


def _upload(w: World, t: str) -> Request:
    from tests.awards.legacy_files import HEADER, xlsx

    data = xlsx({"DS": [HEADER, [1, "Nguyễn Văn An", "", "Vụ Alpha", "LĐTT", "1/QĐ", "15/01/2024"]]})
    return Request(
        reverse("awards:legacy_import"),
        {"file": SimpleUploadedFile("ds.xlsx", data)},
        redirect="/jobs/",
    )


def _review(w: World, t: str) -> Request:
    parse, _write = _target(w, t)
    return Request(
        reverse("awards:legacy_review", args=[parse.pk]),
        {},
        marker=OWN_FILE if t == "own" else OTHER_FILE,
        redirect="/jobs/",
    )


def _report(w: World, t: str) -> Request:
    _parse, write = _target(w, t)
    return Request(
        reverse("awards:legacy_report", args=[write.pk]), marker=OWN_FILE if t == "own" else OTHER_FILE
    )


ENDPOINTS = {
    "awards:legacy_import": Endpoint(_upload, changes=True),
    "awards:legacy_review": Endpoint(_review, changes=True),
    "awards:legacy_report": Endpoint(_report),
}
