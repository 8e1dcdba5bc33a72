"""PAdES signatures (core/signing.py): signing with the agency's PKCS#12 when configured, reading the
signatures of a PDF back — signer, time, intact or modified, trusted or not — with a certificate the
test makes itself."""

from __future__ import annotations

import datetime
import io

import pypdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.urls import reverse

from tdkt.core import signing

SIGNER = "Nguyễn Văn Ký"
ORGANISATION = "Bộ Thử nghiệm"
PASSPHRASE = "mật-khẩu-thử"


def make_certificate(common_name: str = SIGNER, organisation: str = ORGANISATION):
    """A self-signed RSA certificate and its key, valid from yesterday for a month."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
    )  # fmt: skip
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def make_p12(tmp_path, *, passphrase: str = PASSPHRASE, **names):
    """The agency's PKCS#12 file written under tmp_path; returns (path, certificate)."""
    cert, key = make_certificate(**names)
    data = pkcs12.serialize_key_and_certificates(
        b"tdkt", key, cert, None, serialization.BestAvailableEncryption(passphrase.encode())
    )
    path = tmp_path / "co-quan.p12"
    path.write_bytes(data)
    return path, cert


def configure(settings, tmp_path, **names):
    path, cert = make_p12(tmp_path, **names)
    settings.TDKT_SIGNING_P12 = str(path)
    settings.TDKT_SIGNING_P12_PASSWORD = PASSPHRASE
    settings.TDKT_SIGNING_TRUST = None
    return cert


def plain_pdf(text: str = "Quyết định số 05/QĐ-CĐS") -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_pdf(settings, tmp_path, data: bytes | None = None, **names) -> bytes:
    configure(settings, tmp_path, **names)
    return signing.sign_pdf(data or plain_pdf(), reason="Ban hành quyết định", location="Hà Nội")


def tamper(data: bytes) -> bytes:
    """One byte of the signed content changed (the page width), the signature left as it was."""
    at = data.index(b"/MediaBox")
    changed = bytearray(data)
    digit = next(i for i in range(at, at + 40) if chr(changed[i]).isdigit())
    changed[digit] = ord("4") if changed[digit] != ord("4") else ord("5")
    return bytes(changed)


