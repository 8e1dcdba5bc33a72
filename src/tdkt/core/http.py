"""The one way a generated file is answered: as an attachment whose name may hold Vietnamese letters
("quyet-dinh-12-QĐ-VA.pdf"): the header carries an ASCII name and the UTF-8 one (RFC 6266 `filename*`),
so that every browser downloads it under its real name instead of showing it inline; never cached."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
