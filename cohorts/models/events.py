"""A cohort's events, who attended them, their guests and the insights recorded at them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from programme.fields import RemembersStoredValues, ShapeCodeField
from programme.rules import check_code_in_shape, may_be_named

from .. import rules
from .cohort import Cohort, Question, shape_for_cohort
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


def event_numbers(rows: Iterable[tuple[int, int, str, int | None]]) -> dict[int, int]:
    """Number events (pk, cohort, kind, number kept by an export) given in date order: {pk: number}.

    An event numbered in an exported report keeps that number for good. Within a cohort and kind the
    others count on from the highest kept number, in date order: an event added before "Workshop 4"
    after the report went out becomes "Workshop 5" rather than renumbering the printed citation.
    """
    rows = list(rows)
    kept: dict[tuple[int, str], int] = {}
    for _pk, cohort_id, kind, report_number in rows:
        if report_number is not None:
            kept[(cohort_id, kind)] = max(kept.get((cohort_id, kind), 0), report_number)
    numbers: dict[int, int] = {}
    counted: dict[tuple[int, str], int] = {}
    for pk, cohort_id, kind, report_number in rows:
        if report_number is not None:
            numbers[pk] = report_number
        else:
            key = (cohort_id, kind)
            counted[key] = counted.get(key, kept.get(key, 0)) + 1
            numbers[pk] = counted[key]
    return numbers


def number_events(events: Iterable[Event | None]) -> None:
    """Set `number` on each event: 1 for its cohort's first event of its kind, 2 for the second, and so on,
    except that a number printed in an exported report never changes (see event_numbers).

    The one place events are numbered ("Workshop 4"): a single query over the events of their cohorts
    alone (never joined to attendance, so it runs once per event, whatever the page joins).
    """
    events_list = [event for event in events if event is not None]
    cohort_ids = {event.cohort_id for event in events_list}
    if not cohort_ids:
        return
    numbers = event_numbers(
        Event.objects.filter(cohort_id__in=cohort_ids)
        .order_by("starts_at", "pk")
        .values_list("pk", "cohort_id", "kind", "report_number")
    )
    for event in events_list:
        event.number = numbers[event.pk]


class Event(models.Model):
    """A workshop, roundtable or other session of a cohort."""

    number: int  # set by number_events()

    class Kind(models.TextChoices):
        """The default shape's event kind codes; what each kind is called is the programme's (EventKind)."""

        WORKSHOP = "workshop"
        ROUNDTABLE = "roundtable"
        OTHER = "other"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="events")
    kind = ShapeCodeField(shape_kind="eventkind", default=Kind.WORKSHOP)
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
        help_text="Days of commitment this event counts for (a half-day event is 0.5).",
    )
    place = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_events")
    # Calendar apps replace their copy of an event when its SEQUENCE goes up: bumped on every change.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancellation_reason = models.CharField(max_length=250, blank=True)
    # "Workshop 4" as an exported report printed it: once set, adding events never changes the label.
    report_number = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The number this event was cited by in an exported report; kept so citations keep their meaning.",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["cohort", "starts_at"], name="event_by_cohort_and_start"),
            models.Index(fields=["starts_at"], name="event_by_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(length_days__gt=0), name="event_length_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_kind_display(self) -> str:
        return shape_for_cohort(self.cohort_id).event_kinds.label(self.kind)

    def clean(self) -> None:
        if self.cohort_id:
            kinds = shape_for_cohort(self.cohort_id).event_kinds.codes()
            check_code_in_shape(self.kind, kinds, field="kind", message=rules.UNKNOWN_EVENT_KIND)
        rules.check_event_times(self.starts_at, self.ends_at)
        rules.check_question_in_cohort(self.question, self.cohort_id, owner="event")

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def citation_example(self) -> str:
        """How the report cites a member's insight from this event ("Y2 policymaker, Workshop 4"), in the
        programme's own pattern with its first side."""
        shape = shape_for_cohort(self.cohort_id)
        sides = shape.sides.current()
        side = sides[0].short_label if sides else "participant"
        event = f"{self.get_kind_display()} {self.number_in_cohort()}"
        return shape.attribution(year=self.cohort.number, side=side, event=event)

    def number_in_cohort(self) -> int:
        """1 for the cohort's first event of this kind, 2 for the second (see number_events; no query once set)."""
        if getattr(self, "number", None) is None:
            number_events([self])
        return self.number


class Attendance(RemembersStoredValues, models.Model):
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

    stored_values = ("membership_id",)  # a row moved to another member counts for both (pairs.commitment)
    _stored_membership_id: int | None = None

    def __str__(self) -> str:
        return f"{self.membership.user} at {self.event}: {self.get_status_display()}"

    def clean(self) -> None:
        if self.event_id and self.membership_id and self.event.cohort_id != self.membership.cohort_id:
            raise ValidationError({"membership": "Only members of the event's cohort can attend it."})


class ExternalGuest(models.Model):
    """A senior guest or expert invited to an event."""

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
        """Everything attribution() reads but event numbers: speaker, guest and event (then number_insight_events)."""
        return self.select_related("cohort", "event", "question", "speaker__user", "guest")


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
    group_attribution = models.CharField(
        max_length=150,
        blank=True,
        help_text="Cite it as a group rather than one person, e.g. the year and the guests' name in the plural.",
    )
    history = HistoricalRecords()

    objects = InsightQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["cohort", "recorded_at"], name="insight_by_cohort_and_time"),
            models.Index(fields=["recorded_at"], name="insight_by_time"),
        ]
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
        """ "Y2 policymaker, Workshop 4": who said it and where; a member's name only with their standing consent
        and their agreement for this quote (programme.rules.may_be_named)."""
        # A null foreign key reads as None without a query, so these tests cost what the `_id` tests did.
        if self.speaker is not None and may_be_named(
            consents_to_be_named=self.speaker.user.consents_to_be_named, item_agreed=self.speaker_agreed_to_be_named
        ):
            who = self.speaker.user.full_name
        elif self.speaker_agreed_to_be_named and self.guest is not None:
            who = self.guest.name
        else:
            shape = shape_for_cohort(self.cohort_id)
            if self.speaker is not None:
                side = shape.sides.get(self.speaker.side).short_label
            elif self.guest_id:
                side = shape.guest_phrase
            else:
                side = "participant"
            return shape.attribution(year=self.cohort.number, side=side, event=self._event_label())
        if self.event is not None:
            return f"{who}, {self._event_label()}"
        return who

    def _event_label(self) -> str:
        if self.event is None:
            return ""
        return f"{self.event.get_kind_display()} {self.event.number_in_cohort()}"

    def cited_as(self) -> str:
        """How the report credits it: the group when one is given ("Year 2 roundtable participants"), else attribution()."""
        return self.group_attribution.strip() or self.attribution()


def number_insight_events(insights: list[Insight]) -> list[Insight]:
    """Number the events of these insights for attribution(), in one query."""
    number_events(insight.event for insight in insights if insight.event_id)
    return insights
