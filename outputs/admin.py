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
from programme.admin import HistoryAdmin

from .models import Output
from .services import output_archive
from .validators import validate_http_link, validate_output_file


class OutputAdminForm(ModelForm):
    """The checks the pairs' own output form makes on files and links, so the admin is no way round them."""

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
        validate_http_link(cleaned.get("link") or "")
        # Published outputs carry the date they were published, as outputs.services.output_publish sets it.
        if cleaned.get("status") == Output.Status.PUBLISHED and not self.instance.published_at:
            self.instance.published_at = timezone.now()
        return cleaned


@admin.register(Output)
class OutputAdmin(HistoryAdmin):
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

    # One save per output, not queryset.update(): each change is kept in the output's history.
    @admin.action(description="Archive selected outputs (hidden from everyone, but kept)")
    def archive(self, request: HttpRequest, queryset: QuerySet[Output]) -> None:
        outputs = list(queryset.filter(archived=False))
        for output in outputs:
            output_archive(output=output)
        self.message_user(request, f"Archived {len(outputs)} output(s).", messages.SUCCESS)

    @admin.action(description="Restore selected outputs from the archive")
    def restore(self, request: HttpRequest, queryset: QuerySet[Output]) -> None:
        outputs = list(queryset.filter(archived=True))
        for output in outputs:
            output.archived = False
            output.save(update_fields=["archived", "updated_at"])
        self.message_user(request, f"Restored {len(outputs)} output(s).", messages.SUCCESS)
