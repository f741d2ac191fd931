"""Event services: invitations, replies, the register feeding commitment days, insights' attribution."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts.models import Attendance, Event, Insight, Membership, Side, number_events, number_insight_events
from cohorts.rules import REPLY_AFTER_START
from cohorts.services import (
    ATTENDANCE_NOT_MEMBER,
    attendance_mark,
    attendance_register_save,
    attendance_reply,
    event_create,
    insight_record,
    membership_create,
    membership_invite_to_future_events,
)
from pairs.commitment import commitment_of
from tests.factories import (
    ApplicationFactory,
    EventFactory,
    ExternalGuestFactory,
    MembershipFactory,
    UserFactory,
    reread,
)


def _create(cohort, *, days_ahead: float, kind: str = Event.Kind.WORKSHOP, length: str = "1") -> Event:
    starts = timezone.now() + timedelta(days=days_ahead)
    return event_create(
        cohort=cohort,
        kind=kind,
        title="Workshop",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        length_days=Decimal(length),
    )


def test_event_create_invites_every_current_member_and_nobody_else(world):
    withdrawn = MembershipFactory(
        cohort=world.cohort, status=Membership.Status.WITHDRAWN, withdrawn_on=timezone.localdate()
    )
    applied = ApplicationFactory(cohort=world.cohort)

    event = _create(world.cohort, days_ahead=5)

    invited = set(event.attendances.values_list("membership_id", flat=True))
    current = set(Membership.objects.for_cohort(world.cohort).current().values_list("pk", flat=True))
    assert invited == current
    assert {world.alice_membership.pk, world.carol_membership.pk} <= invited
    assert withdrawn.pk not in invited
    assert not Attendance.objects.filter(membership__user__email=applied.email).exists()
    assert world.dave_membership.pk not in invited
    assert set(event.attendances.values_list("status", flat=True)) == {Attendance.Status.INVITED}


def test_event_ending_before_it_starts_is_refused_and_nothing_is_created(world):
    now = timezone.now()
    with pytest.raises(ValidationError):
        event_create(cohort=world.cohort, title="Backwards", starts_at=now, ends_at=now - timedelta(hours=1))
    assert not Event.objects.exists()
    assert not Attendance.objects.exists()


def test_member_joining_later_is_invited_to_future_events_only(world):
    past = _create(world.cohort, days_ahead=-10)
    future = _create(world.cohort, days_ahead=10)
    other_cohorts = _create(world.other_cohort, days_ahead=10)
    newcomer = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER)

    assert membership_invite_to_future_events(newcomer) == 1

    assert list(newcomer.attendances.values_list("event_id", flat=True)) == [future.pk]
    assert not past.attendances.filter(membership=newcomer).exists()
    assert not other_cohorts.attendances.filter(membership=newcomer).exists()
    # Running it again invites nobody twice.
    assert membership_invite_to_future_events(newcomer) == 0


def test_membership_create_invites_a_current_member_to_events_to_come(world):
    _create(world.cohort, days_ahead=-10)
    future = _create(world.cohort, days_ahead=10)
    newcomer = membership_create(cohort=world.cohort, user=UserFactory(), side=Side.POLICYMAKER)
    completed = membership_create(
        cohort=world.cohort, user=UserFactory(), side=Side.POLICYMAKER, status=Membership.Status.COMPLETED
    )
    assert list(newcomer.attendances.values_list("event_id", flat=True)) == [future.pk]
    assert not completed.attendances.exists()


def test_member_can_change_their_reply_until_the_event_starts(world):
    event = _create(world.cohort, days_ahead=2)
    attendance_reply(event=event, membership=world.alice_membership, status=Attendance.Status.ACCEPTED)
    attendance_reply(event=event, membership=world.alice_membership, status=Attendance.Status.APOLOGIES)
    assert event.attendances.get(membership=world.alice_membership).status == Attendance.Status.APOLOGIES

    with pytest.raises(ValidationError, match=REPLY_AFTER_START):
        attendance_reply(
            event=event,
            membership=world.alice_membership,
            status=Attendance.Status.ACCEPTED,
            now=event.starts_at + timedelta(minutes=1),
        )
    assert event.attendances.get(membership=world.alice_membership).status == Attendance.Status.APOLOGIES


def test_member_of_another_cohort_cannot_reply(world):
    event = _create(world.cohort, days_ahead=2)
    with pytest.raises(ValidationError):
        attendance_reply(event=event, membership=world.dave_membership, status=Attendance.Status.ACCEPTED)
    assert not event.attendances.filter(membership=world.dave_membership).exists()


def test_marking_attendance_adds_the_event_days_to_commitment(world):
    event = _create(world.cohort, days_ahead=-0.1, length="1.5")
    before = commitment_of(reread(world.alice_membership)).event_days

    attendance_mark(event=event, membership=world.alice_membership, attended=True)
    assert commitment_of(reread(world.alice_membership)).event_days == before + Decimal("1.5")

    attendance_mark(event=event, membership=world.alice_membership, attended=False)
    assert commitment_of(reread(world.alice_membership)).event_days == before


def test_attendance_cannot_be_marked_for_someone_outside_the_cohort(world):
    event = _create(world.cohort, days_ahead=-0.1)
    with pytest.raises(ValidationError, match=ATTENDANCE_NOT_MEMBER):
        attendance_mark(event=event, membership=world.dave_membership, attended=True)
    with pytest.raises(ValidationError, match=ATTENDANCE_NOT_MEMBER):
        attendance_register_save(event=event, attended={world.alice_membership.pk, world.dave_membership.pk})
    assert not Attendance.objects.filter(status=Attendance.Status.ATTENDED).exists()


def test_attendance_cannot_be_marked_before_the_day(world):
    event = _create(world.cohort, days_ahead=3)
    with pytest.raises(ValidationError):
        attendance_mark(event=event, membership=world.alice_membership, attended=True)


def test_register_ticks_exactly_the_members_given(world):
    event = _create(world.cohort, days_ahead=-0.1)
    attendance_register_save(event=event, attended={world.alice_membership.pk, world.bob_membership.pk})
    attendance_register_save(event=event, attended={world.bob_membership.pk})
    attended = set(event.attendances.filter(status=Attendance.Status.ATTENDED).values_list("membership_id", flat=True))
    assert attended == {world.bob_membership.pk}


class TestInsightAttribution:
    def test_member_is_anonymised_by_year_side_and_event_number(self, world):
        EventFactory(cohort=world.cohort, kind=Event.Kind.WORKSHOP, starts_at=timezone.now() - timedelta(days=90))
        workshop = _create(world.cohort, days_ahead=-1)
        insight = insight_record(
            event=workshop, text="Policy is made in silos.", by=world.facilitator, speaker=world.alice_membership
        )
        assert insight.attribution() == "Y2 policymaker, Workshop 2"

    def test_guest_is_a_roundtable_participant(self, world):
        roundtable = _create(world.cohort, days_ahead=-1, kind=Event.Kind.ROUNDTABLE)
        guest = ExternalGuestFactory(event=roundtable, name="Sir Humphrey")
        insight = insight_record(event=roundtable, text="Ministers want evidence.", by=world.facilitator, guest=guest)
        assert insight.attribution() == "Y2 roundtable participant, Roundtable 1"

    def test_named_only_when_the_speaker_agreed(self, world):
        workshop = _create(world.cohort, days_ahead=-1)
        insight = insight_record(
            event=workshop,
            text="Listen first.",
            by=world.facilitator,
            speaker=world.bob_membership,
            speaker_agreed_to_be_named=True,
        )
        assert insight.attribution() == "Bob Bradley, Workshop 1"

    def test_guest_of_another_event_is_refused(self, world):
        workshop = _create(world.cohort, days_ahead=-1)
        elsewhere = ExternalGuestFactory(event__cohort=world.cohort)
        with pytest.raises(ValidationError):
            insight_record(event=workshop, text="x", by=world.facilitator, guest=elsewhere)
        assert not Insight.objects.exists()

    def test_annotated_attribution_matches_and_needs_no_queries(self, world, django_assert_num_queries):
        first = _create(world.cohort, days_ahead=-3)
        second = _create(world.cohort, days_ahead=-1)
        for event in (first, second):
            insight_record(event=event, text="x", by=world.facilitator, speaker=world.alice_membership)
        with django_assert_num_queries(2):
            insights = number_insight_events(list(Insight.objects.with_attribution().order_by("event__starts_at")))
        with django_assert_num_queries(0):
            labels = [insight.attribution() for insight in insights]
        assert labels == ["Y2 policymaker, Workshop 1", "Y2 policymaker, Workshop 2"]
        events = [insight.event for insight in Insight.objects.order_by("event__starts_at")]
        assert [event.number_in_cohort() for event in events if event is not None] == [1, 2]

    def test_events_are_numbered_by_kind_within_their_cohort_whatever_subset_is_numbered(
        self, world, django_assert_num_queries
    ):
        workshops = [_create(world.cohort, days_ahead=days) for days in (-30, -20, -10)]
        roundtable = _create(world.cohort, days_ahead=-15, kind=Event.Kind.ROUNDTABLE)
        elsewhere = _create(world.other_cohort, days_ahead=-25)
        latest_only = [Event.objects.get(pk=workshops[2].pk), Event.objects.get(pk=elsewhere.pk)]
        with django_assert_num_queries(1):
            number_events(latest_only)
        assert [e.number for e in latest_only] == [3, 1]
        everything = list(Event.objects.all())
        number_events(everything)
        numbers = {e.pk: e.number for e in everything}
        assert [numbers[w.pk] for w in workshops] == [1, 2, 3]
        assert numbers[roundtable.pk] == 1
        assert numbers == {e.pk: e.number_in_cohort() for e in Event.objects.all()}
