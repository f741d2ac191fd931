"""Section 2 of the year-end report on staff pages: its sub-sections and numbered lessons, the survey evidence
the facilitators choose (from this cohort's surveys and earlier cohorts' of the programme) and uploaded figures.

Only staff of the cohort reach these pages (get_cohort_for_staff: 404 for others); every object is looked up
through the cohort, so another cohort's parts, evidence or figures are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts.models import Cohort
from cohorts.permissions import get_cohort_for_staff
from programme.forms import add_service_error
from programme.typing import AuthenticatedHttpRequest

from .forms_section_two import ReportFigureForm, ReportPartForm, SurveyEvidenceForm
from .models import CaseStudy, ReportFigure, ReportPart, SurveyEvidence
from .rules import check_figure_size
from .services import (
    evidence_questions,
    report_figure_delete,
    report_figure_upload,
    report_part_delete,
    report_part_save,
    survey_evidence_add,
    survey_evidence_remove,
)
from .views_writing import _confirm_delete

BACK = "reports:section-two"


def _page(
    request: AuthenticatedHttpRequest,
    cohort: Cohort,
    *,
    evidence_form: SurveyEvidenceForm | None = None,
    figure_form: ReportFigureForm | None = None,
    status: int = 200,
) -> HttpResponse:
    parts = list(ReportPart.objects.filter(cohort=cohort).order_by("kind", "order", "pk"))
    context = {
        "cohort": cohort,
        "subsections": [part for part in parts if part.kind == ReportPart.Kind.SUBSECTION],
        "lessons": [part for part in parts if part.kind == ReportPart.Kind.LESSON],
        "evidence": list(
            SurveyEvidence.objects.filter(cohort=cohort).select_related("question__survey__cohort").order_by("order")
        ),
        "figures": list(ReportFigure.objects.filter(cohort=cohort).defer("content").order_by("pk")),
        "evidence_form": evidence_form or SurveyEvidenceForm(questions=evidence_questions(cohort)),
        "figure_form": figure_form or ReportFigureForm(),
    }
    return render(request, "reports/section_two.html", context, status=status)


@login_required
@require_GET
def section_two(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """Section 2's sub-sections and lessons in order, the survey evidence chosen and the uploaded figures."""
    return _page(request, get_cohort_for_staff(request.user, cohort_pk))


def _part_form(request: AuthenticatedHttpRequest, cohort: Cohort, part: ReportPart) -> HttpResponse:
    form = ReportPartForm(request.POST or None, instance=part)
    if request.method == "POST" and form.is_valid():
        try:
            saved = report_part_save(part=form.save(commit=False))
        except ValidationError as error:
            add_service_error(form, error, field_names={"__all__": "body"})
        else:
            messages.success(request, f"Saved “{saved.title}”.")
            return redirect(BACK, cohort_pk=cohort.pk)
    studies = list(CaseStudy.objects.filter(cohort=cohort, part=part).order_by("order")) if part.pk else []
    context = {"cohort": cohort, "part": part, "form": form, "case_studies": studies}
    return render(request, "reports/part_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def part_new(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    kind = request.GET.get("kind")
    part = ReportPart(cohort=cohort, kind=kind if kind in ReportPart.Kind.values else ReportPart.Kind.SUBSECTION)
    return _part_form(request, cohort, part)


def _part_for(cohort: Cohort, pk: int) -> ReportPart:
    return get_object_or_404(ReportPart.objects.select_related("cohort"), pk=pk, cohort=cohort)


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    return _part_form(request, cohort, _part_for(cohort, pk))


@login_required
@require_http_methods(["GET", "POST"])
def part_remove(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    part = _part_for(cohort, pk)
    return _confirm_delete(
        request,
        lambda: report_part_delete(part=part),
        done=f"Deleted “{part.title}”.",
        back=BACK,
        cohort=cohort,
        title=f"Delete “{part.title}”?",
        consequence="Its case studies stay, placed after no sub-section.",
    )


@login_required
@require_POST
def evidence_add(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    form = SurveyEvidenceForm(request.POST, questions=evidence_questions(cohort))
    if form.is_valid():
        try:
            survey_evidence_add(
                cohort=cohort, question=form.cleaned_data["question"], breakdown=form.cleaned_data["breakdown"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Survey question added to the report.")
            return redirect(BACK, cohort_pk=cohort.pk)
    return _page(request, cohort, evidence_form=form, status=400)


@login_required
@require_POST
def evidence_remove(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    survey_evidence_remove(item=get_object_or_404(SurveyEvidence, pk=pk, cohort=cohort))
    messages.success(request, "Survey question taken out of the report.")
    return redirect(BACK, cohort_pk=cohort.pk)


@login_required
@require_POST
def figure_upload(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    form = ReportFigureForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            check_figure_size(upload.size)  # before reading it into memory
            figure = report_figure_upload(
                cohort=cohort,
                caption=form.cleaned_data["caption"],
                description=form.cleaned_data["description"],
                content=upload.read(),
            )
        except ValidationError as error:
            add_service_error(form, error, field_names={"__all__": "image"})
        else:
            messages.success(request, f"Figure uploaded: place it as [[figure:{figure.pk}]].")
            return redirect(BACK, cohort_pk=cohort.pk)
    return _page(request, cohort, figure_form=form, status=400)


@login_required
@require_POST
def figure_remove(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    report_figure_delete(figure=get_object_or_404(ReportFigure.objects.defer("content"), pk=pk, cohort=cohort))
    messages.success(request, "Figure deleted: where it was placed, the report prints nothing.")
    return redirect(BACK, cohort_pk=cohort.pk)
