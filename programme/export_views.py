"""An export's page (its progress, then its download link) and the download itself: for the person who asked."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .models import ExportFile
from .permissions import get_export_file_for_user
from .typing import AuthenticatedHttpRequest


@login_required
@require_GET
def export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """How far the file is written; htmx asks again for the status part until it is ready or failed."""
    export = get_export_file_for_user(request.user, pk)
    if request.htmx:
        return render(request, "programme/export_detail.html#status", {"export": export})
    back_url = ""
    if export.source == "admin":
        app_label, model_name = export.parameters["model"].lower().split(".")
        back_url = reverse(f"admin:{app_label}_{model_name}_changelist")
    context = {"export": export, "back_url": back_url, "keep_days": settings.EXPORT_FILES_KEEP_DAYS}
    return render(request, "programme/export_detail.html", context)


@login_required
@require_GET
def export_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    export = get_export_file_for_user(request.user, pk)
    if export.status != ExportFile.Status.READY or not export.file:
        raise Http404("The file is not ready.")
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.filename)
