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
from pairs.models import Activity, LearningPair, StepProgress
from programme.rules import may_be_named

from .citations import Citer, cited_insight_ids, insight_note, reference_note
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
    SurveyBar,
)
from .models import CaseStudy as ReportCaseStudy
from .models import Reference, YearEndReport

SURVEY_BAR_MINIMUM = 5  # no percentage of fewer respondents: one person would be 20% or more


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


def report_survey_highlights(cohort: Cohort) -> list[str]:
    """The sentences of every survey of the cohort, from cohorts.surveys (the survey pages use the same figures)."""
    return report_survey_evidence(cohort)[0]


def report_survey_evidence(cohort: Cohort) -> tuple[list[str], list[SurveyBar]]:
    """The survey sentences, and a bar per agree/yes statement with enough answers to give a percentage."""
    highlights: list[str] = []
    bars: list[SurveyBar] = []
    for survey in Survey.objects.filter(cohort=cohort).order_by("opens_at", "pk"):
        results = survey_results(survey)
        highlights.extend(survey_highlights(results))
        bars.extend(
            SurveyBar(label=result.question.text, percent=result.agree_pct, answered=result.answered)
            for result in results.questions
            if result.agree_pct is not None and result.answered >= SURVEY_BAR_MINIMUM
        )
    return highlights, bars


def report_memberships(cohort: Cohort) -> list[Membership]:
    """Everyone who took part, by surname, with their commitment: three queries."""
    return sorted(
        attach_commitments(
            list(Membership.objects.for_cohort(cohort).taking_part().select_related("user__organisation", "cohort"))
        ),
        key=lambda m: _surname_key(m.user.full_name),
    )


ANNEX_NAME_WITHHELD = "Name withheld"


def report_annex(memberships: list[Membership], *, names_need_consent: bool) -> list[AnnexMember]:
    """Annex A: everyone who took part. Where the programme's manager asks for it, those who have not consented
    to be named appear by their side only (programme.rules.may_be_named)."""

    def named(m: Membership) -> bool:
        return not names_need_consent or may_be_named(consents_to_be_named=m.user.consents_to_be_named)

    return [
        AnnexMember(
            name=m.user.full_name if named(m) else ANNEX_NAME_WITHHELD,
            organisation=(m.user.organisation.name if m.user.organisation is not None else "") if named(m) else "",
            side=m.get_side_display(),
            status=m.get_status_display(),
            did_not_complete=m.status == Membership.Status.WITHDRAWN,
            commitment_days=commitment_of(m).days,
        )
        for m in memberships
    ]


def report_sections(cohort: Cohort) -> list[Question]:
    """The cohort's questions with their findings, in order: two queries."""
    return list(
        Question.objects.filter(cohort=cohort)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("order", "pk")))
    )


def report_citer(cohort: Cohort, texts: list[str]) -> Citer:
    """The notes these texts may cite: the cohort's insights they name and its references, in three queries.

    Only the cohort's own are looked up, so a citation of another cohort's insight is never printed.
    """
    insights = number_insight_events(
        list(Insight.objects.filter(cohort=cohort, pk__in=cited_insight_ids(texts)).with_attribution())
    )
    return Citer(
        insights={insight.pk: insight_note(insight) for insight in insights},
        references={reference.pk: reference_note(reference) for reference in Reference.objects.filter(cohort=cohort)},
    )


def _names(people: list) -> list[str]:
    return [
        f"{person.full_name} ({person.organisation.name})" if person.organisation is not None else person.full_name
        for person in people
    ]


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _case_study(study: ReportCaseStudy, number: int, citer: Citer) -> CaseStudy:
    """A case study as printed; one from a pair output shows the output's reviewed text where its own is blank."""
    output = study.output
    names = study.credit_names() or (_names(output.credited_people()) if output is not None else [])
    return CaseStudy(
        number=number,
        title=study.title or (output.title if output is not None else ""),
        credits=_joined(names),
        markdown=citer.expand(study.body or (output.body if output is not None else "")),
        origin=study.get_origin_display(),
        stage="" if study.stage == ReportCaseStudy.Stage.FINAL else study.get_stage_display(),
        summary=study.summary or (output.summary if output is not None else ""),
        link=output.link if output is not None else "",
    )


def _featured_output_case_study(output: Output, number: int) -> CaseStudy:
    """A featured output no facilitator has placed yet: printed after the placed ones, as it always was."""
    return CaseStudy(
        number=number,
        title=output.title,
        credits=_joined(_names(output.credited_people())) or f"Pair {output.pair.number}",
        markdown=output.body,
        origin=ReportCaseStudy.Origin.PAIR_OUTPUT.label,
        summary=output.summary,
        link=output.link,
    )


