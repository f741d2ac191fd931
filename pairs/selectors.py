"""Heavy reads for the facilitator's cohort overview and the pages it links to (the pairs grid, the members,
attendance and activities): each a fixed number of queries, whatever the cohort's size."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth, TruncWeek

from cohorts.models import Attendance, Cohort, Event, EventQuerySet, Membership
from cohorts.rules import current_member_q
from programme import navigation
from programme.compiled import CompiledQuery
from programme.shape import ShapeEntry

from .commitment import days_expected_by, members_behind_pace
from .models import Activity, LearningPair, LearningPairQuerySet, PairMember, StepProgress
from .overview_rows import member_rows, pair_grid_rows
from .risk import RiskAssessment, RiskReason, assess_risks, pair_risks
from .suggestions import unpaired_members


@dataclass
class PairRow:
    pair: LearningPair
    steps: list[StepProgress]
    outputs: list[tuple[str, int]]
    reasons: list[RiskReason]
    # The pair's progress under each column of the grid (the programme's steps), None where it has no record.
    step_cells: list[StepProgress | None] = field(default_factory=list)

    @property
    def member_names(self) -> str:
        return self.pair.member_names()

    @property
    def extended_steps(self) -> list[StepProgress]:
        """Steps not done whose due date moved because the pair formed or changed after the cohort's date."""
        return [
            progress for progress in self.steps if progress.due_extended and progress.status != StepProgress.Status.DONE
        ]


@dataclass
class AtRiskPair:
    """A pair at risk as the overview lists it: no steps read, so no repair dates (the pairs page has them)."""

    pair: LearningPair
    member_names: str
    reasons: list[RiskReason]
    extended_steps = ()


@dataclass
class MemberHistory:
    membership: Membership
    seats: list[PairMember] = field(default_factory=list)

    @property
    def current_seat(self) -> PairMember | None:
        return next((seat for seat in self.seats if seat.left_on is None), None)

    @property
    def has_moved(self) -> bool:
        """Left a pair at some point: their past pairs are worth showing."""
        return any(seat.left_on for seat in self.seats)


def _pair_rows(cohort: Cohort, pairs: Iterable[LearningPair], risks: dict[int, list[RiskReason]]) -> list[PairRow]:
    """The grid's rows for pairs read through _grid_pairs, with their risk reasons."""
    outputs = navigation.tally(navigation.PAIR_OUTPUTS)
    rows = [
        PairRow(
            pair=pair,
            steps=sorted(pair.steps.all(), key=lambda progress: progress.step),
            outputs=[(label, getattr(pair, f"outputs_{value}")) for value, label in outputs.choices],
            reasons=risks.get(pair.pk, []),
        )
        for pair in pairs
    ]
    numbers = [step.number for step in step_columns(cohort, rows)]
    for row in rows:
        by_number = {progress.step: progress for progress in row.steps}
        row.step_cells = [by_number.get(number) for number in numbers]
    return rows


def _grid_pairs(cohort: Cohort) -> LearningPairQuerySet:
    """The cohort's pairs with steps, members, last activity and outputs by status (four queries once read)."""
    last_activity = Activity.objects.filter(pair=OuterRef("pk")).order_by("-occurred_on").values("occurred_on")[:1]
    # Outputs live in a higher app, which registers how to count them (programme.navigation).
    outputs = navigation.tally(navigation.PAIR_OUTPUTS)
    output_counts = outputs.annotations("outputs_")
    return (
        LearningPair.objects.for_cohort(cohort)
        .select_related("question")
        .with_current_members()
        .with_progress()
        .annotate(last_activity_on=Subquery(last_activity), **output_counts)
        .order_by("number")
    )


def step_columns(cohort: Cohort, rows: list[PairRow]) -> list[ShapeEntry]:
    """The overview grid's step columns: the programme's current steps, and an archived one while a pair has it."""
    used = {progress.step for row in rows for progress in row.steps}
    return [step for step in cohort.shape.steps if not step.archived or step.number in used]


def _member_histories(memberships: Iterable[Membership]) -> list[MemberHistory]:
    """Each of these members with their seats in pairs, oldest first (one query)."""
    histories = {membership.pk: MemberHistory(membership) for membership in memberships}
    seats = PairMember.objects.filter(membership__in=histories).select_related("pair").order_by("joined_on", "pk")
    for seat in seats:
        histories[seat.membership_id].seats.append(seat)
    return list(histories.values())


