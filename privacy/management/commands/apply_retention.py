from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from privacy.services import applications_delete_expired_enqueue


class Command(BaseCommand):
    help = (
        "Queue the retention job: the task worker deletes applications declined more than "
        "PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS months ago, with their history. Schedule it daily; "
        "a second run the same day finds nothing more to delete."
    )

    def handle(self, *args: object, **options: object) -> None:
        applications_delete_expired_enqueue()
        months = settings.PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS
        self.stdout.write(f"Queued the deletion of applications declined more than {months} months ago.")
