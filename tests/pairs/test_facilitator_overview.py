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
from django.utils.html import escape

from cohorts.models import Attendance, Side
from outputs.models import Output
from pairs import services
from pairs.commitment import days_expected_by, members_behind_pace
from pairs.models import LearningPair, Step, StepProgress
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


def _page(client, name, cohort, query=""):
    return client.get(reverse(f"pairs:{name}", args=[cohort.pk]) + query)


@pytest.fixture
def busy_world(world, today):
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
    return world


def test_overview_sums_up_risk_steps_members_outputs_and_links_to_the_details(busy_world, login_as):
    world = busy_world
    response = _overview(login_as("facilitator"), world.cohort)
    assert response.status_code == 200
    text = response.text
    assert "Step 1 (Identify) overdue" in text  # pair 1 is at risk, with its reason
    assert response.context["at_risk_count"] == 1
    identify = response.context["step_summary"][0]
    assert (identify["done"], identify["not_started"], identify["overdue"]) == (1, 1, 1)
    assert dict(response.context["outputs_by_status"])["Planned"] == 2
    assert response.context["pair_count"] == 2  # pair 1 once, however many outputs it has
    assert response.context["members"]["current"] == 4
    steps = json.loads(text.split('id="steps-by-week" type="application/json">')[1].split("</script>")[0])
    assert steps["values"] == [1]
    assert "js/charts.js" in text and "<script>" not in text  # no inline script under the CSP
    # Every long table is one link away.
    for name in ("cohort-pairs", "cohort-members", "cohort-attendance"):
        assert reverse(f"pairs:{name}", args=[world.cohort.pk]) in text
    assert reverse("pairs:cohort-pairs", args=[world.cohort.pk]) + "?at_risk=1" in text
    assert reverse("pairs:cohort-members", args=[world.cohort.pk]) + "?behind=1" in text


def test_pairs_page_shows_the_grid_with_links_outputs_and_risk(busy_world, login_as):
    world = busy_world
    client = login_as("facilitator")
    response = _page(client, "cohort-pairs", world.cohort)
    text = response.text
    assert reverse("pairs:detail", args=[world.pair.pk]) in text
    assert reverse("pairs:activity-list", args=[world.pair.pk]) in text
    assert "Step 1 (Identify) overdue" in text
    [pair_one_row] = [row for row in response.context["rows"] if row.pair == world.pair]
    assert dict(pair_one_row.outputs)["Planned"] == 2
    at_risk = _page(client, "cohort-pairs", world.cohort, "?at_risk=1").context["rows"]
    assert [row.pair for row in at_risk] == [world.pair]


def test_attendance_page_counts_replies_per_event_and_charts_activities(busy_world, login_as):
    world = busy_world
    response = _page(login_as("facilitator"), "cohort-attendance", world.cohort)
    text = response.text
    assert "Workshop on service users" in text
    events = {e.title: e for e in response.context["events"]}
    assert (events["Workshop on service users"].attended, events["Workshop on service users"].apologies) == (1, 1)
    assert response.context["activities_by_month"]["series"][0]["values"] == [1]
    assert 'id="activities-by-month"' in text and "js/charts.js" in text


