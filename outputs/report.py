"""The year-end report: the facilitators' narrative, saved as drafts, and everything else built from data.

`build_report(cohort)` reads all the preview and the exports show, in a constant number of queries
however many members, events, insights and case studies the cohort has. The narrative is written in
Markdown by the cohort's staff; `report_save_narrative` saves it (django-simple-history keeps every
earlier draft) and refuses to overwrite a draft someone else saved in the meantime.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.safestring import SafeString

from cohorts.models import Attendance, Cohort, Event, Finding, Insight, Membership, Question, Side, Survey
from cohorts.surveys import survey_highlights, survey_results
from pairs.commitment import commitment_of, with_commitment
from pairs.models import Activity, LearningPair
from programme.models import User

from . import markdown
from .models import Output, YearEndReport

SECTION_HEADINGS = {
    "executive_summary": "Executive summary",
    "introduction": "Introduction",
    "lessons": "Lessons",
    "conclusion": "Conclusion",
}
NOT_YET_WRITTEN = "[{heading} not yet written]"
STALE_DRAFT = (
    "{who} saved this report at {when} after you opened it. Your text is below and has not been saved: "
    "copy what you need, reload the page and merge your changes into theirs."
)


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
    def html(self) -> SafeString:
        return markdown.render(self.text)

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
    """An insight cited in the report, numbered in reading order, with its anonymised attribution."""

    number: int
    text: str
    attribution: str
    question: str


@dataclass(frozen=True)
class FindingItem:
    """A finding of a question, its body rendered from Markdown."""

    finding: Finding

    @property
    def title(self) -> str:
        return self.finding.title

    @property
    def body(self) -> str:
        return self.finding.body

    @property
    def body_html(self) -> SafeString:
        return markdown.render(self.finding.body)


@dataclass(frozen=True)
class CaseStudy:
    """A featured output, numbered through the report as "Case study 3"."""

    number: int
    output: Output
    credits: str

    @property
    def body_html(self) -> SafeString:
        return markdown.render(self.output.body)


@dataclass
class QuestionSection:
    number: int
    question: Question
    findings: list[FindingItem]
    insights: list[Footnote] = field(default_factory=list)
    case_studies: list[CaseStudy] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"Section {self.number}: {self.question.short_title}"

    @property
    def anchor(self) -> str:
        return f"question-{self.number}"


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

    @property
    def footnotes(self) -> list[Footnote]:
        """Every cited insight, in the order (and with the numbers) the report cites them."""
        cited = [note for section in self.questions for note in section.insights] + self.other_insights
        return sorted(cited, key=lambda note: note.number)

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


def default_title(cohort: Cohort) -> str:
    return f"Insights from the {cohort.programme.name} in {cohort.name}"


def year_end_report_for(cohort: Cohort) -> YearEndReport:
    """The cohort's saved narrative, or a new unsaved one (a GET never creates a row)."""
    report = YearEndReport.objects.filter(cohort=cohort).select_related("updated_by").first()
    if report is None:
        return YearEndReport(cohort=cohort)
    report.cohort = cohort  # the caller's cohort, with its programme: no query to fetch it again
    return report


def draft_marker(report: YearEndReport) -> str:
    """What an edit form carries to tell whether the draft changed since it was opened."""
    return report.updated_at.isoformat() if report.pk and report.updated_at else ""


@transaction.atomic
def report_save_narrative(
    *,
    cohort: Cohort,
    by: User,
    title: str,
    executive_summary: str,
    introduction: str,
    lessons: str,
    conclusion: str,
    based_on: str | None = None,
) -> YearEndReport:
    """Save a draft of the narrative (creating the cohort's report on first save); every draft is kept in history.

    `based_on` is the draft_marker() of the draft the writer opened: if someone saved since, nothing is saved.
    """
    report = (
        YearEndReport.objects.select_for_update(of=("self",)).select_related("updated_by").filter(cohort=cohort).first()
    )
    if report is None:
        report = YearEndReport(cohort=cohort)
    elif based_on is not None and based_on != draft_marker(report):
        _refuse_stale(report)
    report.title = title.strip()
    report.executive_summary = executive_summary
    report.introduction = introduction
    report.lessons = lessons
    report.conclusion = conclusion
    report.updated_by = by
    report.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # someone else saved the cohort's first draft at the same moment
        _refuse_stale(YearEndReport.objects.select_related("updated_by").get(cohort=cohort))
    return report


def _refuse_stale(report: YearEndReport) -> None:
    who = report.updated_by.full_name if report.updated_by else "Someone else"
    when = timezone.localtime(report.updated_at).strftime("%H:%M on %d %b %Y")
    raise ValidationError(STALE_DRAFT.format(who=who, when=when), code="stale")


def _surname_key(name: str) -> tuple[str, str]:
    surname = name.strip().split(" ")[-1] if name.strip() else ""
    return (surname.casefold(), name.casefold())


