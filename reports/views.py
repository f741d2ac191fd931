"""The year-end report: its staff write the narrative, preview the whole report and export it as PDF,
Word, CSV and XLSX. The PDF, Word and XLSX files are built by a task (reports.tasks) and kept until the next build;
each CSV builds only its own table, in the request. Only staff of the cohort reach these pages (get_cohort_for_staff:
404 for others)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts.models import Cohort
from cohorts.permissions import get_cohort_for_staff
from programme.typing import AuthenticatedHttpRequest

from .building import year_end_report_for
from .exports.csv import table_csv
from .exports.files import CONTENT_TYPES
from .exports.tables import TABLE_NAMES, report_table
from .forms import ReportNarrativeForm
from .models import ReportExport
from .preview import ReportPreview, report_preview
from .rendering import report_filename
from .services import REPORT_FIELDS, report_export_request, report_save_narrative

CSV = "text/csv; charset=utf-8"
HISTORY_SHOWN = 10


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class _File:
    kind: str
    label: str
    url: str  # the download's URL name
    export: ReportExport | None
    current: bool  # built from the report as it is now


DOWNLOAD_URLS: dict[str, str] = {
    ReportExport.Kind.PDF: "reports:pdf",
    ReportExport.Kind.DOCX: "reports:docx",
    ReportExport.Kind.XLSX: "reports:xlsx",
}


def _exports_context(cohort: Cohort, preview: ReportPreview) -> dict[str, Any]:
    """Each file of the report with its latest build: one query (the files themselves stay in the database)."""
    exports = {export.kind: export for export in ReportExport.objects.filter(cohort=cohort).defer("content")}
    files = [
        _File(
            kind=kind,
            label=label,
            url=DOWNLOAD_URLS[kind],
            export=exports.get(kind),
            current=kind in exports and exports[kind].fingerprint == preview.fingerprint,
        )
        for kind, label in ReportExport.Kind.choices
    ]
    pending = any(file.export is not None and file.export.is_pending for file in files)
    return {"cohort": cohort, "files": files, "pending": pending}


@login_required
@require_GET
def preview(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """The whole report in the browser, with its unwritten sections and its files to prepare and download."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    report = report_preview(cohort)
    context = {**_exports_context(cohort, report), "preview": report, "tables": TABLE_NAMES}
    return render(request, "reports/preview.html", context)


@login_required
@require_GET
def exports(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """The report's files and how their builds are going: the part of the preview htmx asks for again."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    return render(request, "reports/_exports.html", _exports_context(cohort, report_preview(cohort)))


@login_required
@require_POST
def export_prepare(request: AuthenticatedHttpRequest, cohort_pk: int, kind: str) -> HttpResponse:
    """Ask for the report as a PDF, Word document or workbook: a task builds it, the preview offers it when ready."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    if kind not in ReportExport.Kind.values:
        raise Http404("No such file of the report")
    export = report_export_request(cohort=cohort, kind=kind, fingerprint=report_preview(cohort).fingerprint)
    label = ReportExport.Kind(kind).label
    if export.status == ReportExport.Status.READY:
        messages.info(request, f"The {label} of the report as it is now is ready to download.")
    else:
        messages.success(request, f"The {label} is being prepared; this page shows when it is ready.")
    return redirect(reverse("reports:preview", args=[cohort.pk]) + "#exports")


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """Write the narrative sections; every save is a draft kept in the report's history."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    report = year_end_report_for(cohort)
    form = ReportNarrativeForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            report_save_narrative(
                cohort=cohort,
                by=request.user,
                based_on=form.cleaned_data["based_on"],
                **{name: form.cleaned_data[name] for name in REPORT_FIELDS},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Draft saved.")
            return redirect("reports:edit", cohort_pk=cohort.pk)
    history = report.history.select_related("history_user")[:HISTORY_SHOWN] if report.pk else []
    context = {"cohort": cohort, "report": report, "form": form, "history": history}
    return render(request, "reports/edit.html", context)


def _built_file(request: AuthenticatedHttpRequest, cohort_pk: int, kind: str) -> HttpResponse:
    """The report's latest file of a kind, as its task built it; before there is one, the preview, to prepare it."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    export = ReportExport.objects.filter(cohort=cohort, kind=kind, built_at__isnull=False).first()
    if export is None:
        messages.info(request, f"Prepare the {ReportExport.Kind(kind).label} first: it is built in the background.")
        return redirect(reverse("reports:preview", args=[cohort.pk]) + "#exports")
    return _download(bytes(export.content), CONTENT_TYPES[kind], report_filename(cohort, kind))


@login_required
@require_GET
def pdf(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    return _built_file(request, cohort_pk, ReportExport.Kind.PDF)


@login_required
@require_GET
def docx(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    return _built_file(request, cohort_pk, ReportExport.Kind.DOCX)


@login_required
@require_GET
def xlsx(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    return _built_file(request, cohort_pk, ReportExport.Kind.XLSX)


@login_required
@require_GET
def csv(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """One table of the report's data as CSV: ?table=summary, members, events, activities, findings, ..."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    name = request.GET.get("table", "")
    if name not in TABLE_NAMES:
        raise Http404("No such table in the report")
    table = report_table(cohort, name)
    return _download(table_csv(table), CSV, report_filename(cohort, "csv", name))
