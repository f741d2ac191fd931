"""A participant's journey: sign in, complete the first refining step in the workspace, see the dashboard move on."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from cohorts.models import Side
from tests.factories import PASSWORD, CohortFactory, MembershipFactory, make_pair


def test_member_completes_step_one_and_the_dashboard_moves_to_step_two(page, sign_in):
    cohort = CohortFactory(name="2014-15")
    alice = MembershipFactory(
        cohort=cohort, side=Side.POLICYMAKER, user__email="alice@example.org", user__full_name="Alice Adkins"
    )
    bob = MembershipFactory(cohort=cohort, side=Side.PRACTITIONER, user__full_name="Bob Bradley")
    pair = make_pair(cohort, policymaker=alice, practitioner=bob)

    sign_in(page, "alice@example.org", PASSWORD)
    expect(page).to_have_url(re.compile("/dashboard/$"))
    expect(page.get_by_text("1. Identify")).to_be_visible()
    expect(page.get_by_text("Bob Bradley")).to_be_visible()

    page.get_by_role("link", name="Open our workspace").click()
    expect(page).to_have_url(re.compile(f"/pairs/{pair.pk}/$"))
    step_one = page.locator("#step-1")
    step_one.get_by_text("Update step 1").click()
    step_one.get_by_label("Status").select_option("done")
    step_one.get_by_label("Summary of what you found").fill("Referrals bounce between services that never meet.")
    step_one.get_by_role("button", name="Save step 1").click()

    # htmx swaps the step in place: the saved message and the summary appear without leaving the page.
    step_one = page.locator("#step-1")
    expect(step_one.get_by_role("status")).to_have_text("Step 1 (Identify) saved: done.")
    expect(step_one).to_contain_text("Referrals bounce between services that never meet.")
    expect(step_one).to_contain_text("Completed by Alice Adkins")
    expect(page).to_have_url(re.compile(f"/pairs/{pair.pk}/$"))

    page.get_by_role("link", name="My dashboard").click()
    expect(page.get_by_text("2. Understand")).to_be_visible()
