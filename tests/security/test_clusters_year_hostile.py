"""Hostile use of a cluster's year pages: another member's ids, a member of another cluster, the head of
another year, junk in every field, double submits and crafted evidence files. Nothing is written, the
answer tells nothing about records outside the user's reach."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.clusters import services
from tdkt.clusters.enums import BlocRole, SheetStatus, YearAction, YearStatus
from tdkt.clusters.models import Adjustment, BlocMembership, ClusterYear, Evidence, Score, Sheet, Standing
from tests.clusters import conftest as clusters_world
from tests.clusters.test_year_flow import PDF, fill, open_scoring, pdf

YEAR = clusters_world.YEAR
world = clusters_world.world  # the clusters app's fixture, shared with these tests


def _sheet(w, i) -> Sheet:
    return Sheet.objects.get(cluster_year=w.cy, unit=w.units[i])


def _msgs(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _scores_state():
    return list(Score.objects.order_by("pk").values_list("pk", "value", "points", "note", "version"))


@pytest.fixture
def scoring(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    open_scoring(world)
    return world


def test_a_members_officer_cannot_reach_another_members_sheet(client, scoring):
    w = scoring
    theirs = _sheet(w, 2)
    score = theirs.scores.get(criterion=w.lines["2"])
    services.evidence_add(
        actor=w.officers[2],
        score_id=score.pk,
        checked=pdf(),
    )
    evidence = Evidence.objects.get(score=score)
    before = _scores_state()
    client.force_login(w.officers[1])
    assert client.get(reverse("clusters:sheet", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("clusters:evidence_file", args=[evidence.pk])).status_code == 404
    data = {f"value_{w.lines['2'].pk}": "30"}
    assert client.post(reverse("clusters:sheet", args=[theirs.pk]), data).status_code == 404
    assert client.post(reverse("clusters:sheet_submit", args=[theirs.pk])).status_code == 404
    upload = SimpleUploadedFile("x.pdf", PDF + b"x")
    assert (
        client.post(reverse("clusters:evidence_upload", args=[score.pk]), {"file": upload}).status_code == 404
    )
    assert client.post(reverse("clusters:evidence_remove", args=[evidence.pk])).status_code == 404
    # ids that do not exist answer the same
    assert client.get(reverse("clusters:sheet", args=[999999])).status_code == 404
    assert client.get(reverse("clusters:evidence_file", args=[999999])).status_code == 404
    assert _scores_state() == before and Evidence.objects.filter(pk=evidence.pk).exists()
    # the member's own sheet form cannot write another sheet's line either: unknown fields are ignored
    mine = _sheet(w, 1)
    other_line = theirs.scores.get(criterion=w.lines["1.2"])
    client.post(reverse("clusters:sheet", args=[mine.pk]), {f"value_{other_line.pk}": "30"})
    assert _scores_state() == before


def test_a_member_of_another_cluster_sees_nothing(client, scoring):
    w = scoring
    client.force_login(w.outsider)  # its unit was a member in 2024, not in 2025
    sheet = _sheet(w, 0)
    for url in (
        reverse("clusters:year_detail", args=[w.cy.pk]),
        reverse("clusters:sheet", args=[sheet.pk]),
        reverse("clusters:ranking", args=[w.cy.pk]),
        reverse("clusters:results", args=[w.cy.pk]),
        reverse("clusters:bloc_results", args=[w.bloc.pk, YEAR]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert w.cluster.name not in response.content.decode()
    before = _scores_state()
    client.post(reverse("clusters:sheet", args=[sheet.pk]), {f"value_{w.lines['2'].pk}": "1"})
    assert _scores_state() == before


def test_the_head_of_another_year_leads_nothing(client, world):
    w = world
    # 2026: the head department of 2025 is an ordinary member; another department heads the cluster
    for i, u in enumerate(w.units):
        BlocMembership.objects.create(
            bloc=w.bloc, cluster=w.cluster, unit=u, year=YEAR + 1,
            role=BlocRole.HEAD if i == 2 else BlocRole.MEMBER,
        )  # fmt: skip
    later = ClusterYear.objects.create(cluster=w.cluster, year=YEAR + 1)
    client.force_login(w.head)
    assert client.get(reverse("clusters:year_detail", args=[later.pk])).context["moves"] == []
    response = client.post(
        reverse("clusters:year_move", args=[later.pk]), {"action": "open_scoring", "deadline": "31/12/2099"}
    )
    assert response.status_code == 403
    assert ClusterYear.objects.get(pk=later.pk).status == YearStatus.SETUP
    assert client.post(reverse("clusters:conference_prepare", args=[later.pk]), {}).status_code == 403
    assert client.post(reverse("clusters:year_dossier", args=[later.pk])).status_code == 403


JUNK = ["abc", "1e999", "NaN", "-5", "999999999999999", "1,2,3", "<script>", "Infinity", "0x10"]


@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_the_sheet_saves_nothing(client, scoring, junk):
    w = scoring
    sheet = _sheet(w, 1)
    before = _scores_state()
    client.force_login(w.officers[1])
    data = {f"value_{w.lines['1.2'].pk}": "10", f"value_{w.lines['2'].pk}": junk}
    response = client.post(reverse("clusters:sheet", args=[sheet.pk]), data)
    assert response.status_code == 200
    assert any("2" in m for m in _msgs(response)), _msgs(response)
    assert _scores_state() == before
    assert "<script>" not in response.content.decode().replace("&lt;script&gt;", "")


@pytest.mark.parametrize(
    ("points", "version"),
    [
        ("abc", "0"),
        ("-5", "0"),
        ("1e999", "0"),
        ("31", "0"),
        ("10", "abc"),
        ("10", "-1"),
        ("10", "99999999999"),
    ],
)
def test_junk_in_an_adjustment_saves_nothing(client, scoring, points, version):
    w = scoring
    for i in range(3):
        fill(w, i)
    services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=YearAction.START_APPRAISAL)
    score = _sheet(w, 1).scores.get(criterion=w.lines["2"])
    before = _scores_state()
    client.force_login(w.head)
    response = client.post(
        reverse("clusters:score_adjust", args=[score.pk]),
        {"points": points, "reason": "Thiếu hồ sơ minh chứng", "version": version},
    )
    assert response.status_code == 302
    assert _scores_state() == before and not Adjustment.objects.exists()


@pytest.mark.parametrize("deadline", ["", "32/13/2025", "abc", "01/01/2000", "9" * 50])
def test_junk_deadlines_move_nothing(client, world, deadline):
    from tests.clusters.conftest import sign_all

    w = world
    sign_all(w)
    client.force_login(w.head)
    client.post(
        reverse("clusters:year_move", args=[w.cy.pk]), {"action": "open_scoring", "deadline": deadline}
    )
    client.post(reverse("clusters:year_move", args=[w.cy.pk]), {"action": "launch_rockets"})
    assert ClusterYear.objects.get(pk=w.cy.pk).status == YearStatus.SETUP
    assert not Sheet.objects.exists()


def test_junk_in_the_ranking_forms_and_filters(client, scoring):
    w = scoring
    for i in range(3):
        fill(w, i, tdkt=str(30 - i))
    for action in (YearAction.START_APPRAISAL, YearAction.LOCK, YearAction.RANK):
        services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=action)
    standing = Standing.objects.filter(cluster_year=w.cy).order_by("rank").first()
    award = standing.proposed_award
    client.force_login(w.head)
    for junk in ("nobel", "<b>", "1" * 500):
        client.post(reverse("clusters:standing_propose", args=[standing.pk]), {"award": junk})
    assert Standing.objects.get(pk=standing.pk).proposed_award == award
    for data in (
        {"day": "abc", "time": "08:00", "place": "Hội trường"},
        {"day": "20/12/2025", "time": "25:99", "place": "Hội trường"},
        {"day": "20/12/2025", "time": "08:00", "place": ""},
        {},
    ):
        client.post(reverse("clusters:conference_prepare", args=[w.cy.pk]), data)
    assert ClusterYear.objects.get(pk=w.cy.pk).meeting_id is None
    assert client.get(reverse("clusters:results", args=[w.cy.pk]) + "?format=<junk>").status_code == 200
    assert client.get(f"/clusters/khoi/{w.bloc.pk}/ket-qua/99999999999999999999/").status_code == 404


def test_double_submits_change_nothing_the_second_time(client, scoring):
    w = scoring
    sheet = _sheet(w, 1)
    client.force_login(w.officers[1])
    for code, value in (("1.1", "90"), ("1.2", "20"), ("2", "20")):
        services.score_save(
            actor=w.officers[1], sheet_id=sheet.pk, criterion_id=w.lines[code].pk, value=value
        )
    score = sheet.scores.get(criterion=w.lines["1.1"])
    url = reverse("clusters:evidence_upload", args=[score.pk])
    client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)})
    response = client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}, follow=True)
    assert any("đã được nộp" in m for m in _msgs(response))
    assert Evidence.objects.filter(score=score).count() == 1
    client.post(reverse("clusters:sheet_submit", args=[sheet.pk]))
    submitted = Sheet.objects.get(pk=sheet.pk)
    assert submitted.status == SheetStatus.SUBMITTED
    response = client.post(reverse("clusters:sheet_submit", args=[sheet.pk]), follow=True)
    assert any("đã gửi" in m for m in _msgs(response))
    assert Sheet.objects.get(pk=sheet.pk).submitted_at == submitted.submitted_at


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("bao-cao.pdf", b"<html><script>alert(1)</script></html>"),
        ("bao-cao.pdf", b""),
        ("anh.png", PDF),
        ("bao-cao.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("../../etc/passwd.pdf", b"root:x:0:0"),
        ("bao-cao.docx", b"PK\x03\x04" + b"\x00" * 100),
        ("bao-cao.html", b"<html></html>"),
    ],
)
def test_crafted_evidence_files_are_refused(client, scoring, name, body):
    w = scoring
    score = _sheet(w, 1).scores.get(criterion=w.lines["1.1"])
    client.force_login(w.officers[1])
    response = client.post(
        reverse("clusters:evidence_upload", args=[score.pk]),
        {"file": SimpleUploadedFile(name, body)},
        follow=True,
    )
    assert response.status_code == 200
    assert any("Tệp minh chứng" in m for m in _msgs(response)), _msgs(response)
    assert not Evidence.objects.exists()


def test_a_file_over_the_cap_is_refused(client, scoring, settings):
    settings.TDKT_DOSSIER_FILE_MAX_BYTES = 1024
    w = scoring
    score = _sheet(w, 1).scores.get(criterion=w.lines["1.1"])
    client.force_login(w.officers[1])
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * 4096)
    response = client.post(reverse("clusters:evidence_upload", args=[score.pk]), {"file": big}, follow=True)
    assert any("quá lớn" in m for m in _msgs(response))
    assert not Evidence.objects.exists()


def test_evidence_is_served_as_an_attachment_under_a_safe_name(client, scoring):
    w = scoring
    score = _sheet(w, 1).scores.get(criterion=w.lines["1.1"])
    client.force_login(w.officers[1])
    response = client.post(
        reverse("clusters:evidence_upload", args=[score.pk]),
        {"file": SimpleUploadedFile("../../Báo cáo quý.pdf", PDF)},
        follow=True,
    )
    assert response.status_code == 200
    row = Evidence.objects.get(score=score)
    assert row.name == "Báo cáo quý.pdf"
    assert "Báo" not in row.file.name and ".." not in row.file.name and row.file.name.endswith(".pdf")
    response = client.get(reverse("clusters:evidence_file", args=[row.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_late_member_cannot_score_after_the_deadline(client, scoring):
    w = scoring
    ClusterYear.objects.filter(pk=w.cy.pk).update(
        score_deadline=datetime.date.today() - datetime.timedelta(days=1)
    )
    before = _scores_state()
    client.force_login(w.officers[1])
    response = client.post(
        reverse("clusters:sheet", args=[_sheet(w, 1).pk]), {f"value_{w.lines['2'].pk}": "10"}
    )
    assert any("quá hạn tự chấm" in m for m in _msgs(response))
    assert _scores_state() == before
