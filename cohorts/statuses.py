"""Statuses the code keeps: a cohort moves recruiting → running → concluded on its dates, or when staff choose,
and members in good standing are completed when their cohort concludes."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from . import rules
from .models import Cohort, Membership


@transaction.atomic
def cohort_statuses_update(*, today: date) -> tuple[int, int]:
    """Start cohorts whose start date has come and conclude those past their end date; returns (started, concluded).

    Staff may also change a cohort's status by hand in the admin; this only ever moves a cohort forward.
    """
    started = Cohort.objects.filter(status=Cohort.Status.RECRUITING, starts_on__lte=today, ends_on__gte=today)
    started_count = started.update(status=Cohort.Status.RUNNING)
    concluded = 0
    for cohort in Cohort.objects.filter(
        status__in=(Cohort.Status.RECRUITING, Cohort.Status.RUNNING), ends_on__lt=today
    ).select_for_update():
        cohort_conclude(cohort=cohort)
        concluded += 1
    return started_count, concluded


@transaction.atomic
def cohort_conclude(*, cohort: Cohort) -> int:
    """Conclude a cohort: its members in good standing (active or accepted, not withdrawn) are completed."""
    cohort.status = Cohort.Status.CONCLUDED
    cohort.save(update_fields=["status"])
    completed = 0
    for membership in Membership.objects.filter(cohort=cohort).current():
        membership.status = Membership.Status.COMPLETED
        membership.save(update_fields=["status"])  # one by one, so each change keeps its history
        completed += 1
    return completed


@transaction.atomic
def cohort_status_move(*, cohort: Cohort, to: str) -> int:
    """Move a cohort on to its next stage when staff choose (recruiting → running → concluded); concluding
    completes its members in good standing. Returns how many memberships were completed.

    The cohort row is locked first, so two staff confirming at once move it once: the second is refused."""
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    rules.check_cohort_status_move(current=locked.status, to=to)
    completed = 0
    if to == Cohort.Status.CONCLUDED:
        completed = cohort_conclude(cohort=locked)
    else:
        locked.status = to
        locked.save(update_fields=["status"])
    cohort.status = locked.status
    return completed
