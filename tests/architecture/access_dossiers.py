"""Access table of the proposal dossiers (issue 9): who reads a dossier, builds it, approves it, appraises
it, signs it; the achievement report of a nominee; the papers and their versions; the export.

Every unit (A and B) has the same chain of dossiers, one per status a move starts from: "draft" (two
nominations with their achievement reports submitted, a paper with a file), "ready" (approved by the
unit head, its gate passed), "sent", "appraising", "accepted", "council" (accepted, with a form the
ministry's council votes on), "decided" (ministry level), and at State level "state" (decided),
"prepared", "signed", "sent_up", and "returned_up" (sent up, a nomination returned by the central
body). Targets: a — the dossier of A in the status the move starts from (or
its nomination, paper, file); b — the same of department B; self — the staff member's own nomination
(Trần Thị Bình, of A1) in A's draft.

The policy, in words:
- reading dossiers, their papers and files, commenting: specialist, officer, unit head, leader,
  inspector of the unit (not the council member, bloc head, portal editor, staff); a dossier of another
  unit reads as nonexistent (404), and so do its nominations, papers and files;
- preparing (a new dossier, one from a review round, nominations, justifications, papers, sending):
  the officer of the unit — not the specialist, who appraises what the units send (separation of
  duties: the ministry's appraiser does not build the dossiers they appraise); a user who reads the
  dossier but may not prepare it is refused a paper (403), since the paper's right is decided by its
  stage (the unit's papers: prepare; the ministry's: appraise);
- the unit head approves the dossier and confirms achievement reports;
- the appraising moves (receive, return, accept, council, decide, decision, State submission, sending
  up, the State's outcome): the specialist — the matrix's specialist holds the role in department A, so
  the ministry's council and the minister's decision, which belong to the top of the tree, are beyond
  them (403, nothing saved); the admin does every move;
- the leader signs the State submission;
- the export: the export right (core/exports.py), rows kept to the scope; a unit outside the scope in
  the filter is an invalid filter (list: the message and no rows; export: 400);
- "my nominations" and the achievement report page: any signed-in user; the report shows only the
  user's own nomination (a staff member nominated) or a nomination of a dossier the user may see (404
  otherwise); writing it: the nominee or a preparer of the unit (404 to anyone else).
"""

from __future__ import annotations

import datetime

import openpyxl
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tdkt.councils.enums import MemberRole
from tdkt.councils.models import Council, CouncilMember
from tdkt.dossiers import components as checklist
from tdkt.dossiers.enums import (
    Appraisal,
    ComponentStatus,
    Decided,
    Level,
    ReportStatus,
    StateOutcome,
    Status,
)
from tdkt.dossiers.models import (
    AchievementReport,
    Comment,
    Component,
    ComponentFile,
    Dossier,
    Nomination,
    ReturnReason,
    Transition,
)
from tdkt.org.models import Evaluation, Initiative
from tdkt.reviews.enums import Outcome, RoundStatus
from tdkt.reviews.models import Candidate, ReviewRound
from tests.architecture.matrix import Endpoint, Request, World

