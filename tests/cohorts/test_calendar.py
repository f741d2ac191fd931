"""iCalendar output parses, carries Europe/London times with their VTIMEZONE, and lists the right events."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
from django.urls import reverse

from cohorts.models import Event
from cohorts.services import event_create
from tests.factories import EventFactory

LONDON = ZoneInfo("Europe/London")


def _summer_and_winter(world) -> tuple[Event, Event]:
    summer = event_create(
        cohort=world.cohort,
        title="Summer workshop",
        kind=Event.Kind.WORKSHOP,
        length_days=Decimal("1"),
        starts_at=datetime(2031, 6, 12, 10, 0, tzinfo=LONDON),
        ends_at=datetime(2031, 6, 12, 16, 30, tzinfo=LONDON),
        place="2 Carlton Gardens",
    )
    winter = event_create(
        cohort=world.cohort,
        title="Winter roundtable",
        kind=Event.Kind.ROUNDTABLE,
        length_days=Decimal("0.5"),
        starts_at=datetime(2031, 12, 3, 14, 0, tzinfo=LONDON),
        ends_at=datetime(2031, 12, 3, 17, 0, tzinfo=LONDON),
    )
    return summer, winter


def test_event_ics_has_the_london_start_and_its_timezone(world, login_as):
    summer, _ = _summer_and_winter(world)
    response = login_as("alice").get(reverse("cohorts:event-ics", args=[summer.pk]))

    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content.decode()
    assert "DTSTART;TZID=Europe/London:20310612T100000" in raw.replace("\r\n ", "")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == datetime(2031, 6, 12, 10, 0, tzinfo=LONDON)
    assert vevent.decoded("dtstart").utcoffset().total_seconds() == 3600  # BST
    assert vevent.decoded("dtend") == datetime(2031, 6, 12, 16, 30, tzinfo=LONDON)
    assert str(vevent["summary"]).startswith("Summer workshop")
    assert str(vevent["location"]) == "2 Carlton Gardens"
    assert str(vevent["uid"]) == f"event-{summer.pk}@pairwise"


def test_feed_lists_the_members_cohort_events_only(client, world):
    _summer_and_winter(world)
    EventFactory(cohort=world.other_cohort, title="Not yours")
    response = client.get(reverse("cohorts:calendar-feed", args=[world.alice.calendar_token]))
    calendar = icalendar.Calendar.from_ical(response.content)
    starts = {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert set(starts) == {f"Summer workshop ({world.cohort.name})", f"Winter roundtable ({world.cohort.name})"}
    winter_start = starts[f"Winter roundtable ({world.cohort.name})"]
    assert winter_start == datetime(2031, 12, 3, 14, 0, tzinfo=LONDON)
    assert winter_start.utcoffset().total_seconds() == 0  # GMT


def test_feed_of_a_facilitator_lists_the_cohorts_they_facilitate(client, world):
    _summer_and_winter(world)
    EventFactory(cohort=world.other_cohort, title="Other cohort's workshop")
    mine = icalendar.Calendar.from_ical(
        client.get(reverse("cohorts:calendar-feed", args=[world.other_facilitator.calendar_token])).content
    )
    assert [str(e["summary"]) for e in mine.walk("VEVENT")] == [f"Other cohort's workshop ({world.other_cohort.name})"]


def test_feed_of_someone_with_no_cohort_is_an_empty_valid_calendar(client, world):
    from tests.factories import UserFactory

    nobody = UserFactory()
    response = client.get(reverse("cohorts:calendar-feed", args=[nobody.calendar_token]))
    assert icalendar.Calendar.from_ical(response.content).walk("VEVENT") == []
