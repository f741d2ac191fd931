"""The later stages of the scaled programme: pairs and their activities, events with attendance and
insights, outputs, and the largest cohort's survey and report."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from bench.scale.base import LARGEST_COHORT, ScaleCounts, bulk, sentence, share_out
from bench.scale.people import ScaleCohorts, ScalePeople
from cohorts.models import (
    Attendance,
    Event,
    Insight,
    Membership,
    Side,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from outputs.models import Output
from pairs.models import Activity, LearningPair, PairMember, Step, StepProgress
from reports.models import YearEndReport


@dataclass(frozen=True)
class ScalePairs:
    pairs: list[LearningPair]
    # Keyed by id(pair): the two memberships of each pair.
    members_of_pair: dict[int, list[Membership]]


def build_pairs(*, rng: random.Random, counts: ScaleCounts, people: ScalePeople, cohorts: ScaleCohorts) -> ScalePairs:
    """A policymaker with a practitioner, in proportion to cohort size; a few members stay unpaired."""
    largest = cohorts.largest
    pair_counts = share_out(
        counts.pairs, len(cohorts.cohorts), round(counts.pairs * counts.largest_cohort / len(people.people))
    )
    pairs: list[LearningPair] = []
    pair_members: list[PairMember] = []
    members_of_pair: dict[int, list[Membership]] = {}
    for cohort, wanted in zip(cohorts.cohorts, pair_counts, strict=True):
        members = cohorts.memberships_by_cohort[cohort.pk]
        policymakers = [m for m in members if m.side == Side.POLICYMAKER]
        practitioners = [m for m in members if m.side == Side.PRACTITIONER]
        for number, (left, right) in enumerate(zip(policymakers, practitioners, strict=False), start=1):
            if number > wanted:
                break
            pair = LearningPair(
                cohort=cohort,
                number=number,
                question=cohorts.questions_by_cohort[cohort.pk][number % 2],
                angle=sentence(rng, 8),
                status=LearningPair.Status.ACTIVE if cohort is largest else LearningPair.Status.COMPLETED,
            )
            pairs.append(pair)
            members_of_pair[id(pair)] = [left, right]
    bulk(LearningPair, pairs)
    for pair in pairs:
        for membership in members_of_pair[id(pair)]:
            pair_members.append(PairMember(pair=pair, membership=membership, joined_on=pair.cohort.starts_on))
    bulk(PairMember, pair_members)
    bulk(
        StepProgress,
        (
            StepProgress(
                pair=pair,
                step=step,
                status=StepProgress.Status.DONE if step <= 2 else StepProgress.Status.IN_PROGRESS,
                summary=sentence(rng, 20) if step <= 2 else "",
                completed_on=pair.cohort.starts_on + timedelta(days=50 * step) if step <= 2 else None,
            )
            for pair in pairs
            for step in Step
        ),
    )
    return ScalePairs(pairs=pairs, members_of_pair=members_of_pair)


def build_activities(
    *, rng: random.Random, counts: ScaleCounts, people: ScalePeople, pairs: ScalePairs, today: date
) -> None:
    """Activities spread over the pairs, each attended by one or both members, never in the future."""
    kinds = Activity.Kind.values
    activity_pairs = [pairs.pairs[n % len(pairs.pairs)] for n in range(counts.activities)]
    activities = bulk(
        Activity,
        (
            Activity(
                pair=pair,
                kind=kinds[n % len(kinds)],
                occurred_on=min(pair.cohort.starts_on + timedelta(days=rng.randrange(0, 364)), today),
                hours=Decimal(rng.choice(("1.0", "2.0", "3.5", "7.5"))),
                place=f"Scale organisation {rng.randrange(len(people.organisations))}",
                learning=sentence(rng, 25),
                private_notes=sentence(rng, 10),
            )
            for n, pair in enumerate(activity_pairs)
        ),
    )
    members_of_pair = pairs.members_of_pair
    Attendee = Activity.attendees.through
    bulk(
        Attendee,
        (
            Attendee(activity_id=activity.pk, membership_id=membership.pk)
            for activity, pair in zip(activities, activity_pairs, strict=True)
            for membership in (members_of_pair[id(pair)] if activity.pk % 3 else members_of_pair[id(pair)][:1])
        ),
    )


def build_events(
    *, rng: random.Random, counts: ScaleCounts, people: ScalePeople, cohorts: ScaleCohorts
) -> dict[int, list[Event]]:
    """Events, the largest cohort getting its share by size, attendance rows filling members in order."""
    largest = cohorts.largest
    tz = timezone.get_current_timezone()
    event_counts = share_out(
        counts.events, len(cohorts.cohorts), max(round(counts.events * counts.largest_cohort / len(people.people)), 1)
    )
    events: list[Event] = []
    for cohort, wanted in zip(cohorts.cohorts, event_counts, strict=True):
        for n in range(wanted):
            starts_at = datetime.combine(cohort.starts_on + timedelta(days=7 + n * 300 // max(wanted, 1)), time(10), tz)
            events.append(
                Event(
                    cohort=cohort,
                    kind=(Event.Kind.WORKSHOP, Event.Kind.ROUNDTABLE, Event.Kind.OTHER)[n % 3],
                    title=f"{('Workshop', 'Roundtable', 'Session')[n % 3]}: {sentence(rng, 4)}",
                    topic=sentence(rng, 5),
                    question=cohorts.questions_by_cohort[cohort.pk][n % 2],
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=6),
                    length_days=Decimal("1") if n % 3 == 0 else Decimal("0.5"),
                    place="Scale hall",
                    description=sentence(rng, 30),
                )
            )
    bulk(Event, events)
    bulk(
        Event.facilitators.through,
        (
            Event.facilitators.through(event_id=e.pk, user_id=people.facilitator.pk)
            for e in events
            if e.cohort is largest
        ),
    )
    attendance: list[Attendance] = []
    events_by_cohort: dict[int, list[Event]] = {}
    for event in events:
        events_by_cohort.setdefault(event.cohort_id, []).append(event)
    per_event = max(counts.attendance // max(len(events), 1), 1)
    for cohort in cohorts.cohorts:
        members = cohorts.memberships_by_cohort[cohort.pk]
        for event in events_by_cohort.get(cohort.pk, []):
            past = event.ends_at < timezone.now()
            for membership in members[: min(len(members), per_event if cohort is not largest else len(members))]:
                if len(attendance) >= counts.attendance:
                    break
                status = (
                    Attendance.Status.ATTENDED if past and rng.random() < 0.8 else rng.choice(Attendance.Status.values)
                )
                attendance.append(Attendance(event=event, membership=membership, status=status))
    bulk(Attendance, attendance)
    return events_by_cohort


def build_insights(
    *,
    rng: random.Random,
    counts: ScaleCounts,
    people: ScalePeople,
    cohorts: ScaleCohorts,
    events_by_cohort: dict[int, list[Event]],
) -> None:
    """Insights from the largest cohort's events, some by members, some unattributed."""
    largest = cohorts.largest
    largest_members = cohorts.memberships_by_cohort[largest.pk]
    largest_events = events_by_cohort.get(largest.pk, [])
    bulk(
        Insight,
        (
            Insight(
                cohort=largest,
                event=largest_events[n % len(largest_events)] if largest_events else None,
                question=cohorts.questions_by_cohort[largest.pk][n % 2],
                text=sentence(rng, 25),
                speaker=largest_members[n % len(largest_members)] if n % 2 else None,
                recorded_by=people.facilitator,
            )
            for n in range(max(round(600 * (counts.largest_cohort / LARGEST_COHORT)), 10))
        ),
    )


