"""The cohort directory: who is in my cohort, where they work, their pair and interests."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cohorts.models import Membership
from cohorts.permissions import chosen_cohort_id, current_membership, staff_cohorts
from programme.models import User
from programme.typing import AuthenticatedHttpRequest

from ..models import LearningPair, PairMember
from ..permissions import get_cohort_for_directory

DIRECTORY_PAGE_SIZE = 50


def _interest_names(user_ids: list[int]) -> dict[int, list[str]]:
    """Each person's interests by name, in name order: one query of names, not a prefetch of fifty people's areas."""
    names: dict[int, list[str]] = {}
    rows = (
        User.interests.through.objects.filter(user_id__in=user_ids)
        .order_by("policyarea__name")
        .values_list("user_id", "policyarea__name")
    )
    for user_id, name in rows:
        names.setdefault(user_id, []).append(name)
    return names


@login_required
def my_directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The directory of the user's own cohort (or, for staff, the latest cohort they run)."""
    membership = current_membership(request.user, cohort_id=chosen_cohort_id(request))
    if membership is not None and membership.is_current:
        return redirect("pairs:directory", cohort_pk=membership.cohort_id)
    cohort = staff_cohorts(request.user).order_by("-starts_on").first()
    if cohort is None:
        raise Http404("You are not in a cohort")
    return redirect("pairs:directory", cohort_pk=cohort.pk)


@login_required
def directory(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """Current members of the cohort with organisation, side, pair and interests; contact details if shared."""
    cohort = get_cohort_for_directory(request.user, cohort_pk)
    query = request.GET.get("q", "").strip()
    shape = cohort.shape
    # Filters by side and by the organisation's sector, in the programme's own terms; an unknown code is ignored.
    side = request.GET.get("side", "")
    side = side if side in shape.sides.codes() else ""
    sector = request.GET.get("sector", "")
    sector = sector if sector in shape.sectors.codes() else ""
    members = Membership.objects.for_cohort(cohort).current().order_by("user__full_name", "pk")
    for word in query.split():
        matches = (
            Q(user__full_name__icontains=word)
            | Q(user__job_title__icontains=word)
            | Q(user__organisation__name__icontains=word)
            | Q(user__interests__name__icontains=word)
        )
        # Matched within the cohort: the same rows, without matching every membership of every cohort first.
        members = members.filter(pk__in=Membership.objects.for_cohort(cohort).filter(matches).values("pk"))
    if side:
        members = members.filter(side=side)
    if sector:
        members = members.filter(user__organisation__sector=sector)
    # The search runs once, for the ids of a cohort's matches in order (a few hundred at most); the page is then
    # read by id, where a paginated queryset would run the search twice (count, then page).
    page = Paginator(list(members.values_list("pk", flat=True)), DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    seat = PairMember.objects.current().filter(membership=OuterRef("pk")).order_by()[:1]
    shown = Membership.objects.filter(pk__in=page.object_list).select_related("user__organisation")
    # A member is in one pair at a time (one_current_pair_per_member): its number read in the same query.
    shown = shown.annotate(
        current_pair_pk=Subquery(seat.values("pair_id")), current_pair_number=Subquery(seat.values("pair__number"))
    )
    by_id = {member.pk: member for member in shown.order_by()}
    rows = [by_id[pk] for pk in page.object_list]
    page.object_list = rows  # type: ignore[assignment]  # the page's members, in the search's order
    interests = _interest_names([member.user_id for member in rows])
    for member in rows:
        member.interest_names = interests.get(member.user_id, [])  # type: ignore[attr-defined]  # read by the template
        # The pair as the template labels it ("Pair 3", in the programme's word), from the annotated columns.
        pair_pk, number = member.current_pair_pk, member.current_pair_number
        member.current_pair = LearningPair(pk=pair_pk, cohort_id=cohort.pk, number=number) if pair_pk else None  # type: ignore[attr-defined]
    return render(
        request,
        "pairs/directory.html",
        {
            "cohort": cohort,
            "page": page,
            "query": query,
            "side": side,
            "sector": sector,
            "sides": shape.sides.current(),
            "sectors": shape.sectors.current(),
            "filtered": bool(query or side or sector),
        },
    )
