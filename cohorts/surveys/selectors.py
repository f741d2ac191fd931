"""Reading surveys: their state, what a member is asked, and the staff's list."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from .. import rules
from ..models import Cohort, Membership, Survey, SurveyQuestion, SurveyResponse


def survey_state(survey: Survey, *, has_questions: bool, now: datetime | None = None) -> str:
    """draft (no question yet: members do not see it), scheduled, open or closed."""
    now = now or timezone.now()
    if not has_questions:
        return "draft"
    return rules.survey_window(survey.opens_at, survey.closes_at, now)


def is_survey_open(survey: Survey, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return rules.survey_window(survey.opens_at, survey.closes_at, now) == "open"


def questions_for_side(survey: Survey, side: str) -> list[SurveyQuestion]:
    """The questions a member on this side is asked, in order."""
    audiences = (SurveyQuestion.Audience.ALL, side)
    return list(survey.questions.filter(audience__in=audiences).order_by("order"))


def asks_side(side: str) -> Exists:
    return Exists(
        SurveyQuestion.objects.filter(survey=OuterRef("pk"), audience__in=(SurveyQuestion.Audience.ALL, side))
    )


def surveys_to_answer(membership: Membership, now: datetime | None = None) -> list[Survey]:
    """Open surveys of the member's cohort with questions for their side; each has `answered` (one query)."""
    if not rules.is_current_or_completed(membership.status):
        return []
    now = now or timezone.now()
    return list(
        Survey.objects.filter(rules.open_survey_q(now), cohort_id=membership.cohort_id)
        .filter(asks_side(membership.side))
        .annotate(answered=Exists(SurveyResponse.objects.filter(survey=OuterRef("pk"), membership=membership)))
        .order_by("closes_at", "pk")
    )


def staff_surveys(cohort: Cohort) -> list[Survey]:
    """A cohort's surveys with their question and response counts, newest first."""
    return list(
        Survey.objects.filter(cohort=cohort).annotate(
            question_count=Count("questions", distinct=True), response_count=Count("responses", distinct=True)
        )
    )