def build_outputs(*, rng: random.Random, counts: ScaleCounts, pairs: ScalePairs) -> None:
    """Drafts and published outputs, a third of the published public."""
    kinds = Output.Kind.values
    now = timezone.now()
    outputs = []
    for n in range(counts.outputs):
        pair = pairs.pairs[n % len(pairs.pairs)]
        published = n % 3 != 2
        outputs.append(
            Output(
                pair=pair,
                question=pair.question,
                kind=kinds[n % len(kinds)],
                title=f"{sentence(rng, 6)[:-1]} ({n})",
                summary=sentence(rng, 30),
                body="\n\n".join(sentence(rng, 60) for _ in range(4)),
                status=Output.Status.PUBLISHED if published else Output.Status.DRAFTING,
                published_at=now - timedelta(days=n % 700) if published else None,
                visibility=Output.Visibility.PUBLIC if published and n % 2 == 0 else Output.Visibility.COHORT,
                featured=published and n % 50 == 0,
            )
        )
    bulk(Output, outputs)


def build_survey_and_report(*, rng: random.Random, people: ScalePeople, cohorts: ScaleCohorts) -> None:
    """The largest cohort's end-of-year survey, answered by most members, and its report draft."""
    largest = cohorts.largest
    now = timezone.now()
    survey = Survey.objects.create(
        cohort=largest,
        title="End-of-year evaluation",
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=30),
    )
    survey_questions = bulk(
        SurveyQuestion,
        [
            SurveyQuestion(
                survey=survey, order=1, text="The programme changed how I work.", kind=SurveyQuestion.Kind.SCALE
            ),
            SurveyQuestion(survey=survey, order=2, text="Would you recommend it?", kind=SurveyQuestion.Kind.YES_NO),
            SurveyQuestion(survey=survey, order=3, text="What would you change?", kind=SurveyQuestion.Kind.TEXT),
        ],
    )
    responses = bulk(
        SurveyResponse,
        (SurveyResponse(survey=survey, membership=m) for m in cohorts.memberships_by_cohort[largest.pk] if m.pk % 5),
    )
    bulk(
        SurveyAnswer,
        (
            answer
            for response in responses
            for answer in (
                SurveyAnswer(response=response, question=survey_questions[0], scale_value=rng.randint(1, 5)),
                SurveyAnswer(response=response, question=survey_questions[1], yes_no_value=rng.random() < 0.85),
                SurveyAnswer(response=response, question=survey_questions[2], text_value=sentence(rng, 12)),
            )
        ),
    )
    YearEndReport.objects.create(
        cohort=largest,
        title=f"{largest.programme.name} {largest.name}: what we learned",
        executive_summary=sentence(rng, 80),
        introduction=sentence(rng, 80),
        lessons=sentence(rng, 80),
        conclusion=sentence(rng, 80),
        updated_by=people.facilitator,
    )
