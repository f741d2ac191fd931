"""Admin for memberships, with their derived commitment; writes go through the cohort and pair services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms as django_forms
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from import_export import resources
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ConfirmImportForm

from cohorts.admin import CohortFilter
from cohorts.imports import MembershipImportResource, template_dataset
from cohorts.models import Cohort, Membership
from cohorts.rules import current_member_q
from cohorts.services import invitation_send, membership_save
from programme import shape
from programme.admin import (
    BackgroundExportMixin,
    ChunkedExportResource,
    ExportPermissionMixin,
    HistoryAdmin,
    QuickChangeList,
    SizeLimitedImportForm,
    shape_code_filter,
    xlsx_download,
)
from programme.models import Programme

from ..commitment import alias_commitment, commitment_of
from ..models import PairMember
from ..services import membership_withdraw
from .common import days_label

# --- Memberships, with their derived commitment -------------------------------------------------


class CommitmentFilter(admin.SimpleListFilter):
    title = "commitment"
    parameter_name = "commitment"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("below", "Below the cohort's minimum"), ("met", "Minimum met")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> QuerySet[Membership]:
        # commitment_days is an alias MembershipChangeList adds for this filter (alias_commitment).
        if self.value() == "below":
            return queryset.filter(commitment_days__lt=F("cohort__min_commitment_days"))  # type: ignore[misc]
        if self.value() == "met":
            return queryset.filter(commitment_days__gte=F("cohort__min_commitment_days"))  # type: ignore[misc]
        return queryset


class MembershipResource(ChunkedExportResource):
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


class NeverSignedInFilter(admin.SimpleListFilter):
    title = "signed in"
    parameter_name = "signed_in"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("never", "Never signed in"), ("yes", "Has signed in")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> QuerySet[Membership]:
        if self.value() == "never":
            return queryset.filter(user__last_login__isnull=True)
        if self.value() == "yes":
            return queryset.filter(user__last_login__isnull=False)
        return queryset


class MembershipAdminForm(ModelForm):
    """A member's side is one of their cohort's programme's sides (checked again by Membership.clean)."""

    class Meta:
        model = Membership
        fields = ["side"]  # the admin adds the rest from its fieldsets

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.cohort_id is not None and "side" in self.fields:
            side = self.fields["side"]
            assert isinstance(side, django_forms.ChoiceField)
            side.choices = self.instance.cohort.shape.sides.choices(keep=self.initial.get("side"))


class MembershipImportForm(SizeLimitedImportForm):
    cohort = django_forms.ModelChoiceField(
        queryset=Cohort.objects.select_related("programme").order_by("-starts_on"),
        help_text="Everyone in the file becomes a member of this cohort.",
    )


class MembershipConfirmImportForm(ConfirmImportForm):
    cohort = django_forms.ModelChoiceField(queryset=Cohort.objects.all(), widget=django_forms.HiddenInput)


# What the list shows of a membership, its person and cohort: the page sorts and reads 50 narrow rows, not
# every column of three tables (passwords, bios and application questions included).
LIST_COLUMNS = (
    "cohort_id",
    "user_id",
    "side",
    "status",
    "cohort__name",
    "cohort__number",
    "cohort__programme_id",
    "cohort__hours_per_day",
    "cohort__min_commitment_days",
    "cohort__programme__name",
    "event_days",
    "activity_hours",
    "user__full_name",
    "user__email",
    "user__last_login",
    "user__organisation__name",
)


# The column MembershipChangeList sorts through alias_commitment's SQL.
COMMITMENT_SORT = "commitment"


class MembershipChangeList(QuickChangeList):
    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> QuerySet[Membership]:
        # Commitment days only for a list sorted or filtered by them: the alias joins the cohort into the page count.
        if self._sorts_or_filters_by_commitment():
            self.root_queryset = alias_commitment(self.root_queryset)  # type: ignore[arg-type]  # the admin's queryset
        return super().get_queryset(request, exclude_parameters)

    def _sorts_or_filters_by_commitment(self) -> bool:
        if self.params.get(CommitmentFilter.parameter_name):
            return True
        for part in str(self.params.get(ORDER_VAR, "")).split("."):
            index = part.lstrip("-")
            if (
                index.isdigit()
                and int(index) < len(self.list_display)
                and self.list_display[int(index)] == COMMITMENT_SORT
            ):
                return True
        return False

    def get_results(self, request: HttpRequest) -> None:
        self.queryset = self.queryset.only(*LIST_COLUMNS)  # not in exports, whose changelist skips get_results
        super().get_results(request)


