"""Surveys: results figures (shared with the year-end report), and the services that build and answer them.

Figures count the responses of members who were asked: current and completed members of the cohort
on a side at least one question is for. Percentages are whole numbers, rounded half up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from programme.models import User

from .models import Cohort, Membership, Side, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from .permissions import staff_cohorts

# Members who are asked to answer: those taking part now and those who completed the year.
ASKED_STATUSES = (*Membership.CURRENT_STATUSES, Membership.Status.COMPLETED)

SCALE_LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree", 4: "Agree", 5: "Strongly agree"}
AGREE_VALUES = (4, 5)
YES_LABEL, NO_LABEL = "Yes", "No"

SURVEY_CLOSES_BEFORE_OPEN = "The survey must close after it opens."
SURVEY_NEEDS_A_QUESTION = "Add at least one question: members do not see a survey until it has one."
CHOICE_NEEDS_TWO_OPTIONS = "A single-choice question needs at least two options, one per line."
QUESTION_DELETE_AFTER_RESPONSES = (
    "Members have already answered this survey, so its questions can no longer be deleted: "
    "their answers would be lost. You can still reword a question."
)
QUESTION_KIND_AFTER_ANSWERS = "Members have already answered this question, so its kind can no longer be changed."
SURVEY_CLOSED = "This survey closed on {when}: your answers were not saved."
SURVEY_NOT_OPEN = "This survey is not open yet: your answers were not saved."
SURVEY_NOT_ASKED = "Only current and completed members of this cohort answer its surveys."

SURVEY_FIELDS = ("title", "introduction", "opens_at", "closes_at")
QUESTION_FIELDS = ("text", "kind", "audience", "choices")

SIDE_RESPONDENTS: dict[str, str] = {
    Side.POLICYMAKER: "policymaker respondents",
    Side.PRACTITIONER: "practitioner respondents",
}


@dataclass
class OptionCount:
    label: str
    overall: int
    overall_pct: int
    by_side: dict[str, tuple[int, int]]  # side -> (count, percent of that side's answers)


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    options: list[OptionCount]
    agree_pct: int | None  # scale: agree or strongly agree; yes/no: yes; None for other kinds or no answers
    agree_pct_by_side: dict[str, int | None]
    texts: list[str]  # free-text answers, without names, in alphabetical order (order must not identify)
    answered_by_side: dict[str, int] = field(default_factory=dict)

    @property
    def sides(self) -> list[str]:
        """The sides this question was put to, in Side order."""
        return sides_for_audience(self.question.audience)


@dataclass
class SurveyResults:
    survey: Survey
    asked: int
    responded: int
    response_rate: int
    responded_by_side: dict[str, int]
    questions: list[QuestionResult]
    asked_by_side: dict[str, int] = field(default_factory=dict)


def percent(part: int, whole: int) -> int:
    """part of whole as a whole-number percentage, rounded half up; 0 when whole is 0."""
    if whole <= 0:
        return 0
    return (part * 200 + whole) // (2 * whole)


def sides_for_audience(audience: str) -> list[str]:
    if audience == SurveyQuestion.Audience.ALL:
        return list(Side.values)
    return [audience]


def question_labels(question: SurveyQuestion) -> list[str]:
    """The answer options of a question, in the order they are offered; none for free text."""
    if question.kind == SurveyQuestion.Kind.SCALE:
        return list(SCALE_LABELS.values())
    if question.kind == SurveyQuestion.Kind.YES_NO:
        return [YES_LABEL, NO_LABEL]
    if question.kind == SurveyQuestion.Kind.CHOICE:
        return question.choice_list()
    return []


def _answer_label(kind: str, scale_value: int | None, yes_no_value: bool | None, choice_value: str) -> str | None:
    if kind == SurveyQuestion.Kind.SCALE:
        return SCALE_LABELS.get(scale_value) if scale_value is not None else None
    if kind == SurveyQuestion.Kind.YES_NO:
        return None if yes_no_value is None else (YES_LABEL if yes_no_value else NO_LABEL)
    if kind == SurveyQuestion.Kind.CHOICE:
        return choice_value or None
    return None


def _agree_labels(kind: str) -> set[str]:
    if kind == SurveyQuestion.Kind.SCALE:
        return {SCALE_LABELS[value] for value in AGREE_VALUES}
    if kind == SurveyQuestion.Kind.YES_NO:
        return {YES_LABEL}
    return set()


def survey_results(survey: Survey) -> SurveyResults:
    """Response rate and, per question, counts and percentages overall and by side; five queries for any number."""
    questions = list(survey.questions.order_by("order"))
    asked_sides = {side for question in questions for side in sides_for_audience(question.audience)}

    members_by_side = dict(
        Membership.objects.filter(cohort_id=survey.cohort_id, status__in=ASKED_STATUSES)
        .values_list("side")
        .annotate(n=Count("pk"))
        .order_by()
    )
    asked_by_side = {side: members_by_side.get(side, 0) for side in Side.values if side in asked_sides}
    responses = SurveyResponse.objects.filter(
        survey=survey, membership__status__in=ASKED_STATUSES, membership__side__in=asked_sides
    )
    responded_counts = dict(responses.values_list("membership__side").annotate(n=Count("pk")).order_by())
    responded_by_side = {side: responded_counts.get(side, 0) for side in asked_by_side}

    # One grouped query for every choice-like answer, one for the free texts.
    answers = SurveyAnswer.objects.filter(response__in=responses)
    counts: dict[int, dict[tuple, int]] = {}  # question -> (side, scale, yes/no, choice) -> count
    for question_id, side, scale_value, yes_no_value, choice_value, n in (
        answers.exclude(question__kind=SurveyQuestion.Kind.TEXT)
        .values_list("question_id", "response__membership__side", "scale_value", "yes_no_value", "choice_value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(question_id, {})[(side, scale_value, yes_no_value, choice_value)] = n
    audiences = {question.pk: question.audience for question in questions}
    texts: dict[int, list[str]] = {}
    for question_id, side, text in (
        answers.filter(question__kind=SurveyQuestion.Kind.TEXT)
        .exclude(text_value="")
        .values_list("question_id", "response__membership__side", "text_value")
    ):
        if side in sides_for_audience(audiences[question_id]) and text.strip():
            texts.setdefault(question_id, []).append(text.strip())

    results = [
        _question_result(question, counts.get(question.pk, {}), texts.get(question.pk, [])) for question in questions
    ]
    asked = sum(asked_by_side.values())
    responded = sum(responded_by_side.values())
    return SurveyResults(
        survey=survey,
        asked=asked,
        responded=responded,
        response_rate=percent(responded, asked),
        responded_by_side=responded_by_side,
        questions=results,
        asked_by_side=asked_by_side,
    )


def _question_result(question: SurveyQuestion, rows: dict[tuple, int], texts: list[str]) -> QuestionResult:
    sides = sides_for_audience(question.audience)
    labels = question_labels(question)
    tally: dict[str, dict[str, int]] = {}  # label -> side -> count
    for (side, scale_value, yes_no_value, choice_value), n in rows.items():
        label = _answer_label(question.kind, scale_value, yes_no_value, choice_value)
        if label is None or side not in sides:  # unanswered, or an answer from a side no longer asked
            continue
        if label not in labels:  # an option removed after people chose it: still counted
            labels.append(label)
        tally.setdefault(label, {}).setdefault(side, 0)
        tally[label][side] += n

    answered_by_side = {side: sum(tally.get(label, {}).get(side, 0) for label in labels) for side in sides}
    answered = sum(answered_by_side.values())
    if question.kind == SurveyQuestion.Kind.TEXT:
        answered = len(texts)
    options = []
    for label in labels:
        by_label = tally.get(label, {})
        overall = sum(by_label.values())
        options.append(
            OptionCount(
                label=label,
                overall=overall,
                overall_pct=percent(overall, answered),
                by_side={
                    side: (by_label.get(side, 0), percent(by_label.get(side, 0), answered_by_side[side]))
                    for side in sides
                },
            )
        )

    agree = _agree_labels(question.kind)
    agree_pct: int | None = None
    agree_pct_by_side: dict[str, int | None] = {}
    if agree:
        agreeing = {side: sum(tally.get(label, {}).get(side, 0) for label in agree) for side in sides}
        agree_pct = percent(sum(agreeing.values()), answered) if answered else None
        agree_pct_by_side = {
            side: percent(agreeing[side], answered_by_side[side]) if answered_by_side[side] else None for side in sides
        }
    return QuestionResult(
        question=question,
        answered=answered,
        options=options,
        agree_pct=agree_pct,
        agree_pct_by_side=agree_pct_by_side,
        texts=sorted(texts, key=str.casefold),
        answered_by_side=answered_by_side,
    )


def _statement(text: str) -> str:
    return text.strip().rstrip(".")


def survey_highlights(results: SurveyResults) -> list[str]:
    """Sentences for the report: '85% of practitioner respondents agreed or strongly agreed that "..." (17 of 20).'"""
    sentences = []
    for result in results.questions:
        if result.agree_pct is None:
            continue
        kind = result.question.kind
        verb = "agreed or strongly agreed that" if kind == SurveyQuestion.Kind.SCALE else "answered yes to"
        statement = f"“{_statement(result.question.text)}”"
        agree = _agree_labels(kind)
        groups: list[tuple[str, int, int]] = []
        if len(result.sides) > 1:
            agreeing = sum(option.overall for option in result.options if option.label in agree)
            groups.append(("respondents", agreeing, result.answered))
        for side in result.sides:
            side_answered = result.answered_by_side.get(side, 0)
            if side_answered:
                agreeing = sum(option.by_side[side][0] for option in result.options if option.label in agree)
                groups.append((SIDE_RESPONDENTS[side], agreeing, side_answered))
        for who, agreeing, answered in groups:
            sentences.append(f"{percent(agreeing, answered)}% of {who} {verb} {statement} ({agreeing} of {answered}).")
    return sentences


# --- Reading surveys: access, states, what a member is asked -------------------------------------


def survey_state(survey: Survey, *, has_questions: bool, now: datetime | None = None) -> str:
    """draft (no question yet: members do not see it), scheduled, open or closed."""
    now = now or timezone.now()
    if not has_questions:
        return "draft"
    if now < survey.opens_at:
        return "scheduled"
    if now >= survey.closes_at:
        return "closed"
    return "open"


def is_survey_open(survey: Survey, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return survey.opens_at <= now < survey.closes_at


def questions_for_side(survey: Survey, side: str) -> list[SurveyQuestion]:
    """The questions a member on this side is asked, in order."""
    audiences = (SurveyQuestion.Audience.ALL, side)
    return list(survey.questions.filter(audience__in=audiences).order_by("order"))


def _asks_side(side: str) -> Exists:
    return Exists(
        SurveyQuestion.objects.filter(survey=OuterRef("pk"), audience__in=(SurveyQuestion.Audience.ALL, side))
    )


def surveys_to_answer(membership: Membership, now: datetime | None = None) -> list[Survey]:
    """Open surveys of the member's cohort with questions for their side; each has `answered` (one query)."""
    if membership.status not in ASKED_STATUSES:
        return []
    now = now or timezone.now()
    return list(
        Survey.objects.filter(cohort_id=membership.cohort_id, opens_at__lte=now, closes_at__gt=now)
        .filter(_asks_side(membership.side))
        .annotate(answered=Exists(SurveyResponse.objects.filter(survey=OuterRef("pk"), membership=membership)))
        .order_by("closes_at", "pk")
    )


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
        Membership.objects.filter(user=user, status__in=ASKED_STATUSES, cohort__surveys__pk=pk)
        .select_related("cohort")
        .first()
    )
    if membership is None:
        raise Http404
    survey = get_object_or_404(
        Survey.objects.filter(cohort_id=membership.cohort_id, opens_at__lte=now).filter(_asks_side(membership.side)),
        pk=pk,
    )
    return survey, membership


