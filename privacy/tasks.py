"""Background work of privacy, run by `manage.py db_worker` beside the outbox's tasks."""

from __future__ import annotations

from django.tasks import task

from .services import applications_delete_expired


@task()
def applications_delete_expired_task() -> int:
    """Delete the applications declined more than the retention period ago; safe to run twice."""
    return applications_delete_expired()
