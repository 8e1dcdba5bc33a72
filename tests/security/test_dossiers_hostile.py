"""Hostile use of the proposal dossiers (issue 9): ids of another unit's dossiers, nominations, papers and
files; people of another unit; crafted files and file names; double clicks and two appraisers at once;
reasons and comments pointing into another dossier; junk in the filters; outcomes from the future.
Every refusal says why in Vietnamese and leaves the database as it was."""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import PurePosixPath

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent, Notification
from tdkt.dossiers import services
from tdkt.dossiers.enums import Appraisal, Decided, Level, StateOutcome, Status
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
from tdkt.org.models import AwardRecord, Person
from tdkt.reviews.enums import Outcome, RoundStatus
from tdkt.reviews.models import Candidate, ReviewRound
from tests.dossiers import conftest as dossiers
from tests.dossiers.conftest import YEAR
from tests.dossiers.test_flow import PDF, ready_dossier
from tests.factories import make_user, person

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
NOT_FOUND = "Không tìm thấy trang hoặc bản ghi."

world = dossiers.world  # the dossiers' small ministry: department A's officer, head, nominees; B's officer


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _said(client, response) -> list[str]:
    """The messages the request left for the next page (a refusal's reason, a success); read, they are
    dropped, so the next request's are its own."""
    said = [str(m) for m in get_messages(response.wsgi_request)]
    session = client.session
    session.pop("_messages", None)
    session.save()
    return said


def _state() -> tuple:
    return (
        tuple(Dossier.objects.order_by("id").values_list("id", "status", "approved_at", "sent_count")),
        tuple(
            Nomination.objects.order_by("id").values_list(
                "id", "dossier_id", "justification", "appraisal", "appraisal_note", "decided", "state_outcome"
            )
        ),
        tuple(Component.objects.order_by("id").values_list("id", "status", "return_reason")),
        tuple(AchievementReport.objects.order_by("id").values_list("id", "status", "sections")),
        ComponentFile.objects.count(),
        Transition.objects.count(),
        ReturnReason.objects.count(),
        Comment.objects.count(),
        AwardRecord.objects.count(),
        AuditEvent.objects.count(),
    )


def _files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def _appraising(w) -> Dossier:
    d = ready_dossier(w)
    services.dossier_send(actor=w.officer, dossier_id=d.pk)
    services.dossier_receive(actor=w.specialist, dossier_id=d.pk)
    d.refresh_from_db()
    assert d.status == Status.APPRAISING
    return d


def _paper(d: Dossier) -> Component:
    """A paper the unit uploads (not one the system drafts)."""
    return d.components.filter(generated=False, stage="unit").order_by("id").first()


def _upload(client, component, name: str, data: bytes):
    return client.post(
        reverse("dossiers:paper_upload", args=[component.pk]), {"file": SimpleUploadedFile(name, data)}
    )


# ------------------------------------------------------------------------------ another unit's ids


def test_an_officer_of_another_unit_reaches_nothing_of_a_dossier_by_its_ids(client, world, media):
    w = world
    d = ready_dossier(w)
    n = d.nominations.order_by("id").first()
    paper = _paper(d)
    version = ComponentFile.objects.filter(component__dossier=d).first()
    client.force_login(w.officer_b)
    before, files = _state(), _files(media)

    requests = [
        ("get", reverse("dossiers:detail", args=[d.pk]), None),
        ("get", reverse("dossiers:paper_draft", args=[d.pk, "to_trinh", "docx"]), None),
        ("get", reverse("dossiers:paper_version", args=[version.pk]), None),
        ("get", reverse("dossiers:report", args=[n.pk]), None),
        ("get", reverse("dossiers:report_file", args=[n.pk, "pdf"]), None),
        ("post", reverse("dossiers:report", args=[n.pk]), {"achievements": "Ghi đè báo cáo của người khác"}),
        (
            "post",
            reverse("dossiers:nomination_add", args=[d.pk]),
            {"code": w.worker.code, "award": "cstd_bo"},
        ),
        ("post", reverse("dossiers:nomination_remove", args=[n.pk]), {}),
        ("post", reverse("dossiers:nomination_justify", args=[n.pk]), {"text": "Giải trình hộ đơn vị khác"}),
        (
            "post",
            reverse("dossiers:paper_upload", args=[paper.pk]),
            {"file": SimpleUploadedFile("x.pdf", PDF)},
        ),
        ("post", reverse("dossiers:send", args=[d.pk]), {"message": "Gửi hộ"}),
        ("post", reverse("dossiers:comment", args=[d.pk]), {"text": "Ý kiến từ đơn vị khác"}),
    ]
    for method, url, data in requests:
        response = client.get(url) if method == "get" else client.post(url, data)
        body = response.content.decode() if not response.streaming else ""
        assert response.status_code == 404, (url, response.status_code)
        assert NOT_FOUND in body, url
        assert d.title not in body and str(w.fighter) not in body, url
    assert _state() == before and _files(media) == files


