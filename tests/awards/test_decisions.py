"""Decisions of a unit head: drafted within the unit's authority, issued once, all records or none."""

from __future__ import annotations

import datetime
import io

import docx
import pypdf
import pytest
from django.urls import reverse

from tdkt.awards import services
from tdkt.awards.models import Decision
from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent
from tdkt.org.models import AwardRecord
from tdkt.rulebook import selectors as rulebook_selectors
from tests.factories import make_user

YEAR = 2025
SIGNED = datetime.date(2026, 1, 15)


@pytest.fixture
def head_a(tree):
    return make_user("head_a", "unit_head", tree["a"])


def draft(officer, tree, people, codes=("ldtt", "cstd_co_so")):
    lines = [
        services.LineSpec(award_code=code, unit_id=p.current_unit_id, person_id=p.pk)
        for p in (people["an"], people["binh"])
        for code in codes
    ]
    return services.decision_draft(
        actor=officer,
        issuer_unit_id=tree["a"].pk,
        year=YEAR,
        subject="Về việc công nhận danh hiệu",
        lines=lines,
    )


def issue(head, decision, **over):
    fields = {
        "number": "15", "symbol": "QĐ-VA", "decided_on": SIGNED, "signer_name": "Lê Thị Hoa",
        "signer_title": "Vụ trưởng",
    } | over  # fmt: skip
    return services.decision_issue(actor=head, decision_id=decision.pk, **fields)


def test_issuing_writes_every_record_and_the_next_verdict_sees_them(tree, people, officer_a, head_a):
    decision = draft(officer_a, tree, people)

    issue(head_a, decision)

    records = AwardRecord.objects.filter(decision_number="15/QĐ-VA")
    assert records.count() == 4
    assert set(records.values_list("source", flat=True)) == {"issued"}
    assert all(line.award_record_id for line in decision.lines.all())
    # the engine reads the register: a CSTĐCS title recorded for 2025 is a fact of the next checks
    facts_years = {
        v.award: v for v in rulebook_selectors.live_verdicts("individual", people["an"].pk, YEAR + 2)
    }
    assert facts_years  # evaluated without error on the new data
    assert AwardRecord.objects.filter(person=people["an"], award_code="cstd_co_so", last_year=YEAR).exists()
    assert AuditEvent.objects.filter(event="decision.issue").count() == 1


def test_a_decision_is_issued_once(tree, people, officer_a, head_a):
    decision = draft(officer_a, tree, people)
    issue(head_a, decision)

    with pytest.raises(ServiceError, match="đã được ban hành"):
        issue(head_a, decision, number="16")

    assert AwardRecord.objects.count() == 4


def test_the_same_title_for_the_same_year_is_not_recognised_twice(tree, people, officer_a, head_a):
    issue(head_a, draft(officer_a, tree, people, codes=("ldtt",)))
    second = draft(officer_a, tree, people, codes=("ldtt",))

    with pytest.raises(ServiceError, match="Đã được khen thưởng trước đó"):
        issue(head_a, second, number="16")

    assert AwardRecord.objects.count() == 2
    assert Decision.objects.get(pk=second.pk).status == "draft"


def test_awards_beyond_the_units_authority_are_refused_in_a_unit_decision(tree, people, officer_a):
    with pytest.raises(ServiceError, match="vượt thẩm quyền"):
        draft(officer_a, tree, people, codes=("bang_khen_bo",))


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"number": ""}, "number"),
        ({"number": "15a"}, "number"),
        ({"symbol": ""}, "symbol"),
        ({"decided_on": datetime.date(2099, 1, 1)}, "decided_on"),
        ({"decided_on": datetime.date(2024, 12, 31)}, "decided_on"),
        ({"signer_name": "  "}, "signer_name"),
    ],
)
def test_a_bad_header_is_refused_and_nothing_written(tree, people, officer_a, head_a, over, field):
    decision = draft(officer_a, tree, people)
    with pytest.raises(ServiceError) as exc:
        issue(head_a, decision, **over)
    assert exc.value.field == field
    assert not AwardRecord.objects.exists()


def test_only_the_head_issues_and_an_officer_cannot(tree, people, officer_a):
    from django.core.exceptions import PermissionDenied

    decision = draft(officer_a, tree, people)
    with pytest.raises(PermissionDenied):
        issue(officer_a, decision)


def test_the_word_and_pdf_carry_the_number_date_and_names(client, tree, people, officer_a, head_a):
    decision = draft(officer_a, tree, people)
    issue(head_a, decision)
    client.force_login(head_a)

    word = client.get(reverse("awards:decision_file", args=[decision.pk, "docx"]))
    pdf = client.get(reverse("awards:decision_file", args=[decision.pk, "pdf"]))

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    text += "\n".join(
        c.text for t in docx.Document(io.BytesIO(word.content)).tables for row in t.rows for c in row.cells
    )
    assert "Số: 15/QĐ-VA" in text and "ngày 15 tháng 01 năm 2026" in text
    assert "Nguyễn Văn An" in text and "Chiến sĩ thi đua cơ sở" in text and "Lê Thị Hoa" in text
    pdf_text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "15/QĐ-VA" in pdf_text and "Trần Thị Bình" in pdf_text


def test_the_head_issues_through_the_page_and_a_second_post_is_refused(
    client, tree, people, officer_a, head_a
):
    decision = draft(officer_a, tree, people)
    client.force_login(head_a)
    form = {"number": "15", "symbol": "QĐ-VA", "decided_on": "15/01/2026", "signer_name": "Lê Thị Hoa"}

    first = client.post(reverse("awards:decision_detail", args=[decision.pk]), form)
    second = client.post(reverse("awards:decision_detail", args=[decision.pk]), form | {"number": "16"})

    assert first.status_code == 302
    assert second.status_code == 404  # nothing to issue any more: the form is gone
    assert AwardRecord.objects.count() == 4
