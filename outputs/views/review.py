"""Facilitators' side of outputs: a cohort's outputs at a glance, publishing, sending back, featuring."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cohorts.permissions import get_cohort_for_staff
from programme.forms import add_service_error
from programme.models import User
from programme.typing import AuthenticatedHttpRequest

from .. import services
from ..filters import CohortOutputFilter
from ..forms import SendBackForm
from ..models import Output
from ..permissions import can_review_output, get_output_for_user


def _get_output_to_review(user: User, pk: int) -> Output:
    """The output if the user runs its cohort: 404 when they may not see it, 403 when they only read it."""
    output = get_output_for_user(user, pk)
    if not can_review_output(user, output):
        raise PermissionDenied("Only the cohort's facilitators review its outputs.")
    return output


def _report_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


COHORT_OUTPUTS_PER_PAGE = 50


@login_required
def cohort_outputs(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """Every output of a cohort the user runs, with status and due dates, filtered by status and kind."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    outputs = (
        Output.objects.current()
        .for_cohort(cohort)
        .with_credits()
        .order_by(F("due_on").asc(nulls_last=True), "pair__number", "pk")
    )
    filterset = CohortOutputFilter(request.GET or None, queryset=outputs)
    in_review = Output.objects.current().for_cohort(cohort).filter(status=Output.Status.IN_REVIEW).count()
    page = Paginator(filterset.qs, COHORT_OUTPUTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"cohort": cohort, "filter": filterset, "outputs": page, "page": page, "in_review": in_review}
    return render(request, "outputs/cohort_outputs.html", context)


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Publish an output in review."""
    output = _get_output_to_review(request.user, pk)
    try:
        services.output_publish(output=output)
    except ValidationError as error:
        _report_errors(request, error)
    else:
        public = output.visibility == Output.Visibility.PUBLIC
        where = "the public library" if public else output.get_visibility_display().lower()
        messages.success(request, f"Published “{output.title}” to {where}.")
    return redirect("outputs:detail", pk=output.pk)


@login_required
@require_http_methods(["GET", "POST"])
def send_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Return an output in review to its pair with a comment on what to change."""
    output = _get_output_to_review(request.user, pk)
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.output_send_back(output=output, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_error(form, error)
            else:
                _report_errors(request, error)
                return redirect("outputs:detail", pk=output.pk)
        else:
            messages.success(request, f"Sent “{output.title}” back to the pair with your comment.")
            return redirect("outputs:detail", pk=output.pk)
    return render(request, "outputs/send_back.html", {"output": output, "pair": output.pair, "form": form})


@login_required
@require_POST
def feature(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark a published output as a case study for the year-end report (or take the mark off)."""
    output = _get_output_to_review(request.user, pk)
    featured = request.POST.get("featured") == "1"
    try:
        services.output_feature(output=output, featured=featured)
    except ValidationError as error:
        _report_errors(request, error)
    else:
        if featured:
            messages.success(request, f"“{output.title}” is featured as a case study in the year-end report.")
        else:
            messages.success(request, f"“{output.title}” is no longer featured in the year-end report.")
    return redirect("outputs:detail", pk=output.pk)
