"""Who may act on a cohort. Staff of a cohort are programme managers and its facilitators."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from programme.models import User

from .models import Cohort, CohortQuerySet, Event, Membership, number_events
from .rules import current_or_completed_q


def staff_cohorts(user: User) -> CohortQuerySet:
    """Cohorts the user runs: every cohort for a programme manager, their own for a facilitator."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user.is_programme_manager:
        return Cohort.objects.all()
    return Cohort.objects.facilitated_by(user)


def is_cohort_staff(user: User, cohort: Cohort) -> bool:
    return user.is_authenticated and (user.is_programme_manager or cohort.facilitators.filter(pk=user.pk).exists())


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


def member_cohorts(user: User) -> CohortQuerySet:
    """Cohorts the user belongs to as a member (not only applied, not withdrawn)."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    return Cohort.objects.filter(Q(memberships__user=user) & current_or_completed_q("memberships__"))


def visible_cohorts(user: User) -> CohortQuerySet:
    """Cohorts whose events the user may see: those they run and those they are a member of."""
    return Cohort.objects.filter(pk__in=staff_cohorts(user).values("pk")) | Cohort.objects.filter(
        pk__in=member_cohorts(user).values("pk")
    )


def get_cohort_for_user(user: User, pk: int) -> Cohort:
    """The cohort, if the user runs it or belongs to it; 404 otherwise."""
    return get_object_or_404(visible_cohorts(user).select_related("programme"), pk=pk)


def get_event_for_user(user: User, pk: int) -> Event:
    """The event, if it belongs to a cohort the user runs or is a member of; 404 otherwise."""
    events = Event.objects.filter(cohort__in=visible_cohorts(user))
    event = get_object_or_404(events.select_related("cohort__programme", "question"), pk=pk)
    number_events([event])
    return event


def get_event_for_staff(user: User, pk: int) -> Event:
    """The event, if the user runs its cohort; 404 otherwise (members and other cohorts' staff)."""
    events = Event.objects.filter(cohort__in=staff_cohorts(user))
    event = get_object_or_404(events.select_related("cohort__programme", "question"), pk=pk)
    number_events([event])
    return event


def membership_for_event(user: User, event: Event) -> Membership | None:
    """The user's current membership of the event's cohort, if any."""
    if not user.is_authenticated:
        return None
    return Membership.objects.for_cohort(event.cohort).current().filter(user=user).first()
