"""The guard in front of every reader of Office files (.xlsx, .docx): a package is opened only after its
zip directory has been checked, and its XML parts are parsed only by a parser that cannot expand
entities or fetch anything.

What it refuses, before anything large is allocated:
- a file that is not a zip, or an encrypted one (a password-protected workbook is a different format);
- more entries than a workbook or a document ever has;
- a part, or the whole package, larger uncompressed than the configured limits (a zip bomb declares
  its sizes in the directory; Python's zipfile never returns more than the declared size and checks
  the CRC, so the declared sizes are what is actually read);
- a part compressed much more than real documents are (ratio checked on parts above 1 MB);
- an XML part with a DOCTYPE (entity declarations: "billion laughs", external entities). Office files
  never carry one. The parser itself is also configured not to resolve entities, load a DTD or use
  the network, and keeps libxml2's limits on text size and depth.

The limits are settings (`TDKT_OOXML_*`, see settings.py) so an agency can raise them for a national
import; every refusal is a `PackageError` with a Vietnamese message for the user.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from lxml import etree

ZIP_MAGIC = b"PK\x03\x04"
RATIO_CHECKED_ABOVE = 1024 * 1024  # small parts compress well by nature (repeated tags)
PROLOG_WINDOW = 64 * 1024  # a DOCTYPE must come before the root element, within this many bytes

MAIN_PARTS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}


class PackageError(Exception):
    """The file cannot be read safely; `message` says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Limits:
    max_entries: int
    max_part_bytes: int
    max_total_bytes: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_entries=settings.TDKT_OOXML_MAX_ENTRIES,
            max_part_bytes=settings.TDKT_OOXML_MAX_PART_BYTES,
            max_total_bytes=settings.TDKT_OOXML_MAX_TOTAL_BYTES,
            max_ratio=settings.TDKT_OOXML_MAX_RATIO,
        )


def size_text(n: int) -> str:
    """A size as the pages show it, in the active language ("10,0 MB")."""
    return str(filesizeformat(n))


def local_name_of(element) -> str:
    """The tag without its namespace ("{...}row" -> "row"); "" for comments and PIs."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


class Package:
    """An opened, checked Office package. `parse(name)` for small parts, `iter_elements` to stream a
    large one element by element with memory bounded by one element."""

    def __init__(self, archive: zipfile.ZipFile, kind: str):
        self.archive = archive
        self.kind = kind
        self.names = set(archive.namelist())

    def has(self, name: str) -> bool:
        return name in self.names

    def _open(self, name: str) -> IO[bytes]:
        try:
            raw = self.archive.open(name)
            return _checked_prolog(raw, name)
        except (KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
            raise PackageError(_("Tệp bị hỏng: không đọc được phần '%(part)s'.") % {"part": name}) from exc

    def parse(self, name: str) -> etree._Element:
        with self._open(name) as stream:
            try:
                return etree.parse(stream, _parser()).getroot()
            except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError) as exc:
                raise PackageError(
                    _("Tệp bị hỏng: phần '%(part)s' không phải XML hợp lệ.") % {"part": name}
                ) from exc

    def iter_elements(self, name: str, local_name: str, *, stop_at: str = "") -> Iterator[etree._Element]:
        """Every element `local_name` (any namespace) of the part, in document order. Each is cleared
        after the caller has moved on, with the siblings before it, so memory stays flat. Reading ends
        at the end of the element `stop_at` (what follows it is never parsed)."""
        tags = [f"{{*}}{local_name}"] + ([f"{{*}}{stop_at}"] if stop_at else [])
        with self._open(name) as stream:
            events = etree.iterparse(
                stream,
                events=("end",),
                tag=tags,
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
            )
            try:
                for _event, element in events:
                    if stop_at and local_name_of(element) == stop_at:
                        return
                    yield element
                    element.clear(keep_tail=False)
                    parent = element.getparent()
                    if parent is not None:
                        while element.getprevious() is not None:
                            del parent[0]
            except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError) as exc:
                raise PackageError(
                    _("Tệp bị hỏng: phần '%(part)s' không phải XML hợp lệ.") % {"part": name}
                ) from exc


class _Replay(io.RawIOBase):
    """A stream that gives back `head` first, then the rest of `stream` (the prolog we inspected)."""

    def __init__(self, head: bytes, stream: IO[bytes]):
        self.head, self.stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.stream.close()
        super().close()


def _checked_prolog(stream: IO[bytes], name: str) -> IO[bytes]:
    head = stream.read(PROLOG_WINDOW)
    upper = head.upper()
    root_at = _first_element(head)
    if root_at is None and len(head) == PROLOG_WINDOW:
        stream.close()
        raise PackageError(_("Tệp không hợp lệ: phần '%(part)s' không có nội dung XML.") % {"part": name})
    prolog = upper if root_at is None else upper[:root_at]
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
        stream.close()
        raise PackageError(
            _(
                "Tệp bị từ chối: phần '%(part)s' có khai báo DOCTYPE/ENTITY, điều tệp Office thật không "
                "bao giờ có (có thể là tệp được tạo để làm treo hệ thống)."
            )
            % {"part": name}
        )
    return io.BufferedReader(_Replay(head, stream))


def _first_element(head: bytes) -> int | None:
    """Offset of the root element's '<' (skipping the XML declaration, comments and PIs), or None."""
    i = 0
    while True:
        i = head.find(b"<", i)
        if i < 0 or i + 1 >= len(head):
            return None
        nxt = head[i + 1 : i + 2]
        if nxt == b"?":
            end = head.find(b"?>", i)
        elif head.startswith(b"<!--", i):
            end = head.find(b"-->", i)
        elif nxt == b"!":  # a DOCTYPE (refused by the caller) or a stray declaration: still prolog
            end = i
        else:
            return i
        if end < 0:
            return None
        i = end + 2


