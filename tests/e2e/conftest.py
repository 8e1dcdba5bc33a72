"""Browser tests: Playwright for Python driving Debian's chromium (never a downloaded browser)."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TDKT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = Path(os.environ.get("TDKT_SCREENSHOT_DIR", "test-artifacts/screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def launch():
    """Debian's chromium under Playwright, with the flags above; yields the browser."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page():
    with launch() as browser:
        context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        yield page
        context.close()
