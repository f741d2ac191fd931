"""A pair's activity log: visits, exchanges, meetings and research, with hours and who went."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cohorts.models import Membership
from programme.compiled import CompiledModelQuery
from programme.forms import add_service_error
from programme.models import User
from programme.row_urls import RowUrl
from programme.typing import AuthenticatedHttpRequest

from .. import services
from ..activity_forms import ActivityForm
from ..commitment import commitment_of
from ..filters import ActivityFilter
from ..models import Activity, LearningPair
from ..permissions import (
    can_edit_pair,
    can_read_private_notes,
    get_pair_for_user,
    know_current_members,
    must_give_reason_for_notes,
)

ACTIVITIES_PER_PAGE = 20


def _get_pair_to_edit(user: User, pk: int) -> LearningPair:
    """The pair if the user may change its log: 404 when they may not see it, 403 when they only read it."""
    pair = get_pair_for_user(user, pk)
    if not can_edit_pair(user, pair):
        raise PermissionDenied("Only the pair's members change its activity log.")
    return pair


# The pair's current members with their commitment figures, compiled once per process (programme.compiled).
_MEMBERS = CompiledModelQuery(
    lambda pair_id: (
        Membership.objects.filter(pair_memberships__pair_id=pair_id, pair_memberships__left_on__isnull=True)
        .select_related("user", "cohort")
        .order_by("side", "user__full_name")
    )
)


@login_required
def activity_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The pair's activities, newest first, filtered by kind and dates, with hours by kind and days per member."""
    pair = get_pair_for_user(request.user, pk)
    filterset = ActivityFilter(request.GET or None, queryset=Activity.objects.for_pair(pair), pair=pair)
    activities = filterset.qs
    totals = activities.totals_by_kind()
    paginator = Paginator(activities.newest_first().with_attendees(), ACTIVITIES_PER_PAGE)
    # The activities counted by the totals' query: no COUNT query of the paginator's own.
    paginator.count = sum(count for count, _hours in totals.values())
    page = paginator.get_page(request.GET.get("page"))
    members = _MEMBERS.instances(pair.pk)
    commitments = [(member, commitment_of(member)) for member in members]
    know_current_members(pair, {member.user_id for member in members})
    context = {
        "pair": pair,
        "filter": filterset,
        "page": page,
        "totals": activities.hours_by_kind(pair.cohort.shape.activity_kinds, totals),
        "commitments": commitments,
        "can_edit": can_edit_pair(request.user, pair),
        "show_private_notes": can_read_private_notes(request.user, pair),
        "notes_need_reason": must_give_reason_for_notes(request.user, pair),
        "edit_url": RowUrl("pairs:activity-edit", pair.pk),
        "delete_url": RowUrl("pairs:activity-delete", pair.pk),
    }
    return render(request, "pairs/activity_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Log a new activity of the pair."""
    pair = _get_pair_to_edit(request.user, pk)
    # Dated today unless changed: most visits are logged on the day or soon after.
    form = ActivityForm(request.POST or None, pair=pair, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(pair=pair, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Logged: {activity}.")
            return redirect("pairs:activity-list", pk=pair.pk)
    return render(request, "pairs/activity_form.html", {"pair": pair, "form": form, "activity": None})


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthenticatedHttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    """Change a logged activity of the pair."""
    pair = _get_pair_to_edit(request.user, pk)
    activity = get_object_or_404(Activity.objects.for_pair(pair), pk=activity_pk)
    form = ActivityForm(request.POST or None, instance=activity, pair=pair)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_update(activity=activity, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Saved your changes to {activity}.")
            return redirect("pairs:activity-list", pk=pair.pk)
    return render(request, "pairs/activity_form.html", {"pair": pair, "form": form, "activity": activity})


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: AuthenticatedHttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    """Ask to confirm, then delete a logged activity (the deletion stays in its history)."""
    pair = _get_pair_to_edit(request.user, pk)
    activity = get_object_or_404(Activity.objects.for_pair(pair), pk=activity_pk)
    if request.method == "POST":
        services.activity_delete(activity=activity, by=request.user)
        messages.success(request, f"Deleted: {activity}. Its hours no longer count towards commitment.")
        return redirect("pairs:activity-list", pk=pair.pk)
    return render(request, "pairs/activity_confirm_delete.html", {"pair": pair, "activity": activity})
