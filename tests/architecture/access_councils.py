"""Access table of the councils (issue 8, items 4-6): councils, meetings, secret ballots, minutes.

Council A (department A): chair Phạm Thu Hà (a1), and the staff member's own record Trần Thị Bình as
secretary who is also a member (votes). Council B (department B): chair Lê Văn Cường. Each council has a
meeting with a closed ballot, an open electronic ballot and (A) an open paper ballot; A has a second
meeting ("n") with everyone present and no ballot yet.

The policy in words:
- councils, meetings, results and minutes are read with `councils.view` (specialist, officer, unit head,
  council member, leader of the subtree) — and by the council's own members, whatever their roles (the
  staff member here);
- councils, members and meetings are managed with `councils.manage` (specialist, officer);
- attendance, opening and closing ballots and the counting committee's figures: those who manage, and
  the meeting's secretary (the staff member here);
- a ballot paper is only for the members of the ballot's council; to anyone else it reads as a ballot
  that does not exist (404), the admin included: voting is not a right a role gives;
- "Phiếu bầu của tôi" is open to every signed-in user (it lists only their own ballots);
- an object of department B answers 404 to whoever holds the right elsewhere, 403 to a role without it.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from tdkt.councils import services
from tdkt.councils.enums import Attendance, BallotMode, MemberRole
from tdkt.councils.models import (
    Ballot,
    BallotReceipt,
    BallotTally,
    Council,
    CouncilMember,
    Meeting,
    MeetingAttendance,
)
from tests.architecture.matrix import Endpoint, Request, World
from tests.factories import make_user, person

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
councils:council_list            GET    -       all A   A   A   A   A   403 403 403 A   403 log
councils:council_create          GET    -       200 200 200 403 403 403 403 403 403 403 403 log
councils:council_create          POST   a       302 302 302 403 403 403 403 403 403 403 403 log
councils:council_detail          GET    a       200 200 200 200 200 200 403 403 403 200 403 log
councils:council_detail          GET    b       200 404 404 404 404 404 403 403 403 404 403 log
councils:council_edit            GET    a       200 200 200 403 403 403 403 403 403 403 403 log
councils:council_edit            GET    b       200 404 404 403 403 403 403 403 403 403 403 log
councils:member_add              POST   a       302 302 302 403 403 403 403 403 403 403 403 log
councils:member_update           POST   a       302 302 302 403 403 403 403 403 403 403 403 log
councils:member_remove           POST   a       302 302 302 403 403 403 403 403 403 403 403 log
councils:meeting_create          GET    a       200 200 200 403 403 403 403 403 403 403 403 log
councils:meeting_create          POST   a       302 302 302 403 403 403 403 403 403 403 403 log
councils:meeting_detail          GET    a       200 200 200 200 200 200 403 403 403 200 403 log
councils:meeting_detail          GET    b       200 404 404 404 404 404 403 403 403 404 403 log
councils:meeting_edit            GET    a       200 200 200 403 403 403 403 403 403 200 403 log
councils:meeting_edit            GET    b       200 404 404 403 403 403 403 403 403 404 403 log
councils:meeting_attendance      POST   n       302 302 302 403 403 403 403 403 403 302 403 log
councils:ballot_open             POST   n       302 302 302 403 403 403 403 403 403 302 403 log
councils:meeting_minutes         GET    a       200 200 200 200 200 200 403 403 403 200 403 log
councils:meeting_minutes         GET    b       200 404 404 404 404 404 403 403 403 404 403 log
councils:my_ballots              GET    -       200 200 200 200 200 200 200 200 200 200 200 log
councils:ballot_vote             GET    a       404 404 404 404 404 404 404 404 404 200 404 log
councils:ballot_vote             POST   a       404 404 404 404 404 404 404 404 404 302 404 log
councils:ballot_vote             GET    b       404 404 404 404 404 404 404 404 404 404 404 log
councils:ballot_close            POST   a       302 302 302 403 403 403 403 403 403 302 403 log
councils:ballot_close            POST   b       302 404 404 403 403 403 403 403 403 404 403 log
councils:ballot_tallies          GET    p       200 200 200 403 403 403 403 403 403 200 403 log
councils:ballot_tallies          POST   p       302 302 302 403 403 403 403 403 403 302 403 log
councils:counting_minutes        GET    a       200 200 200 200 200 200 403 403 403 200 403 log
councils:counting_minutes        GET    b       200 404 404 404 404 404 403 403 403 404 403 log
"""
# fmt: on

COUNCIL_NAMES = {"a": "Hội đồng TĐKT Vụ Alpha", "b": "Hội đồng TĐKT Vụ Beta"}
MEETING_TITLES = {"a": "Xét thi đua Vụ Alpha năm 2025", "b": "Xét thi đua Vụ Beta năm 2025"}


