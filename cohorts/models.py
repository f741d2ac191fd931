"""One year of a programme: the cohort, its questions and findings, members, events and surveys."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from programme.models import Disconnect, Programme, User


class Side(models.TextChoices):
    POLICYMAKER = "policymaker", "Policymaker"
    PRACTITIONER = "practitioner", "Practitioner"


class CohortQuerySet(models.QuerySet["Cohort"]):
    def facilitated_by(self, user: User) -> CohortQuerySet:
        return self.filter(facilitators=user)

    def running(self) -> CohortQuerySet:
        return self.filter(status=Cohort.Status.RUNNING)


class Cohort(models.Model):
    class Status(models.TextChoices):
        RECRUITING = "recruiting", "Recruiting"
        RUNNING = "running", "Running"
        CONCLUDED = "concluded", "Concluded"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=50, help_text='The year it runs, e.g. "2014-15".')
    number = models.PositiveSmallIntegerField(help_text="Year of the programme: 1 for the first cohort.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    applications_open_on = models.DateField(null=True, blank=True)
    applications_close_on = models.DateField(null=True, blank=True)
    min_commitment_days = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Minimum days each member commits to the programme.",
    )
    hours_per_day = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        default=Decimal("7.5"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("24"))],
        help_text="Activity hours that count as one day of commitment.",
    )
    stalled_after_days = models.PositiveSmallIntegerField(
        default=21, help_text="A pair with no activity for this many days is flagged at risk."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECRUITING)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_cohorts")
    disconnects_found = models.ManyToManyField(
        Disconnect,
        blank=True,
        related_name="found_by_cohorts",
        help_text="Disconnects this cohort identified.",
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="cohort_number_unique_per_programme"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="cohort_ends_after_start"),
            models.CheckConstraint(
                condition=Q(applications_close_on__isnull=True)
                | Q(applications_open_on__isnull=True)
                | Q(applications_close_on__gte=models.F("applications_open_on")),
                name="cohort_application_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} {self.name}"

    @property
    def year_label(self) -> str:
        return f"Y{self.number}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": "The cohort must end after it starts."})
        if (
            self.applications_open_on
            and self.applications_close_on
            and self.applications_close_on < self.applications_open_on
        ):
            raise ValidationError({"applications_close_on": "Applications must close after they open."})


class Question(models.Model):
    """A cohort's theme (year 1) or exam question (year 2) that pairs work on."""

    class Kind(models.TextChoices):
        THEME = "theme", "Theme"
        EXAM_QUESTION = "exam_question", "Exam question"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.EXAM_QUESTION)
    short_title = models.CharField(max_length=100, help_text='e.g. "Engaging service users".')
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=1)
    disconnects = models.ManyToManyField(Disconnect, blank=True, related_name="questions")

    class Meta:
        ordering = ["cohort", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "order"], name="question_order_unique_per_cohort"),
        ]

    def __str__(self) -> str:
        return self.short_title


class Finding(models.Model):
    """An answer the cohort reached for a question: the spine of the year-end report."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="finding_order_unique_per_question"),
        ]

    def __str__(self) -> str:
        return self.title


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_cohort(self, cohort: Cohort) -> MembershipQuerySet:
        return self.filter(cohort=cohort)

    def current(self) -> MembershipQuerySet:
        """Members taking part now: accepted or active, not withdrawn."""
        return self.filter(status__in=Membership.CURRENT_STATUSES)

    def taking_part(self) -> MembershipQuerySet:
        """Everyone who was in the cohort, including those who withdrew or completed."""
        return self.filter(status__in=Membership.TAKING_PART_STATUSES)

    def with_people(self) -> MembershipQuerySet:
        return self.select_related("user__organisation", "cohort")

    def with_event_days(self) -> MembershipQuerySet:
        """Annotate days of events attended (attendance marked attended)."""
        attended = (
            Attendance.objects.filter(membership=OuterRef("pk"), status=Attendance.Status.ATTENDED)
            .values("membership")
            .annotate(days=Sum("event__length_days"))
            .values("days")
        )
        zero = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=2))
        return self.annotate(
            event_days=Coalesce(Subquery(attended, output_field=DecimalField(max_digits=8, decimal_places=2)), zero)
        )


class Membership(models.Model):
    """A person in a cohort, on one side. Commitment days are derived, never typed in."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        ACCEPTED = "accepted", "Accepted"
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

    CURRENT_STATUSES = (Status.ACCEPTED, Status.ACTIVE)
    TAKING_PART_STATUSES = (Status.ACCEPTED, Status.ACTIVE, Status.WITHDRAWN, Status.COMPLETED)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    side = models.CharField(max_length=16, choices=Side.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    joined_on = models.DateField(default=timezone.localdate)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    preferred_question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="preferred_by"
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"],
                condition=~Q(status="withdrawn"),
                name="one_live_membership_per_user_and_cohort",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_on__isnull=False),
                name="withdrawn_membership_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_side_display()}, {self.cohort.name})"

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT_STATUSES

    def clean(self) -> None:
        if self.status == self.Status.WITHDRAWN and not self.withdrawn_on:
            raise ValidationError({"withdrawn_on": "Give the date the member withdrew."})
        if self.withdrawn_on and self.joined_on and self.withdrawn_on < self.joined_on:
            raise ValidationError({"withdrawn_on": "A member cannot withdraw before they joined."})
        if (
            self.cohort_id
            and self.preferred_question is not None
            and self.preferred_question.cohort_id != self.cohort_id
        ):
            raise ValidationError({"preferred_question": "Choose a question of this member's cohort."})


