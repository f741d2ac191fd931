"""A pair is "stalled" by one rule, the at-risk rule of pairs/risk.py (nothing logged for the cohort's
threshold), and comes back to "active" when that no longer holds; nobody sets it by hand."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cohorts.models import Cohort

from .models import LearningPair
from .risk import RiskReason, pair_risks


@transaction.atomic
def pair_statuses_update(*, cohort: Cohort, today: date) -> tuple[int, int]:
    """Mark active pairs quiet past the threshold as stalled, and stalled pairs busy again as active."""
    quiet = {
        pair_id
        for pair_id, reasons in pair_risks(cohort, today).items()
        if any(reason.code == RiskReason.NO_ACTIVITY for reason in reasons)
    }
    stalled = 0
    revived = 0
    pairs = LearningPair.objects.for_cohort(cohort).filter(
        status__in=(LearningPair.Status.ACTIVE, LearningPair.Status.STALLED)
    )
    for pair in pairs.select_for_update():
        if pair.status == LearningPair.Status.ACTIVE and pair.pk in quiet:
            pair.status = LearningPair.Status.STALLED
            stalled += 1
        elif pair.status == LearningPair.Status.STALLED and pair.pk not in quiet:
            pair.status = LearningPair.Status.ACTIVE
            revived += 1
        else:
            continue
        pair.save(update_fields=["status"])  # one by one, so history records each change
    return stalled, revived
