"""The main journeys work with a keyboard alone: Tab to each control, type, Space and Enter; never the mouse.

axe checks only part of WCAG; these walk what people do most (apply, log an activity, complete a step, take
attendance, review an output) the way a keyboard or switch user does, and check that what changed is
announced through the page's live region.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from cohorts.models import Application, Attendance, Cohort, Side
from outputs.models import Output
from pairs.models import Activity, StepProgress
from tests.factories import (
    PASSWORD,
    CohortFactory,
    EventFactory,
    OrganisationFactory,
    OutputFactory,
    ProgrammeFactory,
)

MAX_TABS = 80


def tab_to(page, target) -> None:
    """Press Tab until the target has focus, as a keyboard user would; fail if it never gets there."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} never received focus from the keyboard")


def test_a_member_logs_an_activity_with_the_keyboard(page, sign_in, world):
    sign_in(page, world.alice.email, PASSWORD)
    page.goto(f"/pairs/{world.pair.pk}/activities/")

    tab_to(page, page.get_by_role("link", name="Log an activity"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    tab_to(page, page.get_by_label("What kind of activity"))
    page.keyboard.type("Visit to a local")
    expect(page.get_by_label("Date")).to_have_value(timezone.localdate().isoformat())  # today, unless changed
    tab_to(page, page.get_by_label("Hours"))
    page.keyboard.type("3")
    tab_to(page, page.get_by_label("Place or organisation visited"))
    page.keyboard.type("Emmanuel House")
    tab_to(page, page.get_by_label("Alice Adkins (policymaker)"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Log activity"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text("Logged: Visit to a local service")
    activity = Activity.objects.get(pair=world.pair)
    assert (activity.place, activity.occurred_on) == ("Emmanuel House", timezone.localdate())


def test_a_form_with_errors_puts_focus_on_the_first_field_in_error(page, sign_in, world):
    sign_in(page, world.alice.email, PASSWORD)
    page.goto(f"/pairs/{world.pair.pk}/activities/new/")

    tab_to(page, page.get_by_role("button", name="Log activity"))
    page.keyboard.press("Enter")

    kind = page.get_by_label("What kind of activity")
    expect(kind).to_be_focused()
    described_by = kind.get_attribute("aria-describedby") or ""
    assert described_by, "the error is not tied to its field"
    expect(page.locator(f"#{described_by.split()[0]}")).to_contain_text("Choose what kind of activity")


def test_a_member_completes_a_step_with_the_keyboard_and_hears_it_saved(page, sign_in, world):
    sign_in(page, world.alice.email, PASSWORD)
    page.goto(f"/pairs/{world.pair.pk}/")

    tab_to(page, page.locator("#step-1 summary", has_text="Update step 1"))
    page.keyboard.press("Enter")
    tab_to(page, page.locator('#step-1 select[name="step1-status"]'))
    page.keyboard.type("Done")
    tab_to(page, page.locator("#step-1").get_by_label("Summary of what you found"))
    page.keyboard.type("Hospital discharge letters reach nobody who can act on them.")
    tab_to(page, page.get_by_role("button", name="Save step 1"))
    page.keyboard.press("Enter")

    expect(page.locator("#live-status")).not_to_be_empty()
    expect(page.locator("#step-1")).to_contain_text("Hospital discharge letters reach nobody")
    progress = StepProgress.objects.get(pair=world.pair, step=1)
    assert progress.status == StepProgress.Status.DONE


def test_a_facilitator_takes_attendance_with_the_keyboard_and_hears_each_tick(page, sign_in, world):
    event = EventFactory(cohort=world.cohort)
    sign_in(page, world.facilitator.email, PASSWORD)
    page.goto(f"/cohorts/events/{event.pk}/attendance/")

    tab_to(page, page.get_by_label("Alice Adkins"))
    page.keyboard.press("Space")

    expect(page.locator("#live-status")).to_contain_text("Alice Adkins")
    expect(page.locator(f"#register-row-{world.alice_membership.pk}")).to_contain_text("Attended")
    assert Attendance.objects.get(event=event, membership=world.alice_membership).status == "attended"


def test_a_facilitator_publishes_an_output_after_confirming_in_a_dialog(page, sign_in, world):
    output = OutputFactory(
        pair=world.pair,
        title="Hospital discharge",
        summary="What we found.",
        status=Output.Status.IN_REVIEW,
        visibility=Output.Visibility.PUBLIC,
    )
    sign_in(page, world.facilitator.email, PASSWORD)
    page.goto(f"/outputs/{output.pk}/")

    tab_to(page, page.get_by_role("button", name="Publish"))
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Are you sure?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Anyone will be able to read it")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    output.refresh_from_db()
    assert output.status == Output.Status.IN_REVIEW

    page.keyboard.press("Enter")  # focus went back to Publish
    expect(dialog).to_be_visible()
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Publish")).to_be_focused()
    page.keyboard.press("Enter")

    # The page after the redirect says so; only then has the request that publishes finished.
    # Publishing notifies the pair through the task backend first, which on a busy CI machine takes seconds.
    expect(page.get_by_text("Published “Hospital discharge” to the public library.")).to_be_visible(timeout=30_000)
    output.refresh_from_db()
    assert output.status == Output.Status.PUBLISHED


def test_a_visitor_applies_with_the_keyboard(page):
    today = timezone.localdate()
    programme = ProgrammeFactory(name="Connecting Policy with Practice", description="Learning pairs.")
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
    OrganisationFactory(name="Shelter")
    page.goto("/")

    tab_to(page, page.get_by_role("link", name="Apply to 2015-16"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    # Sent empty: focus lands on the first field in error, with its message tied to it.
    tab_to(page, page.get_by_role("button", name="Send my application"))
    page.keyboard.press("Enter")
    full_name = page.get_by_label("Your full name")
    expect(full_name).to_be_focused()
    described_by = full_name.get_attribute("aria-describedby") or ""
    assert described_by, "the error is not tied to its field"
    page.keyboard.type("Priya Patel")
    tab_to(page, page.get_by_label("Your email address"))
    page.keyboard.type("priya@example.org")
    tab_to(page, page.get_by_label("Your organisation", exact=True))
    page.keyboard.type("Shelter")  # a closed select chooses the option typed
    tab_to(page, page.get_by_label(re.compile("a policymaker")))
    page.keyboard.press("ArrowDown")  # arrows move the choice within a group of radio buttons
    expect(page.get_by_label(re.compile("a practitioner"))).to_be_checked()
    tab_to(page, page.get_by_label("Your job title"))
    page.keyboard.type("Support worker")
    tab_to(page, page.get_by_label("What do you want to get out of the programme?"))
    page.keyboard.type("To see how policy is made.")
    tab_to(page, page.get_by_label("Which disconnect have you seen?"))
    page.keyboard.type("Rules written for one service at a time.")
    tab_to(page, page.get_by_role("button", name="Send my application"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Thank you: we have your application")).to_be_visible()
    application = Application.objects.get(email="priya@example.org", cohort=cohort)
    assert (application.full_name, application.side) == ("Priya Patel", Side.PRACTITIONER)
    assert application.organisation is not None and application.organisation.name == "Shelter"
