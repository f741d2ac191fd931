"""The facilitator's overview: the pairs of the cohorts they run."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cohorts.permissions import staff_cohorts

from ..models import LearningPair


@login_required
def facilitator_home(request: HttpRequest) -> HttpResponse:
    """The cohorts a facilitator runs, each with its pairs and their current step."""
    cohorts = list(staff_cohorts(request.user).select_related("programme").order_by("-starts_on"))
    pairs = (
        LearningPair.objects.filter(cohort__in=cohorts)
        .select_related("question")
        .with_current_members()
        .with_progress()
        .order_by("number")
    )
    pairs_by_cohort: dict[int, list[LearningPair]] = {cohort.pk: [] for cohort in cohorts}
    for pair in pairs:
        pairs_by_cohort[pair.cohort_id].append(pair)
    rows = [(cohort, pairs_by_cohort[cohort.pk]) for cohort in cohorts]
    return render(request, "pairs/facilitator_home.html", {"rows": rows})
