"""Surveys: staff build them and read the results; members answer them from their dashboard."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from programme import navigation
from programme.exports import safe_row
from programme.forms import add_service_error
from programme.typing import AuthenticatedHttpRequest

from ..models import Side, SurveyQuestion
from ..permissions import get_cohort_for_staff, staff_cohorts
from ..reminders import survey_not_answered, survey_remind_not_answered
from ..rules import ALREADY_REMINDED_TODAY, SURVEY_NOT_OPEN_TO_REMIND
from ..survey_forms import SurveyAnswerForm, SurveyForm, SurveyQuestionForm
from ..surveys import (
    QUESTION_DELETE_AFTER_RESPONSES,
    SURVEY_NEEDS_A_QUESTION,
    SurveyResults,
    get_question_for_staff,
    get_survey_for_member,
    get_survey_for_staff,
    is_survey_open,
    questions_for_side,
    staff_surveys,
    survey_closed_message,
    survey_create,
    survey_highlights,
    survey_question_add,
    survey_question_delete,
    survey_question_move,
    survey_question_update,
    survey_response_save,
    survey_results,
    survey_state,
    survey_update,
)

# --- Staff: the cohort's surveys and the builder ----------------------------------------------------


@login_required
def surveys_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The staff "Surveys" link: straight to the one cohort's surveys, or a choice of cohorts."""
    cohorts = list(staff_cohorts(request.user).select_related("programme").order_by("-starts_on"))
    if not cohorts:
        raise Http404
    if len(cohorts) == 1:
        return redirect("cohorts:survey-list", cohort_pk=cohorts[0].pk)
    return render(request, "cohorts/surveys/home.html", {"cohorts": cohorts})


