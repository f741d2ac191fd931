"""Admin for programme managers: the cohorts' year-end reports."""

from __future__ import annotations

from typing import cast

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from cohorts.admin import CohortFilter
from programme.admin import HistoryAdmin
from programme.models import User

from .models import YearEndReport


@admin.register(YearEndReport)
class YearEndReportAdmin(HistoryAdmin):
    list_display = ["__str__", "cohort", "unwritten", "updated_at", "updated_by"]
    list_filter = [("cohort", CohortFilter)]
    search_fields = ["title", "cohort__name", "cohort__programme__name"]
    ordering = ["cohort__programme__name", "-cohort__number"]
    autocomplete_fields = ["cohort"]
    readonly_fields = ["updated_at", "updated_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[YearEndReport]:
        return super().get_queryset(request).select_related("cohort__programme", "updated_by")

    def save_model(self, request: HttpRequest, obj: YearEndReport, form: ModelForm, change: bool) -> None:
        obj.updated_by = cast(User, request.user)  # the admin lets only signed-in staff in
        super().save_model(request, obj, form, change)

    @admin.display(description="Sections still to write")
    def unwritten(self, report: YearEndReport) -> str:
        # The sections are the report's own text fields, never relations.
        fields = [YearEndReport._meta.get_field(name) for name in report.unwritten_sections()]
        labels = {field.name: str(field.verbose_name) for field in fields}  # type: ignore[union-attr]
        return ", ".join(labels.values()) or "—"
