"""Who may act on a cohort. Staff of a cohort are programme managers and its facilitators."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from programme.models import User

from .models import Cohort, CohortQuerySet, Membership


def staff_cohorts(user: User) -> CohortQuerySet:
    """Cohorts the user runs: every cohort for a programme manager, their own for a facilitator."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user.is_programme_manager:
        return Cohort.objects.all()
    return Cohort.objects.facilitated_by(user)


def is_cohort_staff(user: User, cohort: Cohort) -> bool:
    return user.is_authenticated and (
        user.is_programme_manager or cohort.facilitators.filter(pk=user.pk).exists()
    )


def is_facilitator(user: User) -> bool:
    return user.is_authenticated and user.facilitated_cohorts.exists()


def get_cohort_for_staff(user: User, pk: int) -> Cohort:
    """The cohort, if the user runs it; 404 otherwise (another cohort's pages do not exist for them)."""
    return get_object_or_404(staff_cohorts(user).select_related("programme"), pk=pk)


def current_membership(user: User) -> Membership | None:
    """The user's most recent membership of a cohort (withdrawn or completed included), if any."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user)
        .exclude(status=Membership.Status.APPLIED)
        .select_related("cohort__programme")
        .order_by("-cohort__starts_on")
        .first()
    )
