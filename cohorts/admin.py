"""Admin for programme managers: cohorts, questions and findings, recruitment, events and surveys.

Memberships are registered in pairs/admin.py, because their commitment days are derived from pair
activities and this app must not import pairs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import Count, Q, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from programme import navigation
from programme.admin import limit_choices

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

from .models import (
    Application,
    Attendance,
    Cohort,
    Event,
    ExternalGuest,
    Finding,
    Insight,
    Membership,
    Question,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)


class CohortFilter(admin.RelatedFieldListFilter):
    """Filter by cohort, naming each with its programme in one query (Cohort.__str__ reads the programme)."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, StrPromise | str]]:
        # The filter compares values as text, so the key is the pk as text.
        return [(str(cohort.pk), str(cohort)) for cohort in Cohort.objects.select_related("programme")]


def cohort_members(cohort_id: int | None) -> QuerySet[Membership]:
    """A cohort's members with what their names need, for choosing a member on a cohort's page."""
    # None (a new cohort, not saved yet) matches no member, which is what its page should offer.
    members = Membership.objects.filter(cohort_id=cohort_id)  # type: ignore[misc]
    return members.select_related("user", "cohort").order_by("user__full_name")


# --- Cohorts, questions and findings ------------------------------------------------------------


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["order", "kind", "short_title", "text", "disconnects"]
    autocomplete_fields = ["disconnects"]
    show_change_link = True  # findings are edited on the question's own page


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "status", "starts_on", "ends_on", "current_members", "min_commitment_days"]
    list_filter = ["status", "programme"]
    search_fields = ["name", "programme__name"]
    ordering = ["programme__name", "-number"]
    autocomplete_fields = ["programme", "facilitators", "disconnects_found"]
    inlines = [QuestionInline]
    fieldsets = (
        (None, {"fields": ("programme", "name", "number", "status", "facilitators")}),
        ("Dates", {"fields": ("starts_on", "ends_on", "applications_open_on", "applications_close_on")}),
        ("Commitment and risk", {"fields": ("min_commitment_days", "hours_per_day", "stalled_after_days")}),
        ("What the cohort found", {"fields": ("disconnects_found",)}),
    )

    def get_inlines(self, request: HttpRequest, obj: Cohort | None) -> list[type[InlineModelAdmin]]:
        # Apps above add theirs (pairs: step deadlines) through programme.navigation: Cohort is registered once, here.
        return [*super().get_inlines(request, obj), *navigation.admin_inlines("cohorts.cohort")]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cohort]:
        return (
            super()
            .get_queryset(request)
            .select_related("programme")
            .annotate(
                current_members=Count("memberships", filter=Q(memberships__status__in=Membership.CURRENT_STATUSES))
            )
        )

    @admin.display(description="Current members", ordering="current_members")
    def current_members(self, cohort: Cohort) -> int:
        return cohort.current_members  # type: ignore[attr-defined]  # annotated by get_queryset()


