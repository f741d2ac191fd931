"""Playwright harness: Debian's Chromium driving pytest-django's live server.

Playwright cannot download its own browsers here, so the system Chromium is launched through
`executable_path`: PAIRWISE_CHROMIUM, else /usr/bin/chromium, else `chromium` on the PATH. Without
one the browser tests skip, unless PAIRWISE_REQUIRE_BROWSER=1 (as in CI), which makes them fail.

Every test under tests/browser is marked `browser`, so `pytest -m browser` runs just these.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in this thread for the whole session, and
# Django refuses ORM calls from a thread with a running loop unless told this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = BROWSER_DIR.parent.parent / "test-results"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000

SignIn = Callable[..., None]


def find_chromium() -> str | None:
    candidates = [os.environ.get("PAIRWISE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def browser_required() -> bool:
    return os.environ.get("PAIRWISE_REQUIRE_BROWSER", "") not in {"", "0", "false", "no"}


def skip_or_fail(reason: str) -> None:
    if browser_required():
        pytest.fail(f"{reason} (PAIRWISE_REQUIRE_BROWSER is set, so this is a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Runs before `-m` deselection, so `-m browser` and `-m "not browser"` see the mark.
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keep each phase's report on the item so `page` can save a screenshot when a test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = find_chromium()
    if executable is None:
        skip_or_fail("no Chromium found: set PAIRWISE_CHROMIUM or install Debian's chromium package")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is not installed (pip install -r requirements-dev.txt)")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), full_page=True)
    context.close()


def _sign_in(page, email: str, password: str) -> None:
    """Sign in through the real login form and fail with the page's own message if refused."""
    page.goto("/accounts/login/")
    page.fill('input[name="username"]', email)
    page.fill('input[name="password"]', password)
    page.locator('form:has(input[name="password"]) [type="submit"]').click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        errors = page.locator(".alert, .invalid-feedback, .errorlist").all_inner_texts()
        pytest.fail(f"sign-in as {email} was refused: {' '.join(errors) or 'still on the login page'}")


@pytest.fixture
def sign_in() -> SignIn:
    """`sign_in(page, email, password)`: sign in through the login form."""
    return _sign_in
