"""Loading the demo's 2014-15 year: events and replies, insights, pairs with their steps and activities,
outputs, the report's draft and the surveys, from the content in demo.content, through the owning apps' services."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cohorts.models import (
    Attendance,
    Cohort,
    Event,
    ExternalGuest,
    Insight,
    Membership,
    Side,
    Survey,
    SurveyQuestion,
)
from cohorts.services import (
    attendance_mark,
    attendance_reply,
    event_create,
    guest_add,
    insight_record,
)
from cohorts.surveys import survey_create, survey_question_add, survey_response_save
from outputs.models import Output
from outputs.services import (
    output_create,
    output_feature,
    output_publish,
    output_send_back,
    output_submit_for_review,
)
from pairs.models import Activity, LearningPair, PairMember, Step, StepProgress
from pairs.services import activity_create, member_move, membership_withdraw, pair_create, step_update
from pairs.statuses import pair_statuses_update
from programme.models import User
from reports.services import report_save_narrative

from .content import (
    END_OF_YEAR_QUESTIONS,
    INSIGHTS_2014,
    MID_YEAR_QUESTIONS,
    OUTPUTS_2014,
    PAIRS_2014,
    ROUNDTABLES_2014,
    WORKSHOPS_2014,
    PairPlan,
    Visit,
)

PM, PR = Side.POLICYMAKER, Side.PRACTITIONER
SQ = SurveyQuestion.Kind
# Pairs of 2014-15 with a story: the personas' pairs, a trio, a dissolved and a stalled pair.
PAIR_DEMO, PAIR_OTHER, PAIR_TRIO, PAIR_DISSOLVED, PAIR_STALLED = 6, 7, 9, 10, 11
WITHDRAWN, WITHDRAWN_DAYS, MOVED, MOVED_DAYS = "richard", -50, "bernadette", -40
CARLTON_GARDENS = "Institute for Government, 2 Carlton Gardens, London SW1Y 5AA"


def days_from(today: date, days: int) -> date:
    return today + timedelta(days=days)


def at_time(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def load_events(
    cohort: Cohort, people: dict[str, User], memberships: dict[str, Membership], *, today: date, rng: random.Random
) -> dict[str, Event]:
    """Four workshops (3.5 days in all) and three roundtables with guests, and who came or replied."""
    questions = list(cohort.questions.order_by("order"))
    facilitator = people["facilitator"]
    events: dict[str, Event] = {}
    for number, (days, length, title, topic) in enumerate(WORKSHOPS_2014, start=1):
        day = days_from(today, days)
        event = event_create(
            cohort=cohort,
            by=facilitator,
            kind=Event.Kind.WORKSHOP,
            title=title,
            topic=topic,
            starts_at=at_time(day, 9, 30),
            ends_at=at_time(day, 13 if length == "0.5" else 17),
            length_days=Decimal(length),
            place=CARLTON_GARDENS,
        )
        event.facilitators.add(people["manager"])
        events[f"W{number}"] = event
    for number, (days, question, title, topic, guests) in enumerate(ROUNDTABLES_2014, start=1):
        day = days_from(today, days)
        events[f"R{number}"] = event = event_create(
            cohort=cohort,
            by=facilitator,
            kind=Event.Kind.ROUNDTABLE,
            title=title,
            topic=topic,
            question=questions[question - 1],
            starts_at=at_time(day, 8, 30),
            ends_at=at_time(day, 12, 30),
            length_days=Decimal("0.5"),
            place=CARLTON_GARDENS,
        )
        for name, organisation, role in guests:
            guest_add(event=event, name=name, organisation=organisation, role=role)

    # event_create invited every member; now the register of past events and the replies to coming ones.
    stalled = {PAIRS_2014[PAIR_STALLED - 1].policymaker, PAIRS_2014[PAIR_STALLED - 1].practitioner}
    for event in sorted(events.values(), key=lambda e: e.starts_at):
        past = event.starts_at.date() < today
        for key, membership in memberships.items():
            roll = rng.random()
            if key == WITHDRAWN and event.starts_at.date() > days_from(today, WITHDRAWN_DAYS):
                continue  # invited before withdrawing; never replied
            if past:
                drifting = key in stalled and event.starts_at.date() > days_from(today, -100)
                if roll < (0.5 if drifting else 0.15):
                    # Sent the day before: replies close when an event starts.
                    attendance_reply(
                        event=event,
                        membership=membership,
                        status=Attendance.Status.APOLOGIES,
                        now=event.starts_at - timedelta(days=1),
                    )
                else:
                    attendance_mark(event=event, membership=membership, attended=True)
            elif roll < 0.6:
                attendance_reply(event=event, membership=membership, status=Attendance.Status.ACCEPTED)
            elif roll >= 0.9:
                attendance_reply(event=event, membership=membership, status=Attendance.Status.APOLOGIES)
    return events


def load_insights(
    cohort: Cohort, events: dict[str, Event], memberships: dict[str, Membership], recorded_by: User
) -> None:
    """Quotes from the report: said at workshops and roundtables, or written in a pair's reflections."""
    questions = {q.order: q for q in cohort.questions.all()}
    guests = {guest.name: guest for guest in ExternalGuest.objects.filter(event__cohort=cohort)}
    for event_key, question, speaker, text in INSIGHTS_2014:
        if event_key:
            insight_record(
                event=events[event_key],
                text=text,
                by=recorded_by,
                question=questions[question],
                speaker=memberships.get(speaker),
                guest=guests.get(speaker),
            )
        else:
            insight = Insight(
                cohort=cohort,
                question=questions[question],
                text=text,
                speaker=memberships[speaker],
                recorded_by=recorded_by,
            )
            insight.full_clean()
            insight.save()


