"""Admin for programme managers: learning pairs, their members and steps, activities and memberships.

Memberships are registered here rather than in cohorts/admin.py: their commitment days come from
pair activities (pairs.commitment), and cohorts must not import pairs. For the same reason the
cohort page gets its step-deadline inline from here, through programme.navigation.

Writes that carry pairing rules go through pairs.services, never around them: forming pairs and
joining, leaving or moving members happen on the cohort's staff pages (pairs:cohort-overview), so
here pairs' members are shown, not edited; withdrawing a member and completing a step call the
same services those pages call.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db.models import F, Prefetch, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from import_export import resources
from import_export.admin import ExportMixin
from import_export.fields import Field

from cohorts.admin import CohortFilter
from cohorts.models import Membership
from programme import navigation
from programme.admin import ExportPermissionMixin, HistoryAdmin

from .commitment import commitment_of, with_commitment
from .models import Activity, LearningPair, PairMember, Step, StepDeadline, StepProgress
from .services import ATTENDEE_NOT_IN_PAIR, membership_withdraw, step_update

PAIRING_HAPPENS_ON_STAFF_PAGES = (
    "Pairs are formed, and members join, move and leave, on the cohort's pairing page, which checks the pairing rules."
)


def _days(value: Decimal) -> str:
    return f"{value:.1f}"


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


# --- Memberships, with their derived commitment -------------------------------------------------


class CommitmentFilter(admin.SimpleListFilter):
    title = "commitment"
    parameter_name = "commitment"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("below", "Below the cohort's minimum"), ("met", "Minimum met")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> QuerySet[Membership]:
        # commitment_days is annotated by MembershipAdmin.get_queryset (with_commitment).
        if self.value() == "below":
            return queryset.filter(commitment_days__lt=F("cohort__min_commitment_days"))  # type: ignore[misc]
        if self.value() == "met":
            return queryset.filter(commitment_days__gte=F("cohort__min_commitment_days"))  # type: ignore[misc]
        return queryset


class MembershipResource(resources.ModelResource):
    """Cohort members with their commitment, for a spreadsheet; withdrawal reasons stay in the admin."""

    member = Field(attribute="user__full_name", column_name="member")
    email = Field(attribute="user__email", column_name="email")
    organisation = Field(attribute="user__organisation__name", column_name="organisation")
    cohort = Field(attribute="cohort__name", column_name="cohort")
    event_days = Field(column_name="event days")
    activity_hours = Field(column_name="activity hours")
    commitment_days = Field(column_name="commitment days")
    minimum_met = Field(column_name="minimum met")

    class Meta:
        model = Membership
        fields = (
            "member",
            "email",
            "organisation",
            "cohort",
            "side",
            "status",
            "joined_on",
            "withdrawn_on",
            "event_days",
            "activity_hours",
            "commitment_days",
            "minimum_met",
        )
        export_order = fields

    def dehydrate_side(self, membership: Membership) -> str:
        return membership.get_side_display()

    def dehydrate_status(self, membership: Membership) -> str:
        return membership.get_status_display()

    def dehydrate_event_days(self, membership: Membership) -> Decimal:
        return commitment_of(membership).event_days

    def dehydrate_activity_hours(self, membership: Membership) -> Decimal:
        return commitment_of(membership).activity_hours

    def dehydrate_commitment_days(self, membership: Membership) -> Decimal:
        return commitment_of(membership).days

    def dehydrate_minimum_met(self, membership: Membership) -> str:
        return "no" if commitment_of(membership).is_below_minimum else "yes"


@admin.register(Membership)
class MembershipAdmin(ExportPermissionMixin, ExportMixin, HistoryAdmin):
    resource_classes = [MembershipResource]
    list_display = [
        "member",
        "organisation",
        "cohort",
        "side",
        "status",
        "current_pair",
        "event_days",
        "activity_hours",
        "commitment",
        "meets_minimum",
    ]
    list_filter = ["status", "side", ("cohort", CohortFilter), CommitmentFilter]
    search_fields = ["user__full_name", "user__email", "user__organisation__name"]
    ordering = ["cohort__programme__name", "-cohort__number", "user__full_name"]
    autocomplete_fields = ["cohort", "user", "preferred_question"]
    readonly_fields = ["current_pair", "event_days", "activity_hours", "commitment"]
    fieldsets = (
        (None, {"fields": ("cohort", "user", "side", "status", "joined_on", "preferred_question", "current_pair")}),
        ("Withdrawal", {"fields": ("withdrawn_on", "withdrawal_reason")}),
        (
            "Commitment",
            {
                "fields": ("event_days", "activity_hours", "commitment"),
                "description": "Derived from events attended and activities logged; never typed in.",
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return (
            with_commitment(super().get_queryset(request))
            .select_related("user__organisation", "cohort__programme")
            .prefetch_related(
                Prefetch(
                    "pair_memberships",
                    queryset=PairMember.objects.current().select_related("pair"),
                    to_attr="current_pair_members",
                )
            )
        )

    def save_model(self, request: HttpRequest, obj: Membership, form: ModelForm, change: bool) -> None:
        if change and "status" in form.changed_data and obj.status == Membership.Status.WITHDRAWN:
            # Withdrawing also takes the member out of their pair.
            assert obj.withdrawn_on is not None  # Membership.clean() requires the date of a withdrawal
            membership_withdraw(membership=obj, on=obj.withdrawn_on, reason=obj.withdrawal_reason)
        else:
            super().save_model(request, obj, form, change)

    @admin.display(description="Member", ordering="user__full_name")
    def member(self, membership: Membership) -> str:
        return membership.user.full_name

    @admin.display(description="Organisation", ordering="user__organisation__name")
    def organisation(self, membership: Membership) -> str:
        return str(membership.user.organisation or "")

    @admin.display(description="Pair")
    def current_pair(self, membership: Membership) -> str:
        members = getattr(membership, "current_pair_members", None)
        if members is None:
            members = list(PairMember.objects.current().filter(membership=membership).select_related("pair"))
        return ", ".join(f"Pair {member.pair.number}" for member in members)

    @admin.display(description="Event days", ordering="event_days")
    def event_days(self, membership: Membership) -> str:
        return _days(commitment_of(membership).event_days) if membership.pk else ""

    @admin.display(description="Activity hours", ordering="activity_hours")
    def activity_hours(self, membership: Membership) -> str:
        return _days(commitment_of(membership).activity_hours) if membership.pk else ""

    @admin.display(description="Commitment (days)", ordering="commitment_days")
    def commitment(self, membership: Membership) -> str:
        if not membership.pk:
            return ""
        commitment = commitment_of(membership)
        return f"{_days(commitment.days)} of {_days(commitment.minimum_days)}"

    @admin.display(description="Minimum met", boolean=True)
    def meets_minimum(self, membership: Membership) -> bool:
        return not commitment_of(membership).is_below_minimum


# --- Learning pairs -----------------------------------------------------------------------------


def save_step(progress: StepProgress, by: Any) -> None:
    """Save an admin edit of a step through step_update, which dates completion and bumps the version."""
    step_update(progress=progress, status=progress.status, summary=progress.summary, by=by)


class PairMemberInline(admin.TabularInline):
    """Who has been in the pair, and when: history to read here, changed on the pairing page."""

    model = PairMember
    extra = 0
    can_delete = False
    fields = readonly_fields = ("membership", "side", "joined_on", "left_on", "left_reason")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PairMember]:
        return super().get_queryset(request).select_related("membership__user", "membership__cohort")

    def has_add_permission(self, request: HttpRequest, obj: LearningPair | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LearningPair | None = None) -> bool:
        return False

    @admin.display(description="Side")
    def side(self, member: PairMember) -> str:
        return member.membership.get_side_display()


class StepProgressInline(admin.StackedInline):
    model = StepProgress
    extra = 0
    max_num = len(Step)
    can_delete = False  # every pair has one record per step, made when the pair is formed
    fields = ["step", "status", "summary", "completed_on", "completed_by", "version"]
    readonly_fields = ["step", "completed_on", "completed_by", "version"]

    def has_add_permission(self, request: HttpRequest, obj: LearningPair | None = None) -> bool:
        return False


@admin.register(LearningPair)
class LearningPairAdmin(HistoryAdmin):
    list_display = ["__str__", "cohort", "question", "status", "member_names", "current_step", "created_at"]
    list_filter = ["status", ("cohort", CohortFilter), "question"]
    search_fields = ["=number", "angle", "question__short_title", "members__membership__user__full_name"]
    ordering = ["cohort__programme__name", "-cohort__number", "number"]
    autocomplete_fields = ["question"]
    readonly_fields = ["cohort", "number", "pairing_page", "created_at"]
    fields = ["cohort", "number", "question", "angle", "status", "pairing_page", "created_at"]
    inlines = [PairMemberInline, StepProgressInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LearningPair]:
        # Members and steps are prefetched once per page, so the list costs the same for 3 pairs or 300.
        return (
            super()
            .get_queryset(request)
            .select_related("cohort__programme", "question")
            .with_current_members()
            .with_progress()
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # PAIRING_HAPPENS_ON_STAFF_PAGES

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        if formset.model is not StepProgress:
            super().save_formset(request, form, formset, change)
            return
        # The admin's change message reads these lists, which formset.save() would have filled.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if row.has_changed():
                save_step(row.instance, request.user)
                formset.changed_objects.append((row.instance, row.changed_data))

    @admin.display(description="Members")
    def pairing_page(self, pair: LearningPair) -> str:
        url = reverse("pairs:cohort-overview", args=[pair.cohort_id])
        return format_html('{} <a href="{}">Open the pairing page</a>', PAIRING_HAPPENS_ON_STAFF_PAGES, url)

    @admin.display(description="Current members")
    def member_names(self, pair: LearningPair) -> str:
        return pair.member_names()

    @admin.display(description="Current step")
    def current_step(self, pair: LearningPair) -> str:
        progress = pair.current_step()
        if progress is None:
            return "All steps done"
        label = f"{progress.step} {progress.get_step_display()}: {progress.get_status_display().lower()}"
        return f"{label} (overdue)" if progress.is_overdue else label


@admin.register(PairMember)
class PairMemberAdmin(HistoryAdmin):
    """Everyone's time in every pair, to read and search; changes are made on the pairing page."""

    list_display = ["member", "side", "pair", "joined_on", "left_on", "is_current"]
    list_filter = [("pair__cohort", CohortFilter), "membership__side", "left_on"]
    search_fields = ["membership__user__full_name", "membership__user__email", "=pair__number"]
    ordering = ["pair__cohort__programme__name", "-pair__cohort__number", "pair__number", "joined_on"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PairMember]:
        return super().get_queryset(request).select_related("membership__user", "membership__cohort", "pair__cohort")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # PAIRING_HAPPENS_ON_STAFF_PAGES

    def has_change_permission(self, request: HttpRequest, obj: PairMember | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PairMember | None = None) -> bool:
        return False  # the row is the pair's history

    @admin.display(description="Member", ordering="membership__user__full_name")
    def member(self, member: PairMember) -> str:
        return member.membership.user.full_name

    @admin.display(description="Side", ordering="membership__side")
    def side(self, member: PairMember) -> str:
        return member.membership.get_side_display()

    @admin.display(description="Still in the pair", boolean=True)
    def is_current(self, member: PairMember) -> bool:
        return member.is_current


