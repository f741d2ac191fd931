"""The public programme page at the site root."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort
from tests.factories import CohortFactory, OrganisationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _programme_recruiting(n: int) -> None:
    today = timezone.localdate()
    programme = ProgrammeFactory(name=f"Programme {n}", slug=f"programme-{n}")
    programme.partners.add(OrganisationFactory(name=f"Partner {n}"))
    CohortFactory(
        programme=programme,
        name=f"Recruiting {n}",
        status=Cohort.Status.RECRUITING,
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=300),
        applications_open_on=today - timedelta(days=1),
        applications_close_on=today + timedelta(days=9),
    )
    CohortFactory(programme=programme, name=f"Running {n}")


@pytest.mark.parametrize("programmes", [1, 10])
def test_the_public_page_costs_the_same_for_1_or_10_programmes(client, django_assert_num_queries, programmes):
    for n in range(programmes):
        _programme_recruiting(n)
    # programmes, their partners, their open calls
    with django_assert_num_queries(3):
        content = client.get(reverse("home")).content.decode()
    assert content.count("Now recruiting:") == programmes
    assert "Running 0" not in content


def test_a_call_not_yet_open_is_not_offered(client):
    today = timezone.localdate()
    CohortFactory(
        name="Later",
        status=Cohort.Status.RECRUITING,
        applications_open_on=today + timedelta(days=3),
        applications_close_on=today + timedelta(days=30),
    )
    content = client.get(reverse("home")).content.decode()
    assert "Now recruiting" not in content
    assert "We are not recruiting right now." in content
