"""What TĐKT officers read: award pages, the eligibility tab and its explanations, without codes, setting
keys or the rulebook authors' English notes in the Vietnamese interface."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tdkt.rulebook import selectors
from tdkt.rulebook.engine import Reason, Verdict, load_rulebooks
from tdkt.rulebook.engine.codes import AWARD_CODES
from tdkt.rulebook.engine.predicates import REGISTRY
from tdkt.rulebook.services import rulebook_text
from tests.factories import make_user, person
from tests.rulebook.test_adapters import award, initiative, rate

NOTES = re.compile(r"<details\b.*?</details>", re.S)
TAGS = re.compile(r"<[^>]+>")


def visible_text(html: str) -> str:
    """The text a user reads: no tags or attributes, no folded source notes, no scripts."""
    body = html[html.index("<main") :] if "<main" in html else html
    body = re.sub(r"<script\b.*?</script>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", TAGS.sub(" ", NOTES.sub(" ", body)))


def _reader(client, tree):
    client.force_login(make_user("reader", "staff", tree["a"]))
    return client


# ---------------------------------------------------------------- award pages


def test_award_page_has_no_english_subtitle_and_no_bare_code(client, tree):
    html = _reader(client, tree).get(reverse("rulebook:award_detail", args=["ldtt"])).content.decode()
    text = visible_text(html)
    assert "Advanced Worker" not in html
    assert not re.search(r"\bldtt\b", text)
    assert 'title="Mã trong bộ quy tắc: ldtt"' in html  # for specialists, on hover


def test_award_page_shows_the_english_name_in_the_english_interface(client, tree):
    _reader(client, tree).cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("rulebook:award_detail", args=["ldtt"])).content.decode()
    assert "Advanced Worker" in html


def test_award_page_names_discipline_forms_and_settings_in_vietnamese(client, tree):
    html = _reader(client, tree).get(reverse("rulebook:award_detail", args=["ldtt"])).content.decode()
    text = visible_text(html)
    assert "khiển trách, cảnh cáo, hạ bậc lương, giáng chức, cách chức, buộc thôi việc" in text
    assert "khien trach" not in html and "['khien_trach'" not in html
    assert "ldtt.discipline_forms_excluded" not in html
    assert "Hình thức kỷ luật không được xét Lao động tiên tiến" in text
    assert "Không xét Lao động tiên tiến khi bị xử phạt vi phạm hành chính: Không" in text


def test_award_page_routes_steps_and_criteria_are_readable(client, tree):
    _reader(client, tree)
    text = visible_text(client.get(reverse("rulebook:award_detail", args=["bang_khen_bo"])).content.decode())
    assert "any_of" not in text and "appraisal_and_decision" not in text and "law.md" not in text
    assert "Trường hợp 74.1.d" not in text
    assert (
        "Trường hợp: Hai lần liên tục CSTĐCS hoặc hai năm liên tục hoàn thành xuất sắc nhiệm vụ, có hai "
        "sáng kiến cấp cơ sở (Điều 74, khoản 1, điểm d)" in text
    )
    assert "Đáp ứng một trong các điều kiện: 2 năm liên tục đạt Chiến sĩ thi đua cơ sở" in text
    assert "Thẩm định hồ sơ và quyết định khen thưởng: 25 ngày làm việc" in text
    text = visible_text(client.get(reverse("rulebook:award_detail", args=["cstd_co_so"])).content.decode())
    assert "Trường hợp: Lao động tiên tiến và hoàn thành xuất sắc nhiệm vụ (Điều 23)" in text
    assert "23.htxs" not in text


def test_award_page_folds_the_english_notes_of_the_rulebook_authors(client, tree):
    html = _reader(client, tree).get(reverse("rulebook:award_detail", args=["ldtt"])).content.decode()
    note = "Maternity leave and treatment of combat/rescue injuries count as time worked."
    assert note in html and note not in visible_text(html)
    assert "Ghi chú nguồn (tiếng Anh)" in html


def test_award_page_fills_setting_values_of_the_steps_in_words(client, tree):
    text = visible_text(
        _reader(client, tree).get(reverse("rulebook:award_detail", args=["cstd_bo"])).content.decode()
    )
    assert "tỷ lệ đồng ý từ 90% trên tổng số thành viên Hội đồng" in text
    assert "{council" not in text


@pytest.mark.parametrize("regime", ["law-2013", "law-2022"])
def test_no_award_page_shows_codes_keys_or_notes(client, tree, regime):
    """Every page of both regimes: no word with an underscore (a code, a setting key, a criterion kind),
    no unfilled {setting}, no route id as a heading, no reference to the project's notes."""
    _reader(client, tree)
    kinds = set(REGISTRY)
    for code in AWARD_CODES:
        html = client.get(reverse("rulebook:award_detail", args=[code]), {"regime": regime}).content.decode()
        text = visible_text(html)
        assert not re.findall(r"\b\w+_\w+\b", text), (code, re.findall(r"\b\w+_\w+\b", text))
        assert not {k for k in kinds if re.search(rf"\b{k}\b", text)}, code
        assert "{" not in text and ".md" not in text and "§" not in text, code
        assert not re.search(r"Trường hợp [\w.]+\d", text), code
        assert not re.search(r"\bhc (lao dong|doc lap|ho chi minh)", text), code


