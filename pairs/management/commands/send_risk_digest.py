from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from cohorts.models import Cohort
from pairs.risk import risk_digest_enqueue


class Command(BaseCommand):
    help = (
        "Queue to each facilitator of a running cohort the pairs at risk (no activity, overdue step, a member "
        "withdrew, one member left). The worker sends them; each facilitator gets one digest per ISO week, "
        "so this is safe to run at any frequency."
    )

    def handle(self, *args: object, **options: object) -> None:
        today = timezone.localdate()
        queued = 0
        for cohort in Cohort.objects.running().select_related("programme"):
            queued += len(risk_digest_enqueue(cohort=cohort, today=today))
        self.stdout.write(f"Queued {queued} risk digest(s).")
