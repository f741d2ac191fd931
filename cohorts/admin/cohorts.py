"""Admin for cohorts, their questions and findings, and recruitment."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from programme import navigation

from ..models import (
    Application,
    Cohort,
    Finding,
    Question,
)
from ..rules import current_member_q
from ..services import (
    application_accept,
    application_decline,
)
from .common import CohortFilter

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
        (None, {"fields": ("programme", "name", "number", "status", "reopened_for_members", "facilitators")}),
        ("Dates", {"fields": ("starts_on", "ends_on", "applications_open_on", "applications_close_on")}),
        (
            "Commitment and risk",
            {"fields": ("min_commitment_days", "hours_per_day", "stalled_after_days", "repair_grace_days")},
        ),
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
            .annotate(current_members=Count("memberships", filter=current_member_q("memberships__")))
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
    autocomplete_fields = ["cohort", "applicant", "preferred_question"]
    # Decisions are the actions below: accepting makes the applicant a member, as the service does.
    readonly_fields = ["status", "submitted_at", "decided_at", "decided_by"]
    actions = ["accept", "decline"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return super().get_queryset(request).select_related("applicant", "cohort__programme", "decided_by")

    @admin.action(description="Accept selected applications (the applicants become members)")
    def accept(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._decide(request, queryset, application_accept, "Accepted")

    @admin.action(description="Decline selected applications")
    def decline(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._decide(request, queryset, application_decline, "Declined")

    def _decide(self, request: HttpRequest, queryset: QuerySet[Application], decide: Any, done: str) -> None:
        decided = 0
        for application in queryset:
            try:
                decide(application=application, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{application}: {' '.join(error.messages)}", messages.ERROR)
            else:
                decided += 1
        self.message_user(request, f"{done} {decided} application(s).", messages.SUCCESS)
