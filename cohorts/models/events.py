"""A cohort's events, who attended them, their guests and the insights recorded at them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce

from .. import rules
from .cohort import Cohort, Question
from .members import Membership


class EventQuerySet(models.QuerySet["Event"]):
    def for_cohort(self, cohort: Cohort) -> EventQuerySet:
        return self.filter(cohort=cohort)

    def upcoming(self, now) -> EventQuerySet:
        """Events still to come that take place: a cancelled event leaves replies and reminders."""
        return self.filter(ends_at__gte=now, cancelled_at__isnull=True).order_by("starts_at")

    def not_cancelled(self) -> EventQuerySet:
        return self.filter(cancelled_at__isnull=True)

    def past(self, now) -> EventQuerySet:  # an aware datetime
        return self.filter(ends_at__lt=now).order_by("-starts_at")

    def with_number(self) -> EventQuerySet:
        """Annotate `number`: the event's place among its cohort's events of its kind, in one query."""
        return self.annotate(number=event_number("pk", "cohort_id", "kind", "starts_at"))


def event_number(pk: str, cohort: str, kind: str, starts_at: str) -> CombinedExpression:
    """An event's number among its cohort's events of its kind ("Workshop 4"), as SQL: the one definition.

    1 + the count of earlier events of the same cohort and kind (ties broken by pk). The arguments name
    the event's fields from the query it annotates.
    """
    earlier = (
        Event.objects.filter(cohort_id=OuterRef(cohort), kind=OuterRef(kind))
        .filter(Q(starts_at__lt=OuterRef(starts_at)) | Q(starts_at=OuterRef(starts_at), pk__lt=OuterRef(pk)))
        .order_by()
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(earlier, output_field=models.IntegerField()), Value(0)) + 1


class Event(models.Model):
    """A workshop, roundtable or other session of a cohort."""

    number: int  # set only on rows read through EventQuerySet.with_number()

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        ROUNDTABLE = "roundtable", "Roundtable"
        OTHER = "other", "Other"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.WORKSHOP)
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=200, blank=True)
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    length_days = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="Days of commitment this event counts for (a half-day workshop is 0.5).",
    )
    place = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_events")
    # Calendar apps replace their copy of an event when its SEQUENCE goes up: bumped on every change.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancellation_reason = models.CharField(max_length=250, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(length_days__gt=0), name="event_length_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        rules.check_event_times(self.starts_at, self.ends_at)
        rules.check_question_in_cohort(self.question, self.cohort_id, owner="event")

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def number_in_cohort(self) -> int:
        """1 for the cohort's first event of this kind, 2 for the second, and so on.

        Uses the `number` annotation of EventQuerySet.with_number() when present (no query).
        """
        if getattr(self, "number", None) is not None:
            return self.number
        # `number` is with_number()'s annotation, which django-stubs cannot follow.
        return Event.objects.with_number().values_list("number", flat=True).get(pk=self.pk)  # type: ignore[misc]


class Attendance(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted"
        APOLOGIES = "apologies", "Apologies"
        ATTENDED = "attended", "Attended"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INVITED)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "membership__user__full_name"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(fields=["event", "membership"], name="one_attendance_per_member_and_event"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} at {self.event}: {self.get_status_display()}"

    def clean(self) -> None:
        if self.event_id and self.membership_id and self.event.cohort_id != self.membership.cohort_id:
            raise ValidationError({"membership": "Only members of the event's cohort can attend it."})


class ExternalGuest(models.Model):
    """A senior policymaker or expert invited to a roundtable."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["event", "name"]

    def __str__(self) -> str:
        return self.name


class InsightQuerySet(models.QuerySet["Insight"]):
    def with_attribution(self) -> InsightQuerySet:
        """Everything attribution() reads, in the one query: speaker, guest, event and its number."""
        return self.select_related("cohort", "event", "question", "speaker__user", "guest").annotate(
            event_number=event_number("event_id", "event__cohort_id", "event__kind", "event__starts_at")
        )


class Insight(models.Model):
    """Something said or learned, cited in reports with an anonymised attribution built from data."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="insights")
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="insights")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="insights")
    text = models.TextField()
    speaker = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insights",
        help_text="The cohort member who said it, if it was a member.",
    )
    guest = models.ForeignKey(
        ExternalGuest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insights",
        help_text="The external guest who said it, if it was a guest.",
    )
    speaker_agreed_to_be_named = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = InsightQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(speaker__isnull=True) | Q(guest__isnull=True),
                name="insight_has_one_speaker",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def clean(self) -> None:
        rules.check_one_speaker(self.speaker_id, self.guest_id)
        if self.cohort_id and self.speaker is not None and self.speaker.cohort_id != self.cohort_id:
            raise ValidationError({"speaker": "The speaker must be a member of this cohort."})
        if self.cohort_id and self.event is not None and self.event.cohort_id != self.cohort_id:
            raise ValidationError({"event": "Choose an event of this cohort."})

    def attribution(self) -> str:
        """ "Y2 policymaker, Workshop 4": who said it and where, without a name unless they agreed."""
        # A null foreign key reads as None without a query, so these tests cost what the `_id` tests did.
        if self.speaker is not None and self.speaker_agreed_to_be_named:
            who = self.speaker.user.full_name
        elif self.speaker_agreed_to_be_named and self.guest is not None:
            who = self.guest.name
        elif self.speaker is not None:
            who = f"{self.cohort.year_label} {self.speaker.get_side_display().lower()}"
        elif self.guest_id:
            who = f"{self.cohort.year_label} roundtable participant"
        else:
            who = f"{self.cohort.year_label} participant"
        if self.event is not None:
            number = getattr(self, "event_number", None) or self.event.number_in_cohort()
            return f"{who}, {self.event.get_kind_display()} {number}"
        return who