def staff_surveys(cohort: Cohort) -> list[Survey]:
    """A cohort's surveys with their question and response counts, newest first."""
    return list(
        Survey.objects.filter(cohort=cohort).annotate(
            question_count=Count("questions", distinct=True), response_count=Count("responses", distinct=True)
        )
    )


# --- Writing: building a survey ------------------------------------------------------------------


def _check_dates(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": SURVEY_CLOSES_BEFORE_OPEN})


@transaction.atomic
def survey_create(*, cohort: Cohort, title: str, introduction: str, opens_at: datetime, closes_at: datetime) -> Survey:
    """Create a survey; members see it once it has a question and its opening time has come."""
    _check_dates(opens_at, closes_at)
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
    _check_dates(survey.opens_at, survey.closes_at)
    survey.full_clean()
    survey.save()
    return survey


def _clean_choices(kind: str, choices: str) -> str:
    if kind != SurveyQuestion.Kind.CHOICE:
        return ""
    options = [line.strip() for line in (choices or "").splitlines() if line.strip()]
    if len(options) < 2:
        raise ValidationError({"choices": CHOICE_NEEDS_TWO_OPTIONS})
    return "\n".join(options)


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
    if "kind" in fields and fields["kind"] != question.kind and question.answers.exists():
        raise ValidationError({"kind": QUESTION_KIND_AFTER_ANSWERS})
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
    if SurveyResponse.objects.filter(survey_id=question.survey_id).exists():
        raise ValidationError(QUESTION_DELETE_AFTER_RESPONSES)
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
    if membership.cohort_id != survey.cohort_id or membership.status not in ASKED_STATUSES:
        raise ValidationError(SURVEY_NOT_ASKED)
    if now < survey.opens_at:
        raise ValidationError(SURVEY_NOT_OPEN)
    if now >= survey.closes_at:
        raise ValidationError(survey_closed_message(survey))
    questions = questions_for_side(survey, membership.side)
    with transaction.atomic():
        try:
            with transaction.atomic():
                response, _ = SurveyResponse.objects.get_or_create(survey=survey, membership=membership)
        except IntegrityError:  # answered twice at once: the other request created it
            response = SurveyResponse.objects.get(survey=survey, membership=membership)
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
