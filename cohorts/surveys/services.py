"""Writes on surveys: building one (questions in order) and a member's answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .. import rules
from ..models import Cohort, Membership, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from .selectors import questions_for_side

SURVEY_NEEDS_A_QUESTION = "Add at least one question: members do not see a survey until it has one."
SURVEY_CLOSED = "This survey closed on {when}: your answers were not saved."
SURVEY_NOT_OPEN = "This survey is not open yet: your answers were not saved."
SURVEY_NOT_ASKED = "Only current and completed members of this cohort answer its surveys."

SURVEY_FIELDS = ("title", "introduction", "opens_at", "closes_at")
QUESTION_FIELDS = ("text", "kind", "audience", "choices")


@transaction.atomic
def survey_create(*, cohort: Cohort, title: str, introduction: str, opens_at: datetime, closes_at: datetime) -> Survey:
    """Create a survey; members see it once it has a question and its opening time has come."""
    rules.check_survey_window(opens_at, closes_at)
    survey = Survey(cohort=cohort, title=title, introduction=introduction, opens_at=opens_at, closes_at=closes_at)
    survey.full_clean()
    survey.save()
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, **fields: Any) -> Survey:
    """Change a survey's title, introduction or dates; answers are kept."""
    for name in SURVEY_FIELDS:
        if name in fields:
            setattr(survey, name, fields[name])
    rules.check_survey_window(survey.opens_at, survey.closes_at)
    survey.full_clean()
    survey.save()
    return survey


def _clean_choices(kind: str, choices: str) -> str:
    if kind != SurveyQuestion.Kind.CHOICE:
        return ""
    rules.check_choice_options(kind, choices)
    return "\n".join(rules.choice_options(choices))


@transaction.atomic
def survey_question_add(
    *, survey: Survey, text: str, kind: str, audience: str = SurveyQuestion.Audience.ALL, choices: str = ""
) -> SurveyQuestion:
    """Add a question at the end of the survey."""
    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # one add at a time takes the next number
    last = survey.questions.aggregate(last=Max("order"))["last"] or 0
    question = SurveyQuestion(
        survey=survey,
        order=last + 1,
        text=text.strip(),
        kind=kind,
        audience=audience,
        choices=_clean_choices(kind, choices),
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def survey_question_update(*, question: SurveyQuestion, **fields: Any) -> SurveyQuestion:
    """Reword a question or change its audience or options; its kind is fixed once it has answers."""
    if "kind" in fields and fields["kind"] != question.kind:
        rules.check_question_kind_change(
            old_kind=question.kind, new_kind=fields["kind"], has_answers=question.answers.exists()
        )
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    question.text = question.text.strip()
    question.choices = _clean_choices(question.kind, question.choices)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def survey_question_move(*, question: SurveyQuestion, up: bool) -> bool:
    """Swap a question with the one before (up) or after it. False when it is already first or last."""
    siblings = SurveyQuestion.objects.select_for_update().filter(survey_id=question.survey_id)
    if up:
        neighbour = siblings.filter(order__lt=question.order).order_by("-order").first()
    else:
        neighbour = siblings.filter(order__gt=question.order).order_by("order").first()
    if neighbour is None:
        return False
    # (survey, order) is unique, so park the question on a free number while the two swap.
    parked = (siblings.aggregate(last=Max("order"))["last"] or 0) + 1
    mine, theirs = question.order, neighbour.order
    SurveyQuestion.objects.filter(pk=question.pk).update(order=parked)
    SurveyQuestion.objects.filter(pk=neighbour.pk).update(order=mine)
    SurveyQuestion.objects.filter(pk=question.pk).update(order=theirs)
    question.order = theirs
    return True


@transaction.atomic
def survey_question_delete(*, question: SurveyQuestion) -> None:
    """Delete a question, only while nobody has answered the survey."""
    rules.check_question_deletable(
        survey_has_responses=SurveyResponse.objects.filter(survey_id=question.survey_id).exists()
    )
    question.delete()


# --- Writing: answering --------------------------------------------------------------------------

_VALUE_FIELDS: dict[str, str] = {
    SurveyQuestion.Kind.SCALE: "scale_value",
    SurveyQuestion.Kind.YES_NO: "yes_no_value",
    SurveyQuestion.Kind.CHOICE: "choice_value",
    SurveyQuestion.Kind.TEXT: "text_value",
}
_EMPTY = {"scale_value": None, "yes_no_value": None, "choice_value": "", "text_value": ""}


def answer_value(answer: SurveyAnswer) -> Any:
    """The answer's value in the field its question's kind uses."""
    return getattr(answer, _VALUE_FIELDS[answer.question.kind])


def survey_closed_message(survey: Survey) -> str:
    when = timezone.localtime(survey.closes_at)
    return SURVEY_CLOSED.format(when=f"{when:%-d %B %Y at %H:%M}")


def survey_response_save(
    *, survey: Survey, membership: Membership, answers: dict[int, Any], now: datetime | None = None
) -> SurveyResponse:
    """Save a member's answers: their one response is created or changed, while the survey is open.

    answers maps question ids to values (int 1-5, bool, option text, free text; None or "" for none).
    Only the questions for the member's side are read; anything else in answers is ignored.
    """
    now = now or timezone.now()
    if membership.cohort_id != survey.cohort_id or not rules.is_current_or_completed(membership.status):
        raise ValidationError(SURVEY_NOT_ASKED)
    window = rules.survey_window(survey.opens_at, survey.closes_at, now)
    if window == "scheduled":
        raise ValidationError(SURVEY_NOT_OPEN)
    if window == "closed":
        raise ValidationError(survey_closed_message(survey))
    questions = questions_for_side(survey, membership.side)
    with transaction.atomic():
        try:
            with transaction.atomic():
                response, _ = SurveyResponse.objects.get_or_create(survey=survey, membership=membership)
        except IntegrityError:  # answered twice at once: the other request created it
            response = SurveyResponse.objects.get(survey=survey, membership=membership)
        # One save of a response at a time: a double submit waits here, then updates the answers the
        # first one wrote instead of adding a second answer to each question.
        response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
        existing = {answer.question_id: answer for answer in response.answers.all()}
        for question in questions:
            value = answers.get(question.pk)
            if question.kind == SurveyQuestion.Kind.CHOICE and value and value not in question.choice_list():
                raise ValidationError(f"Choose one of the options for “{question.text}”.")
            answer = existing.get(question.pk) or SurveyAnswer(response=response, question=question)
            for name, empty in _EMPTY.items():
                setattr(answer, name, empty)
            if value not in (None, ""):
                setattr(answer, _VALUE_FIELDS[question.kind], value)
            answer.full_clean(exclude=["response", "question"], validate_unique=False, validate_constraints=False)
            answer.save()
        response.save(update_fields=["updated_at"])
    return response
