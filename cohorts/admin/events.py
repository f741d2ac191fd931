"""Admin for events, attendance, guests and insights; events are scheduled through the event services."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from programme.admin import limit_choices, shape_kind_filter
from programme.models import User

from ..models import (
    Attendance,
    Event,
    ExternalGuest,
    Insight,
)
from ..services import (
    EVENT_FIELDS,
    event_schedule,
    event_update,
)
from .common import CohortFilter, cohort_members

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
    list_display = ["title", "kind_name", "cohort", "starts_at", "length_days", "place", "attended"]
    list_filter = [shape_kind_filter("eventkind"), ("cohort", CohortFilter)]
    search_fields = ["title", "topic", "place"]
    ordering = ["-starts_at"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["cohort", "question", "facilitators"]
    inlines = [AttendanceInline, ExternalGuestInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Event | None = None) -> list[str]:
        return ["cohort"] if obj else []  # invitations belong to the cohort the event was created in

    def save_model(self, request: HttpRequest, obj: Event, form: ModelForm, change: bool) -> None:
        # The same services as the staff pages: a new event invites every current member of its cohort.
        if change:
            event_update(event=obj, **{name: getattr(obj, name) for name in EVENT_FIELDS})
        else:
            event_schedule(event=obj, by=cast(User, request.user))  # the admin lets only signed-in staff in

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return (
            super()
            .get_queryset(request)
            .select_related("cohort__programme")
            .annotate(attended=Count("attendances", filter=Q(attendances__status=Attendance.Status.ATTENDED)))
        )

    @admin.display(description="Kind", ordering="kind")
    def kind_name(self, event: Event) -> str:
        return event.get_kind_display()

    @admin.display(description="Attended", ordering="attended")
    def attended(self, event: Event) -> int:
        return event.attended  # type: ignore[attr-defined]  # annotated by get_queryset()


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # a second COUNT over the whole table on every page
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
    list_per_page = 50
    show_full_result_count = False  # a second COUNT over the whole table on every page
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
