"""The facilitator's pages: the cohorts they run, and each cohort's overview of pairs, members and events."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cohorts.models import Cohort, Membership
from cohorts.permissions import get_cohort_for_staff, is_facilitator, staff_cohorts
from cohorts.rules import current_member_q, next_cohort_status
from cohorts.statuses import cohort_status_move
from programme.typing import AuthenticatedHttpRequest

from ..models import LearningPair
from ..selectors import cohort_attendance_data, cohort_members_data, cohort_overview_data, cohort_pairs_data


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
    """A cohort at a glance: pairs at risk, steps done, members, outputs; each linking to its full page."""
    cohort = get_cohort_for_staff(request.user, pk)
    context = {"cohort": cohort, **cohort_overview_data(cohort, timezone.localdate())}
    return render(request, "pairs/facilitate/overview.html", context)


@login_required
def cohort_pairs(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The pairs × steps grid, a page at a time; `?at_risk=1` keeps the pairs at risk, with their reasons."""
    cohort = get_cohort_for_staff(request.user, pk)
    at_risk_only = request.GET.get("at_risk") == "1"
    data = cohort_pairs_data(cohort, timezone.localdate(), page=request.GET.get("page"), at_risk_only=at_risk_only)
    return render(request, "pairs/facilitate/pairs.html", {"cohort": cohort, **data})


@login_required
def cohort_members(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The cohort's members a page at a time, with days so far and links to move, take out or withdraw;
    `?behind=1` keeps those behind the pace."""
    cohort = get_cohort_for_staff(request.user, pk)
    behind_only = request.GET.get("behind") == "1"
    data = cohort_members_data(cohort, timezone.localdate(), page=request.GET.get("page"), behind_only=behind_only)
    return render(request, "pairs/facilitate/members.html", {"cohort": cohort, **data})


@login_required
def cohort_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Replies and attendance per event, a page at a time, and activities logged per month."""
    cohort = get_cohort_for_staff(request.user, pk)
    data = cohort_attendance_data(cohort, page=request.GET.get("page"))
    return render(request, "pairs/facilitate/attendance.html", {"cohort": cohort, **data})


STAGE_ACTIONS: dict[str, str] = {
    Cohort.Status.RUNNING: "Start running the cohort",
    Cohort.Status.CONCLUDED: "Conclude the cohort",
}


@login_required
def cohort_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move the cohort on to its next stage (recruiting → running → concluded) after confirming what follows."""
    cohort = get_cohort_for_staff(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            completed = cohort_status_move(cohort=cohort, to=request.POST.get("to", ""))
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            done = f"{cohort} is now {cohort.get_status_display().lower()}."
            if cohort.status == Cohort.Status.CONCLUDED:
                done += f" {completed} member{'s' if completed != 1 else ''} in good standing completed the year."
            messages.success(request, done)
            return redirect("pairs:cohort-overview", pk=cohort.pk)
    following = next_cohort_status(cohort.status)
    members = Membership.objects.filter(cohort=cohort).aggregate(
        good_standing=Count("pk", filter=current_member_q()),
        withdrawn=Count("pk", filter=Q(status=Membership.Status.WITHDRAWN)),
    )
    context = {
        "cohort": cohort,
        "following": following,
        "following_label": Cohort.Status(following).label if following else "",
        "action": STAGE_ACTIONS.get(following or "", ""),
        "members": members,
        "today": timezone.localdate(),
        "error": error,
    }
    return render(request, "pairs/facilitate/cohort_status.html", context, status=400 if error else 200)