def open_package(data: bytes, *, kind: str, limits: Limits | None = None) -> Package:
    """Check the zip directory of an .xlsx or .docx and return the package; PackageError otherwise."""
    limits = limits or Limits.from_settings()
    label = {"xlsx": _("Excel .xlsx"), "docx": _("Word .docx")}[kind]
    if not data.startswith(ZIP_MAGIC):
        raise PackageError(_("Tệp không phải %(label)s.") % {"label": label})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise PackageError(
            _("Không đọc được tệp %(label)s: tệp bị hỏng hoặc không đúng định dạng.") % {"label": label}
        ) from exc
    if len(infos) > limits.max_entries:
        raise PackageError(
            _("Tệp có %(n)s thành phần, nhiều hơn giới hạn %(max)s của một tệp %(label)s.")
            % {
                "n": number_format(len(infos), force_grouping=True),
                "max": number_format(limits.max_entries, force_grouping=True),
                "label": label,
            }
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise PackageError(_("Tệp được đặt mật khẩu; hãy bỏ mật khẩu rồi tải lên lại."))
        total += info.file_size
        if info.file_size > limits.max_part_bytes:
            raise PackageError(
                _(
                    "Tệp bị từ chối: phần '%(part)s' khi giải nén lớn %(size)s, vượt giới hạn %(max)s. "
                    "Hãy chia nhỏ tệp."
                )
                % {
                    "part": info.filename,
                    "size": size_text(info.file_size),
                    "max": size_text(limits.max_part_bytes),
                }
            )
        if info.file_size > RATIO_CHECKED_ABOVE and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise PackageError(
                _(
                    "Tệp bị từ chối: phần '%(part)s' nén quá mức bình thường (%(size)s sau khi giải nén "
                    "từ %(packed)s); có thể là tệp được tạo để làm treo hệ thống."
                )
                % {
                    "part": info.filename,
                    "size": size_text(info.file_size),
                    "packed": size_text(info.compress_size),
                }
            )
    if total > limits.max_total_bytes:
        raise PackageError(
            _("Tệp bị từ chối: khi giải nén lớn %(size)s, vượt giới hạn %(max)s. Hãy chia nhỏ tệp.")
            % {"size": size_text(total), "max": size_text(limits.max_total_bytes)}
        )
    main = MAIN_PARTS[kind]
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or main not in names:
        other = next((k for k, part in MAIN_PARTS.items() if part in names and k != kind), None)
        if other:
            raise PackageError(
                _("Tệp là %(found)s, không phải %(label)s.")
                % {"found": {"xlsx": _("Excel .xlsx"), "docx": _("Word .docx")}[other], "label": label}
            )
        raise PackageError(_("Tệp không phải %(label)s (tệp nén của loại khác).") % {"label": label})
    return Package(archive, kind)
