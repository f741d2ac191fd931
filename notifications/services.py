"""Writes on the outbox: enqueue a message once, send it, retry it, and clear a refused address.

A message is recorded first and sent by a task scheduled after the transaction commits, so a rolled-back
change never sends mail and a failed send never loses the message.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from programme.models import User

from .models import OutboundMessage
from .rules import ALREADY_SENT, LOST_AFTER, MAX_SEND_ATTEMPTS, Failure, delivery_failure, retry_delay

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status


def _schedule_send(message_id: int, run_after: datetime | None = None) -> None:
    from .tasks import message_send_task

    task = message_send_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # e.g. the immediate backend: `send_pending_mail` sends it once it is due
        task = task.using(run_after=run_after)
    task.enqueue(message_id=message_id)


def _send_after_commit(message_id: int, run_after: datetime | None = None) -> None:
    # robust: a queue that cannot be reached must not undo the caller's work; the row waits for
    # `send_pending_mail`.
    transaction.on_commit(partial(_schedule_send, message_id, run_after), robust=True)


def message_enqueue(
    *, key: str, to: User | str, kind: str, subject: str, body: str, body_html: str = ""
) -> tuple[OutboundMessage, bool]:
    """Record a message under its key and send it after commit; a key already recorded sends nothing.

    Returns the message and whether it was new. The unique key decides, not a prior look-up, so two
    runs or workers enqueueing the same key at once record and send it once.
    """
    recipient = to if isinstance(to, User) else None
    address = to.email if isinstance(to, User) else to
    with transaction.atomic():
        message, created = OutboundMessage.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "recipient": recipient,
                "to": address,
                "subject": subject,
                "body": body,
                "body_html": body_html,
            },
        )
        if created:
            _send_after_commit(message.pk)
    return message, created


def _refuse_address(*, user: User, reason: str, at: datetime) -> None:
    user.email_refused_at = at
    user.email_refused_reason = reason[:500]
    user.save(update_fields=["email_refused_at", "email_refused_reason"])


def message_send(*, message_id: int) -> str | None:
    """Send one pending message, holding its row so no other worker sends it too; returns its new status.

    A temporary failure is retried later, up to a limit; a refusal of the address is recorded on the
    person and never retried. Returns None when there was nothing to do (sent, given up, or being sent
    by another worker right now).
    """
    now = timezone.now()
    retry_at = None
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=message_id, status=Status.PENDING)
            .first()
        )
        if message is None:
            return None
        recipient = message.recipient
        if recipient is not None and recipient.email_refused_at is not None:
            message.status = Status.REFUSED
            message.last_error = (
                f"Not sent: the address refused mail on {timezone.localtime(recipient.email_refused_at):%-d %b %Y}."
            )
            message.save(update_fields=["status", "last_error"])
            return message.status
        message.attempts += 1
        message.last_attempt_at = now
        try:
            email = EmailMultiAlternatives(message.subject, message.body, None, [message.to])
            if message.body_html:
                email.attach_alternative(message.body_html, "text/html")
            email.send()
        except Exception as error:
            failure = delivery_failure(error, address=message.to)
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            logger.warning("Sending %s to %s failed (%s): %s", message.key, message.to, failure.value, error)
            if failure is Failure.REFUSED:
                message.status = Status.REFUSED
                if recipient is not None:
                    _refuse_address(user=recipient, reason=message.last_error, at=now)
            elif failure is Failure.PERMANENT or message.attempts >= MAX_SEND_ATTEMPTS:
                message.status = Status.FAILED
            else:
                retry_at = message.next_attempt_at = now + retry_delay(message.attempts)
        else:
            message.status = Status.SENT
            message.sent_at = now
            message.last_error = ""
        message.save()
        if retry_at is not None:
            _send_after_commit(message.pk, retry_at)
    return message.status


def messages_due_enqueue(*, now: datetime | None = None) -> int:
    """Schedule every pending message that fell due a while ago and is still waiting: its task was lost."""
    now = now or timezone.now()
    due = list(
        OutboundMessage.objects.pending().filter(next_attempt_at__lte=now - LOST_AFTER).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for message_id in due:
            _send_after_commit(message_id)
    return len(due)


@transaction.atomic
def message_retry(*, message: OutboundMessage) -> OutboundMessage:
    """Send a failed, refused or waiting message again now; retrying a refusal clears it on the person."""
    message = OutboundMessage.objects.select_for_update(of=("self",)).select_related("recipient").get(pk=message.pk)
    if message.status == Status.SENT:
        raise ValidationError(ALREADY_SENT)
    if message.status == Status.REFUSED and message.recipient is not None:
        address_refusal_clear(user=message.recipient)
    message.status = Status.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    _send_after_commit(message.pk)
    return message


@transaction.atomic
def address_refusal_clear(*, user: User) -> User:
    """Let mail go to this person's address again (after they fixed it, or a manager changed it)."""
    user.email_refused_at = None
    user.email_refused_reason = ""
    user.save(update_fields=["email_refused_at", "email_refused_reason"])
    return user
