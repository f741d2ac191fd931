"""Moving to the outbox re-sends nothing: reminders and digests already sent become sent messages under
the keys the jobs now use."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps
from django.utils import timezone

from cohorts.reminders import event_reminder_key, survey_reminder_key
from notifications.models import OutboundMessage
from pairs.models import StepProgress
from pairs.reminders import step_reminder_key
from pairs.risk import risk_digest_key
from tests.factories import EventFactory, StepDeadlineFactory, SurveyFactory

BEFORE = [("pairs", "0005_reminder_survey"), ("notifications", "0001_initial")]


def _migrate(targets: list[tuple[str, str]]) -> StateApps:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_reminders_sent_before_the_outbox_are_kept_as_sent_messages_under_the_new_keys(world):
    # Forming the personas' pairs told them by email; this test is about reminders only.
    OutboundMessage.objects.all().delete()
    mail.outbox.clear()
    event = EventFactory(cohort=world.cohort)
    survey = SurveyFactory(cohort=world.cohort)
    due = StepDeadlineFactory(cohort=world.cohort, step=1, due_on=date(2015, 2, 1)).due_on
    step = StepProgress.objects.get(pair=world.pair, step=1)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        Reminder = old.get_model("pairs", "Reminder")
        RiskDigest = old.get_model("pairs", "RiskDigest")
        sent_at = timezone.now() - timedelta(days=3)
        Reminder.objects.create(kind="event_reply", recipient_id=world.alice.pk, event_id=event.pk, sent_at=sent_at)
        Reminder.objects.create(kind="survey_answer", recipient_id=world.bob.pk, survey_id=survey.pk, sent_at=sent_at)
        Reminder.objects.create(
            kind="step_due", recipient_id=world.alice.pk, step_id=step.pk, due_on=due, sent_at=sent_at
        )
        RiskDigest.objects.create(
            cohort_id=world.cohort.pk, recipient_id=world.facilitator.pk, week="2015-W07", sent_at=sent_at
        )
    finally:
        _migrate(latest)

    step.due_on = due
    expected = {
        event_reminder_key(event_id=event.pk, user_id=world.alice.pk),
        survey_reminder_key(survey_id=survey.pk, user_id=world.bob.pk),
        step_reminder_key(step=step, user_id=world.alice.pk),
        risk_digest_key(cohort=world.cohort, user_id=world.facilitator.pk, week="2015-W07"),
    }
    messages = OutboundMessage.objects.all()
    assert {m.key for m in messages} == expected
    assert {m.status for m in messages} == {OutboundMessage.Status.SENT}
    assert mail.outbox == []
