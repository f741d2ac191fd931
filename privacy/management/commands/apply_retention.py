from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from privacy.services import applications_delete_expired_enqueue
from programme.export_files import export_files_delete_expired_enqueue


class Command(BaseCommand):
    help = (
        "Queue the retention job: the task worker deletes applications declined more than "
        "PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS months ago, with their history, and exported files older "
        "than EXPORT_FILES_KEEP_DAYS days. Schedule it daily; "
        "a second run the same day finds nothing more to delete."
    )

    def handle(self, *args: object, **options: object) -> None:
        applications_delete_expired_enqueue()
        export_files_delete_expired_enqueue()
        months = settings.PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS
        self.stdout.write(f"Queued the deletion of applications declined more than {months} months ago.")
        days = settings.EXPORT_FILES_KEEP_DAYS
        self.stdout.write(f"Queued the deletion of exported files older than {days} days.")
