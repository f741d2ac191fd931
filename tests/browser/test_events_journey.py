"""On the day of a workshop a facilitator ticks the register and records an insight; the participant
then sees the workshop as attended and their commitment days grow."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from cohorts.models import Event, Side
from cohorts.services import event_create
from programme.models import SectorCode
from tests.factories import PASSWORD, CohortFactory, MembershipFactory, UserFactory, make_pair


def test_facilitator_marks_attendance_and_the_participant_sees_their_days_grow(page, sign_in):
    cohort = CohortFactory(name="2014-15", number=2)
    facilitator = UserFactory(email="facilitator@example.org", full_name="Fran Facilitator")
    cohort.facilitators.add(facilitator)
    alice = MembershipFactory(
        cohort=cohort,
        side=Side.POLICYMAKER,
        user__email="alice@example.org",
        user__full_name="Alice Adkins",
        user__organisation__sector=SectorCode.CENTRAL_GOVERNMENT,
    )
    bob = MembershipFactory(cohort=cohort, side=Side.PRACTITIONER, user__full_name="Bob Bradley")
    make_pair(cohort, policymaker=alice, practitioner=bob)
    now = timezone.now()
    workshop = event_create(
        cohort=cohort,
        by=facilitator,
        kind=Event.Kind.WORKSHOP,
        title="Workshop on engaging service users",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=5),
        length_days=Decimal("1"),
    )

    sign_in(page, "alice@example.org", PASSWORD)
    page.goto("/dashboard/")
    days = page.locator("section[aria-labelledby='commitment-heading'] strong").first
    expect(days).to_have_text("0.0")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "facilitator@example.org", PASSWORD)
    page.goto(f"/cohorts/events/{workshop.pk}/")
    page.get_by_role("link", name="Attendance register").click()
    row = page.locator(f"#register-row-{alice.pk}")
    row.get_by_role("checkbox").check()
    # The row comes back from the server (htmx) showing the saved status.
    expect(row.locator(".badge")).to_have_text("Attended")
    expect(page.locator(f"#register-row-{bob.pk} .badge")).not_to_have_text("Attended")

    page.goto(f"/cohorts/events/{workshop.pk}/")
    page.get_by_role("link", name="Record an insight").click()
    page.get_by_label("Insight or quote").fill("Service users' voices should be heard undiluted.")
    page.get_by_label("Said by a member").select_option(label="Alice Adkins (policymaker)")
    page.get_by_role("button", name="Save insight", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Insight recorded")
    expect(page.locator("blockquote").first).to_contain_text("Y2 policymaker, Workshop 1")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "alice@example.org", PASSWORD)
    page.goto(f"/cohorts/events/{workshop.pk}/")
    expect(page.locator(f"#event-reply-{workshop.pk}")).to_contain_text("Attended")
    page.goto("/dashboard/")
    expect(days).to_have_text("1.0")