def test_ids_of_another_unit_answer_exactly_like_ids_that_do_not_exist(client, world):
    w = world
    d = ready_dossier(w)
    n = d.nominations.order_by("id").first()
    client.force_login(w.officer_b)
    for name, real in (
        ("dossiers:detail", d.pk),
        ("dossiers:report", n.pk),
        ("dossiers:paper_version", ComponentFile.objects.filter(component__dossier=d).first().pk),
    ):
        other = client.get(reverse(name, args=[real]))
        missing = client.get(reverse(name, args=[999_999]))
        assert (other.status_code, missing.status_code) == (404, 404)
        strip = re.compile(r"[A-Za-z0-9]{64}|/dossiers/[^\"\s]*")  # the CSRF token, the address
        assert strip.sub("", other.content.decode()) == strip.sub("", missing.content.decode())


def test_an_enormous_id_reads_as_a_missing_one(client, world):
    client.force_login(world.officer)
    huge = 10**20
    for name in ("dossiers:detail", "dossiers:report"):
        assert client.get(reverse(name, args=[huge])).status_code == 404
    assert client.post(reverse("dossiers:comment", args=[huge]), {"text": "Ý kiến"}).status_code == 404
    assert client.get(reverse("dossiers:paper_version", args=[huge])).status_code == 404


def test_appraisers_of_another_unit_cannot_move_a_dossier(client, world):
    w = world
    d = ready_dossier(w)
    services.dossier_send(actor=w.officer, dossier_id=d.pk)
    specialist_b = make_user("chuyen_vien_b", "specialist", w.tree["b"])
    client.force_login(specialist_b)
    before = _state()
    for name in ("receive", "return", "accept", "decide"):
        response = client.post(reverse(f"dossiers:{name}", args=[d.pk]), {"why": "Trả lại hồ sơ này"})
        assert response.status_code == 404, name
    assert _state() == before


# ------------------------------------------------------------------------------ people of another unit


def test_a_person_of_another_unit_cannot_be_nominated_by_code(client, world):
    w = world
    outsider = person(w.tree["b"], family_name="Lê", middle_name="Văn", given_name="Khách", code="NV-KHACH")
    d = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    client.force_login(w.officer)
    before = _state()

    response = client.post(
        reverse("dossiers:nomination_add", args=[d.pk]), {"code": outsider.code, "award": "bang_khen_bo"}
    )

    assert response.status_code == 302
    assert _said(client, response) == ["Không có cán bộ hoặc tập thể mã 'NV-KHACH' trong đơn vị này."]
    assert _state() == before
    # the page does not tell whether the code exists elsewhere: a made-up code reads the same
    response = client.post(
        reverse("dossiers:nomination_add", args=[d.pk]), {"code": "NV-KHONG-CO", "award": "bang_khen_bo"}
    )
    assert _said(client, response) == ["Không có cán bộ hoặc tập thể mã 'NV-KHONG-CO' trong đơn vị này."]
    # and the service refuses the person's id sent straight to it
    with pytest.raises(ServiceError, match="của đơn vị"):
        services.nomination_add(
            actor=w.officer,
            dossier_id=d.pk,
            subject=services.Subject(person_id=outsider.pk),
            award_code="bang_khen_bo",
        )
    assert not Nomination.objects.filter(dossier=d).exists()