def _figures(cohort: Cohort, memberships: list[Membership]) -> ProgrammeFigures:
    by_side = Counter(m.side for m in memberships)
    by_status = Counter(m.status for m in memberships)
    pair_counts = dict(LearningPair.objects.for_cohort(cohort).order_by().values_list("status").annotate(n=Count("pk")))
    events = (
        Event.objects.for_cohort(cohort)
        .with_number()
        .annotate(
            attended=Count("attendances", filter=Q(attendances__status=Attendance.Status.ATTENDED), distinct=True),
            guest_count=Count("guests", distinct=True),
        )
        .order_by("starts_at", "pk")
    )
    event_rows = [
        EventRow(
            kind=event.get_kind_display(),
            number=event.number,
            title=event.title,
            topic=event.topic,
            starts_on=timezone.localdate(event.starts_at),
            days=event.length_days,
            attended=event.attended,
            guests=event.guest_count,
        )
        for event in events
    ]
    activity_totals = {
        row["kind"]: row
        for row in Activity.objects.filter(pair__cohort=cohort)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"), hours=Sum("hours"), places=Count("place", distinct=True, filter=~Q(place="")))
    }
    activities = [
        ActivityRow(
            kind=kind,
            label=label,
            count=activity_totals[kind]["n"],
            hours=activity_totals[kind]["hours"] or Decimal("0"),
            places=activity_totals[kind]["places"],
        )
        for kind, label in Activity.Kind.choices
        if kind in activity_totals
    ]
    commitments = [commitment_of(m) for m in memberships]
    return ProgrammeFigures(
        members_by_side=[(label, by_side[side]) for side, label in Side.choices],
        members=len(memberships),
        completed=by_status[Membership.Status.COMPLETED],
        withdrawn=by_status[Membership.Status.WITHDRAWN],
        pairs_by_status=[(label, pair_counts[s]) for s, label in LearningPair.Status.choices if pair_counts.get(s)],
        pairs=sum(pair_counts.values()),
        events=event_rows,
        event_days=sum((row.days for row in event_rows), Decimal("0")),
        activities=activities,
        commitment_days=sum((c.days for c in commitments), Decimal("0")),
        members_meeting_minimum=sum(1 for c in commitments if not c.is_below_minimum),
        minimum_days=cohort.min_commitment_days,
    )


def _credits(output: Output) -> str:
    people = [
        f"{person.full_name} ({person.organisation.name})" if person.organisation is not None else person.full_name
        for person in output.credited_people()
    ]
    if not people:
        return f"Pair {output.pair.number}"
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def _survey_highlights(cohort: Cohort) -> list[str]:
    """The sentences of every survey of the cohort, from cohorts.surveys (the survey pages use the same figures)."""
    highlights: list[str] = []
    for survey in Survey.objects.filter(cohort=cohort).order_by("opens_at", "pk"):
        highlights.extend(survey_highlights(survey_results(survey)))
    return highlights


def build_report(cohort: Cohort) -> ReportData:
    """Everything in the year-end report for a cohort, in a constant number of queries."""
    report = year_end_report_for(cohort)
    authors = list(cohort.facilitators.order_by("full_name").values_list("full_name", flat=True))

    memberships = sorted(
        with_commitment(Membership.objects.for_cohort(cohort).taking_part()).select_related(
            "user__organisation", "cohort"
        ),
        key=lambda m: _surname_key(m.user.full_name),
    )
    figures = _figures(cohort, memberships)

    questions = list(
        Question.objects.filter(cohort=cohort)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("order", "pk")))
    )
    sections = {
        question.pk: QuestionSection(
            number=index, question=question, findings=[FindingItem(f) for f in question.findings.all()]
        )
        for index, question in enumerate(questions, start=1)
    }

    insights = (
        Insight.objects.filter(cohort=cohort)
        .with_attribution()
        .order_by(F("event__starts_at").asc(nulls_last=True), "recorded_at", "pk")
    )
    by_question: dict[int | None, list[Insight]] = {}
    for insight in insights:
        key = insight.question_id if insight.question_id in sections else None
        by_question.setdefault(key, []).append(insight)
    number = 0
    other_insights: list[Footnote] = []
    for key in [*sections, None]:
        for insight in by_question.get(key, []):
            number += 1
            note = Footnote(
                number=number,
                text=insight.text,
                attribution=insight.attribution(),
                question=sections[key].question.short_title if key else "",
            )
            (sections[key].insights if key else other_insights).append(note)

    featured = (
        Output.objects.current()
        .featured()
        .for_cohort(cohort)
        .with_credits()
        .order_by(F("published_at").asc(nulls_last=True), "pk")
    )
    by_question_outputs: dict[int | None, list[Output]] = {}
    for output in featured:
        key = output.question_id if output.question_id in sections else None
        by_question_outputs.setdefault(key, []).append(output)
    number = 0
    other_case_studies: list[CaseStudy] = []
    for key in [*sections, None]:
        for output in by_question_outputs.get(key, []):
            number += 1
            study = CaseStudy(number=number, output=output, credits=_credits(output))
            (sections[key].case_studies if key else other_case_studies).append(study)

    annex = [
        AnnexMember(
            name=m.user.full_name,
            organisation=m.user.organisation.name if m.user.organisation is not None else "",
            side=m.get_side_display(),
            status=m.get_status_display(),
            did_not_complete=m.status == Membership.Status.WITHDRAWN,
            commitment_days=commitment_of(m).days,
        )
        for m in memberships
    ]
    return ReportData(
        cohort=cohort,
        report=report,
        title=report.title or default_title(cohort),
        authors=authors,
        narrative={
            key: NarrativeSection(key=key, heading=SECTION_HEADINGS[key], text=getattr(report, key))
            for key in YearEndReport.NARRATIVE_SECTIONS
        },
        figures=figures,
        questions=list(sections.values()),
        other_insights=other_insights,
        other_case_studies=other_case_studies,
        survey_highlights=_survey_highlights(cohort),
        annex=annex,
        built_on=timezone.localdate(),
    )
