"""Admin for programme managers: the pairs' outputs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone

from cohorts.admin import CohortFilter
from programme.admin import HistoryAdmin, adopt
from programme.forms import apply_rule

from . import rules, services
from .models import Output, OutputRevision
from .validators import validate_output_file


class OutputAdminForm(ModelForm):
    """The checks the pairs' own output form makes on files and links, so the admin is no way round them.

    Status changes are review steps (submit, publish, send back) and go through their services.
    """

    class Meta:
        model = Output
        fields = [
            "pair",
            "question",
            "kind",
            "title",
            "summary",
            "body",
            "file",
            "link",
            "status",
            "due_on",
            "visibility",
            "review_comment",
            "featured",
            "archived",
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            validate_output_file(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        old, new = str(self.initial.get("status")), cleaned.get("status")
        if self.instance.pk and self.content_changed() and rules.is_in_review(self.instance):
            # As on the pair's page: content in review waits for the decision (send it back first).
            self.add_error(None, services.READ_ONLY_IN_REVIEW)
        if self.instance.pk and new and new != old:
            if apply_rule(self, rules.review_step, old, new) and rules.review_step(old, new) == "send back":
                apply_rule(self, rules.check_send_back_comment, cleaned.get("review_comment") or "")
            if new == Output.Status.PUBLISHED and not self.instance.published_at:
                # Only for the model's check that a published output has a date; output_publish dates it.
                self.instance.published_at = timezone.now()
        return cleaned

    def content_changed(self) -> bool:
        return bool({*services.EDITABLE_FIELDS, "file"} & set(self.changed_data))


def _save_through_services(output: Output, form: OutputAdminForm) -> Output:
    """Apply an admin change as the pages would: content, then the review step, featuring and archiving."""
    wanted = {name: getattr(output, name) for name in ("status", "featured", "archived", "review_comment")}
    stored = Output.objects.get(pk=output.pk)
    for name in ("status", "featured", "archived", "review_comment", "published_at"):
        setattr(output, name, getattr(stored, name))
    if form.content_changed():
        # A published output's content changes through review: the edit becomes its revision.
        upload = form.cleaned_data.get("file")
        output = services.output_update(
            output=output,
            file=upload if isinstance(upload, UploadedFile) else None,
            clear_file=upload is False,
            **{name: getattr(output, name) for name in services.EDITABLE_FIELDS},
        )
    if wanted["status"] != output.status:
        step = rules.review_step(output.status, wanted["status"])
        if step == "submit":
            services.output_submit_for_review(output=output)
        elif step == "publish":
            services.output_publish(output=output)
        else:
            services.output_send_back(output=output, comment=wanted["review_comment"])
    if wanted["featured"] != output.featured:
        services.output_feature(output=output, featured=wanted["featured"])
    if wanted["archived"] != output.archived:
        if wanted["archived"]:
            services.output_archive(output=output)
        else:
            services.output_restore(output=output)
    return output


@admin.register(Output)
class OutputAdmin(HistoryAdmin):
    # Ten columns a row: 25 rows cost a page about what 50 rows of the other lists do (issue 19's benchmark);
    # search and the filters find an output faster than paging does.
    list_per_page = 25
    show_full_result_count = False  # a second COUNT over the whole table on every page
    form = OutputAdminForm
    list_display = ["title", "kind", "pair", "status", "visibility", "featured", "archived", "due_on", "updated_at"]
    list_filter = ["archived", "status", "kind", "visibility", "featured", ("pair__cohort", CohortFilter)]
    search_fields = ["title", "summary", "=pair__number", "pair__members__membership__user__full_name"]
    ordering = ["-updated_at"]
    autocomplete_fields = ["pair", "question"]
    readonly_fields = ["published_at", "created_at", "updated_at"]
    actions = ["archive", "restore"]
    fieldsets = (
        (None, {"fields": ("pair", "question", "kind", "title", "summary", "body", "file", "link")}),
        ("Progress and sharing", {"fields": ("status", "due_on", "visibility", "published_at", "review_comment")}),
        ("Year-end report", {"fields": ("featured",)}),
        ("Record", {"fields": ("archived", "created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Output]:
        return super().get_queryset(request).select_related("pair__cohort", "question")

    def get_readonly_fields(self, request: HttpRequest, obj: Output | None = None) -> list[str]:
        # A new output starts planned (or drafting, with content), as on the pair's page.
        added = [] if obj else ["status", "review_comment", "featured", "archived"]
        return [*self.readonly_fields, *added]

    def save_model(self, request: HttpRequest, obj: Output, form: OutputAdminForm, change: bool) -> None:
        if change:
            adopt(obj, _save_through_services(obj, form))
            return
        upload = form.cleaned_data.get("file")
        created = services.output_create(
            file=upload if isinstance(upload, UploadedFile) else None,
            **{name: getattr(obj, name) for name in ("pair", *services.EDITABLE_FIELDS)},
        )
        adopt(obj, created)

    # One save per output, not queryset.update(): each change is kept in the output's history.
    @admin.action(description="Archive selected outputs (hidden from everyone, but kept)")
    def archive(self, request: HttpRequest, queryset: QuerySet[Output]) -> None:
        outputs = list(queryset.filter(archived=False))
        for output in outputs:
            services.output_archive(output=output)
        self.message_user(request, f"Archived {len(outputs)} output(s).", messages.SUCCESS)

    @admin.action(description="Restore selected outputs from the archive")
    def restore(self, request: HttpRequest, queryset: QuerySet[Output]) -> None:
        outputs = list(queryset.filter(archived=True))
        for output in outputs:
            services.output_restore(output=output)
        self.message_user(request, f"Restored {len(outputs)} output(s).", messages.SUCCESS)


@admin.register(OutputRevision)
class OutputRevisionAdmin(HistoryAdmin):
    """Changes to published outputs, as the pairs wrote them: read-only here, reviewed on the output's page."""

    list_display = ["output", "status", "title", "updated_at", "published_at"]
    list_filter = ["status", ("output__pair__cohort", CohortFilter)]
    search_fields = ["title", "output__title"]
    ordering = ["-updated_at"]
    list_select_related = ["output"]
    readonly_fields = [*OutputRevision.CONTENT_FIELDS, "output", "status", "review_comment", "published_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutputRevision | None = None) -> bool:
        return False
