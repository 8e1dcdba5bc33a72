"""The pages of a cluster's year: the hub with its steps and the head's moves, the member's sheet (scoring
all lines or none, evidence, submit), the head's adjustments with reasons, the member's explanation, the
ranking with its rules and the conference's preparation, the results with charts and their Excel file."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt import councils
from tdkt.clusters import services
from tdkt.clusters.enums import CriterionKind, ProposalAward, SheetStatus, YearAction, YearStatus
from tdkt.clusters.models import Adjustment, ClusterYear, Criterion, Evidence, Score, Sheet, Standing
from tdkt.councils.enums import Attendance, BallotMode
from tests.clusters.conftest import YEAR
from tests.clusters.test_year_flow import PDF, fill, open_scoring


def _sheet(w, i) -> Sheet:
    return Sheet.objects.get(cluster_year=w.cy, unit=w.units[i])


def _move(w, action, **kw):
    return services.year_move(actor=w.head, cluster_year_id=w.cy.pk, action=action, **kw)


def _ranked(w, tdkt=("30", "20", "10")):
    open_scoring(w)
    for i in range(3):
        fill(w, i, tdkt=tdkt[i])
    _move(w, YearAction.START_APPRAISAL)
    _move(w, YearAction.LOCK)
    _move(w, YearAction.RANK)


def _voted(w):
    _ranked(w)
    meeting = services.conference_prepare(
        actor=w.head,
        cluster_year_id=w.cy.pk,
        starts_at=datetime.datetime(2025, 12, 20, 8, 0, tzinfo=datetime.UTC),
        place="Hội trường",
    )
    members = list(meeting.council.members.all())
    councils.services.attendance_set(
        actor=w.head, meeting_id=meeting.pk, entries={m.pk: (Attendance.PRESENT, "") for m in members}
    )
    items = list(meeting.items.all())
    ballot = councils.services.ballot_open(
        actor=w.head, meeting_id=meeting.pk, item_ids=[i.pk for i in items], closes_at=None,
        mode=BallotMode.PAPER,
    )  # fmt: skip
    councils.services.ballot_enter_tallies(
        actor=w.head,
        ballot_id=ballot.pk,
        committee=[members[0].pk, members[1].pk],
        tallies={i.pk: (3, 0, 0) for i in items},
    )
    councils.services.ballot_close(actor=w.head, ballot_id=ballot.pk)
    return meeting


def _published(w):
    _voted(w)
    _move(w, YearAction.PUBLISH)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# ---------------------------------------------------------------------------------------------- the hub


def test_the_hub_shows_steps_members_and_the_heads_moves(client, world):
    w = world
    open_scoring(w)
    client.force_login(w.head)
    response = client.get(reverse("clusters:year_detail", args=[w.cy.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="step"' in body and "Thành viên tự chấm điểm" in body
    for u in w.units:
        assert u.name in body
        assert reverse("clusters:sheet", args=[_sheet(w, w.units.index(u)).pk]) in body
    assert "Khối trưởng" in body and "Đã ký 15/01/2025" in body
    assert [m["action"] for m in response.context["moves"]] == [YearAction.START_APPRAISAL]


def test_a_member_sees_its_own_sheet_and_no_moves(client, world):
    w = world
    open_scoring(w)
    client.force_login(w.officers[1])
    response = client.get(reverse("clusters:year_detail", args=[w.cy.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["moves"] == []
    assert reverse("clusters:sheet", args=[_sheet(w, 1).pk]) in body
    assert reverse("clusters:sheet", args=[_sheet(w, 2).pk]) not in body  # not before the lock
    assert reverse("clusters:year_move", args=[w.cy.pk]) not in body


def test_outsiders_get_404_and_cannot_move(client, world):
    w = world
    sign_needed = ClusterYear.objects.get(pk=w.cy.pk).status
    client.force_login(w.outsider)
    assert client.get(reverse("clusters:year_detail", args=[w.cy.pk])).status_code == 404
    client.force_login(w.officers[1])
    response = client.post(
        reverse("clusters:year_move", args=[w.cy.pk]), {"action": "open_scoring", "deadline": "31/12/2099"}
    )
    assert response.status_code == 403
    assert ClusterYear.objects.get(pk=w.cy.pk).status == sign_needed


def test_the_head_opens_scoring_with_a_deadline(client, world):
    from tests.clusters.conftest import sign_all

    w = world
    sign_all(w)
    client.force_login(w.head)
    url = reverse("clusters:year_move", args=[w.cy.pk])
    response = client.post(url, {"action": "open_scoring", "deadline": ""}, follow=True)
    assert "Cần ghi hạn tự chấm điểm." in _messages(response)
    assert ClusterYear.objects.get(pk=w.cy.pk).status == YearStatus.SETUP
    response = client.post(url, {"action": "open_scoring", "deadline": "31/12/2099"}, follow=True)
    cy = ClusterYear.objects.get(pk=w.cy.pk)
    assert cy.status == YearStatus.SCORING and cy.score_deadline == datetime.date(2099, 12, 31)
    assert any("Thành viên tự chấm điểm" in m for m in _messages(response))


# ---------------------------------------------------------------------------------------------- the sheet


def _values(w, **given):
    data = {}
    for code, value in given.items():
        cid = w.lines[code.replace("_", ".")].pk
        data[f"value_{cid}"] = value
        data[f"note_{cid}"] = ""
    return data


def test_the_member_scores_all_lines_in_one_form(client, world):
    w = world
    open_scoring(w)
    sheet = _sheet(w, 1)
    client.force_login(w.officers[1])
    page = client.get(reverse("clusters:sheet", args=[sheet.pk]))
    body = page.content.decode()
    assert page.context["scoring"] and f'name="value_{w.lines["1.1"].pk}"' in body
    assert "chỉ tiêu 95 %" in body and "Báo cáo của Văn phòng" in body  # the target, its unit, evidence
    data = _values(w, **{"1_1": "104,5", "1_2": "25", "2": "26", "3": "1", "4": ""})
    data[f"note_{w.lines['2'].pk}"] = "Kế hoạch số 12/KH"
    response = client.post(reverse("clusters:sheet", args=[sheet.pk]), data, follow=True)
    assert "Đã lưu 4 dòng của phiếu chấm điểm." in _messages(response)
    scores = {s.criterion.code: s for s in Score.objects.filter(sheet=sheet).select_related("criterion")}
    assert scores["1.1"].value == Decimal("104.5") and scores["1.1"].self_points == Decimal("44")  # capped
    assert scores["2"].note == "Kế hoạch số 12/KH"
    assert Sheet.objects.get(pk=sheet.pk).self_total == Decimal("96")
    assert "44" in response.content.decode()


def test_a_bad_line_saves_nothing_and_is_named(client, world):
    w = world
    open_scoring(w)
    sheet = _sheet(w, 1)
    client.force_login(w.officers[1])
    data = _values(w, **{"1_1": "90", "1_2": "31", "2": "20"})
    response = client.post(reverse("clusters:sheet", args=[sheet.pk]), data)
    assert response.status_code == 200
    assert any("1.2" in m and "Vượt điểm tối đa" in m for m in _messages(response))
    assert response.context["error_line"] == w.lines["1.2"].pk
    assert 'value="31"' in response.content.decode()  # what the user typed comes back
    assert not Score.objects.filter(sheet=sheet, value__isnull=False).exists()
    data = _values(w, **{"2": "abc"})
    response = client.post(reverse("clusters:sheet", args=[sheet.pk]), data)
    assert any("phải là một số" in m for m in _messages(response))


def test_evidence_upload_download_and_removal(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = world
    open_scoring(w)
    sheet = _sheet(w, 1)
    score = sheet.scores.get(criterion=w.lines["1.1"])
    client.force_login(w.officers[1])
    upload = SimpleUploadedFile("Báo cáo quý.pdf", PDF + b"q1", content_type="application/pdf")
    response = client.post(
        reverse("clusters:evidence_upload", args=[score.pk]), {"file": upload}, follow=True
    )
    row = Evidence.objects.get(score=score)
    assert row.name == "Báo cáo quý.pdf" and "Báo cáo quý.pdf" in response.content.decode()
    download = client.get(reverse("clusters:evidence_file", args=[row.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")
    # another member's officer and an outsider: as if the file did not exist
    for other in (w.officers[2], w.outsider):
        client.force_login(other)
        assert client.get(reverse("clusters:evidence_file", args=[row.pk])).status_code == 404
    # the head sees the members' evidence during the appraisal
    client.force_login(w.head)
    assert client.get(reverse("clusters:evidence_file", args=[row.pk])).status_code == 200
    client.force_login(w.officers[1])
    client.post(reverse("clusters:evidence_remove", args=[row.pk]))
    assert not Evidence.objects.filter(pk=row.pk).exists()


def test_submit_refuses_missing_evidence_then_sends(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = world
    open_scoring(w)
    sheet = _sheet(w, 1)
    client.force_login(w.officers[1])
    client.post(
        reverse("clusters:sheet", args=[sheet.pk]), _values(w, **{"1_1": "90", "1_2": "20", "2": "20"})
    )
    response = client.post(reverse("clusters:sheet_submit", args=[sheet.pk]), follow=True)
    assert "Thiếu minh chứng bắt buộc cho các tiêu chí: 1.1." in _messages(response)
    score = sheet.scores.get(criterion=w.lines["1.1"])
    client.post(
        reverse("clusters:evidence_upload", args=[score.pk]), {"file": SimpleUploadedFile("a.pdf", PDF)}
    )
    response = client.post(reverse("clusters:sheet_submit", args=[sheet.pk]), follow=True)
    assert Sheet.objects.get(pk=sheet.pk).status == SheetStatus.SUBMITTED
    assert response.request["PATH_INFO"] == reverse("clusters:year_detail", args=[w.cy.pk])
    page = client.get(reverse("clusters:sheet", args=[sheet.pk]))
    assert not page.context["scoring"] and 'name="value_' not in page.content.decode()


# ---------------------------------------------------------------------------------------------- appraisal


def test_the_head_adjusts_with_a_reason_and_the_member_explains(client, world):
    w = world
    open_scoring(w)
    for i in range(3):
        fill(w, i)
    _move(w, YearAction.START_APPRAISAL)
    sheet = _sheet(w, 2)
    score = sheet.scores.get(criterion=w.lines["2"])
    client.force_login(w.head)
    page = client.get(reverse("clusters:sheet", args=[sheet.pk]))
    assert page.context["appraising"]
    assert reverse("clusters:score_adjust", args=[score.pk]) in page.content.decode()
    url = reverse("clusters:score_adjust", args=[score.pk])
    response = client.post(url, {"points": "20", "reason": "sai", "version": score.version}, follow=True)
    assert any("2:" in m and "lý do điều chỉnh" in m for m in _messages(response))
    assert not Adjustment.objects.exists()
    client.post(url, {"points": "20", "reason": "Thiếu kế hoạch thi đua năm", "version": score.version})
    adj = Adjustment.objects.get(score=score)
    assert adj.new_points == Decimal("20") and Sheet.objects.get(pk=sheet.pk).total == Decimal("85")
    # the same version again: someone changed it meanwhile
    response = client.post(
        url, {"points": "15", "reason": "Thiếu báo cáo quý", "version": score.version}, follow=True
    )
    assert any("vừa được người khác điều chỉnh" in m for m in _messages(response))
    # a member cannot adjust
    client.force_login(w.officers[2])
    assert (
        client.post(url, {"points": "30", "reason": "Tự nâng điểm của mình", "version": 9}).status_code == 403
    )

    _move(w, YearAction.START_EXPLANATION, deadline=datetime.date.today() + datetime.timedelta(days=5))
    page = client.get(reverse("clusters:sheet", args=[sheet.pk]))
    body = page.content.decode()
    assert (
        "Thiếu kế hoạch thi đua năm" in body and reverse("clusters:adjustment_explain", args=[adj.pk]) in body
    )
    client.post(
        reverse("clusters:adjustment_explain", args=[adj.pk]), {"text": "Kế hoạch ban hành ngày 10/02/2025."}
    )
    assert Adjustment.objects.get(pk=adj.pk).explanation == "Kế hoạch ban hành ngày 10/02/2025."
    client.force_login(w.head)
    assert (
        "Kế hoạch ban hành ngày 10/02/2025."
        in client.get(reverse("clusters:sheet", args=[sheet.pk])).content.decode()
    )
    # another member may not answer it
    client.force_login(w.officers[1])
    response = client.post(
        reverse("clusters:adjustment_explain", args=[adj.pk]), {"text": "Giải trình thay."}
    )
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------- ranking


def test_the_ranking_page_shows_the_rules_in_words_and_the_regulations_numbers(client, world):
    w = world
    _ranked(w, ("28", "28", "10"))
    client.force_login(w.head)
    response = client.get(reverse("clusters:ranking", args=[w.cy.pk]))
    body = response.content.decode()
    assert "nhiều điểm thưởng hơn; rồi ít điểm trừ hơn" in body
    assert "bằng điểm — Hội nghị quyết định" in body
    assert "Luật Thi đua, khen thưởng 2022, Điều 26" in body
    first = Standing.objects.filter(cluster_year=w.cy).order_by("rank", "unit_id").first()
    client.post(reverse("clusters:standing_propose", args=[first.pk]), {"award": ProposalAward.CO_THI_DUA_BO})
    assert Standing.objects.get(pk=first.pk).proposed_award == ProposalAward.CO_THI_DUA_BO
    response = client.post(
        reverse("clusters:standing_propose", args=[first.pk]), {"award": "nobel"}, follow=True
    )
    assert Standing.objects.get(pk=first.pk).proposed_award == ProposalAward.CO_THI_DUA_BO
    # a member sees the ranking (its representative votes on it) but changes nothing
    client.force_login(w.officers[1])
    page = client.get(reverse("clusters:ranking", args=[w.cy.pk]))
    assert page.status_code == 200 and not page.context["can_change"]
    assert (
        client.post(reverse("clusters:standing_propose", args=[first.pk]), {"award": ""}).status_code == 403
    )


def test_the_head_prepares_the_conference_then_goes_to_the_meeting(client, world):
    w = world
    _ranked(w)
    client.force_login(w.head)
    url = reverse("clusters:conference_prepare", args=[w.cy.pk])
    response = client.post(url, {"day": "32/12/2025", "time": "08:00", "place": "Hội trường"}, follow=True)
    assert any("Ngày không hợp lệ" in m for m in _messages(response))
    response = client.post(url, {"day": "20/12/2025", "time": "08:00", "place": "Hội trường"})
    cy = ClusterYear.objects.get(pk=w.cy.pk)
    assert cy.meeting_id and response["Location"] == reverse("councils:meeting_detail", args=[cy.meeting_id])
    page = client.get(reverse("clusters:ranking", args=[w.cy.pk]))
    assert reverse("councils:meeting_detail", args=[cy.meeting_id]) in page.content.decode()
    assert not page.context["can_change"]


def test_the_dossier_button_after_the_vote(client, world):
    w = world
    _voted(w)
    client.force_login(w.head)
    page = client.get(reverse("clusters:year_detail", args=[w.cy.pk]))
    assert reverse("clusters:year_dossier", args=[w.cy.pk]) in page.content.decode()
    response = client.post(reverse("clusters:year_dossier", args=[w.cy.pk]))
    cy = ClusterYear.objects.get(pk=w.cy.pk)
    # the bloc-head role sees no dossiers: back to the year page, which names the dossier
    assert (
        cy.dossier_id
        and response["Location"] == reverse("clusters:year_detail", args=[w.cy.pk]) + "#proposals"
    )
    response = client.post(reverse("clusters:year_dossier", args=[w.cy.pk]), follow=True)
    assert any("Đã lập hồ sơ đề nghị" in m for m in _messages(response))
    assert reverse("dossiers:detail", args=[cy.dossier_id]) not in response.content.decode()
    # the head unit's officer carries the dossier on: the year page links to it
    client.force_login(w.officers[0])
    page = client.get(reverse("clusters:year_detail", args=[w.cy.pk]))
    assert reverse("dossiers:detail", args=[cy.dossier_id]) in page.content.decode()


# ---------------------------------------------------------------------------------------------- results


def test_results_are_for_the_lead_until_published_then_for_members(client, world):
    w = world
    _voted(w)
    url = reverse("clusters:results", args=[w.cy.pk])
    client.force_login(w.officers[1])
    assert client.get(url).status_code == 403
    client.force_login(w.head)
    assert client.get(url).status_code == 200
    _move(w, YearAction.PUBLISH)
    client.force_login(w.officers[1])
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    groups = [
        c for c in w.lines.values() if c.parent_id is None and c.kind != "deduction"
    ]  # no negative bars
    assert body.count('role="img"') == 1 + len(groups)
    assert "Trung bình cụm" in body and "Tổng điểm qua các năm" in body
    client.force_login(w.outsider)
    assert client.get(url).status_code == 404


def test_the_results_excel_file_holds_units_totals_and_ranks(client, world):
    w = world
    _published(w)
    client.force_login(w.spc)
    response = client.get(reverse("clusters:results", args=[w.cy.pk]) + "?format=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Hạng", "Đơn vị", "Tổng điểm")
    got = [(r[0], r[1], r[2]) for r in rows[1:]]
    assert got == [
        (s.rank, s.unit.name, str(s.total.normalize()) if s.total == s.total.to_integral() else None)
        for s in Standing.objects.filter(cluster_year=w.cy).select_related("unit").order_by("rank")
    ]
    assert got[0] == (1, w.units[0].name, "95")
    bloc = client.get(reverse("clusters:bloc_results", args=[w.bloc.pk, YEAR]) + "?format=xlsx")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(bloc.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[1][:3] == (w.cluster.name, 1, w.units[0].name)


def test_the_bloc_results_show_each_cluster(client, world):
    w = world
    _published(w)
    client.force_login(w.officers[2])
    response = client.get(reverse("clusters:bloc_results", args=[w.bloc.pk, YEAR]))
    body = response.content.decode()
    assert response.status_code == 200 and w.cluster.name in body and w.units[0].name in body
    client.force_login(w.outsider)
    assert client.get(reverse("clusters:bloc_results", args=[w.bloc.pk, YEAR])).status_code == 404
    assert client.get(reverse("clusters:bloc_results", args=[w.bloc.pk, YEAR - 1])).status_code == 404


# ---------------------------------------------------------------------------------------------- queries


@pytest.mark.parametrize("extra", [0, 25])
def test_the_sheet_page_costs_the_same_for_5_or_30_lines(client, world, extra, django_assert_max_num_queries):
    w = world
    for i in range(extra):
        Criterion.objects.create(
            bloc=w.bloc, year=YEAR, code=f"5.{i + 1}", name=f"Tiêu chí thêm {i + 1}",
            kind=CriterionKind.FIXED, max_points=1, order=100 + i,
        )  # fmt: skip
    open_scoring(w)
    # every line given and the sheets sent (arranged directly: 30 lines through the form is not the point)
    Score.objects.filter(sheet__cluster_year=w.cy).update(value=1, self_points=1, points=1)
    Sheet.objects.filter(cluster_year=w.cy).update(status=SheetStatus.SUBMITTED)
    _move(w, YearAction.START_APPRAISAL)
    sheet = _sheet(w, 1)
    for code in ("1.2", "2"):
        score = sheet.scores.get(criterion=w.lines[code])
        services.score_adjust(
            actor=w.head,
            score_id=score.pk,
            points="0",
            reason="Thiếu hồ sơ chứng minh",
            version=score.version,
        )
    assert sheet.scores.count() == 5 + extra
    client.force_login(w.head)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("clusters:sheet", args=[sheet.pk]))
    assert response.status_code == 200 and len(response.context["rows"]) == 6 + extra
    with django_assert_max_num_queries(13):
        assert client.get(reverse("clusters:year_detail", args=[w.cy.pk])).status_code == 200
