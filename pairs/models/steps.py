"""The refining steps: the cohort's due dates and each pair's progress."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, DateField, F, Func, OuterRef, Q, Subquery, When
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cohorts.models import Cohort, shape_for_cohort

from .. import rules
from .pairs import LearningPair, PairMember, shape_for_pair


class Step(models.IntegerChoices):
    """The default shape's step numbers, for the demo, benchmarks and tests; programmes read their own steps from
    their shape (programme.default_shape.STEPS holds these steps' names and guidance)."""

    IDENTIFY = 1, "Identify"
    UNDERSTAND = 2, "Understand"
    EXPLORE = 3, "Explore"
    ACT = 4, "Act"


class StepDeadline(models.Model):
    """The date a cohort expects every pair to have finished a step."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="step_deadlines")
    step = models.PositiveSmallIntegerField(help_text="The step's number in the programme's refining process.")
    due_on = models.DateField()

    class Meta:
        ordering = ["cohort", "step"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "step"], name="one_deadline_per_cohort_step"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort.name} step {self.step}: {self.due_on:%-d %B %Y}"

    def get_step_display(self) -> str:
        return shape_for_cohort(self.cohort_id).steps.numbered(self.step).name


class AddDays(Func):
    """A date plus a whole number of days, both from the database (PostgreSQL adds them; SQLite's date() does)."""

    output_field = DateField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " + "

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra_context
        )


class StepProgressQuerySet(models.QuerySet["StepProgress"]):
    def with_due_dates(self) -> StepProgressQuerySet:
        """Each step with `due_on`, the date this pair must have done it by (rules.step_due_for_pair, in SQL):
        the cohort's date (`cohort_due_on`), or for a pair formed or changed after it, the cohort's grace
        period from the day someone last joined (`pair_changed_on`)."""
        # One deadline per cohort and step (one_deadline_per_cohort_step): no ordering, which by the model's
        # default would join cohort and programme and sort once per row (18 ms for a 140-pair grid at 100x).
        deadline = StepDeadline.objects.filter(cohort=OuterRef("pair__cohort"), step=OuterRef("step")).order_by()
        last_joined = PairMember.objects.filter(pair=OuterRef("pair")).order_by("-joined_on").values("joined_on")[:1]
        # django-stubs types the second annotate() as redefining due_on, which StepProgress declares for readers.
        return self.annotate(  # type: ignore[no-redef]
            cohort_due_on=Subquery(deadline.values("due_on")[:1]),
            pair_changed_on=Subquery(last_joined),
            grace_days=F("pair__cohort__repair_grace_days"),
        ).annotate(
            due_on=Case(
                When(
                    pair_changed_on__gt=F("cohort_due_on"),
                    then=AddDays(F("pair_changed_on"), F("grace_days")),
                ),
                default=F("cohort_due_on"),
                output_field=DateField(),
            )
        )

    def not_done(self) -> StepProgressQuerySet:
        return self.exclude(status=StepProgress.Status.DONE)

    def overdue(self, today: date) -> StepProgressQuerySet:
        """Steps past their cohort's due date and not done, in pairs still working."""
        # due_on is annotated by with_due_dates(), which django-stubs cannot follow across methods.
        steps = self.with_due_dates().not_done()
        return steps.filter(due_on__lt=today, pair__status__in=LearningPair.LIVE_STATUSES)  # type: ignore[misc]


class StepProgress(models.Model):
    """One pair's progress on one refining step. Done only with a written summary."""

    # Set only on rows read through StepProgressQuerySet.with_due_dates(): the pair's own due date, the cohort's,
    # and the day the pair last changed.
    due_on: date | None
    cohort_due_on: date | None
    pair_changed_on: date | None
    grace_days: int

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    pair = models.ForeignKey(LearningPair, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(help_text="The step's number in the programme's refining process.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    summary = models.TextField(blank=True, help_text="What the pair found at this step.")
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    needs_another_look = models.BooleanField(
        default=False, help_text="A facilitator asks the pair to look at this step again; shown on the overview."
    )
    # Bumped on every save so two people editing at once cannot overwrite each other silently.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = StepProgressQuerySet.as_manager()

    class Meta:
        ordering = ["pair", "step"]
        verbose_name_plural = "step progress"
        constraints = [
            models.UniqueConstraint(fields=["pair", "step"], name="one_progress_per_pair_and_step"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(summary=""), name="done_step_has_summary"),
        ]

    def __str__(self) -> str:
        return f"{self.pair} – {self.get_step_display()}: {self.get_status_display()}"

    def get_step_display(self) -> str:
        return shape_for_pair(self._state.fields_cache.get("pair"), self.pair_id).steps.numbered(self.step).name

    @property
    def guidance(self) -> str:
        return shape_for_pair(self._state.fields_cache.get("pair"), self.pair_id).steps.numbered(self.step).guidance

    @property
    def due_extended(self) -> bool:
        """The pair formed or changed after the cohort's date, so it has the grace period instead."""
        cohort_due_on = getattr(self, "cohort_due_on", None)
        due_on = getattr(self, "due_on", None)
        return bool(cohort_due_on and due_on and due_on != cohort_due_on)

    @property
    def due_extension_note(self) -> str:
        """Why a pair's due date is not the cohort's, in words for the step pages and the overview."""
        if not self.due_extended or self.pair_changed_on is None or self.cohort_due_on is None:
            return ""
        return (
            f"The pair changed on {self.pair_changed_on:%-d %B %Y}, after the cohort's date of "
            f"{self.cohort_due_on:%-d %B %Y}, so it has {getattr(self, 'grace_days', 0)} days from then."
        )

    @property
    def is_overdue(self) -> bool:
        due_on = getattr(self, "due_on", None)
        return bool(due_on and self.status != self.Status.DONE and due_on < timezone.localdate())

    def clean(self) -> None:
        steps = shape_for_pair(self._state.fields_cache.get("pair"), self.pair_id).steps
        last = rules.last_step(steps)
        earlier_open = (
            self.status == self.Status.DONE
            and last is not None
            and self.step == last.number
            and StepProgress.objects.filter(pair_id=self.pair_id, step__lt=last.number)
            .exclude(status=self.Status.DONE)
            .exists()
        )
        rules.check_step_done(
            status=self.status, summary=self.summary, step=self.step, steps=steps, earlier_steps_open=earlier_open
        )


class StepCommentQuerySet(models.QuerySet["StepComment"]):
    def in_order(self) -> StepCommentQuerySet:
        return self.select_related("author").order_by("created_at", "pk")


class StepComment(models.Model):
    """A comment on one step of a pair, by the cohort's staff or the pair's members; Markdown, sanitised.

    It belongs to the pair's step, not to its author's seat, so it stays when members move pairs.
    """

    progress = models.ForeignKey(StepProgress, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = StepCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="step_comment_not_empty")]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.progress}"
