"""The reminders and the risk digest, sent through a real SMTP server that refuses one address, stalls
once on another and defers a third once: everyone else gets their mail, the temporary failures are
delivered on retry, the refusal is recorded and never retried, and a second run sends nothing twice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cohorts.models import Event
from cohorts.services import event_create
from notifications.models import OutboundMessage
from notifications.rules import MAX_SEND_ATTEMPTS
from notifications.services import message_enqueue, messages_due_enqueue
from pairs.models import Step
from pairs.reminders import reminders_enqueue
from pairs.risk import risk_digest_enqueue
from tests.factories import StepDeadlineFactory
from tests.notifications.smtp_stub import ScriptedHandler, SMTPStub

Status = OutboundMessage.Status


@pytest.fixture
def smtp(settings, django_mail_patch_dns):
    stub = SMTPStub(ScriptedHandler())
    settings.MAILERS = stub.mailers()
    stub.controller.start()
    yield stub.handler
    stub.controller.stop()


def _due_work(world) -> None:
    """A workshop in three days and an overdue step: four event and four step reminders, one digest."""
    starts = timezone.now() + timedelta(days=3)
    event_create(
        cohort=world.cohort,
        kind=Event.Kind.WORKSHOP,
        title="Workshop 4",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        length_days=Decimal("1"),
    )
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=timezone.localdate() - timedelta(days=2))


def _run_jobs(world, capture, *, now=None) -> None:
    with capture(execute=True):
        reminders_enqueue()
        risk_digest_enqueue(cohort=world.cohort, today=timezone.localdate())
        messages_due_enqueue(now=now)


def test_one_refused_address_and_two_temporary_failures_stop_nobody_else(
    world, smtp, django_capture_on_commit_callbacks
):
    _due_work(world)
    carol_partner = world.other_pair.members.exclude(membership=world.carol_membership).get().membership.user
    smtp.refuse = {world.carol.email}
    smtp.stall_once = {world.bob.email}
    smtp.defer_once = {world.alice.email}

    _run_jobs(world, django_capture_on_commit_callbacks)

    # Everyone else has all their mail at once: two reminders each, the facilitator the digest.
    assert len(smtp.delivered_to(carol_partner.email)) == 2
    assert len(smtp.delivered_to(world.facilitator.email)) == 1
    # The timed-out and deferred first messages wait for a retry; their second messages went through.
    assert len(smtp.delivered_to(world.bob.email)) == 1
    assert len(smtp.delivered_to(world.alice.email)) == 1
    waiting = OutboundMessage.objects.filter(status=Status.PENDING)
    assert sorted(waiting.values_list("to", flat=True)) == sorted([world.alice.email, world.bob.email])
    assert all(message.attempts == 1 and message.next_attempt_at > timezone.now() for message in waiting)
    assert "timed out" in waiting.get(to=world.bob.email).last_error
    assert "451" in waiting.get(to=world.alice.email).last_error
    # Carol's server refused her address: recorded on her, her second message not even tried.
    world.carol.refresh_from_db()
    assert world.carol.email_refused_at is not None
    assert "550" in world.carol.email_refused_reason
    assert OutboundMessage.objects.filter(to=world.carol.email, status=Status.REFUSED).count() == 2
    assert smtp.asked.count(world.carol.email) == 1
    assert smtp.delivered_to(world.carol.email) == []

    # Later, the retry goes out; the refusal is not retried.
    _run_jobs(world, django_capture_on_commit_callbacks, now=timezone.now() + timedelta(hours=1))

    assert len(smtp.delivered_to(world.bob.email)) == 2
    assert len(smtp.delivered_to(world.alice.email)) == 2
    assert not OutboundMessage.objects.filter(status=Status.PENDING).exists()
    assert smtp.asked.count(world.carol.email) == 1

    # A second run of every job, however late, sends nothing twice.
    delivered = len(smtp.delivered)
    _run_jobs(world, django_capture_on_commit_callbacks, now=timezone.now() + timedelta(days=1))
    assert len(smtp.delivered) == delivered
    assert len(smtp.delivered) == OutboundMessage.objects.filter(status=Status.SENT).count() == 7
    assert sorted(d.subject for d in smtp.delivered if d.to == world.alice.email) == [
        "Overdue: step 1, Identify",
        f"Please reply: Workshop 4, {timezone.localtime(timezone.now() + timedelta(days=3)):%-d %B}",
    ]


def test_a_server_that_never_answers_is_given_up_after_the_last_attempt(
    world, smtp, django_capture_on_commit_callbacks
):
    always_busy = "busy@example.org"
    original = ScriptedHandler.handle_RCPT

    async def busy(self, server, session, envelope, address, rcpt_options):
        if address == always_busy:
            self.asked.append(address)
            return "421 4.7.0 Try again later"
        return await original(self, server, session, envelope, address, rcpt_options)

    smtp.handle_RCPT = busy.__get__(smtp)
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = message_enqueue(key="busy", to=always_busy, kind="test", subject="Hello", body="Hi")
    for hours in range(1, MAX_SEND_ATTEMPTS + 2):
        with django_capture_on_commit_callbacks(execute=True):
            messages_due_enqueue(now=timezone.now() + timedelta(hours=hours * 3))

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == MAX_SEND_ATTEMPTS
    assert smtp.asked.count(always_busy) == MAX_SEND_ATTEMPTS
