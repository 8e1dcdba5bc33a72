"""Revoking an award: the decision that revokes it is recorded on the record (number, date, written
reason, who), the record stays in the register marked revoked, the next eligibility verdict no longer
counts it, and every refusal says why and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tdkt.awards import services
from tdkt.awards.models import Decision, DecisionLine
from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent
from tdkt.org.models import AwardRecord, Evaluation, Initiative
from tdkt.rulebook.adapters import person_facts
from tdkt.rulebook.engine import evaluate
from tests.factories import make_user

D = datetime.date
REASON = "Phát hiện kê khai thành tích không trung thực."


def _award(p, code, year, *, number=None, **extra) -> AwardRecord:
    return AwardRecord.objects.create(
        person=p, unit=p.current_unit, award_code=code, first_year=year, last_year=year,
        decision_number=number or f"{code}-{year}/QĐ", decided_on=D(year + 1, 1, 15), **extra,
    )  # fmt: skip


@pytest.fixture
def record(people):
    return _award(people["binh"], "cstd_co_so", 2023, number="15/QĐ-VA")


@pytest.fixture
def officer(tree):
    return make_user("officer_a", "officer", tree["a"])


def _page(pk: int) -> str:
    return reverse("awards:record_detail", args=[pk])


def _revoke_url(pk: int) -> str:
    return reverse("awards:record_revoke", args=[pk])


def _form(**over) -> dict:
    return {"decision_number": "25/QĐ-BTN", "on": "10/03/2025", "reason": REASON} | over


def test_officer_records_a_revocation_and_the_record_stays_marked(client, officer, record):
    client.force_login(officer)
    response = client.post(_revoke_url(record.pk), _form())
    assert response.status_code == 302 and response["Location"] == _page(record.pk)
    record.refresh_from_db()
    assert record.revoked and record.revoked_decision == "25/QĐ-BTN"
    assert record.revoked_on == D(2025, 3, 10)
    assert record.revoked_reason == REASON and record.revoked_by == officer
    assert AwardRecord.objects.filter(pk=record.pk).exists()  # never deleted
    body = client.get(_page(record.pk)).content.decode()
    assert "Đã huỷ bỏ, thu hồi" in body and "25/QĐ-BTN" in body and REASON in body
    assert "10/03/2025" in body
    assert 'action="' + _revoke_url(record.pk) not in body  # no second form


def test_the_revocation_is_audited_and_shown_in_the_records_trail(client, officer, record):
    client.force_login(officer)
    client.post(_revoke_url(record.pk), _form())
    event = AuditEvent.objects.get(event="award.revoke", object_id=str(record.pk))
    assert event.actor == officer and event.object_type == "org.awardrecord"
    assert event.changes["revoked_reason"] == REASON and event.changes["revoked_decision"] == "25/QĐ-BTN"
    trail = client.get(_page(record.pk)).context["events"]
    assert [e.event for e in trail] == ["award.revoke"]
    assert "officer_a" in client.get(_page(record.pk)).content.decode()


def test_the_reason_is_required(client, officer, record):
    client.force_login(officer)
    response = client.post(_revoke_url(record.pk), _form(reason=" \u200b \n "))
    assert response.status_code == 400
    assert "Hãy ghi lý do huỷ bỏ, thu hồi khen thưởng." in response.content.decode()
    record.refresh_from_db()
    assert not record.revoked
    assert not AuditEvent.objects.filter(event="award.revoke").exists()


def test_the_reason_keeps_its_paragraphs_and_loses_control_characters(client, officer, record):
    client.force_login(officer)
    client.post(_revoke_url(record.pk), _form(reason="Dòng một\x07\r\n\r\n\r\nDòng  hai\u200b"))
    record.refresh_from_db()
    assert record.revoked_reason == "Dòng một\n\nDòng hai"


def test_a_second_submission_is_refused_with_a_clear_message_and_changes_nothing(client, officer, record):
    client.force_login(officer)
    client.post(_revoke_url(record.pk), _form())
    events = AuditEvent.objects.count()
    response = client.post(_revoke_url(record.pk), _form(decision_number="99/QĐ-KHAC", reason="Lần hai"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "đã được ghi nhận huỷ bỏ trước đó (quyết định 25/QĐ-BTN ngày 10/03/2025)" in body
    record.refresh_from_db()
    assert record.revoked_decision == "25/QĐ-BTN" and record.revoked_reason == REASON
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision_number": ""}, "Số quyết định huỷ bỏ"),
        ({"on": "31/02/2025"}, "Ngày quyết định"),
        ({"on": "01/01/2024"}, "trước ngày quyết định khen thưởng 15/01/2024"),
        ({"decision_number": "x" * 61}, "Số quyết định huỷ bỏ"),
    ],
)
def test_bad_revocation_data_is_refused_beside_its_field(client, officer, record, data, message):
    client.force_login(officer)
    response = client.post(_revoke_url(record.pk), _form(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    record.refresh_from_db()
    assert not record.revoked


def test_a_date_in_the_future_is_refused(client, officer, record):
    client.force_login(officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(_revoke_url(record.pk), _form(on=tomorrow.strftime("%d/%m/%Y")))
    assert response.status_code == 400
    assert "không thể ở tương lai" in response.content.decode()


def test_another_units_record_reads_as_nonexistent(client, officer, people):
    other = _award(people["cuong"], "ldtt", 2023)
    client.force_login(officer)
    assert client.get(_page(other.pk)).status_code == 404
    assert client.post(_revoke_url(other.pk), _form()).status_code == 404
    other.refresh_from_db()
    assert not other.revoked


def test_unit_head_reads_the_record_but_cannot_revoke(client, tree, record):
    head = make_user("head_a", "unit_head", tree["a"])
    client.force_login(head)
    page = client.get(_page(record.pk))
    assert page.status_code == 200 and "15/QĐ-VA" in page.content.decode()
    assert page.context["form"] is None
    assert client.post(_revoke_url(record.pk), _form()).status_code == 403
    record.refresh_from_db()
    assert not record.revoked


def test_the_service_checks_the_right_itself(tree, people, record):
    officer_b = make_user("officer_b", "officer", tree["b"])
    with pytest.raises(PermissionDenied):
        services.award_revoke(actor=officer_b, award_id=record.pk, decision_number="1/QĐ", on=D(2025, 1, 2),
                              reason="x")  # fmt: skip
    record.refresh_from_db()
    assert not record.revoked


def test_the_service_refuses_a_second_revocation(officer, record):
    services.award_revoke(
        actor=officer, award_id=record.pk, decision_number="1/QĐ", on=D(2025, 1, 2), reason="a"
    )
    with pytest.raises(ServiceError, match="trước đó"):
        services.award_revoke(actor=officer, award_id=record.pk, decision_number="2/QĐ", on=D(2025, 1, 3),
                              reason="b")  # fmt: skip


def test_there_is_one_revocation_service():
    from tdkt.org import services as org_services

    assert not hasattr(org_services, "award_revoke")


def test_a_revocation_changes_the_next_verdict(client, officer, people):
    """Chiến sĩ thi đua bộ needs Chiến sĩ thi đua cơ sở three years running (2022–2024): revoking the
    2023 title breaks the run, and the next verdict says so."""
    p = people["binh"]
    for year in (2022, 2023, 2024):
        Evaluation.objects.create(person=p, unit=p.current_unit, year=year, rating="htxs", months_worked=12)
        _award(p, "ldtt", year)
        _award(p, "cstd_co_so", year, ground="initiative")
        Initiative.objects.create(
            person=p, unit=p.current_unit, year=year, title=f"Sáng kiến {year}", scope="bo",
            recognised_on=D(year, 11, 1),
        )  # fmt: skip
    assert evaluate(person_facts(p.pk, 2024), "cstd_bo", 2024).verdict == "eligible"
    title_2023 = AwardRecord.objects.get(person=p, award_code="cstd_co_so", last_year=2023)

    client.force_login(officer)
    client.post(_revoke_url(title_2023.pk), _form())

    after = evaluate(person_facts(p.pk, 2024), "cstd_bo", 2024)
    assert after.verdict == "not_eligible"
    assert any(r.rule.endswith("three_cstd_co_so") and r.met is False for r in after.reasons)


def test_record_page_links_the_decision_and_the_certificate_of_an_award_issued_here(
    client, officer, tree, people
):
    p = people["an"]
    decision = Decision.objects.create(
        issuer_unit=tree["a"], year=2024, subject="Khen thưởng 2024", number="21", symbol="QĐ-VA",
        decided_on=D(2025, 1, 15), signer_name="Lê Văn Ký", status="issued",
    )  # fmt: skip
    record = _award(p, "giay_khen", 2024, number=decision.reference, source="issued")
    DecisionLine.objects.create(
        decision=decision, person=p, unit=p.current_unit, award_code="giay_khen", first_year=2024,
        last_year=2024, award_record=record,
    )  # fmt: skip
    client.force_login(officer)
    body = client.get(_page(record.pk)).content.decode()
    assert reverse("awards:decision_detail", args=[decision.pk]) in body
    assert reverse("awards:award_certificate", args=[record.pk]) in body
    client.post(_revoke_url(record.pk), _form())
    body = client.get(_page(record.pk)).content.decode()
    assert reverse("awards:award_certificate", args=[record.pk]) not in body  # a revoked award prints nothing


def test_an_imported_record_has_no_decision_link(client, officer, record):
    client.force_login(officer)
    response = client.get(_page(record.pk))
    assert response.context["decision"] is None
    assert '<dd class="col-7">15/QĐ-VA</dd>' in response.content.decode()  # the number, not a link
    assert not response.context["decision_link"] and not response.context["certificate_link"]


def test_record_page_stays_under_a_query_budget(client, officer, record, django_assert_max_num_queries):
    client.force_login(officer)
    for i in range(5):
        AuditEvent.objects.create(
            actor=officer, actor_name="officer_a", action="update", event="award.import",
            object_type="org.awardrecord", object_id=str(record.pk), changes={"signer": ["", f"Ký {i}"]},
        )  # fmt: skip
    client.get(_page(record.pk))
    with django_assert_max_num_queries(14):
        client.get(_page(record.pk))
