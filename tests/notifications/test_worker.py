"""With the database backend, as in production: enqueueing stores a task, `db_worker` sends the message,
and a temporary failure stores the retry as a task that runs later."""

from __future__ import annotations

import signal
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import OutboundMessage
from notifications.services import message_enqueue
from tests.factories import UserFactory

Status = OutboundMessage.Status


class DisconnectingOnceBackend(LocmemBackend):
    """A mail server that drops the first connection, then accepts."""

    dropped = False

    def send_messages(self, messages):
        if not DisconnectingOnceBackend.dropped:
            DisconnectingOnceBackend.dropped = True
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker() -> None:
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval=0", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_what_was_enqueued(database_tasks):
    user = UserFactory()

    message, _ = message_enqueue(key="hello", to=user, kind="test", subject="Hello", body="Hi")

    assert mail.outbox == []
    assert DBTaskResult.objects.get().task_path == "notifications.tasks.message_send_task"
    _run_worker()
    assert [m.to for m in mail.outbox] == [[user.email]]
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_temporary_failure_is_retried_by_a_task_that_waits_for_its_time(database_tasks, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.DisconnectingOnceBackend"}}
    DisconnectingOnceBackend.dropped = False
    user = UserFactory()

    message, _ = message_enqueue(key="hello", to=user, kind="test", subject="Hello", body="Hi")
    _run_worker()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert not DBTaskResult.objects.ready().exists()  # not before its time
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after == message.next_attempt_at > timezone.now()

    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    _run_worker()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert len(mail.outbox) == 1
