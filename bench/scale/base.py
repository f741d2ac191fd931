"""The sizes of the scaled programme and the small helpers every stage of building it shares."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from cohorts.models import Cohort
from programme.models import User

SCALE_SLUG_PREFIX = "scale-"
SCALE_PASSWORD = "pairwise-scale"
SCALE_LOGINS = (
    ("manager@scale.test", "programme manager (superuser)"),
    ("facilitator@scale.test", "facilitator of the largest cohort"),
    ("member@scale.test", "member of a pair in the largest cohort"),
)
BATCH = 5_000

# The 100x programme (scale 1).
COHORTS = 50
PEOPLE = 1_500
LARGEST_COHORT = 300
PAIRS = 700
ACTIVITIES = 100_000
EVENTS = 400
ATTENDANCE = 30_000
OUTPUTS = 2_000
PROGRAMMES = 5

WORDS = tuple(
    "housing homelessness employment youth health care social prescribing community safety debt advice "  # noqa: SIM905
    "benefits skills apprenticeships loneliness carers mental wellbeing children families schools "
    "transport planning energy poverty food volunteering libraries digital inclusion prison probation".split()
)


@dataclass(frozen=True)
class ScaleCounts:
    cohorts: int
    people: int
    largest_cohort: int
    pairs: int
    activities: int
    events: int
    attendance: int
    outputs: int

    @classmethod
    def at(cls, scale: float) -> ScaleCounts:
        def n(full: int, floor: int) -> int:
            return max(floor, round(full * scale))

        cohorts = n(COHORTS, 2)
        largest = n(LARGEST_COHORT, 8)
        people = max(n(PEOPLE, 16), largest + 4 * (cohorts - 1))
        return cls(
            cohorts=cohorts,
            people=people,
            largest_cohort=largest,
            pairs=min(n(PAIRS, 6), people // 2),
            activities=n(ACTIVITIES, 40),
            events=n(EVENTS, 4),
            attendance=n(ATTENDANCE, 20),
            outputs=n(OUTPUTS, 8),
        )


@dataclass(frozen=True)
class ScaleProgramme:
    counts: ScaleCounts
    largest: Cohort
    manager: User
    facilitator: User
    member: User


def bulk[M: models.Model](model: type[M], rows: Iterable[M]) -> list[M]:
    return model._default_manager.bulk_create(list(rows), batch_size=BATCH)


def share_out(total: int, parts: int, first: int) -> list[int]:
    """`total` shared over `parts`, the first part getting `first` and the rest as evenly as can be."""
    rest = max(total - first, 0)
    others = parts - 1
    return [first] + [rest // others + (1 if i < rest % others else 0) for i in range(others)] if others else [total]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."
