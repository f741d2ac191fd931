"""Commitment days: the one place they are computed, for dashboards, admin and reports alike.

A member's days = days of events they attended + hours of activities they went on ÷ the cohort's
hours per day. Nothing here is stored; it is always derived from attendance and activities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from cohorts.models import Cohort, Membership, MembershipQuerySet

from .models import Activity

_DECIMAL = DecimalField(max_digits=10, decimal_places=2)


@dataclass(frozen=True)
class Commitment:
    event_days: Decimal
    activity_hours: Decimal
    hours_per_day: Decimal
    minimum_days: Decimal

    @property
    def activity_days(self) -> Decimal:
        return (self.activity_hours / self.hours_per_day).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def days(self) -> Decimal:
        return (self.event_days + self.activity_hours / self.hours_per_day).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def percent_of_minimum(self) -> int:
        if not self.minimum_days:
            return 100
        return min(100, int(self.days / self.minimum_days * 100))

    @property
    def is_below_minimum(self) -> bool:
        return self.days < self.minimum_days


def with_commitment(memberships: MembershipQuerySet) -> MembershipQuerySet:
    """Annotate event_days, activity_hours and commitment_days on each membership (two subqueries)."""
    hours = (
        Activity.attendees.through.objects.filter(membership=OuterRef("pk"))
        .values("membership")
        .annotate(total=Sum("activity__hours"))  # type: ignore[misc]  # django-stubs cannot see through `through`
        .values("total")
    )
    return (
        memberships.with_event_days()
        .annotate(
            activity_hours=Coalesce(Subquery(hours, output_field=_DECIMAL), Value(Decimal("0")), output_field=_DECIMAL)
        )
        .annotate(commitment_days=F("event_days") + F("activity_hours") / F("cohort__hours_per_day"))
    )


def commitment_of(membership: Membership) -> Commitment:
    """The commitment of one member; uses the annotations of with_commitment() when present."""
    if not hasattr(membership, "activity_hours"):
        membership = with_commitment(Membership.objects.filter(pk=membership.pk)).select_related("cohort").get()
    return Commitment(
        event_days=Decimal(membership.event_days),  # type: ignore[attr-defined]  # annotated by with_commitment()
        activity_hours=Decimal(membership.activity_hours),  # type: ignore[attr-defined]
        hours_per_day=membership.cohort.hours_per_day,
        minimum_days=membership.cohort.min_commitment_days,
    )


def members_below_commitment_minimum(cohort: Cohort) -> MembershipQuerySet:
    """Current members of the cohort whose derived days are below its minimum commitment."""
    return (
        with_commitment(Membership.objects.for_cohort(cohort).current())
        .filter(commitment_days__lt=cohort.min_commitment_days)  # type: ignore[misc]  # annotated by with_commitment()
        .with_people()
    )


def days_expected_by(cohort: Cohort, on: date) -> Decimal:
    """The pace needed to reach the minimum by the cohort's end: minimum × the elapsed fraction of the cohort."""
    length = (cohort.ends_on - cohort.starts_on).days
    elapsed = min(max((on - cohort.starts_on).days, 0), length)
    return (cohort.min_commitment_days * elapsed / length).quantize(Decimal("0.1"), ROUND_HALF_UP)


def members_behind_pace(cohort: Cohort, on: date) -> MembershipQuerySet:
    """Current members whose days so far are below the pace needed to reach the minimum by the cohort's end."""
    return (
        with_commitment(Membership.objects.for_cohort(cohort).current())
        .filter(commitment_days__lt=days_expected_by(cohort, on))  # type: ignore[misc]  # annotated by with_commitment()
        .with_people()
        .order_by("user__full_name")
    )
