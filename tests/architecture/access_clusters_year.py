"""Access table of a cluster's year (issue 11, items 4–6): the hub, the sheets, evidence, appraisal,
explanation, ranking, conference, proposals and results.

The bloc is the ministry's (root); its cluster "Cụm Mười Hai" has department A as its head and department
B as a member every year; "Cụm Ngoại" has the ministry itself as its only member in 2025 (nothing of A's).
So every role held in A is a member's; the TĐKT officer and the bloc head of A are the cluster's head
(clusters.rules.heads) and lead its year; the specialist of A is a member here, not the organiser (the
bloc is the ministry's). The years: 2021 scoring, 2022 appraisal, 2023 explanation, 2024 ranked,
2025 published.

Targets: a — A's (sheet, score, evidence, adjustment, standing); b — B's, another member's (seen before the
lock by the head and the organiser only); x — of "Cụm Ngoại"; m — the cluster's year; r — the ranked,
unpublished year; none — a year with no cluster."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.clusters.enums import BlocRole, CriterionKind, SheetStatus, YearStatus
from tdkt.clusters.models import (
    Adjustment,
    Bloc,
    BlocMembership,
    Cluster,
    ClusterYear,
    Criterion,
    Evidence,
    Score,
    Sheet,
    Standing,
)
from tests.architecture.matrix import Endpoint, Request, World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
clusters:year_detail             GET    m       200 200 200 200 403 200 200 200 403 403 403 log
clusters:year_detail             GET    x       200 404 404 404 403 404 404 404 403 403 403 log
clusters:year_move               POST   m       302 403 302 403 403 403 302 403 403 403 403 log
clusters:year_move               POST   x       302 404 404 404 403 404 404 404 403 403 403 log
clusters:year_dossier            POST   m       302 403 302 403 403 403 302 403 403 403 403 log
clusters:sheet                   GET    a       200 200 200 200 403 200 200 200 403 403 403 log
clusters:sheet                   GET    b       200 404 200 404 403 404 200 404 403 403 403 log
clusters:sheet                   GET    x       200 404 404 404 403 404 404 404 403 403 403 log
clusters:sheet                   POST   a       302 403 302 302 403 403 403 403 403 403 403 log
clusters:sheet                   POST   b       302 404 403 404 403 404 403 404 403 403 403 log
clusters:sheet_submit            POST   a       302 403 302 302 403 403 403 403 403 403 403 log
clusters:sheet_submit            POST   b       302 403 404 404 403 403 403 403 403 403 403 log
clusters:evidence_upload         POST   a       302 403 302 302 403 403 403 403 403 403 403 log
clusters:evidence_upload         POST   b       302 403 404 404 403 403 403 403 403 403 403 log
clusters:evidence_remove         POST   a       302 403 302 302 403 403 403 403 403 403 403 log
clusters:evidence_file           GET    a       200 200 200 200 403 200 200 200 403 403 403 log
clusters:evidence_file           GET    b       200 404 200 404 403 404 200 404 403 403 403 log
clusters:score_adjust            POST   a       302 403 403 403 403 403 403 403 403 403 403 log
clusters:score_adjust            POST   b       302 404 302 404 403 404 302 404 403 403 403 log
clusters:adjustment_explain      POST   a       302 403 302 302 403 403 403 403 403 403 403 log
clusters:adjustment_explain      POST   b       302 403 404 404 403 403 403 403 403 403 403 log
clusters:ranking                 GET    r       200 200 200 200 403 200 200 200 403 403 403 log
clusters:ranking                 GET    x       200 404 404 404 403 404 404 404 403 403 403 log
clusters:standing_propose        POST   a       302 403 302 403 403 403 302 403 403 403 403 log
clusters:conference_prepare      POST   r       302 403 302 403 403 403 302 403 403 403 403 log
clusters:results                 GET    m       200 200 200 200 403 200 200 200 403 403 403 log
clusters:results                 GET    r       200 403 200 403 403 403 200 403 403 403 403 log
clusters:results                 GET    x       200 404 404 404 403 404 404 404 403 403 403 log
clusters:bloc_results            GET    m       200 200 200 200 403 200 200 200 403 403 403 log
clusters:bloc_results            GET    none    404 404 404 404 403 404 404 404 403 403 403 log
"""
# fmt: on

