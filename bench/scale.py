"""Build a programme many times the real one, in bulk, for benchmarks and the backup drill.

At scale 1 it is the 100x programme of issue 19: 50 cohorts, 1,500 people, 700 pairs, 100,000
activities, 400 events with 30,000 attendance rows and 2,000 outputs, the largest cohort having
300 members. Other scales multiply every count (with small floors, so scale 0.01 still has a
cohort with pairs, events and outputs). Rows go in through bulk_create: history is not recorded
for them, which is what a fresh import of old data looks like too.

The builders are here rather than in an app so that no app depends on benchmark code; the
`load_scale` management command (demo/management/commands/load_scale.py) calls `scale_load`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from cohorts.models import (
    Attendance,
    Cohort,
    Event,
    Finding,
    Insight,
    Membership,
    Question,
    Side,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from outputs.models import Output
from pairs.models import Activity, LearningPair, PairMember, Step, StepDeadline, StepProgress
from programme.models import Organisation, PolicyArea, Programme, Sector, User
from reports.models import YearEndReport

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


def _bulk[M: models.Model](model: type[M], rows: Iterable[M]) -> list[M]:
    return model._default_manager.bulk_create(list(rows), batch_size=BATCH)


def _split(total: int, parts: int, first: int) -> list[int]:
    """`total` shared over `parts`, the first part getting `first` and the rest as evenly as can be."""
    rest = max(total - first, 0)
    others = parts - 1
    return [first] + [rest // others + (1 if i < rest % others else 0) for i in range(others)] if others else [total]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def scale_exists() -> bool:
    return Programme.objects.filter(slug__startswith=SCALE_SLUG_PREFIX).exists()


@transaction.atomic
def scale_load(*, scale: float = 1.0, seed: int = 2015) -> ScaleProgramme:
    """Create the scaled programme with its three logins; the caller ensures it is not there yet."""
    rng = random.Random(seed)
    counts = ScaleCounts.at(scale)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    password = make_password(SCALE_PASSWORD)

    areas = _bulk(PolicyArea, (PolicyArea(name=f"scale area {n}") for n in range(40)))
    organisations = _bulk(
        Organisation,
        (
            Organisation(name=f"Scale organisation {n}", sector=Sector.values[n % len(Sector.values)])
            for n in range(max(counts.people // 4, 8))
        ),
    )

    # People: three logins first, then members. Everyone but the logins gets an unusable password.
    manager, facilitator, member = _bulk(
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
    others = _bulk(
        User,
        (
            User(
                email=f"person{n}@scale.test",
                full_name=f"{rng.choice(WORDS).title()} Person {n:05d}",
                job_title=rng.choice(("Policy adviser", "Service manager", "Caseworker", "Analyst")),
                organisation=organisations[n % len(organisations)],
                bio=_sentence(rng, 12),
                password="!",  # unusable: only the three logins sign in
            )
            for n in range(1, counts.people)
        ),
    )
    people = [member, *others]
    Interest = User.interests.through
    _bulk(
        Interest,
        (Interest(user_id=person.pk, policyarea_id=area.pk) for person in people for area in rng.sample(areas, 3)),
    )

    # Programmes and cohorts: the largest cohort runs now, the rest concluded in earlier years.
    programmes = _bulk(
        Programme,
        (
            Programme(name=f"Scale programme {n}", slug=f"{SCALE_SLUG_PREFIX}{n}", description=_sentence(rng, 20))
            for n in range(min(PROGRAMMES, counts.cohorts))
        ),
    )
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
    _bulk(Cohort, cohorts)
    largest = cohorts[0]
    largest.facilitators.add(facilitator)

    questions_by_cohort = {
        cohort.pk: _bulk(
            Question,
            (
                Question(
                    cohort=cohort, short_title=f"Question {n}: {_sentence(rng, 3)}", text=_sentence(rng, 15), order=n
                )
                for n in (1, 2)
            ),
        )
        for cohort in cohorts
    }
    _bulk(
        Finding,
        (
            Finding(question=question, title=_sentence(rng, 6), body=_sentence(rng, 60), order=n)
            for questions in questions_by_cohort.values()
            for question in questions
            for n in (1, 2, 3)
        ),
    )
    _bulk(
        StepDeadline,
        (
            StepDeadline(cohort=cohort, step=step, due_on=cohort.starts_on + timedelta(days=60 * step))
            for cohort in cohorts
            for step in Step
        ),
    )

    # Memberships: the largest cohort first, everyone in exactly one cohort, sides alternating.
    sizes = _split(len(people), len(cohorts), counts.largest_cohort)
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
            for n, person in enumerate(people[start : start + size])
        ]
        start += size
    _bulk(Membership, (m for members in memberships_by_cohort.values() for m in members))

    # Pairs: a policymaker with a practitioner, in proportion to cohort size; a few members stay unpaired.
    pair_counts = _split(counts.pairs, len(cohorts), round(counts.pairs * counts.largest_cohort / len(people)))
    pairs: list[LearningPair] = []
    pair_members: list[PairMember] = []
    members_of_pair: dict[int, list[Membership]] = {}
    for cohort, wanted in zip(cohorts, pair_counts, strict=True):
        members = memberships_by_cohort[cohort.pk]
        policymakers = [m for m in members if m.side == Side.POLICYMAKER]
        practitioners = [m for m in members if m.side == Side.PRACTITIONER]
        for number, (left, right) in enumerate(zip(policymakers, practitioners, strict=False), start=1):
            if number > wanted:
                break
            pair = LearningPair(
                cohort=cohort,
                number=number,
                question=questions_by_cohort[cohort.pk][number % 2],
                angle=_sentence(rng, 8),
                status=LearningPair.Status.ACTIVE if cohort is largest else LearningPair.Status.COMPLETED,
            )
            pairs.append(pair)
            members_of_pair[id(pair)] = [left, right]
    _bulk(LearningPair, pairs)
    for pair in pairs:
        for membership in members_of_pair[id(pair)]:
            pair_members.append(PairMember(pair=pair, membership=membership, joined_on=pair.cohort.starts_on))
    _bulk(PairMember, pair_members)
    _bulk(
        StepProgress,
        (
            StepProgress(
                pair=pair,
                step=step,
                status=StepProgress.Status.DONE if step <= 2 else StepProgress.Status.IN_PROGRESS,
                summary=_sentence(rng, 20) if step <= 2 else "",
                completed_on=pair.cohort.starts_on + timedelta(days=50 * step) if step <= 2 else None,
            )
            for pair in pairs
            for step in Step
        ),
    )

    # Activities, spread over the pairs, each attended by one or both members, never in the future.
    kinds = Activity.Kind.values
    activity_pairs = [pairs[n % len(pairs)] for n in range(counts.activities)]
    activities = _bulk(
        Activity,
        (
            Activity(
                pair=pair,
                kind=kinds[n % len(kinds)],
                occurred_on=min(pair.cohort.starts_on + timedelta(days=rng.randrange(0, 364)), today),
                hours=Decimal(rng.choice(("1.0", "2.0", "3.5", "7.5"))),
                place=f"Scale organisation {rng.randrange(len(organisations))}",
                learning=_sentence(rng, 25),
                private_notes=_sentence(rng, 10),
            )
            for n, pair in enumerate(activity_pairs)
        ),
    )
    Attendee = Activity.attendees.through
    _bulk(
        Attendee,
        (
            Attendee(activity_id=activity.pk, membership_id=membership.pk)
            for activity, pair in zip(activities, activity_pairs, strict=True)
            for membership in (members_of_pair[id(pair)] if activity.pk % 3 else members_of_pair[id(pair)][:1])
        ),
    )

    # Events: the largest cohort gets its share by size, attendance rows filling members in order.
    event_counts = _split(
        counts.events, len(cohorts), max(round(counts.events * counts.largest_cohort / len(people)), 1)
    )
    events: list[Event] = []
    for cohort, wanted in zip(cohorts, event_counts, strict=True):
        for n in range(wanted):
            starts_at = datetime.combine(cohort.starts_on + timedelta(days=7 + n * 300 // max(wanted, 1)), time(10), tz)
            events.append(
                Event(
                    cohort=cohort,
                    kind=(Event.Kind.WORKSHOP, Event.Kind.ROUNDTABLE, Event.Kind.OTHER)[n % 3],
                    title=f"{('Workshop', 'Roundtable', 'Session')[n % 3]}: {_sentence(rng, 4)}",
                    topic=_sentence(rng, 5),
                    question=questions_by_cohort[cohort.pk][n % 2],
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=6),
                    length_days=Decimal("1") if n % 3 == 0 else Decimal("0.5"),
                    place="Scale hall",
                    description=_sentence(rng, 30),
                )
            )
    _bulk(Event, events)
    _bulk(
        Event.facilitators.through,
        (Event.facilitators.through(event_id=e.pk, user_id=facilitator.pk) for e in events if e.cohort is largest),
    )
    attendance: list[Attendance] = []
    events_by_cohort: dict[int, list[Event]] = {}
    for event in events:
        events_by_cohort.setdefault(event.cohort_id, []).append(event)
    per_event = max(counts.attendance // max(len(events), 1), 1)
    for cohort in cohorts:
        members = memberships_by_cohort[cohort.pk]
        for event in events_by_cohort.get(cohort.pk, []):
            past = event.ends_at < timezone.now()
            for membership in members[: min(len(members), per_event if cohort is not largest else len(members))]:
                if len(attendance) >= counts.attendance:
                    break
                status = (
                    Attendance.Status.ATTENDED if past and rng.random() < 0.8 else rng.choice(Attendance.Status.values)
                )
                attendance.append(Attendance(event=event, membership=membership, status=status))
    _bulk(Attendance, attendance)

    # Insights from the largest cohort's events, some by members, some unattributed.
    largest_members = memberships_by_cohort[largest.pk]
    largest_events = events_by_cohort.get(largest.pk, [])
    _bulk(
        Insight,
        (
            Insight(
                cohort=largest,
                event=largest_events[n % len(largest_events)] if largest_events else None,
                question=questions_by_cohort[largest.pk][n % 2],
                text=_sentence(rng, 25),
                speaker=largest_members[n % len(largest_members)] if n % 2 else None,
                recorded_by=facilitator,
            )
            for n in range(max(round(600 * (counts.largest_cohort / LARGEST_COHORT)), 10))
        ),
    )

    # Outputs: drafts and published ones, a third of the published public.
    kinds = Output.Kind.values
    now = timezone.now()
    outputs = []
    for n in range(counts.outputs):
        pair = pairs[n % len(pairs)]
        published = n % 3 != 2
        outputs.append(
            Output(
                pair=pair,
                question=pair.question,
                kind=kinds[n % len(kinds)],
                title=f"{_sentence(rng, 6)[:-1]} ({n})",
                summary=_sentence(rng, 30),
                body="\n\n".join(_sentence(rng, 60) for _ in range(4)),
                status=Output.Status.PUBLISHED if published else Output.Status.DRAFTING,
                published_at=now - timedelta(days=n % 700) if published else None,
                visibility=Output.Visibility.PUBLIC if published and n % 2 == 0 else Output.Visibility.COHORT,
                featured=published and n % 50 == 0,
            )
        )
    _bulk(Output, outputs)

    # The largest cohort's end-of-year survey, answered by most members, and its report draft.
    survey = Survey.objects.create(
        cohort=largest,
        title="End-of-year evaluation",
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=30),
    )
    survey_questions = _bulk(
        SurveyQuestion,
        [
            SurveyQuestion(
                survey=survey, order=1, text="The programme changed how I work.", kind=SurveyQuestion.Kind.SCALE
            ),
            SurveyQuestion(survey=survey, order=2, text="Would you recommend it?", kind=SurveyQuestion.Kind.YES_NO),
            SurveyQuestion(survey=survey, order=3, text="What would you change?", kind=SurveyQuestion.Kind.TEXT),
        ],
    )
    responses = _bulk(
        SurveyResponse, (SurveyResponse(survey=survey, membership=m) for m in largest_members if m.pk % 5)
    )
    _bulk(
        SurveyAnswer,
        (
            answer
            for response in responses
            for answer in (
                SurveyAnswer(response=response, question=survey_questions[0], scale_value=rng.randint(1, 5)),
                SurveyAnswer(response=response, question=survey_questions[1], yes_no_value=rng.random() < 0.85),
                SurveyAnswer(response=response, question=survey_questions[2], text_value=_sentence(rng, 12)),
            )
        ),
    )
    YearEndReport.objects.create(
        cohort=largest,
        title=f"{largest.programme.name} {largest.name}: what we learned",
        executive_summary=_sentence(rng, 80),
        introduction=_sentence(rng, 80),
        lessons=_sentence(rng, 80),
        conclusion=_sentence(rng, 80),
        updated_by=facilitator,
    )
    return ScaleProgramme(counts=counts, largest=largest, manager=manager, facilitator=facilitator, member=member)


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
