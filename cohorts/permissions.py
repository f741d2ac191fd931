"""Who may act on a cohort. Staff of a cohort are programme managers and its facilitators."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from programme.models import User

from .models import Application, Cohort, CohortQuerySet, Event, Membership, number_events
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


def memberships_of(user: User) -> list[Membership]:
    """Every membership the user holds, the one to show first leading: current before withdrawn or
    completed, a running cohort before a recruiting or concluded one, then the latest cohort."""
    if not user.is_authenticated:
        return []
    return in_showing_order(list(Membership.objects.filter(user=user).select_related("cohort__programme")))


def in_showing_order(rows: list[Membership]) -> list[Membership]:
    """A user's memberships (with their cohorts) in memberships_of()'s order, for a page that reads them itself."""
    cohort_order: dict[str, int] = {Cohort.Status.RUNNING: 0, Cohort.Status.RECRUITING: 1, Cohort.Status.CONCLUDED: 2}
    rows.sort(key=lambda m: (m.cohort.starts_on.toordinal() * -1, -m.pk))
    rows.sort(key=lambda m: (not m.is_current, cohort_order.get(m.cohort.status, 3)))
    return rows


def pick_membership(rows: list[Membership], cohort_id: int | None) -> Membership | None:
    """From memberships_of(): the one of the chosen cohort, if the user belongs to it, else the first."""
    if cohort_id is not None:
        for membership in rows:
            if membership.cohort_id == cohort_id:
                return membership
    return rows[0] if rows else None


def current_membership(user: User, *, cohort_id: int | None = None) -> Membership | None:
    """The membership a page shows: the one of `cohort_id` if the user chose a cohort they belong to,
    else the one for their running cohort (see memberships_of)."""
    return pick_membership(memberships_of(user), cohort_id)


CHOSEN_COHORT_SESSION_KEY = "chosen_cohort"


def chosen_cohort_id(request: HttpRequest) -> int | None:
    """The cohort a member in several cohorts chose to look at with the switcher, if any."""
    value = request.session.get(CHOSEN_COHORT_SESSION_KEY)
    return value if isinstance(value, int) else None


def member_cohorts(user: User) -> CohortQuerySet:
    """Cohorts the user belongs to as a member (current or completed, not withdrawn)."""
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


def get_application_for_staff(user: User, pk: int) -> Application:
    """An application, if the user runs its cohort; 404 for everyone else (its notes are private)."""
    applications = Application.objects.filter(cohort__in=staff_cohorts(user)).select_related(
        "cohort__programme", "organisation", "user", "decided_by"
    )
    return get_object_or_404(applications.prefetch_related("interests"), pk=pk)
