"""The cohort admin page with its step deadlines, and the deadlines themselves."""

from __future__ import annotations

from django.contrib import admin

from cohorts.admin import CohortAdmin as BaseCohortAdmin
from cohorts.admin import CohortFilter
from cohorts.models import Cohort

from ..models import Step, StepDeadline

# --- Cohorts: step deadlines --------------------------------------------------------------------


class StepDeadlineInline(admin.TabularInline):
    model = StepDeadline
    extra = 0
    max_num = len(Step)
    fields = ["step", "due_on"]


admin.site.unregister(Cohort)


@admin.register(Cohort)
class CohortAdmin(BaseCohortAdmin):
    inlines = [*BaseCohortAdmin.inlines, StepDeadlineInline]


@admin.register(StepDeadline)
class StepDeadlineAdmin(admin.ModelAdmin):
    list_display = ["cohort", "step", "due_on"]
    list_select_related = ["cohort__programme"]
    list_filter = ["step", ("cohort", CohortFilter)]
    search_fields = ["cohort__name"]
    ordering = ["cohort__programme__name", "-cohort__number", "step"]
    autocomplete_fields = ["cohort"]
