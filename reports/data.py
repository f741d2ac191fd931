"""The year-end report as data: frozen dataclasses the preview, the PDF and every export read.

`reports.building.build_report` fills them; nothing here queries the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cohorts.models import Cohort, Finding, Question
from pairs.models import Activity

from .models import YearEndReport

SECTION_HEADINGS = {
    "executive_summary": "Executive summary",
    "introduction": "Introduction",
    "lessons": "Lessons",
    "conclusion": "Conclusion",
}
NOT_YET_WRITTEN = "[{heading} not yet written]"


@dataclass(frozen=True)
class NarrativeSection:
    """One of the facilitators' sections: its Markdown, rendered and sanitised, or a marker when unwritten."""

    key: str
    heading: str
    text: str

    @property
    def written(self) -> bool:
        return bool(self.text.strip())

    @property
    def placeholder(self) -> str:
        return NOT_YET_WRITTEN.format(heading=self.heading)

    @property
    def anchor(self) -> str:
        return self.key.replace("_", "-")


@dataclass(frozen=True)
class EventRow:
    kind: str
    number: int
    title: str
    topic: str
    starts_on: date
    days: Decimal
    attended: int
    guests: int

    @property
    def label(self) -> str:
        """ "Workshop 4", as insights cite it."""
        return f"{self.kind} {self.number}"


@dataclass(frozen=True)
class ActivityRow:
    kind: str
    label: str
    count: int
    hours: Decimal
    places: int


@dataclass(frozen=True)
class ProgrammeFigures:
    """How the programme ran."""

    members_by_side: list[tuple[str, int]]
    members: int
    completed: int
    withdrawn: int
    pairs_by_status: list[tuple[str, int]]
    pairs: int
    events: list[EventRow]
    event_days: Decimal
    activities: list[ActivityRow]
    commitment_days: Decimal
    members_meeting_minimum: int
    minimum_days: Decimal

    @property
    def activity_count(self) -> int:
        return sum(row.count for row in self.activities)

    @property
    def activity_hours(self) -> Decimal:
        return sum((row.hours for row in self.activities), Decimal("0"))

    def _activity(self, kind: str) -> ActivityRow | None:
        return next((row for row in self.activities if row.kind == kind), None)

    @property
    def service_visits(self) -> int:
        row = self._activity(Activity.Kind.LOCAL_SERVICE_VISIT)
        return row.count if row else 0

    @property
    def department_visits(self) -> int:
        row = self._activity(Activity.Kind.DEPARTMENT_VISIT)
        return row.count if row else 0

    @property
    def average_days(self) -> Decimal:
        if not self.members:
            return Decimal("0")
        return (self.commitment_days / self.members).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Footnote:
    """A note of the report, numbered in reading order: a quote with its attribution, or a reference.

    `markdown` is what the note says, as pandoc Markdown; the text cites it by a `[^number]` marker
    (reports.citations numbers them).
    """

    number: int
    markdown: str
    text: str = ""
    attribution: str = ""
    question: str = ""


@dataclass(frozen=True)
class CaseStudy:
    """A case study, numbered through the report ("Case study 3"), shown after the finding it illustrates.

    `markdown` is its body with citations expanded into `[^n]` markers, like a finding's.
    """

    number: int
    title: str
    credits: str
    markdown: str
    origin: str  # "Case study by", "Contributed by a partner organisation"
    stage: str = ""  # "Work in progress" or "Reflection"; "" when final
    summary: str = ""
    link: str = ""

    @property
    def heading(self) -> str:
        return f"Case study {self.number}: {self.title}"


@dataclass(frozen=True)
class FindingItem:
    """A finding of a question: `markdown` is its body with citations expanded into `[^n]` footnote markers,
    and `case_studies` are shown after it."""

    finding: Finding
    markdown: str = ""
    case_studies: list[CaseStudy] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.finding.title

    @property
    def body(self) -> str:
        return self.finding.body


@dataclass
class QuestionSection:
    number: int
    question: Question
    findings: list[FindingItem]
    framing: str = ""  # Markdown: "What do we mean by this question?", citations expanded
    insights: list[Footnote] = field(default_factory=list)

    @property
    def case_studies(self) -> list[CaseStudy]:
        return [study for finding in self.findings for study in finding.case_studies]

    @property
    def heading(self) -> str:
        return f"Section {self.number}: {self.question.short_title}"

    @property
    def anchor(self) -> str:
        return f"question-{self.number}"


@dataclass(frozen=True)
class SurveyBar:
    """A survey statement and the share of respondents who agreed with it: a bar of the survey figure."""

    label: str
    percent: int
    answered: int


@dataclass(frozen=True)
class AnnexMember:
    name: str
    organisation: str
    side: str
    status: str
    did_not_complete: bool
    commitment_days: Decimal


@dataclass
class ReportData:
    cohort: Cohort
    report: YearEndReport
    title: str
    authors: list[str]
    narrative: dict[str, NarrativeSection]
    figures: ProgrammeFigures
    questions: list[QuestionSection]
    other_insights: list[Footnote]
    other_case_studies: list[CaseStudy]
    survey_highlights: list[str]
    annex: list[AnnexMember]
    built_on: date
    # Every note of the report (quotes and references), numbered in reading order.
    footnotes: list[Footnote] = field(default_factory=list)
    # Pairs that finished each refining step, in step order: the report's refining-steps figure.
    steps_done: list[tuple[int, str, int]] = field(default_factory=list)  # (step number, name, pairs done)
    survey_bars: list[SurveyBar] = field(default_factory=list)

    @property
    def case_studies(self) -> list[CaseStudy]:
        return [study for section in self.questions for study in section.case_studies] + self.other_case_studies

    @property
    def findings(self) -> list[FindingItem]:
        return [finding for section in self.questions for finding in section.findings]

    @property
    def unwritten_sections(self) -> list[NarrativeSection]:
        return [section for section in self.narrative.values() if not section.written]

    @property
    def annex_did_not_complete(self) -> int:
        return sum(1 for member in self.annex if member.did_not_complete)