def append_update(data: bytes) -> bytes:
    """A new revision added after the signature: a second page, as an editor that keeps the
    signature's bytes would write it."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(n) for n in (0, 0, 595, 842)]
            ),
        }
    )
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def unconfigured(settings):
    settings.TDKT_SIGNING_P12 = None
    settings.TDKT_SIGNING_P12_PASSWORD = None
    settings.TDKT_SIGNING_TRUST = None


# --------------------------------------------------------------------------------- signing


def test_without_a_certificate_nothing_is_signed():
    data = plain_pdf()

    assert signing.signing_enabled() is False
    assert signing.sign_pdf(data, reason="x", location="Hà Nội") == data


def test_a_signed_pdf_is_intact_and_names_its_signer(settings, tmp_path):
    data = signed_pdf(settings, tmp_path)

    assert signing.signing_enabled() is True
    report = signing.verify_pdf(data)
    assert report.signed and report.intact
    (signature,) = report.signatures
    assert signature.signer_name == SIGNER and signature.organisation == ORGANISATION
    assert signature.signer == "Nguyễn Văn Ký (Bộ Thử nghiệm)"
    assert signature.signed_at is not None
    assert abs((datetime.datetime.now(datetime.UTC) - signature.signed_at).total_seconds()) < 300
    assert not signature.modified and signature.intact
    # a self-signed certificate: not trusted, but the signer is still shown
    assert signature.trusted is False and not report.trusted
    assert "chưa được xác thực" in report.message and SIGNER in report.message
    assert "Nguyên vẹn" in signature.integrity_text


def test_pyhanko_itself_reads_a_pades_signature(settings, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    data = signed_pdf(settings, tmp_path)

    (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[], allow_fetching=False))
    assert status.intact and status.valid
    assert status.signing_cert.subject.native["common_name"] == SIGNER
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.sig_object["/Reason"] == "Ban hành quyết định"
    assert embedded.sig_object["/Location"] == "Hà Nội"
    assert status.md_algorithm == "sha256"


def test_a_root_the_agency_trusts_makes_the_signature_trusted(settings, tmp_path):
    data = signed_pdf(settings, tmp_path)
    cert = x509.load_der_x509_certificate(_embedded_cert_der(data))
    roots = tmp_path / "roots"
    roots.mkdir()
    (roots / "goc.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (roots / "ghi-chu.txt").write_text("không phải chứng thư")  # ignored: not a certificate name
    (roots / "hong.pem").write_text("-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n")

    settings.TDKT_SIGNING_TRUST = str(roots)
    report = signing.verify_pdf(data)

    assert report.intact and report.trusted
    assert report.message == "Chữ ký số hợp lệ và nguyên vẹn, người ký: Nguyễn Văn Ký (Bộ Thử nghiệm)."


def _embedded_cert_der(data: bytes) -> bytes:
    from pyhanko.pdf_utils.reader import PdfFileReader

    (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    return embedded.signer_cert.dump()


def test_a_byte_changed_after_signing_is_reported(settings, tmp_path):
    report = signing.verify_pdf(tamper(signed_pdf(settings, tmp_path)))

    assert report.signed and not report.intact
    (signature,) = report.signatures
    assert not signature.intact and signature.signer_name == SIGNER
    assert "đã bị sửa đổi sau khi ký" in report.message
    assert "đã bị sửa sau khi ký" in signature.integrity_text


def test_a_page_added_after_signing_is_reported(settings, tmp_path):
    report = signing.verify_pdf(append_update(signed_pdf(settings, tmp_path)))

    (signature,) = report.signatures
    assert signature.intact  # the signed bytes themselves are untouched ...
    assert signature.modified and not report.intact  # ... but the document changed after them
    assert "sửa đổi sau khi ký" in signature.integrity_text


def test_an_unsigned_pdf_has_no_signature():
    report = signing.verify_pdf(plain_pdf())

    assert not report.signed and not report.intact
    assert report.message == "Tệp PDF không có chữ ký số nào."


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"Hello, not a PDF", "không phải là tệp PDF"),
        (b"%PDF-1.7\n" + b"\x00" * 200, "Không đọc được tệp PDF"),
    ],
)
def test_a_file_that_is_not_a_readable_pdf_gives_a_message_not_an_error(data, words):
    report = signing.verify_pdf(data)

    assert words in report.message and not report.intact


def test_a_file_with_too_many_signatures_is_not_checked_one_by_one(settings, tmp_path, monkeypatch):
    data = signed_pdf(settings, tmp_path)
    monkeypatch.setattr(signing, "MAX_SIGNATURES", 0)

    report = signing.verify_pdf(data)

    assert "quá nhiều chữ ký" in report.message and not report.intact


def test_a_wrong_passphrase_gives_a_clear_message(settings, tmp_path):
    configure(settings, tmp_path)
    settings.TDKT_SIGNING_P12_PASSWORD = "sai"

    with pytest.raises(signing.SigningError, match="sai mật khẩu"):
        signing.sign_pdf(plain_pdf(), reason="x", location="Hà Nội")


def test_a_missing_certificate_file_gives_a_clear_message(settings, tmp_path):
    settings.TDKT_SIGNING_P12 = str(tmp_path / "khong-co.p12")

    with pytest.raises(signing.SigningError, match="Không tìm thấy tệp chứng thư số"):
        signing.sign_pdf(plain_pdf(), reason="x", location="Hà Nội")


# --------------------------------------------------------------------------------- the decision's PDFs


@pytest.fixture
def issued(tree, people, officer_a):
    from tdkt.awards import services
    from tests.factories import make_user

    head = make_user("head_a", "unit_head", tree["a"])
    draft = services.decision_draft(
        actor=officer_a, issuer_unit_id=tree["a"].pk, year=2025, subject="Về việc tặng Giấy khen",
        lines=[services.LineSpec(award_code="giay_khen", unit_id=tree["a"].pk, person_id=people["an"].pk)],
    )  # fmt: skip
    return services.decision_issue(
        actor=head, decision_id=draft.pk, number="5", symbol="QĐ-CĐS",
        decided_on=datetime.date(2026, 1, 15), signer_name="Lê Thị Hoa", signer_title="Vụ trưởng",
    )  # fmt: skip


def test_the_issued_decision_and_its_certificates_are_signed_when_enabled(
    client, settings, tmp_path, issued, officer_a
):
    configure(settings, tmp_path)
    client.force_login(officer_a)
    record = issued.lines.get().award_record

    for url in (
        reverse("awards:decision_file", args=[issued.pk, "pdf"]),
        reverse("awards:decision_certificates", args=[issued.pk]),
        reverse("awards:award_certificate", args=[record.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        report = signing.verify_pdf(response.content)
        assert report.intact and report.signatures[0].signer_name == SIGNER, url
        assert "05/QĐ-CĐS" in "".join(
            p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages
        )


def test_a_draft_decision_is_never_signed(client, settings, tmp_path, tree, people, officer_a):
    from tdkt.awards import services

    configure(settings, tmp_path)
    draft = services.decision_draft(
        actor=officer_a, issuer_unit_id=tree["a"].pk, year=2025, subject="Dự thảo",
        lines=[services.LineSpec(award_code="giay_khen", unit_id=tree["a"].pk, person_id=people["an"].pk)],
    )  # fmt: skip
    client.force_login(officer_a)

    response = client.get(reverse("awards:decision_file", args=[draft.pk, "pdf"]))

    assert response.status_code == 200 and not signing.verify_pdf(response.content).signed


def test_without_configuration_the_pdfs_are_not_signed(client, issued, officer_a):
    client.force_login(officer_a)

    response = client.get(reverse("awards:decision_file", args=[issued.pk, "pdf"]))

    assert not signing.verify_pdf(response.content).signed


def test_a_broken_signing_configuration_is_said_on_the_page_not_a_server_error(
    client, settings, tmp_path, issued, officer_a
):
    settings.TDKT_SIGNING_P12 = str(tmp_path / "khong-co.p12")
    client.force_login(officer_a)

    response = client.get(reverse("awards:decision_certificates", args=[issued.pk]), follow=True)

    assert response.status_code == 200
    assert "Không tìm thấy tệp chứng thư số" in response.content.decode()
