"""The member's dashboard: who reaches it, what it shows, and its empty states."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cohorts.models import Attendance, Cohort, Side
from outputs.models import Output
from pairs.commitment import commitment_of
from pairs.models import Step, StepProgress
from pairs.services import membership_withdraw, step_update
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EventFactory,
    MembershipFactory,
    OutputFactory,
    StepDeadlineFactory,
    UserFactory,
    reread,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard:home")


@pytest.mark.parametrize(
    "persona", ["anonymous", "manager", "facilitator", "other_facilitator", "alice", "bob", "carol", "dave"]
)
def test_dashboard_access_by_persona(world, login_as, persona):
    response = login_as(persona).get(DASHBOARD)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        # Everyone signed in has a dashboard; it shows only their own membership.
        assert response.status_code == 200
        assert (world.pair.get_absolute_url().encode() in response.content) is (persona in {"alice", "bob"})


def test_members_land_on_the_dashboard(world, login_as):
    response = login_as("alice").get(reverse("home"))
    assert response["Location"] == DASHBOARD


def test_old_pairs_dashboard_route_is_gone(world, login_as):
    with pytest.raises(NoReverseMatch):
        reverse("pairs:dashboard")


def test_dashboard_shows_cohort_pair_and_partner(world, login_as):
    content = login_as("alice").get(DASHBOARD).content.decode()
    assert str(world.cohort) in content
    assert f"Pair {world.pair.number}" in content
    assert "Bob Bradley" in content
    assert "Shelter" in content
    assert "Policy adviser" in content
    assert "bob@example.org" in content


def test_partner_contact_is_hidden_unless_shared(world, login_as):
    world.bob.share_contact_details = False
    world.bob.phone = "020 7946 0000"
    world.bob.save()
    content = login_as("alice").get(DASHBOARD).content.decode()
    assert "Bob Bradley" in content
    assert "bob@example.org" not in content
    assert "020 7946 0000" not in content


def test_partner_phone_is_shown_when_shared(world, login_as):
    world.bob.phone = "020 7946 0000"
    world.bob.save()
    assert b"020 7946 0000" in login_as("alice").get(DASHBOARD).content


def test_current_step_and_its_due_date(world, login_as):
    due = timezone.localdate() + timedelta(days=10)
    StepDeadlineFactory(cohort=world.cohort, step=Step.UNDERSTAND, due_on=due)
    step_update(progress=world.pair.steps.get(step=1), status=StepProgress.Status.DONE, summary="Found.", by=world.bob)
    content = login_as("alice").get(DASHBOARD).content.decode()
    assert "2. Understand" in content
    assert f"Due {due:%-d %B %Y}" in content
    assert "overdue" not in content


def test_overdue_step_is_clearly_shown(world, login_as):
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=timezone.localdate() - timedelta(days=1))
    content = login_as("alice").get(DASHBOARD).content.decode()
    assert "1. Identify" in content
    assert "– overdue" in content


def test_commitment_shown_matches_commitment_of(world, login_as):
    event = EventFactory(cohort=world.cohort, length_days=Decimal("1.5"))
    AttendanceFactory(event=event, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    ActivityFactory(pair=world.pair, hours=Decimal("7.5"), attendees=[world.alice_membership])
    commitment = commitment_of(reread(world.alice_membership))
    assert commitment.days == Decimal("2.5")
    content = login_as("alice").get(DASHBOARD).content.decode()
    assert f"<strong>{commitment.days}</strong> of {commitment.minimum_days} days" in content
    assert f'value="{commitment.percent_of_minimum}"' in content
    assert f"Events attended: {commitment.event_days} days" in content
    assert f"Activities: {commitment.activity_hours} hours" in content


def test_upcoming_events_show_my_reply(world, login_as):
    soon = timezone.now() + timedelta(days=7)
    event = EventFactory(cohort=world.cohort, title="Workshop on whole-person services", starts_at=soon)
    AttendanceFactory(event=event, membership=world.alice_membership, status=Attendance.Status.APOLOGIES)
    AttendanceFactory(event=event, membership=world.bob_membership, status=Attendance.Status.ACCEPTED)
    EventFactory(cohort=world.cohort, title="A past workshop")
    EventFactory(cohort=world.other_cohort, title="Another cohort's roundtable", starts_at=soon)
    content = login_as("alice").get(DASHBOARD).content.decode()
    assert "Workshop on whole-person services" in content
    assert "Apologies" in content
    assert "I'll be there" in content  # the reply buttons, until the event starts
    assert "A past workshop" not in content
    assert "Another cohort&#x27;s roundtable" not in content


def test_member_replies_from_the_dashboard(world, login_as):
    event = EventFactory(cohort=world.cohort, starts_at=timezone.now() + timedelta(days=3))
    AttendanceFactory(event=event, membership=world.alice_membership)
    client = login_as("alice")
    content = client.get(DASHBOARD).content.decode()
    assert reverse("cohorts:event-reply", args=[event.pk]) in content
    response = client.post(
        reverse("cohorts:event-reply", args=[event.pk]), {"status": "accepted"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert Attendance.objects.get(event=event, membership=world.alice_membership).status == Attendance.Status.ACCEPTED


def test_outputs_and_their_status(world, login_as):
    due = timezone.localdate() + timedelta(days=30)
    OutputFactory(
        pair=world.pair,
        title="Top tips for engaging service users",
        kind=Output.Kind.TOP_TIPS,
        status=Output.Status.IN_REVIEW,
        due_on=due,
    )
    OutputFactory(pair=world.other_pair, title="Someone else's case study")
    content = login_as("alice").get(DASHBOARD).content.decode()
    assert "Top tips for engaging service users" in content
    assert "In review" in content
    assert "Top tips" in content
    assert f"due {due:%-d %B %Y}" in content
    assert "Someone else" not in content


def test_latest_five_activities_only(world, login_as):
    today = timezone.localdate()
    for days_ago in range(1, 8):
        ActivityFactory(
            pair=world.pair, place=f"Place {days_ago} days ago", occurred_on=today - timedelta(days=days_ago)
        )
    content = login_as("alice").get(DASHBOARD).content.decode()
    assert [f"Place {n} days ago" in content for n in range(1, 8)] == [True] * 5 + [False] * 2


def test_activity_log_is_linked_when_it_exists(world, login_as):
    content = login_as("alice").get(DASHBOARD).content.decode()
    try:
        url = reverse("pairs:activity-list", kwargs={"pk": world.pair.pk})
    except Exception:
        pytest.skip("no activity log yet")
    assert f'href="{url}"' in content


def test_user_with_no_cohort_is_told_they_will_be_added(db, client):
    client.force_login(UserFactory())
    content = client.get(DASHBOARD).content.decode()
    assert "You are not a member of a cohort yet." in content


def test_unpaired_member_is_told_a_partner_will_come(world, client):
    membership = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER)
    client.force_login(membership.user)
    content = client.get(DASHBOARD).content.decode()
    assert "You are not in a learning pair yet." in content
    assert "My commitment" in content


def test_withdrawn_member_sees_when_they_withdrew_and_no_pair(world, login_as):
    withdrawn_on = timezone.localdate() - timedelta(days=3)
    membership_withdraw(membership=world.alice_membership, on=withdrawn_on, reason="New job")
    content = login_as("alice").get(DASHBOARD).content.decode()
    assert f"You withdrew from this cohort on {withdrawn_on:%-d %B %Y}." in content
    assert world.pair.get_absolute_url() not in content
    assert "Upcoming events" not in content


def test_member_of_a_concluded_cohort_sees_it_has_ended_and_keeps_their_pair(world, login_as):
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.CONCLUDED)
    content = login_as("alice").get(DASHBOARD).content.decode()
    assert "This cohort concluded on" in content
    assert world.pair.get_absolute_url() in content
    assert "Upcoming events" not in content


def _count_dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_activities_events_or_outputs(world, login_as):
    client = login_as("alice")
    members = [world.alice_membership, world.bob_membership]

    def grow(n: int) -> None:
        for _ in range(n):
            ActivityFactory(pair=world.pair, attendees=members)
            event = EventFactory(cohort=world.cohort, starts_at=timezone.now() + timedelta(days=3))
            AttendanceFactory(event=event, membership=world.alice_membership, status=Attendance.Status.ACCEPTED)
            OutputFactory(pair=world.pair)

    grow(5)
    with_five = _count_dashboard_queries(client)
    grow(45)
    assert _count_dashboard_queries(client) == with_five


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("alice", ["My dashboard", "My pair"], ["Cohorts</a>", "Admin</a>"]),
        ("facilitator", ["Cohorts</a>"], ["My dashboard", "My pair", "Admin</a>"]),
        ("manager", ["Admin</a>"], ["My dashboard", "My pair"]),
    ],
)
def test_navigation_follows_the_persons_roles(world, login_as, persona, shown, hidden):
    nav = login_as(persona).get(DASHBOARD).content.decode().split("<nav", 1)[1].split("<main", 1)[0]
    for label in shown:
        assert label in nav
    for label in hidden:
        assert label not in nav


def test_my_pair_link_leads_to_my_own_pair(world, login_as):
    nav = login_as("carol").get(DASHBOARD).content.decode().split("<main", 1)[0]
    assert f'href="{world.other_pair.get_absolute_url()}"' in nav
