"""The cohort overview: what a facilitator sees, and a query count that does not grow with the cohort."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Side
from outputs.models import Output
from pairs import services
from pairs.commitment import days_expected_by, members_behind_pace
from pairs.models import Step, StepProgress
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    CohortFactory,
    EventFactory,
    MembershipFactory,
    OutputFactory,
    StepDeadlineFactory,
    UserFactory,
    make_pair,
)


@pytest.fixture
def today():
    return timezone.localdate()


def _overview(client, cohort):
    return client.get(reverse("pairs:cohort-overview", args=[cohort.pk]))


def test_overview_shows_the_grid_risk_attendance_outputs_and_charts_data(world, login_as, today):
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=today - timedelta(days=2))
    StepProgress.objects.filter(pair=world.other_pair, step=Step.IDENTIFY).update(
        status=StepProgress.Status.DONE, summary="Found it", completed_on=today - timedelta(days=3)
    )
    ActivityFactory(pair=world.other_pair, occurred_on=today - timedelta(days=1))
    OutputFactory(pair=world.pair, status=Output.Status.PLANNED)
    OutputFactory(pair=world.pair, status=Output.Status.PLANNED)
    event = EventFactory(cohort=world.cohort, title="Workshop on service users")
    AttendanceFactory(event=event, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    AttendanceFactory(event=event, membership=world.bob_membership, status=Attendance.Status.APOLOGIES)

    response = _overview(login_as("facilitator"), world.cohort)
    assert response.status_code == 200
    text = response.text
    assert "Step 1 (Identify) overdue" in text  # pair 1 is at risk, with its reason
    assert "overdue" in text
    assert "Planned: 2" in text
    assert "Workshop on service users" in text
    assert reverse("pairs:detail", args=[world.pair.pk]) in text
    assert reverse("pairs:activity-list", args=[world.pair.pk]) in text
    steps = json.loads(text.split('id="steps-by-week" type="application/json">')[1].split("</script>")[0])
    assert steps["values"] == [1]
    activities = response.context["activities_by_month"]
    assert activities["series"][0]["values"] == [1]
    assert 'id="steps-by-week"' in text and 'id="activities-by-month"' in text
    assert "js/charts.js" in text and "<script>" not in text  # no inline script under the CSP
    [pair_one_row] = [row for row in response.context["rows"] if row.pair == world.pair]
    assert dict(pair_one_row.outputs)["Planned"] == 2
    events = {e.title: e for e in response.context["events"]}
    assert (events["Workshop on service users"].attended, events["Workshop on service users"].apologies) == (1, 1)


def test_pace_needed_is_the_minimum_times_the_elapsed_fraction(db):
    cohort = CohortFactory(min_commitment_days=Decimal("5"))
    cohort.starts_on = timezone.localdate() - timedelta(days=100)
    cohort.ends_on = timezone.localdate() + timedelta(days=100)
    assert days_expected_by(cohort, timezone.localdate()) == Decimal("2.5")
    assert days_expected_by(cohort, cohort.starts_on - timedelta(days=5)) == Decimal("0")
    assert days_expected_by(cohort, cohort.ends_on + timedelta(days=5)) == Decimal("5")


def test_members_below_the_pace_are_listed(world, today):
    event = EventFactory(cohort=world.cohort, length_days=Decimal("3"))
    AttendanceFactory(event=event, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    behind = {m.user.full_name for m in members_behind_pace(world.cohort, today)}
    assert "Alice Adkins" not in behind  # 3 days, above the 1.7 needed a third of the way through
    assert "Bob Bradley" in behind


def _cohort_of(n_pairs: int):
    cohort = CohortFactory()
    cohort.facilitators.add(facilitator := UserFactory())
    StepDeadlineFactory(cohort=cohort, step=Step.IDENTIFY, due_on=timezone.localdate() - timedelta(days=1))
    event = EventFactory(cohort=cohort)
    for index in range(n_pairs):
        pair = make_pair(cohort)
        policymaker = pair.members.get(membership__side=Side.POLICYMAKER).membership
        ActivityFactory(pair=pair, attendees=[policymaker])
        OutputFactory(pair=pair)
        AttendanceFactory(event=event, membership=policymaker, status=Attendance.Status.ATTENDED)
        if index % 3 == 0:
            StepProgress.objects.filter(pair=pair, step=Step.IDENTIFY).update(
                status=StepProgress.Status.DONE, summary="Done", completed_on=timezone.localdate()
            )
        if index % 5 == 0:
            services.membership_withdraw(membership=policymaker, on=timezone.localdate(), reason="Left")
    MembershipFactory(cohort=cohort, side=Side.PRACTITIONER)  # one unpaired
    return cohort, facilitator


def test_overview_query_count_does_not_grow_with_the_cohort(db, client):
    counts = []
    for n_pairs in (15, 150):
        cohort, facilitator = _cohort_of(n_pairs)
        client.force_login(facilitator)
        with CaptureQueriesContext(connection) as queries:
            response = _overview(client, cohort)
        assert response.status_code == 200
        assert len(response.context["rows"]) == n_pairs
        counts.append(len(queries))
    assert counts[0] == counts[1], "\n".join(q["sql"] for q in queries.captured_queries)


def test_overview_rows_escape_what_people_typed(world, login_as):
    """The grid's and member table's rows are built in Python (pairs/overview_rows.py): values are still escaped."""
    world.alice_membership.user.full_name = "<b>Alice</b>"
    world.alice_membership.user.save()

    text = _overview(login_as("facilitator"), world.cohort).text

    assert "<b>Alice</b>" not in text
    assert '<tr data-member="&lt;b&gt;Alice&lt;/b&gt;">' in text
    assert '&lt;b&gt;Alice&lt;/b&gt; <small class="text-muted">(' in text  # the grid's members cell
