"""A member who moved pairs keeps reading their own earlier step work, read-only, marked with the old pair.

Only that member sees it on their new pair's page (the cohort's staff read the old pair itself); the new
partner never does, and nobody sees the old pair's activities or private notes here.
"""

from __future__ import annotations

from django.db.models import Prefetch

from programme.models import User

from .models import LearningPair, PairMember, StepComment, StepProgress


def earlier_seats(user: User, pair: LearningPair) -> list[PairMember]:
    """The user's past seats in other pairs of this pair's cohort, each with its pair's steps and comments
    (three queries however many seats, steps or comments)."""
    return list(
        PairMember.objects.filter(membership__user=user, membership__cohort_id=pair.cohort_id, left_on__isnull=False)
        .exclude(pair=pair)
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
