"""Survey results: the figures the survey pages and the year-end report share.

Figures count the responses of members who were asked: current and completed members of the cohort
on a side at least one question is for. Percentages are whole numbers, rounded half up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from programme.shape import Entries

from .. import rules
from ..models import Membership, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse, shape_for_cohort

SCALE_LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree", 4: "Agree", 5: "Strongly agree"}
AGREE_VALUES = (4, 5)
YES_LABEL, NO_LABEL = "Yes", "No"

SIDE_RESPONDENTS = "{side} respondents"  # a side's short label: "practitioner respondents"


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
    sides: list[str] = field(default_factory=list)  # the codes of the sides it was put to, in the shape's order


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


def sides_for_audience(audience: str, sides: Entries) -> list[str]:
    """The codes of the sides a question with this audience is put to (`sides`: the programme's)."""
    return rules.sides_for_audience(audience, sides)


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
    sides = shape_for_cohort(survey.cohort_id).sides
    asked_sides = {side for question in questions for side in sides_for_audience(question.audience, sides)}

    members_by_side = dict(
        Membership.objects.filter(cohort_id=survey.cohort_id)
        .current_or_completed()
        .values_list("side")
        .annotate(n=Count("pk"))
        .order_by()
    )
    asked_by_side = {side: members_by_side.get(side, 0) for side in sides.codes() if side in asked_sides}
    responses = SurveyResponse.objects.filter(
        survey=survey,
        membership__in=Membership.objects.current_or_completed(),
        membership__side__in=asked_sides,
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
        if side in sides_for_audience(audiences[question_id], sides) and text.strip():
            texts.setdefault(question_id, []).append(text.strip())

    results = [
        _question_result(question, sides, counts.get(question.pk, {}), texts.get(question.pk, []))
        for question in questions
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


def _question_result(
    question: SurveyQuestion, all_sides: Entries, rows: dict[tuple, int], texts: list[str]
) -> QuestionResult:
    sides = sides_for_audience(question.audience, all_sides)
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
        sides=sides,
    )


def _statement(text: str) -> str:
    return text.strip().rstrip(".")


def survey_highlights(results: SurveyResults) -> list[str]:
    """Sentences for the report: '85% of practitioner respondents agreed or strongly agreed that "..." (17 of 20).'"""
    sentences = []
    sides = shape_for_cohort(results.survey.cohort_id).sides
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
                groups.append((SIDE_RESPONDENTS.format(side=sides.get(side).short_label), agreeing, side_answered))
        for who, agreeing, answered in groups:
            sentences.append(f"{percent(agreeing, answered)}% of {who} {verb} {statement} ({agreeing} of {answered}).")
    return sentences
