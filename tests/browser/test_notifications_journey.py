"""Two people, two browsers: the practitioner completes a step and the policymaker hears of it; the
facilitator comments on a step and the pair reads the comment."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from cohorts.models import Side
from programme.models import SectorCode
from tests.factories import PASSWORD, CohortFactory, MembershipFactory, UserFactory, make_pair


def _second_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_a_completed_step_and_a_facilitators_comment_reach_the_other_people(page, browser, live_server, sign_in):
    cohort = CohortFactory(name="2014-15")
    policymaker = MembershipFactory(
        cohort=cohort,
        side=Side.POLICYMAKER,
        user__email="alice@example.org",
        user__full_name="Alice Adkins",
        user__organisation__sector=SectorCode.CENTRAL_GOVERNMENT,
    )
    practitioner = MembershipFactory(
        cohort=cohort, side=Side.PRACTITIONER, user__email="bob@example.org", user__full_name="Bob Bradley"
    )
    facilitator = UserFactory(email="fran@example.org", full_name="Fran Facilitator")
    cohort.facilitators.add(facilitator)
    pair = make_pair(cohort, policymaker=policymaker, practitioner=practitioner)

    # The practitioner, in the test's own browser context, completes step 1.
    sign_in(page, "bob@example.org", PASSWORD)
    page.goto(f"/pairs/{pair.pk}/")
    step_one = page.locator("#step-1")
    step_one.get_by_text("Update step 1").click()
    step_one.get_by_label("Status").select_option("done")
    step_one.get_by_label("Summary of what you found").fill("Referrals bounce between services that never meet.")
    step_one.get_by_role("button", name="Save step 1").click()
    expect(page.locator("#step-1").get_by_role("status")).to_have_text("Step 1 (Identify) saved: done.")

    # The policymaker, in a second context, sees the bell's count, the notification and the change.
    alice_context, alice = _second_page(browser, live_server)
    try:
        sign_in(alice, "alice@example.org", PASSWORD)
        # Three unread: she and Bob were paired (two), and Bob completed step 1.
        bell = alice.get_by_role("link", name=re.compile(r"^Notifications 3$"))
        expect(bell).to_be_visible()
        bell.click()
        notification = alice.locator(".notification.unread", has_text="completed step 1")
        expect(notification).to_contain_text("Bob Bradley completed step 1 (Identify) of pair")
        notification.get_by_role("button", name=re.compile("^Open")).click()
        expect(alice).to_have_url(re.compile(f"/pairs/{pair.pk}/#step-1$"))
        expect(alice.locator("#step-1")).to_contain_text("Referrals bounce between services that never meet.")
        expect(alice.get_by_role("link", name=re.compile(r"^Notifications 2$"))).to_be_visible()  # one read

        # The facilitator, in a third context, comments on step 1.
        fran_context, fran = _second_page(browser, live_server)
        try:
            sign_in(fran, "fran@example.org", PASSWORD)
            fran.goto(f"/pairs/{pair.pk}/")
            fran_step = fran.locator("#step-1")
            fran_step.get_by_text("Comment on step 1").click()
            fran_step.get_by_label("Your comment (Markdown)").fill("Have you asked **service users** why?")
            fran_step.get_by_role("button", name="Post comment").click()
            expect(fran.locator("#step-1 .step-comment")).to_contain_text("Have you asked service users why?")
        finally:
            fran_context.close()

        # Both members of the pair see the comment.
        alice.goto(f"/pairs/{pair.pk}/")
        expect(alice.locator("#step-1 .step-comment strong")).to_have_text("service users")
        page.goto("/notifications/")
        expect(page.locator(".notification.unread").first).to_contain_text("Fran Facilitator (facilitator) commented")
        page.goto(f"/pairs/{pair.pk}/")
        expect(page.locator("#step-1 .step-comment")).to_contain_text("Have you asked service users why?")
    finally:
        alice_context.close()
