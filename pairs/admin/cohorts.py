"""Step deadlines: an inline the cohort's admin page shows (added through programme.navigation), and their list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from cohorts.admin import CohortFilter
from cohorts.models import Cohort
from programme import navigation

from ..models import StepDeadline
from ..services import step_deadlines_create_default

# --- Cohorts: step deadlines --------------------------------------------------------------------


class NewCohortDeadlines(BaseInlineFormSet):
    """On a new cohort: the deadlines typed in, then each other step's from its default offset after the start."""

    def save(self, commit: bool = True) -> list[Any]:
        saved = super().save(commit=commit)
        if commit:
            step_deadlines_create_default(cohort=self.instance)
        return saved


class StepDeadlineInline(admin.TabularInline):
    model = StepDeadline
    extra = 0
    fields = ["step", "due_on"]

    def get_formset(self, request: HttpRequest, obj: Cohort | None = None, **kwargs: Any) -> Any:
        if obj is None:  # adding a cohort: its programme is not chosen yet, so steps are given by number
            kwargs["formset"] = NewCohortDeadlines
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:  # the cohort's programme's steps by name ("3 Explore")
            formset.form.base_fields["step"] = forms.TypedChoiceField(
                label="Step",
                coerce=int,
                choices=[(step.number, f"{step.number} {step.name}") for step in obj.shape.steps],
            )
        return formset

    def get_max_num(self, request: HttpRequest, obj: Cohort | None = None, **kwargs: Any) -> int | None:
        # One deadline per step of the cohort's programme (a new cohort's programme is not chosen yet).
        return len(obj.shape.steps) if obj is not None else None


# The cohort's admin page (cohorts) shows its step deadlines; cohorts registers Cohort, pairs adds the inline.
navigation.register_admin_inline("cohorts.cohort", StepDeadlineInline)


@admin.register(StepDeadline)
class StepDeadlineAdmin(admin.ModelAdmin):
    list_display = ["cohort", "step", "due_on"]
    list_select_related = ["cohort__programme"]
    list_filter = ["step", ("cohort", CohortFilter)]
    search_fields = ["cohort__name"]
    ordering = ["cohort__programme__name", "-cohort__number", "step"]
    autocomplete_fields = ["cohort"]
