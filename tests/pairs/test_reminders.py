"""send_reminders: steps due soon or overdue are reminded once per due date; a second run sends nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.utils import timezone

from cohorts.models import Event
from cohorts.services import event_create
from notifications.models import OutboundMessage
from pairs.models import Step
from pairs.reminders import STEP_DUE, RemindersQueued, reminders_enqueue
from tests.factories import StepDeadlineFactory


def _run(capture) -> RemindersQueued:
    with capture(execute=True):
        return reminders_enqueue()


def test_running_twice_in_a_row_sends_nothing_the_second_time(world, django_capture_on_commit_callbacks):
    starts = timezone.now() + timedelta(days=2)
    event_create(
        cohort=world.cohort,
        kind=Event.Kind.WORKSHOP,
        title="Workshop",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        length_days=Decimal("1"),
    )
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=timezone.localdate() + timedelta(days=5))
    first = _run(django_capture_on_commit_callbacks)
    assert first.events > 0 and first.steps > 0
    sent = len(mail.outbox)
    assert sent == first.total

    second = _run(django_capture_on_commit_callbacks)

    assert second.total == 0
    assert len(mail.outbox) == sent


def test_pair_members_are_reminded_of_a_step_due_within_a_week_or_overdue(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=today - timedelta(days=2))
    StepDeadlineFactory(cohort=world.cohort, step=Step.UNDERSTAND, due_on=today + timedelta(days=6))
    StepDeadlineFactory(cohort=world.cohort, step=Step.EXPLORE, due_on=today + timedelta(days=30))

    queued = _run(django_capture_on_commit_callbacks)

    # Two pairs of two members, two steps each; step 3 is not due yet.
    assert queued.steps == 8
    assert OutboundMessage.objects.filter(kind=STEP_DUE, status=OutboundMessage.Status.SENT).count() == 8
    subjects = {message.subject for message in mail.outbox}
    assert subjects == {"Overdue: step 1, Identify", "Due soon: step 2, Understand"}
    alice_mail = [m for m in mail.outbox if m.to == [world.alice.email]]
    assert len(alice_mail) == 2
    assert world.pair.get_absolute_url() in alice_mail[0].body


def test_a_moved_due_date_is_reminded_again(world, django_capture_on_commit_callbacks):
    deadline = StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=timezone.localdate())
    _run(django_capture_on_commit_callbacks)
    before = len(mail.outbox)
    deadline.due_on = timezone.localdate() + timedelta(days=3)
    deadline.save()

    assert _run(django_capture_on_commit_callbacks).steps == 4
    assert len(mail.outbox) == before + 4


def test_members_of_a_finished_step_are_not_reminded(world, django_capture_on_commit_callbacks):
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=timezone.localdate() + timedelta(days=1))
    for pair in (world.pair, world.other_pair):
        pair.steps.filter(step=Step.IDENTIFY).update(status="done", summary="We found it.")

    assert _run(django_capture_on_commit_callbacks).total == 0
    assert mail.outbox == []


def test_a_reminder_is_not_sent_when_the_work_that_queued_it_rolls_back(world, django_capture_on_commit_callbacks):
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=timezone.localdate())

    class Undo(Exception):
        pass

    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                assert reminders_enqueue().steps == 4
                raise Undo
        except Undo:
            pass

    assert mail.outbox == []
    assert not OutboundMessage.objects.exists()
