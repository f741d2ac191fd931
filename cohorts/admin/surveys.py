"""Admin for surveys, their questions and answers; questions are written through the survey services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from programme.admin import adopt, limit_choices, shape_code_filter
from programme.forms import apply_rule

from .. import rules
from ..models import (
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from ..survey_forms import narrow_audience
from ..surveys import services as survey_services
from .common import CohortFilter

# --- Surveys ------------------------------------------------------------------------------------


def survey_builder_link(survey: Survey) -> str:
    if not survey.pk:
        return ""
    url = reverse("cohorts:survey-detail", args=[survey.pk])
    return format_html('<a href="{}">Open the survey builder</a>, where staff add, reword and reorder questions.', url)


class SurveyQuestionAdminForm(ModelForm):
    """An answered question keeps its kind, as on the survey builder."""

    class Meta:
        model = SurveyQuestion
        fields = ["survey", "text", "kind", "audience", "choices"]

    def __init__(self, *args: Any, survey: Survey | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "audience" in self.fields:
            narrow_audience(self, survey)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.instance.pk and "kind" in self.changed_data and cleaned.get("kind"):
            apply_rule(
                self,
                rules.check_question_kind_change,
                old_kind=self.initial["kind"],
                new_kind=cleaned["kind"],
                has_answers=self.instance.answers.exists(),
            )
        return cleaned


class SurveyQuestionFormSet(BaseInlineFormSet):
    """Questions keep the survey rules: once people answered, none is deleted (nor changes kind: the form)."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "survey": self.instance}  # its programme's sides as audiences

    def clean(self) -> None:
        super().clean()
        answered = bool(self.instance.pk) and SurveyResponse.objects.filter(survey=self.instance).exists()
        problems: list[str] = []
        for form in self.forms:
            if not form.instance.pk or not hasattr(form, "cleaned_data"):
                continue
            try:
                if self.can_delete and form.cleaned_data.get("DELETE"):
                    rules.check_question_deletable(survey_has_responses=answered)
            except ValidationError as error:
                problems += [f"“{form.initial['text']}”: {message}" for message in error.messages]
        if problems:
            raise ValidationError(problems)