def load_pairs(cohort: Cohort, memberships: dict[str, Membership], *, today: date) -> dict[int, LearningPair]:
    """Fifteen pairs at different steps, through the pair services: one stalled, one dissolved, one trio."""
    questions = {q.order: q for q in cohort.questions.all()}
    paired_on = days_from(today, -140)  # at the first workshop
    pairs = {}
    for number, plan in enumerate(PAIRS_2014, start=1):
        pairs[number] = pair_create(
            cohort=cohort,
            members=[memberships[plan.policymaker], memberships[plan.practitioner]],
            on=paired_on,
            question=questions[plan.question],
            angle=plan.angle,
        )
    for number, plan in enumerate(PAIRS_2014, start=1):
        pair, policymaker, practitioner = pairs[number], memberships[plan.policymaker], memberships[plan.practitioner]
        for visit in (v for v in plan.visits if v.who != "all"):
            _log_visit(pair, visit, policymaker, practitioner, today=today)
        _progress_steps(pair, plan, memberships[plan.policymaker].user, today=today, paired_on=paired_on)

    # A policymaker moved post and withdrew; their partner joined another pair, which became a trio.
    membership_withdraw(
        membership=memberships[WITHDRAWN],
        on=days_from(today, WITHDRAWN_DAYS),
        reason="Moved to a new post whose workload left no time for the programme.",
    )
    seat = PairMember.objects.current().get(membership=memberships[MOVED])
    member_move(member=seat, to_pair=pairs[PAIR_TRIO], on=days_from(today, MOVED_DAYS), reason="Partner withdrew")
    dissolved = pairs[PAIR_DISSOLVED]
    dissolved.refresh_from_db()
    dissolved.status = LearningPair.Status.DISSOLVED
    dissolved.save(update_fields=["status"])
    trio_plan = PAIRS_2014[PAIR_TRIO - 1]
    for visit in (v for v in trio_plan.visits if v.who == "all"):
        _log_visit(
            pairs[PAIR_TRIO],
            visit,
            memberships[trio_plan.policymaker],
            memberships[trio_plan.practitioner],
            today=today,
            extra=[memberships[MOVED]],
        )

    # No activity or step change for six weeks and step 1 overdue: the stalled rule marks the pair stalled.
    pair_statuses_update(cohort=cohort, today=today)
    for pair in pairs.values():
        pair.refresh_from_db()
    return pairs


def _log_visit(
    pair: LearningPair,
    visit: Visit,
    policymaker: Membership,
    practitioner: Membership,
    *,
    today: date,
    extra: list[Membership] | None = None,
) -> Activity:
    attendees = {"pm": [policymaker], "pr": [practitioner]}.get(visit.who, [policymaker, practitioner])
    attendees = attendees + (extra or [])
    logged_by = attendees[-1].user if visit.who == "pr" else attendees[0].user
    return activity_create(
        pair=pair,
        kind=visit.kind,
        occurred_on=days_from(today, visit.days),
        hours=Decimal(visit.hours),
        attendees=attendees,
        by=logged_by,
        place=visit.place,
        learning=visit.learning,
        private_notes=visit.private_notes,
    )


def _progress_steps(pair: LearningPair, plan: PairPlan, by: User, *, today: date, paired_on: date) -> None:
    steps = {progress.step: progress for progress in pair.steps.all()}
    changed_on = {}
    for step, (days, summary) in enumerate(plan.done, start=1):
        changed_on[step] = days_from(today, days)
        step_update(progress=steps[step], status=StepProgress.Status.DONE, summary=summary, by=by, on=changed_on[step])
    if len(plan.done) < len(Step):
        step = len(plan.done) + 1
        # Started the day after the last step was done (or the day the pair formed).
        changed_on[step] = (changed_on[step - 1] if step > 1 else paired_on) + timedelta(days=1)
        step_update(progress=steps[step], status=StepProgress.Status.IN_PROGRESS, summary=plan.working_on, by=by)
    # The steps changed on those days, not the day the demo loads: the stalled rule reads when steps last changed.
    for step, day in changed_on.items():
        moment = timezone.make_aware(datetime.combine(min(day, today), time(17)))
        StepProgress.objects.filter(pk=steps[step].pk).update(updated_at=moment)