@admin.register(StepProgress)
class StepProgressAdmin(HistoryAdmin):
    list_display = ["pair", "step", "status", "due_on", "completed_on", "is_overdue"]
    list_filter = ["status", "step", ("pair__cohort", CohortFilter)]
    search_fields = ["summary", "=pair__number", "pair__members__membership__user__full_name"]
    ordering = ["pair__cohort__programme__name", "-pair__cohort__number", "pair__number", "step"]
    autocomplete_fields = ["pair"]
    readonly_fields = ["completed_on", "completed_by", "version", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[StepProgress]:
        return super().get_queryset(request).with_due_dates().select_related("pair__cohort", "completed_by")

    def get_readonly_fields(self, request: HttpRequest, obj: StepProgress | None = None) -> list[str]:
        # Which pair and step a record is for is fixed once it exists.
        fixed = ["pair", "step"] if obj else []
        return [*fixed, *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: StepProgress, form: ModelForm, change: bool) -> None:
        if change:
            save_step(obj, request.user)
        else:
            super().save_model(request, obj, form, change)

    @admin.display(description="Due", ordering="due_on")
    def due_on(self, progress: StepProgress) -> Any:
        return progress.due_on

    @admin.display(description="Overdue", boolean=True)
    def is_overdue(self, progress: StepProgress) -> bool:
        return progress.is_overdue


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
            "private_notes",
            "logged_by",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        pair, attendees = cleaned.get("pair"), cleaned.get("attendees")
        if pair and attendees:
            # The same rule as pairs.services.activity_create: only the pair's members (past or present) went.
            allowed = set(pair.members.values_list("membership_id", flat=True))
            if any(membership.pk not in allowed for membership in attendees):
                self.add_error("attendees", ATTENDEE_NOT_IN_PAIR)
        return cleaned


class ActivityResource(resources.ModelResource):
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
        return f"Pair {activity.pair.number}"

    def dehydrate_who_went(self, activity: Activity) -> str:
        return ", ".join(member.user.full_name for member in activity.attendees.all())


@admin.register(Activity)
class ActivityAdmin(ExportPermissionMixin, ExportMixin, HistoryAdmin):
    resource_classes = [ActivityResource]
    form = ActivityForm
    list_display = ["occurred_on", "kind", "pair", "hours", "place", "who_went", "logged_by"]
    list_filter = ["kind", ("pair__cohort", CohortFilter)]
    search_fields = ["place", "learning", "=pair__number", "attendees__user__full_name"]
    ordering = ["-occurred_on", "-pk"]
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["pair", "attendees", "logged_by"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Activity]:
        return super().get_queryset(request).select_related("pair__cohort", "logged_by").with_attendees()

    @admin.display(description="Who went")
    def who_went(self, activity: Activity) -> str:
        return ", ".join(member.user.full_name for member in activity.attendees.all())