class FindingInline(admin.StackedInline):
    model = Finding
    extra = 0
    fields = ["order", "title", "body"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["short_title", "cohort", "kind", "order", "finding_count"]
    list_filter = ["kind", ("cohort", CohortFilter)]
    search_fields = ["short_title", "text", "cohort__name"]
    ordering = ["cohort__programme__name", "-cohort__number", "order"]
    autocomplete_fields = ["cohort", "disconnects"]
    inlines = [FindingInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return (
            super().get_queryset(request).select_related("cohort__programme").annotate(finding_count=Count("findings"))
        )

    @admin.display(description="Findings", ordering="finding_count")
    def finding_count(self, question: Question) -> int:
        return question.finding_count  # type: ignore[attr-defined]  # annotated by get_queryset()


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["title", "question", "cohort", "order"]
    list_select_related = ["question__cohort__programme"]
    list_filter = [("question__cohort", CohortFilter)]
    search_fields = ["title", "body", "question__short_title"]
    ordering = ["question__cohort__programme__name", "-question__cohort__number", "question__order", "order"]
    autocomplete_fields = ["question"]

    @admin.display(description="Cohort", ordering="question__cohort__number")
    def cohort(self, finding: Finding) -> Cohort:
        return finding.question.cohort


# --- Recruitment --------------------------------------------------------------------------------


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "cohort", "side", "status", "submitted_at", "decided_at", "decided_by"]
    list_filter = ["status", "side", ("cohort", CohortFilter)]
    search_fields = ["applicant__full_name", "applicant__email", "applicant__organisation__name", "motivation"]
    ordering = ["-submitted_at"]
    date_hierarchy = "submitted_at"
    autocomplete_fields = ["cohort", "applicant", "preferred_question", "decided_by"]
    readonly_fields = ["submitted_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return super().get_queryset(request).select_related("applicant", "cohort__programme", "decided_by")


# --- Events -------------------------------------------------------------------------------------


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["membership", "status", "updated_at"]
    readonly_fields = ["updated_at"]

    def get_formset(self, request: HttpRequest, obj: Event | None = None, **kwargs: Any) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        # Only the event's cohort can attend; read the member list once for every row.
        limit_choices(formset.form, "membership", cohort_members(obj.cohort_id if obj else None))
        return formset


class ExternalGuestInline(admin.TabularInline):
    model = ExternalGuest
    extra = 0
    fields = ["name", "organisation", "role"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "cohort", "starts_at", "length_days", "place", "attended"]
    list_filter = ["kind", ("cohort", CohortFilter)]
    search_fields = ["title", "topic", "place"]
    ordering = ["-starts_at"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["cohort", "question", "facilitators"]
    inlines = [AttendanceInline, ExternalGuestInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return (
            super()
            .get_queryset(request)
            .select_related("cohort__programme")
            .annotate(attended=Count("attendances", filter=Q(attendances__status=Attendance.Status.ATTENDED)))
        )

    @admin.display(description="Attended", ordering="attended")
    def attended(self, event: Event) -> int:
        return event.attended  # type: ignore[attr-defined]  # annotated by get_queryset()


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["member", "event", "status", "updated_at"]
    list_select_related = ["membership__user", "event"]
    list_filter = ["status", ("event__cohort", CohortFilter), "event__kind"]
    search_fields = ["membership__user__full_name", "membership__user__email", "event__title"]
    ordering = ["-event__starts_at", "membership__user__full_name"]
    autocomplete_fields = ["event", "membership"]

    @admin.display(description="Member", ordering="membership__user__full_name")
    def member(self, attendance: Attendance) -> str:
        return attendance.membership.user.full_name


@admin.register(ExternalGuest)
class ExternalGuestAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "role", "event"]
    list_select_related = ["event"]
    list_filter = [("event__cohort", CohortFilter)]
    search_fields = ["name", "organisation", "role", "event__title"]
    ordering = ["name"]
    autocomplete_fields = ["event"]


@admin.register(Insight)
class InsightAdmin(admin.ModelAdmin):
    list_display = [
        "short_text",
        "cohort",
        "event",
        "question",
        "speaker_name",
        "speaker_agreed_to_be_named",
        "recorded_at",
    ]
    list_filter = ["speaker_agreed_to_be_named", ("cohort", CohortFilter)]
    search_fields = ["text", "speaker__user__full_name", "guest__name", "event__title"]
    ordering = ["-recorded_at"]
    autocomplete_fields = ["cohort", "event", "question", "speaker", "guest", "recorded_by"]
    readonly_fields = ["attribution", "recorded_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Insight]:
        return (
            super()
            .get_queryset(request)
            .select_related("cohort__programme", "event", "question", "speaker__user", "speaker__cohort", "guest")
        )

    @admin.display(description="Insight")
    def short_text(self, insight: Insight) -> str:
        return str(insight)

    @admin.display(description="Said by")
    def speaker_name(self, insight: Insight) -> str:
        if insight.speaker is not None:
            return insight.speaker.user.full_name
        return insight.guest.name if insight.guest is not None else ""

    @admin.display(description="Attribution in reports")
    def attribution(self, insight: Insight) -> str:
        return insight.attribution() if insight.pk else ""


# --- Surveys ------------------------------------------------------------------------------------


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 0
    fields = ["order", "text", "kind", "audience", "choices"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "opens_at", "closes_at", "question_count", "response_count"]
    list_filter = [("cohort", CohortFilter)]
    search_fields = ["title", "cohort__name"]
    ordering = ["-opens_at"]
    autocomplete_fields = ["cohort"]
    inlines = [SurveyQuestionInline]

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
    list_filter = ["kind", "audience", ("survey__cohort", CohortFilter)]
    search_fields = ["text", "survey__title"]
    ordering = ["survey", "order"]
    autocomplete_fields = ["survey"]


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
    list_display = ["member", "side", "survey", "submitted_at", "answer_count"]
    list_filter = ["membership__side", ("survey__cohort", CohortFilter)]
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
