"""Background tasks of the outbox, run by `manage.py db_worker` (or at once by the immediate backend)."""

from __future__ import annotations

from django.tasks import task

from .services import message_send


@task()
def message_send_task(message_id: int) -> str | None:
    """Send one outbox message; safe to run twice, since a sent message is never sent again."""
    return message_send(message_id=message_id)