def test_every_criterion_of_the_rulebooks_is_described_in_words():
    for regime in load_rulebooks().regimes:
        values = regime.settings_at(regime.effective_from)
        for code, compiled in regime.awards.items():
            for route in compiled.definition.routes:
                for c in route.criteria:
                    text = selectors.describe_criterion(c.kind, c.params, values)
                    assert text and "_" not in text and text != c.kind, (regime.code, code, c.kind, text)


def test_rulebook_text_replaces_setting_keys_codes_and_note_references():
    assert rulebook_text("Quy chế TĐKT của cơ quan (cài đặt ldtt.exclude_admin_sanction)") == (
        "Quy chế TĐKT của cơ quan (cài đặt của cơ quan “Không xét Lao động tiên tiến khi bị xử phạt vi "
        "phạm hành chính”)"
    )
    assert rulebook_text("Tập thể đã có hc lao dong 3 và thành tích tiếp theo") == (
        "Tập thể đã có Huân chương Lao động hạng Ba và thành tích tiếp theo"
    )
    assert (
        rulebook_text("Nghị định 98/2023/NĐ-CP (thời hạn) – theo law.md §7")
        == "Nghị định 98/2023/NĐ-CP (thời hạn)"
    )
    assert rulebook_text("Bộ Nội vụ trả lời (Lao Động 1404245, ghi trong docs/law-qa.md)") == (
        "Bộ Nội vụ trả lời (Lao Động 1404245)"
    )


def test_route_headings_name_the_article():
    law = load_rulebooks().regime("law-2022")
    headings = {r.id: selectors.route_heading(r) for r in law.awards["bang_khen_ttg"].definition.routes}
    assert headings["73.1.b"].endswith("(Điều 73, khoản 1, điểm b)")
    assert headings["73.1.a"].endswith("— Điều 73, khoản 1 (các điểm ngoài điểm b)")
    old = load_rulebooks().regime("law-2013")
    assert selectors.route_heading(
        next(r for r in old.awards["hc_lao_dong_3"].definition.routes if r.id == "nd91.24.1.a")
    ).endswith("(Nghị định 91/2017/NĐ-CP, Điều 24, khoản 1, điểm a)")
    for regime in load_rulebooks().regimes:
        for compiled in regime.awards.values():
            for route in compiled.definition.routes:
                heading = selectors.route_heading(route)
                assert heading.startswith("Trường hợp: ")
                assert "." not in route.id or route.id not in heading, heading


# ---------------------------------------------------------------- the eligibility tab


@pytest.fixture
def excellent(tree):
    """Eligible for CSTĐCS by the HTXS route, not by the initiative route (no initiative)."""
    p = person(tree["a"], family_name="Phạm", middle_name="Thu", given_name="Hà", code="CB500")
    rate(p, 2023, "htt")
    rate(p, 2024, "htxs")
    award(p, "ldtt", 2024)
    return p


def _tab(client, officer, subject, **params):
    client.force_login(officer)
    return client.get(reverse("rulebook:person_eligibility", args=[subject.pk]), params).content.decode()


def _item(html: str, code: str) -> str:
    start = html.index(f'data-award="{code}"')
    end = html.find('class="accordion-item verdict-item"', start)
    return html[start : end if end > 0 else len(html)]


