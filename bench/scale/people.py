"""The first stages of the scaled programme: people with their organisations, then programmes, cohorts
and memberships."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password

from bench.scale.base import (
    PROGRAMMES,
    SCALE_LOGINS,
    SCALE_PASSWORD,
    SCALE_SLUG_PREFIX,
    WORDS,
    ScaleCounts,
    bulk,
    sentence,
    share_out,
)
from cohorts.models import Cohort, Finding, Membership, Question, Side
from pairs.models import Step, StepDeadline
from programme.models import Organisation, PolicyArea, Programme, SectorCode, User
from programme.services import shape_create_default


@dataclass(frozen=True)
class ScalePeople:
    organisations: list[Organisation]
    manager: User
    facilitator: User
    member: User
    # The member login first, then everyone without a login; the manager and facilitator join no cohort.
    people: list[User]


@dataclass(frozen=True)
class ScaleCohorts:
    # The largest cohort first.
    cohorts: list[Cohort]
    questions_by_cohort: dict[int, list[Question]]
    memberships_by_cohort: dict[int, list[Membership]]

    @property
    def largest(self) -> Cohort:
        return self.cohorts[0]


def build_people(*, rng: random.Random, counts: ScaleCounts) -> ScalePeople:
    """Policy areas, organisations and people: three logins first, then members with unusable passwords."""
    password = make_password(SCALE_PASSWORD)
    areas = bulk(PolicyArea, (PolicyArea(name=f"scale area {n}") for n in range(40)))
    organisations = bulk(
        Organisation,
        (
            Organisation(name=f"Scale organisation {n}", sector=SectorCode.values[n % len(SectorCode.values)])
            for n in range(max(counts.people // 4, 8))
        ),
    )
    manager, facilitator, member = bulk(
        User,
        [
            User(
                email=SCALE_LOGINS[0][0], full_name="Scale Manager", password=password, is_staff=True, is_superuser=True
            ),
            User(email=SCALE_LOGINS[1][0], full_name="Scale Facilitator", password=password, is_staff=False),
            User(
                email=SCALE_LOGINS[2][0],
                full_name="Aaron Scale-Member",
                password=password,
                organisation=organisations[0],
            ),
        ],
    )
    others = bulk(
        User,
        (
            User(
                email=f"person{n}@scale.test",
                full_name=f"{rng.choice(WORDS).title()} Person {n:05d}",
                job_title=rng.choice(("Policy adviser", "Service manager", "Caseworker", "Analyst")),
                organisation=organisations[n % len(organisations)],
                bio=sentence(rng, 12),
                password="!",  # unusable: only the three logins sign in
            )
            for n in range(1, counts.people)
        ),
    )
    people = [member, *others]
    Interest = User.interests.through
    bulk(
        Interest,
        (Interest(user_id=person.pk, policyarea_id=area.pk) for person in people for area in rng.sample(areas, 3)),
    )
    return ScalePeople(
        organisations=organisations, manager=manager, facilitator=facilitator, member=member, people=people
    )


def build_cohorts(*, rng: random.Random, counts: ScaleCounts, people: ScalePeople, today: date) -> ScaleCohorts:
    """Programmes and cohorts with their questions, findings and deadlines, and everyone in one cohort."""
    # The largest cohort runs now, the rest concluded in earlier years.
    programmes = bulk(
        Programme,
        (
            Programme(name=f"Scale programme {n}", slug=f"{SCALE_SLUG_PREFIX}{n}", description=sentence(rng, 20))
            for n in range(min(PROGRAMMES, counts.cohorts))
        ),
    )
    for programme in programmes:  # bulk inserts send no signal: give each the default shape here
        shape_create_default(programme=programme)
    # The largest cohort is the newest of the first programme; it alone is running.
    largest_index = max(i for i in range(counts.cohorts) if i % len(programmes) == 0)
    cohorts: list[Cohort] = []
    for index in range(counts.cohorts):
        programme = programmes[index % len(programmes)]
        number = index // len(programmes) + 1
        years_ago = counts.cohorts // len(programmes) - number
        starts_on = today - timedelta(days=200 + 365 * years_ago)
        cohorts.append(
            Cohort(
                programme=programme,
                name=f"{starts_on.year}-{(starts_on.year + 1) % 100:02d}",
                number=number,
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=364),
                status=Cohort.Status.RUNNING if index == largest_index else Cohort.Status.CONCLUDED,
            )
        )
    cohorts.insert(0, cohorts.pop(largest_index))
    bulk(Cohort, cohorts)
    largest = cohorts[0]
    largest.facilitators.add(people.facilitator)

    questions_by_cohort = {
        cohort.pk: bulk(
            Question,
            (
                Question(
                    cohort=cohort, short_title=f"Question {n}: {sentence(rng, 3)}", text=sentence(rng, 15), order=n
                )
                for n in (1, 2)
            ),
        )
        for cohort in cohorts
    }
    bulk(
        Finding,
        (
            Finding(question=question, title=sentence(rng, 6), body=sentence(rng, 60), order=n)
            for questions in questions_by_cohort.values()
            for question in questions
            for n in (1, 2, 3)
        ),
    )
    bulk(
        StepDeadline,
        (
            StepDeadline(cohort=cohort, step=step, due_on=cohort.starts_on + timedelta(days=60 * step))
            for cohort in cohorts
            for step in Step
        ),
    )

    # Memberships: the largest cohort first, everyone in exactly one cohort, sides alternating.
    sizes = share_out(len(people.people), len(cohorts), counts.largest_cohort)
    memberships_by_cohort: dict[int, list[Membership]] = {}
    start = 0
    for cohort, size in zip(cohorts, sizes, strict=True):
        questions = questions_by_cohort[cohort.pk]
        memberships_by_cohort[cohort.pk] = [
            Membership(
                cohort=cohort,
                user=person,
                side=Side.POLICYMAKER if n % 2 == 0 else Side.PRACTITIONER,
                status=Membership.Status.ACTIVE if cohort is largest else Membership.Status.COMPLETED,
                joined_on=cohort.starts_on,
                preferred_question=questions[n % 2],
            )
            for n, person in enumerate(people.people[start : start + size])
        ]
        start += size
    bulk(Membership, (m for members in memberships_by_cohort.values() for m in members))
    return ScaleCohorts(
        cohorts=cohorts, questions_by_cohort=questions_by_cohort, memberships_by_cohort=memberships_by_cohort
    )
