"""Digital signatures of tdkt's PDFs (PAdES, through pyHanko): signing with the agency's certificate,
and reading back the signatures of a PDF that a user uploads.

- `sign_pdf(data, reason=..., location=...)`: when the agency configures its signing certificate
  (`TDKT_SIGNING_P12`, a PKCS#12 file, and `TDKT_SIGNING_P12_PASSWORD`), the PDF comes back signed as
  PAdES (subfilter ETSI.CAdES.detached, SHA-256); without them it comes back unchanged and
  `signing_enabled()` is False.
- `verify_pdf(data)`: a `SignatureReport` with, for every embedded signature, the signer's name and
  organisation, the signing time the signer claims, whether the signed bytes are intact, whether the
  document was changed after signing, and whether the signer's certificate chains to a root the agency
  trusts (`TDKT_SIGNING_TRUST`: a PEM/DER file or a folder of them) — all said in Vietnamese.

There is no network: no timestamp authority is asked when signing (the signing time is the server's
clock, written in the signature dictionary), and no OCSP responder or CRL is fetched when verifying
(revocation is not checked; a certificate is "trusted" when it chains to a configured root). So the
signatures are PAdES B-B, not B-T or B-LT.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.core.errors import ServiceError

logger = logging.getLogger(__name__)

# file names read as roots in a TDKT_SIGNING_TRUST folder
TRUST_SUFFIXES = (".pem", ".crt", ".cer", ".der")
# a decision carries a few signatures; thousands in an uploaded file would only cost CPU
MAX_SIGNATURES = 20


class SigningError(ServiceError):
    """The agency's signing certificate cannot be used; the message says why, in Vietnamese."""


# --- signing ------------------------------------------------------------------------------------------


def _p12_path() -> Path | None:
    value = getattr(settings, "TDKT_SIGNING_P12", None)
    return Path(value).expanduser() if value else None


def signing_enabled() -> bool:
    """True when the agency configured a PKCS#12 file to sign its PDFs with."""
    return _p12_path() is not None


def _passphrase() -> bytes | None:
    value = getattr(settings, "TDKT_SIGNING_P12_PASSWORD", None)
    if value is None or value == "":
        return None
    return value.encode() if isinstance(value, str) else bytes(value)


@functools.lru_cache(maxsize=4)
def _load_signer(path: str, mtime: float, passphrase: bytes | None):
    # keyed on the file's modification time, so a renewed certificate is picked up without a restart
    from pyhanko.sign import signers

    data = Path(path).read_bytes()
    signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=None, passphrase=passphrase)
    if signer is None:
        raise ValueError("no key in the PKCS#12 file or a wrong passphrase")
    return signer


def _signer():
    path = _p12_path()
    try:
        return _load_signer(str(path), path.stat().st_mtime, _passphrase())
    except FileNotFoundError as exc:
        logger.error("TDKT_SIGNING_P12 %s: file not found", path)
        raise SigningError(
            _("Không tìm thấy tệp chứng thư số dùng để ký (%(path)s); báo quản trị hệ thống.")
            % {"path": path}
        ) from exc
    except (OSError, ValueError, TypeError) as exc:
        logger.error("TDKT_SIGNING_P12 %s cannot be used: %s", path, exc)
        raise SigningError(
            _(
                "Không dùng được chứng thư số để ký (tệp PKCS#12 hỏng hoặc sai mật khẩu); "
                "báo quản trị hệ thống."
            )
        ) from exc


def sign_pdf(data: bytes, *, reason: str, location: str) -> bytes:
    """The PDF signed with the agency's certificate (PAdES B-B, SHA-256, no timestamp server), or the
    same bytes when no certificate is configured. Raises SigningError when the configured one fails."""
    if not signing_enabled():
        return data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    meta = signers.PdfSignatureMetadata(
        field_name="ChuKySo",
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason[:200],
        location=location[:100],
    )
    signer = _signer()
    out = BytesIO()
    try:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
        signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=out)
    except Exception as exc:  # pyHanko raises many kinds; the user gets one message, the log the cause
        logger.exception("signing a PDF failed")
        raise SigningError(_("Không ký số được tệp PDF: %(error)s") % {"error": exc}) from exc
    return out.getvalue()


