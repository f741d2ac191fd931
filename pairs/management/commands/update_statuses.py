from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from cohorts.models import Cohort
from cohorts.statuses import cohort_statuses_update
from pairs.statuses import pair_statuses_update


class Command(BaseCommand):
    help = (
        "Keep statuses by rule: cohorts start and conclude on their dates (members in good standing are "
        "completed), and pairs become stalled or active again by the at-risk rule. Safe to run at any frequency."
    )

    def handle(self, *args: object, **options: object) -> None:
        today = timezone.localdate()
        started, concluded = cohort_statuses_update(today=today)
        stalled = revived = 0
        for cohort in Cohort.objects.running():
            quiet, busy = pair_statuses_update(cohort=cohort, today=today)
            stalled, revived = stalled + quiet, revived + busy
        self.stdout.write(
            f"{started} cohort(s) started, {concluded} concluded; {stalled} pair(s) stalled, {revived} active again."
        )
