"""The data behind the year-end report as tables: what the CSV and XLSX exports hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cohorts.models import Cohort

from ..building import (
    report_activity_rows,
    report_annex,
    report_event_rows,
    report_figures,
    report_memberships,
    report_narrative,
    report_questions_and_notes,
    report_survey_highlights,
    year_end_report_for,
)
from ..data import (
    ActivityRow,
    AnnexMember,
    CaseStudy,
    EventRow,
    Footnote,
    ProgrammeFigures,
    QuestionSection,
    ReportData,
)


@dataclass(frozen=True)
class Table:
    name: str  # the ?table= value and the file name
    title: str  # the sheet name (at most 31 characters)
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _summary_table(f: ProgrammeFigures) -> Table:
    summary = [
        ("Members", f.members),
        *((f.side_plurals[label], count) for label, count in f.members_by_side),
        ("Completed", f.completed),
        ("Withdrew", f.withdrawn),
        ("Learning pairs", f.pairs),
        *((f"Pairs {label.lower()}", count) for label, count in f.pairs_by_status),
        ("Events", len(f.events)),
        ("Event days", f.event_days),
        ("Activities", f.activity_count),
        ("Activity hours", f.activity_hours),
        *f.visits_by_group,
        ("Commitment days (all members)", f.commitment_days),
        ("Members reaching the minimum", f.members_meeting_minimum),
        ("Minimum commitment (days)", f.minimum_days),
    ]
    return Table("summary", "Summary", ("Figure", "Value"), summary)


def _members_table(annex: list[AnnexMember]) -> Table:
    return Table(
        "members",
        "Annex A members",
        ("Name", "Organisation", "Side", "Status", "Did not complete", "Commitment days"),
        [
            (m.name, m.organisation, m.side, m.status, "Yes" if m.did_not_complete else "No", m.commitment_days)
            for m in annex
        ],
    )


def _events_table(events: list[EventRow]) -> Table:
    return Table(
        "events",
        "Events",
        ("Event", "Title", "Topic", "Date", "Days", "Attended", "Guests"),
        [(e.label, e.title, e.topic, e.starts_on, e.days, e.attended, e.guests) for e in events],
    )


def _activities_table(activities: list[ActivityRow]) -> Table:
    return Table(
        "activities",
        "Activities",
        ("Activity", "Number", "Hours", "Places visited"),
        [(row.label, row.count, row.hours, row.places) for row in activities],
    )


def _findings_table(sections: list[QuestionSection]) -> Table:
    return Table(
        "findings",
        "Findings",
        ("Section", "Question", "Order", "Finding", "Text"),
        [
            (s.number, s.question.short_title, i, item.title, item.body)
            for s in sections
            for i, item in enumerate(s.findings, start=1)
        ],
    )


def _case_studies_table(case_studies: list[CaseStudy]) -> Table:
    return Table(
        "case-studies",
        "Case studies",
        ("Case study", "Title", "Origin", "Stage", "By", "Summary", "Link"),
        [
            (study.number, study.title, study.origin, study.stage, study.credits, study.summary, study.link)
            for study in case_studies
        ],
    )


def _notes_table(footnotes: list[Footnote]) -> Table:
    return Table("insights", "Notes", ("Note", "Text"), [(n.number, n.markdown) for n in footnotes])


def _survey_table(highlights: list[str]) -> Table:
    return Table("survey", "Survey highlights", ("Highlight",), [(sentence,) for sentence in highlights])


def report_tables(data: ReportData) -> list[Table]:
    """The data behind the report, as the tables the CSV and XLSX exports hold."""
    return [
        _summary_table(data.figures),
        _members_table(data.annex),
        _events_table(data.figures.events),
        _activities_table(data.figures.activities),
        _findings_table(data.questions),
        _case_studies_table(data.case_studies),
        _notes_table(data.footnotes),
        _survey_table(data.survey_highlights),
    ]


def _written(cohort: Cohort) -> tuple[list[QuestionSection], list[CaseStudy], list[Footnote]]:
    """The findings, case studies and notes, numbered as in the report, without building the rest of it."""
    _, sections, others, notes = report_questions_and_notes(cohort, report_narrative(year_end_report_for(cohort)))
    return sections, [study for section in sections for study in section.case_studies] + others, notes


# Each CSV table builds only what it holds: a table of events never computes everyone's commitment.
TABLE_BUILDERS: dict[str, Callable[[Cohort], Table]] = {
    "summary": lambda cohort: _summary_table(report_figures(cohort, report_memberships(cohort))),
    "members": lambda cohort: _members_table(
        report_annex(report_memberships(cohort), names_need_consent=cohort.programme.annex_names_need_consent)
    ),
    "events": lambda cohort: _events_table(report_event_rows(cohort)),
    "activities": lambda cohort: _activities_table(report_activity_rows(cohort)),
    "findings": lambda cohort: _findings_table(_written(cohort)[0]),
    "case-studies": lambda cohort: _case_studies_table(_written(cohort)[1]),
    "insights": lambda cohort: _notes_table(_written(cohort)[2]),
    "survey": lambda cohort: _survey_table(report_survey_highlights(cohort)),
}


def report_table(cohort: Cohort, name: str) -> Table:
    """One table of the report's data, built alone."""
    return TABLE_BUILDERS[name](cohort)


TABLE_NAMES = ("summary", "members", "events", "activities", "findings", "case-studies", "insights", "survey")


def plain(value: Any) -> str:
    """A value as the text a table cell or a Word table shows."""
    if value is None:
        return ""
    if hasattr(value, "normalize"):  # Decimal: 3.0 → "3", 2.5 → "2.5"
        return f"{value.normalize():f}"
    return str(value)
