"""Two runs or two workers at once on PostgreSQL: the unique key and the row lock send one email."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction

from notifications.models import OutboundMessage
from notifications.services import message_enqueue, message_send
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent inserts need PostgreSQL"),
]


class SlowLocmemBackend(LocmemBackend):
    """A mail server that takes a moment to accept, so a second worker arrives mid-send."""

    def send_messages(self, messages):
        time.sleep(0.3)
        return super().send_messages(messages)


def _in_threads(*targets: Callable[[], object]) -> list[object]:
    results: list[object] = [None] * len(targets)
    errors: list[BaseException] = []

    def run(index: int, target: Callable[[], object]) -> None:
        try:
            results[index] = target()
        except BaseException as error:  # surfaced in the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def test_the_same_key_enqueued_from_two_threads_at_once_sends_one_email():
    user = UserFactory()
    first_inserted = threading.Event()

    def first() -> bool:
        with transaction.atomic():
            _, created = message_enqueue(key="reminder:step:1:2:2026-12-01", to=user, kind="t", subject="A", body="A")
            first_inserted.set()
            time.sleep(0.3)  # the second thread's insert now waits on the key, not on a look-up
        return created

    def second() -> bool:
        first_inserted.wait(10)
        _, created = message_enqueue(key="reminder:step:1:2:2026-12-01", to=user, kind="t", subject="B", body="B")
        return created

    assert sorted(map(bool, _in_threads(first, second))) == [False, True]
    assert OutboundMessage.objects.get().subject == "A"
    assert [m.subject for m in mail.outbox] == ["A"]


def test_two_workers_sending_the_same_message_at_once_send_one_email(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SlowLocmemBackend"}}
    user = UserFactory()
    message = OutboundMessage.objects.create(key="k", kind="t", recipient=user, to=user.email, subject="S", body="B")
    barrier = threading.Barrier(2)

    def worker() -> str | None:
        barrier.wait(10)
        return message_send(message_id=message.pk)

    results = _in_threads(worker, worker)

    assert sorted(map(str, results)) == ["None", OutboundMessage.Status.SENT]
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboundMessage.Status.SENT, 1)
