"""The year-end report as data: frozen dataclasses the preview, the PDF and every export read.

`reports.building.build_report` fills them; nothing here queries the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cohorts.models import Cohort, Finding, Question

from .models import YearEndReport

SECTION_HEADINGS = {
    "about_authors": "About the authors",
    "acknowledgements": "Acknowledgements",
    "executive_summary": "Executive summary",
    "introduction": "Introduction",
    "background": "Background to the programme",
    "this_report": "This report",
    "section_one_intro": "Section 1",
    "selection_criteria": "How this year's questions were chosen",
    "section_two_intro": "Section 2",
    "lessons": "Lessons",
    "conclusion": "Conclusion",
}
SECTION_ONE_TITLE = "What have we learned about the questions?"
SECTION_TWO_TITLE = "What have we learned about running the programme?"
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
    report_group: str = ""  # the activity kind's group in the report's figures ("Visits to local services")


@dataclass(frozen=True)
class ProgrammeFigures:
    """How the programme ran."""

    members_by_side: list[tuple[str, int]]  # (side name, members), in the shape's order
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
    side_plurals: dict[str, str]  # side name -> plural
    visits_by_group: list[tuple[str, int]]  # activities by their kinds' report groups ("Visits to local services")
    cohort_phrase: str  # what the programme calls a cohort in its report

    @property
    def activity_count(self) -> int:
        return sum(row.count for row in self.activities)

    @property
    def activity_hours(self) -> Decimal:
        return sum((row.hours for row in self.activities), Decimal("0"))

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
        return self.question.short_title

    @property
    def anchor(self) -> str:
        return f"question-{self.number}"


@dataclass(frozen=True)
class PartItem:
    """A Section 2 sub-section or a lesson: `markdown` has its citations expanded, `case_studies` follow it."""

    number: int
    title: str
    markdown: str
    case_studies: list[CaseStudy] = field(default_factory=list)


@dataclass(frozen=True)
class PreviousCohort:
    """The cohort before this one: its themes and the disconnects it found (the report's background)."""

    name: str
    starts_on: date
    ends_on: date
    themes: list[str]
    disconnects: list[tuple[str, str, str]]  # title, what practice finds, what policy does


@dataclass(frozen=True)
class Derivation:
    """A question of the year and the disconnects it was derived from."""

    question: str
    short_title: str
    disconnects: list[str]


@dataclass(frozen=True)
class SurveyLine:
    """A chosen survey question as printed: one line per group (everyone, or each side)."""

    question: str
    survey: str
    groups: list[tuple[str, int, int | None]]  # who ("All respondents", "Policymakers"), answered, percent


@dataclass(frozen=True)
class UploadedFigure:
    name: str
    caption: str
    description: str
    media_type: str
    content: bytes


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
    partners: list[str] = field(default_factory=list)
    published_on: date | None = None
    previous: PreviousCohort | None = None
    derivations: list[Derivation] = field(default_factory=list)
    subsections: list[PartItem] = field(default_factory=list)
    lesson_items: list[PartItem] = field(default_factory=list)
    survey_lines: list[SurveyLine] = field(default_factory=list)
    uploaded_figures: dict[str, UploadedFigure] = field(default_factory=dict)
    section_one_title: str = SECTION_ONE_TITLE
    section_two_title: str = SECTION_TWO_TITLE
    # Pairs that finished each refining step, in step order: the report's refining-steps figure.
    steps_done: list[tuple[int, str, int]] = field(default_factory=list)  # (step number, name, pairs done)
    survey_bars: list[SurveyBar] = field(default_factory=list)

    @property
    def case_studies(self) -> list[CaseStudy]:
        in_parts = [study for part in self.subsections for study in part.case_studies]
        return (
            [study for section in self.questions for study in section.case_studies] + in_parts + self.other_case_studies
        )

    @property
    def contents(self) -> list[tuple[str, str]]:
        """The contents page: each top-level section's anchor and heading, in the report's order."""
        entries = [
            ("about-authors", SECTION_HEADINGS["about_authors"]),
            ("acknowledgements", SECTION_HEADINGS["acknowledgements"]),
            ("executive-summary", SECTION_HEADINGS["executive_summary"]),
            ("introduction", SECTION_HEADINGS["introduction"]),
            ("section-1", f"Section 1: {self.section_one_title}"),
            ("section-2", f"Section 2: {self.section_two_title}"),
        ]
        if self.other_case_studies:
            entries.append(("across-the-programme", "Across the programme"))
        return [*entries, ("conclusion", SECTION_HEADINGS["conclusion"]), ("annex-a", "Annex A")]

    @property
    def findings(self) -> list[FindingItem]:
        return [finding for section in self.questions for finding in section.findings]

    @property
    def unwritten_sections(self) -> list[NarrativeSection]:
        return [
            section
            for key, section in self.narrative.items()
            if key in YearEndReport.REQUIRED_SECTIONS and not section.written
        ]

    @property
    def annex_did_not_complete(self) -> int:
        return sum(1 for member in self.annex if member.did_not_complete)
