from __future__ import annotations

from django.core.management.base import BaseCommand

from pairs.reminders import reminders_enqueue


class Command(BaseCommand):
    help = (
        "Queue reminders to members about events in the next 7 days they have not replied to, refining "
        "steps due within 7 days or overdue, and open surveys closing within 7 days they have not answered. "
        "The worker sends them; each reminder is sent once, so this is safe to run at any frequency."
    )

    def handle(self, *args: object, **options: object) -> None:
        queued = reminders_enqueue()
        self.stdout.write(
            f"Queued {queued.events} event reminder(s), {queued.steps} step reminder(s) "
            f"and {queued.surveys} survey reminder(s)."
        )
