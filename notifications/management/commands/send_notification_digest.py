from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.services import notification_digest_enqueue


class Command(BaseCommand):
    help = (
        "Queue today's notification digest: one task emails each person who chose a daily digest what they "
        "were notified of since their last one. Only enqueues; a second run on the same day sends nothing twice."
    )

    def handle(self, *args: object, **options: object) -> None:
        notification_digest_enqueue()
        self.stdout.write("Queued the daily notification digest.")