STATUSES = {
    2021: YearStatus.SCORING,
    2022: YearStatus.APPRAISAL,
    2023: YearStatus.EXPLANATION,
    2024: YearStatus.RANKED,
    2025: YearStatus.PUBLISHED,
}
NAME = "Cụm Mười Hai"
OTHER = "Cụm Ngoại"


def build(world: World) -> None:
    a, b, root = world.units["a"], world.units["b"], world.units["root"]
    bloc = Bloc.objects.create(code="H3-KHOI", name="Khối ma trận quyền", owner_unit=root)
    cluster = Cluster.objects.create(bloc=bloc, code="H3-M", name=NAME, order=1)
    other = Cluster.objects.create(bloc=bloc, code="H3-X", name=OTHER, order=2)
    objs: dict = {"bloc": bloc}
    for year, status in STATUSES.items():
        line = Criterion.objects.create(
            bloc=bloc, year=year, code="1", name="Tiêu chí duy nhất", kind=CriterionKind.FIXED, max_points=10
        )
        cy = ClusterYear.objects.create(cluster=cluster, year=year, status=status)
        objs[year] = cy
        draft = status == YearStatus.SCORING
        for key, unit, role in (("a", a, BlocRole.HEAD), ("b", b, BlocRole.MEMBER)):
            BlocMembership.objects.create(bloc=bloc, cluster=cluster, unit=unit, year=year, role=role)
            sheet = Sheet.objects.create(
                cluster_year=cy, unit=unit, status=SheetStatus.DRAFT if draft else SheetStatus.SUBMITTED,
                self_total=5, total=5,
            )  # fmt: skip
            score = Score.objects.create(
                sheet=sheet, criterion=line, value=5, self_points=5, points=5, note=f"GHI-CHU-{key.upper()}"
            )
            objs[(year, key, "sheet")], objs[(year, key, "score")] = sheet, score
            if status == YearStatus.EXPLANATION:
                objs[(year, key, "adj")] = Adjustment.objects.create(
                    score=score, old_points=6, new_points=5, reason="Thiếu minh chứng của tiêu chí"
                )
            if status in (YearStatus.RANKED, YearStatus.PUBLISHED):
                objs[(year, key, "standing")] = Standing.objects.create(
                    cluster_year=cy, unit=unit, total=5, rank=1 if key == "a" else 2
                )
        if draft:
            for key, name in (("a", "minh-chung-a.pdf"), ("r", "go-bo.pdf"), ("b", "minh-chung-b.pdf")):
                row = Evidence(
                    score=objs[(year, "b" if key == "b" else "a", "score")], name=name, kind="pdf",
                    size=len(PDF), sha256=key * 64,
                )  # fmt: skip
                row.file.save(f"h3-{key}.pdf", ContentFile(PDF), save=False)
                row.save()
                objs[("evidence", key)] = row
    x = ClusterYear.objects.create(cluster=other, year=2025, status=YearStatus.PUBLISHED)
    BlocMembership.objects.create(bloc=bloc, cluster=other, unit=root, year=2025, role=BlocRole.HEAD)
    sheet = Sheet.objects.create(cluster_year=x, unit=root, status=SheetStatus.LOCKED, self_total=5, total=5)
    Score.objects.create(
        sheet=sheet,
        criterion=Criterion.objects.get(bloc=bloc, year=2025),
        value=5,
        points=5,
        note="GHI-CHU-X",
    )
    Standing.objects.create(cluster_year=x, unit=root, total=5, rank=1)
    objs["x"], objs[("x", "sheet")] = x, sheet
    world.extra["h3"] = objs


def state() -> tuple:
    return (
        tuple(ClusterYear.objects.order_by("pk").values_list("pk", "status", "meeting_id", "dossier_id")),
        tuple(Sheet.objects.order_by("pk").values_list("pk", "status")),
        tuple(Score.objects.order_by("pk").values_list("pk", "value", "points", "note", "version")),
        tuple(Evidence.objects.order_by("pk").values_list("pk", flat=True)),
        tuple(Adjustment.objects.order_by("pk").values_list("pk", "explanation")),
        tuple(Standing.objects.order_by("pk").values_list("pk", "proposed_award")),
    )


def _o(w: World):
    return w.extra["h3"]


def _year(w: World, t: str) -> ClusterYear:
    return {"m": _o(w)[2025], "r": _o(w)[2024], "x": _o(w)["x"]}[t]


def _sheet(w: World, t: str) -> Sheet:
    return _o(w)[("x", "sheet")] if t == "x" else _o(w)[(2021, t, "sheet")]


