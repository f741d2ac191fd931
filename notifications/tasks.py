"""Background tasks of the outbox, run by `manage.py db_worker` (or at once by the immediate backend)."""

from __future__ import annotations

from datetime import date

from django.tasks import task

from .services import message_send, notification_digest_send, notifications_fan_out


@task()
def message_send_task(message_id: int) -> str | None:
    """Send one outbox message; safe to run twice, since a sent message is never sent again."""
    return message_send(message_id=message_id)


@task()
def notifications_fan_out_task(batch: str) -> int:
    """Email the notifications raised together whose recipients want them at once."""
    return notifications_fan_out(batch=batch)


@task()
def notification_digest_task(day: str) -> int:
    """Send the day's digests, streaming the people who chose one."""
    return notification_digest_send(day=date.fromisoformat(day))
