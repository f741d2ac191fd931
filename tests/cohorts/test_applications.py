"""Accepting an application makes the applicant a member, invited to the cohort's events still to come."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts.models import Application, Attendance, Membership, Side
from cohorts.rules import APPLICATION_ALREADY_DECIDED
from cohorts.services import application_accept, application_decline, event_create
from tests.factories import ApplicationFactory, MembershipFactory, QuestionFactory


def _upcoming(cohort):
    starts_at = timezone.now() + timedelta(days=7)
    return event_create(cohort=cohort, title="Workshop 3", starts_at=starts_at, ends_at=starts_at + timedelta(hours=6))


def test_accepting_makes_an_accepted_member_invited_to_future_events(world) -> None:
    upcoming = _upcoming(world.cohort)
    question = QuestionFactory(cohort=world.cohort)
    application = ApplicationFactory(cohort=world.cohort, side=Side.PRACTITIONER, preferred_question=question)

    membership = application_accept(application=application, by=world.manager)

    assert (membership.status, membership.side, membership.preferred_question) == (
        Membership.Status.ACCEPTED,
        Side.PRACTITIONER,
        question,
    )
    assert Attendance.objects.filter(membership=membership, event=upcoming).exists()
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (Application.Status.ACCEPTED, world.manager)
    assert application.decided_at is not None


def test_accepting_takes_up_the_applicants_applied_membership(world) -> None:
    applied = MembershipFactory(cohort=world.cohort, status=Membership.Status.APPLIED, side=Side.POLICYMAKER)
    application = ApplicationFactory(cohort=world.cohort, applicant=applied.user, side=Side.POLICYMAKER)

    membership = application_accept(application=application, by=world.manager)

    assert membership.pk == applied.pk
    assert membership.status == Membership.Status.ACCEPTED
    assert Membership.objects.filter(cohort=world.cohort, user=applied.user).count() == 1


def test_an_application_is_decided_once(world) -> None:
    application = ApplicationFactory(cohort=world.cohort)
    application_decline(application=application, by=world.manager)
    with pytest.raises(ValidationError, match=APPLICATION_ALREADY_DECIDED):
        application_accept(application=application, by=world.manager)
    assert not Membership.objects.filter(cohort=world.cohort, user=application.applicant).exists()
