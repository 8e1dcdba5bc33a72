"""A signed decision sent back (awards:decision_signed) and the certificates, against hostile input and
users: unsigned, tampered, extended after signing, fake and encrypted PDFs are refused and nothing is
stored; other units' decisions read as nonexistent; the stored file has a random name and is served only
to those who may read the decision."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tdkt.awards import services
from tdkt.awards.models import Decision
from tdkt.core.models import AuditEvent
from tests.core.test_signing import (
    SIGNER,
    append_update,
    configure,
    plain_pdf,
    signed_pdf,
    tamper,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TDKT_SIGNING_P12 = None
    settings.TDKT_SIGNING_P12_PASSWORD = None
    settings.TDKT_SIGNING_TRUST = None
    return settings.MEDIA_ROOT


def _issue(tree, people, officer, unit_key="a", person_key="an"):
    head = make_user(f"head_{unit_key}", "unit_head", tree[unit_key])
    draft = services.decision_draft(
        actor=officer, issuer_unit_id=tree[unit_key].pk, year=2025, subject=f"Giấy khen {unit_key}",
        lines=[
            services.LineSpec(
                award_code="giay_khen", unit_id=people[person_key].current_unit_id,
                person_id=people[person_key].pk,
            )
        ],
    )  # fmt: skip
    return services.decision_issue(
        actor=head, decision_id=draft.pk, number="5", symbol="QĐ-CĐS",
        decided_on=datetime.date(2026, 1, 15), signer_name="Lê Thị Hoa", signer_title="Vụ trưởng",
    )  # fmt: skip


@pytest.fixture
def decision_a(tree, people, officer_a):
    return _issue(tree, people, officer_a)


@pytest.fixture
def decision_b(tree, people, admin_user):
    return _issue(tree, people, admin_user, unit_key="b", person_key="cuong")


def upload(client, decision, data: bytes, name: str = "quyet-dinh-da-ky.pdf"):
    return client.post(
        reverse("awards:decision_signed", args=[decision.pk]), {"file": SimpleUploadedFile(name, data)}
    )


def own_pdf(decision) -> bytes:
    """The decision's own PDF, as tdkt writes it: its text names the decision's number and symbol."""
    from tdkt.awards.documents import decision_pdf

    return decision_pdf(decision, list(decision.lines.all()))


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def nothing_stored(decision, media) -> bool:
    decision = Decision.objects.get(pk=decision.pk)
    return (
        not decision.signed_file
        and not decision.signed_by
        and decision.signed_verified_at is None
        and not stored_files(media)
        and not AuditEvent.objects.filter(event="decision.signed_upload").exists()
    )


def test_a_signed_intact_pdf_is_kept_under_a_random_name_and_audited(
    client, settings, tmp_path, decision_a, officer_a, media
):
    data = signed_pdf(settings, tmp_path, data=own_pdf(decision_a))
    settings.TDKT_SIGNING_P12 = None  # the head signed elsewhere; tdkt only verifies
    client.force_login(officer_a)

    response = upload(client, decision_a, data, name="Quyết định 05 (bản ký).pdf")

    assert response.status_code == 302
    decision = Decision.objects.get(pk=decision_a.pk)
    assert decision.signed_by == "Nguyễn Văn Ký (Bộ Thử nghiệm)"
    assert decision.signed_verified_at is not None
    (path,) = stored_files(media)
    assert "Quy" not in path.name and "ban" not in path.name and path.suffix == ".pdf"
    assert len(path.stem) == 32  # uuid4 hex
    assert path.read_bytes() == data
    event = AuditEvent.objects.get(event="decision.signed_upload")
    assert event.actor == officer_a and event.changes["signed_by"] == decision.signed_by
    page = client.get(response["Location"]).content.decode()
    assert SIGNER in page and "chưa được xác thực" in page  # self-signed: shown, not trusted
    download = client.get(reverse("awards:decision_signed_file", args=[decision_a.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    detail = client.get(reverse("awards:decision_detail", args=[decision_a.pk])).content.decode()
    assert "Đã lưu bản ký số" in detail and SIGNER in detail


def test_an_unsigned_pdf_is_refused(client, decision_a, officer_a, media):
    client.force_login(officer_a)

    response = upload(client, decision_a, plain_pdf())

    assert response.status_code == 400
    assert "Tệp PDF không có chữ ký số nào." in response.content.decode()
    assert nothing_stored(decision_a, media)


def test_a_tampered_pdf_is_refused_and_the_signer_still_shown(
    client, settings, tmp_path, decision_a, officer_a, media
):
    data = tamper(signed_pdf(settings, tmp_path))
    client.force_login(officer_a)

    response = upload(client, decision_a, data)

    assert response.status_code == 400
    body = response.content.decode()
    assert "đã bị sửa đổi sau khi ký" in body and SIGNER in body
    assert nothing_stored(decision_a, media)


def test_a_pdf_extended_after_signing_is_refused(client, settings, tmp_path, decision_a, officer_a, media):
    data = append_update(signed_pdf(settings, tmp_path))
    client.force_login(officer_a)

    response = upload(client, decision_a, data)

    assert response.status_code == 400
    assert "sửa đổi sau khi ký" in response.content.decode()
    assert nothing_stored(decision_a, media)


def test_a_garbled_signature_is_refused_without_a_server_error(
    client, settings, tmp_path, decision_a, officer_a, media
):
    data = bytearray(signed_pdf(settings, tmp_path))
    at = data.index(b"/Contents <") + len(b"/Contents <")
    data[at + 40 : at + 240] = b"0" * 200  # the CMS blob itself broken
    client.force_login(officer_a)

    response = upload(client, decision_a, bytes(data))

    assert response.status_code == 400
    assert nothing_stored(decision_a, media)


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"<html><script>alert(1)</script></html>", "quyet-dinh.pdf", "không phải loại được nhận"),
        (b"MZ\x90\x00 a program", "quyet-dinh.pdf", "không phải loại được nhận"),
        (plain_pdf(), "quyet-dinh.exe", "tên lại có đuôi"),
        (b"", "rong.pdf", "rỗng"),
    ],
)
def test_files_that_are_not_pdfs_are_refused_by_the_upload_check(
    client, decision_a, officer_a, media, data, name, words
):
    client.force_login(officer_a)

    response = upload(client, decision_a, data, name=name)

    assert response.status_code == 400
    assert words in response.content.decode()
    assert nothing_stored(decision_a, media)


def test_an_encrypted_pdf_is_refused(client, decision_a, officer_a, media):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(plain_pdf())))
    writer.encrypt("mat-khau")
    out = io.BytesIO()
    writer.write(out)
    client.force_login(officer_a)

    response = upload(client, decision_a, out.getvalue())

    assert response.status_code == 400
    assert "mã hoá" in response.content.decode()
    assert nothing_stored(decision_a, media)


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    client, settings, tmp_path, decision_a, officer_a, media
):
    settings.TDKT_SIGNED_PDF_MAX_BYTES = 1000
    client.force_login(officer_a)

    response = upload(client, decision_a, signed_pdf(settings, tmp_path))

    assert response.status_code == 400 and "quá lớn" in response.content.decode()
    assert nothing_stored(decision_a, media)


def test_a_draft_decision_takes_no_signed_file(client, settings, tmp_path, tree, people, officer_a, media):
    draft = services.decision_draft(
        actor=officer_a, issuer_unit_id=tree["a"].pk, year=2025, subject="Dự thảo",
        lines=[services.LineSpec(award_code="giay_khen", unit_id=tree["a"].pk, person_id=people["an"].pk)],
    )  # fmt: skip
    client.force_login(officer_a)

    response = upload(client, draft, signed_pdf(settings, tmp_path))

    assert response.status_code == 404
    assert nothing_stored(draft, media)


def test_another_units_officer_finds_nothing(client, settings, tmp_path, tree, decision_b, officer_a, media):
    data = signed_pdf(settings, tmp_path)
    record = decision_b.lines.get().award_record
    client.force_login(officer_a)

    assert upload(client, decision_b, data).status_code == 404
    assert client.get(reverse("awards:decision_signed", args=[decision_b.pk])).status_code == 404
    assert client.get(reverse("awards:decision_signed_file", args=[decision_b.pk])).status_code == 404
    assert client.get(reverse("awards:award_certificate", args=[record.pk])).status_code == 404
    assert client.get(reverse("awards:decision_certificates", args=[decision_b.pk])).status_code == 404
    assert nothing_stored(decision_b, media)


def test_a_stored_signed_file_stays_with_its_unit(
    client, settings, tmp_path, decision_b, admin_user, officer_a
):
    data = signed_pdf(settings, tmp_path, data=own_pdf(decision_b))
    client.force_login(admin_user)
    assert upload(client, decision_b, data).status_code == 302
    client.force_login(officer_a)

    response = client.get(reverse("awards:decision_signed_file", args=[decision_b.pk]))

    assert response.status_code == 404
    assert data not in (b"".join(response.streaming_content) if response.streaming else response.content)


def test_roles_without_the_decisions_get_403_and_anonymous_visitors_log_in(
    client, settings, tmp_path, tree, decision_a, media
):
    data = signed_pdf(settings, tmp_path)
    record = decision_a.lines.get().award_record
    urls = [
        reverse("awards:decision_signed", args=[decision_a.pk]),
        reverse("awards:decision_signed_file", args=[decision_a.pk]),
        reverse("awards:award_certificate", args=[record.pk]),
        reverse("awards:decision_certificates", args=[decision_a.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert upload(client, decision_a, data).status_code == 302  # to the login page
    client.force_login(make_user("bloc", "bloc_head", tree["a"]))
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert upload(client, decision_a, data).status_code == 403
    assert nothing_stored(decision_a, media)


def test_a_replaced_signed_file_is_removed_from_storage(
    client, settings, tmp_path, decision_a, officer_a, media, django_capture_on_commit_callbacks
):
    unsigned = own_pdf(decision_a)  # before signing is configured: tdkt would sign its own PDF
    first = signed_pdf(settings, tmp_path, data=unsigned)
    second = signed_pdf(settings, tmp_path, data=unsigned, common_name="Trần Văn Hai")
    client.force_login(officer_a)

    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, decision_a, first).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, decision_a, second).status_code == 302

    (path,) = stored_files(media)
    assert path.read_bytes() == second
    assert Decision.objects.get(pk=decision_a.pk).signed_by.startswith("Trần Văn Hai")
    assert AuditEvent.objects.filter(event="decision.signed_upload").count() == 2


def test_layout_pages_are_for_the_ministrys_department_only(client, tree, officer_a):
    head = make_user("hd", "unit_head", tree["a"])
    urls = [
        reverse("awards:certificate_layouts"),
        reverse("awards:certificate_layout_edit", args=["giay_khen"]),
        reverse("awards:certificate_calibration", args=["giay_khen"]),
    ]
    for user in (officer_a, head):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        post = client.post(urls[1], {"mode": "blank", "title": "X"})
        assert post.status_code == 403


def test_a_hostile_value_in_a_layout_cannot_break_out_of_the_sheet(client, admin_user, decision_a):
    """An authority typed with markup is printed as text (the HTML behind the PDF is escaped)."""
    from tdkt.awards import certificates

    certificates.layout_save(
        actor=admin_user, award_code="giay_khen", mode="full",
        title="GIẤY KHEN", authority='<img src="http://example.invalid/x.png">Thủ trưởng', positions={},
    )  # fmt: skip

    pdf = certificates.certificate_pdf(decision_a.lines.get().award_record)

    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert '<IMG SRC="HTTP://EXAMPLE.INVALID/X.PNG">THỦ TRƯỞNG' in text


def test_configuring_signing_does_not_sign_the_calibration_sheet(client, settings, tmp_path, admin_user):
    from tdkt.core import signing

    configure(settings, tmp_path)
    client.force_login(admin_user)

    response = client.get(reverse("awards:certificate_calibration", args=["giay_khen"]))

    assert response.status_code == 200 and not signing.verify_pdf(response.content).signed


def test_the_signed_pdf_of_another_decision_is_refused(
    client, settings, tmp_path, decision_a, decision_b, officer_a, media
):
    """A signed PDF whose text names another decision's number is not kept as this decision's copy;
    the decision's own PDF, signed, is."""
    from tdkt.awards.documents import decision_pdf

    settings.TDKT_SIGNING_P12 = None
    Decision.objects.filter(pk=decision_b.pk).update(number="17")
    decision_b = Decision.objects.get(pk=decision_b.pk)
    other = decision_pdf(decision_b, list(decision_b.lines.all()))
    own = decision_pdf(decision_a, list(decision_a.lines.all()))
    wrong, right = signed_pdf(settings, tmp_path, data=other), signed_pdf(settings, tmp_path, data=own)
    settings.TDKT_SIGNING_P12 = None
    client.force_login(officer_a)
    assert decision_a.reference != decision_b.reference

    refused = upload(client, decision_a, wrong)
    assert refused.status_code == 400
    assert decision_a.reference in refused.content.decode() and nothing_stored(decision_a, media)
    assert upload(client, decision_a, right).status_code == 302


def test_a_signed_scan_without_text_is_refused_with_the_way_out(
    client, settings, tmp_path, decision_a, officer_a, media
):
    """A PDF without a text layer cannot be compared with the decision: taken on the signer's word, any
    signed PDF could stand for any decision."""
    scan = signed_pdf(settings, tmp_path, data=plain_pdf(f"Quyết định số {decision_a.reference}"))
    settings.TDKT_SIGNING_P12 = None
    client.force_login(officer_a)

    refused = upload(client, decision_a, scan)

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "không có lớp chữ" in page and "bản PDF xuất từ tệp Word" in page
    assert nothing_stored(decision_a, media)
