"""Admin for learning pairs, their members and steps: members are read here and changed on the pairing page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Prefetch, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

from cohorts.admin import CohortFilter
from cohorts.models import Question
from programme.admin import HistoryAdmin, shape_code_filter

from .. import rules
from ..models import LearningPair, PairMember, StepComment, StepProgress
from ..services import step_update
from .common import pairing_page_link

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
    can_delete = False  # every pair has one record per step of its programme, made when the pair is formed
    fields = ["step", "status", "summary", "completed_on", "completed_by", "version"]
    readonly_fields = ["step", "completed_on", "completed_by", "version"]

    def has_add_permission(self, request: HttpRequest, obj: LearningPair | None = None) -> bool:
        return False


class CohortQuestionFilter(admin.RelatedFieldListFilter):
    """The questions of the cohort chosen in the cohort filter. Every cohort's together number in the hundreds, a
    list longer than the page; search finds a question by its title in any cohort."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, StrPromise | str]]:
        cohort_id = request.GET.get("cohort__id__exact", "")
        if not cohort_id.isdigit():
            return []  # no choices: the filter waits for a cohort
        questions = Question.objects.filter(cohort_id=int(cohort_id)).only("short_title").order_by("order", "pk")
        return [(str(question.pk), str(question)) for question in questions]


class LearningPairForm(ModelForm):
    def clean_status(self) -> str:
        status: str = self.cleaned_data["status"]
        rules.check_status_not_set_by_hand(old=self.initial.get("status", status), new=status)
        return status


@admin.register(LearningPair)
class LearningPairAdmin(HistoryAdmin):
    form = LearningPairForm
    list_per_page = 25  # as for outputs: 50 rows of these columns cost more to render than the rest of the page
    show_full_result_count = False  # a second COUNT over the whole table on every page
    list_display = ["__str__", "cohort", "question", "status", "member_names", "current_step", "created_at"]
    list_filter = ["status", ("cohort", CohortFilter), ("question", CohortQuestionFilter)]
    search_fields = ["=number", "angle", "question__short_title", "members__membership__user__full_name"]
    ordering = ["cohort__programme__name", "-cohort__number", "number"]
    autocomplete_fields = ["question"]
    readonly_fields = ["cohort", "number", "pairing_page", "created_at"]
    fields = ["cohort", "number", "question", "angle", "status", "pairing_page", "created_at"]
    inlines = [PairMemberInline, StepProgressInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LearningPair]:
        # Members and steps are prefetched once per page, so the list costs the same for 3 pairs or 300; only the
        # columns the list shows (names, step, status, due date): a page held 1,000 model instances before.
        members = (
            PairMember.objects.current()
            .select_related("membership__user")
            .only("pair_id", "joined_on", "membership__side", "membership__user__full_name")
            .order_by("membership__side", "joined_on")
        )
        steps = StepProgress.objects.with_due_dates().only("pair_id", "step", "status").order_by("step")
        return (
            super()
            .get_queryset(request)
            .select_related("cohort__programme", "question")
            .prefetch_related(
                Prefetch("members", queryset=members, to_attr="current_members"),
                Prefetch("steps", queryset=steps),
            )
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
        return pairing_page_link(pair.cohort_id)

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

    list_per_page = 50
    show_full_result_count = False  # a second COUNT over the whole table on every page

    list_display = ["member", "side", "pair", "joined_on", "left_on", "is_current"]
    list_filter = [("pair__cohort", CohortFilter), shape_code_filter("side", "membership__side", "side"), "left_on"]
    fields = ["pair", "membership", "joined_on", "left_on", "left_reason", "pairing_page"]
    readonly_fields = fields
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

    @admin.display(description="Changes")
    def pairing_page(self, member: PairMember) -> str:
        return pairing_page_link(member.pair.cohort_id)


@admin.register(StepProgress)
class StepProgressAdmin(HistoryAdmin):
    list_per_page = 50
    show_full_result_count = False  # a second COUNT over the whole table on every page
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


@admin.register(StepComment)
class StepCommentAdmin(HistoryAdmin):
    """Read-only: comments are written on the pair's page, where the pair is told of them."""

    list_display = ["created_at", "author", "progress", "body"]
    list_select_related = ["author", "progress__pair__cohort"]
    search_fields = ["body", "author__full_name"]
    readonly_fields = ["progress", "author", "body", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: StepComment | None = None) -> bool:
        return False
