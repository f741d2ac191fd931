"""Members of a cohort and applications to join one."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .. import rules
from .cohort import Cohort, Question, Side


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_cohort(self, cohort: Cohort) -> MembershipQuerySet:
        return self.filter(cohort=cohort)

    def current(self) -> MembershipQuerySet:
        """Members taking part now: accepted or active, not withdrawn."""
        return self.filter(rules.current_member_q())

    def current_or_completed(self) -> MembershipQuerySet:
        """Current members and those who completed the year: asked to answer surveys, shown the cohort's pages."""
        return self.filter(rules.current_or_completed_q())

    def taking_part(self) -> MembershipQuerySet:
        """Everyone who was in the cohort, including those who withdrew or completed."""
        return self.filter(status__in=Membership.TAKING_PART_STATUSES)

    def with_people(self) -> MembershipQuerySet:
        return self.select_related("user__organisation", "cohort")

    def with_event_days(self) -> MembershipQuerySet:
        """Annotate days of events attended (attendance marked attended)."""
        return self.annotate(event_days=_event_days())

    def alias_event_days(self) -> MembershipQuerySet:
        """Days of events attended as an alias: to filter or sort by without selecting it."""
        return self.alias(event_days=_event_days())


def _event_days() -> Coalesce:
    from .events import Attendance  # events build on members

    attended = (
        Attendance.objects.filter(membership=OuterRef("pk"), status=Attendance.Status.ATTENDED)
        .values("membership")
        .annotate(days=Sum("event__length_days"))
        .values("days")
    )
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=2))
    return Coalesce(Subquery(attended, output_field=DecimalField(max_digits=8, decimal_places=2)), zero)


class Membership(models.Model):
    """A person in a cohort, on one side. Commitment days are derived, never typed in."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        ACCEPTED = "accepted", "Accepted"
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

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
        return rules.is_current_member(self.status)

    def clean(self) -> None:
        rules.check_withdrawal(status=self.status, withdrawn_on=self.withdrawn_on, joined_on=self.joined_on)
        rules.check_question_in_cohort(
            self.preferred_question, self.cohort_id, owner="member", field="preferred_question"
        )


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
        indexes = [models.Index(fields=["submitted_at"], name="application_by_time")]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "applicant"], name="one_application_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.cohort.name}"
