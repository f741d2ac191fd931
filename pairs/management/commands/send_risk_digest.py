from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from cohorts.models import Cohort
from pairs.risk import risk_digest_send


class Command(BaseCommand):
    help = (
        "Email each facilitator of a running cohort the pairs at risk (no activity, overdue step, a member "
        "withdrew, one member left). Each facilitator gets one digest per ISO week; safe to run daily."
    )

    def handle(self, *args: object, **options: object) -> None:
        today = timezone.localdate()
        sent = 0
        for cohort in Cohort.objects.running().select_related("programme"):
            sent += len(risk_digest_send(cohort=cohort, today=today))
        self.stdout.write(f"Sent {sent} risk digest(s).")