# --- verifying ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureInfo:
    """One signature embedded in a PDF, as a person reads it."""

    field_name: str
    signer_name: str  # the certificate's common name
    organisation: str  # its organisation, "" when none
    signed_at: datetime | None  # the time the signer's software wrote (not proven by a timestamp)
    intact: bool  # the signed bytes and the signature match
    modified: bool  # the document was changed after this signature
    trusted: bool  # the certificate chains to a root in TDKT_SIGNING_TRUST
    issuer: str = ""
    notes: tuple[str, ...] = ()  # Vietnamese sentences, one per finding

    @property
    def signer(self) -> str:
        """ "Nguyễn Văn Ký (Bộ Thử nghiệm)"."""
        return f"{self.signer_name} ({self.organisation})" if self.organisation else self.signer_name

    @property
    def ok(self) -> bool:
        return self.intact and not self.modified

    @property
    def integrity_text(self) -> str:
        if not self.intact:
            return _("Chữ ký không khớp với nội dung: tệp đã bị sửa sau khi ký.")
        if self.modified:
            return _("Tài liệu đã bị sửa đổi sau khi ký (có nội dung được thêm hoặc thay sau chữ ký).")
        return _("Nguyên vẹn: nội dung không thay đổi kể từ khi ký.")

    @property
    def trust_text(self) -> str:
        if self.trusted:
            return _("Chứng thư số hợp lệ, được xác thực tới chứng thư gốc tin cậy của cơ quan.")
        return _(
            "Chứng thư số chưa được tin cậy: không nối tới chứng thư gốc nào cơ quan đã cấu hình "
            "(ví dụ chứng thư tự cấp)."
        )


@dataclass(frozen=True)
class SignatureReport:
    """What `verify_pdf` found in a PDF."""

    signatures: tuple[SignatureInfo, ...] = ()
    error: str = ""  # the file could not be read as a PDF (Vietnamese)
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def intact(self) -> bool:
        """Signed, and no signature broken or followed by changes."""
        return not self.error and self.signed and all(s.ok for s in self.signatures)

    @property
    def trusted(self) -> bool:
        return self.signed and all(s.trusted for s in self.signatures)

    @property
    def signer(self) -> str:
        """The signers, in the order they signed."""
        return "; ".join(s.signer for s in self.signatures)

    @property
    def message(self) -> str:
        """One Vietnamese sentence saying what the report means."""
        if self.error:
            return self.error
        if not self.signed:
            return _("Tệp PDF không có chữ ký số nào.")
        if not self.intact:
            return _("Tệp PDF đã bị sửa đổi sau khi ký: chữ ký số không còn giá trị cho nội dung này.")
        if not self.trusted:
            return _(
                "Chữ ký số nguyên vẹn, người ký: %(signer)s; chứng thư số chưa được xác thực tới chứng thư "
                "gốc tin cậy."
            ) % {"signer": self.signer}
        return _("Chữ ký số hợp lệ và nguyên vẹn, người ký: %(signer)s.") % {"signer": self.signer}


def trust_roots() -> list:
    """The roots of TDKT_SIGNING_TRUST (a file or a folder of PEM/DER certificates) as asn1crypto
    certificates; [] when unset. A file that is not a certificate is logged and skipped."""
    from pyhanko.keys import load_certs_from_pemder

    value = getattr(settings, "TDKT_SIGNING_TRUST", None)
    if not value:
        return []
    root = Path(value).expanduser()
    files = (
        sorted(p for p in root.iterdir() if p.is_file() and p.suffix.lower() in TRUST_SUFFIXES)
        if root.is_dir()
        else [root]
    )
    roots = []
    for path in files:
        try:
            roots.extend(load_certs_from_pemder([str(path)]))
        except Exception as exc:  # a stray file in the folder must not stop verification
            logger.warning("TDKT_SIGNING_TRUST: %s is not a certificate: %s", path, exc)
    return roots