def _marker(t: str) -> str:
    return {"a": "GHI-CHU-A", "b": "GHI-CHU-B", "x": "GHI-CHU-X"}[t]


def _sheet_request(w: World, t: str) -> Request:
    sheet = _sheet(w, t)
    line = _o(w)[(2021, "a", "score")].criterion_id
    return Request(
        reverse("clusters:sheet", args=[sheet.pk]),
        {f"value_{line}": "7", f"note_{line}": "Đã sửa"},
        marker=_marker(t),
        redirect=reverse("clusters:sheet", args=[sheet.pk]),
    )


def _adjust(w: World, t: str) -> Request:
    score = _o(w)[(2022, t, "score")]
    return Request(
        reverse("clusters:score_adjust", args=[score.pk]),
        {"points": "3", "reason": "Thiếu hồ sơ minh chứng", "version": str(score.version)},
        redirect=reverse("clusters:sheet", args=[score.sheet_id]),
    )


ENDPOINTS = {
    "clusters:year_detail": Endpoint(
        lambda w, t: Request(
            reverse("clusters:year_detail", args=[_year(w, t).pk]), marker=NAME if t == "m" else OTHER
        )
    ),
    "clusters:year_move": Endpoint(
        lambda w, t: Request(
            reverse("clusters:year_move", args=[(_o(w)[2022] if t == "m" else _year(w, t)).pk]),
            {"action": "lock"},
            redirect=reverse("clusters:year_detail", args=[(_o(w)[2022] if t == "m" else _year(w, t)).pk]),
        )
    ),
    "clusters:year_dossier": Endpoint(
        lambda w, t: Request(reverse("clusters:year_dossier", args=[_year(w, t).pk]), {})
    ),
    "clusters:sheet": Endpoint(_sheet_request),
    "clusters:sheet_submit": Endpoint(
        lambda w, t: Request(reverse("clusters:sheet_submit", args=[_sheet(w, t).pk]), {}), changes=True
    ),
    "clusters:evidence_upload": Endpoint(
        lambda w, t: Request(
            reverse("clusters:evidence_upload", args=[_o(w)[(2021, t, "score")].pk]),
            {"file": SimpleUploadedFile("bao-cao.pdf", PDF + b"new")},
            redirect=reverse("clusters:sheet", args=[_sheet(w, t).pk]),
        ),
        changes=True,
    ),
    "clusters:evidence_remove": Endpoint(
        lambda w, t: Request(reverse("clusters:evidence_remove", args=[_o(w)[("evidence", "r")].pk]), {}),
        changes=True,
    ),
    "clusters:evidence_file": Endpoint(
        lambda w, t: Request(reverse("clusters:evidence_file", args=[_o(w)[("evidence", t)].pk]))
    ),
    "clusters:score_adjust": Endpoint(_adjust, changes=True),
    "clusters:adjustment_explain": Endpoint(
        lambda w, t: Request(
            reverse("clusters:adjustment_explain", args=[_o(w)[(2023, t, "adj")].pk]),
            {"text": "Đơn vị đã gửi bổ sung văn bản số 12."},
        ),
        changes=True,
    ),
    "clusters:ranking": Endpoint(
        lambda w, t: Request(
            reverse("clusters:ranking", args=[_year(w, t).pk]), marker=NAME if t != "x" else OTHER
        )
    ),
    "clusters:standing_propose": Endpoint(
        lambda w, t: Request(
            reverse("clusters:standing_propose", args=[_o(w)[(2024, t, "standing")].pk]),
            {"award": "bang_khen_bo"},
            redirect=reverse("clusters:ranking", args=[_o(w)[2024].pk]),
        ),
        changes=True,
    ),
    "clusters:conference_prepare": Endpoint(
        lambda w, t: Request(
            reverse("clusters:conference_prepare", args=[_year(w, t).pk]),
            {"day": "20/12/2024", "time": "08:00", "place": "Hội trường"},
        )
    ),
    "clusters:results": Endpoint(
        lambda w, t: Request(
            reverse("clusters:results", args=[_year(w, t).pk]), marker=NAME if t != "x" else OTHER
        )
    ),
    "clusters:bloc_results": Endpoint(
        lambda w, t: Request(
            reverse("clusters:bloc_results", args=[_o(w)["bloc"].pk, 2025 if t == "m" else 2000]),
            marker=NAME if t == "m" else None,
        )
    ),
}
