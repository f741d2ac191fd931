"""A participant logs a visit through the activity log and sees it count towards their commitment."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from cohorts.models import Side
from programme.models import SectorCode
from tests.factories import PASSWORD, CohortFactory, MembershipFactory, make_pair


def test_participant_logs_a_visit_and_their_commitment_grows(page, sign_in):
    cohort = CohortFactory(name="2014-15", number=2)
    alice = MembershipFactory(
        cohort=cohort,
        side=Side.POLICYMAKER,
        user__email="alice@example.org",
        user__full_name="Alice Adkins",
        user__organisation__sector=SectorCode.CENTRAL_GOVERNMENT,
    )
    bob = MembershipFactory(cohort=cohort, side=Side.PRACTITIONER, user__full_name="Bob Bradley")
    pair = make_pair(cohort, policymaker=alice, practitioner=bob)

    sign_in(page, "alice@example.org", PASSWORD)
    page.goto(f"/pairs/{pair.pk}/activities/")
    commitment = page.locator(f"#commitment-{alice.pk} .commitment-days")
    expect(commitment).to_have_text("0.0")

    page.get_by_role("link", name="Log an activity").click()
    page.get_by_label("What kind of activity").select_option(label="Visit to a local service")
    page.get_by_label("Date").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    page.get_by_label("Hours").fill("7.5")
    page.get_by_label("Place or organisation visited").fill("Emmanuel House Day Centre")
    page.get_by_label("Alice Adkins (policymaker)").check()
    page.get_by_label("What we learned").fill("Referral routes overlap and confuse clients.")
    page.get_by_role("button", name="Log activity").click()

    expect(page.get_by_role("alert")).to_contain_text("Logged: Visit to a local service")
    expect(page.locator("article").first).to_contain_text("Emmanuel House Day Centre")
    expect(page.locator("article").first).to_contain_text("Referral routes overlap and confuse clients.")
    expect(commitment).to_have_text("1.0")
    expect(page.locator(f"#commitment-{bob.pk} .commitment-days")).to_have_text("0.0")