class Application(models.Model):
    """An application to join a cohort, from the open call to a decision."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    side = models.CharField(max_length=16, choices=Side.choices)
    motivation = models.TextField(help_text="Why the applicant wants to take part.")
    preferred_question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "applicant"], name="one_application_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.cohort.name}"


class EventQuerySet(models.QuerySet["Event"]):
    def for_cohort(self, cohort: Cohort) -> EventQuerySet:
        return self.filter(cohort=cohort)

    def upcoming(self, now) -> EventQuerySet:
        return self.filter(ends_at__gte=now).order_by("starts_at")

    def past(self, now) -> EventQuerySet:  # an aware datetime
        return self.filter(ends_at__lt=now).order_by("-starts_at")

    def with_number(self) -> EventQuerySet:
        """Annotate `number`: the event's place among its cohort's events of its kind, in one query."""
        return self.annotate(number=_event_number_subquery("pk", "cohort_id", "kind", "starts_at"))


def _event_number_subquery(pk: str, cohort: str, kind: str, starts_at: str) -> CombinedExpression:
    """1 + the count of earlier events of the same cohort and kind (ties broken by pk), as a subquery."""
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
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The event must end after it starts."})
        if self.cohort_id and self.question is not None and self.question.cohort_id != self.cohort_id:
            raise ValidationError({"question": "Choose a question of this event's cohort."})

    def number_in_cohort(self) -> int:
        """1 for the cohort's first event of this kind, 2 for the second, and so on.

        Uses the `number` annotation of EventQuerySet.with_number() when present (no query).
        """
        if getattr(self, "number", None) is not None:
            return self.number
        return (
            Event.objects.filter(cohort_id=self.cohort_id, kind=self.kind)
            .filter(Q(starts_at__lt=self.starts_at) | Q(starts_at=self.starts_at, pk__lt=self.pk))
            .count()
            + 1
        )


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
            event_number=_event_number_subquery("event_id", "event__cohort_id", "event__kind", "event__starts_at")
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
        if self.speaker_id and self.guest_id:
            raise ValidationError("An insight comes from a member or a guest, not both.")
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


class Survey(models.Model):
    """The end-of-year evaluation: its figures go into the report."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_open"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The survey must close after it opens."})


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "Agreement scale (1–5)"
        YES_NO = "yes_no", "Yes / no"
        CHOICE = "choice", "Single choice"
        TEXT = "text", "Free text"

    class Audience(models.TextChoices):
        ALL = "all", "All members"
        POLICYMAKERS = "policymaker", "Policymakers only"
        PRACTITIONERS = "practitioner", "Practitioners only"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(max_length=500)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SCALE)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.ALL)
    choices = models.TextField(blank=True, help_text="For single choice: one option per line.")

    class Meta:
        ordering = ["survey", "order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="survey_question_order_unique"),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.kind == self.Kind.CHOICE and len(self.choice_list()) < 2:
            raise ValidationError({"choices": "A single-choice question needs at least two options."})

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class SurveyResponseQuerySet(models.QuerySet["SurveyResponse"]):
    def count_by_side(self) -> dict[str, int]:
        return dict(self.values_list("membership__side").annotate(n=Count("pk")))


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="survey_responses")
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "membership"], name="one_response_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} – {self.survey}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    scale_value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    yes_no_value = models.BooleanField(null=True, blank=True)
    choice_value = models.CharField(max_length=200, blank=True)
    text_value = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True) | Q(scale_value__gte=1, scale_value__lte=5),
                name="scale_answer_between_1_and_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.display_value()}"

    def display_value(self) -> str:
        if self.scale_value is not None:
            return str(self.scale_value)
        if self.yes_no_value is not None:
            return "Yes" if self.yes_no_value else "No"
        return self.choice_value or self.text_value
