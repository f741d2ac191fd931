"""An output's journey: a participant writes it with a PDF and submits it, the facilitator publishes it,
and a visitor who is not signed in finds it in the public library and its feed."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from cohorts.models import Side
from outputs.models import Output
from tests.factories import PASSWORD, CohortFactory, MembershipFactory, UserFactory, make_pair
from tests.outputs.conftest import TINY_PDF


def test_participant_output_is_published_and_found_in_the_library(page, sign_in):
    cohort = CohortFactory(name="2014-15")
    alice = MembershipFactory(
        cohort=cohort, side=Side.POLICYMAKER, user__email="alice@example.org", user__full_name="Alice Adkins"
    )
    bob = MembershipFactory(cohort=cohort, side=Side.PRACTITIONER, user__full_name="Bob Bradley")
    make_pair(cohort, policymaker=alice, practitioner=bob)
    facilitator = UserFactory(email="facilitator@example.org", full_name="Fran Facilitator")
    cohort.facilitators.add(facilitator)

    sign_in(page, "alice@example.org", PASSWORD)
    page.get_by_role("link", name="Outputs", exact=True).click()
    page.get_by_role("link", name="Add an output").click()
    page.get_by_label("What kind of output").select_option("case_study")
    page.get_by_label("Title").fill("Joining up hospital discharge")
    page.get_by_label("Summary").fill("How a day centre and a ward agreed a shared discharge checklist.")
    page.get_by_label("The output itself").fill("## What we did\n\nWe shadowed each other for a day.")
    page.set_input_files(
        'input[name="file"]', files=[{"name": "checklist.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}]
    )
    page.get_by_label("Everyone (public library)").check()
    page.get_by_role("button", name="Save output").click()

    expect(page.get_by_role("heading", name="Joining up hospital discharge")).to_be_visible()
    expect(page.get_by_role("link", name="Download the file")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review")).to_be_visible()
    output = Output.objects.get()
    assert output.status == Output.Status.IN_REVIEW
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "facilitator@example.org", PASSWORD)
    page.goto(f"/outputs/cohorts/{cohort.pk}/?status=in_review")
    page.get_by_role("link", name="Joining up hospital discharge").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("dialog", name="Are you sure?").get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published “Joining up hospital discharge” to the public library.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    page.goto("/library/")
    page.get_by_role("textbox", name="Search").fill("checklist")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/library/\?.*q=checklist"))
    result = page.locator(".library-output")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("Joining up hospital discharge")
    expect(result).to_contain_text("Alice Adkins")
    result.get_by_role("link", name="Joining up hospital discharge").click()
    expect(page.get_by_role("heading", name="Joining up hospital discharge")).to_be_visible()

    feed = page.request.get("/library/feed/")
    assert feed.ok
    assert "<title>Joining up hospital discharge</title>" in feed.text()
