"""Admin for cohorts, their questions and findings, and recruitment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from programme import navigation, shape
from programme.admin import shape_code_filter

from ..models import (
    Application,
    ApplicationAttempt,
    Cohort,
    DecisionLetter,
    Finding,
    Question,
)
from ..recruitment import application_decide
from ..rules import current_member_q
from .common import CohortFilter

# --- Cohorts, questions and findings ------------------------------------------------------------


class SideTargetsWidget(forms.MultiWidget):
    """One number box per side, each labelled with the side's plural."""

    template_name = "cohorts/admin/side_targets_widget.html"

    def __init__(self, sides: list[tuple[str, str]]) -> None:
        self.codes = [code for code, _ in sides]
        self.labels = [label for _, label in sides]
        super().__init__([forms.NumberInput({"min": 0, "class": "vIntegerField"}) for _ in sides])

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["labelled"] = list(zip(self.labels, context["widget"]["subwidgets"], strict=True))
        return context

    def decompress(self, value: Any) -> list[Any]:
        value = value if isinstance(value, dict) else {}
        return [value.get(code) for code in self.codes]


class SideTargetsField(forms.MultiValueField):
    """A cohort's recruitment targets by side: the numbers given, keyed by side code (blank or 0: no target)."""

    def __init__(self, sides: list[tuple[str, str]], **kwargs: Any) -> None:
        self.codes = [code for code, _ in sides]
        fields = [forms.IntegerField(min_value=0, required=False) for _ in sides]
        super().__init__(fields, widget=SideTargetsWidget(sides), require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list: list[Any]) -> dict[str, int]:
        return {code: value for code, value in zip(self.codes, data_list or [], strict=False) if value}


class CohortAdminForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["side_targets"]  # the admin adds the rest from its fieldsets

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An existing cohort's own programme's sides; a new one's programme is not chosen yet: every programme's.
        if self.instance.programme_id is not None:
            sides = [(side.code, side.plural) for side in self.instance.shape.sides.current()]
            kept = self.instance.side_targets or {}
            sides += [(s.code, s.plural) for s in self.instance.shape.sides if s.archived and kept.get(s.code)]
        else:
            sides = shape.every_programmes_choices("side")
        self.fields["side_targets"] = SideTargetsField(
            sides,
            label="Targets by side",
            help_text="How many people of each side the cohort aims to take (blank or 0: no target).",
        )


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["order", "kind", "short_title", "text", "disconnects"]
    autocomplete_fields = ["disconnects"]
    show_change_link = True  # findings are edited on the question's own page


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    form = CohortAdminForm
    list_display = [
        "__str__",
        "number",
        "status",
        "starts_on",
        "ends_on",
        "current_members",
        "min_commitment_days",
        "applications",
    ]
    list_filter = ["status", "programme"]
    search_fields = ["name", "programme__name"]
    ordering = ["programme__name", "-number"]
    autocomplete_fields = ["programme", "facilitators", "disconnects_found", "targeted_departments"]
    inlines = [QuestionInline]
    fieldsets = (
        (None, {"fields": ("programme", "name", "number", "status", "reopened_for_members", "facilitators")}),
        ("Dates", {"fields": ("starts_on", "ends_on", "applications_open_on", "applications_close_on")}),
        (
            "Recruitment",
            {"fields": ("side_targets", "targeted_departments", "application_questions")},
        ),
        (
            "Commitment and risk",
            {"fields": ("min_commitment_days", "hours_per_day", "stalled_after_days", "repair_grace_days")},
        ),
        ("What the cohort found", {"fields": ("disconnects_found",)}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Cohort | None = None) -> list[str]:
        # A cohort never changes programme: its members' sides, its events' kinds and what counts towards
        # commitment are its programme's (shape_for_cohort keeps the pairing for the life of a process).
        return [*super().get_readonly_fields(request, obj), *(["programme"] if obj is not None else [])]

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

    @admin.display(description="Applications")
    def applications(self, cohort: Cohort) -> str:
        # Selection happens on the cohort's staff page, which shows the tally and reviewer notes.
        return format_html('<a href="{}">Select applicants</a>', reverse("cohorts:application-list", args=[cohort.pk]))

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
class ApplicationAdmin(SimpleHistoryAdmin):
    """Applications are read-only here: they come from the public call, and decisions are the actions below
    or the cohort's selection page, both through the recruitment services (which write the member and the
    applicant's letter)."""

    list_display = ["full_name", "email", "organisation_label", "cohort", "side_name", "status", "submitted_at"]
    list_filter = [
        "status",
        shape_code_filter("side", "side", "side"),
        shape_code_filter("sector", "sector", "sector"),
        ("cohort", CohortFilter),
    ]
    search_fields = ["full_name", "email", "organisation__name", "organisation_name", "motivation"]
    ordering = ["-submitted_at"]
    date_hierarchy = "submitted_at"
    actions = ["shortlist", "accept", "waitlist", "decline"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return super().get_queryset(request).select_related("organisation", "cohort__programme")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False

    @admin.display(description="Side", ordering="side")
    def side_name(self, application: Application) -> str:
        return application.get_side_display()

    @admin.display(description="Organisation")
    def organisation_label(self, application: Application) -> str:
        return application.organisation_label

    @admin.action(description="Shortlist selected applications")
    def shortlist(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._decide(request, queryset, Application.Status.SHORTLISTED, "Shortlisted")

    @admin.action(description="Accept selected applications (the applicants become members and are invited)")
    def accept(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._decide(request, queryset, Application.Status.ACCEPTED, "Accepted")

    @admin.action(description="Waitlist selected applications (the applicants are emailed)")
    def waitlist(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._decide(request, queryset, Application.Status.WAITLISTED, "Waitlisted")

    @admin.action(description="Decline selected applications (the applicants are emailed)")
    def decline(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._decide(request, queryset, Application.Status.DECLINED, "Declined")

    def _decide(self, request: HttpRequest, queryset: QuerySet[Application], decision: str, done: str) -> None:
        decided = 0
        for application in queryset:
            try:
                application_decide(application=application, decision=decision, by=request.user)  # type: ignore[arg-type]  # admin users are signed in
            except ValidationError as error:
                self.message_user(request, f"{application}: {' '.join(error.messages)}", messages.ERROR)
            else:
                decided += 1
        self.message_user(request, f"{done} {decided} application(s).", messages.SUCCESS)


@admin.register(ApplicationAttempt)
class ApplicationAttemptAdmin(admin.ModelAdmin):
    """The public form's rate limit at work: submissions per (hashed) client address. Read-only."""

    list_display = ["at", "address_hash"]
    date_hierarchy = "at"
    search_fields = ["address_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApplicationAttempt | None = None) -> bool:
        return False


@admin.register(DecisionLetter)
class DecisionLetterAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "kind", "subject"]
    list_filter = ["programme", "kind"]
    list_select_related = ["programme"]
