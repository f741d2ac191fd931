"""What pairs log: visits, exchanges, meetings and research, with the hours that count as commitment."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cohorts.models import Membership
from programme.fields import ShapeCodeField
from programme.rules import check_code_in_shape
from programme.shape import Entries

from .. import rules
from .pairs import LearningPair, shape_for_pair


class ActivityQuerySet(models.QuerySet["Activity"]):
    def for_pair(self, pair: LearningPair) -> ActivityQuerySet:
        return self.filter(pair=pair)

    def newest_first(self) -> ActivityQuerySet:
        return self.order_by("-occurred_on", "-pk")

    def with_attendees(self) -> ActivityQuerySet:
        """Who went, with their names, by name: one query (the membership's default ordering would join cohort and
        programme to sort, and a second query would read the people)."""
        attendees = Membership.objects.select_related("user").order_by("user__full_name", "pk")
        return self.prefetch_related(models.Prefetch("attendees", queryset=attendees))

    def totals_by_kind(self) -> dict[str, tuple[int, Decimal]]:
        """{kind code: (activities, hours)}: one aggregate query."""
        rows = self.order_by().values_list("kind").annotate(count=models.Count("pk"), total=models.Sum("hours"))
        return {kind: (count, total) for kind, count, total in rows}

    def hours_by_kind(
        self, kinds: Entries, totals: dict[str, tuple[int, Decimal]] | None = None
    ) -> list[tuple[str, Decimal]]:
        """(kind name, total hours) for each of the programme's `kinds` present, in its order: one aggregate query,
        none when given the totals_by_kind() already read."""
        totals = self.totals_by_kind() if totals is None else totals
        return [(kind.name, totals[kind.code][1]) for kind in kinds if kind.code in totals]


class Activity(models.Model):
    """A visit, exchange, meeting or piece of research a pair logs."""

    class Kind(models.TextChoices):
        LOCAL_SERVICE_VISIT = "local_service_visit", "Visit to a local service"
        DEPARTMENT_VISIT = "department_visit", "Visit to a department"
        EXCHANGE = "exchange", "Exchange or shadowing day"
        MEETING = "meeting", "Meeting"
        SERVICE_USER_ENGAGEMENT = "service_user_engagement", "Engagement with service users"
        DESK_RESEARCH = "desk_research", "Desk research"

    pair = models.ForeignKey(LearningPair, on_delete=models.CASCADE, related_name="activities")
    kind = ShapeCodeField(shape_kind="activitykind")
    occurred_on = models.DateField("date")
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("24"))],
    )
    place = models.CharField("place or organisation visited", max_length=200, blank=True)
    attendees = models.ManyToManyField(
        Membership,
        related_name="activities",
        verbose_name="who went",
        help_text="Members of the pair who took part; their commitment counts these hours.",
    )
    learning = models.TextField("what we learned", blank=True, help_text="Shareable with the cohort.")
    private_notes = models.TextField(
        blank=True, help_text="Only your pair can read these; staff only after giving a reason, which you are shown."
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the form when it is shown: a second submit of the same form finds this row instead of logging
    # the activity (and its hours) twice.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(m2m_fields=[attendees])

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name_plural = "activities"
        indexes = [
            # The admin's default order and year filter, and a pair's activities newest first.
            models.Index(fields=["occurred_on", "id"], name="activity_by_date"),
            models.Index(fields=["pair", "occurred_on", "id"], name="activity_by_pair_and_date"),
            # The admin's kind filter: its rows newest first, and the page count, from the index alone.
            models.Index(fields=["kind", "occurred_on", "id"], name="activity_by_kind_and_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="activity_hours_positive"),
            models.CheckConstraint(condition=Q(hours__lte=24), name="activity_hours_at_most_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%-d %B %Y}"

    def get_kind_display(self) -> str:
        return shape_for_pair(self._state.fields_cache.get("pair"), self.pair_id).activity_kinds.label(self.kind)

    def clean(self) -> None:
        if self.pair_id:
            kinds = shape_for_pair(self._state.fields_cache.get("pair"), self.pair_id).activity_kinds.codes()
            check_code_in_shape(self.kind, kinds, field="kind", message=rules.UNKNOWN_ACTIVITY_KIND)
        rules.check_activity_date(self.occurred_on, timezone.localdate())


class PrivateNotesReadingQuerySet(models.QuerySet["PrivateNotesReading"]):
    def for_pair(self, pair: LearningPair) -> PrivateNotesReadingQuerySet:
        return self.filter(pair=pair)

    def newest_first(self) -> PrivateNotesReadingQuerySet:
        return self.select_related("reader").order_by("-read_at", "-pk")


class PrivateNotesReading(models.Model):
    """A member of staff opened a pair's private notes, and why; the pair sees every one ("who has read our
    notes"). A reading lets its reader see the notes for a while (pairs.rules.PRIVATE_NOTES_READING_LASTS)."""

    pair = models.ForeignKey(LearningPair, on_delete=models.CASCADE, related_name="private_notes_readings")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    read_at = models.DateTimeField(default=timezone.now)

    objects = PrivateNotesReadingQuerySet.as_manager()

    class Meta:
        ordering = ["-read_at", "-pk"]
        indexes = [models.Index(fields=["pair", "reader", "read_at"], name="notes_reading_by_pair_reader")]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="notes_reading_has_reason")]

    def __str__(self) -> str:
        return f"{self.reader} read the private notes of {self.pair} on {self.read_at:%-d %B %Y}"