YEAR = timezone.localdate().year - 1
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
dossiers:list                    GET    -       all A   A   A   403 A   403 A   403 403 403 log
dossiers:list                    GET    b       B   nil nil nil 403 nil 403 nil 403 403 403 log
dossiers:dossier_export          GET    -       all A   A   A   403 A   403 A   403 403 403 log
dossiers:dossier_export          GET    b       B   400 400 400 403 400 403 400 403 403 403 log
dossiers:create                  POST   a       302 403 302 403 403 403 403 403 403 403 403 log
dossiers:from_round              POST   a       302 403 302 403 403 403 403 403 403 403 403 log
dossiers:from_round              POST   b       302 403 404 403 403 403 403 403 403 403 403 log
dossiers:mine                    GET    -       200 200 200 200 200 200 200 200 200 200 200 log
dossiers:detail                  GET    a       200 200 200 200 403 200 403 200 403 403 403 log
dossiers:detail                  GET    b       200 404 404 404 403 404 403 404 403 403 403 log
dossiers:nomination_add          POST   a       302 403 302 403 403 403 403 403 403 403 403 log
dossiers:nomination_add          POST   b       302 403 404 403 403 403 403 403 403 403 403 log
dossiers:nomination_remove       POST   a       302 403 302 403 403 403 403 403 403 403 403 log
dossiers:nomination_remove       POST   b       302 403 404 403 403 403 403 403 403 403 403 log
dossiers:nomination_justify      POST   a       302 403 302 403 403 403 403 403 403 403 403 log
dossiers:nomination_justify      POST   b       302 403 404 403 403 403 403 403 403 403 403 log
dossiers:report                  GET    a       200 200 200 200 404 200 404 200 404 404 404 log
dossiers:report                  GET    self    200 200 200 200 404 200 404 200 404 200 404 log
dossiers:report                  GET    b       200 404 404 404 404 404 404 404 404 404 404 log
dossiers:report                  POST   a       302 404 302 404 404 404 404 404 404 404 404 log
dossiers:report                  POST   self    302 404 302 404 404 404 404 404 404 302 404 log
dossiers:report                  POST   b       302 404 404 404 404 404 404 404 404 404 404 log
dossiers:report_confirm          POST   a       302 403 403 302 403 403 403 403 403 403 403 log
dossiers:report_confirm          POST   b       302 403 403 404 403 403 403 403 403 403 403 log
dossiers:report_file             GET    a       200 200 200 200 404 200 404 200 404 404 404 log
dossiers:report_file             GET    self    200 200 200 200 404 200 404 200 404 200 404 log
dossiers:report_file             GET    b       200 404 404 404 404 404 404 404 404 404 404 log
dossiers:paper_upload            POST   a       302 403 302 403 403 403 403 403 403 403 403 log
dossiers:paper_upload            POST   b       302 404 404 404 403 404 403 404 403 403 403 log
dossiers:paper_version           GET    a       200 200 200 200 403 200 403 200 403 403 403 log
dossiers:paper_version           GET    b       200 404 404 404 403 404 403 404 403 403 403 log
dossiers:paper_draft             GET    a       200 200 200 200 403 200 403 200 403 403 403 log
dossiers:paper_draft             GET    b       200 404 404 404 403 404 403 404 403 403 403 log
dossiers:approve                 POST   a       302 403 403 302 403 403 403 403 403 403 403 log
dossiers:approve                 POST   b       302 403 403 404 403 403 403 403 403 403 403 log
dossiers:send                    POST   a       302 403 302 403 403 403 403 403 403 403 403 log
dossiers:send                    POST   b       302 403 404 403 403 403 403 403 403 403 403 log
dossiers:receive                 POST   a       302 302 403 403 403 403 403 403 403 403 403 log
dossiers:receive                 POST   b       302 404 403 403 403 403 403 403 403 403 403 log
dossiers:return                  POST   a       302 302 403 403 403 403 403 403 403 403 403 log
dossiers:return                  POST   b       302 404 403 403 403 403 403 403 403 403 403 log
dossiers:accept                  POST   a       302 302 403 403 403 403 403 403 403 403 403 log
dossiers:accept                  POST   b       302 404 403 403 403 403 403 403 403 403 403 log
dossiers:to_council              POST   a       302 403 403 403 403 403 403 403 403 403 403 log
dossiers:to_council              POST   b       302 404 403 403 403 403 403 403 403 403 403 log
dossiers:decide                  POST   a       302 302 403 403 403 403 403 403 403 403 403 log
dossiers:decide                  POST   b       302 404 403 403 403 403 403 403 403 403 403 log
dossiers:decision                POST   a       302 403 403 403 403 403 403 403 403 403 403 log
dossiers:decision                POST   b       302 404 403 403 403 403 403 403 403 403 403 log
dossiers:prepare_state           POST   a       302 302 403 403 403 403 403 403 403 403 403 log
dossiers:prepare_state           POST   b       302 404 403 403 403 403 403 403 403 403 403 log
dossiers:sign                    POST   a       302 403 403 403 403 302 403 403 403 403 403 log
dossiers:sign                    POST   b       302 403 403 403 403 404 403 403 403 403 403 log
dossiers:send_up                 POST   a       302 302 403 403 403 403 403 403 403 403 403 log
dossiers:send_up                 POST   b       302 404 403 403 403 403 403 403 403 403 403 log
dossiers:resend_up               POST   a       302 302 403 403 403 403 403 403 403 403 403 log
dossiers:resend_up               POST   b       302 404 403 403 403 403 403 403 403 403 403 log
dossiers:state_outcome           POST   a       302 302 403 403 403 403 403 403 403 403 403 log
dossiers:state_outcome           POST   b       302 404 403 403 403 403 403 403 403 403 403 log
dossiers:comment                 POST   a       302 302 302 302 403 302 403 302 403 403 403 log
dossiers:comment                 POST   b       302 404 404 404 403 404 403 404 403 403 403 log
"""
# fmt: on

UNIT_NAMES = {"a": "Vụ Alpha", "b": "Vụ Beta"}
# one dossier per status a move starts from; the titles are the names the lists must (not) show
STEPS = {
    "draft": ("Hồ sơ đang lập", Status.DRAFT, Level.MINISTRY),
    "ready": ("Hồ sơ chờ gửi", Status.DRAFT, Level.MINISTRY),
    "sent": ("Hồ sơ vừa gửi", Status.SENT, Level.MINISTRY),
    "appraising": ("Hồ sơ đang thẩm định", Status.APPRAISING, Level.MINISTRY),
    "accepted": ("Hồ sơ được chấp nhận", Status.ACCEPTED, Level.MINISTRY),
    "council": ("Hồ sơ chờ Hội đồng", Status.ACCEPTED, Level.MINISTRY),
    "decided": ("Hồ sơ có kết quả xét", Status.DECIDED, Level.MINISTRY),
    "state": ("Hồ sơ trình Nhà nước", Status.DECIDED, Level.STATE),
    "prepared": ("Hồ sơ chờ ký trình", Status.PREPARED, Level.STATE),
    "signed": ("Hồ sơ đã ký trình", Status.SIGNED, Level.STATE),
    "sent_up": ("Hồ sơ chờ kết quả Nhà nước", Status.SENT_UP, Level.STATE),
    "returned_up": ("Hồ sơ cấp trên trả lại", Status.SENT_UP, Level.STATE),
}
TITLES = {key: {f"{title} {name}" for title, _s, _l in STEPS.values()} for key, name in UNIT_NAMES.items()}
LIST_ROWS = {"A": TITLES["a"], "B": TITLES["b"], "all": TITLES["a"] | TITLES["b"], "nil": set()}


def _dossier(unit, step: str) -> Dossier:
    title, status, level = STEPS[step]
    ministry = unit.parent
    held_by_unit = status == Status.DRAFT
    return Dossier.objects.create(
        unit=unit,
        level=level,
        year=YEAR,
        title=f"{title} {unit.name}",
        status=status,
        holder=unit if held_by_unit else (None if status == Status.SENT_UP else ministry),
        holder_label=unit.name if held_by_unit else ministry.name,
        step_since=None if held_by_unit else timezone.now(),
        sent_count=0 if held_by_unit else 1,
    )


def _nominate(dossier, subject, award: str, **extra) -> Nomination:
    is_person = subject.__class__.__name__ == "Person"
    return Nomination.objects.create(
        dossier=dossier,
        person=subject if is_person else None,
        collective=None if is_person else subject,
        unit=subject.current_unit if is_person else subject.unit,
        award_code=award,
        first_year=YEAR,
        last_year=YEAR,
        verdict="undetermined",
        **extra,
    )


def _chain(world: World, key: str) -> dict:
    """The dossiers of unit `key` (a or b), one per step, with their nominations, papers and reports."""
    unit = world.units[key]
    # A's nominees: An and the staff member's own record (Bình) in the draft, Hà in the dossier ready to
    # send; B's: its team in the draft, Cường in the one ready to send; the team further on
    if key == "a":
        drafted = [world.people["a"], world.people["self"]]
        ready, team, veteran = world.people["a1"], world.collectives["a"], world.people["a"]
    else:
        drafted = [world.collectives["b"]]
        ready, team, veteran = world.people["b"], world.collectives["b"], world.people["b"]
    d = {step: _dossier(unit, step) for step in STEPS}
    out: dict = {"dossiers": d}

    # the draft: nominations with their reports submitted to the head, a paper with a file
    out["nominations"] = [_nominate(d["draft"], s, "bang_khen_bo") for s in drafted]
    for n in out["nominations"]:
        AchievementReport.objects.create(
            nomination=n,
            sections={"achievements": "Hoàn thành xuất sắc nhiệm vụ"},
            status=ReportStatus.SUBMITTED,
        )
    checklist.sync_components(d["draft"])
    paper = d["draft"].components.get(code="bien_ban")
    row = ComponentFile(
        component=paper, version=1, name="bien-ban.pdf", kind="pdf", size=len(PDF), sha256="0"
    )
    row.file.save("bien-ban.pdf", ContentFile(PDF), save=False)
    row.save()
    Component.objects.filter(pk=paper.pk).update(status=ComponentStatus.READY)
    out["paper"], out["file"] = paper, row

    # ready to send: the nominee eligible (two years rated xuất sắc, two initiatives), every paper
    # there, the report confirmed, approved by the head
    Evaluation.objects.filter(person=ready, year=YEAR).update(rating="htxs")
    Evaluation.objects.create(
        person=ready, unit=ready.current_unit, year=YEAR - 1, rating="htxs", months_worked=12
    )
    for n, y in enumerate((YEAR - 1, YEAR)):
        Initiative.objects.create(
            person=ready, unit=ready.current_unit, year=y, title=f"Cải tiến quy trình {n}", scope="co_so",
            recognised_on=datetime.date(y, 11, 1), decision_number=f"{n + 1}/QĐ-SK",
        )  # fmt: skip
    n = _nominate(d["ready"], ready, "bang_khen_bo")
    AchievementReport.objects.create(
        nomination=n, sections={"achievements": "Hoàn thành xuất sắc"}, status=ReportStatus.CONFIRMED
    )
    checklist.sync_components(d["ready"])
    d["ready"].components.filter(code="bien_ban").update(status=ComponentStatus.READY)
    Dossier.objects.filter(pk=d["ready"].pk).update(approved_at=timezone.now())

    for step in ("sent", "appraising"):
        _nominate(d[step], team, "bang_khen_bo")
    _nominate(d["accepted"], team, "bang_khen_bo", appraisal=Appraisal.OK)
    _nominate(d["council"], veteran, "cstd_bo", appraisal=Appraisal.OK)
    _nominate(d["decided"], team, "bang_khen_bo", appraisal=Appraisal.OK, decided=Decided.APPROVED)
    for step in ("state", "prepared", "signed", "sent_up"):
        _nominate(d[step], veteran, "bang_khen_ttg", appraisal=Appraisal.OK, decided=Decided.APPROVED)
    _nominate(
        d["returned_up"],
        veteran,
        "bang_khen_ttg",
        appraisal=Appraisal.OK,
        decided=Decided.APPROVED,
        state_outcome=StateOutcome.RETURNED,
    )
    return out


def build(world: World) -> None:
    world.extra["dossiers"] = {key: _chain(world, key) for key in ("a", "b")}


def state() -> tuple:
    return (
        tuple(
            Dossier.objects.order_by("id").values_list(
                "id", "status", "approved_at", "decision_id", "meeting_id"
            )
        ),
        tuple(
            Nomination.objects.order_by("id").values_list(
                "id", "justification", "appraisal", "decided", "state_outcome"
            )
        ),
        tuple(Component.objects.order_by("id").values_list("id", "status")),
        tuple(AchievementReport.objects.order_by("id").values_list("id", "status", "sections")),
        ComponentFile.objects.count(),
        Transition.objects.count(),
        ReturnReason.objects.count(),
        Comment.objects.count(),
    )


# --------------------------------------------------------------------------------- how to ask each URL


def _d(w: World, t: str, step: str) -> Dossier:
    return w.extra["dossiers"][t]["dossiers"][step]


def _n(w: World, t: str) -> Nomination:
    """a / b: the first nomination of the unit's draft; self: the staff member's own (A's draft)."""
    nominations = w.extra["dossiers"]["a" if t == "self" else t]["nominations"]
    return nominations[1] if t == "self" else nominations[0]


def _detail(w: World, t: str, step: str) -> str:
    return reverse("dossiers:detail", args=[_d(w, t, step).pk])


def _move(name: str, step: str, data: dict | None = None, redirect=None) -> Endpoint:
    return Endpoint(
        lambda w, t: Request(
            reverse(f"dossiers:{name}", args=[_d(w, t, step).pk]),
            data or {},
            redirect=redirect or _detail(w, t, step),
        ),
        changes=True,
    )


def _xlsx_titles(response) -> set[str]:
    import io

    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}


