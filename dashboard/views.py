"""The site's home page, which sends each person to where they work, and the member's dashboard, gathering from
every app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cohorts.models import Attendance, Cohort, Event, Membership
from cohorts.permissions import chosen_cohort_id, in_showing_order, pick_membership
from cohorts.rules import replies_open
from cohorts.surveys import surveys_to_answer
from outputs.models import Output
from pairs.commitment import commitment_of
from pairs.models import Activity, LearningPair
from pairs.progress import read_progress
from programme.compiled import CompiledModelQuery
from programme.models import Programme
from programme.typing import AuthenticatedHttpRequest

UPCOMING_EVENTS = 5
LATEST_ACTIVITIES = 5


def site_home(request: HttpRequest) -> HttpResponse:
    """The site root. Visitors see the public programme page; signed-in people are sent to where they work:
    managers to the admin, facilitators and members to their page."""
    if not request.user.is_authenticated:
        return _programme_page(request)
    user = request.user
    if user.is_programme_manager:
        return redirect("admin:index")
    if user.facilitated_cohorts.exists():
        return redirect("pairs:facilitator-home")
    return redirect("dashboard:home")


# The member's pair now, with its members and step progress: compiled once per process (programme.compiled).
_CURRENT_PAIR = CompiledModelQuery(
    lambda membership_id: (
        LearningPair.objects.filter(members__membership_id=membership_id, members__left_on__isnull=True)
        .select_related("question")
        .with_current_members()
        # One current pair per member (one_current_pair_per_member): the pair's default ordering would only add joins.
        .order_by("pk")[:1]
    )
)

# A person's memberships with their commitment figures, compiled once per process (programme.compiled).
_MEMBERSHIPS = CompiledModelQuery(
    lambda user_id: (
        Membership.objects.filter(user_id=user_id).select_related("cohort__programme").order_by()
    )  # sorted by in_showing_order
)


def _current_pair(membership: Membership) -> LearningPair | None:
    """The member's pair now, with its members and step progress."""
    pairs = _CURRENT_PAIR.instances(membership.pk)
    if not pairs:
        return None
    read_progress(pairs[0])
    return pairs[0]


def _upcoming_events(membership: Membership) -> list[Event]:
    """The cohort's next events, each with the member's own reply (my_attendance: a list of 0 or 1)."""
    # One reply per member and event: no ordering, which by default would join event and person.
    mine = Attendance.objects.filter(event=OuterRef("pk"), membership=membership).order_by().values("status")[:1]
    now = timezone.now()
    # The reply read in the same query: an unsaved Attendance carries it to the reply partial.
    events: list[Event] = list(
        Event.objects.for_cohort(membership.cohort).upcoming(now).annotate(my_status=Subquery(mine))[:UPCOMING_EVENTS]
    )
    for event in events:
        status = event.my_status  # type: ignore[attr-defined]
        event.my_attendance = [Attendance(event=event, membership=membership, status=status)] if status else []  # type: ignore[attr-defined]
        event.reply_open = replies_open(event.starts_at, now)  # type: ignore[attr-defined]
    return events


def _programme_page(request: HttpRequest) -> HttpResponse:
    """What each programme is, its partners, and the cohort now recruiting with its call for applications."""
    today = timezone.localdate()
    recruiting = Prefetch(
        "cohorts",
        queryset=Cohort.objects.filter(
            status=Cohort.Status.RECRUITING, applications_open_on__lte=today, applications_close_on__gte=today
        ).order_by("starts_on"),
        to_attr="open_calls",
    )
    programmes = list(Programme.objects.prefetch_related("partners", recruiting))
    return render(request, "dashboard/landing.html", {"programmes": programmes})


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A member's landing page: cohort, pair and partners, current step, commitment, events, outputs, activities."""
    # Every membership read with its commitment figures in one query (a person has a few), the chosen one shown.
    memberships = in_showing_order(_MEMBERSHIPS.instances(request.user.pk))
    membership = pick_membership(memberships, chosen_cohort_id(request))
    context: dict[str, object] = {"membership": membership, "memberships": memberships if len(memberships) > 1 else []}
    if membership is None:
        return render(request, "dashboard/home.html", context)

    is_withdrawn = membership.status == Membership.Status.WITHDRAWN
    is_concluded = membership.cohort.status == Cohort.Status.CONCLUDED
    pair = None if is_withdrawn else _current_pair(membership)
    context.update(
        membership=membership,
        is_withdrawn=is_withdrawn,
        is_concluded=is_concluded,
        commitment=commitment_of(membership),
        pair=pair,
        events=[] if is_withdrawn or is_concluded else _upcoming_events(membership),
        surveys=surveys_to_answer(membership),
    )
    if pair is not None:
        context.update(
            partners=[m for m in pair.current_member_list() if m.membership_id != membership.pk],
            current_step=pair.current_step(),
            outputs=list(Output.objects.filter(pair=pair, archived=False).order_by("due_on", "pk")),
            activities=list(Activity.objects.for_pair(pair).newest_first()[:LATEST_ACTIVITIES]),
        )
    return render(request, "dashboard/home.html", context)
