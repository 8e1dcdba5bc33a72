"""Every page passes axe-core's WCAG 2.1 A and AA rules at the normal and at the largest font step, for
the user it is meant for; the header fits at 1366 px and reflows at the largest step and on a phone.

The pages are visited per login (one browser session each) over a year of work built through the
services (tests/e2e/world.py); every URL pattern of the project is either visited here or listed in
NOT_PAGES with the reason, so a new page cannot be forgotten. Screenshots of every page at both steps go
to TDKT_SCREENSHOT_DIR/a11y/."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.e2e.axe import AXE_CONTEXT, axe_violations, format_violations
from tests.e2e.world import CURRENT, PAST, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass
class Page:
    name: str  # the URL name it covers ("namespace:name")
    path: str
    slug: str
    status: int = 200
    then: Callable | None = None  # what the user does on the page before it is checked again
    phone: bool = False  # also checked on a 390 px screen


# URL names answered to GET that are not pages a person reads, with the reason (views that take POST
# only are actions of the pages checked here, and are found by the walk itself)
NOT_PAGES = {
    "healthz": "health check for the load balancer: plain text",
    "set_language": "changes the language (POST from the header) and redirects back",
    "core:notification_open": "marks the notification read and redirects to where it points",
    "org:person_export": "Excel download (its refusal of a bad filter is the invalid-filter page, checked)",
    "org:import_template": "Excel download",
    "org:import_status": "redirects to the job page (checked)",
    "rulebook:candidates_export": "Excel download",
    "rulebook:run_status": "htmx partial polled inside the candidates page while a run is going",
    "movements:document_download": "file download (the launching document)",
    "movements:attachment_download": "file download",
    "movements:consolidated_export": "Excel download",
    "reviews:round_export": "Excel download",
    "councils:meeting_minutes": "Word/PDF download (the minutes)",
    "councils:counting_minutes": "Word/PDF download (the counting minutes)",
    "awards:decision_file": "Word/PDF download (the decision)",
    "awards:decision_signed_file": "PDF download (the signed decision)",
    "awards:decision_certificates": "PDF download (the decision's certificates)",
    "awards:award_certificate": "PDF download (one certificate)",
    "awards:certificate_calibration": "PDF download (the calibration sheet of a certificate layout)",
    "dossiers:dossier_export": "Excel download",
    "dossiers:paper_draft": "Word/PDF download (a drafted paper of the dossier)",
    "dossiers:paper_version": "file download (an uploaded paper)",
    "dossiers:report_file": "Word/PDF download (the achievement report)",
    "core:job_file": "file download (a background export's Excel file)",
    "org:unit_search": "htmx partial: the <option>s of the unit picker's suggestions",
    "awards:register_export": "Excel download (or, when large, a redirect to the job page, checked)",
    "reports:statistics_export": "Excel download (a chart's table)",
    "reports:form_download": "Excel download (a filled report form)",
    "clusters:covenant_document": "Word/PDF download (the covenant)",
    "clusters:evidence_file": "file download (an evidence file of a score)",
}


def _methods(view) -> set[str] | None:
    """The HTTP methods a view accepts, when it says (require_GET/POST, require_http_methods, a class
    view's http_method_names); None: any."""
    cls = getattr(view, "view_class", None)
    if cls is not None:
        return {m.upper() for m in cls.http_method_names} - {"OPTIONS"}
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        code, cells = getattr(view, "__code__", None), getattr(view, "__closure__", None) or ()
        for name, cell in zip(code.co_freevars if code else (), cells, strict=False):
            if name == "request_method_list":
                return set(cell.cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def _walk(patterns, prefix=""):
    """(route, "namespace:name", view) of every URL pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            for route, name, view in _walk(entry.url_patterns, prefix + str(entry.pattern)):
                yield route, (f"{ns}:{name}" if ns and name else name), view
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name, entry.callback


def _get_urls() -> set[str]:
    names = set()
    for _route, name, view in _walk(get_resolver().url_patterns):
        methods = _methods(view)
        if methods is None or "GET" in methods:
            names.add(name)
    return names


# --------------------------------------------------------------------------------- what the users do


def _fill_ballot_and_submit(page):
    """The member chooses on every line and goes on to the confirmation page (no vote is cast)."""
    for group in page.locator("fieldset").all():
        radios = group.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("load")


def _submit_empty_ballot(page):
    """The member sends the paper without choosing: the page answers with the errors beside the lines."""
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("load")


def _open_menu_group(page):
    """A keyboard user opens the "Bình xét" dropdown of the header (on a phone, the menu first)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.focus()
        page.keyboard.press("Enter")
        page.locator("#mainnav.show").wait_for(state="visible")
    page.locator("#nav-review").focus()
    page.keyboard.press("Enter")
    page.locator("[aria-labelledby=nav-review]").wait_for(state="visible")
    page.keyboard.press("ArrowDown")  # into the list, as Bootstrap's dropdown lets the keyboard do
    expanded = page.get_attribute("#nav-review", "aria-expanded")
    assert expanded == "true", f"the open group says aria-expanded={expanded}"
    assert page.evaluate("!!document.activeElement.closest('[aria-labelledby=nav-review]')")


def _bad_csrf_post(page):
    """A form sent with a stale security token: the CSRF page."""
    page.evaluate("document.querySelector('main input[name=csrfmiddlewaretoken]').value = 'x'.repeat(64)")
    page.fill("#id_username", "canbo")
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def _search_people(page):
    """The user types in the search box: htmx swaps the results in place (the partial is checked)."""
    with page.expect_response(lambda r: "/org/people/" in r.url and r.request.headers.get("hx-request")):
        page.fill("#id_q", "ngo thi")
    page.wait_for_load_state("networkidle")


def _wrong_password(page):
    page.fill("#id_username", "canbo")
    page.fill("#id_password", "sai-mat-khau")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def _wrong_password_change(page):
    page.fill("#id_old_password", "sai")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")


def _server_error(user):
    """The 500 page has no address to visit: it is drawn by the error handler, here as it would be for
    the signed-in user, into the page the browser has open on the site (so its styles load)."""

    def show(page):
        from django.test import RequestFactory

        from tdkt.core.errorviews import server_error

        request = RequestFactory().get("/")
        request.user = user
        request.session = {}
        page.set_content(server_error(request).content.decode(), wait_until="load")

    return show


def sessions(w) -> dict[str, list[Page]]:
    i = w.ids
    a = w.tree["a"].pk
    return {
        "": [  # not signed in
            Page("accounts:login", "/accounts/login/", "login", phone=True),
            Page("accounts:login", "/accounts/login/", "login-wrong-password", then=_wrong_password),
            Page("accounts:login", "/accounts/login/", "csrf", then=_bad_csrf_post),
        ],
        "admin": [
            Page("core:dashboard", "/", "dashboard", then=_open_menu_group, phone=True),
            Page("core:audit_list", "/audit/", "audit"),
            Page("accounts:lockout_list", "/accounts/lockouts/", "lockouts"),
            Page("rulebook:settings", "/rulebook/settings/", "rulebook-settings"),
            Page("org:unit_tree", "/org/units/", "unit-tree"),
            Page("org:unit_detail", f"/org/units/{a}/", "unit-detail"),
            Page("org:person_list", "/org/people/", "people", phone=True),
            Page("org:person_list", "/org/people/", "people-search", then=_search_people),
            Page(
                "org:person_export", "/org/people/export.xlsx?rating_year=abc", "invalid-filter", status=400
            ),
            Page("accounts:password_change", "/accounts/password/", "password", phone=True),
            Page(
                "accounts:password_change",
                "/accounts/password/",
                "password-wrong",
                then=_wrong_password_change,
            ),
            Page("core:calendar", "/calendar/", "calendar"),
            Page("awards:certificate_layouts", "/awards/certificates/layouts/", "certificate-layouts"),
            Page(
                "awards:certificate_layout_edit",
                "/awards/certificates/layouts/giay_khen/",
                "certificate-layout",
            ),
            Page("", "/khong-co-trang-nay/", "404", status=404),
            Page("", "/khong-co-trang-nay/", "500", status=404, then=_server_error(w.users.get("admin"))),
            Page("", "/reviews/create/", "405", status=405),
        ],
        "khoitruong": [  # the bloc head: the cluster's year, another member's sheet to appraise, the ranking
            Page("clusters:bloc_list", "/clusters/", "blocs"),
            Page("clusters:year_detail", f"/clusters/nam/{i['cluster_year']}/", "cluster-year", phone=True),
            Page("clusters:covenant", f"/clusters/nam/{i['cluster_year']}/giao-uoc/", "covenant"),
            Page("clusters:sheet", f"/clusters/phieu/{i['sheet_other']}/", "sheet-appraisal"),
            Page("clusters:ranking", f"/clusters/nam/{i['cluster_year_past']}/xep-hang/", "cluster-ranking"),
            Page("clusters:results", f"/clusters/nam/{i['cluster_year_past']}/ket-qua/", "cluster-results"),
        ],
        "chuyenvien": [
            Page("clusters:bloc_detail", f"/clusters/khoi/{i['bloc']}/", "bloc"),
            Page("clusters:table", f"/clusters/khoi/{i['bloc']}/bang-diem/{CURRENT}/", "scoring-table"),
            Page("clusters:bloc_results", f"/clusters/khoi/{i['bloc']}/ket-qua/{PAST}/", "bloc-results"),
            Page("org:identity_list", "/org/identity-reviews/", "identity-list"),
            Page("org:identity_detail", f"/org/identity-reviews/{i['identity']}/", "identity-detail"),
            Page("org:restructuring_list", "/org/restructurings/", "restructurings"),
            Page("org:restructuring_create", "/org/restructurings/new/?kind=split", "restructuring-new"),
            Page("movements:movement_list", "/movements/", "movements"),
            Page("movements:movement_create", "/movements/new/", "movement-new", phone=True),
            Page("movements:movement_detail", f"/movements/{i['movement']}/", "movement"),
            Page("movements:movement_edit", f"/movements/{i['movement_draft']}/edit/", "movement-edit"),
            Page("movements:consolidated", f"/movements/{i['movement']}/consolidated/", "consolidated"),
            Page("rulebook:catalogue", "/rulebook/", "rulebook"),
            Page("rulebook:award_detail", "/rulebook/awards/cstd_co_so/", "rulebook-award"),
            Page(
                "rulebook:candidates",
                f"/rulebook/candidates/?unit={w.tree['root'].pk}&year=2024",
                "candidates",
            ),
            Page("awards:decision_list", "/awards/decisions/", "decisions"),
            Page("awards:register", "/awards/register/", "register", phone=True),
            Page("awards:register", "/awards/register/?revoked=1&year=abc", "register-bad-filter"),
            Page("reports:statistics", "/reports/statistics/?year_from=2021&year_to=2026", "statistics"),
            Page("reports:forms", "/reports/forms/", "report-forms"),
        ],
        "canbo": [
            Page("core:dashboard", "/", "dashboard"),
            Page("clusters:sheet", f"/clusters/phieu/{i['sheet']}/", "sheet-explanation", phone=True),
            Page("clusters:sheet", f"/clusters/phieu/{i['sheet_past']}/", "sheet-locked"),
            Page("core:notification_list", "/notifications/", "notifications"),
            Page("core:job_detail", f"/jobs/{i['job']}/", "job-import-errors"),
            Page("org:import_start", "/org/import/", "import"),
            Page("org:person_detail", f"/org/people/{i['person']}/", "person"),
            Page("org:person_timeline", f"/org/people/{i['person']}/timeline/", "person-timeline"),
            Page("org:collective_detail", f"/org/collectives/{i['collective']}/", "collective"),
            Page("awards:record_detail", f"/awards/records/{i['award']}/", "award-record", phone=True),
            Page("awards:record_detail", f"/awards/records/{i['award_revoked']}/", "award-revoked"),
            Page("core:job_list", "/jobs/", "jobs"),
            Page("awards:legacy_import", "/awards/register/import/", "legacy-import"),
            Page("awards:legacy_review", f"/awards/register/import/{i['legacy_review']}/", "legacy-review"),
            Page(
                "awards:legacy_report",
                f"/awards/register/import/{i['legacy_report']}/report/",
                "legacy-report",
            ),
            Page("org:search", "/org/search/?q=ngo+thi+ha", "search", phone=True),
            Page("org:search", "/org/search/?q=ngo+thi+giangg", "search-corrected"),
            Page("org:search", "/org/search/?q=%E2%80%94%E2%80%94", "search-junk"),
            Page("rulebook:person_eligibility", f"/rulebook/people/{i['person']}/", "person-eligibility"),
            Page(
                "rulebook:collective_eligibility",
                f"/rulebook/collectives/{i['collective']}/",
                "collective-eligibility",
            ),
            Page(
                "movements:unit_registration",
                f"/movements/{i['movement']}/units/{a}/register/",
                "unit-registration",
            ),
            Page("reviews:round_list", "/reviews/", "rounds"),
            Page("reviews:round_detail", f"/reviews/{i['round_current']}/", "round-current", phone=True),
            Page("reviews:round_detail", f"/reviews/{i['round_past']}/", "round-past"),
            Page("reviews:person_candidacies", f"/reviews/people/{i['person']}/", "candidacies"),
            Page("councils:council_list", "/councils/", "councils"),
            Page("councils:council_detail", f"/councils/{i['council']}/", "council"),
            Page("councils:council_create", "/councils/new/", "council-new"),
            Page("councils:council_edit", f"/councils/{i['council']}/edit/", "council-edit"),
            Page("councils:meeting_create", f"/councils/{i['council']}/meetings/new/", "meeting-new"),
            Page("councils:meeting_detail", f"/councils/meetings/{i['meeting_current']}/", "meeting-open"),
            Page("councils:meeting_detail", f"/councils/meetings/{i['meeting_past']}/", "meeting-closed"),
            Page("councils:meeting_detail", f"/councils/meetings/{i['meeting_extra']}/", "meeting-paper"),
            Page("councils:meeting_edit", f"/councils/meetings/{i['meeting_extra']}/edit/", "meeting-edit"),
            Page("councils:ballot_tallies", f"/councils/ballots/{i['ballot_paper']}/tallies/", "tallies"),
            Page("awards:decision_detail", f"/awards/decisions/{i['decision_draft']}/", "decision-draft"),
            Page("dossiers:list", "/dossiers/", "dossiers"),
            Page("dossiers:detail", f"/dossiers/{i['dossier']}/", "dossier"),
            Page("dossiers:report", f"/dossiers/nominations/{i['nomination']}/report/", "report"),
        ],
        "thutruong": [
            Page("movements:approval_list", "/movements/registrations/pending/", "approvals"),
            Page("awards:decision_detail", f"/awards/decisions/{i['decision_draft']}/", "decision-sign"),
            Page("awards:decision_detail", f"/awards/decisions/{i['decision']}/", "decision-issued"),
            Page("awards:decision_signed", f"/awards/decisions/{i['decision']}/signed/", "decision-signed"),
            Page("dossiers:mine", "/dossiers/mine/", "dossiers-mine"),
            Page("reports:statistics", "/reports/statistics/", "statistics-unit", phone=True),
        ],
        "uyvien1": [
            Page("councils:my_ballots", "/councils/ballots/mine/", "my-ballots", phone=True),
            Page("councils:ballot_vote", f"/councils/ballots/{i['ballot_open']}/vote/", "vote", phone=True),
            Page(
                "councils:ballot_vote",
                f"/councils/ballots/{i['ballot_open']}/vote/",
                "vote-errors",
                then=_submit_empty_ballot,
            ),
            Page(
                "councils:ballot_vote",
                f"/councils/ballots/{i['ballot_open']}/vote/",
                "vote-confirm",
                then=_fill_ballot_and_submit,
                phone=True,
            ),
        ],
        "uyvien2": [  # has voted: the paper says so
            Page("councils:ballot_vote", f"/councils/ballots/{i['ballot_open']}/vote/", "vote-done"),
        ],
        "nhanvien": [
            Page("core:dashboard", "/", "dashboard", phone=True),
            Page("movements:my_registrations", "/movements/mine/", "my-registrations"),
            Page("reviews:mine", "/reviews/mine/", "my-candidacies"),
            Page("dossiers:mine", "/dossiers/mine/", "my-nominations"),
            Page("dossiers:report", f"/dossiers/nominations/{i['own_nomination']}/report/", "my-report"),
            Page("org:person_detail", f"/org/people/{i['own_person']}/", "own-record"),
            Page("org:person_timeline", f"/org/people/{i['own_person']}/timeline/", "own-timeline"),
            Page("", "/audit/", "403", status=403),
        ],
    }


# ------------------------------------------------------------------------------------------ the checks


def _font_step(page, which: str) -> str:
    """Press the header's font-size buttons: A+ until the size stops growing ("largest"), or A
    ("normal"). Returns the root font size, e.g. "24px"."""
    size = lambda: page.evaluate("getComputedStyle(document.documentElement).fontSize")  # noqa: E731
    if which == "normal":
        page.locator("[data-font-step='0']").click()
        return size()
    before = None
    while before != size():
        before = size()
        page.locator("[data-font-step='1']").click()
    return size()


def _header_fits(page) -> str | None:
    return page.evaluate(
        """() => {
          const h = document.querySelector('header');
          const over = [...h.querySelectorAll('a, button, select')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1);
          }).map(e => e.textContent.trim() || e.outerHTML.slice(0, 60));
          if (h.scrollWidth > h.clientWidth + 1) over.push('header scrolls sideways');
          if (document.documentElement.scrollWidth > window.innerWidth + 1)
            over.push('page wider than the screen: ' + document.documentElement.scrollWidth + 'px');
          return over.length ? over.join('; ') : null;
        }"""
    )


def _login(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _visit(page, live_server, p: Page, where: str, shots, problems: list[str]) -> None:
    response = page.goto(live_server.url + p.path, wait_until="load")
    if response is None or response.status != p.status:
        problems.append(f"{where}: answered {response and response.status}, expected {p.status}")
        return
    if p.then is not None:
        p.then(page)
    violations = axe_violations(page)
    if violations:
        problems.append(format_violations(violations, f"{where} {page.url}"))
    overflow = _header_fits(page)
    if overflow:
        problems.append(f"{where} {page.url}: does not fit: {overflow}")
    page.screenshot(path=str(shots / f"{where.replace(' ', '-')}.png"), full_page=True)


def test_every_url_is_a_checked_page_or_a_listed_non_page(tree):
    from tests.e2e.world import World

    fake = World(tree=tree, users={}, ids=dict.fromkeys(_IDS, 1))
    visited = {p.name for pages in sessions(fake).values() for p in pages if p.name}
    names = _get_urls()
    assert {"core:dashboard", "councils:ballot_vote", "awards:decision_detail"} <= names  # the walk works
    assert "councils:ballot_close" not in names  # POST only
    missing = sorted(names - visited - set(NOT_PAGES))
    assert not missing, (
        "GET pages neither checked by axe nor listed in NOT_PAGES with a reason: " + ", ".join(missing)
    )
    assert not (set(NOT_PAGES) - names), f"NOT_PAGES names no GET URL has any more: {set(NOT_PAGES) - names}"
    assert not (visited - names), f"checked pages under names no GET URL has: {visited - names}"


_IDS = [
    "person", "collective", "own_person", "movement", "movement_draft", "run", "council", "round_past",
    "meeting_past", "ballot_closed", "decision", "round_current", "meeting_current", "ballot_open",
    "meeting_extra", "ballot_paper", "secretary", "decision_draft", "identity", "job", "dossier",
    "nomination", "own_nomination", "award", "award_revoked",
    "legacy_review", "legacy_report",
    "bloc", "cluster_year_past", "sheet_past", "cluster_year", "sheet", "sheet_other",
]  # fmt: skip


def test_every_page_passes_axe_at_the_normal_and_the_largest_font_step(
    live_server, screenshot_dir, tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(tree)
    assert sorted(world.ids) == sorted(_IDS)
    shots = screenshot_dir / "a11y"
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    counted = {"normal": 0, "largest": 0, "phone": 0}

    from tests.e2e.conftest import launch

    with launch() as browser:
        for username, pages in sessions(world).items():
            context = browser.new_context(locale="vi-VN", viewport=DESKTOP, **AXE_CONTEXT)
            if username:
                _login(context, live_server, world.users.get(username) or _user(username))
            page = context.new_page()
            who = username or "anonymous"
            for step in ("normal", "largest"):
                page.set_viewport_size(DESKTOP)
                page.goto(live_server.url + pages[0].path)
                size = _font_step(page, step)  # kept by the browser for the pages that follow
                assert size == ("16px" if step == "normal" else "24px"), f"{step} step is {size}"
                for p in pages:
                    _visit(page, live_server, p, f"{step} {who}-{p.slug}", shots, problems)
                    counted[step] += 1
                page.set_viewport_size(PHONE)
                for p in (p for p in pages if p.phone):
                    _visit(page, live_server, p, f"phone-{step} {who}-{p.slug}", shots, problems)
                    counted["phone"] += 1
            context.close()

    print(f"axe: {counted['normal']} pages at the normal step, {counted['largest']} at the largest, "
          f"{counted['phone']} on a 390 px screen")  # fmt: skip
    assert not problems, "\n\n".join(problems)


def _user(username):
    from tdkt.accounts.models import User

    return User.objects.get(username=username)


def test_the_font_steps_are_those_of_app_js():
    """The largest step the test presses its way to is the last of app.js's STEPS (150 % → 24px)."""
    from pathlib import Path

    import tdkt

    js = (Path(tdkt.__file__).parent / "static/tdkt/js/app.js").read_text()
    steps = [float(s) for s in re.search(r"STEPS = \[([^\]]+)\]", js).group(1).split(",")]
    assert max(steps) == 150 and 100 in steps


def test_the_header_fits_in_one_row_reflows_at_the_largest_step_and_works_from_the_keyboard(
    live_server, screenshot_dir, tree
):
    from tests.e2e.conftest import launch
    from tests.factories import make_user

    admin = make_user("admin", "admin", tree["root"])
    admin.full_name = "Nguyễn Thị Minh Phương"  # a user's name as long as they come: the header still fits
    admin.save(update_fields=["full_name"])
    with launch() as browser:
        context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
        _login(context, live_server, admin)
        page = context.new_page()
        page.goto(live_server.url + "/reviews/")
        rows = "Math.round(document.querySelector('header').getBoundingClientRect().height)"

        # 1366 px, normal step: brand, menu and tools on one row, nothing cut
        _font_step(page, "normal")
        assert page.evaluate(rows) < 70 and _header_fits(page) is None

        # the keyboard opens a group, walks into it and closes it again where it was
        toggle = page.locator("#nav-review")
        assert toggle.get_attribute("aria-current") == "true"  # the group of the page you are on
        toggle.focus()
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.textContent") == "Ứng viên"
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.id") == "nav-review"

        # the largest step: brand and tools on a row, the whole menu on the next; still nothing cut
        _font_step(page, "largest")
        height = page.evaluate(rows)
        assert 70 < height < 160 and _header_fits(page) is None, height
        page.screenshot(path=str(screenshot_dir / "a11y-header-largest.png"))

        # a phone: the menu folds behind a button that says whether it is open
        page.set_viewport_size(PHONE)
        toggler = page.locator(".navbar-toggler")
        assert toggler.get_attribute("aria-expanded") == "false" and _header_fits(page) is None
        toggler.focus()
        page.keyboard.press("Enter")
        page.locator("#mainnav.show").wait_for(state="visible")
        assert toggler.get_attribute("aria-expanded") == "true" and _header_fits(page) is None
        page.screenshot(path=str(screenshot_dir / "a11y-header-phone-open.png"), full_page=True)
        context.close()