def _council(world: World, key: str, officer, members: list[tuple[str, str, bool | None]]) -> dict:
    council = services.council_create(
        actor=officer,
        unit_id=world.units[key].pk,
        name=COUNCIL_NAMES[key],
        term_from=datetime.date(2024, 1, 1),
    )
    by_person = {}
    for person_key, role, votes in members:
        by_person[person_key] = services.member_add(
            actor=officer,
            council_id=council.pk,
            person_id=world.people[person_key].pk,
            role=role,
            votes=votes,
        )
    meeting = services.meeting_create(
        actor=officer,
        council_id=council.pk,
        title=MEETING_TITLES[key],
        starts_at=timezone.now(),
        place="Phòng họp",
        items=[services.AgendaItem(key=f"matrix:{key}:{n}", label=f"Nội dung {n}") for n in "XYZ"],
    )
    services.attendance_set(
        actor=officer,
        meeting_id=meeting.pk,
        entries={m.pk: (Attendance.PRESENT, "") for m in by_person.values()},
    )
    items = list(meeting.items.order_by("order"))
    later = timezone.now() + datetime.timedelta(days=1)
    closed = services.ballot_open(
        actor=officer, meeting_id=meeting.pk, item_ids=[items[0].pk], closes_at=later
    )
    services.ballot_close(actor=officer, ballot_id=closed.pk)
    opened = services.ballot_open(
        actor=officer, meeting_id=meeting.pk, item_ids=[items[1].pk], closes_at=later
    )
    paper = services.ballot_open(
        actor=officer, meeting_id=meeting.pk, item_ids=[items[2].pk], closes_at=None, mode=BallotMode.PAPER
    )
    return {
        "council": council,
        "members": by_person,
        "meeting": meeting,
        "closed": closed,
        "open": opened,
        "paper": paper,
    }


def build(world: World) -> None:
    officer_a = make_user("c_officer_a", "officer", world.units["a"])
    officer_b = make_user("c_officer_b", "officer", world.units["b"])
    a = _council(
        world,
        "a",
        officer_a,
        [("a1", MemberRole.CHAIR, None), ("self", MemberRole.SECRETARY, True)],  # the secretary also votes
    )
    b = _council(world, "b", officer_b, [("b", MemberRole.CHAIR, None)])
    # a second meeting of A, everyone present, no ballot yet
    fresh = services.meeting_create(
        actor=officer_a,
        council_id=a["council"].pk,
        title="Phiên họp bổ sung Vụ Alpha",
        starts_at=timezone.now(),
        online=True,
        items=[services.AgendaItem(key="matrix:n:1", label="Nội dung bổ sung")],
    )
    services.attendance_set(
        actor=officer_a,
        meeting_id=fresh.pk,
        entries={m.pk: (Attendance.PRESENT, "") for m in a["members"].values()},
    )
    a["fresh"] = fresh
    # a member who sits on no ballot's roll (so may leave at once); retired, so on no list of people
    retired = person(world.units["a"], family_name="Hồ", middle_name="Văn", given_name="Tâm", code="M-C-OLD",
                     active=False)  # fmt: skip
    a["members"]["retired"] = CouncilMember.objects.create(
        council=a["council"], person=retired, role=MemberRole.MEMBER
    )
    world.extra["councils"] = {"a": a, "b": b}


def state() -> tuple:
    return (
        sorted(Council.objects.values_list("id", "name")),
        sorted(CouncilMember.objects.values_list("id", "role", "votes", "active")),
        sorted(Meeting.objects.values_list("id", "title")),
        sorted(MeetingAttendance.objects.values_list("id", "status", "reason")),
        sorted(Ballot.objects.values_list("id", "status", "tallies_entered_at")),
        BallotReceipt.objects.count(),
        sum(BallotTally.objects.values_list("count", flat=True)),
    )


def _c(w: World, t: str) -> dict:
    return w.extra["councils"]["a" if t in ("a", "n", "p") else t]


def _vote_data(w: World, t: str) -> dict:
    ballot = _c(w, t)["open"]
    return {"confirm": "1", **{f"item_{i.pk}": "agree" for i in ballot.items.all()}}


def _tallies_data(w: World, t: str) -> dict:
    c = _c(w, t)
    item = c["paper"].items.get()
    return {"committee": [c["members"]["a1"].pk, c["members"]["self"].pk], f"agree_{item.pk}": "2"}


def _meeting_form() -> dict:
    return {
        "title": "Phiên họp mới",
        "day": "01/12/2026",
        "time": "09:00",
        "place": "Phòng 2",
        "agenda": "Mục 1",
    }


