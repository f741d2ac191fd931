"""Scheduling events, the event list and page, replies, and roundtable guests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from programme.forms import add_service_error
from programme.row_urls import RowUrl
from programme.typing import AuthenticatedHttpRequest

from .. import rules
from ..forms import EventForm, GuestForm, ReplyForm
from ..models import Attendance, Event, Insight, Membership, event_numbers, number_insight_events
from ..permissions import (
    get_cohort_for_staff,
    get_cohort_for_user,
    get_event_for_staff,
    get_event_for_user,
    is_cohort_staff,
    membership_for_event,
    visible_cohorts,
)
from ..services import attendance_reply, event_cancel, event_create, event_update, guest_add, guest_remove


@login_required
def events_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The "Events" link: straight to the one cohort's events, or a choice of cohorts."""
    cohorts = list(visible_cohorts(request.user).select_related("programme").order_by("-starts_on"))
    if len(cohorts) == 1:
        return redirect("cohorts:event-list", cohort_pk=cohorts[0].pk)
    return render(request, "cohorts/events_home.html", {"cohorts": cohorts})


PAST_EVENTS_PER_PAGE = 20


@login_required
def event_list(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """A cohort's workshops and roundtables, upcoming then past (a page at a time), with the member's own reply,
    or for the cohort's staff the replies counted."""
    cohort = get_cohort_for_user(request.user, cohort_pk)
    is_staff = is_cohort_staff(request.user, cohort)
    now = timezone.now()
    events = Event.objects.for_cohort(cohort)
    if is_staff:
        events = events.annotate(
            accepted_count=Count("attendances", filter=Q(attendances__status=Attendance.Status.ACCEPTED)),
            attended_count=Count("attendances", filter=Q(attendances__status=Attendance.Status.ATTENDED)),
        )
    else:
        # One reply per member and event: no ordering, which by default would join event and person.
        mine = (
            Attendance.objects.filter(event=OuterRef("pk"), membership__user=request.user)
            .order_by()
            .values("status")[:1]
        )
        events = events.annotate(my_status=Subquery(mine))
    # Every event of the cohort in one query, in date order: the numbering ("Workshop 4") counts them all.
    in_order = list(events.order_by("starts_at", "pk"))
    numbers = event_numbers((event.pk, event.cohort_id, event.kind, event.report_number) for event in in_order)
    for event in in_order:
        event.number = numbers[event.pk]
    # As EventQuerySet.upcoming() and .past(): a cancelled event still to come is in neither.
    upcoming = [event for event in in_order if event.ends_at >= now and event.cancelled_at is None]
    past = [event for event in reversed(in_order) if event.ends_at < now]
    past_page = Paginator(past, PAST_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cohorts/event_list.html",
        {
            "cohort": cohort,
            "upcoming": upcoming,
            "past_page": past_page,
            "is_staff": is_staff,
            "event_url": RowUrl("cohorts:event-detail"),
        },
    )


@login_required
def event_create_view(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    form = EventForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{event.title} is scheduled and every member is invited.")
            return redirect("cohorts:event-detail", pk=event.pk)
    return render(request, "cohorts/event_form.html", {"cohort": cohort, "form": form, "event": None})


@login_required
def event_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_staff(request.user, pk)
    form = EventForm(request.POST or None, instance=event, cohort=event.cohort)
    if request.method == "POST" and form.is_valid():
        try:
            event_update(event=event, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Event updated.")
            return redirect("cohorts:event-detail", pk=event.pk)
    return render(request, "cohorts/event_form.html", {"cohort": event.cohort, "form": form, "event": event})


@login_required
def event_cancel_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Cancel an event after confirming: members are told, calendars show it cancelled, replies close."""
    event = get_event_for_staff(request.user, pk)
    error = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        if len(reason) > 250:
            error = "Keep the reason under 250 characters."
        else:
            try:
                event_cancel(event=event, reason=reason)
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                messages.success(request, f"{event.title} is cancelled and everyone invited has been told.")
                return redirect("cohorts:event-detail", pk=event.pk)
    return render(
        request,
        "cohorts/event_cancel.html",
        {"event": event, "error": error, "reason": request.POST.get("reason", "")},
    )


def _reply_context(event: Event, membership: Membership | None, error: str = "") -> dict:
    attendance = None
    if membership is not None:
        attendance = Attendance.objects.filter(event=event, membership=membership).first()
    return {
        "event": event,
        "membership": membership,
        "attendance": attendance,
        "can_reply": membership is not None
        and rules.replies_open(event.starts_at, timezone.now())
        and not event.is_cancelled,
        "reply_error": error,
    }


@login_required
def event_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The event page: details, guests, the member's reply; for staff also replies and insights."""
    event = get_event_for_user(request.user, pk)
    staff = is_cohort_staff(request.user, event.cohort)
    context = _reply_context(event, membership_for_event(request.user, event))
    context.update(is_staff=staff, guests=list(event.guests.all()))
    if staff:
        attendances = list(event.attendances.select_related("membership__user__organisation"))
        context["attendances"] = attendances
        context["reply_counts"] = {
            status.label: sum(1 for a in attendances if a.status == status) for status in Attendance.Status
        }
        context["insights"] = number_insight_events(list(Insight.objects.filter(event=event).with_attribution()))
    return render(request, "cohorts/event_detail.html", context)


@login_required
@require_POST
def event_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A member accepts or sends apologies. htmx gets the reply partial back; a plain POST a redirect."""
    event = get_event_for_user(request.user, pk)
    membership = membership_for_event(request.user, event)
    form = ReplyForm(request.POST)
    error = ""
    if membership is None:
        error = "Only members of this cohort reply to its events."
    elif not form.is_valid():
        error = "Choose whether you will attend or send apologies."
    else:
        try:
            attendance_reply(event=event, membership=membership, status=form.cleaned_data["status"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if request.htmx:
        return render(request, "cohorts/_event_reply.html", _reply_context(event, membership, error))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Thank you: your reply is saved.")
    return redirect("cohorts:event-detail", pk=event.pk)


@login_required
def guest_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_staff(request.user, pk)
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        guest = guest_add(event=event, **form.cleaned_data)
        messages.success(request, f"{guest.name} added to the guests.")
        return redirect("cohorts:event-detail", pk=event.pk)
    return render(request, "cohorts/guest_form.html", {"event": event, "form": form})


@login_required
def guest_remove_view(request: AuthenticatedHttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    """Asks for confirmation on GET; removes on POST."""
    event = get_event_for_staff(request.user, pk)
    guest = get_object_or_404(event.guests, pk=guest_pk)
    if request.method == "POST":
        guest_remove(guest=guest)
        messages.success(request, f"{guest.name} removed from the guests.")
        return redirect("cohorts:event-detail", pk=event.pk)
    return render(request, "cohorts/guest_confirm_remove.html", {"event": event, "guest": guest})
