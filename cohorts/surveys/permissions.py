"""Who may open a survey: its cohort's staff to build it, its members (once open for their side) to answer it."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from programme.models import User

from ..models import Membership, Survey, SurveyQuestion
from ..permissions import staff_cohorts
from .selectors import asks_side


def get_survey_for_staff(user: User, pk: int) -> Survey:
    """The survey, if the user runs its cohort; 404 otherwise."""
    return get_object_or_404(
        Survey.objects.filter(cohort__in=staff_cohorts(user)).select_related("cohort__programme"), pk=pk
    )


def get_question_for_staff(user: User, pk: int, question_pk: int) -> SurveyQuestion:
    survey = get_survey_for_staff(user, pk)
    question = get_object_or_404(survey.questions, pk=question_pk)
    question.survey = survey
    return question


def get_survey_for_member(user: User, pk: int, now: datetime | None = None) -> tuple[Survey, Membership]:
    """The survey and the user's membership, if it has opened for their side of their cohort; 404 otherwise."""
    now = now or timezone.now()
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.filter(user=user, cohort__surveys__pk=pk)
        .current_or_completed()
        .select_related("cohort")
        .first()
    )
    if membership is None:
        raise Http404
    survey = get_object_or_404(
        Survey.objects.filter(cohort_id=membership.cohort_id, opens_at__lte=now).filter(asks_side(membership.side)),
        pk=pk,
    )
    return survey, membership