ENDPOINTS = {
    "councils:council_list": Endpoint(
        lambda w, t: Request(reverse("councils:council_list")),
        rows=lambda r: {c.name for c in r.context["councils"]},
        expected_rows={"A": {COUNCIL_NAMES["a"]}, "all": set(COUNCIL_NAMES.values())},
    ),
    "councils:council_create": Endpoint(
        lambda w, t: Request(
            reverse("councils:council_create"),
            {"unit": w.units["a"].pk, "name": "Hội đồng mới", "term_from": "01/01/2026"},
            redirect="/councils/",
        ),
        changes=True,
    ),
    "councils:council_detail": Endpoint(
        lambda w, t: Request(
            reverse("councils:council_detail", args=[_c(w, t)["council"].pk]), marker=COUNCIL_NAMES[t]
        )
    ),
    "councils:council_edit": Endpoint(
        lambda w, t: Request(
            reverse("councils:council_edit", args=[_c(w, t)["council"].pk]), marker=COUNCIL_NAMES[t]
        )
    ),
    "councils:member_add": Endpoint(
        lambda w, t: Request(
            reverse("councils:member_add", args=[_c(w, t)["council"].pk]),
            {"code": "M-A", "role": MemberRole.MEMBER},
            redirect=reverse("councils:council_detail", args=[_c(w, t)["council"].pk]),
        ),
        changes=True,
    ),
    "councils:member_update": Endpoint(
        lambda w, t: Request(
            reverse("councils:member_update", args=[_c(w, t)["members"]["self"].pk]),
            {"role": MemberRole.MEMBER},
            redirect=reverse("councils:council_detail", args=[_c(w, t)["council"].pk]),
        ),
        changes=True,
    ),
    "councils:member_remove": Endpoint(
        lambda w, t: Request(
            reverse("councils:member_remove", args=[_c(w, t)["members"]["retired"].pk]),
            {},
            redirect=reverse("councils:council_detail", args=[_c(w, t)["council"].pk]),
        ),
        changes=True,
    ),
    "councils:meeting_create": Endpoint(
        lambda w, t: Request(
            reverse("councils:meeting_create", args=[_c(w, t)["council"].pk]),
            _meeting_form(),
            redirect="/councils/",
        ),
        changes=True,
    ),
    "councils:meeting_detail": Endpoint(
        lambda w, t: Request(
            reverse("councils:meeting_detail", args=[_c(w, t)["meeting"].pk]), marker=MEETING_TITLES[t]
        )
    ),
    "councils:meeting_edit": Endpoint(
        lambda w, t: Request(
            reverse("councils:meeting_edit", args=[_c(w, t)["meeting"].pk]), marker=MEETING_TITLES[t]
        )
    ),
    "councils:meeting_attendance": Endpoint(
        lambda w, t: Request(
            reverse("councils:meeting_attendance", args=[_c(w, t)["fresh"].pk]),
            {
                f"status_{_c(w, t)['members']['a1'].pk}": Attendance.ABSENT,
                f"reason_{_c(w, t)['members']['a1'].pk}": "Đi công tác",
            },
            redirect=reverse("councils:meeting_detail", args=[_c(w, t)["fresh"].pk]),
        ),
        changes=True,
    ),
    "councils:ballot_open": Endpoint(
        lambda w, t: Request(
            reverse("councils:ballot_open", args=[_c(w, t)["fresh"].pk]),
            {"items": [i.pk for i in _c(w, t)["fresh"].items.all()], "mode": BallotMode.PAPER},
            redirect=reverse("councils:meeting_detail", args=[_c(w, t)["fresh"].pk]),
        ),
        changes=True,
    ),
    "councils:meeting_minutes": Endpoint(
        lambda w, t: Request(reverse("councils:meeting_minutes", args=[_c(w, t)["meeting"].pk, "docx"]))
    ),
    "councils:my_ballots": Endpoint(lambda w, t: Request(reverse("councils:my_ballots"))),
    "councils:ballot_vote": Endpoint(
        lambda w, t: Request(
            reverse("councils:ballot_vote", args=[_c(w, t)["open"].pk]),
            _vote_data(w, t),
            marker=MEETING_TITLES[t],
            redirect=reverse("councils:my_ballots"),
        ),
        changes=True,
    ),
    "councils:ballot_close": Endpoint(
        lambda w, t: Request(
            reverse("councils:ballot_close", args=[_c(w, t)["open"].pk]),
            {},
            redirect=reverse("councils:meeting_detail", args=[_c(w, t)["meeting"].pk]),
        ),
        changes=True,
    ),
    "councils:ballot_tallies": Endpoint(
        lambda w, t: Request(
            reverse("councils:ballot_tallies", args=[_c(w, t)["paper"].pk]),
            _tallies_data(w, t),
            redirect=reverse("councils:meeting_detail", args=[_c(w, t)["meeting"].pk]),
        ),
        changes=True,
    ),
    "councils:counting_minutes": Endpoint(
        lambda w, t: Request(reverse("councils:counting_minutes", args=[_c(w, t)["closed"].pk, "docx"]))
    ),
}