def save_questions(survey: Survey, formset: BaseInlineFormSet) -> None:
    """Save an admin edit of a survey's questions through the survey services."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or not form.cleaned_data:
            continue
        fields = {name: form.cleaned_data[name] for name in survey_services.QUESTION_FIELDS}
        if form.instance.pk and form.cleaned_data.get("DELETE"):
            survey_services.survey_question_delete(question=form.instance)
            formset.deleted_objects.append(form.instance)
        elif not form.instance.pk:
            formset.new_objects.append(survey_services.survey_question_add(survey=survey, **fields))
        elif form.has_changed():
            stored = SurveyQuestion.objects.get(pk=form.instance.pk)  # the form has already changed the instance
            survey_services.survey_question_update(question=stored, **fields)
            formset.changed_objects.append((stored, form.changed_data))


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    form = SurveyQuestionAdminForm
    formset = SurveyQuestionFormSet
    extra = 0
    fields = ["order", "text", "kind", "audience", "choices"]
    readonly_fields = ["order"]  # the builder reorders; a new question goes last


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "opens_at", "closes_at", "question_count", "response_count"]
    list_filter = [("cohort", CohortFilter)]
    search_fields = ["title", "cohort__name"]
    ordering = ["-opens_at"]
    autocomplete_fields = ["cohort"]
    inlines = [SurveyQuestionInline]
    fields = ["cohort", "title", "introduction", "opens_at", "closes_at", "builder"]

    def get_readonly_fields(self, request: HttpRequest, obj: Survey | None = None) -> list[str]:
        return ["cohort", "builder"] if obj else ["builder"]

    def save_model(self, request: HttpRequest, obj: Survey, form: ModelForm, change: bool) -> None:
        fields = {name: getattr(obj, name) for name in survey_services.SURVEY_FIELDS}
        if change:
            survey_services.survey_update(survey=obj, **fields)
        else:
            adopt(obj, survey_services.survey_create(cohort=obj.cohort, **fields))

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        save_questions(form.instance, formset)

    @admin.display(description="Questions")
    def builder(self, survey: Survey) -> str:
        return survey_builder_link(survey)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Survey]:
        return (
            super()
            .get_queryset(request)
            .select_related("cohort__programme")
            .annotate(
                question_count=Count("questions", distinct=True),
                response_count=Count("responses", distinct=True),
            )
        )

    @admin.display(description="Questions", ordering="question_count")
    def question_count(self, survey: Survey) -> int:
        return survey.question_count  # type: ignore[attr-defined]  # annotated by get_queryset()

    @admin.display(description="Responses", ordering="response_count")
    def response_count(self, survey: Survey) -> int:
        return survey.response_count  # type: ignore[attr-defined]  # annotated by get_queryset()


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "order", "kind", "audience"]
    list_select_related = ["survey"]
    list_filter = ["kind", ("survey__cohort", CohortFilter)]
    search_fields = ["text", "survey__title"]
    ordering = ["survey", "order"]
    autocomplete_fields = ["survey"]
    form = SurveyQuestionAdminForm
    fields = ["survey", "order", "text", "kind", "audience", "choices", "builder"]
    readonly_fields = ["order", "builder"]

    def get_readonly_fields(self, request: HttpRequest, obj: SurveyQuestion | None = None) -> list[str]:
        return ["survey", *self.readonly_fields] if obj else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: SurveyQuestion | None = None) -> bool:
        if obj is not None and SurveyResponse.objects.filter(survey_id=obj.survey_id).exists():
            return False  # rules.QUESTION_DELETE_AFTER_RESPONSES
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: SurveyQuestion, form: ModelForm, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in survey_services.QUESTION_FIELDS}
        if change:
            stored = SurveyQuestion.objects.get(pk=obj.pk)  # the form has already changed obj
            survey_services.survey_question_update(question=stored, **fields)
        else:
            adopt(obj, survey_services.survey_question_add(survey=obj.survey, **fields))

    def delete_model(self, request: HttpRequest, obj: SurveyQuestion) -> None:
        survey_services.survey_question_delete(question=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SurveyQuestion]) -> None:
        for question in queryset:
            try:
                survey_services.survey_question_delete(question=question)
            except ValidationError as error:
                self.message_user(request, f"“{question}”: {' '.join(error.messages)}", messages.ERROR)

    @admin.display(description="Survey builder")
    def builder(self, question: SurveyQuestion) -> str:
        return survey_builder_link(question.survey) if question.pk else ""


class SurveyAnswerInline(admin.TabularInline):
    model = SurveyAnswer
    extra = 0
    fields = ["question", "scale_value", "yes_no_value", "choice_value", "text_value"]

    def get_formset(
        self, request: HttpRequest, obj: SurveyResponse | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        # Answers are to this survey's questions only.
        # None (a response not saved yet) matches no question.
        questions = SurveyQuestion.objects.filter(survey_id=obj.survey_id if obj else None)  # type: ignore[misc]
        limit_choices(formset.form, "question", questions)
        return formset


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # a second COUNT over the whole table on every page
    list_display = ["member", "side", "survey", "submitted_at", "answer_count"]
    list_filter = [shape_code_filter("side", "membership__side", "side"), ("survey__cohort", CohortFilter)]
    search_fields = ["membership__user__full_name", "membership__user__email", "survey__title"]
    ordering = ["-submitted_at"]
    autocomplete_fields = ["survey", "membership"]
    readonly_fields = ["submitted_at", "updated_at"]
    inlines = [SurveyAnswerInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SurveyResponse]:
        return (
            super()
            .get_queryset(request)
            .select_related("survey", "membership__user", "membership__cohort")
            .annotate(answer_count=Count("answers"))
        )

    @admin.display(description="Member", ordering="membership__user__full_name")
    def member(self, response: SurveyResponse) -> str:
        return response.membership.user.full_name

    @admin.display(description="Side", ordering="membership__side")
    def side(self, response: SurveyResponse) -> str:
        return response.membership.get_side_display()

    @admin.display(description="Answers", ordering="answer_count")
    def answer_count(self, response: SurveyResponse) -> int:
        return response.answer_count  # type: ignore[attr-defined]  # annotated by get_queryset()


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # a second COUNT over the whole table on every page
    list_display = ["question", "answer", "member", "survey"]
    list_select_related = ["question", "response__membership__user", "response__survey"]
    list_filter = ["question__kind", ("response__survey__cohort", CohortFilter)]
    search_fields = ["question__text", "text_value", "choice_value", "response__membership__user__full_name"]
    ordering = ["response__survey", "response", "question__order"]
    autocomplete_fields = ["response", "question"]

    @admin.display(description="Answer")
    def answer(self, answer: SurveyAnswer) -> str:
        return answer.display_value()

    @admin.display(description="Member", ordering="response__membership__user__full_name")
    def member(self, answer: SurveyAnswer) -> str:
        return answer.response.membership.user.full_name

    @admin.display(description="Survey", ordering="response__survey__title")
    def survey(self, answer: SurveyAnswer) -> str:
        return answer.response.survey.title
