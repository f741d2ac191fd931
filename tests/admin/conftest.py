"""The admin tests' world: the personas plus a row of every registered model, and a signed-in manager."""

from __future__ import annotations

from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cohorts.models import ApplicationAttempt, Attendance
from notifications.models import Delivery, Kind, OutboundMessage
from notifications.services import message_enqueue, notification_preferences_save
from outputs.models import OutputRevision
from pairs.comments import step_comment_add
from pairs.models import Step
from pairs.services import private_notes_reading_log
from privacy.models import Erasure
from programme.models import User
from tests.conftest import World
from tests.factories import (
    ActivityFactory,
    ApplicationFactory,
    AttendanceFactory,
    DecisionLetterFactory,
    DisconnectFactory,
    EventFactory,
    ExportFileFactory,
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
    DecisionLetterFactory(programme=cohort.programme)
    ApplicationAttempt.objects.create(address_hash="f" * 64)
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
    output = OutputFactory(pair=world.pair, question=question, title="Whole-person services: a case study")
    OutputRevision.objects.create(output=output, kind=output.kind, title="Revised", visibility=output.visibility)
    YearEndReportFactory(cohort=cohort)
    message_enqueue(key="test:bob", to=world.bob, kind="event_reply", subject="Please reply", body="Dear Bob")
    notification_preferences_save(user=world.bob, deliveries={Kind.PARTNER_STEP: Delivery.IMMEDIATELY})
    step_comment_add(progress=world.pair.steps.get(step=1), author=world.facilitator, body="Ask **service users**.")
    User.objects.filter(pk=world.dave.pk).update(
        email_refused_at=timezone.now(), email_refused_reason="550 no such user"
    )
    DBTaskResult.objects.create(
        task_path="notifications.tasks.message_send_task",
        args_kwargs={"args": [], "kwargs": {"message_id": OutboundMessage.objects.get().pk}},
        backend_name="default",
    )
    Group.objects.create(name="Facilitators")
    private_notes_reading_log(pair=world.pair, reader=world.facilitator, reason="The pair asked for help")
    Erasure.objects.create(label="Former participant 0", erased_by=world.manager)
    ExportFileFactory(requested_by=world.manager)
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