def _name_part(cert, key: str) -> str:
    try:
        value = cert.subject.native.get(key, "")
    except Exception:
        return ""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return str(value or "")


def _issuer_name(cert) -> str:
    try:
        native = cert.issuer.native
    except Exception:
        return ""
    return str(native.get("common_name") or native.get("organization_name") or "")


def _validation_context():
    from pyhanko_certvalidator import ValidationContext

    # explicit roots only (never the machine's store), nothing fetched: there is no network
    return ValidationContext(trust_roots=trust_roots(), allow_fetching=False, revocation_mode="soft-fail")


def _one(embedded, context) -> SignatureInfo:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel

    status = validate_pdf_signature(embedded, context)
    cert = status.signing_cert
    coverage = status.coverage
    level = status.modification_level
    # after the signature, only further signatures, form filling or validation data (DSS) may follow
    modified = (
        coverage is None
        or coverage < SignatureCoverageLevel.ENTIRE_REVISION
        or (level is not None and level > ModificationLevel.FORM_FILLING)
        or status.docmdp_ok is False
    )
    signed_at = status.signer_reported_dt
    if signed_at is not None and timezone.is_naive(signed_at):
        signed_at = signed_at.replace(tzinfo=UTC)
    notes = []
    if coverage is not None and coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        notes.append(_("Chữ ký không bao trùm toàn bộ tài liệu."))
    if level is not None and level > ModificationLevel.FORM_FILLING:
        notes.append(_("Có thay đổi nội dung được thêm vào sau chữ ký."))
    if not status.valid:
        notes.append(_("Chữ ký số không hợp lệ về mặt mật mã."))
    return SignatureInfo(
        field_name=str(getattr(embedded, "field_name", "") or ""),
        signer_name=_name_part(cert, "common_name") or _("(không rõ tên)"),
        organisation=_name_part(cert, "organization_name"),
        signed_at=signed_at,
        intact=bool(status.intact and status.valid),
        modified=modified,
        trusted=bool(status.trusted),
        issuer=_issuer_name(cert),
        notes=tuple(notes),
    )


def verify_pdf(data: bytes) -> SignatureReport:
    """Every signature of the PDF `data`, checked offline. Never raises on a bad file: the report's
    `error` says it in Vietnamese."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data.startswith(b"%PDF-"):
        return SignatureReport(error=_("Tệp không phải là tệp PDF."))
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        if reader.encrypted:
            return SignatureReport(error=_("Tệp PDF được mã hoá bằng mật khẩu; hãy gửi bản không mã hoá."))
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # a damaged or hostile file: one message, the cause in the log
        logger.info("PDF could not be read for signatures: %s", exc)
        return SignatureReport(error=_("Không đọc được tệp PDF (tệp hỏng hoặc không đúng định dạng)."))
    if not embedded:
        return SignatureReport()
    if len(embedded) > MAX_SIGNATURES:
        return SignatureReport(
            error=_("Tệp PDF có quá nhiều chữ ký (%(n)s; tối đa %(max)s).")
            % {"n": len(embedded), "max": MAX_SIGNATURES}
        )
    context = _validation_context()
    found = []
    for sig in embedded:
        try:
            found.append(_one(sig, context))
        except Exception as exc:
            logger.info("a PDF signature could not be validated: %s", exc)
            found.append(
                SignatureInfo(
                    field_name=str(getattr(sig, "field_name", "") or ""),
                    signer_name=_("(không đọc được)"),
                    organisation="",
                    signed_at=None,
                    intact=False,
                    modified=True,
                    trusted=False,
                    notes=(_("Không kiểm tra được chữ ký này (dữ liệu chữ ký hỏng)."),),
                )
            )
    return SignatureReport(signatures=tuple(found))
