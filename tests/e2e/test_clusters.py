"""A cluster's year in the browser (issue 11): the ministry's specialist opens the year and copies last
year's table; the bloc head records the covenant, each member's pledge and signature, and opens scoring;
three members' officers score their sheets with an evidence file and send them; the head appraises, adjusts
one score with a reason and opens the explanation round; the member explains; the head locks, ranks,
prepares the conference and runs it on the councils' meeting page (attendance, a paper ballot, the counting
committee's tallies, the close); the proposals become a dossier; the head publishes and the results page
shows the ranking with its charts.

Set up with the ORM: only what no user does in the browser before the story starts (units, users with
their roles, the bloc, its cluster and memberships for the year, last year's table, the people who
represent each member at the conference)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from tdkt.clusters.enums import BlocRole, ProposalAward, SheetStatus, YearStatus
from tdkt.clusters.models import (
    Adjustment,
    Bloc,
    BlocMembership,
    Cluster,
    ClusterYear,
    Criterion,
    Evidence,
    Standing,
)
from tdkt.org.enums import CollectiveKind
from tdkt.org.models import Collective
from tests.clusters.conftest import build_table
from tests.e2e.test_year import login
from tests.factories import make_user, person, unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR = 2025
NAMES = ["An Giang", "Bắc Ninh", "Cà Mau"]
# (achieved % on line 1.1 against the pledged 95, 1.2, 2, bonus, deduction) → self totals 95, 95, 89
SCORES = [
    ("95", "25", "28", "2", "0"),
    ("104,5", "25", "26", "0", "0"),
    ("76", "30", "30", "0", "3"),
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class BlocWorld:
    units: list
    bloc: Bloc
    cluster: Cluster
    leaders: list


@pytest.fixture
def bloc_world(db, settings) -> BlocWorld:
    settings.TDKT_EMAIL_URL = ""
    root = unit(code="BO", name="Bộ Thử nghiệm", kind="ministry")
    units = [
        unit(code=f"SO-{i}", name=f"Sở Kinh tế Số tỉnh {name}", kind="provincial", parent=root)
        for i, name in enumerate(NAMES, start=1)
    ]
    leaders = []
    for i, u in enumerate(units):
        Collective.objects.create(unit=u, kind=CollectiveKind.UNIT, code=f"TT-{u.code}", name=u.name)
        # the member's representative at the conference: its leader
        leaders.append(
            person(u, family_name="Trần", middle_name="Quốc", given_name=f"Giám đốc {i + 1}", leader=True)
        )
    bloc = Bloc.objects.create(code="KHOI-T", name="Khối các Sở thử nghiệm", owner_unit=root)
    cluster = Cluster.objects.create(bloc=bloc, code="CUM-1", name="Cụm thi đua số 1", order=1)
    for i, u in enumerate(units):
        role = BlocRole.HEAD if i == 0 else BlocRole.DEPUTY if i == 1 else BlocRole.MEMBER
        BlocMembership.objects.create(bloc=bloc, cluster=cluster, unit=u, year=YEAR, role=role)
    build_table(bloc, YEAR - 1)  # last year's table, to be copied
    make_user("vu_tdkt", "specialist", root)
    for i, u in enumerate(units):
        make_user(f"canbo{i}", "officer", u)
    make_user("khoitruong", "bloc_head", units[0], include_subtree=False)
    return BlocWorld(units=units, bloc=bloc, cluster=cluster, leaders=leaders)


def shot(page, screenshot_dir, name: str) -> None:
    page.screenshot(path=str(screenshot_dir / f"clusters-{name}.png"), full_page=True)


def alerts(page) -> str:
    """The messages shown at the top of the page."""
    return " ".join(page.locator(".alert").all_inner_texts())


def day(delta: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d/%m/%Y")


def move(page, label: str, deadline: str | None = None) -> None:
    """The head's move on the year page (with its deadline when the move needs one)."""
    form = page.locator("#moves form", has=page.locator(f"button:text-is('{label}')"))
    if deadline is not None:
        form.locator("input[name=deadline]").fill(deadline)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_clusters_year_in_the_browser(live_server, browser_page, screenshot_dir, tmp_path, bloc_world):
    page, base, w = browser_page, live_server.url, bloc_world
    units = w.units
    evidence = tmp_path / "bao-cao-van-phong.pdf"
    evidence.write_bytes(PDF)

    # 1. the ministry's specialist opens the cluster's year and copies last year's table
    login(page, base, "vu_tdkt")
    page.goto(f"{base}/clusters/khoi/{w.bloc.pk}/?year={YEAR}")
    page.select_option("#id_y-cluster", str(w.cluster.pk))
    page.fill("#id_y-year", str(YEAR))
    page.click("button:has-text('Mở năm')")
    assert f"Đã mở năm thi đua {YEAR} của" in alerts(page)
    cy = ClusterYear.objects.get(cluster=w.cluster, year=YEAR)
    assert "Chuẩn bị (giao ước, bảng điểm)" in page.inner_text("main")
    page.click(f"a:has-text('Bảng điểm năm {YEAR}')")
    page.wait_for_url(f"**/clusters/khoi/{w.bloc.pk}/bang-diem/{YEAR}/")
    assert f"Chưa có tiêu chí nào cho năm {YEAR}." in page.inner_text("#criteria")
    page.select_option("select[name=from_year]", str(YEAR - 1))
    page.click("button:has-text('Sao chép bảng năm trước')")
    assert "Đã sao chép 6 tiêu chí." in alerts(page)
    table = page.inner_text("#criteria")
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn" in table and "Tổng điểm tối đa: 100 điểm" in table
    lines = {c.code: c for c in Criterion.objects.filter(bloc=w.bloc, year=YEAR)}

    # 2. the bloc head records the covenant: the date, the place, the content, each pledge and signature
    login(page, base, "khoitruong")
    page.goto(f"{base}/clusters/nam/{cy.pk}/giao-uoc/")
    page.fill("#id_g-on", f"15/01/{YEAR}")
    page.fill("#id_g-place", "Sở Kinh tế Số tỉnh Cà Mau")
    page.fill("#id_g-content", "Các thành viên giao ước thi đua hoàn thành xuất sắc nhiệm vụ năm.")
    page.click("button:has-text('Ghi nội dung chung')")
    assert "Đã ghi nội dung giao ước." in alerts(page)
    assert f"15/01/{YEAR}" in page.inner_text("#covenant-on")
    for i, u in enumerate(units):
        card = page.locator(f"section[aria-labelledby='h-pledge-{u.pk}']")
        card.locator("summary:has-text('Ghi đăng ký và chỉ tiêu')").click()
        card.locator(f"#id_p{u.pk}-content").fill(f"{u.name} hoàn thành 95 % hồ sơ đúng hạn.")
        card.locator(f"#id_p{u.pk}-target_{lines['1.1'].pk}").fill("95")
        card.locator("button:has-text('Ghi đăng ký')").click()
        assert f"Đã ghi đăng ký của {u.name}." in alerts(page)
        card = page.locator(f"section[aria-labelledby='h-pledge-{u.pk}']")
        card.locator("summary:has-text('Ghi nhận ký giao ước')").click()
        card.locator("input[name$='-signer']").fill(f"Trần Quốc Giám đốc {i + 1}")
        card.locator("input[name$='-signer_title']").fill("Giám đốc Sở")
        card.locator("input[name$='-on']").fill(f"15/01/{YEAR}")
        card.locator("button:has-text('Ghi nhận đã ký')").click()
        assert f"Đã ghi nhận {u.name} ký giao ước." in alerts(page)
        assert f"Đã ký: Trần Quốc Giám đốc {i + 1}, 15/01/{YEAR}" in page.inner_text(
            f"section[aria-labelledby='h-pledge-{u.pk}']"
        )
    assert "3/3 đơn vị" in page.inner_text("section[aria-labelledby=h-common]")

    # 3. the head opens scoring with a deadline
    page.click("a:has-text('Về trang năm thi đua của cụm')")
    page.wait_for_url(f"**/clusters/nam/{cy.pk}/")
    move(page, "Mở tự chấm điểm", day(10))
    assert "cụm chuyển sang bước “Thành viên tự chấm điểm”" in alerts(page)
    assert day(10) in page.inner_text("main")

    # 4. each member's officer scores its sheet, files the evidence and sends the sheet
    for i, (achieved, digital, tdkt, bonus, deduction) in enumerate(SCORES):
        login(page, base, f"canbo{i}")
        page.goto(f"{base}/clusters/nam/{cy.pk}/")
        if i > 0:  # its own sheet only, before the scores are locked (the head unit's officer leads too)
            assert page.locator("#members a").count() == 1
        page.click(f"#members a:has-text('phiếu chấm điểm của {units[i].name}')")
        page.wait_for_url("**/clusters/phieu/*/")
        assert "chỉ tiêu 95 %" in page.inner_text(f"#l{lines['1.1'].pk}")
        for code, value in (("1.1", achieved), ("1.2", digital), ("2", tdkt), ("3", bonus), ("4", deduction)):
            page.fill(f"#value-{lines[code].pk}", value)
        page.fill(f"#note-{lines['1.1'].pk}", "Theo báo cáo của Văn phòng Sở")
        page.click("button:has-text('Lưu phiếu')")
        assert "Đã lưu 5 dòng của phiếu chấm điểm." in alerts(page)
        assert "Còn thiếu minh chứng bắt buộc cho các tiêu chí: 1.1." in page.inner_text("main")
        extra = page.locator(f"#l{lines['1.1'].pk} + tr")
        extra.locator("input[type=file]").set_input_files(str(evidence))
        extra.locator("button:has-text('Nộp minh chứng')").click()
        page.wait_for_load_state()
        assert "Đã nộp minh chứng “bao-cao-van-phong.pdf” cho tiêu chí 1.1." in alerts(page)
        assert "Còn thiếu minh chứng" not in page.inner_text("main")
        expected = ["95", "95", "89"][i]
        assert page.inner_text("#totals dd >> nth=0").strip() == expected
        page.click("button:has-text('Gửi phiếu')")
        page.wait_for_url(f"**/clusters/nam/{cy.pk}/")
        assert f"Đã gửi phiếu chấm điểm tới cụm trưởng (tự chấm {expected} điểm)." in alerts(page)

    # 5. the head starts the appraisal and lowers one score of the second member, with the reason
    login(page, base, "khoitruong")
    page.goto(f"{base}/clusters/nam/{cy.pk}/")
    members = page.inner_text("#members")
    assert members.count("Đã gửi") == 3
    move(page, "Bắt đầu thẩm định")
    assert "cụm chuyển sang bước “Thẩm định điểm”" in alerts(page)
    page.click(f"#members a:has-text('phiếu chấm điểm của {units[1].name}')")
    page.wait_for_url("**/clusters/phieu/*/")
    sheet_b = page.url
    extra = page.locator(f"#l{lines['2'].pk} + tr")
    extra.locator("summary").click()
    extra.locator("input[name=points]").fill("20")
    extra.locator("input[name=reason]").fill("Thiếu kế hoạch thi đua năm")
    extra.locator("button:has-text('Điều chỉnh')").click()
    page.wait_for_load_state()
    assert "Đã điều chỉnh điểm tiêu chí 2." in alerts(page)
    assert "Điều chỉnh từ 26 thành 20" in page.inner_text(f"#l{lines['2'].pk} + tr")
    assert "đã điều chỉnh" in page.inner_text(f"#l{lines['2'].pk}")
    assert page.inner_text("#totals dd >> nth=1").strip() == "89"

    # 6. the explanation round; the member answers the adjustment
    page.goto(f"{base}/clusters/nam/{cy.pk}/")
    move(page, "Mở giải trình", day(5))
    assert "cụm chuyển sang bước “Giải trình”" in alerts(page)
    login(page, base, "canbo1")
    page.goto(sheet_b)
    extra = page.locator(f"#l{lines['2'].pk} + tr")
    extra.locator("textarea[name=text]").fill("Kế hoạch ban hành ngày 10/02, gửi kèm văn bản.")
    extra.locator("button:has-text('Gửi giải trình')").click()
    page.wait_for_load_state()
    assert "Đã gửi giải trình cho tiêu chí 2." in alerts(page)
    assert "Giải trình của đơn vị: Kế hoạch ban hành ngày 10/02" in page.inner_text(f"#l{lines['2'].pk} + tr")

    # 7. the head locks the scores and ranks; 89 and 89: fewer deductions first
    login(page, base, "khoitruong")
    page.goto(f"{base}/clusters/nam/{cy.pk}/")
    move(page, "Chốt điểm")
    assert "cụm chuyển sang bước “Đã chốt điểm”" in alerts(page)
    move(page, "Xếp hạng")
    assert "cụm chuyển sang bước “Đã xếp hạng”" in alerts(page)
    page.click("main a:has-text('Xếp hạng')")
    page.wait_for_url(f"**/clusters/nam/{cy.pk}/xep-hang/")
    rows = page.locator("#standings tbody tr")
    assert rows.count() == 3
    ranked = [re.sub(r"\s+", " ", rows.nth(n).inner_text()) for n in range(3)]
    assert ranked[0].startswith("1") and units[0].name in ranked[0] and "95" in ranked[0]
    assert units[1].name in ranked[1] and "89" in ranked[1]
    assert units[2].name in ranked[2] and "89" in ranked[2]
    assert "ít điểm trừ hơn" in page.inner_text("section[aria-labelledby=h-rules]")
    assert page.locator("#standings select >> nth=0").input_value() == ProposalAward.CO_THI_DUA_BO
    shot(page, screenshot_dir, "ranking")

    # 8. the head prepares the conference, then runs it on the meeting page: attendance, a paper ballot
    page.fill("#conf-day", f"20/12/{YEAR}")
    page.fill("#conf-time", "08:00")
    page.fill("#conf-place", "Hội trường Sở Kinh tế Số tỉnh An Giang")
    page.click("button:has-text('Chuẩn bị Hội nghị')")
    page.wait_for_url("**/councils/meetings/*/")
    assert "Đã chuẩn bị Hội nghị" in alerts(page)
    body = page.inner_text("main")
    assert f"Thông qua kết quả chấm điểm, xếp hạng của cụm năm {YEAR}" in body
    for leader in w.leaders:
        assert leader.full_name in page.inner_text("#attendance")
    selects = page.locator("#attendance select")
    assert selects.count() == 3
    for n in range(3):
        selects.nth(n).select_option("present")
    page.click("button:has-text('Lưu điểm danh')")
    assert "Đã lưu điểm danh (3 thay đổi)." in alerts(page)
    assert "Có mặt 3/3" in page.inner_text("section[aria-labelledby=h-rule]")
    page.check("input[name=mode][value=paper]")
    page.click("button:has-text('Mở bỏ phiếu')")
    page.wait_for_load_state()
    assert "Chờ Ban kiểm phiếu nhập kết quả." in page.inner_text("#ballots")
    page.click("a:has-text('Nhập kết quả kiểm phiếu')")
    page.wait_for_url("**/councils/ballots/*/tallies/")
    committee = page.locator("input[name=committee]")
    committee.nth(0).check()
    committee.nth(1).check()
    agree = page.locator("input[name^=agree_]")
    items = agree.count()
    assert items >= 2  # the ranking and each proposal
    for n in range(items):
        agree.nth(n).fill("3")
    page.click("button:has-text('Lưu kết quả kiểm phiếu')")
    page.wait_for_url("**/councils/meetings/*/#ballots")
    assert "Đã lưu kết quả kiểm phiếu." in alerts(page)
    page.click("#ballots button:has-text('Đóng phiếu')")
    page.wait_for_load_state()
    agenda = page.inner_text("section[aria-labelledby=h-agenda]")
    assert agenda.count("Đạt") == items and agenda.count("3/3 đồng ý") == items

    # 9. back on the year page: the proposals become a dossier, then the head publishes
    page.goto(f"{base}/clusters/nam/{cy.pk}/")
    assert "Hội nghị đã biểu quyết" in page.inner_text("main h1 ~ .badge")
    page.click("button:has-text('Lập hồ sơ đề nghị')")
    page.wait_for_url(f"**/clusters/nam/{cy.pk}/#proposals")
    assert "Đã lập hồ sơ đề nghị khen thưởng" in alerts(page)
    # the dossier is the head unit's: its TĐKT officer carries it on (the bloc-head role sees no dossiers)
    assert "cán bộ thi đua, khen thưởng của đơn vị cụm trưởng" in page.inner_text("#proposals")
    login(page, base, "canbo0")
    page.goto(f"{base}/clusters/nam/{cy.pk}/")
    page.click("a:has-text('Mở hồ sơ đề nghị của cụm')")
    page.wait_for_url("**/dossiers/*/")
    dossier_page = page.inner_text("main")
    for u in units:
        assert u.name in dossier_page
    assert f"{units[0].name} – Cờ thi đua của bộ, ban, ngành, tỉnh" in dossier_page
    assert "Bằng khen của bộ, ban, ngành, tỉnh" in dossier_page
    shot(page, screenshot_dir, "dossier")
    login(page, base, "khoitruong")
    page.goto(f"{base}/clusters/nam/{cy.pk}/")
    move(page, "Công bố")
    assert "cụm chuyển sang bước “Đã công bố”" in alerts(page)

    # 10. the published results: the ranking and the charts, each with its table
    page.click("main a:has-text('Kết quả')")
    page.wait_for_url(f"**/clusters/nam/{cy.pk}/ket-qua/")
    main = page.inner_text("main")
    assert "Kết quả chưa công bố" not in main
    rows = page.locator("section[aria-labelledby=h-standings] tbody tr")
    for n, u in enumerate(units):
        row = re.sub(r"\s+", " ", rows.nth(n).inner_text())
        assert row.startswith(str(n + 1)) and u.name in row and "3/3 Thông qua" in row
    assert "Cờ thi đua của Bộ" in rows.nth(0).inner_text()
    charts = page.locator("svg[role=img]").count()
    assert charts >= 2  # group 1 against the cluster's average, and the totals over the years
    group_1 = page.inner_text("section[aria-labelledby=h-groups] table >> nth=0")
    history = page.inner_text("section[aria-labelledby=h-history] table")
    for u in units:
        assert u.name in group_1 and u.name in history
    assert "65,33" in group_1  # the cluster's average of group 1: (65 + 69 + 62) / 3
    shot(page, screenshot_dir, "results")
    # a member sees the published results too
    login(page, base, "canbo2")
    page.goto(f"{base}/clusters/nam/{cy.pk}/ket-qua/")
    assert page.locator("svg[role=img]").count() == charts
    assert units[2].name in page.inner_text("section[aria-labelledby=h-standings]")

    # what was written
    cy.refresh_from_db()
    assert cy.status == YearStatus.PUBLISHED and cy.dossier_id and cy.meeting_id
    assert [
        (s.unit_id, s.rank, s.total, s.passed)
        for s in Standing.objects.filter(cluster_year=cy).order_by("rank")
    ] == [
        (units[0].pk, 1, Decimal("95"), True),
        (units[1].pk, 2, Decimal("89"), True),
        (units[2].pk, 3, Decimal("89"), True),
    ]
    assert set(cy.sheets.values_list("status", flat=True)) == {SheetStatus.LOCKED}
    assert Evidence.objects.filter(score__sheet__cluster_year=cy).count() == 3
    adj = Adjustment.objects.get()
    assert (adj.old_points, adj.new_points, adj.reason) == (
        Decimal("26"),
        Decimal("20"),
        "Thiếu kế hoạch thi đua năm",
    )
    assert adj.explanation.startswith("Kế hoạch ban hành")
    awards = {
        (n.collective.unit_id, n.award_code) for n in cy.dossier.nominations.select_related("collective")
    }
    assert (units[0].pk, "co_thi_dua_bo") in awards
