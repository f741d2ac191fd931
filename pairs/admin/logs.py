"""The logs of reminders and risk digests sent: read-only, they are what stops repeats."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cohorts.admin import CohortFilter

from ..models import Reminder, RiskDigest

# --- Reminders sent -----------------------------------------------------------------------------


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The log of reminder emails sent (manage.py send_reminders): read-only, it is what stops repeats."""

    list_display = ["sent_at", "kind", "recipient", "about", "due_on"]
    list_filter = ["kind"]
    search_fields = ["recipient__full_name", "recipient__email", "event__title"]
    ordering = ["-sent_at"]
    date_hierarchy = "sent_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Reminder]:
        return super().get_queryset(request).select_related("recipient", "event", "step__pair__cohort")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Reminder | None = None) -> bool:
        return False

    @admin.display(description="About")
    def about(self, reminder: Reminder) -> str:
        if reminder.event is not None:
            return str(reminder.event)
        assert reminder.step is not None  # a reminder is about an event or a step
        return f"{reminder.step.pair}: step {reminder.step.step} {reminder.step.get_step_display()}"


@admin.register(RiskDigest)
class RiskDigestAdmin(admin.ModelAdmin):
    """The log of weekly at-risk digests sent to facilitators (manage.py send_risk_digest): read-only."""

    list_display = ["week", "cohort", "recipient", "sent_at"]
    list_filter = [("cohort", CohortFilter)]
    search_fields = ["recipient__full_name", "recipient__email", "week"]
    ordering = ["-sent_at"]
    date_hierarchy = "sent_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[RiskDigest]:
        return super().get_queryset(request).select_related("cohort__programme", "recipient")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RiskDigest | None = None) -> bool:
        return False
