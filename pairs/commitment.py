"""Commitment days: the one place they are computed, for dashboards, admin and reports alike.

A member's days = days of events they attended + hours of activities they went on ÷ the cohort's
hours per day. The two totals are stored on the membership (event_days, activity_hours) and recomputed here,
from the rule's queries, whenever attendance or activities change: see commitment_totals_refresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, models
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce

from cohorts.models import Attendance, Cohort, Event, Membership, MembershipQuerySet, event_days_of
from programme.models import ActivityKind, EventKind
from programme.rules import counts_towards_commitment_q

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


def _counted_totals() -> dict[str, Coalesce]:
    """The two totals as the rule counts them, for the membership the outer query names."""
    return {
        "event_days": event_days_of(),
        "activity_hours": Coalesce(_hours_subquery(), Value(Decimal("0")), output_field=_DECIMAL),
    }


def commitment_totals_refresh(memberships: MembershipQuerySet | Iterable[int]) -> int:
    """Recompute the stored event_days and activity_hours of these memberships (a queryset or ids) from attendance
    and activities, in one UPDATE. Every write to an input calls it (signals in this app, or the bulk writer itself);
    tests check after each test that the stored totals equal the rule's. Returns how many memberships it updated."""
    if not isinstance(memberships, models.QuerySet):
        ids = set(memberships)
        if not ids:
            return 0
        memberships = Membership.objects.filter(pk__in=ids)
    if connection.features.has_select_for_update and connection.in_atomic_block:
        # In a transaction (every service's), wait for any other transaction refreshing these members (in id order,
        # so two cannot deadlock), and only then sum: the UPDATE's own snapshot is taken after that wait, so it sees
        # what the other one committed (on PostgreSQL, an UPDATE that waits for a row lock keeps its earlier
        # snapshot for its subqueries). Outside one, each statement commits on its own and there is no lock to hold.
        list(memberships.order_by("pk").select_for_update().values_list("pk", flat=True))
    return memberships.order_by().update(**_counted_totals())


def commitment_totals_refresh_all() -> int:
    """Every membership's totals, after a bulk load or a change to which kinds count, or as a repair."""
    return commitment_totals_refresh(Membership.objects.all())


