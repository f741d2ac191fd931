"""The data behind the year-end report as tables: what the CSV and XLSX exports hold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..data import ReportData


@dataclass(frozen=True)
class Table:
    name: str  # the ?table= value and the file name
    title: str  # the sheet name (at most 31 characters)
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def report_tables(data: ReportData) -> list[Table]:
    """The data behind the report, as the tables the CSV and XLSX exports hold."""
    f = data.figures
    summary = [
        ("Members", f.members),
        *((f"{label}s", count) for label, count in f.members_by_side),
        ("Completed", f.completed),
        ("Withdrew", f.withdrawn),
        ("Learning pairs", f.pairs),
        *((f"Pairs {label.lower()}", count) for label, count in f.pairs_by_status),
        ("Events", len(f.events)),
        ("Event days", f.event_days),
        ("Activities", f.activity_count),
        ("Activity hours", f.activity_hours),
        ("Visits to local services", f.service_visits),
        ("Visits to departments", f.department_visits),
        ("Commitment days (all members)", f.commitment_days),
        ("Members reaching the minimum", f.members_meeting_minimum),
        ("Minimum commitment (days)", f.minimum_days),
    ]
    return [
        Table("summary", "Summary", ("Figure", "Value"), summary),
        Table(
            "members",
            "Annex A members",
            ("Name", "Organisation", "Side", "Status", "Did not complete", "Commitment days"),
            [
                (m.name, m.organisation, m.side, m.status, "Yes" if m.did_not_complete else "No", m.commitment_days)
                for m in data.annex
            ],
        ),
        Table(
            "events",
            "Events",
            ("Event", "Title", "Topic", "Date", "Days", "Attended", "Guests"),
            [(e.label, e.title, e.topic, e.starts_on, e.days, e.attended, e.guests) for e in f.events],
        ),
        Table(
            "activities",
            "Activities",
            ("Activity", "Number", "Hours", "Places visited"),
            [(row.label, row.count, row.hours, row.places) for row in f.activities],
        ),
        Table(
            "findings",
            "Findings",
            ("Section", "Question", "Order", "Finding", "Text"),
            [
                (s.number, s.question.short_title, i, item.title, item.body)
                for s in data.questions
                for i, item in enumerate(s.findings, start=1)
            ],
        ),
        Table(
            "case-studies",
            "Case studies",
            ("Case study", "Question", "Title", "Kind", "By", "Summary", "Link"),
            [
                (
                    study.number,
                    study.output.question.short_title if study.output.question is not None else "",
                    study.output.title,
                    study.output.get_kind_display(),
                    study.credits,
                    study.output.summary,
                    study.output.link,
                )
                for study in data.case_studies
            ],
        ),
        Table(
            "insights",
            "Insights",
            ("Note", "Question", "Insight", "Attribution"),
            [(n.number, n.question, n.text, n.attribution) for n in data.footnotes],
        ),
        Table("survey", "Survey highlights", ("Highlight",), [(sentence,) for sentence in data.survey_highlights]),
    ]


TABLE_NAMES = ("summary", "members", "events", "activities", "findings", "case-studies", "insights", "survey")


def plain(value: Any) -> str:
    """A value as the text a table cell or a Word table shows."""
    if value is None:
        return ""
    if hasattr(value, "normalize"):  # Decimal: 3.0 → "3", 2.5 → "2.5"
        return f"{value.normalize():f}"
    return str(value)