def test_a_form_of_another_level_is_refused(client, world):
    w = world
    d = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    client.force_login(w.officer)
    response = client.post(
        reverse("dossiers:nomination_add", args=[d.pk]), {"code": w.worker.code, "award": "bang_khen_ttg"}
    )
    assert response.status_code == 302
    [message] = _said(client, response)
    assert "Danh hiệu, hình thức" in message and "Select a valid choice" not in message
    assert not Nomination.objects.filter(dossier=d).exists()


# ------------------------------------------------------------------------------ crafted files


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("bien-ban-hop.pdf", PNG, id="png-named-pdf"),
        pytest.param("bien-ban-hop.pdf", EXE, id="exe-named-pdf"),
        pytest.param("bien-ban-hop.pdf", HTML, id="html-named-pdf"),
    ],
)
def test_a_file_whose_content_is_not_its_name_is_refused_with_its_name(client, world, media, name, data):
    w = world
    d = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    services.nomination_add(
        actor=w.officer,
        dossier_id=d.pk,
        subject=services.Subject(person_id=w.fighter.pk),
        award_code="cstd_bo",
    )
    paper = _paper(d)
    client.force_login(w.officer)
    before, files = _state(), _files(media)

    response = _upload(client, paper, name, data)

    assert response.status_code == 302
    [message] = _said(client, response)
    assert f"'{name}'" in message
    assert "không phải loại được nhận" in message or "có nội dung là" in message
    assert _state() == before and _files(media) == files
    assert not ComponentFile.objects.exists()


def test_an_empty_file_is_refused(client, world, media):
    w = world
    d = ready_dossier(w)
    paper = _paper(d)
    client.force_login(w.officer)
    before, files = _state(), _files(media)

    response = _upload(client, paper, "rong.pdf", b"")

    [message] = _said(client, response)
    assert "rỗng" in message
    assert _state() == before and _files(media) == files


def test_a_file_over_the_limit_is_refused_with_the_limit(client, world, media, settings):
    w = world
    d = ready_dossier(w)
    paper = _paper(d)
    settings.TDKT_DOSSIER_FILE_MAX_BYTES = 1000
    client.force_login(w.officer)
    before, files = _state(), _files(media)

    response = _upload(client, paper, "lon.pdf", PDF + b"0" * 5000)

    [message] = _said(client, response)
    assert "'lon.pdf'" in message and "quá lớn" in message and "giới hạn" in message
    assert _state() == before and _files(media) == files


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        pytest.param("../../etc/passwd.pdf", "passwd.pdf", id="path"),
        pytest.param("..\\..\\windows\\bien-ban.pdf", "bien-ban.pdf", id="windows-path"),
        pytest.param("bien\x07ban\u202e\x1b.pdf", "bienban.pdf", id="control-characters"),
    ],
)
def test_a_file_name_with_a_path_or_control_characters_is_stored_safely(client, world, media, raw, shown):
    w = world
    d = ready_dossier(w)
    paper = _paper(d)
    client.force_login(w.officer)

    response = _upload(client, paper, raw, PDF)

    assert response.status_code == 302
    row = ComponentFile.objects.filter(component=paper).order_by("-version").first()
    assert row.version == 2 and row.name == shown
    assert "/" not in row.name and "\\" not in row.name
    assert not any(unicodedata.category(ch)[0] == "C" for ch in row.name)
    stored = PurePosixPath(row.file.name)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored.name), row.file.name
    assert stored.parent == PurePosixPath("dossiers") / str(d.pk)
    on_disk = (media / row.file.name).resolve()
    assert on_disk.is_relative_to(media.resolve()) and on_disk.read_bytes() == PDF
    # the download gives the safe name back, as an attachment that is never sniffed
    download = client.get(reverse("dossiers:paper_version", args=[row.pk]))
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"] and "/" not in download["Content-Disposition"]


# ------------------------------------------------------------------------------ double actions


