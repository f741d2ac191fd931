from __future__ import annotations

from django.core.management.base import BaseCommand

from pairs.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Email members about events in the next 7 days they have not replied to, and pairs whose "
        "refining step is due within 7 days or overdue, and members who have not answered an open survey "
        "closing within 7 days. Each reminder is sent once; safe to run hourly."
    )

    def handle(self, *args: object, **options: object) -> None:
        sent = reminders_send()
        self.stdout.write(
            f"Sent {sent.events} event reminder(s), {sent.steps} step reminder(s) "
            f"and {sent.surveys} survey reminder(s)."
        )
