"""A pair's steps with their due dates, read for one pair's page from SQL compiled once per process."""

from __future__ import annotations

from programme.compiled import CompiledModelQuery

from .models import LearningPair, StepProgress

# The steps as LearningPairQuerySet.with_progress() prefetches them (programme.compiled): the due dates'
# subqueries cost more to build and compile than to run.
_STEPS_WITH_DUE_DATES = CompiledModelQuery(
    lambda pair_id: (
        StepProgress.objects.filter(pair_id=pair_id).with_due_dates().select_related("completed_by").order_by("step")
    )
)


def read_progress(pair: LearningPair) -> list[StepProgress]:
    """Read the pair's steps with their due dates into pair.steps.all(), as with_progress() would prefetch them."""
    steps = _STEPS_WITH_DUE_DATES.instances(pair.pk)
    for step in steps:
        step.pair = pair  # as a prefetch sets it
    prefetched = pair.steps.all()
    prefetched._result_cache = steps
    prefetched._prefetch_done = True  # type: ignore[attr-defined]
    pair.__dict__.setdefault("_prefetched_objects_cache", {})["steps"] = prefetched
    return steps