def commitment_totals_out_of_date() -> list[int]:
    """Memberships whose stored totals differ from what attendance and activities say: none, while every
    write keeps them (what the check after each test and the repair command ask)."""
    return list(
        Membership.objects.annotate(**{f"counted_{name}": total for name, total in _counted_totals().items()})
        .exclude(event_days=F("counted_event_days"), activity_hours=F("counted_activity_hours"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def commitment_days_expression() -> CombinedExpression:
    """A member's days in SQL, from the stored totals and the cohort's hours per day: to filter and sort by."""
    return F("event_days") + F("activity_hours") / F("cohort__hours_per_day")


def alias_commitment(memberships: MembershipQuerySet) -> MembershipQuerySet:
    """commitment_days as an alias: to filter and sort by, computed only when used."""
    return memberships.alias(commitment_days=commitment_days_expression())


def commitment_days_of(membership: Membership) -> Decimal:
    """The unrounded days of a membership (with its cohort loaded)."""
    return membership.event_days + membership.activity_hours / membership.cohort.hours_per_day


def commitment_of(membership: Membership) -> Commitment:
    """The commitment of one member (with its cohort loaded), from the stored totals."""
    return Commitment(
        event_days=Decimal(membership.event_days),
        activity_hours=Decimal(membership.activity_hours),
        hours_per_day=membership.cohort.hours_per_day,
        minimum_days=membership.cohort.min_commitment_days,
    )


def members_below_commitment_minimum(cohort: Cohort) -> list[Membership]:
    """Current members of the cohort whose days are below its minimum commitment."""
    members = alias_commitment(Membership.objects.for_cohort(cohort).current().with_people())
    return list(members.filter(commitment_days__lt=cohort.min_commitment_days))  # type: ignore[misc]  # an alias


def days_expected_by(cohort: Cohort, on: date) -> Decimal:
    """The pace needed to reach the minimum by the cohort's end: minimum × the elapsed fraction of the cohort."""
    length = (cohort.ends_on - cohort.starts_on).days
    elapsed = min(max((on - cohort.starts_on).days, 0), length)
    return (cohort.min_commitment_days * elapsed / length).quantize(Decimal("0.1"), ROUND_HALF_UP)


def members_behind_pace(cohort: Cohort, on: date) -> list[Membership]:
    """Current members whose days so far are below the pace needed to reach the minimum by the cohort's end."""
    members = alias_commitment(Membership.objects.for_cohort(cohort).current().with_people())
    behind = members.filter(commitment_days__lt=days_expected_by(cohort, on))  # type: ignore[misc]  # an alias
    return list(behind.order_by("user__full_name"))


# Keeping the stored totals: each write to attendance, an event, an activity, who went on it, or a kind's
# "counts towards commitment" refreshes the memberships it touches. Bulk writers, which send no signals, call
# commitment_totals_refresh themselves.


def _attendance_changed(sender: type, instance: Attendance, **kwargs: object) -> None:
    # A row moved to another member (in the admin) counts for neither, then for the new one.
    commitment_totals_refresh({instance.membership_id, instance._stored_membership_id} - {None})  # type: ignore[arg-type]
    instance._stored_membership_id = instance.membership_id


def _event_changed(sender: type, instance: Event, created: bool = False, **kwargs: object) -> None:
    if not created:  # a new event has no attendance yet
        commitment_totals_refresh(Membership.objects.filter(attendances__event=instance))


def _activity_saved(sender: type, instance: Activity, created: bool = False, **kwargs: object) -> None:
    if not created:  # who went is set after the activity is saved (_attendees_changed)
        commitment_totals_refresh(Membership.objects.filter(activities=instance))


def _activity_deleting(sender: type, instance: Activity, **kwargs: object) -> None:
    # Who went is deleted with the activity, so remember them for after the deletion.
    instance._went = list(instance.attendees.values_list("pk", flat=True))  # type: ignore[attr-defined]


def _activity_deleted(sender: type, instance: Activity, **kwargs: object) -> None:
    commitment_totals_refresh(getattr(instance, "_went", []))


def _attendees_changed(
    sender: type, instance: Activity | Membership, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: object
) -> None:
    if action == "pre_clear":  # the ids are gone after the clear
        went = instance.attendees.values_list("pk", flat=True) if not reverse else [instance.pk]  # type: ignore[union-attr]
        instance._cleared = list(went)  # type: ignore[union-attr]
    elif action == "post_clear":
        commitment_totals_refresh(getattr(instance, "_cleared", []))
    elif action in ("post_add", "post_remove"):
        commitment_totals_refresh([instance.pk] if reverse else (pk_set or []))


def _membership_saved(sender: type, instance: Membership, created: bool = False, **kwargs: object) -> None:
    if created:
        # A new membership has nothing to count, unless it is an old one restored with the totals it had.
        stale = bool(instance.event_days or instance.activity_hours)
    else:
        # Moved to a cohort whose programme may count other kinds, or saved from a copy not read from the
        # database (a version restored from history), whose cohort is not known to be the stored one.
        stale = instance._stored_cohort_id != instance.cohort_id
    if stale:
        commitment_totals_refresh([instance.pk])


def _kind_changed(sender: type, instance: EventKind | ActivityKind, **kwargs: object) -> None:
    commitment_totals_refresh(Membership.objects.filter(cohort__programme_id=instance.programme_id))


def connect_commitment_totals() -> None:
    """Connect the writes above (PairsConfig.ready)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    for signal in (post_save, post_delete):
        signal.connect(_attendance_changed, sender=Attendance, dispatch_uid=f"commitment_attendance_{signal}")
        signal.connect(_kind_changed, sender=EventKind, dispatch_uid=f"commitment_event_kind_{signal}")
        signal.connect(_kind_changed, sender=ActivityKind, dispatch_uid=f"commitment_activity_kind_{signal}")
    post_save.connect(_event_changed, sender=Event, dispatch_uid="commitment_event")
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="commitment_membership")
    post_save.connect(_activity_saved, sender=Activity, dispatch_uid="commitment_activity")
    pre_delete.connect(_activity_deleting, sender=Activity, dispatch_uid="commitment_activity_deleting")
    post_delete.connect(_activity_deleted, sender=Activity, dispatch_uid="commitment_activity_deleted")
    m2m_changed.connect(_attendees_changed, sender=Activity.attendees.through, dispatch_uid="commitment_attendees")
