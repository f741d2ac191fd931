"""The year-end report: the facilitators' narrative for a cohort's year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cohorts.models import Cohort


class YearEndReport(models.Model):
    """The facilitators' narrative for a cohort's year; the rest of the report is built from data."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="year_end_report")
    title = models.CharField(max_length=250, blank=True)
    executive_summary = models.TextField(blank=True, help_text="Markdown.")
    introduction = models.TextField(blank=True, help_text="Markdown.")
    lessons = models.TextField(blank=True, help_text="Markdown.")
    conclusion = models.TextField(blank=True, help_text="Markdown.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    NARRATIVE_SECTIONS = ("executive_summary", "introduction", "lessons", "conclusion")

    def __str__(self) -> str:
        return self.title or f"Year-end report: {self.cohort}"

    def unwritten_sections(self) -> list[str]:
        return [name for name in self.NARRATIVE_SECTIONS if not getattr(self, name).strip()]
