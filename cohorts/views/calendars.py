"""Calendars: an .ics per event, and each person's feed at a secret, revocable address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from programme.models import User
from programme.typing import AuthenticatedHttpRequest

from ..calendar import calendar_for
from ..models import Event
from ..permissions import get_event_for_user, member_cohorts
from ..services import calendar_token_reset


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def event_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    return _ics_response(calendar_for([event], name=event.title), f"event-{event.pk}.ics")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: calendar apps fetch this. The secret token is the key; a wrong one finds nothing."""
    user = get_object_or_404(User, calendar_token=token, is_active=True)
    events = (
        Event.objects.filter(Q(cohort__in=member_cohorts(user)) | Q(cohort__facilitators=user))
        .distinct()
        .select_related("cohort")
        .order_by("starts_at")
    )
    return _ics_response(calendar_for(events, name="Pairwise events"), "pairwise.ics")


@login_required
def calendar_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    feed_url = request.build_absolute_uri(reverse("cohorts:calendar-feed", args=[request.user.calendar_token]))
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render(request, "cohorts/calendar_settings.html", {"feed_url": feed_url, "webcal_url": webcal_url})


@login_required
@require_POST
def calendar_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    calendar_token_reset(user=request.user)
    messages.success(request, "Your calendar address has changed. Subscribe again with the new one.")
    return redirect("cohorts:calendar-settings")
