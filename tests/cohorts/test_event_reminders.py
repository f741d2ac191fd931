"""send_reminders reminds members invited to an event in the next week who have not replied, once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cohorts.models import Attendance, Event
from cohorts.reminders import EVENT_REPLY, event_reminder_key, event_reminders_enqueue
from cohorts.services import attendance_reply, event_create
from notifications.models import OutboundMessage


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


def test_members_who_have_not_replied_to_an_event_this_week_are_reminded_once(
    world, django_capture_on_commit_callbacks
):
    soon = _event(world, days_ahead=3)
    _event(world, days_ahead=20)
    attendance_reply(event=soon, membership=world.bob_membership, status=Attendance.Status.ACCEPTED)

    with django_capture_on_commit_callbacks(execute=True):
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
    assert all(f"/cohorts/events/{soon.pk}/" in message.body for message in mail.outbox)
    sent = OutboundMessage.objects.filter(kind=EVENT_REPLY, status=OutboundMessage.Status.SENT)
    assert sent.count() == len(invited)
    assert world.alice.outbound_messages.get().key == event_reminder_key(event_id=soon.pk, user_id=world.alice.pk)

    with django_capture_on_commit_callbacks(execute=True):
        assert event_reminders_enqueue(now=timezone.now()) == 0
    assert len(mail.outbox) == len(invited)


def test_members_of_a_past_event_or_inactive_people_are_not_reminded(world, django_capture_on_commit_callbacks):
    past = _event(world, days_ahead=-1)
    assert past.attendances.exists()
    soon = _event(world, days_ahead=2)
    world.alice.is_active = False
    world.alice.save()

    with django_capture_on_commit_callbacks(execute=True):
        event_reminders_enqueue(now=timezone.now())

    recipients = {message.to[0] for message in mail.outbox}
    assert world.alice.email not in recipients
    assert recipients and all(soon.title in message.subject for message in mail.outbox)
