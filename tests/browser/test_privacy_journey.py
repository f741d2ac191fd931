"""Privacy journeys: a member downloads their data as a ZIP; staff read private notes only with a reason."""

from __future__ import annotations

import json
import zipfile

from playwright.sync_api import expect

from cohorts.models import Side
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    CohortFactory,
    MembershipFactory,
    OutputFactory,
    UserFactory,
    make_pair,
)
from tests.outputs.conftest import TINY_PDF, upload


def test_a_member_downloads_their_data_as_a_zip(page, sign_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cohort = CohortFactory(name="2014-15")
    alice = MembershipFactory(
        cohort=cohort, side=Side.POLICYMAKER, user__email="alice@example.org", user__full_name="Alice Adkins"
    )
    bob = MembershipFactory(cohort=cohort, side=Side.PRACTITIONER, user__email="bob@example.org")
    pair = make_pair(cohort, policymaker=alice, practitioner=bob)
    ActivityFactory(pair=pair, attendees=[alice], private_notes="Candid about funding.", logged_by=alice.user)
    output = OutputFactory(pair=pair, title="Our guide", file=upload("guide.pdf", TINY_PDF))

    sign_in(page, "alice@example.org", PASSWORD)
    page.goto("/account/")
    page.get_by_role("link", name="Your data and privacy").click()
    expect(page.get_by_role("heading", name="Your data and privacy")).to_be_visible()
    expect(page.get_by_role("heading", name="What we hold about you")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your data (ZIP)").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"pairwise-data-{alice.user.pk}-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    with zipfile.ZipFile(saved) as archive:
        account = json.loads(archive.read("data/account.json"))
        activities = json.loads(archive.read("data/activities.json"))
        files = [name for name in archive.namelist() if name.startswith("files/")]
        assert archive.read(files[0]).startswith(b"%PDF")
    assert account[0]["email"] == "alice@example.org" and "password" not in account[0]
    assert activities[0]["private_notes"] == "Candid about funding."
    assert files == [f"files/outputs/{output.pk}-{(output.file.name or '').rsplit('/', 1)[-1]}"]


def test_a_facilitator_gives_a_reason_to_read_the_notes_and_the_pair_sees_it(page, browser, live_server, sign_in):
    cohort = CohortFactory(name="2014-15")
    alice = MembershipFactory(
        cohort=cohort, side=Side.POLICYMAKER, user__email="alice@example.org", user__full_name="Alice Adkins"
    )
    bob = MembershipFactory(cohort=cohort, side=Side.PRACTITIONER, user__email="bob@example.org")
    facilitator = UserFactory(email="fran@example.org", full_name="Fran Facilitator")
    cohort.facilitators.add(facilitator)
    pair = make_pair(cohort, policymaker=alice, practitioner=bob)
    ActivityFactory(pair=pair, attendees=[alice], private_notes="Candid about funding.", logged_by=alice.user)

    sign_in(page, "fran@example.org", PASSWORD)
    page.goto(f"/pairs/{pair.pk}/activities/")
    expect(page.get_by_text("Candid about funding.")).to_have_count(0)
    page.get_by_role("link", name="Read private notes (give a reason)").click()
    page.get_by_role("button", name="Log my reason and read the notes").click()
    expect(page.get_by_text("Say why you need to read")).to_be_visible()  # no reason, no notes
    page.get_by_label("Why do you need to read them?").fill("Bob asked me to help with a disagreement.")
    page.get_by_role("button", name="Log my reason and read the notes").click()
    expect(page.get_by_text("Candid about funding.")).to_be_visible()

    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    try:
        alice_page = context.new_page()
        sign_in(alice_page, "alice@example.org", PASSWORD)
        alice_page.goto(f"/pairs/{pair.pk}/activities/")
        alice_page.get_by_role("link", name="Who has read our private notes").click()
        expect(alice_page.get_by_text("Fran Facilitator")).to_be_visible()
        expect(alice_page.get_by_text("Bob asked me to help with a disagreement.")).to_be_visible()
    finally:
        context.close()