def _moved_members(cohort: Cohort) -> list[MemberHistory]:
    """Every member of the cohort who has left a pair, with all their seats (one query)."""
    moved = PairMember.objects.filter(pair__cohort=cohort, left_on__isnull=False).values("membership")
    seats = (
        PairMember.objects.filter(membership__in=moved)
        .select_related("pair", "membership__user")
        .order_by("membership__user__full_name", "membership", "joined_on", "pk")
    )
    histories: dict[int, MemberHistory] = {}
    for seat in seats:
        histories.setdefault(seat.membership_id, MemberHistory(seat.membership)).seats.append(seat)
    return list(histories.values())


def _attendance_by_event(cohort: Cohort) -> EventQuerySet:
    """The cohort's events, each annotated with its number of members per reply."""
    counts = {status: Count("attendances", filter=Q(attendances__status=status)) for status in Attendance.Status.values}
    return Event.objects.for_cohort(cohort).annotate(**counts, total=Count("attendances")).order_by("starts_at", "pk")


def _steps_done_per_week(cohort_id: int) -> QuerySet[StepProgress, Any]:
    return (
        StepProgress.objects.filter(pair__cohort=cohort_id, completed_on__isnull=False)
        .annotate(week=TruncWeek("completed_on"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
        .values_list("week", "n")
    )


# The overview's queries, compiled once per process: each costs as much to build and compile as to run.
_STEPS_DONE_PER_WEEK = CompiledQuery(_steps_done_per_week)


def _steps_completed_by_week(cohort: Cohort) -> dict[str, list]:
    """Cumulative steps done by the start of each week, from the first completion to the last (one query)."""
    done = dict(_STEPS_DONE_PER_WEEK.rows(cohort.pk))
    labels, values, total = [], [], 0
    if done:
        week, last = min(done), max(done)
        while week <= last:
            total += done.get(week, 0)
            labels.append(week.isoformat())
            values.append(total)
            week += timedelta(days=7)
    return {"labels": labels, "values": values}


def _activities_by_month(cohort: Cohort) -> dict[str, list]:
    """Activities of each kind logged per month, one series per kind present (one query)."""
    rows = (
        Activity.objects.filter(pair__cohort=cohort)
        .annotate(month=TruncMonth("occurred_on"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    months: list[str] = []
    for row in rows:
        month = row["month"].strftime("%Y-%m")
        if month not in months:
            months.append(month)
        counts[row["kind"]][month] = row["n"]
    series = [
        {"label": kind.name, "values": [counts[kind.code].get(month, 0) for month in months]}
        for kind in cohort.shape.activity_kinds
        if kind.code in counts
    ]
    return {"labels": months, "series": series}


def _activity_table(chart: dict[str, list]) -> list[tuple[str, list[int]]]:
    """The activities chart's numbers as table rows: (month, count per kind)."""
    return [
        (month, [series["values"][index] for series in chart["series"]]) for index, month in enumerate(chart["labels"])
    ]


def _steps_by_status(cohort_id: int) -> QuerySet[StepProgress, Any]:
    return (
        StepProgress.objects.filter(pair__cohort=cohort_id)
        .values("step", "status")
        .annotate(n=Count("pk"), another_look=Count("pk", filter=Q(needs_another_look=True)))
        .order_by()
        .values_list("step", "status", "n", "another_look")
    )


_STEPS_BY_STATUS = CompiledQuery(_steps_by_status)


def _step_summary(cohort: Cohort, columns: list[ShapeEntry], assessment: RiskAssessment) -> list[dict[str, Any]]:
    """Per step column, how many pairs have it done, in progress, not started, overdue (as the risk assessment
    found) and needing another look (one query)."""
    by_status: dict[int, dict[str, int]] = defaultdict(dict)
    another_look: dict[int, int] = defaultdict(int)
    for step, status, n, needing_another_look in _STEPS_BY_STATUS.rows(cohort.pk):
        by_status[step][status] = n
        another_look[step] += needing_another_look
    overdue = Counter(progress.step for steps in assessment.overdue.values() for progress in steps)
    return [
        {
            "step": step,
            "done": by_status[step.number].get(StepProgress.Status.DONE, 0),
            "in_progress": by_status[step.number].get(StepProgress.Status.IN_PROGRESS, 0),
            "not_started": by_status[step.number].get(StepProgress.Status.NOT_STARTED, 0),
            "overdue": overdue[step.number],
            "another_look": another_look[step.number],
        }
        for step in columns
    ]


def _pairs_and_outputs_per_status(cohort_id: int) -> QuerySet[LearningPair, Any]:
    """Per pair status: the pairs, then their outputs per output status (in the tally's order)."""
    outputs = navigation.tally(navigation.PAIR_OUTPUTS)
    return (
        LearningPair.objects.filter(cohort=cohort_id)
        .values("status")
        .annotate(n=Count("pk", distinct=True), **outputs.annotations("outputs_"))
        .order_by()
        .values_list("status", "n", *(f"outputs_{value}" for value, _ in outputs.choices))
    )


# Compiled once the apps are ready: which output statuses it counts is registered by the outputs app.
_PAIRS_AND_OUTPUTS_PER_STATUS = CompiledQuery(_pairs_and_outputs_per_status)


def _pairs_and_outputs_by_status(cohort: Cohort) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """The cohort's pairs counted by their status, and their outputs by theirs (one query)."""
    outputs = navigation.tally(navigation.PAIR_OUTPUTS)
    rows = _PAIRS_AND_OUTPUTS_PER_STATUS.rows(cohort.pk)
    pairs = {status: n for status, n, *_ in rows}
    return pairs, [(label, sum(row[2 + index] for row in rows)) for index, (_, label) in enumerate(outputs.choices)]


def _count(queryset: QuerySet[Any]) -> Subquery:
    return Subquery(queryset.order_by().values("cohort").annotate(n=Count("pk")).values("n")[:1])


def _member_and_event_count_query(cohort_id: int) -> QuerySet[Cohort, Any]:
    memberships = Membership.objects.filter(cohort=OuterRef("pk"))
    return (
        Cohort.objects.filter(pk=cohort_id)
        .annotate(
            current=_count(memberships.filter(current_member_q())),
            withdrawn=_count(memberships.filter(status=Membership.Status.WITHDRAWN)),
            event_count=_count(Event.objects.filter(cohort=OuterRef("pk"))),
        )
        .order_by()
        .values_list("current", "withdrawn", "event_count")
    )


_MEMBER_AND_EVENT_COUNTS = CompiledQuery(_member_and_event_count_query)


def _member_and_event_counts(cohort: Cohort) -> dict[str, int]:
    """Current and withdrawn members, and events, of the cohort (one query, a count each)."""
    (counts,) = _MEMBER_AND_EVENT_COUNTS.rows(cohort.pk)
    current, withdrawn, events = (value or 0 for value in counts)
    return {"current": current, "withdrawn": withdrawn, "events": events}


def _unpaired_names(cohort_id: int) -> QuerySet[Membership, Any]:
    """The names and sides of the cohort's current members in no pair now (suggestions.unpaired_members)."""
    return (
        unpaired_members(Cohort(pk=cohort_id))
        .order_by("side", "user__full_name")
        .values_list("user__full_name", "side")
    )


_UNPAIRED = CompiledQuery(_unpaired_names)


# How many at-risk pairs the overview lists before linking to the rest.
AT_RISK_SHOWN = 10


def cohort_overview_data(cohort: Cohort, today: date) -> dict[str, Any]:
    """The cohort at a glance, in a fixed number of queries; the long tables are on their own pages."""
    assessment = assess_risks(cohort, today)
    risks = assessment.reasons
    at_risk_shown = sorted((pair for pair in assessment.pairs if pair.pk in risks), key=lambda pair: pair.number)
    reason_counts: dict[str, int] = defaultdict(int)
    for reasons in risks.values():
        for code in {reason.code for reason in reasons}:
            reason_counts[code] += 1
    pairs_by_status, outputs_by_status = _pairs_and_outputs_by_status(cohort)
    members = _member_and_event_counts(cohort)
    columns = [step for step in cohort.shape.steps if not step.archived]
    steps_by_week = _steps_completed_by_week(cohort)
    return {
        "today": today,
        "at_risk_count": len(risks),
        "at_risk": [
            AtRiskPair(pair.as_pair(cohort), assessment.current_member_names(pair.pk), risks[pair.pk])
            for pair in at_risk_shown[:AT_RISK_SHOWN]
        ],
        "at_risk_reasons": [
            (RISK_REASON_LABELS[code], reason_counts[code]) for code in RISK_REASON_LABELS if reason_counts[code]
        ],
        "pairs_by_status": [
            (label, pairs_by_status[value])
            for value, label in LearningPair.Status.choices
            if pairs_by_status.get(value)
        ],
        "pair_count": sum(pairs_by_status.values()),
        "members": members,
        "step_summary": _step_summary(cohort, columns, assessment),
        "unpaired": [(name, cohort.shape.sides.label(side)) for name, side in _UNPAIRED.rows(cohort.pk)],
        "days_expected": days_expected_by(cohort, today),
        "event_count": members["events"],
        "outputs_by_status": outputs_by_status,
        "steps_by_week": steps_by_week,
        "steps_table": list(zip(steps_by_week["labels"], steps_by_week["values"], strict=True)),
    }


# The overview's words for each kind of risk, in the order it counts them.
RISK_REASON_LABELS = {
    RiskReason.NO_ACTIVITY: "No recent activity",
    RiskReason.OVERDUE_STEP: "A step overdue",
    RiskReason.MEMBER_WITHDREW: "A member withdrew",
    RiskReason.SINGLE_MEMBER: "One member or none",
}

PAIRS_PER_PAGE = 30
MEMBERS_PER_PAGE = 50
EVENTS_PER_PAGE = 25


def cohort_pairs_data(cohort: Cohort, today: date, *, page: str | int | None, at_risk_only: bool) -> dict[str, Any]:
    """One page of the pairs × steps grid (all pairs, or those at risk), with each pair's risk reasons."""
    pairs = _grid_pairs(cohort)
    if at_risk_only:
        risks = pair_risks(cohort, today)
        pairs = pairs.filter(pk__in=risks)
        page_obj = Paginator(pairs, PAIRS_PER_PAGE).get_page(page)
    else:
        page_obj = Paginator(pairs, PAIRS_PER_PAGE).get_page(page)
        risks = pair_risks(cohort, today, pair_ids=[pair.pk for pair in page_obj.object_list])
    rows = _pair_rows(cohort, page_obj.object_list, risks)
    return {
        "today": today,
        "page_obj": page_obj,
        "at_risk_only": at_risk_only,
        "rows": rows,
        "at_risk": [row for row in rows if row.reasons],
        "step_columns": step_columns(cohort, rows),
        "pair_grid_rows": pair_grid_rows(rows),
    }


def cohort_members_data(cohort: Cohort, today: date, *, page: str | int | None, behind_only: bool) -> dict[str, Any]:
    """One page of the cohort's members (everyone, or those behind the pace), with days so far and pair history."""
    memberships: Iterable[Membership]
    if behind_only:
        memberships = members_behind_pace(cohort, today)
    else:
        memberships = (
            Membership.objects.for_cohort(cohort).taking_part().with_people().order_by("user__full_name", "pk")
        )
    page_obj = Paginator(memberships, MEMBERS_PER_PAGE).get_page(page)
    shown = list(page_obj.object_list)
    histories = _member_histories(shown)
    return {
        "today": today,
        "page_obj": page_obj,
        "behind_only": behind_only,
        "days_expected": days_expected_by(cohort, today),
        "member_rows": member_rows(histories),
        "histories": histories,
        "moved": _moved_members(cohort),
    }


def cohort_attendance_data(cohort: Cohort, *, page: str | int | None) -> dict[str, Any]:
    """One page of the cohort's events with replies counted, and activities logged per month by kind."""
    page_obj = Paginator(_attendance_by_event(cohort), EVENTS_PER_PAGE).get_page(page)
    activities_by_month = _activities_by_month(cohort)
    return {
        "page_obj": page_obj,
        "events": page_obj.object_list,
        "activities_by_month": activities_by_month,
        "activity_table": _activity_table(activities_by_month),
    }