def test_a_double_click_on_making_a_dossier_from_a_round_makes_one(client, world):
    w = world
    review = ReviewRound.objects.create(
        unit=w.tree["a"], year=YEAR, title="Bình xét năm của Vụ A", status=RoundStatus.CONCLUDED
    )
    Candidate.objects.create(
        round=review, person=w.worker, unit=w.tree["a"], award_code="bang_khen_bo", verdict="eligible",
        outcome=Outcome.PROPOSE,
    )  # fmt: skip
    client.force_login(w.officer)
    url = reverse("dossiers:from_round", args=[review.pk])

    first = client.post(url, {"level": "ministry"})
    assert _said(client, first) == ["Đã lập hồ sơ từ kết quả bình xét: 1 đề nghị."]
    second = client.post(url, {"level": "ministry"})

    assert second.status_code == 302
    assert Dossier.objects.filter(review_round=review, level=Level.MINISTRY).count() == 1
    assert Nomination.objects.filter(person=w.worker, award_code="bang_khen_bo").count() == 1
    [message] = _said(client, second)
    assert not message.startswith("Đã lập hồ sơ")  # told why: the round already has its dossier


def test_removing_two_nominees_whose_papers_hold_files_keeps_the_files(client, world):
    w = world
    d = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    nominations = [
        services.nomination_add(
            actor=w.officer, dossier_id=d.pk, subject=services.Subject(person_id=p.pk), award_code="cstd_bo"
        )
        for p in (w.fighter, w.worker)
    ]
    proofs = d.components.filter(nomination__isnull=False, code="cong_nhan_sang_kien")
    assert proofs.count() == 2
    client.force_login(w.officer)
    for proof in proofs:
        assert _upload(client, proof, "sang-kien.pdf", PDF).status_code == 302
    _said(client, client.get(reverse("dossiers:mine")))
    client.raise_request_exception = False

    for n in nominations:
        response = client.post(reverse("dossiers:nomination_remove", args=[n.pk]))
        assert response.status_code == 302, response.status_code
        assert _said(client, response) == ["Đã bỏ khỏi hồ sơ."]

    assert not Nomination.objects.filter(dossier=d).exists()
    # the papers that held files stay, not required, with both files
    assert ComponentFile.objects.filter(component__dossier=d).count() == 2


def test_a_double_click_on_send_sends_once(client, world):
    w = world
    d = ready_dossier(w)
    client.force_login(w.officer)
    url = reverse("dossiers:send", args=[d.pk])

    first = client.post(url, {"message": "Kính gửi Vụ TĐKT"})
    assert _said(client, first) == ["Đã gửi hồ sơ."]
    second = client.post(url, {"message": "Kính gửi Vụ TĐKT"})

    assert first.status_code == second.status_code == 302
    assert _said(client, second) == ["Hồ sơ đã được gửi."]
    d.refresh_from_db()
    assert d.status == Status.SENT and d.sent_count == 1
    assert Transition.objects.filter(dossier=d).count() == 1


def test_a_second_appraiser_returning_the_same_dossier_is_told_it_moved(client, world):
    w = world
    d = _appraising(w)
    n = d.nominations.order_by("id").first()
    other = make_user("vu_tdkt_2", "specialist", w.tree["root"])
    url = reverse("dossiers:return", args=[d.pk])

    client.force_login(w.specialist)
    first = client.post(url, {"why": "Thiếu chữ ký", f"why_n_{n.pk}": "Bổ sung số liệu năm trước"})
    n.refresh_from_db()
    assert _said(client, first) == ["Đã trả lại hồ sơ cho đơn vị kèm lý do."]
    before = _state()
    client.force_login(other)
    second = client.post(url, {"why": "Hồ sơ chưa đủ", f"why_n_{n.pk}": "Lý do của người thứ hai"})

    [message] = _said(client, second)
    assert "người khác vừa xử lý" in message
    assert _state() == before
    assert Transition.objects.filter(dossier=d, action="return").count() == 1
    assert ReturnReason.objects.count() == 2
    assert n.appraisal_note == "Bổ sung số liệu năm trước"


def test_a_paper_cannot_be_replaced_while_the_ministry_appraises(client, world, media):
    w = world
    d = _appraising(w)
    paper = _paper(d)
    client.force_login(w.officer)
    before, files = _state(), _files(media)

    response = _upload(client, paper, "ban-moi.pdf", PDF)

    [message] = _said(client, response)
    assert "cấp trên xử lý" in message
    assert _state() == before and _files(media) == files


