"""Getting people in, in a real browser: a visitor applies on the public page; a facilitator shortlists
and accepts; the invitation email's link sets a password; the new member signs in and sees the dashboard."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from cohorts.models import Application, Cohort
from notifications.models import OutboundMessage
from tests.factories import PASSWORD, CohortFactory, OrganisationFactory, ProgrammeFactory, UserFactory


def test_visitor_applies_is_accepted_sets_a_password_and_reaches_the_dashboard(page, sign_in):
    today = timezone.localdate()
    programme = ProgrammeFactory(
        name="Connecting Policy with Practice", description="Policymakers and practitioners learning in pairs."
    )
    cohort = CohortFactory(
        programme=programme,
        name="2015-16",
        status=Cohort.Status.RECRUITING,
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=400),
        applications_open_on=today - timedelta(days=5),
        applications_close_on=today + timedelta(days=25),
        application_questions="Which disconnect have you seen?",
    )
    facilitator = UserFactory(email="fran@example.org", full_name="Fran Facilitator")
    cohort.facilitators.add(facilitator)
    OrganisationFactory(name="Shelter")

    # A visitor finds the open call on the public page and applies.
    page.goto("/")
    expect(page.get_by_role("heading", name="Now recruiting: 2015-16")).to_be_visible()
    page.get_by_role("link", name="Apply to 2015-16").click()
    page.get_by_label("Your full name").fill("Priya Patel")
    page.get_by_label("Your email address").fill("priya@example.org")
    page.get_by_label("Your organisation", exact=True).select_option(label="Shelter")
    page.get_by_label("Voluntary and community sector").check()
    page.get_by_label(re.compile("a practitioner")).check()
    page.get_by_label("Your job title").fill("Support worker")
    page.get_by_label("What do you want to get out of the programme?").fill("To see how policy is made.")
    page.get_by_label("Which disconnect have you seen?").fill("Rules written for one service at a time.")
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("heading", name="Thank you: we have your application")).to_be_visible()
    application = Application.objects.get(email="priya@example.org")
    assert OutboundMessage.objects.filter(key=f"application:received:{application.pk}").exists()

    # The facilitator shortlists, then accepts, on the selection page.
    sign_in(page, "fran@example.org", PASSWORD)
    page.goto(f"/cohorts/{cohort.pk}/applications/")
    expect(page.get_by_text("0 of 0")).to_be_visible()
    page.get_by_role("link", name="Priya Patel").click()
    page.get_by_label("Reviewer notes").fill("Strong on housing.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_text("Your notes are saved.")).to_be_visible()
    page.get_by_role("button", name="Shortlist").click()
    expect(page.get_by_text("Priya Patel is on the shortlist.")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("dialog", name="Are you sure?").get_by_role("button", name="Accept").click()
    expect(page.get_by_text(re.compile("Priya Patel is accepted"))).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The invitation email's link sets a password.
    invitation = OutboundMessage.objects.get(key__startswith="invitation:")
    assert "2015-16" in invitation.body
    link = re.search(r"/account/welcome/\S+/", invitation.body).group(0)  # type: ignore[union-attr]
    page.goto(link)
    expect(page.get_by_role("heading", name="Welcome to Pairwise")).to_be_visible()
    page.locator("#id_new_password1").fill("a-long-new-password")
    page.get_by_label("New password confirmation").fill("a-long-new-password")
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_text(re.compile("Your password is set"))).to_be_visible()

    # The new member signs in and sees their dashboard.
    sign_in(page, "priya@example.org", "a-long-new-password")
    expect(page).to_have_url(re.compile("/dashboard/$"))
    expect(page.get_by_role("heading", name=re.compile("2015-16"))).to_be_visible()
    expect(page.get_by_text(re.compile("You take part as a practitioner"))).to_be_visible()

    # The link works once.
    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    expect(page.get_by_role("heading", name="This invitation link no longer works")).to_be_visible()
