"""Access table of the award register (issue 10): the register and a record's page are read by whoever
reads the unit's people and decisions (specialist, officer, unit head, leader, inspector — not the
council member, whose work is the ballot, nor the bloc head); the export needs the export right too; a
revocation is recorded by the TĐKT officers (specialist, officer). The person's timeline is read like
the profile (a staff member: their own); a collective's page like its unit. Another unit's record,
person or collective reads as nonexistent (404).

Targets: a — the ldtt record of A's person (Nguyễn Văn An); b — that of B's person; for the timeline
and the collective page, the world's people and collectives of A, A1, B (and the staff member's own).
"""

from __future__ import annotations

from django.urls import reverse

from tdkt.org.models import AwardRecord
from tests.architecture.matrix import Endpoint, Request, World

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
awards:register                  GET    -       all A   A   A   403 A   403 A   403 403 403 log
awards:register                  GET    b       B   nil nil nil 403 nil 403 nil 403 403 403 log
awards:register_export           GET    -       all A   A   A   403 A   403 A   403 403 403 log
awards:register_export           GET    b       B   400 400 400 403 400 403 400 403 403 403 log
awards:record_detail             GET    a       200 200 200 200 403 200 403 200 403 403 403 log
awards:record_detail             GET    b       200 404 404 404 403 404 403 404 403 403 403 log
awards:record_revoke             POST   a       302 302 302 403 403 403 403 403 403 403 403 log
awards:record_revoke             POST   b       302 404 404 403 403 403 403 403 403 403 403 log
org:person_timeline              GET    a       200 200 200 200 200 200 200 200 403 404 403 log
org:person_timeline              GET    a1      200 200 200 200 200 200 200 200 403 404 403 log
org:person_timeline              GET    self    200 200 200 200 200 200 200 200 403 200 403 log
org:person_timeline              GET    b       200 404 404 404 404 404 404 404 403 404 403 log
org:collective_detail            GET    a       200 200 200 200 200 200 200 200 403 403 403 log
org:collective_detail            GET    a1      200 200 200 200 200 200 200 200 403 403 403 log
org:collective_detail            GET    b       200 404 404 404 404 404 404 404 403 403 403 log
"""
# fmt: on

A_PEOPLE = {"Nguyễn Văn An", "Trần Thị Bình", "Phạm Thu Hà"}
B_PEOPLE = {"Lê Văn Cường"}
ROOT_PEOPLE = {"Đặng Quốc Khánh"}
ROWS = {"A": A_PEOPLE, "all": A_PEOPLE | B_PEOPLE | ROOT_PEOPLE, "B": B_PEOPLE, "nil": set()}


def build(world: World) -> None:
    # every person of the world has an ldtt record (test_access_matrix._build_world)
    world.extra["register_records"] = {
        key: AwardRecord.objects.get(person=world.people[key], award_code="ldtt") for key in ("a", "b")
    }


def state() -> tuple:
    return tuple(
        sorted(AwardRecord.objects.values_list("id", "revoked", "revoked_decision", "revoked_reason"))
    )


def _record(w: World, t: str) -> AwardRecord:
    return w.extra["register_records"][t]


def _unit_query(w: World, t: str) -> str:
    return f"?unit={w.units['b'].pk}&subtree=on" if t == "b" else ""


def _subjects(response) -> set[str]:
    return {str(r.person or r.collective) for r in response.context["page"].object_list}


def _xlsx_subjects(response) -> set[str]:
    import io

    import openpyxl

    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return {row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}


REVOCATION = {"decision_number": "25/QĐ-BTN", "on": "10/03/2025", "reason": "Kê khai không trung thực"}

ENDPOINTS = {
    "awards:register": Endpoint(
        lambda w, t: Request(
            reverse("awards:register") + _unit_query(w, t), marker=w.units["b"].name if t == "b" else None
        ),
        rows=_subjects,
        expected_rows=ROWS,
    ),
    "awards:register_export": Endpoint(
        lambda w, t: Request(
            reverse("awards:register_export") + _unit_query(w, t),
            marker=w.units["b"].name if t == "b" else None,
        ),
        rows=_xlsx_subjects,
        expected_rows=ROWS,
    ),
    "awards:record_detail": Endpoint(
        lambda w, t: Request(
            reverse("awards:record_detail", args=[_record(w, t).pk]), marker=_record(w, t).decision_number
        )
    ),
    "awards:record_revoke": Endpoint(
        lambda w, t: Request(
            reverse("awards:record_revoke", args=[_record(w, t).pk]),
            REVOCATION,
            redirect=reverse("awards:record_detail", args=[_record(w, t).pk]),
        ),
        changes=True,
    ),
    "org:person_timeline": Endpoint(
        lambda w, t: Request(
            reverse("org:person_timeline", args=[w.people[t].pk]), marker=w.people[t].full_name
        )
    ),
    "org:collective_detail": Endpoint(
        lambda w, t: Request(
            reverse("org:collective_detail", args=[w.collectives[t].pk]), marker=w.collectives[t].name
        )
    ),
}
