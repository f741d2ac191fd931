"""The year-end report: its staff write the narrative, preview the whole report and export it as PDF,
Word, CSV and XLSX. Only staff of the cohort reach these pages (get_cohort_for_staff: 404 for others)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cohorts.permissions import get_cohort_for_staff
from cohorts.services import event_numbers_keep
from programme.typing import AuthenticatedHttpRequest

from .building import build_report, year_end_report_for
from .data import ReportData
from .exports.csv import table_csv
from .exports.tables import TABLE_NAMES, report_table
from .exports.xlsx import report_xlsx
from .figures import FigureToolMissing
from .forms import ReportNarrativeForm
from .pipeline import report_docx, report_html
from .rendering import report_filename, report_pdf
from .services import REPORT_FIELDS, report_save_narrative

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
HISTORY_SHOWN = 10


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def preview(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """The whole report in the browser, with its unwritten sections and the export links."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    data = build_report(cohort)
    context = {"cohort": cohort, "data": data, "body": report_html(data), "tables": TABLE_NAMES}
    return render(request, "reports/preview.html", context)


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


def _exported_report(request: AuthenticatedHttpRequest, cohort_pk: int) -> ReportData:
    """The report as an export prints it: from now on its events keep the numbers it cites them by."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    event_numbers_keep(cohort=cohort)
    return build_report(cohort)


@login_required
@require_GET
def pdf(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    data = _exported_report(request, cohort_pk)
    return _download(report_pdf(data), PDF, report_filename(data, "pdf"))


@login_required
@require_GET
def docx(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    data = _exported_report(request, cohort_pk)
    try:
        content = report_docx(data)
    except FigureToolMissing as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return _download(content, DOCX, report_filename(data, "docx"))


@login_required
@require_GET
def xlsx(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    data = build_report(get_cohort_for_staff(request.user, cohort_pk))
    return _download(report_xlsx(data), XLSX, report_filename(data, "xlsx"))


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
