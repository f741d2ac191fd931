"""Admin for the activities pairs log; the pair rules apply to who went."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Prefetch, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from import_export.admin import ExportMixin
from import_export.fields import Field

from cohorts.admin import CohortFilter
from cohorts.models import Membership
from programme.admin import (
    BackgroundExportMixin,
    ChunkedExportResource,
    ExportPermissionMixin,
    HistoryAdmin,
    QuickChangeList,
    shape_kind_filter,
    year_filter,
)
from programme.forms import apply_rule

from .. import rules
from ..models import Activity, PrivateNotesReading

# --- Activities ---------------------------------------------------------------------------------


class ActivityForm(ModelForm):
    class Meta:
        model = Activity
        fields = [
            "pair",
            "kind",
            "occurred_on",
            "hours",
            "place",
            "attendees",
            "learning",
            "logged_by",
        ]  # never private_notes: staff read them on the pair's pages, with a logged reason

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        pair, attendees = cleaned.get("pair"), cleaned.get("attendees")
        if pair and attendees:
            allowed = set(pair.members.values_list("membership_id", flat=True))
            apply_rule(self, rules.check_attendees_in_pair, [membership.pk for membership in attendees], allowed)
        return cleaned


class ActivityResource(ChunkedExportResource):
    """Logged activities for a spreadsheet. Private notes are the pair's own and are never exported."""

    pair = Field(column_name="pair")
    cohort = Field(attribute="pair__cohort__name", column_name="cohort")
    who_went = Field(column_name="who went")
    logged_by = Field(attribute="logged_by__full_name", column_name="logged by")

    class Meta:
        model = Activity
        fields = ("occurred_on", "kind", "pair", "cohort", "hours", "place", "who_went", "learning", "logged_by")
        export_order = fields

    def dehydrate_kind(self, activity: Activity) -> str:
        return activity.get_kind_display()

    def dehydrate_pair(self, activity: Activity) -> str:
        return activity.pair.label

    def dehydrate_who_went(self, activity: Activity) -> str:
        return ", ".join(member.user.full_name for member in activity.attendees.all())


class ActivityChangeList(QuickChangeList):
    def get_results(self, request: HttpRequest) -> None:
        # Only what the list shows: not the learning and private notes of 50 activities (exports, whose
        # changelist skips get_results, read the learning).
        self.queryset = self.queryset.only(
            "pair_id",
            "kind",
            "occurred_on",
            "hours",
            "place",
            "logged_by_id",
            "pair__cohort_id",
            "pair__number",
            "pair__cohort__name",
            "pair__cohort__programme_id",
            "logged_by__full_name",
            "logged_by__email",
        )
        super().get_results(request)


@admin.register(Activity)
class ActivityAdmin(ExportPermissionMixin, BackgroundExportMixin, ExportMixin, HistoryAdmin):
    list_per_page = 25  # as for outputs: 50 rows of these columns cost more to render than the rest of the page
    show_full_result_count = False  # a second COUNT over the whole table on every page
    resource_classes = [ActivityResource]
    form = ActivityForm
    list_display = ["occurred_on", "kind_name", "pair", "hours", "place", "who_went", "logged_by"]
    # By year rather than date_hierarchy, whose year links scan every activity (see year_filter).
    list_filter = [
        year_filter("occurred_on", "year"),
        shape_kind_filter("activitykind"),
        ("pair__cohort", CohortFilter),
    ]
    search_fields = ["place", "learning", "=pair__number", "attendees__user__full_name"]
    ordering = ["-occurred_on", "-pk"]
    autocomplete_fields = ["pair", "attendees", "logged_by"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Activity]:
        # Who went, by name: one query for a page or an export chunk, without the joins a membership's
        # default ordering (cohort, then programme) would add; one activity's members share a cohort.
        attendees = Membership.objects.select_related("user").only("user__full_name").order_by("user__full_name")
        return (
            super()
            .get_queryset(request)
            .select_related("pair__cohort", "logged_by")
            .prefetch_related(Prefetch("attendees", queryset=attendees))
        )

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ActivityChangeList

    def get_export_queryset(self, request: HttpRequest) -> QuerySet[Activity]:
        return super().get_export_queryset(request).defer("private_notes")  # never exported

    @admin.display(description="Kind", ordering="kind")
    def kind_name(self, activity: Activity) -> str:
        return activity.get_kind_display()

    @admin.display(description="Who went")
    def who_went(self, activity: Activity) -> str:
        return ", ".join(member.user.full_name for member in activity.attendees.all())


@admin.register(PrivateNotesReading)
class PrivateNotesReadingAdmin(admin.ModelAdmin):
    """The log of staff reading pairs' private notes: read-only, so nobody can tidy it away."""

    list_display = ["read_at", "pair", "reader", "reason"]
    list_select_related = ["pair__cohort", "reader"]
    list_filter = [("pair__cohort", CohortFilter)]
    search_fields = ["reader__full_name", "reason"]
    date_hierarchy = "read_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