def _filter(w: World, t: str) -> str:
    return f"?unit={w.units['b'].pk}" if t == "b" else ""


def _round(w: World, t: str) -> ReviewRound:
    """A concluded review round of the unit proposing one of its people to the ministry (made when asked:
    the review tables list every round)."""
    unit = w.units[t]
    review = ReviewRound.objects.create(  # the year before the review tables' rounds
        unit=unit, year=YEAR - 2, title=f"Bình xét đề nghị {unit.name}", status=RoundStatus.CONCLUDED
    )
    p = w.people[t]
    Candidate.objects.create(
        round=review, person=p, unit=p.current_unit, award_code="bang_khen_bo", verdict="eligible",
        outcome=Outcome.PROPOSE,
    )  # fmt: skip
    return review


def _council(w: World) -> Council:
    """The ministry's council (made when asked: the council tables list every council)."""
    council = Council.objects.filter(unit=w.units["root"]).first()
    if council is None:
        council = Council.objects.create(
            unit=w.units["root"], name="Hội đồng TĐKT Bộ", term_from=datetime.date(YEAR, 1, 1)
        )
        CouncilMember.objects.create(council=council, person=w.people["root"], role=MemberRole.CHAIR)
    return council


def _to_council(w: World, t: str) -> Request:
    d = _d(w, t, "council")
    return Request(
        reverse("dossiers:to_council", args=[d.pk]),
        {"council": _council(w).pk, "starts_at": f"20/01/{YEAR + 2} 08:30", "place": "Phòng họp Bộ"},
        redirect="/councils/",
    )