def report_unplaced_outputs(cohort: Cohort) -> list[Output]:
    """Featured outputs of the cohort that no case study of the report comes from yet: two queries."""
    return list(
        Output.objects.current()
        .featured()
        .for_cohort(cohort)
        .exclude(report_case_studies__cohort=cohort)
        .with_credits()
        .order_by(F("published_at").asc(nulls_last=True), "pk")
    )


def report_narrative(report: YearEndReport) -> dict[str, NarrativeSection]:
    return {
        key: NarrativeSection(key=key, heading=SECTION_HEADINGS[key], text=getattr(report, key))
        for key in YearEndReport.NARRATIVE_SECTIONS
    }


def report_questions_and_notes(
    cohort: Cohort, narrative: dict[str, NarrativeSection]
) -> tuple[dict[str, NarrativeSection], list[QuestionSection], list[CaseStudy], list[Footnote]]:
    """The narrative, each question's framing and findings with their case studies, and the case studies of no
    finding, with every citation expanded into a footnote numbered in reading order: the executive summary and
    introduction, then each question (framing, then each finding followed by its case studies), then the case
    studies of no finding (featured pair outputs not yet made case studies last), lessons and conclusion."""
    questions = report_sections(cohort)
    studies = list(ReportCaseStudy.objects.for_cohort(cohort).in_order().with_credits())
    numbers = {study.pk: number for number, study in enumerate(studies, start=1)}
    by_finding: dict[int | None, list[ReportCaseStudy]] = {}
    findings = {finding.pk for question in questions for finding in question.findings.all()}
    for study in studies:
        by_finding.setdefault(study.finding_id if study.finding_id in findings else None, []).append(study)
    texts = [section.text for section in narrative.values()] + [study.body for study in studies]
    texts += [question.framing for question in questions]
    texts += [finding.body for question in questions for finding in question.findings.all()]
    citer = report_citer(cohort, texts)

    def expanded(key: str) -> NarrativeSection:
        section = narrative[key]
        return NarrativeSection(key=key, heading=section.heading, text=citer.expand(section.text))

    before = {key: expanded(key) for key in ("executive_summary", "introduction")}
    sections = []
    for index, question in enumerate(questions, start=1):
        framing = citer.expand(question.framing)
        items = []
        for finding in question.findings.all():
            body = citer.expand(finding.body)
            cases = [_case_study(study, numbers[study.pk], citer) for study in by_finding.get(finding.pk, [])]
            items.append(FindingItem(finding, markdown=body, case_studies=cases))
        sections.append(QuestionSection(number=index, question=question, findings=items, framing=framing))
    others = [_case_study(study, numbers[study.pk], citer) for study in by_finding.get(None, [])]
    others += [
        _featured_output_case_study(output, len(studies) + index)
        for index, output in enumerate(report_unplaced_outputs(cohort), start=1)
    ]
    after = {key: expanded(key) for key in ("lessons", "conclusion")}
    ordered = {key: (before | after)[key] for key in YearEndReport.NARRATIVE_SECTIONS}
    return ordered, sections, others, citer.notes


def build_report(cohort: Cohort) -> ReportData:
    """Everything in the year-end report for a cohort, in a constant number of queries."""
    report = year_end_report_for(cohort)
    authors = list(cohort.facilitators.order_by("full_name").values_list("full_name", flat=True))
    memberships = report_memberships(cohort)
    narrative, sections, other_case_studies, footnotes = report_questions_and_notes(cohort, report_narrative(report))
    survey_sentences, survey_bars = report_survey_evidence(cohort)
    return ReportData(
        cohort=cohort,
        report=report,
        title=report.title or default_title(cohort),
        authors=authors,
        narrative=narrative,
        figures=report_figures(cohort, memberships),
        questions=sections,
        other_insights=[],
        other_case_studies=other_case_studies,
        survey_highlights=survey_sentences,
        annex=report_annex(memberships, names_need_consent=cohort.programme.annex_names_need_consent),
        built_on=timezone.localdate(),
        footnotes=footnotes,
        steps_done=report_steps_done(cohort),
        survey_bars=survey_bars,
    )


def report_steps_done(cohort: Cohort) -> list[tuple[int, str, int]]:
    """(number, name, pairs done) for each of the programme's refining steps, in step order, an archived step only
    where pairs did it: one query."""
    done = dict(
        StepProgress.objects.filter(pair__cohort=cohort, status=StepProgress.Status.DONE)
        .order_by()
        .values_list("step")
        .annotate(n=Count("pk"))
    )
    return [
        (step.number, step.name, done.get(step.number, 0))
        for step in cohort.shape.steps
        if not step.archived or done.get(step.number)
    ]