def test_nominations_cannot_change_while_the_ministry_appraises(client, world):
    w = world
    d = _appraising(w)
    n = d.nominations.order_by("id").first()
    client.force_login(w.officer)
    before = _state()
    for url, data in (
        (reverse("dossiers:nomination_remove", args=[n.pk]), {}),
        (reverse("dossiers:nomination_justify", args=[n.pk]), {"text": "Giải trình thêm sau khi gửi"}),
        (reverse("dossiers:nomination_add", args=[d.pk]), {"code": "NV-HAI", "award": "cstd_bo"}),
        (reverse("dossiers:report", args=[n.pk]), {"achievements": "Sửa sau khi gửi"}),
    ):
        response = client.post(url, data)
        assert response.status_code in (200, 302), url
        assert any("trạng thái" in m for m in _said(client, response)), (url, _said(client, response))
    assert _state() == before


# ------------------------------------------------------------------------------ pointing elsewhere


def test_a_return_reason_pointing_at_another_dossiers_item_saves_nothing(client, world):
    w = world
    d = _appraising(w)
    other = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    foreign = services.nomination_add(
        actor=w.officer,
        dossier_id=other.pk,
        subject=services.Subject(person_id=w.fighter.pk),
        award_code="cstd_bo",
    )
    foreign_paper = _paper(other)
    client.force_login(w.specialist)
    url = reverse("dossiers:return", args=[d.pk])

    for post in (
        {"why": "Thiếu chữ ký", f"why_n_{foreign.pk}": "Lý do gắn nhầm đề nghị"},
        {"why": "Thiếu chữ ký", f"why_c_{foreign_paper.pk}": "Lý do gắn nhầm giấy tờ"},
        {f"why_n_{999_999}": "Đề nghị không tồn tại"},
    ):
        before = _state()
        response = client.post(url, post)
        assert response.status_code == 302
        assert _said(client, response) == ["Lý do trả lại gắn với một mục không thuộc hồ sơ này."]
        assert _state() == before
    d.refresh_from_db()
    foreign.refresh_from_db()
    foreign_paper.refresh_from_db()
    assert d.status == Status.APPRAISING
    assert foreign.appraisal == Appraisal.PENDING and foreign_paper.return_reason == ""


def test_a_rejection_pointing_at_another_dossiers_nomination_saves_nothing(client, world):
    w = world
    d = _appraising(w)
    other = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    foreign = services.nomination_add(
        actor=w.officer,
        dossier_id=other.pk,
        subject=services.Subject(person_id=w.fighter.pk),
        award_code="cstd_bo",
    )
    client.force_login(w.specialist)
    before = _state()

    response = client.post(
        reverse("dossiers:accept", args=[d.pk]), {f"reject_n_{foreign.pk}": "Không đủ điều kiện khen thưởng"}
    )

    assert _said(client, response) == ["Có đề nghị không thuộc hồ sơ này."]
    assert _state() == before


def test_a_comment_on_another_dossiers_nomination_is_refused(client, world):
    w = world
    d = ready_dossier(w)
    other = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    foreign = services.nomination_add(
        actor=w.officer,
        dossier_id=other.pk,
        subject=services.Subject(person_id=w.fighter.pk),
        award_code="cstd_bo",
    )
    client.force_login(w.officer)
    before = _state()

    for nomination in (foreign.pk, 999_999):
        response = client.post(
            reverse("dossiers:comment", args=[d.pk]), {"nomination": nomination, "text": "Ý kiến gắn nhầm"}
        )
        assert response.status_code == 302
        assert _said(client, response) == ["Không có đề nghị này trong hồ sơ."]
    assert _state() == before
    assert not Comment.objects.exists()


