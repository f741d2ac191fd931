"""Screenshots of the main pages (the ten a newcomer should see, and the public programme page and application form), at a desktop and a phone width, for docs/screenshots/ and the README.

Regenerate with `make screenshots` (PAIRWISE_SCREENSHOTS=1): it loads the demo, signs in as each role and
writes the PNGs, reduced to a 128-colour palette so the repository stays small. Otherwise this skips.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page

from cohorts.models import Cohort, Event
from demo.loading import DEMO_PASSWORD, demo_load
from outputs.models import Output

pytestmark = pytest.mark.skipif(
    os.environ.get("PAIRWISE_SCREENSHOTS", "") in {"", "0"},
    reason="screenshots are regenerated on request: set PAIRWISE_SCREENSHOTS=1 (or run `make screenshots`)",
)

SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PALETTE_COLOURS = 128


def _save_small(path: Path, png: bytes) -> None:
    path.write_bytes(png)
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=PALETTE_COLOURS).save(path, optimize=True)


def test_screenshots_of_the_main_pages(browser, live_server, transactional_db):
    demo = demo_load()
    cohort = demo.year2
    pair = demo.pairs[6]
    event = Event.objects.filter(cohort=cohort, starts_at__lt=timezone.now()).order_by("-starts_at").first()
    in_review = Output.objects.filter(pair__cohort=cohort, status=Output.Status.IN_REVIEW).first()
    published = Output.objects.public().order_by("-published_at").first()
    recruiting = Cohort.objects.filter(status=Cohort.Status.RECRUITING).first()
    assert event is not None and in_review is not None and published is not None, "the demo has changed"
    assert recruiting is not None, "the demo has no cohort recruiting"
    pages = [
        ("01-library", None, "/library/"),
        ("02-library-output", None, f"/library/{published.pk}/"),
        ("03-member-dashboard", "policymaker@pairwise.test", "/dashboard/"),
        ("04-pair-workspace", "policymaker@pairwise.test", f"/pairs/{pair.pk}/"),
        ("05-activity-log", "policymaker@pairwise.test", f"/pairs/{pair.pk}/activities/"),
        ("06-cohort-overview", "facilitator@pairwise.test", f"/facilitate/cohorts/{cohort.pk}/"),
        ("07-attendance-register", "facilitator@pairwise.test", f"/cohorts/events/{event.pk}/attendance/"),
        ("08-output-review", "facilitator@pairwise.test", f"/outputs/{in_review.pk}/"),
        ("09-year-end-report", "facilitator@pairwise.test", f"/outputs/cohorts/{cohort.pk}/report/"),
        ("10-admin", "manager@pairwise.test", "/admin/"),
        ("11-programme-page", None, "/"),
        ("12-application-form", None, f"/cohorts/{recruiting.pk}/apply/"),
    ]
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    for width_name, viewport in WIDTHS.items():
        signed_in_as: dict[str | None, Page] = {}
        for name, email, path in pages:
            if email not in signed_in_as:
                context = browser.new_context(
                    base_url=live_server.url, viewport=viewport, locale="en-GB", timezone_id="Europe/London"
                )
                page = context.new_page()
                if email:
                    page.goto("/accounts/login/")
                    page.fill('input[name="username"]', email)
                    page.fill('input[name="password"]', DEMO_PASSWORD)
                    page.locator('form:has(input[name="password"]) [type="submit"]').click()
                    page.wait_for_load_state()
                signed_in_as[email] = page
            page = signed_in_as[email]
            response = page.goto(path)
            assert response is not None and response.status == 200, f"{path}: {response and response.status}"
            _save_small(SCREENSHOTS_DIR / f"{name}-{width_name}.png", page.screenshot())
        for page in signed_in_as.values():
            page.context.close()
    assert len(list(SCREENSHOTS_DIR.glob("*.png"))) >= 2 * len(pages)