@login_required
def survey_list(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    surveys = staff_surveys(cohort)
    now = timezone.now()
    for survey in surveys:
        # question_count is annotated by staff_surveys(); state is read by the template.
        survey.state = survey_state(survey, has_questions=survey.question_count > 0, now=now)  # type: ignore[attr-defined]
    return render(request, "cohorts/surveys/list.html", {"cohort": cohort, "surveys": surveys})


@login_required
def survey_create_view(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = survey_create(cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{survey.title} is created. Add its questions: members see it once it has one.")
            return redirect("cohorts:survey-detail", pk=survey.pk)
    return render(request, "cohorts/surveys/survey_form.html", {"cohort": cohort, "form": form, "survey": None})


@login_required
def survey_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_staff(request.user, pk)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            survey_update(survey=survey, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Survey updated.")
            return redirect("cohorts:survey-detail", pk=survey.pk)
    survey.refresh_from_db()  # the heading shows the saved title, not the rejected input
    return render(
        request, "cohorts/surveys/survey_form.html", {"cohort": survey.cohort, "form": form, "survey": survey}
    )


@login_required
def survey_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The builder: the survey's dates and state, its questions in order, with edit, move and delete."""
    survey = get_survey_for_staff(request.user, pk)
    questions = list(survey.questions.order_by("order"))
    response_count = survey.responses.count()
    return render(
        request,
        "cohorts/surveys/detail.html",
        {
            "cohort": survey.cohort,
            "survey": survey,
            "questions": questions,
            "state": survey_state(survey, has_questions=bool(questions)),
            "response_count": response_count,
            "needs_a_question": SURVEY_NEEDS_A_QUESTION,
        },
    )


@login_required
def question_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_staff(request.user, pk)
    form = SurveyQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_question_add(survey=survey, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Question added.")
            return redirect("cohorts:survey-detail", pk=survey.pk)
    return render(request, "cohorts/surveys/question_form.html", {"survey": survey, "form": form, "question": None})


@login_required
def question_edit(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_question_for_staff(request.user, pk, question_pk)
    form = SurveyQuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            survey_question_update(question=question, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Question saved.")
            return redirect("cohorts:survey-detail", pk=question.survey_id)
    context = {"survey": question.survey, "form": form, "question": question}
    return render(request, "cohorts/surveys/question_form.html", context)


@login_required
@require_POST
def question_move(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_question_for_staff(request.user, pk, question_pk)
    survey_question_move(question=question, up=request.POST.get("direction") != "down")
    return redirect("cohorts:survey-detail", pk=question.survey_id)


@login_required
def question_delete(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Asks for confirmation on GET; deletes on POST, only while nobody has answered."""
    question = get_question_for_staff(request.user, pk, question_pk)
    has_responses = question.survey.responses.exists()
    if request.method == "POST":
        try:
            survey_question_delete(question=question)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Question deleted.")
        return redirect("cohorts:survey-detail", pk=question.survey_id)
    return render(
        request,
        "cohorts/surveys/question_confirm_delete.html",
        {
            "survey": question.survey,
            "question": question,
            "refusal": QUESTION_DELETE_AFTER_RESPONSES if has_responses else "",
        },
    )


# --- Staff: results and export ------------------------------------------------------------------


def _chart_data(results: SurveyResults) -> list[dict]:
    """For each scale question, the share of each side's answers per point of the scale."""
    charts = []
    for result in results.questions:
        if result.question.kind != SurveyQuestion.Kind.SCALE:
            continue
        charts.append(
            {
                "canvas": f"survey-chart-{result.question.pk}",
                "labels": [option.label for option in result.options],
                "series": [
                    {"label": Side(side).label + "s", "values": [option.by_side[side][1] for option in result.options]}
                    for side in result.sides
                ],
            }
        )
    return charts


def _question_tables(results: SurveyResults) -> list[dict]:
    """Per question, table rows with a cell pair (count, %) for each side asked the survey."""
    sides = list(results.asked_by_side)
    tables = []
    for result in results.questions:
        rows = [
            {
                "label": option.label,
                "overall": option.overall,
                "overall_pct": option.overall_pct,
                "by_side": [option.by_side.get(side) for side in sides],
            }
            for option in result.options
        ]
        agree_by_side = [
            (Side(side).label, pct, result.answered_by_side.get(side, 0))
            for side, pct in result.agree_pct_by_side.items()
        ]
        tables.append({"result": result, "rows": rows, "agree_by_side": agree_by_side})
    return tables


@login_required
def survey_results_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_staff(request.user, pk)
    results = survey_results(survey)
    return render(
        request,
        "cohorts/surveys/results.html",
        {
            "cohort": survey.cohort,
            "survey": survey,
            "results": results,
            "sides": [
                (Side(side).label, results.responded_by_side[side], n) for side, n in results.asked_by_side.items()
            ],
            "tables": _question_tables(results),
            "highlights": survey_highlights(results),
            "chart_data": _chart_data(results),
            "not_answered": survey_not_answered(survey),
            "open": is_survey_open(survey),
        },
    )


@login_required
@require_POST
def survey_remind(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Remind the members who have not answered an open survey: each at most once a day."""
    survey = get_survey_for_staff(request.user, pk)
    if not is_survey_open(survey):
        messages.error(request, SURVEY_NOT_OPEN_TO_REMIND)
    elif reminded := survey_remind_not_answered(survey=survey, now=timezone.now()):
        messages.success(request, f"Reminded {reminded} {'member' if reminded == 1 else 'members'} by email.")
    else:
        messages.info(request, ALREADY_REMINDED_TODAY)
    return redirect("cohorts:survey-results", pk=survey.pk)


@login_required
def survey_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The results as CSV: figures per option overall and by side, then the free-text answers (no names)."""
    survey = get_survey_for_staff(request.user, pk)
    results = survey_results(survey)
    sides = list(Side.values)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"survey-{survey.pk}-{slugify(survey.title) or 'results'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(safe_row(["Survey", survey.title]))
    writer.writerow(safe_row(["Cohort", str(survey.cohort)]))
    writer.writerow(
        safe_row(["Asked", results.asked, "Responded", results.responded, "Response rate %", results.response_rate])
    )
    writer.writerow([])
    header = ["Question", "Kind", "Asked of", "Answer", "Count", "%"]
    for side in sides:
        label = Side(side).label.lower()
        header += [f"Count {label}s", f"% {label}s"]
    writer.writerow(safe_row(header))
    for result in results.questions:
        question = result.question
        for option in result.options:
            row: list[object] = [
                question.text,
                question.get_kind_display(),
                question.get_audience_display(),
                option.label,
            ]
            row += [option.overall, option.overall_pct]
            for side in sides:
                row += list(option.by_side.get(side, ("", "")))
            writer.writerow(safe_row(row))
    writer.writerow([])
    writer.writerow(safe_row(["Question", "Free-text answer"]))
    for result in results.questions:
        for text in result.texts:
            writer.writerow(safe_row([result.question.text, text]))
    return response


# --- Members: answering -------------------------------------------------------------------------


@login_required
def survey_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A member's one response: created on the first save, changed on later saves, until the survey closes."""
    survey, membership = get_survey_for_member(request.user, pk)
    questions = questions_for_side(survey, membership.side)
    response = survey.responses.filter(membership=membership).first()
    answers = list(response.answers.select_related("question")) if response else []
    is_open = is_survey_open(survey)
    form = SurveyAnswerForm(request.POST or None, questions=questions, answers=answers)
    if request.method == "POST":
        if not is_open:
            messages.error(request, survey_closed_message(survey))
            return redirect("cohorts:survey-answer", pk=survey.pk)
        if form.is_valid():
            try:
                survey_response_save(survey=survey, membership=membership, answers=form.answers())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    "Thank you: your answers are saved. You can change them until the survey closes."
                    if response is None
                    else "Your answers are updated.",
                )
                return redirect(navigation.destination_url(navigation.MEMBER_HOME))
    return render(
        request,
        "cohorts/surveys/answer.html",
        {"survey": survey, "membership": membership, "form": form, "is_open": is_open, "response": response},
    )
