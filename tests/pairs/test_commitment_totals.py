"""The commitment totals stored on each membership follow every kind of write to what they sum.

Each test writes one way (a service, a model's save or delete, who went on an activity, a kind's flag) and reads
the membership again: its stored totals are the figures, and commitment_totals_out_of_date, which recomputes them
with the rule's own queries, finds none out of date. The check after every test (conftest) asks the same.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Membership
from cohorts.services import attendance_mark, attendance_register_save, event_update
from pairs.commitment import commitment_totals_out_of_date, commitment_totals_refresh
from pairs.services import activity_create, activity_delete, activity_update
from programme.models import ActivityKind, EventKind
from tests.factories import ActivityFactory, AttendanceFactory, CohortFactory, EventFactory


def totals(membership: Membership) -> tuple[object, object]:  # compared with ints and Decimals
    membership.refresh_from_db(fields=["event_days", "activity_hours"])
    assert commitment_totals_out_of_date() == []
    return membership.event_days, membership.activity_hours


def test_marking_the_register_adds_and_unticking_takes_away_the_events_days(world):
    workshop = EventFactory(cohort=world.cohort, length_days=Decimal("1.5"), starts_at=timezone.now())
    attendance_mark(event=workshop, membership=world.alice_membership, attended=True)
    assert totals(world.alice_membership) == (Decimal("1.5"), 0)
    attendance_mark(event=workshop, membership=world.alice_membership, attended=False)
    assert totals(world.alice_membership) == (0, 0)
    attendance_register_save(event=workshop, attended={world.alice_membership.pk, world.bob_membership.pk})
    assert totals(world.alice_membership) == totals(world.bob_membership) == (Decimal("1.5"), 0)


def test_an_events_length_or_kind_changing_changes_its_attendees_days(world):
    workshop = EventFactory(cohort=world.cohort, length_days=Decimal("1"))
    AttendanceFactory(event=workshop, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    assert totals(world.alice_membership) == (1, 0)
    event_update(event=workshop, length_days=Decimal("0.5"))
    assert totals(world.alice_membership) == (Decimal("0.5"), 0)
    EventKind.objects.filter(programme=world.cohort.programme, code=workshop.kind).get().delete()
    workshop.refresh_from_db()
    assert totals(world.alice_membership) == (Decimal("0.5"), 0)  # a kind not in the shape counts


def test_deleting_an_attendance_or_its_event_takes_its_days_away(world):
    first, second = (EventFactory(cohort=world.cohort, length_days=Decimal("1")) for _ in range(2))
    kept = AttendanceFactory(event=first, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    AttendanceFactory(event=second, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    assert totals(world.alice_membership) == (2, 0)
    kept.delete()
    assert totals(world.alice_membership) == (1, 0)
    second.delete()
    assert totals(world.alice_membership) == (0, 0)


def test_logging_changing_and_deleting_an_activity_keep_each_goers_hours(world):
    alice, bob = world.alice_membership, world.bob_membership
    activity = activity_create(
        pair=world.pair,
        kind="meeting",
        occurred_on=timezone.localdate(),
        hours=Decimal("3"),
        attendees=[alice, bob],
        by=world.alice,
    )
    assert totals(alice) == totals(bob) == (0, 3)
    activity_update(activity=activity, attendees=[alice], hours=Decimal("4.5"))
    assert (totals(alice), totals(bob)) == ((0, Decimal("4.5")), (0, 0))
    activity_delete(activity=activity, by=world.alice)
    assert totals(alice) == (0, 0)


def test_who_went_changed_from_either_side_or_cleared_keeps_the_hours(world):
    alice, bob = world.alice_membership, world.bob_membership
    activity = ActivityFactory(pair=world.pair, hours=Decimal("2"), attendees=[alice])
    bob.activities.add(activity)
    assert totals(bob) == (0, 2)
    bob.activities.clear()
    assert totals(bob) == (0, 0)
    activity.attendees.clear()
    assert totals(alice) == (0, 0)
    activity.attendees.add(alice, bob)
    activity.attendees.remove(bob)
    assert (totals(alice), totals(bob)) == ((0, 2), (0, 0))


def test_a_kind_stopping_counting_takes_its_hours_and_days_away(world):
    activity = ActivityFactory(
        pair=world.pair, kind="desk_research", hours=Decimal("5"), attendees=[world.bob_membership]
    )
    event = EventFactory(cohort=world.cohort, kind="roundtable", length_days=Decimal("1"))
    AttendanceFactory(event=event, membership=world.bob_membership, status=Attendance.Status.ATTENDED)
    assert totals(world.bob_membership) == (1, 5)
    for model, code in ((ActivityKind, activity.kind), (EventKind, event.kind)):
        kind = model.objects.get(programme=world.cohort.programme, code=code)
        kind.counts_towards_commitment = False
        kind.save()
    assert totals(world.bob_membership) == (0, 0)


def test_deleting_a_pair_takes_its_activities_hours_away(world):
    ActivityFactory(pair=world.pair, hours=Decimal("2"), attendees=[world.alice_membership])
    world.pair.delete()
    assert totals(world.alice_membership) == (0, 0)


def test_a_write_that_skips_the_signals_is_found_and_repaired(world):
    event = EventFactory(cohort=world.cohort, length_days=Decimal("1"))
    AttendanceFactory(event=event, membership=world.carol_membership, status=Attendance.Status.INVITED)
    Attendance.objects.filter(event=event).update(status=Attendance.Status.ATTENDED)  # sends no signal
    assert commitment_totals_out_of_date() == [world.carol_membership.pk]
    with pytest.raises(CommandError, match="1 membership"):
        call_command("commitment_totals", "--check")
    call_command("commitment_totals")
    assert totals(world.carol_membership) == (1, 0)
    assert commitment_totals_refresh([]) == 0


def test_saving_a_membership_read_before_its_activities_keeps_their_totals(world):
    stale = Membership.objects.get(pk=world.alice_membership.pk)
    ActivityFactory(pair=world.pair, hours=Decimal("2"), attendees=[world.alice_membership])
    stale.status = Membership.Status.COMPLETED
    stale.save()
    assert totals(world.alice_membership) == (0, 2)
    assert Membership.objects.get(pk=stale.pk).status == Membership.Status.COMPLETED


def test_moving_a_member_to_a_cohort_of_another_programme_counts_by_its_kinds(world):
    ActivityFactory(pair=world.pair, kind="desk_research", hours=Decimal("5"), attendees=[world.carol_membership])
    elsewhere = CohortFactory()
    ActivityKind.objects.filter(programme=elsewhere.programme, code="desk_research").update(
        counts_towards_commitment=False
    )
    moving = Membership.objects.get(pk=world.carol_membership.pk)
    moving.cohort = elsewhere
    moving.save()
    assert totals(world.carol_membership) == (0, 0)


def test_an_attendance_moved_to_another_member_counts_for_the_new_one_only(world):
    event = EventFactory(cohort=world.cohort, length_days=Decimal("1"))
    row = AttendanceFactory(event=event, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    row = Attendance.objects.get(pk=row.pk)  # as the admin reads it
    row.membership = world.carol_membership
    row.save()
    assert (totals(world.alice_membership), totals(world.carol_membership)) == ((0, 0), (1, 0))


def test_a_deleted_membership_restored_from_its_history_is_recounted(world):
    ActivityFactory(pair=world.pair, hours=Decimal("2"), attendees=[world.carol_membership])
    carol = Membership.objects.get(pk=world.carol_membership.pk)
    carol.save()  # its history now holds the two hours
    carol.pair_memberships.all().delete()
    carol.delete()
    restored = Membership.history.filter(id=world.carol_membership.pk).latest().instance
    restored._state.adding = False  # as the admin's history view restores it
    restored.save()
    assert totals(world.carol_membership) == (0, 0)  # the activity went with the membership


def test_an_existing_cohorts_programme_cannot_be_changed_in_the_admin(world, client):
    client.force_login(world.manager)
    form = client.get(reverse("admin:cohorts_cohort_change", args=[world.cohort.pk])).content.decode()
    assert 'name="programme"' not in form
    assert 'name="programme"' in client.get(reverse("admin:cohorts_cohort_add")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_every_existing_memberships_totals(world):
    event = EventFactory(cohort=world.cohort, kind="roundtable", length_days=Decimal("1.5"))
    AttendanceFactory(event=event, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    ActivityFactory(pair=world.pair, kind="meeting", hours=Decimal("3"), attendees=[world.alice_membership])
    ActivityFactory(pair=world.pair, kind="desk_research", hours=Decimal("4"), attendees=[world.bob_membership])
    ActivityKind.objects.filter(programme=world.cohort.programme, code="desk_research").update(
        counts_towards_commitment=False
    )
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("cohorts", "0013_side_targets_and_audiences")])  # before the totals
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    assert totals(world.alice_membership) == (Decimal("1.5"), 3)
    assert totals(world.bob_membership) == (0, 0)  # desk research does not count in this programme
