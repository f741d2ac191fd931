"""Statuses the code keeps: a cohort moves recruiting → running → concluded on its dates, and members in good
standing are completed when their cohort concludes."""

from __future__ import annotations

from datetime import date

from django.db import transaction

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
