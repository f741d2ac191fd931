"""Reminder emails: events members have not replied to, refining steps due soon or overdue, and
open surveys members have not answered.

Each reminder sent is recorded as a Reminder row (unique per kind, recipient and object), so running
the command again, or twice at once, never sends the same reminder twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Membership, Survey, SurveyQuestion, SurveyResponse
from cohorts.surveys import ASKED_STATUSES, sides_for_audience

from .models import LearningPair, PairMember, Reminder, StepProgress

REMIND_DAYS_AHEAD = 7


@dataclass(frozen=True)
class RemindersSent:
    events: int
    steps: int
    surveys: int = 0

    @property
    def total(self) -> int:
        return self.events + self.steps + self.surveys


def _link(path: str) -> str:
    return urljoin(settings.SITE_URL, path)


def _send_once(*, reminder: Reminder, subject: str, body: str) -> bool:
    """Record the reminder and send it, in one transaction: if sending fails, nothing is recorded."""
    try:
        with transaction.atomic():
            reminder.save()
            send_mail(subject, body, None, [reminder.recipient.email])
    except IntegrityError:
        return False  # already sent
    return True


def _already_sent(kind: str, pairs: set[tuple]) -> set[tuple]:
    rows: Iterable[tuple]
    if kind == Reminder.Kind.EVENT_REPLY:
        rows = Reminder.objects.filter(kind=kind, event__isnull=False).values_list("recipient_id", "event_id")
    else:
        rows = Reminder.objects.filter(kind=kind, step__isnull=False).values_list("recipient_id", "step_id", "due_on")
    return set(rows) & pairs


def event_reminders_send(*, now: datetime) -> int:
    """Email members invited to an event in the next week who have not replied."""
    waiting = list(
        Attendance.objects.filter(
            status=Attendance.Status.INVITED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + timedelta(days=REMIND_DAYS_AHEAD),
            membership__status__in=Membership.CURRENT_STATUSES,
        ).select_related("event", "membership__user")
    )
    sent_before = _already_sent(Reminder.Kind.EVENT_REPLY, {(a.membership.user_id, a.event_id) for a in waiting})
    sent = 0
    for attendance in waiting:
        user, event = attendance.membership.user, attendance.event
        if (user.pk, event.pk) in sent_before or not user.is_active:
            continue
        when = timezone.localtime(event.starts_at)
        body = (
            f"Dear {user.get_short_name()},\n\n"
            f"You are invited to {event.title} on {when:%A %-d %B at %H:%M}"
            f"{f' at {event.place}' if event.place else ''}.\n\n"
            f"Please tell us whether you can come, or send apologies:\n"
            f"{_link(reverse('cohorts:event-detail', args=[event.pk]))}\n"
        )
        reminder = Reminder(kind=Reminder.Kind.EVENT_REPLY, recipient=user, event=event)
        sent += _send_once(reminder=reminder, subject=f"Please reply: {event.title}, {when:%-d %B}", body=body)
    return sent


def step_reminders_send(*, now: datetime) -> int:
    """Email the members of pairs still working whose refining step is due within a week or overdue."""
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
        .filter(pair__in={s.pair_id for s in steps}, membership__status__in=Membership.CURRENT_STATUSES)
        .select_related("membership__user")
    )
    users_by_pair: dict[int, list] = {}
    for member in members:
        users_by_pair.setdefault(member.pair_id, []).append(member.membership.user)
    wanted = {(u.pk, s.pk, s.due_on) for s in steps for u in users_by_pair.get(s.pair_id, [])}
    sent_before = _already_sent(Reminder.Kind.STEP_DUE, wanted)
    sent = 0
    for step in steps:
        assert step.due_on is not None  # only steps with a due date were read
        for user in users_by_pair.get(step.pair_id, []):
            if (user.pk, step.pk, step.due_on) in sent_before or not user.is_active:
                continue
            overdue = step.due_on < today
            state = "was due" if overdue else "is due"
            body = (
                f"Dear {user.get_short_name()},\n\n"
                f"Step {step.step}, {step.get_step_display()}, {state} on {step.due_on:%A %-d %B}.\n"
                f"{step.guidance}\n\n"
                "A step is done when your pair has written a summary of what you found:\n"
                f"{_link(step.pair.get_absolute_url())}\n"
            )
            reminder = Reminder(kind=Reminder.Kind.STEP_DUE, recipient=user, step=step, due_on=step.due_on)
            subject = f"{'Overdue' if overdue else 'Due soon'}: step {step.step}, {step.get_step_display()}"
            sent += _send_once(reminder=reminder, subject=subject, body=body)
    return sent


def survey_reminders_send(*, now: datetime) -> int:
    """Email members asked by an open survey closing within a week who have not answered it yet."""
    surveys = list(
        Survey.objects.filter(
            opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + timedelta(days=REMIND_DAYS_AHEAD)
        )
    )
    sides: dict[int, set[str]] = {}
    for survey_id, audience in SurveyQuestion.objects.filter(survey__in=surveys).values_list("survey_id", "audience"):
        sides.setdefault(survey_id, set()).update(sides_for_audience(audience))
    members = list(
        Membership.objects.filter(cohort__in={s.cohort_id for s in surveys}, status__in=ASKED_STATUSES)
        .select_related("user")
        .order_by("pk")
    )
    answered = set(SurveyResponse.objects.filter(survey__in=surveys).values_list("survey_id", "membership_id"))
    sent_before = set(
        Reminder.objects.filter(kind=Reminder.Kind.SURVEY_ANSWER, survey__in=surveys).values_list(
            "recipient_id", "survey_id"
        )
    )
    sent = 0
    for survey in surveys:
        when = timezone.localtime(survey.closes_at)
        for membership in members:
            user = membership.user
            if (
                membership.cohort_id != survey.cohort_id
                or membership.side not in sides.get(survey.pk, set())  # no question for their side (or none at all)
                or (survey.pk, membership.pk) in answered
                or (user.pk, survey.pk) in sent_before
                or not user.is_active
            ):
                continue
            body = (
                f"Dear {user.get_short_name()},\n\n"
                f"Please answer {survey.title} before it closes on {when:%A %-d %B at %H:%M}. "
                "Your answers help the programme team report what the year achieved.\n\n"
                f"{_link(reverse('cohorts:survey-answer', args=[survey.pk]))}\n"
            )
            reminder = Reminder(kind=Reminder.Kind.SURVEY_ANSWER, recipient=user, survey=survey)
            sent += _send_once(
                reminder=reminder, subject=f"Please answer: {survey.title}, closes {when:%-d %B}", body=body
            )
            sent_before.add((user.pk, survey.pk))
    return sent


def reminders_send(*, now: datetime | None = None) -> RemindersSent:
    """Send every reminder that is due and not yet sent."""
    now = now or timezone.now()
    return RemindersSent(
        events=event_reminders_send(now=now), steps=step_reminders_send(now=now), surveys=survey_reminders_send(now=now)
    )
