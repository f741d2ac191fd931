"""Learning pairs, their members over time, the four refining steps and the activities they log."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cohorts.models import Cohort, Membership, Question, Side
from programme.models import User


class Step(models.IntegerChoices):
    """The refining steps, in order (the programme report's Figure 2)."""

    IDENTIFY = 1, "Identify"
    UNDERSTAND = 2, "Understand"
    EXPLORE = 3, "Explore"
    ACT = 4, "Act"


# In the programme's own words (the 2014-15 report, "Figure 2: refining steps").
STEP_GUIDANCE = {
    Step.IDENTIFY: "Begin with an instance from your own practice where one of the cohort's disconnects "
    "between policy and practice seems to be occurring, and agree which example you will work on.",
    Step.UNDERSTAND: "Work your example up into a case study: why is the disconnect occurring, and who is "
    "involved in making it happen? Visits to each other's worlds help here.",
    Step.EXPLORE: "Find out more about the example and explore ways the disconnect could be addressed: "
    "what has worked elsewhere, and what the people involved suggest.",
    Step.ACT: "Match your own skills and resources to those solutions: decide the actions you can take "
    "yourselves, and the output you will produce to encourage others to change their behaviour.",
}


class StepDeadline(models.Model):
    """The date a cohort expects every pair to have finished a step."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="step_deadlines")
    step = models.PositiveSmallIntegerField(choices=Step.choices)
    due_on = models.DateField()

    class Meta:
        ordering = ["cohort", "step"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "step"], name="one_deadline_per_cohort_step"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort.name} step {self.step}: {self.due_on:%d %b %Y}"


class PairMemberQuerySet(models.QuerySet["PairMember"]):
    def current(self) -> PairMemberQuerySet:
        return self.filter(left_on__isnull=True)

    def with_people(self) -> PairMemberQuerySet:
        return self.select_related("membership__user__organisation")


class LearningPairQuerySet(models.QuerySet["LearningPair"]):
    def for_cohort(self, cohort: Cohort) -> LearningPairQuerySet:
        return self.filter(cohort=cohort)

    def active(self) -> LearningPairQuerySet:
        return self.filter(status=LearningPair.Status.ACTIVE)

    def live(self) -> LearningPairQuerySet:
        """Pairs still working: forming, active or stalled."""
        return self.filter(status__in=LearningPair.LIVE_STATUSES)

    def for_user(self, user: User) -> LearningPairQuerySet:
        """Pairs the user is a current member of."""
        return self.filter(members__membership__user=user, members__left_on__isnull=True)

    def with_current_members(self) -> LearningPairQuerySet:
        return self.prefetch_related(
            Prefetch(
                "members",
                queryset=PairMember.objects.current().with_people().order_by("membership__side", "joined_on"),
                to_attr="current_members",
            )
        )

    def with_progress(self) -> LearningPairQuerySet:
        return self.prefetch_related(
            Prefetch("steps", queryset=StepProgress.objects.with_due_dates().select_related("completed_by"))
        )


class LearningPair(models.Model):
    class Status(models.TextChoices):
        FORMING = "forming", "Forming"
        ACTIVE = "active", "Active"
        STALLED = "stalled", "Stalled"
        DISSOLVED = "dissolved", "Dissolved"
        COMPLETED = "completed", "Completed"

    LIVE_STATUSES = (Status.FORMING, Status.ACTIVE, Status.STALLED)

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="pairs")
    number = models.PositiveSmallIntegerField(help_text="Pair number within the cohort.")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, null=True, blank=True, related_name="pairs")
    angle = models.CharField(max_length=250, blank=True, help_text="The specific angle the pair takes on its question.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FORMING)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = LearningPairQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "number"]
        verbose_name = "learning pair"
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="pair_number_unique_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"Pair {self.number} ({self.cohort.name})"

    def get_absolute_url(self) -> str:
        return reverse("pairs:detail", args=[self.pk])

    def clean(self) -> None:
        if self.cohort_id and self.question is not None and self.question.cohort_id != self.cohort_id:
            raise ValidationError({"question": "Choose a question of this pair's cohort."})
        if self.pk and self.status == self.Status.ACTIVE:
            check_pair_composition(list(self.members.current().with_people()))

    def current_member_list(self) -> list[PairMember]:
        if hasattr(self, "current_members"):
            return self.current_members
        return list(self.members.current().with_people())

    def member_names(self) -> str:
        return " & ".join(m.membership.user.full_name for m in self.current_member_list())

    def progress_by_step(self) -> dict[int, StepProgress]:
        return {progress.step: progress for progress in self.steps.all()}

    def current_step(self) -> StepProgress | None:
        """The first step not yet done, or None when all four are done."""
        for progress in sorted(self.steps.all(), key=lambda p: p.step):
            if progress.status != StepProgress.Status.DONE:
                return progress
        return None


def check_pair_composition(members: list[PairMember]) -> None:
    """An active pair needs both sides among its current members, and no two from one organisation."""
    sides = {member.membership.side for member in members}
    if sides != {Side.POLICYMAKER, Side.PRACTITIONER}:
        raise ValidationError("An active pair needs at least one policymaker and one practitioner.")
    organisations = [m.membership.user.organisation_id for m in members if m.membership.user.organisation_id]
    if len(organisations) != len(set(organisations)):
        raise ValidationError("Two current members of a pair cannot come from the same organisation.")


class PairMember(models.Model):
    """A member's time in a pair. Leaving sets left_on; the row is never deleted."""

    pair = models.ForeignKey(LearningPair, on_delete=models.CASCADE, related_name="members")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="pair_memberships")
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)
    left_reason = models.CharField(max_length=250, blank=True)
    history = HistoricalRecords()

    objects = PairMemberQuerySet.as_manager()

    class Meta:
        ordering = ["pair", "joined_on"]
        constraints = [
            # A member of a cohort is in at most one pair at a time.
            models.UniqueConstraint(
                fields=["membership"], condition=Q(left_on__isnull=True), name="one_current_pair_per_member"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="pair_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} in {self.pair}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    def clean(self) -> None:
        if self.pair_id and self.membership_id and self.pair.cohort_id != self.membership.cohort_id:
            raise ValidationError({"membership": "A pair's members must belong to the pair's cohort."})
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": "A member cannot leave a pair before joining it."})


class StepProgressQuerySet(models.QuerySet["StepProgress"]):
    def with_due_dates(self) -> StepProgressQuerySet:
        deadline = StepDeadline.objects.filter(cohort=OuterRef("pair__cohort"), step=OuterRef("step"))
        return self.annotate(due_on=Subquery(deadline.values("due_on")[:1]))

    def not_done(self) -> StepProgressQuerySet:
        return self.exclude(status=StepProgress.Status.DONE)

    def overdue(self, today: date) -> StepProgressQuerySet:
        """Steps past their cohort's due date and not done, in pairs still working."""
        # due_on is annotated by with_due_dates(), which django-stubs cannot follow across methods.
        steps = self.with_due_dates().not_done()
        return steps.filter(due_on__lt=today, pair__status__in=LearningPair.LIVE_STATUSES)  # type: ignore[misc]


class StepProgress(models.Model):
    """One pair's progress on one refining step. Done only with a written summary."""

    due_on: date | None  # set only on rows read through StepProgressQuerySet.with_due_dates()

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    pair = models.ForeignKey(LearningPair, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(choices=Step.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    summary = models.TextField(blank=True, help_text="What the pair found at this step.")
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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

    @property
    def guidance(self) -> str:
        return STEP_GUIDANCE[Step(self.step)]

    @property
    def is_overdue(self) -> bool:
        due_on = getattr(self, "due_on", None)
        return bool(due_on and self.status != self.Status.DONE and due_on < timezone.localdate())

    def clean(self) -> None:
        if self.status == self.Status.DONE:
            if not self.summary.strip():
                raise ValidationError({"summary": "Write a summary of what you found before marking the step done."})
            if self.step == Step.ACT:
                earlier_open = (
                    StepProgress.objects.filter(pair_id=self.pair_id, step__lt=Step.ACT)
                    .exclude(status=self.Status.DONE)
                    .exists()
                )
                if earlier_open:
                    raise ValidationError("Step 4 (Act) can only be done once steps 1 to 3 are done.")


FUTURE_ACTIVITY_DATE = "Log an activity once it has happened: this date is in the future."


class ActivityQuerySet(models.QuerySet["Activity"]):
    def for_pair(self, pair: LearningPair) -> ActivityQuerySet:
        return self.filter(pair=pair)

    def newest_first(self) -> ActivityQuerySet:
        return self.order_by("-occurred_on", "-pk")

    def with_attendees(self) -> ActivityQuerySet:
        return self.prefetch_related("attendees__user")

    def hours_by_kind(self) -> list[tuple[str, Decimal]]:
        """(kind label, total hours) for each kind present, in one aggregate query."""
        totals = dict(self.order_by().values_list("kind").annotate(total=models.Sum("hours")))
        return [(label, totals[kind]) for kind, label in Activity.Kind.choices if kind in totals]


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
    kind = models.CharField(max_length=32, choices=Kind.choices)
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
    private_notes = models.TextField(blank=True, help_text="Only your pair and the cohort's staff can read these.")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[attendees])

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="activity_hours_positive"),
            models.CheckConstraint(condition=Q(hours__lte=24), name="activity_hours_at_most_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%d %b %Y}"

    def clean(self) -> None:
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": FUTURE_ACTIVITY_DATE})
