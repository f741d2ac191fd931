"""The year-end report's journey: a facilitator opens it from the cohort overview, writes the executive
summary, previews the report built from the cohort's data, prepares the PDF and downloads it."""

from __future__ import annotations

from playwright.sync_api import expect
from pypdf import PdfReader

from cohorts.models import Side
from tests.factories import (
    PASSWORD,
    CohortFactory,
    FindingFactory,
    MembershipFactory,
    QuestionFactory,
    UserFactory,
    make_pair,
)

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


def test_facilitator_writes_previews_and_downloads_the_report(page, sign_in):
    cohort = CohortFactory(name="2014-15", number=2)
    facilitator = UserFactory(email="facilitator@example.org", full_name="Fran Facilitator")
    cohort.facilitators.add(facilitator)
    alice = MembershipFactory(
        cohort=cohort, side=Side.POLICYMAKER, user__full_name="Alice Adkins", user__organisation__name="Cabinet Office"
    )
    bob = MembershipFactory(
        cohort=cohort, side=Side.PRACTITIONER, user__full_name="Bob Bradley", user__organisation__name="Shelter"
    )
    make_pair(cohort, policymaker=alice, practitioner=bob)
    question = QuestionFactory(cohort=cohort, short_title="Engaging service users", order=1)
    FindingFactory(question=question, order=1, title="Match your engagement methods to your aims")

    sign_in(page, "facilitator@example.org", PASSWORD)
    page.goto(f"/facilitate/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="Year-end report").click()
    expect(page.locator("#unwritten")).to_contain_text("Executive summary")

    page.get_by_role("link", name="Write the narrative").click()
    page.get_by_label("Executive summary").fill("Policymaking in Whitehall can seem **far removed**.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("link", name="Preview the report").click()

    summary = page.locator("#executive-summary")
    expect(summary.locator("strong", has_text="far removed")).to_be_visible()
    # The summary also lists each question's findings, in bold.
    expect(summary.locator("strong", has_text="Match your engagement methods to your aims")).to_be_visible()
    expect(page.locator("#question-1")).to_contain_text("Match your engagement methods to your aims")
    expect(page.locator("#annex-a table")).to_contain_text("Alice Adkins")
    # The PDF is built by a task (at once here: the immediate backend) and offered when ready.
    expect(page.locator("#export-pdf")).to_contain_text("not prepared yet")
    assert _violations(page) == []
    page.get_by_role("button", name="Prepare PDF").click()
    expect(page.locator("#export-pdf")).to_contain_text("ready")
    assert _violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = " ".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert "Policymaking in Whitehall can seem far removed." in " ".join(text.split())
    assert "[Introduction not yet written]" in text
