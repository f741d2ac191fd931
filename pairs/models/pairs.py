"""Learning pairs and their members over time: leaving sets a date, the row stays as history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cohorts import rules as cohort_rules
from cohorts.models import Cohort, Membership, Question, shape_for_cohort
from programme.models import User
from programme.shape import Shape

from .. import rules
from ..rules import check_pair_composition

if TYPE_CHECKING:
    from .steps import StepProgress


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
        from .steps import StepProgress  # the steps build on pairs

        return self.prefetch_related(
            # Ordered by its own columns: the model's default ordering joins pair, cohort and programme to sort.
            Prefetch(
                "steps",
                queryset=StepProgress.objects.with_due_dates()
                .select_related("completed_by")
                .order_by("pair_id", "step"),
            )
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
        return f"{self.label} ({self.cohort.name})"

    def get_absolute_url(self) -> str:
        return reverse("pairs:detail", args=[self.pk])

    @property
    def label(self) -> str:
        """ "Pair 3", or in the programme's own word for a group ("Learning group 3")."""
        word = shape_for_cohort(self.cohort_id).group_word
        return f"{word[:1].upper()}{word[1:]} {self.number}"

    def clean(self) -> None:
        cohort_rules.check_question_in_cohort(self.question, self.cohort_id, owner="pair")
        if self.pk and self.status == self.Status.ACTIVE:
            check_pair_composition(list(self.members.current().with_people()), shape_for_cohort(self.cohort_id))

    def current_member_list(self) -> list[PairMember]:
        if hasattr(self, "current_members"):
            return self.current_members
        return list(self.members.current().with_people())

    def member_names(self) -> str:
        return " & ".join(m.membership.user.full_name for m in self.current_member_list())

    def progress_by_step(self) -> dict[int, StepProgress]:
        return {progress.step: progress for progress in self.steps.all()}

    def current_step(self) -> StepProgress | None:
        """The first step not yet done, or None when all are done."""
        from .steps import StepProgress  # the steps build on pairs

        for progress in sorted(self.steps.all(), key=lambda p: p.step):
            if progress.status != StepProgress.Status.DONE:
                return progress
        return None


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
        rules.check_left_after_joining(joined_on=self.joined_on, left_on=self.left_on)


_pair_cohorts: dict[int, int] = {}


def shape_for_pair(pair: LearningPair | None, pair_id: int) -> Shape:
    """The shape of a pair's programme for rows holding a pair_id: from the pair when it is loaded, else by a
    cached pair → cohort map (a pair never changes cohort), so a list of a pair's rows costs one query at most."""
    if pair is not None:
        return shape_for_cohort(pair.cohort_id)
    cohort_id = _pair_cohorts.get(pair_id)
    if cohort_id is None:
        cohort_id = LearningPair.objects.values_list("cohort_id", flat=True).get(pk=pair_id)
        _pair_cohorts[pair_id] = cohort_id
    return shape_for_cohort(cohort_id)


def remember_pair_cohort(sender: type, instance: LearningPair, **_: object) -> None:
    _pair_cohorts[instance.pk] = instance.cohort_id
