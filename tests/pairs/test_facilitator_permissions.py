"""The facilitator's pages beyond the URL gate (tests/test_url_gate.py): whose cohorts they list."""

from __future__ import annotations

from django.urls import reverse


def test_facilitator_home_lists_only_their_cohorts_and_links_to_the_overview(world, login_as):
    response = login_as("facilitator").get(reverse("pairs:facilitator-home"))
    assert reverse("pairs:cohort-overview", args=[world.cohort.pk]) in response.text
    assert reverse("pairs:cohort-overview", args=[world.other_cohort.pk]) not in response.text
