"""Build a programme many times the real one, in bulk, for benchmarks and the backup drill.

At scale 1 it is the 100x programme of issue 19: 50 cohorts, 1,500 people, 700 pairs, 100,000
activities, 400 events with 30,000 attendance rows and 2,000 outputs, the largest cohort having
300 members. Other scales multiply every count (with small floors, so scale 0.01 still has a
cohort with pairs, events and outputs). Rows go in through bulk_create: history is not recorded
for them, which is what a fresh import of old data looks like too.

The builders are here rather than in an app so that no app depends on benchmark code; the
`load_scale` management command (demo/management/commands/load_scale.py) calls `scale_load`.
`people` builds people, cohorts and memberships; `work` builds what the pairs and cohorts then do.
Every stage draws from one seeded random stream in a fixed order, so a seed gives the same data.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from bench.scale.base import (
    SCALE_LOGINS,
    SCALE_PASSWORD,
    SCALE_SLUG_PREFIX,
    ScaleCounts,
    ScaleProgramme,
)
from bench.scale.people import build_cohorts, build_people
from bench.scale.work import (
    build_activities,
    build_events,
    build_insights,
    build_outputs,
    build_pairs,
    build_survey_and_report,
)
from cohorts.models import Attendance, Cohort, Event
from outputs.library_cache import library_changed
from outputs.models import Output
from pairs.commitment import commitment_totals_refresh_all
from pairs.models import Activity, LearningPair
from programme.models import Programme, User

__all__ = [
    "SCALE_LOGINS",
    "SCALE_PASSWORD",
    "SCALE_SLUG_PREFIX",
    "ScaleCounts",
    "ScaleProgramme",
    "scale_exists",
    "scale_load",
    "scale_row_counts",
]


def scale_exists() -> bool:
    return Programme.objects.filter(slug__startswith=SCALE_SLUG_PREFIX).exists()


@transaction.atomic
def scale_load(*, scale: float = 1.0, seed: int = 2015) -> ScaleProgramme:
    """Create the scaled programme with its three logins; the caller ensures it is not there yet."""
    rng = random.Random(seed)
    counts = ScaleCounts.at(scale)
    today = timezone.localdate()

    people = build_people(rng=rng, counts=counts)
    cohorts = build_cohorts(rng=rng, counts=counts, people=people, today=today)
    pairs = build_pairs(rng=rng, counts=counts, people=people, cohorts=cohorts)
    build_activities(rng=rng, counts=counts, people=people, pairs=pairs, today=today)
    events_by_cohort = build_events(rng=rng, counts=counts, people=people, cohorts=cohorts)
    build_insights(rng=rng, counts=counts, people=people, cohorts=cohorts, events_by_cohort=events_by_cohort)
    build_outputs(rng=rng, counts=counts, pairs=pairs)
    build_survey_and_report(rng=rng, people=people, cohorts=cohorts)
    commitment_totals_refresh_all()  # nor do the stored commitment totals follow the attendance and activities
    library_changed()  # bulk_create sends no signals: a running server's kept library pages are now old
    return ScaleProgramme(
        counts=counts,
        largest=cohorts.largest,
        manager=people.manager,
        facilitator=people.facilitator,
        member=people.member,
    )


def scale_row_counts() -> dict[str, int]:
    """The counts issue 19 names, as built."""
    return {
        "cohorts": Cohort.objects.count(),
        "people": User.objects.count(),
        "pairs": LearningPair.objects.count(),
        "activities": Activity.objects.count(),
        "events": Event.objects.count(),
        "attendance": Attendance.objects.count(),
        "outputs": Output.objects.count(),
    }
