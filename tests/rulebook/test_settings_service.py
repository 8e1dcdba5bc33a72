"""Agency settings: legal default shown beside the value, changes audited, reset, passed to the engine."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tdkt.core.errors import ServiceError
from tdkt.core.models import AuditEvent
from tdkt.rulebook.models import AgencySetting, EligibilityResult
from tdkt.rulebook.selectors import live_verdicts
from tdkt.rulebook.services import agency_overrides, setting_change, setting_definitions, setting_reset
from tests.rulebook.test_adapters import rate


def test_definitions_carry_the_legal_default_and_citation(db):
    d = setting_definitions()["giay_khen.min_rating"]
    assert d.default == "htt"
    assert "Điều 75" in d.cite
    assert d.type == "rating"
    assert setting_definitions()["council.vote_threshold"].type == "ratio"
    assert setting_definitions()["ldtt.discipline_forms_excluded"].type == "codes"


def test_change_is_audited_with_old_and_new_value(admin_user):
    setting_change(actor=admin_user, key="giay_khen.min_rating", raw="htxs")
    assert agency_overrides() == {"giay_khen.min_rating": "htxs"}
    event = AuditEvent.objects.get(event="rulebook.setting_change")
    assert event.changes["value"] == ["htt", "htxs"]
    assert event.actor == admin_user
    setting_change(actor=admin_user, key="giay_khen.min_rating", raw="ht")
    assert AuditEvent.objects.filter(event="rulebook.setting_change").first().changes["value"] == [
        "htxs",
        "ht",
    ]


def test_reset_returns_to_the_legal_default_and_is_audited(admin_user):
    setting_change(actor=admin_user, key="council.vote_threshold", raw="80%")
    assert agency_overrides() == {"council.vote_threshold": 0.8}
    setting_reset(actor=admin_user, key="council.vote_threshold")
    assert agency_overrides() == {}
    assert AuditEvent.objects.get(event="rulebook.setting_reset").changes["value"] == [0.8, 0.9]


def test_setting_back_to_the_default_removes_the_override(admin_user):
    setting_change(actor=admin_user, key="ldtt.exclude_admin_sanction", raw="1")
    setting_change(actor=admin_user, key="ldtt.exclude_admin_sanction", raw="")
    assert not AgencySetting.objects.exists()


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("council.vote_threshold", "chín mươi", "tỷ lệ"),
        ("council.vote_threshold", "150%", "từ 0 đến 100%"),
        ("ky_niem_chuong.min_service_years", "-3", "số nguyên"),
        ("giay_khen.min_rating", "gioi", "xếp loại"),
        ("ldtt.discipline_forms_excluded", ["khien_trach", "tu_hinh"], "không hợp lệ"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(admin_user, key, raw, message):
    with pytest.raises(ServiceError, match=message):
        setting_change(actor=admin_user, key=key, raw=raw)
    assert not AgencySetting.objects.exists()
    assert not AuditEvent.objects.exists()


def test_only_admins_change_settings(officer_a):
    with pytest.raises(PermissionDenied):
        setting_change(actor=officer_a, key="giay_khen.min_rating", raw="htxs")


def test_override_changes_live_and_batch_verdicts(tree, people, admin_user):
    from tdkt.rulebook.services import run_in_process

    rate(people["an"], 2024, "htt")
    before = {v.award: v.verdict for v in live_verdicts("individual", people["an"].pk, 2024)}
    assert before["giay_khen"] == "eligible"
    setting_change(actor=admin_user, key="giay_khen.min_rating", raw="htxs")
    after = {v.award: v.verdict for v in live_verdicts("individual", people["an"].pk, 2024)}
    assert after["giay_khen"] == "not_eligible"
    run_in_process(actor=admin_user, unit=tree["a"], year=2024, with_forecast=False)
    assert (
        EligibilityResult.objects.get(person=people["an"], award_code="giay_khen").verdict == "not_eligible"
    )


def test_settings_page_shows_default_and_citation_and_edits(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("rulebook:settings")).content.decode()
    assert "giay_khen.min_rating" in html and "Mặc định theo quy định" in html
    assert "Luật Thi đua, khen thưởng 2022, Điều 75" in html
    response = client.post(
        reverse("rulebook:setting_edit", args=["council.vote_threshold"]), {"value": "abc"}
    )
    assert response.status_code == 302
    assert "Nhập một tỷ lệ" in client.get(reverse("rulebook:settings")).content.decode()
    client.post(reverse("rulebook:setting_edit", args=["council.vote_threshold"]), {"value": "0,75"})
    html = client.get(reverse("rulebook:settings")).content.decode()
    assert "đã thay đổi" in html and "Khôi phục mặc định" in html
    client.post(reverse("rulebook:setting_reset", args=["council.vote_threshold"]))
    assert not AgencySetting.objects.exists()


def test_settings_page_is_admin_only(client, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("rulebook:settings")).status_code == 403
    assert client.post(reverse("rulebook:setting_reset", args=["council.vote_threshold"])).status_code == 403
