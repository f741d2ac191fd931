"""The attendance register (one tick per member, saved per click) and insights recorded at events."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Subquery
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from programme.forms import add_service_error
from programme.typing import AuthenticatedHttpRequest

from ..forms import NOT_TIED, InsightFilterForm, InsightForm, RegisterForm
from ..models import Attendance, Event, Insight, Membership, MembershipQuerySet, Question, number_insight_events
from ..permissions import get_cohort_for_staff, get_event_for_staff
from ..register_rows import register_rows
from ..services import (
    ATTENDANCE_NOT_MEMBER,
    attendance_mark,
    attendance_register_save,
    insight_record,
    register_is_open,
)


def _register_rows(event: Event) -> MembershipQuerySet:
    """Current members of the event's cohort with their attendance status, in one query."""
    status = Attendance.objects.filter(event=event, membership=OuterRef("pk")).values("status")[:1]
    return (
        Membership.objects.for_cohort(event.cohort)
        .current()
        .select_related("user__organisation")
        .annotate(attendance_status=Subquery(status))
        .order_by("user__full_name")
    )


@login_required
def attendance_register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """On the day, the facilitator ticks who came. Ticks save one by one with htmx; the button saves all."""
    event = get_event_for_staff(request.user, pk)
    rows = list(_register_rows(event))
    form = RegisterForm(request.POST or None, members=rows)
    if request.method == "POST" and form.is_valid():
        try:
            attendance_register_save(event=event, attended=set(form.cleaned_data["attended"]))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Register saved.")
            return redirect("cohorts:attendance-register", pk=event.pk)
    if form.is_bound:
        # Re-show the ticks as submitted, so nothing the facilitator did is lost.
        ticked = {str(value) for value in request.POST.getlist("attended")}
        for row in rows:
            row.ticked = str(row.pk) in ticked  # type: ignore[attr-defined]  # read by the template
    else:
        for row in rows:
            row.ticked = row.attendance_status == Attendance.Status.ATTENDED  # type: ignore[attr-defined]  # see _register_rows
    is_open = register_is_open(event)
    return render(
        request,
        "cohorts/attendance_register.html",
        {"event": event, "row_html": register_rows(event, rows, is_open=is_open), "form": form, "is_open": is_open},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def attendance_toggle(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """One tick box: attended if this member's id is among the posted `attended` values. Returns the row."""
    event = get_event_for_staff(request.user, pk)
    membership = Membership.objects.filter(pk=membership_pk).select_related("cohort").first()
    if membership is None:
        return HttpResponseBadRequest(ATTENDANCE_NOT_MEMBER)
    attended = str(membership.pk) in request.POST.getlist("attended")
    try:
        attendance_mark(event=event, membership=membership, attended=attended)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    if not request.htmx:
        messages.success(request, "Register saved.")
        return redirect("cohorts:attendance-register", pk=event.pk)
    row = _register_rows(event).get(pk=membership.pk)
    row.ticked = row.attendance_status == Attendance.Status.ATTENDED  # type: ignore[attr-defined]  # see _register_rows
    return HttpResponse(register_rows(event, [row], is_open=True)[0])


@login_required
def insight_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_staff(request.user, pk)
    form = InsightForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            insight_record(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Insight recorded.")
            if "another" in request.POST:
                return redirect("cohorts:insight-create", pk=event.pk)
            return redirect("cohorts:event-detail", pk=event.pk)
    return render(request, "cohorts/insight_form.html", {"event": event, "form": form})


_PK_PLACEHOLDER = 2147483647


def _pk_url(name: str, *args: int) -> Callable[[int], str]:
    """reverse(name, args=[*args, pk]) for many pks with one reverse(): the pattern with a placeholder pk."""
    pattern = reverse(name, args=[*args, _PK_PLACEHOLDER])
    return lambda pk: pattern.replace(str(_PK_PLACEHOLDER), str(pk))


INSIGHTS_PER_PAGE = 50


@login_required
def insight_list(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """A cohort's insights grouped by the question they answer, with their anonymised attributions, a page at a
    time; filtered by question and by words in the text."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    questions = list(cohort.questions.all())
    form = InsightFilterForm(request.GET, questions=questions)
    chosen = form.cleaned_data if form.is_valid() else {}
    insights = Insight.objects.filter(cohort=cohort)
    per_question = dict(insights.values("question").annotate(n=Count("pk")).order_by().values_list("question", "n"))
    if chosen.get("question") == NOT_TIED:
        insights = insights.filter(question__isnull=True)
    elif chosen.get("question"):
        insights = insights.filter(question_id=int(chosen["question"]))
    if chosen.get("q"):
        insights = insights.filter(text__icontains=chosen["q"])
    # with_attribution() minus the cohort (known here: copies of one row cost 15% of the page at 100x) and the
    # question (the grouping reads question_id only). In the questions' order, those tied to none last.
    insights = insights.select_related("event", "speaker__user", "guest").order_by(
        F("question__order").asc(nulls_last=True), "question_id", "recorded_at", "pk"
    )
    page = Paginator(insights, INSIGHTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = number_insight_events(list(page.object_list))
    # One reverse() per event, and one per link for the whole page, not per insight.
    event_urls = {
        event_id: reverse("cohorts:event-detail", args=[event_id])
        for event_id in {i.event_id for i in shown if i.event_id}
    }
    edit_url = _pk_url("cohorts:insight-edit", cohort.pk)
    delete_url = _pk_url("cohorts:insight-delete", cohort.pk)
    for insight in shown:
        insight.cohort = cohort
        insight.event_url = event_urls[insight.event_id] if insight.event_id else ""  # type: ignore[attr-defined]
        insight.edit_url = edit_url(insight.pk)  # type: ignore[attr-defined]
        insight.delete_url = delete_url(insight.pk)  # type: ignore[attr-defined]
    by_pk = {question.pk: question for question in questions}
    groups: list[tuple[Question | None, list[Insight]]] = []
    for insight in shown:
        if not groups or (groups[-1][0].pk if groups[-1][0] else None) != insight.question_id:
            groups.append((by_pk.get(insight.question_id) if insight.question_id else None, []))
        groups[-1][1].append(insight)
    counts = [(question, per_question.get(question.pk, 0)) for question in questions]
    context = {
        "cohort": cohort,
        "form": form,
        "filtered": bool(chosen.get("question") or chosen.get("q")),
        "groups": groups,
        "page_obj": page,
        "count": sum(per_question.values()),
        "counts": counts,
        "not_tied": sum(n for question_id, n in per_question.items() if question_id is None),
        "not_tied_value": NOT_TIED,
    }
    return render(request, "cohorts/insight_list.html", context)