def load_outputs(pairs: dict[int, LearningPair], *, today: date) -> None:
    """Outputs at every stage, through the outputs services: created, sent for review, sent back, published, featured."""
    for plan in OUTPUTS_2014:
        pair = pairs[plan.pair]
        fields: dict[str, Any] = {
            "pair": pair,
            "question": pair.question,
            "kind": plan.kind,
            "title": plan.title,
            "summary": plan.summary,
            "body": plan.body,
            "visibility": plan.visibility,
            "due_on": days_from(today, plan.due_days) if plan.due_days is not None else None,
        }
        if plan.status == Output.Status.PLANNED:
            # output_create makes an output with a summary "drafting"; these planned ones already say what they
            # will be, so they are written as planned.
            output = Output(**fields, status=plan.status)
            output.full_clean()
            output.save()
            continue
        output = output_create(**fields)
        if plan.review_comment:
            output = output_send_back(output=output_submit_for_review(output=output), comment=plan.review_comment)
        if plan.status in (Output.Status.IN_REVIEW, Output.Status.PUBLISHED):
            output = output_submit_for_review(output=output)
        if plan.status == Output.Status.PUBLISHED:
            output = output_publish(output=output, now=at_time(days_from(today, plan.published_days or 0), 10))
        if plan.featured:
            output_feature(output=output)


def load_report(cohort: Cohort, facilitator: User) -> None:
    """A first draft: summary and introduction (demo.loading_report writes the rest, from demo/data/writing.yaml)."""
    report_save_narrative(
        cohort=cohort,
        by=facilitator,
        title="Connecting Policy with Practice: insights from the programme in 2014-15",
        executive_summary=(
            "Policymaking in Whitehall can seem far removed from the reality of services on the ground. For two "
            "years the programme has connected policymakers in Whitehall with people who deliver services to "
            "vulnerable groups.\n\nIn its first year the programme identified five 'disconnects' between policy and "
            "practice. Two of them became the questions for this year: how to make better use of the assets, "
            "experience and engagement of service users, and how to move towards whole-person solutions for complex "
            "problems. On each, participants reached four pointers for improvement."
        ),
        introduction=(
            "The programme is a partnership between the Big Lottery Fund and the Institute for Government. It brings "
            "together a cohort of Whitehall policymakers and practitioners from voluntary sector organisations and "
            "local authorities delivering the Fund's strategic investments, Talent Match and Fulfilling Lives.\n\n"
            "The second cohort took part in four workshops and was organised into cross-sector learning pairs, each "
            "working on one of two exam questions through four refining steps, supplemented by three roundtables "
            "with senior policymakers and experts."
        ),
        lessons="",
        conclusion="",
    )


def load_year2_surveys(
    cohort: Cohort, memberships: dict[str, Membership], pairs: dict[int, LearningPair], *, today: date
) -> None:
    """A closed mid-year check-in with answers, and the end-of-year evaluation, which opens near the end."""
    stalled = pairs[PAIR_STALLED]
    quiet = set(stalled.members.values_list("membership_id", flat=True))
    current = [m for m in memberships.values() if m.status == Membership.Status.ACTIVE and m.pk not in quiet]
    respondents = [m for i, m in enumerate(current) if i % 5 != 4]  # most, not all, replied
    load_survey(
        cohort,
        "Mid-year check-in",
        MID_YEAR_QUESTIONS,
        respondents,
        opens=at_time(days_from(today, -45), 9),
        closes=at_time(days_from(today, -24), 17),
        introduction="Five minutes on how your pair is getting on.",
    )
    load_survey(
        cohort,
        "End-of-year evaluation 2014-15",
        END_OF_YEAR_QUESTIONS,
        [],
        opens=at_time(cohort.ends_on, 9) - timedelta(days=20),
        closes=at_time(cohort.ends_on, 17) + timedelta(days=10),
        introduction="Tell us what the programme gave you, and what we should change.",
    )


def load_survey(
    cohort: Cohort,
    title: str,
    questions: list[tuple[str, str, str, str, list[object]]],
    respondents: list[Membership],
    *,
    opens: datetime,
    closes: datetime,
    introduction: str,
) -> Survey:
    """A survey with its questions, and each respondent's answers (cycled from the plan), through the survey services."""
    survey = survey_create(cohort=cohort, title=title, introduction=introduction, opens_at=opens, closes_at=closes)
    answers: dict[int, dict[int, object]] = {membership.pk: {} for membership in respondents}
    for kind, audience, text, choices, values in questions:
        question = survey_question_add(survey=survey, text=text, kind=kind, audience=audience, choices=choices)
        eligible = [membership for membership in respondents if audience in ("all", membership.side)]
        for n, membership in enumerate(eligible):
            answers[membership.pk][question.pk] = values[n % len(values)]
    for membership in respondents:
        # Answered while the survey was open, though it may have closed since.
        survey_response_save(survey=survey, membership=membership, answers=answers[membership.pk], now=opens)
    return survey
