"""iCalendar output: one event as a download, and a person's feed of events to subscribe to."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Event, EventQuerySet

LONDON = ZoneInfo(settings.TIME_ZONE)
PRODID = "-//Pairwise//Cohort events//EN"


def _vevent(event: Event) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", f"event-{event.pk}@pairwise")
    component.add("dtstamp", timezone.now())
    component.add("sequence", event.sequence)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    # Local London times with a TZID (and the VTIMEZONE below), so BST and GMT both come out right.
    component.add("dtstart", timezone.localtime(event.starts_at, LONDON))
    component.add("dtend", timezone.localtime(event.ends_at, LONDON))
    cancelled = "Cancelled: " if event.is_cancelled else ""
    component.add("summary", f"{cancelled}{event.title} ({event.cohort.name})")
    if event.place:
        component.add("location", event.place)
    description = "\n\n".join(part for part in (event.topic, event.description) if part)
    component.add("description", description)
    component.add("url", urljoin(settings.SITE_URL, reverse("cohorts:event-detail", args=[event.pk])))
    component.add("categories", [event.get_kind_display()])
    return component


def calendar_for(events: Iterable[Event], *, name: str) -> bytes:
    """A VCALENDAR with the events and the Europe/London VTIMEZONE they refer to."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        calendar.add_component(_vevent(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_events(events: EventQuerySet) -> EventQuerySet:
    return events.select_related("cohort").order_by("starts_at")
