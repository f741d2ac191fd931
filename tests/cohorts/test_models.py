from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cohorts.models import Event, Insight, Membership, Side
from tests.factories import (
    CohortFactory,
    EventFactory,
    ExternalGuestFactory,
    InsightFactory,
    MembershipFactory,
    SurveyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_event_must_end_after_it_starts():
    event = EventFactory.build(cohort=CohortFactory())
    event.ends_at = event.starts_at - timedelta(hours=1)
    with pytest.raises(ValidationError, match="end after it starts"):
        event.full_clean()


def test_database_refuses_an_event_ending_before_it_starts():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(ends_at=event.starts_at - timedelta(minutes=1))


def test_one_live_membership_per_user_and_cohort():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(cohort=membership.cohort, user=membership.user, side=Side.PRACTITIONER)


def test_a_withdrawn_member_may_rejoin_the_same_cohort():
    membership = MembershipFactory(status=Membership.Status.WITHDRAWN, withdrawn_on=CohortFactory.build().starts_on)
    rejoined = Membership.objects.create(cohort=membership.cohort, user=membership.user, side=membership.side)
    assert rejoined.pk


def test_withdrawn_membership_needs_a_date():
    membership = MembershipFactory.build(cohort=CohortFactory(), user=UserFactory(), status=Membership.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="date the member withdrew"):
        membership.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_withdrawal_cannot_precede_joining():
    membership = MembershipFactory()
    membership.status = Membership.Status.WITHDRAWN
    membership.withdrawn_on = membership.joined_on - timedelta(days=1)
    with pytest.raises(ValidationError, match="before they joined"):
        membership.full_clean()


def test_survey_must_close_after_it_opens():
    survey = SurveyFactory.build(cohort=CohortFactory())
    survey.closes_at = survey.opens_at
    with pytest.raises(ValidationError, match="close after it opens"):
        survey.full_clean()


def test_events_are_numbered_by_kind_within_their_cohort():
    cohort = CohortFactory()
    first = EventFactory(cohort=cohort, kind=Event.Kind.WORKSHOP)
    roundtable = EventFactory(
        cohort=cohort,
        kind=Event.Kind.ROUNDTABLE,
        starts_at=first.starts_at + timedelta(days=3),
        ends_at=first.starts_at + timedelta(days=3, hours=2),
    )
    second = EventFactory(
        cohort=cohort,
        kind=Event.Kind.WORKSHOP,
        starts_at=first.starts_at + timedelta(days=7),
        ends_at=first.starts_at + timedelta(days=7, hours=6),
    )
    assert (first.number_in_cohort(), second.number_in_cohort(), roundtable.number_in_cohort()) == (1, 2, 1)


def test_insight_attribution_is_anonymous_unless_the_speaker_agreed():
    cohort = CohortFactory(number=2)
    speaker = MembershipFactory(cohort=cohort, side=Side.POLICYMAKER, user__full_name="Jo Bloggs")
    insight = InsightFactory(cohort=cohort, speaker=speaker)
    assert insight.attribution() == "Y2 policymaker, Workshop 1"
    insight.speaker_agreed_to_be_named = True
    assert insight.attribution() == "Jo Bloggs, Workshop 1"


def test_guest_insight_is_attributed_to_a_roundtable_participant():
    cohort = CohortFactory(number=2)
    roundtable = EventFactory(cohort=cohort, kind=Event.Kind.ROUNDTABLE)
    insight = InsightFactory(cohort=cohort, event=roundtable, guest=ExternalGuestFactory(event=roundtable))
    assert insight.attribution() == "Y2 roundtable participant, Roundtable 1"


def test_insight_cannot_have_both_a_member_and_a_guest_speaker():
    cohort = CohortFactory()
    event = EventFactory(cohort=cohort)
    with pytest.raises(IntegrityError), transaction.atomic():
        Insight.objects.create(
            cohort=cohort,
            event=event,
            text="x",
            speaker=MembershipFactory(cohort=cohort),
            guest=ExternalGuestFactory(event=event),
        )
