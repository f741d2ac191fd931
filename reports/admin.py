"""Admin for programme managers: the cohorts' year-end reports."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from cohorts.admin import CohortFilter

from .models import YearEndReport


@admin.register(YearEndReport)
class YearEndReportAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "cohort", "unwritten", "updated_at", "updated_by"]
    list_filter = [("cohort", CohortFilter)]
    search_fields = ["title", "cohort__name", "cohort__programme__name"]
    ordering = ["cohort__programme__name", "-cohort__number"]
    autocomplete_fields = ["cohort"]
    readonly_fields = ["updated_at", "updated_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[YearEndReport]:
        return super().get_queryset(request).select_related("cohort__programme", "updated_by")

    def save_model(self, request: HttpRequest, obj: YearEndReport, form: ModelForm, change: bool) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Sections still to write")
    def unwritten(self, report: YearEndReport) -> str:
        labels = {name: YearEndReport._meta.get_field(name).verbose_name for name in report.unwritten_sections()}
        return ", ".join(labels.values()) or "—"
