"""Agency settings: legal default shown beside the value, changes audited, reset, passed to the engine."""

from __future__ import annotations

import re

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


# ---------------------------------------------------------------- the settings page in words


def _visible(html: str) -> str:
    from tests.rulebook.test_presentation import visible_text

    return visible_text(html)


def _section(html: str, key: str) -> str:
    start = html.index(f'id="s-{key}"')
    end = html.find('<section class="card', start)
    return _visible(html[start : end if end > 0 else len(html)])


def test_settings_page_shows_labels_and_values_in_words_not_keys_or_reprs(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("rulebook:settings")).content.decode()
    text = _visible(html)
    assert not re.findall(r"\b\w+_\w+\b", text), re.findall(r"\b\w+_\w+\b", text)  # no key, no code
    assert "['" not in html and "True" not in text and "False" not in text and "None" not in text
    discipline = _section(html, "ldtt.discipline_forms_excluded")
    assert "Hình thức kỷ luật không được xét Lao động tiên tiến" in discipline
    assert (
        "Mặc định theo quy định: khiển trách, cảnh cáo, hạ bậc lương, giáng chức, cách chức, buộc thôi việc"
        in discipline
    )
    issuers = _section(html, "bang_khen_bo.issuers_counted")
    assert "Bộ, ngành, Tỉnh, thành phố, Cơ quan Trung ương của Đảng, Mặt trận, đoàn thể" in issuers
    assert "Mặc định theo quy định: 90%" in _section(html, "council.vote_threshold")
    assert "Mặc định theo quy định: Không áp dụng" in _section(html, "cstd_co_so.ratio_cap")
    assert "Mặc định theo quy định: Không" in _section(html, "ldtt.exclude_admin_sanction")
    assert "Mặc định theo quy định: hoàn thành tốt nhiệm vụ" in _section(html, "giay_khen.min_rating")
    assert "Mặc định theo quy định: Chưa quy định" in _section(html, "ky_niem_chuong.min_service_years")
    assert "docs/law-qa.md" not in text
    note = "Default kept from NĐ 91/2017 (reprimand or heavier); the 2022 article was not read."
    assert note in html and note not in text and "Ghi chú nguồn (tiếng Anh)" in html


def test_settings_page_shows_the_agency_value_beside_the_legal_default(client, admin_user):
    setting_change(actor=admin_user, key="council.vote_threshold", raw="75%")
    setting_change(actor=admin_user, key="ldtt.exclude_admin_sanction", raw="1")
    client.force_login(admin_user)
    html = client.get(reverse("rulebook:settings")).content.decode()
    threshold = _section(html, "council.vote_threshold")
    assert "Đang áp dụng: 75%" in threshold and "Mặc định theo quy định: 90%" in threshold
    assert 'value="75%"' in html  # the input takes the same form back
    sanction = _section(html, "ldtt.exclude_admin_sanction")
    assert "Đang áp dụng: Có" in sanction and "Mặc định theo quy định: Không" in sanction


def test_setting_messages_name_the_setting_not_its_key(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("rulebook:setting_edit", args=["council.vote_threshold"]), {"value": "abc"})
    text = _visible(client.get(reverse("rulebook:settings")).content.decode())
    assert "Tỷ lệ phiếu đồng ý tối thiểu của Hội đồng Thi đua – Khen thưởng: Nhập một tỷ lệ" in text
    client.post(reverse("rulebook:setting_edit", args=["council.vote_threshold"]), {"value": "80"})
    text = _visible(client.get(reverse("rulebook:settings")).content.decode())
    assert "Đã lưu cài đặt “Tỷ lệ phiếu đồng ý tối thiểu của Hội đồng Thi đua – Khen thưởng”." in text


def test_the_bloc_tie_break_keeps_the_agency_order_and_refuses_unknown_rules(admin_user):
    from tdkt.rulebook.services import setting_input_value, setting_value

    saved = setting_change(actor=admin_user, key="bloc.tie_break", raw="deduction, bonus, deduction")
    assert saved.value == ["deduction", "bonus"]
    assert setting_value("bloc.tie_break", 2025) == ["deduction", "bonus"]
    definition = setting_definitions()["bloc.tie_break"]
    assert setting_input_value(definition, saved.value) == "deduction, bonus"  # the box reads back as typed
    with pytest.raises(ServiceError, match="Giá trị không hợp lệ: diem_cao"):
        setting_change(actor=admin_user, key="bloc.tie_break", raw="bonus, diem_cao")
    assert setting_value("bloc.tie_break", 2025) == ["deduction", "bonus"]
