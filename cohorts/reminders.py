"""Reminders about a cohort's own things: events members have not replied to, and open surveys they
have not answered. Each reminder goes into the outbox under a key naming its event or survey and its
recipient, so running the job again, or twice at once, never sends the same reminder twice.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, OutboundMessage
from notifications.services import Recipient, message_enqueue, notifications_raise

from .models import Attendance, Membership, Survey, SurveyQuestion, SurveyResponse
from .rules import current_member_q, open_survey_q
from .surveys import sides_for_audience

REMIND_DAYS_AHEAD = 7
EVENT_REPLY = "event_reply"
SURVEY_ANSWER = "survey_answer"


def link(path: str) -> str:
    """An absolute address for a link in an email."""
    return urljoin(settings.SITE_URL, path)


def event_reminder_key(*, event_id: int, user_id: int) -> str:
    return f"reminder:event:{event_id}:{user_id}"


def survey_reminder_key(*, survey_id: int, user_id: int) -> str:
    return f"reminder:survey:{survey_id}:{user_id}"


def event_reminders_enqueue(*, now: datetime) -> int:
    """Queue a reminder to each member invited to an event in the next week who has not replied."""
    waiting = list(
        Attendance.objects.filter(
            current_member_q("membership__"),
            status=Attendance.Status.INVITED,
            event__cancelled_at__isnull=True,
            event__starts_at__gt=now,
            event__starts_at__lte=now + timedelta(days=REMIND_DAYS_AHEAD),
            membership__user__is_active=True,
        ).select_related("event", "membership__user")
    )
    keys = {a.pk: event_reminder_key(event_id=a.event_id, user_id=a.membership.user_id) for a in waiting}
    sent_before = OutboundMessage.objects.recorded_keys(set(keys.values()))
    queued = 0
    for attendance in waiting:
        if keys[attendance.pk] in sent_before:
            continue
        user, event = attendance.membership.user, attendance.event
        when = timezone.localtime(event.starts_at)
        body = (
            f"Dear {user.get_short_name()},\n\n"
            f"You are invited to {event.title} on {when:%A %-d %B at %H:%M}"
            f"{f' at {event.place}' if event.place else ''}.\n\n"
            f"Please tell us whether you can come, or send apologies:\n"
            f"{link(reverse('cohorts:event-detail', args=[event.pk]))}\n"
        )
        _, created = message_enqueue(
            key=keys[attendance.pk],
            to=user,
            kind=EVENT_REPLY,
            subject=f"Please reply: {event.title}, {when:%-d %B}",
            body=body,
        )
        queued += created
    return queued


def survey_reminders_enqueue(*, now: datetime) -> int:
    """Queue a reminder to each member asked by an open survey closing within a week who has not answered."""
    surveys = list(Survey.objects.filter(open_survey_q(now), closes_at__lte=now + timedelta(days=REMIND_DAYS_AHEAD)))
    sides: dict[int, set[str]] = {}
    for survey_id, audience in SurveyQuestion.objects.filter(survey__in=surveys).values_list("survey_id", "audience"):
        sides.setdefault(survey_id, set()).update(sides_for_audience(audience))
    members = list(
        Membership.objects.filter(cohort__in={s.cohort_id for s in surveys}, user__is_active=True)
        .current_or_completed()
        .select_related("user")
        .order_by("pk")
    )
    answered = set(SurveyResponse.objects.filter(survey__in=surveys).values_list("survey_id", "membership_id"))
    asked = [
        (survey, membership)
        for survey in surveys
        for membership in members
        if membership.cohort_id == survey.cohort_id
        and membership.side in sides.get(survey.pk, set())  # no question for their side (or none at all)
        and (survey.pk, membership.pk) not in answered
    ]
    sent_before = OutboundMessage.objects.recorded_keys(
        {survey_reminder_key(survey_id=s.pk, user_id=m.user_id) for s, m in asked}
    )
    queued = 0
    for survey, membership in asked:
        key = survey_reminder_key(survey_id=survey.pk, user_id=membership.user_id)
        if key in sent_before:
            continue
        user = membership.user
        when = timezone.localtime(survey.closes_at)
        body = (
            f"Dear {user.get_short_name()},\n\n"
            f"Please answer {survey.title} before it closes on {when:%A %-d %B at %H:%M}. "
            "Your answers help the programme team report what the year achieved.\n\n"
            f"{link(reverse('cohorts:survey-answer', args=[survey.pk]))}\n"
        )
        _, created = message_enqueue(
            key=key,
            to=user,
            kind=SURVEY_ANSWER,
            subject=f"Please answer: {survey.title}, closes {when:%-d %B}",
            body=body,
        )
        queued += created
    return queued


def survey_opened_key(*, survey_id: int, user_id: int) -> str:
    return f"survey-opened:{survey_id}:u{user_id}"


def surveys_opened_notify(*, now: datetime) -> int:
    """Tell each member asked by a survey that has opened (and not yet closed) that it is open, once.

    Runs with the reminders, so a survey scheduled to open next week is announced when it opens.
    Returns how many people were told.
    """
    told = 0
    for survey in Survey.objects.filter(open_survey_q(now)).order_by("pk"):
        sides = set(survey.questions.values_list("audience", flat=True))
        if not sides:
            continue  # nothing to answer yet
        members = Membership.objects.filter(cohort_id=survey.cohort_id).current_or_completed()
        if SurveyQuestion.Audience.ALL not in sides:
            members = members.filter(side__in=sides)
        user_ids = members.values_list("user_id", flat=True)
        created = notifications_raise(
            recipients=[
                Recipient(user_id, survey_opened_key(survey_id=survey.pk, user_id=user_id)) for user_id in user_ids
            ],
            kind=Kind.SURVEY_OPENED,
            text=f"{survey.title} is open until {timezone.localtime(survey.closes_at):%-d %B %Y}: tell us how it went",
            url=reverse("cohorts:survey-answer", args=[survey.pk]),
        )
        told += len(created)
    return told


def survey_not_answered(survey: Survey) -> list[Membership]:
    """The members a survey asks (a side it has questions for) who have not answered it, by name: two queries."""
    sides = {
        side
        for audience in survey.questions.values_list("audience", flat=True)
        for side in sides_for_audience(audience)
    }
    return list(
        Membership.objects.filter(cohort_id=survey.cohort_id, side__in=sides, user__is_active=True)
        .current_or_completed()
        .exclude(survey_responses__survey=survey)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def survey_manual_reminder_key(*, survey_id: int, user_id: int, on: date) -> str:
    """One a day at most: the day is part of the key, and a recorded key sends nothing."""
    return f"reminder:survey:{survey_id}:{user_id}:asked-on:{on.isoformat()}"


@transaction.atomic
def survey_remind_not_answered(*, survey: Survey, now: datetime) -> int:
    """Staff remind everyone who has not answered the survey; each person at most once a day. Returns how many
    were reminded now (0 when all of them already were today)."""
    today = timezone.localdate(now)
    when = timezone.localtime(survey.closes_at)
    reminded = 0
    for membership in survey_not_answered(survey):
        user = membership.user
        _, created = message_enqueue(
            key=survey_manual_reminder_key(survey_id=survey.pk, user_id=user.pk, on=today),
            to=user,
            kind=SURVEY_ANSWER,
            subject=f"Please answer: {survey.title}, closes {when:%-d %B}",
            body=(
                f"Dear {user.get_short_name()},\n\n"
                f"Please answer {survey.title} before it closes on {when:%A %-d %B at %H:%M}. "
                "Your answers help the programme team report what the year achieved.\n\n"
                f"{link(reverse('cohorts:survey-answer', args=[survey.pk]))}\n"
            ),
        )
        reminded += created
    return reminded
