"""Stable citations: once a report is exported, "Y2 policymaker, Workshop 4" keeps its meaning when events are
added later."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Event, Insight, event_numbers
from cohorts.services import event_numbers_keep
from reports.building import build_report
from tests.factories import EventFactory, InsightFactory
from tests.reports.reading import prepared_file


def _workshops(cohort, count: int) -> list[Event]:
    start = timezone.now() - timedelta(days=200)
    return [
        EventFactory(cohort=cohort, title=f"Workshop on day {n * 20}", starts_at=start + timedelta(days=n * 20))
        for n in range(count)
    ]


def _attribution(cohort, insight: Insight) -> str:
    """The insight's attribution as the report prints it, the event numbered afresh."""
    return Insight.objects.with_attribution().get(pk=insight.pk).attribution()


def test_adding_an_event_renumbers_the_later_ones_until_a_report_is_exported(world):
    workshops = _workshops(world.cohort, 4)
    insight = InsightFactory(cohort=world.cohort, event=workshops[3], speaker=world.alice_membership, text="Quoted")
    assert _attribution(world.cohort, insight) == "Y2 policymaker, Workshop 4"

    EventFactory(cohort=world.cohort, starts_at=workshops[2].starts_at + timedelta(days=1))

    assert _attribution(world.cohort, insight) == "Y2 policymaker, Workshop 5"


@pytest.mark.parametrize("export", ["docx", "pdf"])
def test_an_exported_citation_keeps_its_label_when_an_event_is_added_before_it(world, login_as, export):
    workshops = _workshops(world.cohort, 4)
    insight = InsightFactory(cohort=world.cohort, event=workshops[3], speaker=world.alice_membership, text="Quoted")
    client = login_as("facilitator")
    first = prepared_file(client, world.cohort.pk, export)
    assert first.status_code == 200

    added = EventFactory(cohort=world.cohort, starts_at=workshops[2].starts_at + timedelta(days=1), title="Added")
    again = prepared_file(client, world.cohort.pk, "docx")

    assert again.status_code == 200
    assert _attribution(world.cohort, insight) == "Y2 policymaker, Workshop 4"
    events = {row.title: row.label for row in build_report(world.cohort).figures.events}
    assert events[added.title] == "Workshop 5"
    assert [events[w.title] for w in workshops] == ["Workshop 1", "Workshop 2", "Workshop 3", "Workshop 4"]


def test_the_preview_keeps_no_numbers(world, login_as):
    _workshops(world.cohort, 2)

    login_as("facilitator").get(reverse("reports:preview", args=[world.cohort.pk]))

    assert not Event.objects.filter(cohort=world.cohort, report_number__isnull=False).exists()


def test_keeping_numbers_twice_changes_nothing_and_other_kinds_count_apart(world):
    workshops = _workshops(world.cohort, 2)
    roundtable = EventFactory(cohort=world.cohort, kind=Event.Kind.ROUNDTABLE, starts_at=workshops[0].starts_at)

    assert event_numbers_keep(cohort=world.cohort) == 3
    assert event_numbers_keep(cohort=world.cohort) == 0

    kept = dict(Event.objects.filter(cohort=world.cohort).values_list("pk", "report_number"))
    assert [kept[w.pk] for w in workshops] == [1, 2]
    assert kept[roundtable.pk] == 1


def test_event_numbers_count_on_from_the_highest_kept_number():
    # (pk, cohort, kind, kept number), in date order: 10 and 11 were kept; 12 came later but is dated first.
    rows = [(12, 1, "workshop", None), (10, 1, "workshop", 1), (11, 1, "workshop", 2), (13, 1, "workshop", None)]

    assert event_numbers(rows) == {12: 3, 10: 1, 11: 2, 13: 4}
