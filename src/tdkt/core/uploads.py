"""The one upload check: every file a user sends (an import, an attachment, an evidence scan) passes here.

- the size is checked before the content is read;
- the type is decided by the content, never by the name or the browser's content type: PDF, Word
  .docx, Excel .xlsx, PNG, JPEG; the name's extension must agree with it;
- Office files go through the package guard of core/ooxml.py (zip bombs, entity expansion, encrypted
  files) before anything else reads them;
- the original name is kept only as a display name (path parts and control characters dropped);
  storage uses a random name (`storage_name`).

Forms call `validate_upload` in their `clean_<field>`; services that receive bytes call `check_upload`.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.core.ooxml import PackageError, open_package, size_text

KIND_LABELS = {
    "pdf": gettext_lazy("PDF"),
    "docx": gettext_lazy("Word .docx"),
    "xlsx": gettext_lazy("Excel .xlsx"),
    "png": gettext_lazy("ảnh PNG"),
    "jpg": gettext_lazy("ảnh JPEG"),
}
EXTENSIONS = {
    "pdf": {".pdf"},
    "docx": {".docx"},
    "xlsx": {".xlsx"},
    "png": {".png"},
    "jpg": {".jpg", ".jpeg"},
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}
DOCUMENTS = frozenset({"pdf", "docx", "xlsx", "png", "jpg"})


class UploadError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # one of KIND_LABELS
    name: str  # the display name (the user's file name, cleaned)
    size: int
    sha256: str
    content_type: str
    data: bytes

    @property
    def extension(self) -> str:
        return ".jpg" if self.kind == "jpg" else f".{self.kind}"


def display_name(raw: str | None) -> str:
    """The user's file name without any folder part or control/format characters, at most 200 chars."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return unicodedata.normalize("NFC", name).strip()[:200] or _("tệp")


def sniff(data: bytes) -> str | None:
    """The kind of file by its first bytes; Office files by their main part (checked by the guard)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return "ooxml"
    return None


def _allowed_text(kinds: Iterable[str]) -> str:
    return ", ".join(str(KIND_LABELS[k]) for k in kinds)


def check_upload(upload, *, kinds: Iterable[str], max_bytes: int) -> CheckedFile:
    """Read and check an uploaded file (a Django UploadedFile or any object with name/size/read)."""
    kinds = [k for k in KIND_LABELS if k in set(kinds)]
    name = display_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadError(_too_big(name, size, max_bytes))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > max_bytes:
        raise UploadError(_too_big(name, len(data), max_bytes))
    if not data:
        raise UploadError(_("Tệp '%(name)s' rỗng.") % {"name": name})
    found = sniff(data)
    if found == "ooxml":
        found = next((k for k in ("xlsx", "docx") if k in kinds), None) or _office_kind(data)
    if found is None or found not in kinds:
        message = _("Tệp '%(name)s' không phải loại được nhận (%(allowed)s).") % {
            "name": name,
            "allowed": _allowed_text(kinds),
        }
        if "xlsx" in kinds and found is None:
            message += " " + _("Với bảng tính, hãy lưu tệp dưới dạng “Excel Workbook (.xlsx)”.")
        raise UploadError(message)
    if found in ("xlsx", "docx"):
        try:
            open_package(data, kind=found)
        except PackageError as exc:
            other = "docx" if found == "xlsx" else "xlsx"
            if other in kinds and _office_kind(data) == other:
                found = other
                open_package(data, kind=found)
            else:
                raise UploadError(_("Tệp '%(name)s': %(why)s") % {"name": name, "why": exc.message}) from exc
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in EXTENSIONS[found]:
        raise UploadError(
            _(
                "Tệp '%(name)s' có nội dung là %(found)s nhưng tên lại có đuôi '%(suffix)s'; "
                "hãy đặt lại tên tệp."
            )
            % {"name": name, "found": KIND_LABELS[found], "suffix": suffix or "—"}
        )
    return CheckedFile(
        kind=found,
        name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=CONTENT_TYPES[found],
        data=data,
    )


def _office_kind(data: bytes) -> str | None:
    for kind in ("xlsx", "docx"):
        try:
            open_package(data, kind=kind)
        except PackageError:
            continue
        return kind
    return None


def _too_big(name: str, size: int, limit: int) -> str:
    return _("Tệp '%(name)s' quá lớn (%(size)s); giới hạn là %(limit)s.") % {
        "name": name,
        "size": size_text(size),
        "limit": size_text(limit),
    }


def validate_upload(upload, *, kinds: Iterable[str], max_bytes: int) -> CheckedFile:
    """`check_upload` for a form's clean method: a ValidationError with the same message."""
    try:
        return check_upload(upload, kinds=kinds, max_bytes=max_bytes)
    except (UploadError, PackageError) as exc:
        raise forms.ValidationError(exc.message) from exc


def storage_name(checked: CheckedFile) -> str:
    """A random file name with the extension of the checked kind: nothing of the user's name on disk."""
    return f"{uuid.uuid4().hex}{checked.extension}"
