"""The public programme page and the application form meet WCAG 2.2 AA as axe checks it, also with errors shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cohorts.models import Cohort
from tests.factories import CohortFactory, OrganisationFactory, PolicyAreaFactory, ProgrammeFactory

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


@pytest.fixture
def recruiting(transactional_db) -> Cohort:
    today = timezone.localdate()
    programme = ProgrammeFactory(name="Connecting Policy with Practice", description="Learning pairs.")
    programme.partners.add(OrganisationFactory(name="Institute for Government"))
    PolicyAreaFactory(name="Homelessness")
    return CohortFactory(
        programme=programme,
        name="2015-16",
        status=Cohort.Status.RECRUITING,
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=400),
        applications_open_on=today - timedelta(days=5),
        applications_close_on=today + timedelta(days=25),
        application_questions="Which disconnect have you seen?",
    )


def test_public_page_and_application_form_have_no_axe_violations(page, recruiting):
    page.goto("/")
    assert _violations(page) == []
    page.goto(f"/cohorts/{recruiting.pk}/apply/")
    assert _violations(page) == []
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() > 0
    assert _violations(page) == []
