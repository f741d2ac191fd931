"""Reminders that refining steps are due soon or overdue, and the `send_reminders` job that queues every
reminder: the cohort's own (events, surveys) and the pairs' steps.

Each reminder goes into the outbox under a key naming the step, its due date and the recipient, so running
the job again, or twice at once, never sends the same reminder twice; a moved due date is reminded again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from cohorts.reminders import (
    REMIND_DAYS_AHEAD,
    event_reminders_enqueue,
    link,
    survey_reminders_enqueue,
    surveys_opened_notify,
)
from cohorts.rules import current_member_q
from notifications.models import OutboundMessage
from notifications.services import message_enqueue
from programme.models import User

from .models import LearningPair, PairMember, StepProgress

STEP_DUE = "step_due"


@dataclass(frozen=True)
class RemindersQueued:
    events: int
    steps: int
    surveys: int = 0
    surveys_opened: int = 0

    @property
    def total(self) -> int:
        return self.events + self.steps + self.surveys


def step_reminder_key(*, step: StepProgress, user_id: int) -> str:
    return f"reminder:step:{step.pk}:{user_id}:{step.due_on:%Y-%m-%d}"


def step_reminders_enqueue(*, now: datetime) -> int:
    """Queue a reminder to the members of pairs still working whose refining step is due within a week or overdue."""
    today = timezone.localdate(now)
    steps = list(
        StepProgress.objects.with_due_dates()
        .not_done()
        # due_on is annotated by with_due_dates(), which django-stubs cannot follow across methods.
        .filter(due_on__lte=today + timedelta(days=REMIND_DAYS_AHEAD), pair__status__in=LearningPair.LIVE_STATUSES)  # type: ignore[misc]
        .select_related("pair__cohort")
    )
    members = (
        PairMember.objects.current()
        .filter(
            current_member_q("membership__"),
            pair__in={s.pair_id for s in steps},
            membership__user__is_active=True,
        )
        .select_related("membership__user")
    )
    users_by_pair: dict[int, list[User]] = {}
    for member in members:
        users_by_pair.setdefault(member.pair_id, []).append(member.membership.user)
    wanted = [(step, user) for step in steps for user in users_by_pair.get(step.pair_id, [])]
    sent_before = OutboundMessage.objects.recorded_keys(
        {step_reminder_key(step=step, user_id=user.pk) for step, user in wanted}
    )
    queued = 0
    for step, user in wanted:
        key = step_reminder_key(step=step, user_id=user.pk)
        if key in sent_before:
            continue
        assert step.due_on is not None  # only steps with a due date were read
        overdue = step.due_on < today
        state = "was due" if overdue else "is due"
        body = (
            f"Dear {user.get_short_name()},\n\n"
            f"Step {step.step}, {step.get_step_display()}, {state} on {step.due_on:%A %-d %B}.\n"
            f"{step.guidance}\n\n"
            "A step is done when your pair has written a summary of what you found:\n"
            f"{link(step.pair.get_absolute_url())}\n"
        )
        _, created = message_enqueue(
            key=key,
            to=user,
            kind=STEP_DUE,
            subject=f"{'Overdue' if overdue else 'Due soon'}: step {step.step}, {step.get_step_display()}",
            body=body,
        )
        queued += created
    return queued


def reminders_enqueue(*, now: datetime | None = None) -> RemindersQueued:
    """Queue every reminder that is due and not yet sent: event replies, steps and surveys."""
    now = now or timezone.now()
    return RemindersQueued(
        events=event_reminders_enqueue(now=now),
        steps=step_reminders_enqueue(now=now),
        surveys=survey_reminders_enqueue(now=now),
        surveys_opened=surveys_opened_notify(now=now),
    )