def _state_outcome(w: World, t: str) -> Request:
    n = _d(w, t, "sent_up").nominations.get()
    return Request(
        reverse("dossiers:state_outcome", args=[n.pk]),
        {f"so{n.pk}-outcome": "not_approved", f"so{n.pk}-note": "Chưa đủ điều kiện"},
        redirect=_detail(w, t, "sent_up"),
    )


REPORT = {"achievements": "Hoàn thành xuất sắc nhiệm vụ được giao, có hai sáng kiến"}

ENDPOINTS = {
    "dossiers:list": Endpoint(
        lambda w, t: Request(
            reverse("dossiers:list") + _filter(w, t), marker=UNIT_NAMES["b"] if t == "b" else None
        ),
        rows=lambda r: {d.title for d in r.context["page"].object_list},
        expected_rows=LIST_ROWS,
    ),
    "dossiers:dossier_export": Endpoint(
        lambda w, t: Request(
            reverse("dossiers:dossier_export") + _filter(w, t), marker=UNIT_NAMES["b"] if t == "b" else None
        ),
        rows=_xlsx_titles,
        expected_rows=LIST_ROWS,
    ),
    "dossiers:create": Endpoint(
        lambda w, t: Request(
            reverse("dossiers:create"),
            {"unit": w.units[t].pk, "level": "ministry", "kind": "cong_trang", "year": YEAR, "title": ""},
            redirect="/dossiers/",
        ),
        changes=True,
    ),
    "dossiers:from_round": Endpoint(
        lambda w, t: Request(
            reverse("dossiers:from_round", args=[_round(w, t).pk]),
            {"level": "ministry"},
            redirect="/dossiers/",
        ),
        changes=True,
    ),
    "dossiers:mine": Endpoint(lambda w, t: Request(reverse("dossiers:mine"))),
    "dossiers:detail": Endpoint(lambda w, t: Request(_detail(w, t, "draft"), marker=_d(w, t, "draft").title)),
    "dossiers:nomination_add": Endpoint(
        lambda w, t: Request(
            reverse("dossiers:nomination_add", args=[_d(w, t, "draft").pk]),
            {"code": w.people["a1" if t == "a" else "b"].code, "award": "bang_khen_bo"},
            redirect=_detail(w, t, "draft"),
        ),
        changes=True,
    ),
    "dossiers:nomination_remove": Endpoint(
        lambda w, t: Request(
            reverse("dossiers:nomination_remove", args=[_n(w, t).pk]), {}, redirect=_detail(w, t, "draft")
        ),
        changes=True,
    ),
    "dossiers:nomination_justify": Endpoint(
        lambda w, t: Request(
            reverse("dossiers:nomination_justify", args=[_n(w, t).pk]),
            {"text": "Thành tích đột xuất được Bộ ghi nhận"},
            redirect=_detail(w, t, "draft"),
        ),
        changes=True,
    ),
    "dossiers:report": Endpoint(
        lambda w, t: Request(
            reverse("dossiers:report", args=[_n(w, t).pk]),
            REPORT,
            marker=str(_n(w, t).subject),
            redirect=reverse("dossiers:report", args=[_n(w, t).pk]),
        ),
        changes=True,
    ),
    "dossiers:report_confirm": Endpoint(
        lambda w, t: Request(
            reverse("dossiers:report_confirm", args=[_n(w, t).pk]),
            {},
            redirect=reverse("dossiers:report", args=[_n(w, t).pk]),
        ),
        changes=True,
    ),
    "dossiers:report_file": Endpoint(
        lambda w, t: Request(reverse("dossiers:report_file", args=[_n(w, t).pk, "docx"]))
    ),
    "dossiers:paper_upload": Endpoint(
        lambda w, t: Request(
            reverse("dossiers:paper_upload", args=[w.extra["dossiers"][t]["paper"].pk]),
            {"file": SimpleUploadedFile("bien-ban-ky.pdf", PDF)},
            redirect=_detail(w, t, "draft"),
        ),
        changes=True,
    ),
    "dossiers:paper_version": Endpoint(
        lambda w, t: Request(reverse("dossiers:paper_version", args=[w.extra["dossiers"][t]["file"].pk]))
    ),
    "dossiers:paper_draft": Endpoint(
        lambda w, t: Request(reverse("dossiers:paper_draft", args=[_d(w, t, "draft").pk, "to_trinh", "docx"]))
    ),
    "dossiers:approve": _move("approve", "ready"),
    "dossiers:send": _move("send", "ready", {"message": "Kính gửi Vụ Thi đua – Khen thưởng"}),
    "dossiers:receive": _move("receive", "sent"),
    "dossiers:return": _move("return", "appraising", {"why": "Thiếu chữ ký của thủ trưởng đơn vị"}),
    "dossiers:accept": _move("accept", "appraising"),
    "dossiers:to_council": Endpoint(_to_council, changes=True),
    "dossiers:decide": _move("decide", "accepted"),
    "dossiers:decision": _move("decision", "decided", redirect="/awards/decisions/"),
    "dossiers:prepare_state": _move("prepare_state", "state"),
    "dossiers:sign": _move("sign", "prepared"),
    "dossiers:send_up": _move("send_up", "signed", {"message": "Tờ trình số 45/TTr-BO"}),
    "dossiers:resend_up": _move("resend_up", "returned_up", {"message": "Văn bản số 51/BO-TĐKT bổ sung"}),
    "dossiers:state_outcome": Endpoint(_state_outcome, changes=True),
    "dossiers:comment": _move("comment", "draft", {"text": "Đề nghị bổ sung số liệu năm trước"}),
}
