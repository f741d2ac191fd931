"""Rules about cohorts, each once, with its message."""

from __future__ import annotations

from .models import Cohort

COHORT_CONCLUDED = (
    "This year has concluded, so its pairs' work is read-only. Ask your programme manager if something must change."
)


def members_may_change_work(cohort: Cohort) -> bool:
    """After a cohort concludes, its members' outputs, activities and steps are read-only, unless a manager
    reopens the cohort for them. Staff still finish the record (attendance, insights, the report)."""
    return cohort.status != Cohort.Status.CONCLUDED or cohort.reopened_for_members
