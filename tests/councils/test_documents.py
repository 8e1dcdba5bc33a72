"""The minutes, generated from what happened, opened back with python-docx and pypdf: the meeting minutes
and the vote-counting minutes, electronic and paper, in Word and PDF."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from tdkt.core.documents import docx_template_path
from tdkt.councils import services
from tdkt.councils.documents import counting_minutes, meeting_minutes
from tdkt.councils.enums import Attendance, BallotMode
from tdkt.councils.models import Ballot
from tests.councils.conftest import mark, open_ballot, vote


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join([p.text for p in document.paragraphs] + cells).split())


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = unicodedata.normalize("NFC", " ".join(page.extract_text() for page in reader.pages))
    return " ".join(text.split())


TEXT = {"docx": docx_text, "pdf": pdf_text}


@pytest.fixture
def held(world):
    """Member Đỗ Minh Anh absent; five vote: 5 agree on the first candidate, 3 on the second."""
    mark(world, {world.members[4].pk: Attendance.ABSENT}, reason="Ốm, có giấy nghỉ phép")
    ballot = open_ballot(world)
    a, b, c = world.items
    for n, m in enumerate(world.members[:4] + [world.members[5]]):
        vote(world, m, ballot, "agree", {b.pk: "disagree"} if n < 2 else None)
    services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)
    services.meeting_update(
        actor=world.secretary_user,
        meeting_id=world.meeting.pk,
        title=world.meeting.title,
        starts_at=world.meeting.starts_at,
        place=world.meeting.place,
        chair_id=world.meeting.chair_id,
        secretary_id=world.meeting.secretary_id,
        conclusions="Hội đồng thống nhất trình Thủ trưởng đơn vị kết quả bỏ phiếu.",
    )
    world.meeting.refresh_from_db()
    return world, Ballot.objects.get(pk=ballot.pk)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_meeting_minutes_name_the_people_the_counts_and_the_rule(held, kind):
    world, ballot = held
    text = TEXT[kind](meeting_minutes(world.meeting, kind))

    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN",
        "Họp Hội đồng Thi đua – Khen thưởng: Xét danh hiệu thi đua năm 2025",
        "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
        "Địa điểm: Phòng họp tầng 3",
        "Chủ trì: Nguyễn Văn Hùng — Chủ tịch Hội đồng",
        "Thư ký: Hoàng Thị Thư — Thư ký",
        "có mặt 6 người, vắng mặt 1 người",
        "Đỗ Minh Anh — Ủy viên, lý do: Ốm, có giấy nghỉ phép",
        "Tỷ lệ đồng ý tối thiểu 90% tổng số thành viên Hội đồng (Nghị định 91/2017/NĐ-CP, Điều 45, khoản 8",
        "1. Bùi Văn Ứng0 (Chiến sĩ thi đua cơ sở): 5/6 phiếu đồng ý (83,33%), 0 không đồng ý",
        "2. Bùi Văn Ứng1 (Chiến sĩ thi đua cơ sở): 3/6 phiếu đồng ý (50%), 2 không đồng ý",
        "cần 6 phiếu đồng ý — Không đạt",
        "3. Vũ Hải Châu (Chiến sĩ thi đua cơ sở): 4/5 phiếu đồng ý",
        "không bỏ phiếu cho chính mình",
        "Hội đồng thống nhất trình Thủ trưởng đơn vị kết quả bỏ phiếu.",
        "THƯ KÝ",
        "CHỦ TỌA",
        "Hoàng Thị Thư",
        "KẾT QUẢ BỎ PHIẾU KÍN",
    ]:
        assert expected in text, expected


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_counting_minutes_of_an_electronic_ballot(held, kind):
    world, ballot = held
    text = TEXT[kind](counting_minutes(ballot, kind))

    for expected in [
        "Kiểm phiếu bầu kín lần 1 — Xét danh hiệu thi đua năm 2025",
        "Hình thức: bỏ phiếu kín điện tử",
        "không lưu lựa chọn của từng người",
        "Số thành viên Hội đồng có quyền biểu quyết: 6; có mặt: 5",
        "Số phiếu phát ra: 5; số phiếu thu vào: 5; số phiếu hợp lệ: 5; số phiếu không hợp lệ: 0",
        "Bùi Văn Ứng1 (Chiến sĩ thi đua cơ sở): 3/6 phiếu đồng ý (50%), 2 không đồng ý",
        "Số nội dung đạt: 0/3",
    ]:
        assert expected in text, expected


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_counting_minutes_of_a_paper_ballot_name_the_committee(world, kind):
    ballot = open_ballot(world, mode=BallotMode.PAPER, closes_at=None)
    a, b, c = world.items
    services.ballot_enter_tallies(
        actor=world.secretary_user,
        ballot_id=ballot.pk,
        committee=[world.members[2].pk, world.members[3].pk],
        tallies={a.pk: (6, 0, 0), b.pk: (4, 1, 0), c.pk: (5, 0, 0)},
        papers_cast=6,
        invalid_papers=0,
    )
    services.ballot_close(actor=world.secretary_user, ballot_id=ballot.pk)
    ballot.refresh_from_db()

    text = TEXT[kind](counting_minutes(ballot, kind))

    for expected in [
        "Ban kiểm phiếu gồm: Lê Văn Bảo và Phạm Thu Yến.",
        "bỏ phiếu kín bằng phiếu giấy",
        "số phiếu thu vào: 6; số phiếu hợp lệ: 6; số phiếu không hợp lệ: 0",
        "1. Bùi Văn Ứng0 (Chiến sĩ thi đua cơ sở): 6/6 phiếu đồng ý (100%)",
        "Đạt",
        "TRƯỞNG BAN KIỂM PHIẾU",
        "Số nội dung đạt: 2/3",  # Vũ Hải Châu: 5 of 5 (recused on their own line)
    ]:
        assert expected in text, expected


def test_counting_minutes_only_after_close(world):
    from tdkt.core.errors import ServiceError

    ballot = open_ballot(world)
    with pytest.raises(ServiceError, match="chỉ lập sau khi đóng phiếu"):
        counting_minutes(ballot, "docx")


def test_meeting_minutes_before_any_close_show_no_counts(world):
    ballot = open_ballot(world)
    vote(world, world.members[0], ballot, "agree")

    text = docx_text(meeting_minutes(world.meeting, "docx"))

    assert "Chưa có kết quả bỏ phiếu (chưa đóng phiếu)." in text
    assert not re.search(r"\d+/\d+ phiếu đồng ý", text)


def test_downloads_need_the_right_to_view_the_council(held, client, tree):
    from tests.factories import make_user

    world, ballot = held
    client.force_login(make_user("outsider", "officer", tree["b"]))
    assert client.get(reverse("councils:meeting_minutes", args=[world.meeting.pk, "docx"])).status_code == 404
    client.force_login(world.user(world.members[1]))  # a member without any role
    response = client.get(reverse("councils:counting_minutes", args=[ballot.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Số nội dung đạt: 0/3" in pdf_text(response.content)


@pytest.mark.parametrize("name", ["councils/bien_ban_hop.docx", "councils/bien_ban_kiem_phieu.docx"])
def test_bundled_word_templates_are_what_the_code_builds(tmp_path, name):
    call_command("build_document_templates", name, output=str(tmp_path), stdout=io.StringIO())
    built, (committed, _agency) = tmp_path / name, docx_template_path(name)
    with zipfile.ZipFile(built) as new, zipfile.ZipFile(committed) as old:
        for part in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/settings.xml"):
            assert new.read(part) == old.read(part), part
