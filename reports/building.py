"""Building the year-end report: everything but the facilitators' narrative comes from data.

`build_report(cohort)` reads all the preview and the exports show, in a constant number of queries
however many members, events, insights and case studies the cohort has, into the frozen dataclasses of
`reports.data`.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from cohorts.models import (
    Attendance,
    Cohort,
    Event,
    ExternalGuest,
    Finding,
    Insight,
    Membership,
    Question,
    Side,
    Survey,
    number_events,
    number_insight_events,
)
from cohorts.surveys import survey_highlights, survey_results
from outputs.models import Output
from pairs.commitment import attach_commitments, commitment_of
from pairs.models import Activity, LearningPair

from .data import (
    SECTION_HEADINGS,
    ActivityRow,
    AnnexMember,
    CaseStudy,
    EventRow,
    FindingItem,
    Footnote,
    NarrativeSection,
    ProgrammeFigures,
    QuestionSection,
    ReportData,
)
from .models import YearEndReport


def default_title(cohort: Cohort) -> str:
    return f"Insights from the {cohort.programme.name} in {cohort.name}"


def year_end_report_for(cohort: Cohort) -> YearEndReport:
    """The cohort's saved narrative, or a new unsaved one (a GET never creates a row)."""
    report = YearEndReport.objects.filter(cohort=cohort).select_related("updated_by").first()
    if report is None:
        return YearEndReport(cohort=cohort)
    report.cohort = cohort  # the caller's cohort, with its programme: no query to fetch it again
    return report


def _surname_key(name: str) -> tuple[str, str]:
    surname = name.strip().split(" ")[-1] if name.strip() else ""
    return (surname.casefold(), name.casefold())


def report_event_rows(cohort: Cohort) -> list[EventRow]:
    """The cohort's events, numbered, with attendance and guests: two queries."""
    # Counted per event in subqueries: joining attendance and guests at once would multiply the rows.
    attended = (
        Attendance.objects.filter(event=OuterRef("pk"), status=Attendance.Status.ATTENDED)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    guests = (
        ExternalGuest.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    events = list(
        Event.objects.for_cohort(cohort)
        .annotate(
            attended=Coalesce(Subquery(attended, output_field=IntegerField()), 0),
            guest_count=Coalesce(Subquery(guests, output_field=IntegerField()), 0),
        )
        .order_by("starts_at", "pk")
    )
    number_events(events)
    return [
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


def report_activity_rows(cohort: Cohort) -> list[ActivityRow]:
    """Activities of the cohort's pairs by kind: count, hours and places visited, in one query."""
    activity_totals = {
        row["kind"]: row
        for row in Activity.objects.filter(pair__cohort=cohort)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"), hours=Sum("hours"), places=Count("place", distinct=True, filter=~Q(place="")))
    }
    return [
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


def report_figures(cohort: Cohort, memberships: list[Membership]) -> ProgrammeFigures:
    by_side = Counter(m.side for m in memberships)
    by_status = Counter(m.status for m in memberships)
    pair_counts = dict(LearningPair.objects.for_cohort(cohort).order_by().values_list("status").annotate(n=Count("pk")))
    event_rows = report_event_rows(cohort)
    activities = report_activity_rows(cohort)
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


def report_survey_highlights(cohort: Cohort) -> list[str]:
    """The sentences of every survey of the cohort, from cohorts.surveys (the survey pages use the same figures)."""
    highlights: list[str] = []
    for survey in Survey.objects.filter(cohort=cohort).order_by("opens_at", "pk"):
        highlights.extend(survey_highlights(survey_results(survey)))
    return highlights


def report_memberships(cohort: Cohort) -> list[Membership]:
    """Everyone who took part, by surname, with their commitment: three queries."""
    return sorted(
        attach_commitments(
            list(Membership.objects.for_cohort(cohort).taking_part().select_related("user__organisation", "cohort"))
        ),
        key=lambda m: _surname_key(m.user.full_name),
    )


def report_annex(memberships: list[Membership]) -> list[AnnexMember]:
    return [
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


def report_sections(cohort: Cohort) -> dict[int, QuestionSection]:
    """A section per question, with its findings (no insights or case studies yet): two queries."""
    questions = list(
        Question.objects.filter(cohort=cohort)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("order", "pk")))
    )
    return {
        question.pk: QuestionSection(
            number=index, question=question, findings=[FindingItem(f) for f in question.findings.all()]
        )
        for index, question in enumerate(questions, start=1)
    }


def report_cite_insights(cohort: Cohort, sections: dict[int, QuestionSection]) -> list[Footnote]:
    """Number the cohort's insights in reading order into their sections; returns those of no section."""
    insights = number_insight_events(
        list(
            Insight.objects.filter(cohort=cohort)
            .with_attribution()
            .order_by(F("event__starts_at").asc(nulls_last=True), "recorded_at", "pk")
        )
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
    return other_insights


def report_cite_case_studies(cohort: Cohort, sections: dict[int, QuestionSection]) -> list[CaseStudy]:
    """Number the featured outputs into their sections; returns those of no section."""
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
    return other_case_studies


def build_report(cohort: Cohort) -> ReportData:
    """Everything in the year-end report for a cohort, in a constant number of queries."""
    report = year_end_report_for(cohort)
    authors = list(cohort.facilitators.order_by("full_name").values_list("full_name", flat=True))
    memberships = report_memberships(cohort)
    sections = report_sections(cohort)
    other_insights = report_cite_insights(cohort, sections)
    other_case_studies = report_cite_case_studies(cohort, sections)
    return ReportData(
        cohort=cohort,
        report=report,
        title=report.title or default_title(cohort),
        authors=authors,
        narrative={
            key: NarrativeSection(key=key, heading=SECTION_HEADINGS[key], text=getattr(report, key))
            for key in YearEndReport.NARRATIVE_SECTIONS
        },
        figures=report_figures(cohort, memberships),
        questions=list(sections.values()),
        other_insights=other_insights,
        other_case_studies=other_case_studies,
        survey_highlights=report_survey_highlights(cohort),
        annex=report_annex(memberships),
        built_on=timezone.localdate(),
    )
