"""Step deadlines: an inline the cohort's admin page shows (added through programme.navigation), and their list."""

from __future__ import annotations

from django.contrib import admin

from cohorts.admin import CohortFilter
from programme import navigation

from ..models import Step, StepDeadline

# --- Cohorts: step deadlines --------------------------------------------------------------------


class StepDeadlineInline(admin.TabularInline):
    model = StepDeadline
    extra = 0
    max_num = len(Step)
    fields = ["step", "due_on"]


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
