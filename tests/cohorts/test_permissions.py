"""Access to events and calendars beyond the URL gate (tests/test_url_gate.py): tokens and other cohorts."""

from __future__ import annotations

import pytest
from django.urls import reverse


def test_calendar_feed_is_reached_by_token_alone(client, world, events):
    response = client.get(reverse("cohorts:calendar-feed", args=[world.alice.calendar_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


@pytest.mark.parametrize("token", ["wrong", "", "x" * 64])
def test_calendar_feed_with_a_bad_token_is_404(client, world, events, token):
    url = reverse("cohorts:calendar-feed", args=["placeholder"]).replace("placeholder", token)
    assert client.get(url).status_code == 404


def test_other_cohorts_event_is_404_for_its_non_staff(world, login_as):
    from tests.factories import EventFactory

    other = EventFactory(cohort=world.other_cohort)
    for persona in ("alice", "facilitator"):
        client = login_as(persona)
        assert client.get(reverse("cohorts:event-detail", args=[other.pk])).status_code == 404
        assert client.get(reverse("cohorts:attendance-register", args=[other.pk])).status_code == 404
