from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Erasure


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    """The record of erasures, read-only: people are erased on the privacy pages, through the service."""

    list_display = ["erased_at", "label", "erased_by", "rows_deleted", "rows_anonymised"]
    list_select_related = ["erased_by"]
    date_hierarchy = "erased_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
