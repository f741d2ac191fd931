from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.services import messages_due_enqueue


class Command(BaseCommand):
    help = (
        "Queue again every message still waiting in the outbox a while after it fell due, such as a retry "
        "whose task was lost. A message is never sent twice; safe to run every few minutes."
    )

    def handle(self, *args: object, **options: object) -> None:
        queued = messages_due_enqueue()
        self.stdout.write(f"Queued {queued} waiting message(s).")
