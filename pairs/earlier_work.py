"""A member who moved pairs keeps reading their own earlier step work, read-only, marked with the old pair.

Only that member sees it on their new pair's page (the cohort's staff read the old pair itself); the new
partner never does, and nobody sees the old pair's activities or private notes here.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch

from programme.models import User

from .models import LearningPair, PairMember, PairMemberQuerySet, StepComment, StepProgress


def _past_seats(user: User, cohort_id: int | OuterRef, pair: LearningPair | OuterRef) -> PairMemberQuerySet:
    return PairMember.objects.filter(
        membership__user=user, membership__cohort_id=cohort_id, left_on__isnull=False
    ).exclude(pair=pair)


def has_earlier_seats(user: User) -> Exists:
    """Whether the user has earlier seats in the cohort of the pair being read, to annotate on the pair's query:
    most people never moved, and then earlier_seats() need not ask."""
    return Exists(_past_seats(user, OuterRef("cohort_id"), OuterRef("pk")))


def earlier_seats(user: User, pair: LearningPair) -> list[PairMember]:
    """The user's past seats in other pairs of this pair's cohort, each with its pair's steps and comments
    (three queries however many seats, steps or comments; none when the pair's query said there are none)."""
    if getattr(pair, "user_has_earlier_seats", True) is False:
        return []
    return list(
        _past_seats(user, pair.cohort_id, pair)
        .select_related("pair")
        .prefetch_related(
            Prefetch(
                "pair__steps",
                queryset=StepProgress.objects.order_by("step").prefetch_related(
                    Prefetch("comments", queryset=StepComment.objects.in_order())
                ),
            )
        )
        .order_by("joined_on", "pk")
    )