def test_a_comment_naming_its_nomination_with_an_odd_digit_is_refused_not_a_crash(client, world):
    w = world
    d = ready_dossier(w)
    client.force_login(w.officer)
    client.raise_request_exception = False

    for raw in ("²", "１２３４５６", "٣٣٣٣٣٣", "-1", "1e3"):
        response = client.post(
            reverse("dossiers:comment", args=[d.pk]), {"nomination": raw, "text": "Ý kiến"}
        )
        assert response.status_code == 302, (raw, response.status_code)
        said = _said(client, response)
        assert said in (["Không có đề nghị này trong hồ sơ."], ["Đã ghi ý kiến."]), (raw, said)
    assert not Comment.objects.filter(nomination__isnull=False).exists()


# ------------------------------------------------------------------------------ NUL bytes


def test_a_nul_byte_in_a_code_is_refused_in_vietnamese(client, world):
    w = world
    d = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    client.force_login(w.officer)
    before = _state()

    response = client.post(
        reverse("dossiers:nomination_add", args=[d.pk]), {"code": "NV\x00HAI", "award": "bang_khen_bo"}
    )

    [message] = _said(client, response)
    assert "Mã cán bộ hoặc mã tập thể" in message
    for english in ENGLISH:
        assert english not in message, message
    assert _state() == before


def test_a_nul_byte_in_a_state_decision_number_is_refused_in_vietnamese(client, world):
    w = world
    d = _sent_up(w)
    n = d.nominations.order_by("id").first()
    client.force_login(w.specialist)
    before = _state()

    response = client.post(
        reverse("dossiers:state_outcome", args=[n.pk]),
        _outcome(n, outcome="approved", decision_number="12\x0034/QĐ-TTg", decided_on="02/01/2025"),
    )

    [message] = _said(client, response)
    assert "Số quyết định" in message
    for english in ENGLISH:
        assert english not in message, message
    assert _state() == before


def test_a_nul_byte_in_the_achievement_report_is_never_stored(client, world):
    w = world
    d = ready_dossier(w)
    n = d.nominations.order_by("id").first()
    client.force_login(w.officer)
    client.raise_request_exception = False

    response = client.post(
        reverse("dossiers:report", args=[n.pk]),
        {"achievements": "Hoàn thành\x00 xuất sắc\nnhiệm vụ", "duties": "Chuyên\x00viên"},
    )

    assert response.status_code in (200, 302), response.status_code  # PostgreSQL's jsonb refuses \u0000
    for value in AchievementReport.objects.get(nomination=n).sections.values():
        assert "\x00" not in value, value


def test_a_nul_byte_in_a_return_reason_is_never_stored(client, world):
    w = world
    d = _appraising(w)
    n = d.nominations.order_by("id").first()
    client.force_login(w.specialist)
    client.raise_request_exception = False

    response = client.post(
        reverse("dossiers:return", args=[d.pk]),
        {"why": "Thiếu\x00chữ ký", f"why_n_{n.pk}": "Bổ sung\x00số liệu"},
    )

    assert response.status_code == 302, response.status_code  # PostgreSQL's text refuses NUL
    stored = [
        *ReturnReason.objects.values_list("reason", flat=True),
        *Transition.objects.values_list("message", flat=True),
        *Nomination.objects.values_list("appraisal_note", flat=True),
        *Notification.objects.values_list("body", flat=True),
        *Notification.objects.values_list("title", flat=True),
    ]
    assert stored and not [text for text in stored if "\x00" in text]


# ------------------------------------------------------------------------------ junk in the filters

LIST = reverse("dossiers:list")
EXPORT = reverse("dossiers:dossier_export")
JUNK = [
    pytest.param({"status": "<script>alert(1)</script>"}, id="status-script"),
    pytest.param({"unit": "abc"}, id="unit-letters"),
    pytest.param({"unit": "999999"}, id="unit-missing"),
    pytest.param({"unit": "1\x00"}, id="unit-nul"),
    pytest.param({"level": "x"}, id="level"),
    pytest.param({"q": "ho\x00so"}, id="q-nul"),
    pytest.param({"q": "h" * 101}, id="q-too-long"),
]
ENGLISH = (
    "Null characters",
    "Select a valid choice",
    "Ensure this value",
    "Enter a whole number",
    "This field",
)


