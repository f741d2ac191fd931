"""A cohort (one year of a programme), its questions and the findings it reached."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from programme.models import Disconnect, Organisation, Programme, User
from programme.shape import Shape, shape_of

from .. import rules


class Side(models.TextChoices):
    """The default shape's side codes, for the demo, benchmarks and tests; what a side is called is the
    programme's (programme.models.Side)."""

    POLICYMAKER = "policymaker"
    PRACTITIONER = "practitioner"


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
    repair_grace_days = models.PositiveSmallIntegerField(
        "grace period after re-pairing (days)",
        default=21,
        help_text="A pair formed or changed after a step's deadline has this many days from that date to do it.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECRUITING)
    reopened_for_members = models.BooleanField(
        default=False,
        help_text="Once concluded, members can no longer change their pair's steps, activities and outputs; "
        "tick to let them again.",
    )
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_cohorts")
    application_questions = models.TextField(
        "extra questions for applicants",
        blank=True,
        help_text="One question per line; the call for applications asks each of them.",
    )
    side_targets = models.JSONField(
        "targets by side",
        default=dict,
        blank=True,
        help_text="How many people of each side the cohort aims to take, by the side's code (none or 0: no target).",
    )
    targeted_departments = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="targeted_by_cohorts",
        help_text="Departments the programme actively recruits from this year.",
    )
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
    def shape(self) -> Shape:
        """The programme's shape: sides, steps, event kinds, wording (cached; no query when fresh)."""
        return shape_of(self.programme_id)

    def extra_questions(self) -> list[str]:
        return [line.strip() for line in self.application_questions.splitlines() if line.strip()]

    def side_target(self, code: str) -> int:
        """How many of one side the cohort aims to take (0: no target)."""
        return int((self.side_targets or {}).get(code) or 0)

    def clean(self) -> None:
        if self.programme_id is not None:
            rules.check_side_targets(self.side_targets, shape_of(self.programme_id).sides)
        rules.check_cohort_dates(
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            applications_open_on=self.applications_open_on,
            applications_close_on=self.applications_close_on,
        )


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
    framing = models.TextField(
        blank=True, help_text="Markdown: what the cohort meant by this question, opening its section of the report."
    )
    # Raised on every save of the framing, so two facilitators editing it at once are told (see framing_save).
    framing_version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

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
    body = models.TextField(blank=True, help_text="Markdown, citing evidence as [[insight:12]] or [[ref:3]].")
    order = models.PositiveSmallIntegerField(default=1)
    # Raised on every save, so a writer whose page is out of date is told instead of overwriting (finding_save).
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="finding_order_unique_per_question"),
        ]

    def __str__(self) -> str:
        return self.title


_cohort_programmes: dict[int, int] = {}


def shape_for_cohort(cohort_id: int) -> Shape:
    """The shape of the programme a cohort belongs to, by the cohort's id (a cohort never changes programme),
    for rows that hold a cohort_id but not the cohort."""
    programme_id = _cohort_programmes.get(cohort_id)
    if programme_id is None:
        programme_id = Cohort.objects.values_list("programme_id", flat=True).get(pk=cohort_id)
        _cohort_programmes[cohort_id] = programme_id
    return shape_of(programme_id)


def remember_cohort_programme(sender: type, instance: Cohort, **_: object) -> None:
    """Known as soon as the cohort is saved, so reading its shape later costs no query."""
    _cohort_programmes[instance.pk] = instance.programme_id
