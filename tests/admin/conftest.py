"""The admin tests' world: the personas plus a row of every registered model, and a signed-in manager."""

from __future__ import annotations

from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group

from cohorts.models import Attendance
from pairs.models import Reminder, RiskDigest, Step
from tests.conftest import World
from tests.factories import (
    ActivityFactory,
    ApplicationFactory,
    AttendanceFactory,
    DisconnectFactory,
    EventFactory,
    ExternalGuestFactory,
    FindingFactory,
    InsightFactory,
    OrganisationFactory,
    OutputFactory,
    PolicyAreaFactory,
    QuestionFactory,
    StepDeadlineFactory,
    SurveyAnswerFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    SurveyResponseFactory,
    YearEndReportFactory,
)


@pytest.fixture
def admin_world(world: World) -> World:
    """The personas plus at least one row of every registered model."""
    cohort = world.cohort
    world.alice.interests.add(PolicyAreaFactory(name="Homelessness"))
    cohort.programme.partners.add(OrganisationFactory(name="Institute for Government"))
    question = QuestionFactory(cohort=cohort, short_title="Engaging service users")
    question.disconnects.add(DisconnectFactory(programme=cohort.programme))
    FindingFactory(question=question, title="Match your engagement methods to your aims")
    ApplicationFactory(cohort=cohort)
    event = EventFactory(cohort=cohort, question=question, title="Workshop 1")
    AttendanceFactory(event=event, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    ExternalGuestFactory(event=event)
    InsightFactory(cohort=cohort, event=event, question=question, speaker=world.bob_membership)
    survey = SurveyFactory(cohort=cohort)
    survey_question = SurveyQuestionFactory(survey=survey)
    response = SurveyResponseFactory(survey=survey, membership=world.alice_membership)
    SurveyAnswerFactory(response=response, question=survey_question)
    StepDeadlineFactory(cohort=cohort, step=Step.IDENTIFY)
    ActivityFactory(
        pair=world.pair,
        hours=Decimal("3"),
        attendees=[world.alice_membership, world.bob_membership],
        logged_by=world.alice,
    )
    OutputFactory(pair=world.pair, question=question, title="Whole-person services: a case study")
    YearEndReportFactory(cohort=cohort)
    Reminder.objects.create(kind=Reminder.Kind.EVENT_REPLY, recipient=world.bob, event=event)
    RiskDigest.objects.create(cohort=cohort, recipient=world.facilitator, week="2015-W07")
    Group.objects.create(name="Facilitators")
    attempt = {
        "user_agent": "test",
        "ip_address": "127.0.0.1",
        "username": "x@example.org",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)
    return world


@pytest.fixture
def manager_client(client, admin_world: World):
    client.force_login(admin_world.manager)
    return client