@pytest.fixture
def listed(world):
    """Two dossiers of A and one of B: an unfiltered list would show the specialist all three."""
    w = world
    for title in ("Hồ sơ thứ nhất Vụ A", "Hồ sơ thứ hai Vụ A"):
        services.dossier_create(
            actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR, title=title
        )
    services.dossier_create(
        actor=w.officer_b, unit_id=w.tree["b"].pk, level=Level.MINISTRY, year=YEAR, title="Hồ sơ Vụ B"
    )
    return w


@pytest.mark.parametrize("params", JUNK)
def test_junk_in_a_list_filter_shows_the_reason_and_no_rows(client, listed, params):
    client.force_login(listed.specialist)

    response = client.get(LIST, params)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Bộ lọc không hợp lệ" in body and "sửa bộ lọc để xem danh sách" in body
    assert list(response.context["page"].object_list) == []
    assert "Hồ sơ thứ nhất" not in body and "Hồ sơ Vụ B" not in body
    assert "<script>alert(1)</script>" not in body
    for english in ENGLISH:
        assert english not in body, english


@pytest.mark.parametrize("page", ["-1", "0", "abc", "999999", "1\x00", "9" * 30])
def test_a_junk_page_number_falls_back_to_a_page_of_the_list(client, listed, page):
    client.force_login(listed.specialist)

    response = client.get(LIST, {"page": page})

    assert response.status_code == 200
    titles = {d.title for d in response.context["page"].object_list}
    assert titles == {"Hồ sơ thứ nhất Vụ A", "Hồ sơ thứ hai Vụ A", "Hồ sơ Vụ B"}


@pytest.mark.parametrize("params", JUNK)
def test_the_export_with_junk_in_a_filter_is_400_with_no_file(client, listed, params):
    client.force_login(listed.officer)

    response = client.get(EXPORT, params)

    assert response.status_code == 400
    assert not response.streaming and "spreadsheetml" not in response["Content-Type"]
    body = response.content.decode()
    assert "Bộ lọc không hợp lệ" in body and "Hồ sơ thứ nhất" not in body
    for english in ENGLISH:
        assert english not in body, english


def test_a_unit_filter_outside_the_scope_is_an_invalid_filter(client, listed):
    client.force_login(listed.officer)  # of A
    response = client.get(LIST, {"unit": listed.tree["b"].pk})
    body = response.content.decode()
    assert "Bộ lọc không hợp lệ" in body and "Hồ sơ Vụ B" not in body
    assert client.get(EXPORT, {"unit": listed.tree["b"].pk}).status_code == 400


def test_a_title_with_markup_is_shown_as_text(client, world):
    w = world
    client.force_login(w.officer)
    client.post(
        reverse("dossiers:create"),
        {"unit": w.tree["a"].pk, "level": "ministry", "kind": "cong_trang", "year": YEAR,
         "title": "<img src=x onerror=alert(1)>"},
    )  # fmt: skip
    body = client.get(LIST).content.decode()
    assert "<img src=x onerror=alert(1)>" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body


# ------------------------------------------------------------------------------ the nominee's report