def test_tab_names_the_regime_once_not_after_every_title(client, excellent, officer_a):
    html = _tab(client, officer_a, excellent)
    assert "(law-2022)" not in html and "law-2022)" not in visible_text(html)
    assert visible_text(html).count("Áp dụng: Luật Thi đua, khen thưởng 2022") == 1


def test_tab_replaces_setting_keys_in_reasons_by_their_labels(client, excellent, officer_a):
    text = visible_text(_tab(client, officer_a, excellent))
    assert "ldtt.discipline_forms_excluded" not in text and "cstd_co_so.ratio_cap" not in text
    assert "cài đặt của cơ quan “Hình thức kỷ luật không được xét Lao động tiên tiến”" in text


def test_tab_groups_reasons_by_route_and_marks_the_route_that_qualifies(client, excellent, officer_a):
    item = _item(_tab(client, officer_a, excellent), "cstd_co_so")
    assert "Đủ tiêu chuẩn</span>" in item
    routes = re.findall(r'data-route="([^"]+)" data-status="(\w+)"( data-decisive="true")?', item)
    assert routes == [("23.htxs", "met", ' data-decisive="true"'), ("23.sang_kien", "not_met", "")]
    text = visible_text(item)
    assert text.index(
        "Trường hợp: Lao động tiên tiến và hoàn thành xuất sắc nhiệm vụ (Điều 23)"
    ) < text.index("Trường hợp: Lao động tiên tiến và có sáng kiến")
    assert "Đủ tiêu chuẩn theo trường hợp này" in text
    assert "text-danger" not in item  # the initiative route is not needed: no red cross in an eligible item


def test_tab_shows_each_routes_status_when_none_qualifies(client, tree, officer_a):
    p = person(tree["a"], code="CB501")
    rate(p, 2024, "htt")
    award(p, "ldtt", 2024)
    initiative(p, 2024, scope="", recognised=False)
    item = _item(_tab(client, officer_a, p), "cstd_co_so")
    statuses = dict(re.findall(r'data-route="([^"]+)" data-status="(\w+)"', item))
    assert statuses == {"23.htxs": "not_met", "23.sang_kien": "open"}
    assert "Không đạt" in item and "Chưa đủ dữ kiện" in item


def test_explain_shows_a_reason_repeated_inside_a_route_once():
    reasons = [
        Reason("cstd_co_so.23.htxs.ldtt", True, "Năm 2024 đạt danh hiệu Lao động tiên tiến", "Điều 23"),
        Reason("cstd_co_so.23.htxs.rating_htxs", True, "Năm 2024: hoàn thành xuất sắc nhiệm vụ", "Điều 23"),
        Reason("cstd_co_so.23.htxs.rating_htxs", True, "Năm 2024: hoàn thành xuất sắc nhiệm vụ", "Điều 23"),
        Reason("cstd_co_so.23.sang_kien.ldtt", True, "Năm 2024 đạt danh hiệu Lao động tiên tiến", "Điều 23"),
    ]
    v = Verdict("cstd_co_so", 2024, "law-2022", "eligible", reasons, [], (), None)
    ex = selectors.explain(v)
    by_id = {r["id"]: r for r in ex["routes"]}
    assert [r["detail"] for r in by_id["23.htxs"]["reasons"]] == [
        "Năm 2024 đạt danh hiệu Lao động tiên tiến",
        "Năm 2024: hoàn thành xuất sắc nhiệm vụ",
    ]
    assert len(by_id["23.sang_kien"]["reasons"]) == 1  # the same text in another route stays there
    assert v.to_dict()["reasons"][2]["rule"] == "cstd_co_so.23.htxs.rating_htxs"  # the engine's output as is


# ---------------------------------------------------------------- the profile's tabs


def test_tab_keeps_the_profile_tabs(client, excellent, officer_a):
    html = _tab(client, officer_a, excellent)
    assert 'class="nav nav-tabs"' in html
    assert f'href="{reverse("org:person_detail", args=[excellent.pk])}"' in html and "Thông tin" in html
    eligibility = reverse("rulebook:person_eligibility", args=[excellent.pk])
    assert f'class="nav-link active" href="{eligibility}" aria-current="page">Xét danh hiệu' in html


def test_year_change_by_htmx_swaps_only_the_verdicts(client, excellent, officer_a):
    client.force_login(officer_a)
    response = client.get(
        reverse("rulebook:person_eligibility", args=[excellent.pk]),
        {"year": 2023},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="verdicts",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="verdicts">') and "nav-tabs" not in html