@admin.register(Membership)
class MembershipAdmin(ExportPermissionMixin, BackgroundExportMixin, ImportExportMixin, HistoryAdmin):
    resource_classes = [MembershipResource]
    form = MembershipAdminForm
    import_form_class = MembershipImportForm
    confirm_form_class = MembershipConfirmImportForm
    import_template_name = "admin/cohorts/membership/import.html"
    import_formats = [CSV, XLSX]
    list_per_page = 25  # as for outputs: 50 rows of these columns cost more to render than the rest of the page
    show_full_result_count = False  # a second COUNT over the whole table on every page
    list_display = [
        "member",
        "organisation",
        "cohort",
        "side_name",
        "status",
        "current_pair",
        # Days so far against the minimum; what they are made of (event days, activity hours) is on the member's
        # page and in the export: two more columns cost a tenth of the page.
        "commitment",
        "meets_minimum",
        "signed_in",
    ]
    list_filter = [
        "status",
        shape_code_filter("side", "side", "side"),
        ("cohort", CohortFilter),
        CommitmentFilter,
        NeverSignedInFilter,
    ]
    search_fields = ["user__full_name", "user__email", "user__organisation__name"]
    actions = ["resend_invitation"]
    ordering = ["cohort__programme__name", "-cohort__number", "user__full_name"]
    autocomplete_fields = ["cohort", "user", "preferred_question"]
    readonly_fields = ["current_pair", "days_at_events", "hours_on_activities", "commitment"]
    fieldsets = (
        (None, {"fields": ("cohort", "user", "side", "status", "joined_on", "preferred_question", "current_pair")}),
        ("Withdrawal", {"fields": ("withdrawn_on", "withdrawal_reason")}),
        (
            "Commitment",
            {
                "fields": ("days_at_events", "hours_on_activities", "commitment"),
                "description": "Derived from events attended and activities logged; never typed in.",
            },
        ),
    )

    def get_import_resource_classes(self, request: HttpRequest) -> list[type[resources.Resource[Any]]]:
        return [MembershipImportResource]

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form")
        cohort = form.cleaned_data.get("cohort") if form is not None and hasattr(form, "cleaned_data") else None
        return {"cohort": cohort}

    def get_confirm_form_initial(self, request: HttpRequest, import_form: Any) -> dict[str, Any]:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["cohort"] = import_form.cleaned_data["cohort"].pk
        return initial

    def get_urls(self) -> list[Any]:
        template = path(
            "import-template.xlsx",
            self.admin_site.admin_view(self.import_template_view),
            name="cohorts_membership_import_template",
        )
        return [template, *super().get_urls()]

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        """The spreadsheet to fill in for an import: human headings and one example row."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        programmes = Programme.objects.order_by("pk")
        programme = programmes.filter(pk=request.GET.get("programme") or 0).first() or programmes.first()
        if programme is None:
            raise Http404("No programme yet.")
        return xlsx_download(template_dataset(shape.shape_of(programme.pk)), "pairwise-members-template.xlsx")

    def get_import_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The import page links each programme's template, which lists that programme's sides and sectors.
        return {**super().get_import_context_data(**kwargs), "programmes": Programme.objects.order_by("name")}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return (
            super()
            .get_queryset(request)
            .select_related("user__organisation", "cohort__programme")
            .prefetch_related(
                Prefetch(
                    "pair_memberships",
                    # Ordered by the pair alone: the model's ordering joins cohort and programme for every row.
                    queryset=PairMember.objects.current().select_related("pair").order_by("pair__number"),
                    to_attr="current_pair_members",
                )
            )
        )

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return MembershipChangeList

    def save_model(self, request: HttpRequest, obj: Membership, form: ModelForm, change: bool) -> None:
        if change and "status" in form.changed_data and obj.status == Membership.Status.WITHDRAWN:
            # Withdrawing also takes the member out of their pair.
            assert obj.withdrawn_on is not None  # Membership.clean() requires the date of a withdrawal
            membership_withdraw(membership=obj, on=obj.withdrawn_on, reason=obj.withdrawal_reason)
        else:
            # A new member, or one now accepted or active, is invited to the cohort's events still to come,
            # and to sign in if they have no password yet.
            membership_save(membership=obj)

    @admin.action(description="Send the invitation email again (a new 14-day link)")
    def resend_invitation(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        sent = 0
        for membership in queryset.filter(current_member_q()).select_related("user"):
            if invitation_send(membership=membership, resend=True):
                sent += 1
        self.message_user(request, f"{sent} invitation{'s' if sent != 1 else ''} sent.")

    @admin.display(description="Last signed in", ordering="user__last_login")
    def signed_in(self, membership: Membership) -> str:
        last = membership.user.last_login
        return f"{last:%-d %B %Y}" if last is not None else "Never signed in"

    @admin.display(description="Side", ordering="side")
    def side_name(self, membership: Membership) -> str:
        return membership.get_side_display()

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
        return ", ".join(member.pair.label for member in members)

    # Not named as the stored fields, which the admin would show raw ("3.00") in their place.
    @admin.display(description="Event days", ordering="event_days")
    def days_at_events(self, membership: Membership) -> str:
        return days_label(commitment_of(membership).event_days) if membership.pk else ""

    @admin.display(description="Activity hours", ordering="activity_hours")
    def hours_on_activities(self, membership: Membership) -> str:
        return days_label(commitment_of(membership).activity_hours) if membership.pk else ""

    @admin.display(description="Commitment (days)", ordering="commitment_days")
    def commitment(self, membership: Membership) -> str:
        if not membership.pk:
            return ""
        commitment = commitment_of(membership)
        return f"{days_label(commitment.days)} of {days_label(commitment.minimum_days)}"

    @admin.display(description="Minimum met", boolean=True)
    def meets_minimum(self, membership: Membership) -> bool:
        return not commitment_of(membership).is_below_minimum
