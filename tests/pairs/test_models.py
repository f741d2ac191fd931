"""Each pair rule of the domain, tested so that removing the rule fails a test."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.models import Attendance, Membership, Side
from pairs import services
from pairs.commitment import commitment_of, members_below_commitment_minimum
from pairs.models import Activity, LearningPair, PairMember, Step, StepProgress
from programme.models import SectorCode
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    CohortFactory,
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    StepDeadlineFactory,
    make_pair,
)

pytestmark = pytest.mark.django_db


def test_pair_of_both_sides_becomes_active_with_four_steps(world):
    assert world.pair.status == LearningPair.Status.ACTIVE
    assert sorted(world.pair.steps.values_list("step", flat=True)) == [1, 2, 3, 4]


def test_pair_of_one_side_only_stays_forming():
    cohort = CohortFactory()
    a = MembershipFactory(cohort=cohort, side=Side.POLICYMAKER)
    b = MembershipFactory(cohort=cohort, side=Side.POLICYMAKER)
    pair = services.pair_create(cohort=cohort, members=[a, b], on=cohort.starts_on)
    assert pair.status == LearningPair.Status.FORMING


def test_active_pair_without_a_practitioner_fails_validation(world):
    colleague = MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER)
    PairMember.objects.create(pair=world.pair, membership=colleague, joined_on=world.cohort.starts_on)
    bob_seat = world.pair.members.get(membership=world.bob_membership)
    PairMember.objects.filter(pk=bob_seat.pk).update(left_on=timezone.localdate())
    with pytest.raises(ValidationError, match="An active pair needs members from at least 2 different sides"):
        world.pair.full_clean()


def test_active_pair_of_one_member_fails_validation(world):
    bob_seat = world.pair.members.get(membership=world.bob_membership)
    PairMember.objects.filter(pk=bob_seat.pk).update(left_on=timezone.localdate())
    with pytest.raises(ValidationError, match="An active pair needs at least 2 members"):
        world.pair.full_clean()


def test_two_members_from_one_organisation_cannot_share_a_pair(world):
    colleague = MembershipFactory(
        cohort=world.cohort, side=Side.POLICYMAKER, user__organisation=world.alice.organisation
    )
    with pytest.raises(ValidationError, match="same organisation"):
        services.pair_member_add(pair=world.pair, membership=colleague, on=world.cohort.starts_on)
    assert not world.pair.members.filter(membership=colleague).exists()


def test_active_pair_with_two_members_of_one_organisation_fails_validation(world):
    shelter = world.bob.organisation
    world.alice.organisation = shelter
    world.alice.save()
    with pytest.raises(ValidationError, match="same organisation"):
        world.pair.full_clean()


def test_member_cannot_join_a_second_pair_of_the_cohort(world):
    with pytest.raises(ValidationError, match="already in another pair"):
        services.pair_member_add(pair=world.other_pair, membership=world.alice_membership, on=timezone.localdate())


def test_database_refuses_two_current_pairs_for_one_member(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PairMember.objects.create(pair=world.other_pair, membership=world.alice_membership)


def test_member_of_another_cohort_cannot_join(world):
    with pytest.raises(ValidationError, match="another cohort"):
        services.pair_member_add(pair=world.pair, membership=world.dave_membership, on=timezone.localdate())


def test_leaving_sets_left_on_and_keeps_the_row(world):
    seat = world.pair.members.get(membership=world.bob_membership)
    services.pair_member_leave(member=seat, on=timezone.localdate(), reason="Changed job")
    seat.refresh_from_db()
    assert seat.left_on == timezone.localdate()
    assert PairMember.objects.filter(pk=seat.pk).exists()
    assert list(world.pair.members.current()) == [world.pair.members.get(membership=world.alice_membership)]
    world.pair.refresh_from_db()
    assert world.pair.status == LearningPair.Status.FORMING


def test_leaving_before_joining_is_refused(world):
    seat = world.pair.members.get(membership=world.bob_membership)
    with pytest.raises(ValidationError):
        services.pair_member_leave(member=seat, on=seat.joined_on - timedelta(days=1))


def test_withdrawal_keeps_date_and_reason_and_leaves_the_pair(world):
    on = timezone.localdate()
    services.membership_withdraw(membership=world.bob_membership, on=on, reason="Work pressures")
    world.bob_membership.refresh_from_db()
    assert world.bob_membership.status == Membership.Status.WITHDRAWN
    assert world.bob_membership.withdrawal_reason == "Work pressures"
    assert world.pair.members.get(membership=world.bob_membership).left_on == on


def test_move_into_another_pair_makes_a_trio_and_keeps_history(world):
    services.membership_withdraw(membership=world.bob_membership, on=timezone.localdate(), reason="Left post")
    alice_seat = world.pair.members.current().get(membership=world.alice_membership)
    services.member_move(member=alice_seat, to_pair=world.other_pair, on=timezone.localdate())
    assert world.other_pair.members.current().count() == 3
    assert PairMember.objects.filter(membership=world.alice_membership).count() == 2


def test_failed_move_leaves_member_where_they_were(world):
    same_org_as_carol = world.carol.organisation
    world.alice.organisation = same_org_as_carol
    world.alice.save()
    seat = world.pair.members.current().get(membership=world.alice_membership)
    with pytest.raises(ValidationError):
        services.member_move(member=seat, to_pair=world.other_pair, on=timezone.localdate())
    seat.refresh_from_db()
    assert seat.left_on is None


def _step(pair, step):
    return pair.steps.get(step=step)


def test_step_is_done_only_with_a_summary(world):
    with pytest.raises(ValidationError, match="summary"):
        services.step_update(progress=_step(world.pair, Step.IDENTIFY), status="done", summary="  ", by=world.alice)
    assert _step(world.pair, Step.IDENTIFY).status == StepProgress.Status.NOT_STARTED


def test_database_refuses_a_done_step_without_summary(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        StepProgress.objects.filter(pair=world.pair, step=Step.IDENTIFY).update(status="done", summary="")


def test_step_four_cannot_be_done_before_steps_one_to_three(world):
    for step in (Step.IDENTIFY, Step.UNDERSTAND):
        services.step_update(progress=_step(world.pair, step), status="done", summary="Found it", by=world.alice)
    with pytest.raises(ValidationError, match="steps 1 to 3"):
        services.step_update(progress=_step(world.pair, Step.ACT), status="done", summary="Plan", by=world.alice)
    services.step_update(progress=_step(world.pair, Step.EXPLORE), status="done", summary="Options", by=world.alice)
    done = services.step_update(progress=_step(world.pair, Step.ACT), status="done", summary="Plan", by=world.bob)
    assert done.completed_by == world.bob and done.completed_on == timezone.localdate()


def test_a_step_recorded_as_done_earlier_keeps_the_day_it_was_done(world):
    earlier = timezone.localdate() - timedelta(days=30)

    done = services.step_update(
        progress=_step(world.pair, Step.IDENTIFY), status="done", summary="Found it", by=world.alice, on=earlier
    )

    assert done.completed_on == earlier
    assert done.history.first().completed_on == earlier


def test_stale_step_edit_is_refused(world):
    progress = _step(world.pair, Step.IDENTIFY)
    services.step_update(
        progress=progress,
        status="in_progress",
        summary="Alice's text",
        by=world.alice,
        expected_version=progress.version,
    )
    with pytest.raises(services.StaleEditError):
        services.step_update(
            progress=progress,
            status="in_progress",
            summary="Bob's text",
            by=world.bob,
            expected_version=progress.version,
        )
    assert _step(world.pair, Step.IDENTIFY).summary == "Alice's text"


def test_database_allows_one_progress_row_per_pair_and_step(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        StepProgress.objects.create(pair=world.pair, step=Step.IDENTIFY)


def test_current_step_is_the_first_not_done(world):
    services.step_update(progress=_step(world.pair, Step.IDENTIFY), status="done", summary="x", by=world.alice)
    pair = LearningPair.objects.with_progress().get(pk=world.pair.pk)
    current = pair.current_step()
    assert current is not None and current.step == Step.UNDERSTAND


def test_overdue_steps_are_past_due_and_not_done(world):
    today = timezone.localdate()
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=today - timedelta(days=1))
    StepDeadlineFactory(cohort=world.cohort, step=Step.UNDERSTAND, due_on=today + timedelta(days=5))
    services.step_update(progress=_step(world.other_pair, Step.IDENTIFY), status="done", summary="x", by=world.carol)
    overdue = StepProgress.objects.overdue(today)
    assert list(overdue.values_list("pair", "step")) == [(world.pair.pk, Step.IDENTIFY)]


def test_activity_hours_must_be_positive_and_at_most_a_day(world):
    for hours in (Decimal("0"), Decimal("-1"), Decimal("24.5")):
        with pytest.raises(ValidationError, match="hours"):
            services.activity_create(
                pair=world.pair,
                kind=Activity.Kind.MEETING,
                occurred_on=timezone.localdate(),
                hours=hours,
                attendees=[world.alice_membership],
                by=world.alice,
            )
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(pair=world.pair, hours=Decimal("0"))


def test_activity_in_the_future_is_refused(world):
    with pytest.raises(ValidationError, match="future"):
        services.activity_create(
            pair=world.pair,
            kind=Activity.Kind.MEETING,
            occurred_on=timezone.localdate() + timedelta(days=1),
            hours=Decimal("1"),
            attendees=[world.alice_membership],
            by=world.alice,
        )


def test_activity_attendee_must_be_in_the_pair(world):
    with pytest.raises(ValidationError, match="Only members of this pair"):
        services.activity_create(
            pair=world.pair,
            kind=Activity.Kind.MEETING,
            occurred_on=timezone.localdate(),
            hours=Decimal("1"),
            attendees=[world.carol_membership],
            by=world.alice,
        )


def test_commitment_days_are_event_days_plus_activity_hours_over_hours_per_day(world):
    world.cohort.hours_per_day = Decimal("6")
    world.cohort.save()
    workshop = EventFactory(cohort=world.cohort, length_days=Decimal("1.5"))
    AttendanceFactory(event=workshop, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    skipped = EventFactory(cohort=world.cohort, length_days=Decimal("1"))
    AttendanceFactory(event=skipped, membership=world.alice_membership, status=Attendance.Status.APOLOGIES)
    ActivityFactory(pair=world.pair, hours=Decimal("3"), attendees=[world.alice_membership, world.bob_membership])
    ActivityFactory(pair=world.pair, hours=Decimal("6"), attendees=[world.alice_membership])

    alice = commitment_of(Membership.objects.get(pk=world.alice_membership.pk))
    assert alice.event_days == Decimal("1.5")
    assert alice.activity_hours == Decimal("9")
    assert alice.days == Decimal("3.0")
    bob = commitment_of(Membership.objects.get(pk=world.bob_membership.pk))
    assert bob.days == Decimal("0.5")


def test_members_below_commitment_minimum(world):
    world.cohort.min_commitment_days = Decimal("1")
    world.cohort.save()
    ActivityFactory(pair=world.pair, hours=Decimal("7.5"), attendees=[world.alice_membership])
    below = {m.user.email for m in members_below_commitment_minimum(world.cohort)}
    assert "alice@example.org" not in below
    assert {"bob@example.org", "carol@example.org"} <= below


def test_active_pairs_of_a_cohort(world):
    formed_elsewhere = make_pair(world.other_cohort)
    assert set(LearningPair.objects.for_cohort(world.cohort).active()) == {world.pair, world.other_pair}
    assert formed_elsewhere not in LearningPair.objects.for_cohort(world.cohort)


def test_current_members_of_a_pair_exclude_those_who_left(world):
    seat = world.pair.members.get(membership=world.bob_membership)
    services.pair_member_leave(member=seat, on=timezone.localdate())
    pair = LearningPair.objects.with_current_members().get(pk=world.pair.pk)
    assert [m.membership for m in pair.current_members] == [world.alice_membership]  # type: ignore[attr-defined]


def test_organisation_less_members_may_share_a_pair():
    cohort = CohortFactory()
    a = MembershipFactory(cohort=cohort, side=Side.POLICYMAKER, user__organisation=None)
    b = MembershipFactory(cohort=cohort, side=Side.PRACTITIONER, user__organisation=None)
    pair = services.pair_create(cohort=cohort, members=[a, b], on=cohort.starts_on)
    assert pair.status == LearningPair.Status.ACTIVE


def test_same_named_organisation_factories_share_one_row():
    assert OrganisationFactory(name="Shelter", sector=SectorCode.VOLUNTARY) == OrganisationFactory(name="Shelter")