def test_members_page_shows_days_so_far_and_keeps_those_behind_the_pace(world, login_as, today):
    event = EventFactory(cohort=world.cohort, length_days=Decimal("3"))
    AttendanceFactory(event=event, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    client = login_as("facilitator")
    everyone = _page(client, "cohort-members", world.cohort).text
    assert "<td>3.0</td>" in everyone  # Alice's days
    behind = _page(client, "cohort-members", world.cohort, "?behind=1").text
    assert 'data-member="Bob Bradley"' in behind
    assert 'data-member="Alice Adkins"' not in behind


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


OVERVIEW_PAGES = [
    ("cohort-overview", ""),
    ("cohort-pairs", ""),
    ("cohort-pairs", "?at_risk=1&page=2"),
    ("cohort-members", ""),
    ("cohort-members", "?behind=1"),
    ("cohort-attendance", ""),
]


def test_overview_pages_query_counts_do_not_grow_with_the_cohort(db, client):
    counts: dict[tuple[str, str], list[int]] = {page: [] for page in OVERVIEW_PAGES}
    for n_pairs in (15, 150):
        cohort, facilitator = _cohort_of(n_pairs)
        client.force_login(facilitator)
        for name, query in OVERVIEW_PAGES:
            with CaptureQueriesContext(connection) as queries:
                response = _page(client, name, cohort, query)
            assert response.status_code == 200
            counts[name, query].append(len(queries))
    assert all(small == large for small, large in counts.values()), counts


def test_long_lists_are_paged_and_nothing_is_left_out(db, client):
    cohort, facilitator = _cohort_of(35)
    client.force_login(facilitator)
    pairs = [
        row.pair.pk for page in (1, 2) for row in _page(client, "cohort-pairs", cohort, f"?page={page}").context["rows"]
    ]
    assert sorted(pairs) == sorted(cohort.pairs.values_list("pk", flat=True))
    members = "".join(_page(client, "cohort-members", cohort, f"?page={page}").text for page in (1, 2))
    for membership in cohort.memberships.select_related("user"):
        assert f'data-member="{escape(membership.user.full_name)}"' in members


def test_overview_rows_escape_what_people_typed(world, login_as):
    """The grid's and member table's rows are built in Python (pairs/overview_rows.py): values are still escaped."""
    world.alice_membership.user.full_name = "<b>Alice</b>"
    world.alice_membership.user.save()
    client = login_as("facilitator")

    members = _page(client, "cohort-members", world.cohort).text
    grid = _page(client, "cohort-pairs", world.cohort).text

    assert "<b>Alice</b>" not in members + grid
    assert '<tr data-member="&lt;b&gt;Alice&lt;/b&gt;">' in members
    assert '&lt;b&gt;Alice&lt;/b&gt; <small class="text-muted">(' in grid  # the grid's members cell


def test_overview_and_pairs_page_agree_on_the_pairs_at_risk_and_why(busy_world, login_as, today):
    """The overview's at-risk list (compiled queries over the whole cohort) and the pairs page's (?at_risk=1, and
    the ORM's queries over one page of pairs) come from the one rule in pairs/risk.py: same pairs, same reasons."""
    world = busy_world
    services.membership_withdraw(membership=world.carol_membership, on=today, reason="New job")  # pair 2 loses one
    pair_three = make_pair(world.cohort, on=today - timedelta(days=90))
    quiet_since = today - timedelta(days=world.cohort.stalled_after_days + 5)  # pair 3: no activity since then
    ActivityFactory(pair=pair_three, occurred_on=quiet_since)
    LearningPair.objects.filter(pk=pair_three.pk).update(created_at=timezone.now() - timedelta(days=100))
    client = login_as("facilitator")
    overview = _overview(client, world.cohort).context
    shown = {item.pair.number: [reason.text for reason in item.reasons] for item in overview["at_risk"]}
    at_risk_page = _page(client, "cohort-pairs", world.cohort, "?at_risk=1").context["rows"]
    listed = {row.pair.number: [reason.text for reason in row.reasons] for row in at_risk_page}
    whole_grid = _page(client, "cohort-pairs", world.cohort).context["rows"]
    paged = {row.pair.number: [reason.text for reason in row.reasons] for row in whole_grid if row.reasons}
    assert shown == listed == paged
    assert overview["at_risk_count"] == len(listed) == 3
    assert {world.pair.number, world.other_pair.number, pair_three.number} == set(shown)
    assert any("withdrew" in text for text in shown[world.other_pair.number])
    assert f"No activity for {(today - quiet_since).days} days" in shown[pair_three.number]
    counted = dict(overview["at_risk_reasons"])
    assert (counted["A member withdrew"], counted["No recent activity"], counted["A step overdue"]) == (1, 1, 2)


def test_overview_lists_the_unpaired_by_name_and_side(world, login_as):
    lone = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER, user__full_name="Una <Unpaired>")
    text = _overview(login_as("facilitator"), world.cohort).text
    assert f"{escape(lone.user.full_name)} ({lone.get_side_display().lower()})" in text
