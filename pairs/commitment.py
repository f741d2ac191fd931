"""Commitment days: the one place they are computed, for dashboards, admin and reports alike.

A member's days = days of events they attended + hours of activities they went on ÷ the cohort's
hours per day. Nothing here is stored; it is always derived from attendance and activities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from cohorts.models import Attendance, Cohort, Membership, MembershipQuerySet, attendance_counts_q, event_days_of
from programme.rules import counts_towards_commitment_q

from .models import Activity, PairMember, PairMemberQuerySet

_DECIMAL = DecimalField(max_digits=10, decimal_places=2)
_CENTS = Decimal("0.01")


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


def _counting_hours_q() -> Q:
    """Hours of activities whose kind counts towards commitment (programme.rules)."""
    return counts_towards_commitment_q(
        "activitykind", programme="membership__cohort__programme_id", kind="activity__kind"
    )


def _hours_subquery(membership_ref: str = "pk") -> Subquery:
    hours = (
        Activity.attendees.through.objects.filter(_counting_hours_q(), membership=OuterRef(membership_ref))
        .order_by()
        .values("membership")
        .annotate(total=Sum("activity__hours"))  # type: ignore[misc]  # django-stubs cannot see through `through`
        .values("total")
    )
    return Subquery(hours, output_field=_DECIMAL)


def with_commitment(memberships: MembershipQuerySet) -> MembershipQuerySet:
    """Annotate event_days, activity_hours and commitment_days on each membership, in SQL.

    For a handful of members (a pair, one person), or to filter and sort by commitment in SQL. For a
    whole cohort's list use attach_commitments: correlated subqueries run once per row, and twice
    where commitment_days repeats them.
    """
    return (
        memberships.with_event_days()
        .annotate(activity_hours=Coalesce(_hours_subquery(), Value(Decimal("0")), output_field=_DECIMAL))
        .annotate(commitment_days=F("event_days") + F("activity_hours") / F("cohort__hours_per_day"))
    )


def with_commitment_figures(memberships: MembershipQuerySet) -> MembershipQuerySet:
    """Annotate only event_days and activity_hours, what commitment_of() reads: each subquery once, for a page
    that shows one person's or one pair's commitment."""
    return memberships.with_event_days().annotate(
        activity_hours=Coalesce(_hours_subquery(), Value(Decimal("0")), output_field=_DECIMAL)
    )


def with_seat_commitment_figures(seats: PairMemberQuerySet) -> PairMemberQuerySet:
    """Pair seats (with their memberships) annotated with their members' event_days and activity_hours, for
    seat_commitment(): a pair's members and their commitment in the one query."""
    return seats.annotate(
        event_days=event_days_of("membership_id"),
        activity_hours=Coalesce(_hours_subquery("membership_id"), Value(Decimal("0")), output_field=_DECIMAL),
    )


def seat_commitment(seat: PairMember) -> Commitment:
    """The commitment of a seat's member, from with_seat_commitment_figures' annotations (membership.cohort loaded)."""
    _keep_figures(seat.membership, seat.event_days, seat.activity_hours)  # type: ignore[attr-defined]
    return commitment_of(seat.membership)


def _keep_figures(membership: Membership, event_days: Decimal, activity_hours: Decimal) -> None:
    vars(membership).update(event_days=event_days, activity_hours=activity_hours)


def alias_commitment(memberships: MembershipQuerySet) -> MembershipQuerySet:
    """event_days, activity_hours and commitment_days as aliases: to filter and sort by, computed only when used."""
    return (
        memberships.alias_event_days()
        .alias(activity_hours=Coalesce(_hours_subquery(), Value(Decimal("0")), output_field=_DECIMAL))
        .alias(commitment_days=F("event_days") + F("activity_hours") / F("cohort__hours_per_day"))
    )


def attach_commitments(memberships: list[Membership]) -> list[Membership]:
    """Set event_days, activity_hours and commitment_days on each membership (with its cohort loaded).

    Two queries for all the memberships at once (days of events attended, grouped; hours of activities gone
    on, an indexed subquery per member): cheap for a cohort of hundreds.
    """
    ids = [m.pk for m in memberships]
    if not ids:
        return memberships
    event_days = dict(
        Attendance.objects.filter(attendance_counts_q(), membership_id__in=ids, status=Attendance.Status.ATTENDED)
        .order_by()
        .values("membership_id")
        .annotate(days=Sum("event__length_days"))
        .values_list("membership_id", "days")
    )
    # Hours as one small subquery per member, which PostgreSQL answers from the member's index entries and the
    # activities' covering index; grouped over all the ids at once, it hash-joined every activity in the table.
    hours = dict(
        Membership.objects.filter(pk__in=ids).order_by().annotate(hours=_hours_subquery()).values_list("pk", "hours")
    )
    for membership in memberships:
        # Two decimal places, as with_commitment's SQL gives them, so both read the same on a page.
        days = Decimal(event_days.get(membership.pk) or 0).quantize(_CENTS)
        activity_hours = Decimal(hours.get(membership.pk) or 0).quantize(_CENTS)
        _keep(membership, days, activity_hours, days + activity_hours / membership.cohort.hours_per_day)
    return memberships


def _keep(membership: Membership, event_days: Decimal, activity_hours: Decimal, commitment_days: Decimal) -> None:
    """Set the figures on the instance under the names with_commitment annotates."""
    vars(membership).update(event_days=event_days, activity_hours=activity_hours, commitment_days=commitment_days)


def commitment_days_of(membership: Membership) -> Decimal:
    """The unrounded days set by with_commitment or attach_commitments."""
    return vars(membership)["commitment_days"]


def commitment_of(membership: Membership) -> Commitment:
    """The commitment of one member; uses with_commitment's annotations or attach_commitments' values when present."""
    if not hasattr(membership, "activity_hours"):
        membership = with_commitment(Membership.objects.filter(pk=membership.pk)).select_related("cohort").get()
    return Commitment(
        event_days=Decimal(membership.event_days),  # type: ignore[attr-defined]  # annotated by with_commitment()
        activity_hours=Decimal(membership.activity_hours),  # type: ignore[attr-defined]
        hours_per_day=membership.cohort.hours_per_day,
        minimum_days=membership.cohort.min_commitment_days,
    )


def members_below_commitment_minimum(cohort: Cohort) -> list[Membership]:
    """Current members of the cohort whose derived days are below its minimum commitment."""
    members = attach_commitments(list(Membership.objects.for_cohort(cohort).current().with_people()))
    return [m for m in members if commitment_days_of(m) < cohort.min_commitment_days]


def days_expected_by(cohort: Cohort, on: date) -> Decimal:
    """The pace needed to reach the minimum by the cohort's end: minimum × the elapsed fraction of the cohort."""
    length = (cohort.ends_on - cohort.starts_on).days
    elapsed = min(max((on - cohort.starts_on).days, 0), length)
    return (cohort.min_commitment_days * elapsed / length).quantize(Decimal("0.1"), ROUND_HALF_UP)


def members_behind_pace(cohort: Cohort, on: date) -> list[Membership]:
    """Current members whose days so far are below the pace needed to reach the minimum by the cohort's end."""
    expected = days_expected_by(cohort, on)
    members = attach_commitments(
        list(Membership.objects.for_cohort(cohort).current().with_people().order_by("user__full_name"))
    )
    return [m for m in members if commitment_days_of(m) < expected]
