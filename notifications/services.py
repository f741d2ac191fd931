"""Writes on the outbox: enqueue a message once, send it, retry it, and clear a refused address.

A message is recorded first and sent by a task scheduled after the transaction commits, so a rolled-back
change never sends mail and a failed send never loses the message.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from programme.models import User

from .models import Delivery, Kind, Notification, NotificationPreference, OutboundMessage
from .rules import ALREADY_SENT, DEFAULT_DELIVERY, LOST_AFTER, MAX_SEND_ATTEMPTS, Failure, delivery_failure, retry_delay

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
                f"Not sent: the address refused mail on {timezone.localtime(recipient.email_refused_at):%-d %B %Y}."
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


# Notifications: raised by any app above this one, shown in Pairwise, emailed per each person's choice.


def deliveries_for(*, user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """How each person hears of this kind of notification by email, in one query: their choice or the default."""
    user_ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", "delivery")
    )
    default = DEFAULT_DELIVERY[kind]
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def _schedule_fan_out(batch: uuid.UUID) -> None:
    from .tasks import notifications_fan_out_task

    notifications_fan_out_task.enqueue(batch=str(batch))


_batching = threading.local()


@contextmanager
def notifications_batched() -> Iterator[None]:
    """Within this block (inside a transaction), every notification raised shares ONE fan-out task:
    forming 500 pairs or inviting a cohort to ten events enqueues one task, not one per call."""
    if getattr(_batching, "batch", None) is not None:
        yield  # already batching: the outer block schedules the task
        return
    _batching.batch, _batching.needs_email = uuid.uuid4(), False
    try:
        yield
    finally:
        batch, needs_email = _batching.batch, _batching.needs_email
        _batching.batch = None
    if needs_email:
        transaction.on_commit(partial(_schedule_fan_out, batch), robust=True)


def _batch_for(*, needs_email: bool) -> uuid.UUID:
    batch = getattr(_batching, "batch", None)
    if batch is not None:
        _batching.needs_email = _batching.needs_email or needs_email
        return batch
    batch = uuid.uuid4()
    if needs_email:
        transaction.on_commit(partial(_schedule_fan_out, batch), robust=True)
    return batch


@dataclass(frozen=True)
class Recipient:
    """One person to notify and the key that makes their notification unique."""

    user_id: int
    key: str
    text: str = ""  # this person's own wording and link, where they differ from the rest of the batch
    url: str = ""


@transaction.atomic
def notifications_raise(*, recipients: Iterable[Recipient], kind: str, text: str, url: str = "") -> list[Notification]:
    """Notify many people of one thing at once: bulk-create their notifications, email them through ONE task.

    A key already raised is skipped, so raising the same thing twice notifies once. Returns the new rows.
    """
    Kind(kind)  # an unknown kind is a programming error, not a silent no-op
    wanted = {recipient.key: recipient for recipient in recipients}
    if not wanted:
        return []
    raised_before = set(Notification.objects.filter(key__in=wanted).values_list("key", flat=True))
    fresh = [recipient for key, recipient in wanted.items() if key not in raised_before]
    if not fresh:
        return []
    deliveries = deliveries_for(user_ids={recipient.user_id for recipient in fresh}, kind=kind)
    batch = _batch_for(needs_email=any(delivery == Delivery.IMMEDIATELY for delivery in deliveries.values()))
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=recipient.user_id,
            kind=kind,
            key=recipient.key,
            text=(recipient.text or text)[:300],
            url=recipient.url or url,
            delivery=deliveries[recipient.user_id],
            batch=batch,
            created_at=now,
        )
        for recipient in fresh
    ]
    # Two raisers racing on one key: the second insert is ignored rather than failing the caller's work.
    return Notification.objects.bulk_create(rows, ignore_conflicts=True)


def notification_raise(*, recipient: User, key: str, kind: str, text: str, url: str = "") -> Notification | None:
    """Notify one person; None when this key was raised before."""
    created = notifications_raise(recipients=[Recipient(recipient.pk, key)], kind=kind, text=text, url=url)
    # bulk_create leaves the primary key unset where the database cannot return it (ignore_conflicts)
    return Notification.objects.filter(key=key).first() if created else None


def _absolute(url: str) -> str:
    return urljoin(settings.SITE_URL, url) if url else settings.SITE_URL


def notifications_fan_out(*, batch: str) -> int:
    """Email every notification of a batch whose recipient wants it at once; returns how many were queued.

    Streams the batch, so 300 or 3,000 recipients take the same memory; each message has its own outbox
    key, so running the task twice sends nothing twice.
    """
    queued = 0
    rows = (
        Notification.objects.filter(batch=batch, delivery=Delivery.IMMEDIATELY, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("pk")
    )
    for notification in rows.iterator(chunk_size=500):
        recipient = notification.recipient
        if not recipient.is_active or not recipient.email:
            continue
        body = render_to_string(
            "notifications/email/notification.txt",
            {"notification": notification, "recipient": recipient, "link": _absolute(notification.url)},
        )
        _, created = message_enqueue(
            key=f"notification:{notification.key}",
            to=recipient,
            kind=f"notification_{notification.kind}",
            subject=f"Pairwise: {notification.text}"[:255],
            body=body,
        )
        queued += created
    Notification.objects.filter(batch=batch, delivery=Delivery.IMMEDIATELY, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return queued


def digest_key(*, user_id: int, day: date) -> str:
    return f"notification-digest:{user_id}:{day.isoformat()}"


DIGEST_CHUNK = 200


def notification_digest_send(*, day: date | None = None) -> int:
    """Email each person who chose a daily digest what they were notified of since their last one.

    Streams the recipients with `.iterator()` and works through them 200 at a time (one transaction and
    three queries a chunk, plus the outbox rows), so 1,500 people are never all in memory. Each digest's
    key holds the day, so running it twice a day sends one. Returns how many were queued.
    """
    day = day or timezone.localdate()
    queued = 0
    recipient_ids = (
        Notification.objects.waiting_for_digest().order_by("recipient_id").values_list("recipient_id", flat=True)
    ).distinct()
    chunk: list[int] = []
    for recipient_id in recipient_ids.iterator(chunk_size=DIGEST_CHUNK):
        chunk.append(recipient_id)
        if len(chunk) == DIGEST_CHUNK:
            queued += _digest_chunk(recipient_ids=chunk, day=day)
            chunk = []
    if chunk:
        queued += _digest_chunk(recipient_ids=chunk, day=day)
    return queued


@transaction.atomic
def _digest_chunk(*, recipient_ids: list[int], day: date) -> int:
    waiting: dict[int, list[Notification]] = {}
    rows = (
        Notification.objects.waiting_for_digest()
        .filter(recipient_id__in=recipient_ids)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    for notification in rows:
        waiting.setdefault(notification.recipient_id, []).append(notification)
    queued = 0
    list_url = _absolute(reverse("notifications:list"))
    for notifications in waiting.values():
        recipient = notifications[0].recipient
        if not recipient.is_active or not recipient.email:
            continue
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "recipient": recipient,
                "notifications": [(n, _absolute(n.url)) for n in notifications],
                "list_url": list_url,
            },
        )
        count = len(notifications)
        _, created = message_enqueue(
            key=digest_key(user_id=recipient.pk, day=day),
            to=recipient,
            kind="notification_digest",
            subject=f"Pairwise: {count} update{'s' if count != 1 else ''} for you",
            body=body,
        )
        queued += created
    done = [notification.pk for notifications in waiting.values() for notification in notifications]
    Notification.objects.filter(pk__in=done).update(emailed_at=timezone.now())
    return queued


def notification_digest_enqueue(*, day: date | None = None) -> None:
    """Schedule the daily digest: one task streams every recipient (the cron job only enqueues)."""
    from .tasks import notification_digest_task

    day = day or timezone.localdate()
    transaction.on_commit(partial(notification_digest_task.enqueue, day=day.isoformat()), robust=True)


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one of a person's notifications read."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of a person read; returns how many."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_save(*, user: User, deliveries: dict[str, str]) -> None:
    """Save a person's email choice per kind (kinds left out keep their current choice)."""
    for kind, delivery in deliveries.items():
        Kind(kind)
        Delivery(delivery)
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
