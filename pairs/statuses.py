"""A pair is "stalled" by one rule, rules.is_stalled (no activity, step change or comment for the cohort's
threshold), the same rule that puts it on the at-risk list, and comes back to "active" when that no longer
holds; nobody sets it by hand. The nightly `update_statuses` applies it to every pair; an activity, step change
or comment applies it to its own pair at once."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cohorts.models import Cohort

from . import rules
from .models import LearningPair
from .risk import RiskReason, pair_risks, pair_sign_of_life, with_signs_of_life

KEPT_BY_RULE = (LearningPair.Status.ACTIVE, LearningPair.Status.STALLED)


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
    pairs = LearningPair.objects.for_cohort(cohort).filter(status__in=KEPT_BY_RULE)
    for pair in pairs.select_for_update():
        status = rules.pair_status_by_activity(pair.status, stalled=pair.pk in quiet)
        if status == pair.status:
            continue
        stalled += status == LearningPair.Status.STALLED
        revived += status == LearningPair.Status.ACTIVE
        pair.status = status
        pair.save(update_fields=["status"])  # one by one, so history records each change
    return stalled, revived


@transaction.atomic
def pair_status_keep(*, pair: LearningPair, today: date) -> LearningPair:
    """Apply the stalled rule to one pair now (after it logged an activity, changed a step or got a comment)."""
    # Under the pair's lock and from its row, so the nightly job and this never write over each other.
    current = LearningPair.objects.select_for_update().filter(pk=pair.pk).values_list("status", flat=True).first()
    if current is None or current not in KEPT_BY_RULE:
        return pair
    pair.status = current
    annotated = with_signs_of_life(LearningPair.objects.filter(pk=pair.pk).select_related("cohort")).get()
    since, _ = pair_sign_of_life(annotated, list(annotated.members.all()))
    stalled = rules.is_stalled(since=since, today=today, stalled_after_days=annotated.cohort.stalled_after_days)
    status = rules.pair_status_by_activity(pair.status, stalled=stalled)
    if status != pair.status:
        pair.status = status
        pair.save(update_fields=["status"])
    return pair
