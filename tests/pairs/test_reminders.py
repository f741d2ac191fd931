"""send_reminders: unreplied events in the next week and steps due soon or overdue, each sent once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cohorts.models import Attendance, Event
from cohorts.services import attendance_reply, event_create
from pairs.models import Reminder, Step
from pairs.reminders import reminders_send
from tests.factories import StepDeadlineFactory


def _event(world, *, days_ahead: int) -> Event:
    starts = timezone.now() + timedelta(days=days_ahead)
    return event_create(
        cohort=world.cohort,
        kind=Event.Kind.WORKSHOP,
        title=f"Workshop in {days_ahead} days",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        length_days=Decimal("1"),
    )


def test_members_who_have_not_replied_to_an_event_this_week_are_reminded_once(world):
    soon = _event(world, days_ahead=3)
    _event(world, days_ahead=20)
    attendance_reply(event=soon, membership=world.bob_membership, status=Attendance.Status.ACCEPTED)

    call_command("send_reminders", stdout=StringIO())

    recipients = sorted(message.to[0] for message in mail.outbox)
    invited = sorted(
        a.membership.user.email
        for a in soon.attendances.select_related("membership__user")
        if a.status == Attendance.Status.INVITED
    )
    assert recipients == invited
    assert world.bob.email not in recipients
    assert all("Workshop in 3 days" in message.subject for message in mail.outbox)
    assert Reminder.objects.filter(kind=Reminder.Kind.EVENT_REPLY).count() == len(invited)


def test_running_twice_in_a_row_sends_nothing_the_second_time(world):
    _event(world, days_ahead=2)
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=timezone.localdate() + timedelta(days=5))
    first = reminders_send()
    assert first.events > 0 and first.steps > 0
    sent = len(mail.outbox)

    second = reminders_send()

    assert second.total == 0
    assert len(mail.outbox) == sent


def test_pair_members_are_reminded_of_a_step_due_within_a_week_or_overdue(world):
    today = timezone.localdate()
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=today - timedelta(days=2))
    StepDeadlineFactory(cohort=world.cohort, step=Step.UNDERSTAND, due_on=today + timedelta(days=6))
    StepDeadlineFactory(cohort=world.cohort, step=Step.EXPLORE, due_on=today + timedelta(days=30))

    sent = reminders_send()

    # Two pairs of two members, two steps each; step 3 is not due yet.
    assert sent.steps == 8
    subjects = {message.subject for message in mail.outbox}
    assert subjects == {"Overdue: step 1, Identify", "Due soon: step 2, Understand"}
    alice_mail = [m for m in mail.outbox if m.to == [world.alice.email]]
    assert len(alice_mail) == 2
    assert world.pair.get_absolute_url() in alice_mail[0].body


def test_a_moved_due_date_is_reminded_again(world):
    deadline = StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=timezone.localdate())
    reminders_send()
    before = len(mail.outbox)
    deadline.due_on = timezone.localdate() + timedelta(days=3)
    deadline.save()

    assert reminders_send().steps == 4
    assert len(mail.outbox) == before + 4


def test_members_of_a_finished_step_or_past_event_are_not_reminded(world):
    past = _event(world, days_ahead=-1)
    assert past.attendances.exists()
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=timezone.localdate() + timedelta(days=1))
    for pair in (world.pair, world.other_pair):
        pair.steps.filter(step=Step.IDENTIFY).update(status="done", summary="We found it.")

    assert reminders_send().total == 0
    assert mail.outbox == []
