"""send_reminders reminds members who have not answered an open survey closing within a week, once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cohorts.models import Membership, Side, SurveyQuestion
from cohorts.reminders import SURVEY_ANSWER, survey_reminders_enqueue
from cohorts.surveys import survey_question_add, survey_response_save
from notifications.models import OutboundMessage
from tests.factories import SurveyFactory


def _survey(world, *, closes_in_days: int, audience: str = SurveyQuestion.Audience.ALL, title: str = "Evaluation"):
    survey = SurveyFactory(cohort=world.cohort, title=title, closes_at=timezone.now() + timedelta(days=closes_in_days))
    survey_question_add(survey=survey, text="Useful?", kind=SurveyQuestion.Kind.YES_NO, audience=audience)
    return survey


def _remind(capture) -> int:
    with capture(execute=True):
        return survey_reminders_enqueue(now=timezone.now())


def _asked_emails(world) -> list[str]:
    return sorted(
        Membership.objects.filter(cohort=world.cohort, status__in=("accepted", "active", "completed")).values_list(
            "user__email", flat=True
        )
    )


def test_members_who_have_not_answered_are_reminded_once(world, django_capture_on_commit_callbacks):
    survey = _survey(world, closes_in_days=3)
    survey_response_save(survey=survey, membership=world.bob_membership, answers={survey.questions.get().pk: True})

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == [email for email in _asked_emails(world) if email != world.bob.email]
    assert "survey reminder(s)" in out.getvalue()
    assert all("Please answer: Evaluation" in message.subject for message in mail.outbox)
    assert all(f"/cohorts/surveys/{survey.pk}/answer/" in message.body for message in mail.outbox)
    assert OutboundMessage.objects.filter(kind=SURVEY_ANSWER, status="sent").count() == len(recipients)

    sent = len(mail.outbox)
    assert _remind(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == sent


def test_only_the_side_asked_is_reminded(world, django_capture_on_commit_callbacks):
    _survey(world, closes_in_days=3, audience=Side.POLICYMAKER)
    assert _remind(django_capture_on_commit_callbacks) == 2  # alice and carol's partner
    assert world.alice.email in {message.to[0] for message in mail.outbox}
    assert world.bob.email not in {message.to[0] for message in mail.outbox}


def test_surveys_closing_later_closed_or_without_questions_are_not_reminded(world, django_capture_on_commit_callbacks):
    _survey(world, closes_in_days=20, title="Later")
    SurveyFactory(cohort=world.cohort, closes_at=timezone.now() + timedelta(days=2))  # no question yet
    closed = SurveyFactory(
        cohort=world.cohort, opens_at=timezone.now() - timedelta(days=9), closes_at=timezone.now() - timedelta(days=1)
    )
    survey_question_add(survey=closed, text="Useful?", kind=SurveyQuestion.Kind.YES_NO)
    Membership.objects.filter(pk=world.carol_membership.pk).update(status="withdrawn", withdrawn_on="2015-01-01")
    assert _remind(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_withdrawn_members_are_not_reminded(world, django_capture_on_commit_callbacks):
    Membership.objects.filter(pk=world.carol_membership.pk).update(status="withdrawn", withdrawn_on="2015-01-01")
    _survey(world, closes_in_days=3)
    _remind(django_capture_on_commit_callbacks)
    assert world.carol.email not in {message.to[0] for message in mail.outbox}
    assert world.dave.email not in {message.to[0] for message in mail.outbox}
