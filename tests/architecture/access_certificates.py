"""Access table of certificates and signed decisions (issue 9, item 5): an award's certificate, all
certificates of a decision, the signed PDF sent back and its download are for those who read the
issuing unit's decisions; an award or decision of another unit reads as nonexistent (404). The print
layouts and their calibration sheet are the system administrator's (the agency's settings right).

Targets: a — an issued decision of department A (a Giấy khen of An, a stored signed PDF);
b — the same in department B. Their subjects are those of access_awards.py, so the decision list's
rows stay as that table says.
"""

from __future__ import annotations

import datetime
import functools
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tdkt.awards.models import CertificateLayout, Decision, DecisionLine
from tdkt.org.models import AwardRecord
from tests.architecture.access_awards import SUBJECTS
from tests.architecture.matrix import Endpoint, Request, World

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
awards:award_certificate         GET    a       200 200 200 200 200 200 403 200 403 403 403 log
awards:award_certificate         GET    b       200 404 404 404 404 404 403 404 403 403 403 log
awards:decision_certificates     GET    a       200 200 200 200 200 200 403 200 403 403 403 log
awards:decision_certificates     GET    b       200 404 404 404 404 404 403 404 403 403 403 log
awards:decision_signed           GET    a       200 200 200 200 200 200 403 200 403 403 403 log
awards:decision_signed           GET    b       200 404 404 404 404 404 403 404 403 403 403 log
awards:decision_signed           POST   a       302 302 302 302 403 302 403 403 403 403 403 log
awards:decision_signed           POST   b       302 404 404 404 404 404 403 404 403 403 403 log
awards:decision_signed_file      GET    a       200 200 200 200 200 200 403 200 403 403 403 log
awards:decision_signed_file      GET    b       200 404 404 404 404 404 403 404 403 403 403 log
awards:certificate_layouts       GET    -       200 200 403 403 403 403 403 403 403 403 403 log
awards:certificate_layout_edit   GET    -       200 200 403 403 403 403 403 403 403 403 403 log
awards:certificate_layout_edit   POST   -       302 302 403 403 403 403 403 403 403 403 403 log
awards:certificate_calibration   GET    -       200 200 403 403 403 403 403 403 403 403 403 log
"""
# fmt: on

# The policy in words: certificates and the signed copy follow the decision they come from (the right
# to read the issuing unit's decisions, awards.view_decision); the print layouts are settings of the
# agency (rulebook.change_settings, the system administrator only).


@functools.cache
def signed_pdf() -> bytes:
    """A PDF signed with a self-signed certificate made here (once per test process); its text names
    both decisions (21 and 22/QĐ-TN), so it is taken as the signed copy of either."""
    from weasyprint import HTML

    from tdkt.core import signing
    from tests.core.test_signing import PASSPHRASE, make_p12

    text = HTML(string="<p>Quyết định số 21/QĐ-TN</p><p>Quyết định số 22/QĐ-TN</p>").write_pdf()
    with tempfile.TemporaryDirectory() as folder:
        path, _cert = make_p12(Path(folder))
        with override_settings(TDKT_SIGNING_P12=str(path), TDKT_SIGNING_P12_PASSWORD=PASSPHRASE):
            return signing.sign_pdf(text, reason="Quyết định đã ký", location="Hà Nội")


def build(world: World) -> None:
    from tests.architecture.test_access_matrix import LAST_YEAR

    year = LAST_YEAR - 3  # no clash with the drafts of access_awards.py (issued there) or any review
    decisions, records = {}, {}
    for i, key in enumerate(("a", "b")):
        p = world.people[key]
        d = Decision.objects.create(
            issuer_unit=world.units[key], year=year, subject=SUBJECTS[key], number=str(21 + i),
            symbol="QĐ-TN", decided_on=datetime.date(year + 1, 1, 15), signer_name="Lê Văn Ký",
            signer_title="Vụ trưởng", status="issued", signed_by="Nguyễn Văn Ký (Bộ Thử nghiệm)",
        )  # fmt: skip
        d.signed_file.save(f"{'0' * 31}{i}.pdf", ContentFile(signed_pdf()), save=True)
        r = AwardRecord.objects.create(
            person=p, unit=p.current_unit, award_code="giay_khen", first_year=year, last_year=year,
            decision_number=d.reference, decided_on=d.decided_on, signer=d.signer_name, source="issued",
            issuer_level="unit", issuer_name=d.issuer_unit.name,
        )  # fmt: skip
        DecisionLine.objects.create(
            decision=d, person=p, unit=p.current_unit, award_code="giay_khen", first_year=year,
            last_year=year, award_record=r,
        )  # fmt: skip
        decisions[key], records[key] = d, r
    world.extra["issued_decisions"] = decisions
    world.extra["issued_awards"] = records


def state() -> tuple:
    return (
        tuple(sorted(Decision.objects.values_list("id", "signed_file", "signed_by"))),
        tuple(CertificateLayout.objects.values_list("award_code", "mode", "positions")),
    )


def _d(w: World, t: str) -> Decision:
    return w.extra["issued_decisions"][t]


def _layout_form() -> dict:
    from tdkt.awards import certificates
    from tdkt.awards.forms import CertificateLayoutForm

    initial = CertificateLayoutForm.initial_for(certificates.default_layout("giay_khen"))
    data = {k: ("on" if v is True else str(v)) for k, v in initial.items() if v is not False}
    return data | {"mode": "blank", "offset_x_mm": "1,5"}


ENDPOINTS = {
    "awards:award_certificate": Endpoint(
        lambda w, t: Request(reverse("awards:award_certificate", args=[w.extra["issued_awards"][t].pk]))
    ),
    "awards:decision_certificates": Endpoint(
        lambda w, t: Request(reverse("awards:decision_certificates", args=[_d(w, t).pk]))
    ),
    "awards:decision_signed": Endpoint(
        lambda w, t: Request(
            reverse("awards:decision_signed", args=[_d(w, t).pk]),
            {"file": SimpleUploadedFile("quyet-dinh-da-ky.pdf", signed_pdf())},
            marker=SUBJECTS[t],
            redirect=reverse("awards:decision_signed", args=[_d(w, t).pk]),
        ),
        changes=True,
    ),
    "awards:decision_signed_file": Endpoint(
        lambda w, t: Request(reverse("awards:decision_signed_file", args=[_d(w, t).pk]))
    ),
    "awards:certificate_layouts": Endpoint(lambda w, t: Request(reverse("awards:certificate_layouts"))),
    "awards:certificate_layout_edit": Endpoint(
        lambda w, t: Request(
            reverse("awards:certificate_layout_edit", args=["giay_khen"]),
            _layout_form(),
            redirect=reverse("awards:certificate_layout_edit", args=["giay_khen"]),
        ),
        changes=True,
    ),
    "awards:certificate_calibration": Endpoint(
        lambda w, t: Request(reverse("awards:certificate_calibration", args=["giay_khen"]))
    ),
}
