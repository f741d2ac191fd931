"""Pages of learning pairs: a member's own pair, and the pairs of the cohorts a facilitator runs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cohorts.permissions import current_membership, staff_cohorts

from .models import LearningPair, PairMember
from .permissions import get_pair_for_user


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A member's landing page: their cohort and their current pair."""
    membership = current_membership(request.user)
    pair = None
    if membership is not None:
        current = (
            PairMember.objects.current()
            .filter(membership=membership)
            .select_related("pair__question")
            .first()
        )
        if current is not None:
            pair = (
                LearningPair.objects.filter(pk=current.pair_id).with_current_members().with_progress().get()
            )
    return render(request, "pairs/dashboard.html", {"membership": membership, "pair": pair})


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


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A pair's page: members and the four refining steps."""
    pair = get_pair_for_user(request.user, pk)
    pair = LearningPair.objects.filter(pk=pair.pk).select_related("cohort", "question").with_current_members().with_progress().get()
    return render(request, "pairs/detail.html", {"pair": pair, "steps": sorted(pair.steps.all(), key=lambda s: s.step)})
