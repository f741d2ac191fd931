"""The facilitator's pages: the cohorts they run, and each cohort's overview of pairs, members and events."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cohorts.permissions import get_cohort_for_staff, is_facilitator, staff_cohorts
from cohorts.rules import current_member_q
from programme.typing import AuthenticatedHttpRequest

from ..models import LearningPair
from ..selectors import cohort_overview_data


@login_required
def facilitator_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cohorts the user runs, each with its number of pairs and members, linking to its overview."""
    if not (request.user.is_programme_manager or is_facilitator(request.user)):
        raise Http404("Not a facilitator")
    cohorts = (
        staff_cohorts(request.user)
        .select_related("programme")
        .annotate(
            live_pairs=Count("pairs", filter=Q(pairs__status__in=LearningPair.LIVE_STATUSES), distinct=True),
            current_members=Count("memberships", filter=current_member_q("memberships__"), distinct=True),
        )
        .order_by("-starts_on")
    )
    return render(request, "pairs/facilitate/home.html", {"cohorts": cohorts})


@login_required
def cohort_overview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A cohort at a glance: the pairs × steps grid, at-risk pairs, members behind pace, attendance, outputs."""
    cohort = get_cohort_for_staff(request.user, pk)
    context = {"cohort": cohort, **cohort_overview_data(cohort, timezone.localdate())}
    return render(request, "pairs/facilitate/overview.html", context)
