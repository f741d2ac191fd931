"""Heavy reads for the facilitator's cohort overview: each a fixed number of queries, whatever the cohort's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth, TruncWeek

from cohorts.models import Attendance, Cohort, Event, Membership
from programme import navigation
from programme.shape import ShapeEntry

from .commitment import days_expected_by, members_behind_pace
from .models import Activity, LearningPair, PairMember, StepProgress
from .overview_rows import member_rows, pair_grid_rows
from .risk import RiskReason, pair_risks
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
    def extended_steps(self) -> list[StepProgress]:
        """Steps not done whose due date moved because the pair formed or changed after the cohort's date."""
        return [
            progress for progress in self.steps if progress.due_extended and progress.status != StepProgress.Status.DONE
        ]


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


def _pair_rows(cohort: Cohort, today: date) -> list[PairRow]:
    """Every pair of the cohort with steps, members, last activity, outputs by status and risk (six queries)."""
    last_activity = Activity.objects.filter(pair=OuterRef("pk")).order_by("-occurred_on").values("occurred_on")[:1]
    # Outputs live in a higher app, which registers how to count them (programme.navigation).
    outputs = navigation.tally(navigation.PAIR_OUTPUTS)
    output_counts = outputs.annotations("outputs_")
    pairs = (
        LearningPair.objects.for_cohort(cohort)
        .select_related("question")
        .with_current_members()
        .with_progress()
        .annotate(last_activity_on=Subquery(last_activity), **output_counts)
        .order_by("number")
    )
    risks = pair_risks(cohort, today)
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


def step_columns(cohort: Cohort, rows: list[PairRow]) -> list[ShapeEntry]:
    """The overview grid's step columns: the programme's current steps, and an archived one while a pair has it."""
    used = {progress.step for row in rows for progress in row.steps}
    return [step for step in cohort.shape.steps if not step.archived or step.number in used]


def _member_histories(cohort: Cohort) -> list[MemberHistory]:
    """Each member of the cohort with their seats in pairs, oldest first (two queries)."""
    memberships = Membership.objects.for_cohort(cohort).taking_part().with_people().order_by("user__full_name")
    histories = {membership.pk: MemberHistory(membership) for membership in memberships}
    seats = PairMember.objects.filter(pair__cohort=cohort).select_related("pair").order_by("joined_on", "pk")
    for seat in seats:
        if seat.membership_id in histories:
            histories[seat.membership_id].seats.append(seat)
    return list(histories.values())


def _attendance_by_event(cohort: Cohort) -> list[Event]:
    """The cohort's events, each annotated with its number of members per reply (one query)."""
    counts = {status: Count("attendances", filter=Q(attendances__status=status)) for status in Attendance.Status.values}
    return list(Event.objects.for_cohort(cohort).annotate(**counts, total=Count("attendances")).order_by("starts_at"))


def _steps_completed_by_week(cohort: Cohort) -> dict[str, list]:
    """Cumulative steps done by the start of each week, from the first completion to the last (one query)."""
    weekly = (
        StepProgress.objects.filter(pair__cohort=cohort, completed_on__isnull=False)
        .annotate(week=TruncWeek("completed_on"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    done = {row["week"]: row["n"] for row in weekly}
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


def cohort_overview_data(cohort: Cohort, today: date) -> dict[str, Any]:
    """Everything the cohort overview shows, in a fixed number of queries."""
    rows = _pair_rows(cohort, today)
    histories = _member_histories(cohort)
    outputs_by_status = [
        (label, sum(row.outputs[index][1] for row in rows))
        for index, (_value, label) in enumerate(navigation.tally(navigation.PAIR_OUTPUTS).choices)
    ]
    activities_by_month = _activities_by_month(cohort)
    steps_by_week = _steps_completed_by_week(cohort)
    return {
        "today": today,
        "rows": rows,
        "step_columns": step_columns(cohort, rows),
        "pair_grid_rows": pair_grid_rows(rows),
        "member_rows": member_rows(histories),
        "at_risk": [row for row in rows if row.reasons],
        "histories": histories,
        "moved": [history for history in histories if history.has_moved],
        "unpaired": list(unpaired_members(cohort).with_people().order_by("side", "user__full_name")),
        "behind_pace": members_behind_pace(cohort, today),
        "days_expected": days_expected_by(cohort, today),
        "events": _attendance_by_event(cohort),
        "outputs_by_status": outputs_by_status,
        "steps_by_week": steps_by_week,
        "steps_table": list(zip(steps_by_week["labels"], steps_by_week["values"], strict=True)),
        "activities_by_month": activities_by_month,
        "activity_table": _activity_table(activities_by_month),
    }
