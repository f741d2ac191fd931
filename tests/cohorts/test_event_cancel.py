"""Changing or cancelling an event: calendars get the same UID with a higher SEQUENCE (and STATUS:CANCELLED),
replies and the register close, and only cohort staff may cancel."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Event
from cohorts.services import (
    EVENT_ALREADY_CANCELLED,
    EVENT_CANCELLED,
    attendance_mark,
    attendance_reply,
    event_cancel,
    event_create,
    event_update,
)


def _event(world) -> Event:
    start = timezone.now() + timedelta(days=14)
    return event_create(cohort=world.cohort, title="Workshop 5", starts_at=start, ends_at=start + timedelta(hours=6))


def _vevent(content: bytes, uid: str) -> dict[str, str]:
    """The event with this UID, its properties as text."""
    calendar = icalendar.Calendar.from_ical(content)
    [vevent] = [c for c in calendar.walk("VEVENT") if str(c["UID"]) == uid]
    return {name: str(value.to_ical().decode()) for name, value in vevent.items() if hasattr(value, "to_ical")}


def test_a_changed_event_keeps_its_uid_with_a_higher_sequence(world, login_as):
    event = _event(world)
    client = login_as("alice")
    before = _vevent(client.get(reverse("cohorts:event-ics", args=[event.pk])).content, f"event-{event.pk}@pairwise")
    event_update(event=event, place="Birmingham")
    after = _vevent(client.get(reverse("cohorts:event-ics", args=[event.pk])).content, f"event-{event.pk}@pairwise")
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(after["LOCATION"]) == "Birmingham"
    assert str(after["STATUS"]) == "CONFIRMED"


def test_saving_an_event_unchanged_does_not_bump_its_sequence(world):
    event = _event(world)
    assert event_update(event=event, title=event.title).sequence == event.sequence


def test_a_cancelled_event_is_cancelled_in_the_personal_feed_under_the_same_uid(world, client):
    event = _event(world)
    feed_url = reverse("cohorts:calendar-feed", args=[world.alice.calendar_token])
    before = _vevent(client.get(feed_url).content, f"event-{event.pk}@pairwise")
    event_cancel(event=event, reason="Venue closed")
    after = _vevent(client.get(feed_url).content, f"event-{event.pk}@pairwise")
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_a_cancelled_event_takes_no_replies_and_no_register(world):
    event = _event(world)
    event_cancel(event=event)
    with pytest.raises(ValidationError, match=EVENT_CANCELLED):
        attendance_reply(event=event, membership=world.alice_membership, status=Attendance.Status.ACCEPTED)
    with pytest.raises(ValidationError, match=EVENT_CANCELLED):
        attendance_mark(event=event, membership=world.alice_membership, attended=True, now=event.starts_at)


def test_a_cancelled_event_leaves_the_upcoming_list_and_the_reply_buttons(world, login_as):
    event = _event(world)
    event_cancel(event=event, reason="Venue closed")
    assert event not in Event.objects.upcoming(timezone.now())
    client = login_as("alice")
    page = client.get(reverse("cohorts:event-detail", args=[event.pk])).text
    assert "This event is cancelled" in page
    assert reverse("cohorts:event-reply", args=[event.pk]) not in page
    assert "Workshop 5" not in client.get(reverse("cohorts:event-list", args=[world.cohort.pk])).text


def test_cancelling_twice_says_so(world, login_as):
    event = _event(world)
    event_cancel(event=event)
    with pytest.raises(ValidationError, match=EVENT_ALREADY_CANCELLED):
        event_cancel(event=event)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("facilitator", 302), ("manager", 302), ("other_facilitator", 404), ("alice", 404), ("dave", 404)],
)
def test_only_the_cohorts_staff_cancel_an_event(world, login_as, persona, status):
    event = _event(world)
    response = login_as(persona).post(reverse("cohorts:event-cancel", args=[event.pk]), {"reason": "Strike"})
    assert response.status_code == status
    event.refresh_from_db()
    assert event.is_cancelled is (status == 302)


def test_an_oversized_reason_is_refused_on_the_form_and_kept(world, login_as):
    event = _event(world)
    reason = "x" * 300
    response = login_as("facilitator").post(reverse("cohorts:event-cancel", args=[event.pk]), {"reason": reason})
    assert response.status_code == 200
    assert "under 250 characters" in response.text
    assert reason in response.text
    event.refresh_from_db()
    assert not event.is_cancelled


def test_the_cancel_page_asks_first(world, login_as):
    event = _event(world)
    response = login_as("facilitator").get(reverse("cohorts:event-cancel", args=[event.pk]))
    assert response.status_code == 200
    assert "Cancel the event" in response.text
    event.refresh_from_db()
    assert not event.is_cancelled
