"""The outbox: a key is sent once, failures are classified, lost messages are picked up, and a manager
can send a message again."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from notifications.models import OutboundMessage
from notifications.rules import ALREADY_SENT, LOST_AFTER, Failure, delivery_failure, retry_delay
from notifications.services import (
    address_refusal_clear,
    message_enqueue,
    message_retry,
    message_send,
    messages_due_enqueue,
)
from notifications.tasks import message_send_task

Status = OutboundMessage.Status


def _enqueue(user, key="test:1", **fields) -> tuple[OutboundMessage, bool]:
    defaults = {"kind": "test", "subject": "Hello", "body": "Dear you"}
    return message_enqueue(key=key, to=user, **(defaults | fields))


def test_the_same_key_enqueued_twice_is_recorded_and_sent_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, created = _enqueue(world.alice)
        again, created_again = _enqueue(world.alice, subject="Something else")

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert [m.subject for m in mail.outbox] == ["Hello"]
    first.refresh_from_db()
    assert (first.status, first.attempts, first.to, first.recipient) == (Status.SENT, 1, world.alice.email, world.alice)
    assert first.sent_at is not None


def test_a_message_is_sent_after_its_transaction_commits_not_before(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        _enqueue(world.alice)
        assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_message_with_an_html_body_carries_both_parts(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(world.alice, body_html="<p>Dear you</p>")
    [sent] = mail.outbox
    assert isinstance(sent, EmailMultiAlternatives)
    assert sent.body == "Dear you"
    assert sent.alternatives[0][0] == "<p>Dear you</p>"


def test_running_the_send_task_twice_sends_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = _enqueue(world.alice)
    message_send_task.enqueue(message_id=message.pk)
    assert message_send(message_id=message.pk) is None
    assert len(mail.outbox) == 1


def test_nothing_is_sent_to_an_address_that_refuses_mail(world, django_capture_on_commit_callbacks):
    world.alice.email_refused_at = timezone.now()
    world.alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = _enqueue(world.alice)
    message.refresh_from_db()
    assert message.status == Status.REFUSED
    assert message.attempts == 0
    assert "refused mail" in message.last_error
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}), Failure.REFUSED),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (452, b"Mailbox full")}), Failure.TEMPORARY),
        (smtplib.SMTPDataError(554, b"Message rejected"), Failure.PERMANENT),
        (smtplib.SMTPDataError(451, b"Try later"), Failure.TEMPORARY),
        (smtplib.SMTPSenderRefused(553, b"Sender not allowed", "noreply@example.org"), Failure.TEMPORARY),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), Failure.TEMPORARY),
        (TimeoutError("timed out"), Failure.TEMPORARY),
        (ConnectionRefusedError(111, "Connection refused"), Failure.TEMPORARY),
    ],
    ids=["550-rcpt", "452-rcpt", "554-data", "451-data", "553-sender", "disconnected", "timeout", "no-server"],
)
def test_only_a_5xx_reply_to_the_recipient_counts_as_a_refusal(error: Exception, failure: Failure) -> None:
    assert delivery_failure(error, address="a@example.org") is failure


def test_retries_back_off() -> None:
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]


def _lost(user, key: str, *, due_ago: timedelta) -> OutboundMessage:
    """A pending message whose task never ran (its transaction's callbacks were not run)."""
    message, _ = _enqueue(user, key=key)
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - due_ago)
    return message


def test_send_pending_mail_sends_messages_whose_task_was_lost(world, django_capture_on_commit_callbacks):
    lost = _lost(world.alice, "lost", due_ago=LOST_AFTER + timedelta(minutes=1))
    _lost(world.bob, "just-due", due_ago=timedelta(minutes=1))  # its task may still be on its way
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_pending_mail", stdout=out)

    assert out.getvalue().strip() == "Queued 1 waiting message(s)."
    assert [m.to for m in mail.outbox] == [[world.alice.email]]
    lost.refresh_from_db()
    assert lost.status == Status.SENT
    with django_capture_on_commit_callbacks(execute=True):
        assert messages_due_enqueue() == 0


def test_a_manager_retries_a_failed_message(world, django_capture_on_commit_callbacks):
    message, _ = _enqueue(world.alice)
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, attempts=6, last_error="timed out")

    with django_capture_on_commit_callbacks(execute=True):
        message_retry(message=message)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert len(mail.outbox) == 1


def test_retrying_a_refused_message_clears_the_refusal_on_the_person(world, django_capture_on_commit_callbacks):
    message, _ = _enqueue(world.alice)
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.REFUSED)
    world.alice.email_refused_at = timezone.now()
    world.alice.save()

    with django_capture_on_commit_callbacks(execute=True):
        message_retry(message=message)

    world.alice.refresh_from_db()
    assert world.alice.email_refused_at is None
    assert OutboundMessage.objects.get().status == Status.SENT


def test_a_sent_message_cannot_be_retried(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = _enqueue(world.alice)
    with pytest.raises(ValidationError) as error:
        message_retry(message=message)
    assert error.value.messages == [ALREADY_SENT]
    assert len(mail.outbox) == 1


def test_clearing_a_refusal_lets_mail_go_to_the_address_again(world, django_capture_on_commit_callbacks):
    world.alice.email_refused_at = timezone.now()
    world.alice.email_refused_reason = "550 No such user"
    world.alice.save()

    address_refusal_clear(user=world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(world.alice)

    world.alice.refresh_from_db()
    assert (world.alice.email_refused_at, world.alice.email_refused_reason) == (None, "")
    assert len(mail.outbox) == 1
