from __future__ import annotations

from django.core.management.base import BaseCommand

from pairs.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Email members about events in the next 7 days they have not replied to, and pairs whose "
        "refining step is due within 7 days or overdue. Each reminder is sent once; safe to run hourly."
    )

    def handle(self, *args: object, **options: object) -> None:
        sent = reminders_send()
        self.stdout.write(f"Sent {sent.events} event reminder(s) and {sent.steps} step reminder(s).")