def test_a_staff_member_reads_only_their_own_report(client, world):
    w = world
    d = services.dossier_create(actor=w.officer, unit_id=w.tree["a"].pk, level=Level.MINISTRY, year=YEAR)
    own = services.nomination_add(
        actor=w.officer,
        dossier_id=d.pk,
        subject=services.Subject(person_id=w.worker.pk),
        award_code="bang_khen_bo",
    )
    theirs = services.nomination_add(
        actor=w.officer,
        dossier_id=d.pk,
        subject=services.Subject(person_id=w.fighter.pk),
        award_code="cstd_bo",
    )
    staff = make_user("nv_hai", "staff", w.tree["a"])
    Person.objects.filter(pk=w.worker.pk).update(user=staff)
    client.force_login(staff)
    before = _state()

    for method, name, args, data in (
        ("get", "dossiers:report", [theirs.pk], None),
        ("get", "dossiers:report_file", [theirs.pk, "docx"], None),
        ("post", "dossiers:report", [theirs.pk], {"achievements": "Viết hộ người khác"}),
        ("post", "dossiers:report_confirm", [theirs.pk], {}),
    ):
        url = reverse(name, args=args)
        response = client.get(url) if method == "get" else client.post(url, data)
        body = response.content.decode() if not response.streaming else ""
        assert response.status_code in (403, 404), (name, response.status_code)
        assert str(w.fighter) not in body
    assert _state() == before
    assert client.get(reverse("dossiers:report", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("dossiers:report", args=[own.pk]))
    assert page.status_code == 200 and str(w.worker) in page.content.decode()
    mine = client.get(reverse("dossiers:mine")).content.decode()
    assert d.title in mine and str(w.fighter) not in mine


# ------------------------------------------------------------------------------ the State's outcome


def _sent_up(w) -> Dossier:
    """A State submission sent up with two approved nominations (arranged directly)."""
    a = w.tree["a"]
    d = Dossier.objects.create(
        unit=a, level=Level.STATE, year=YEAR, title="Trình Thủ tướng Chính phủ", status=Status.SENT_UP
    )
    for p in (w.worker, w.fighter):
        Nomination.objects.create(
            dossier=d, person=p, unit=a, award_code="bang_khen_ttg", first_year=YEAR, last_year=YEAR,
            appraisal=Appraisal.OK, decided=Decided.APPROVED,
        )  # fmt: skip
    return d


def _outcome(n: Nomination, **fields) -> dict:
    return {f"so{n.pk}-{k}": v for k, v in fields.items()}


def test_a_state_outcome_dated_in_the_future_is_refused(client, world):
    w = world
    d = _sent_up(w)
    n = d.nominations.order_by("id").first()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.force_login(w.specialist)
    before = _state()

    response = client.post(
        reverse("dossiers:state_outcome", args=[n.pk]),
        _outcome(
            n, outcome="approved", decision_number="1234/QĐ-TTg", decided_on=tomorrow.strftime("%d/%m/%Y")
        ),
    )

    assert response.status_code == 302
    assert _said(client, response) == ["Ngày quyết định không thể ở tương lai."]
    assert _state() == before
    with pytest.raises(ServiceError, match="tương lai"):
        services.record_state_outcome(
            actor=w.specialist, nomination_id=n.pk, outcome=StateOutcome.APPROVED, decision_number="1/QĐ-TTg",
            decided_on=tomorrow,
        )  # fmt: skip
    assert not AwardRecord.objects.filter(award_code="bang_khen_ttg").exists()


def test_a_state_outcome_recorded_twice_writes_one_award_record(client, world):
    w = world
    d = _sent_up(w)
    n = d.nominations.order_by("id").first()
    today = timezone.localdate().strftime("%d/%m/%Y")
    client.force_login(w.specialist)
    url = reverse("dossiers:state_outcome", args=[n.pk])
    post = _outcome(n, outcome="approved", decision_number="1234/QĐ-TTg", decided_on=today)

    first = client.post(url, post)
    assert _said(client, first) == ["Đã ghi kết quả: Đã có quyết định khen thưởng."]
    second = client.post(url, post)

    assert _said(client, second) == ["Đề nghị này đã có quyết định khen thưởng."]
    assert AwardRecord.objects.filter(person=w.worker, award_code="bang_khen_ttg").count() == 1
    with pytest.raises(ServiceError):
        services.record_state_outcome(
            actor=w.specialist, nomination_id=n.pk, outcome=StateOutcome.APPROVED, decision_number="99/QĐ",
            decided_on=timezone.localdate(),
        )  # fmt: skip
    assert AwardRecord.objects.filter(award_code="bang_khen_ttg").count() == 1


def test_a_state_outcome_for_a_nomination_not_sent_up_is_refused(client, world):
    w = world
    d = ready_dossier(w)
    n = d.nominations.order_by("id").first()
    client.force_login(w.specialist)
    before = _state()
    response = client.post(
        reverse("dossiers:state_outcome", args=[n.pk]),
        _outcome(n, outcome="approved", decision_number="1/QĐ-TTg", decided_on="01/01/2025"),
    )
    assert _said(client, response) == ["Chỉ ghi kết quả cho đề nghị đã trình cấp Nhà nước."]
    assert _state() == before
