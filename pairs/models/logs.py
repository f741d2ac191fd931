"""Records of reminder emails and risk digests sent, so that none goes out twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cohorts.models import Cohort

from .steps import StepProgress


class Reminder(models.Model):
    """A reminder email sent: recorded so the same reminder is never sent twice."""

    class Kind(models.TextChoices):
        EVENT_REPLY = "event_reply", "Reply to an event"
        STEP_DUE = "step_due", "Step due"
        SURVEY_ANSWER = "survey_answer", "Answer a survey"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    event = models.ForeignKey(
        "cohorts.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    step = models.ForeignKey(StepProgress, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders")
    survey = models.ForeignKey(
        "cohorts.Survey", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # A step whose due date moves is reminded again for the new date.
    due_on = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "event"],
                condition=Q(event__isnull=False),
                name="one_reminder_per_event_and_recipient",
            ),
            models.UniqueConstraint(
                fields=["kind", "recipient", "step", "due_on"],
                condition=Q(step__isnull=False),
                name="one_reminder_per_step_due_date_and_recipient",
            ),
            models.UniqueConstraint(
                fields=["kind", "recipient", "survey"],
                condition=Q(survey__isnull=False),
                name="one_reminder_per_survey_and_recipient",
            ),
            models.CheckConstraint(
                condition=Q(event__isnull=False, step__isnull=True, survey__isnull=True)
                | Q(event__isnull=True, step__isnull=False, survey__isnull=True)
                | Q(event__isnull=True, step__isnull=True, survey__isnull=False),
                name="reminder_concerns_one_event_step_or_survey",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} on {self.sent_at:%d %b %Y}"


class RiskDigest(models.Model):
    """A weekly at-risk digest sent to one facilitator of a cohort: recorded so a week's digest goes out once."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="risk_digests")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="risk_digests")
    week = models.CharField(max_length=8, help_text='The ISO week it was sent for, e.g. "2015-W07".')
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "recipient", "week"], name="one_risk_digest_per_week"),
        ]

    def __str__(self) -> str:
        return f"Risk digest {self.week} for {self.recipient} ({self.cohort.name})"
