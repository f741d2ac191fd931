"""Who may reach programme-wide records outside the admin."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import ExportFile, User


def get_export_file_for_user(user: User, pk: int) -> ExportFile:
    """An export, for the person who asked for it; 404 for anyone else (it holds what their permissions showed)."""
    return get_object_or_404(ExportFile, pk=pk, requested_by=user)
