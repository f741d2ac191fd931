"""A facilitator's week: spot a stalled pair, handle a withdrawal, re-pair the partner, accept suggestions."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Response, expect

from cohorts.models import Membership, Side
from pairs.models import PairMember
from tests.factories import PASSWORD, ActivityFactory, MembershipFactory


def test_facilitator_handles_a_stalled_pair_a_withdrawal_and_new_members(page, sign_in, world):
    today = timezone.localdate()
    ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=30))
    ActivityFactory(pair=world.other_pair, occurred_on=today - timedelta(days=2))
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:  # reported below, by URL
            problems.append(f"console: {message.text}")

    def on_response(response: Response) -> None:
        if response.status >= 400 and "favicon" not in response.url:
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    # Script errors (a CSP violation among them), and failed loads of the app's files (not the favicon).
    page.on("response", on_response)

    sign_in(page, world.facilitator.email, PASSWORD)
    page.goto("/facilitate/")
    page.get_by_role("link", name=re.compile(str(world.cohort))).click()

    # The stalled pair is flagged with its reason.
    at_risk = page.locator(".at-risk-pair", has_text="Pair 1")
    expect(at_risk).to_contain_text("No activity for 30 days")
    expect(page.locator(".at-risk-pair", has_text="Pair 2")).to_have_count(0)
    # The chart scripts close the page, so they may still be loading when the list above is shown.
    # (wait_for_function would evaluate a string, which the page's CSP refuses: wait for the load event.)
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.Chart === 'function'")

    # Alice withdraws, from the members page the overview links to.
    members_page = page.locator("#cohort-pages").get_by_role("link", name="Members")
    members_page.click()
    page.locator('#member-table tr[data-member="Alice Adkins"]').get_by_role("link", name="Withdraw").click()
    page.get_by_label("Reason").fill("Moved to a new post")
    page.get_by_role("button", name="Record withdrawal").click()
    expect(page.locator(".alert-success")).to_contain_text("Alice Adkins withdrew")
    expect(page.locator(".at-risk-pair", has_text="Pair 1")).to_contain_text("Alice Adkins withdrew")

    # Her partner Bob moves into pair 2, making a trio.
    members_page.click()
    page.locator('#member-table tr[data-member="Bob Bradley"]').get_by_role("link", name="Move").click()
    page.get_by_label("Move to").select_option(value=str(world.other_pair.pk))
    page.get_by_role("button", name="Move").click()
    expect(page.locator(".alert-success")).to_contain_text("Bob Bradley moved to pair 2")
    members_page.click()
    expect(page.locator("#member-history")).to_contain_text("Bob Bradley: pair 1 from")
    assert world.other_pair.members.current().count() == 3

    # Two new members arrive; the facilitator accepts the suggestion for them.
    newcomer_pm = MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER, user__full_name="Nia Newcomer")
    newcomer_pr = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER, user__full_name="Nat Newcomer")
    page.locator(".breadcrumb").get_by_role("link", name=str(world.cohort)).click()  # back to the overview
    page.get_by_role("link", name="Suggest pairs").first.click()
    expect(page.locator("#suggestions")).to_contain_text("Nia Newcomer")
    expect(page.locator("#suggestions")).to_contain_text("No shared interests")
    page.get_by_role("button", name="Form the ticked pairs").click()
    expect(page.locator(".alert-success")).to_contain_text("Formed 1 pair")
    new_seats = PairMember.objects.current().filter(membership__in=[newcomer_pm, newcomer_pr])
    assert new_seats.values("pair").distinct().count() == 1
    assert Membership.objects.get(pk=world.alice_membership.pk).status == Membership.Status.WITHDRAWN
    assert problems == []
