"""Building the year-end report: everything but the facilitators' narrative comes from data.

`build_report(cohort)` reads all the preview and the exports show, in a constant number of queries
however many members, events, insights and case studies the cohort has, into the frozen dataclasses of
`reports.data`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
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
    Survey,
    number_events,
    number_insight_events,
)
from cohorts.surveys import QuestionResult, survey_highlights, survey_results
from outputs.models import Output
from pairs.commitment import commitment_of
from pairs.models import Activity, LearningPair, StepProgress
from programme.models import Disconnect
from programme.rules import may_be_named

from . import rules
from .citations import Citer, cited_insight_ids, expand_figures, insight_note, reference_note
from .data import (
    SECTION_HEADINGS,
    SECTION_ONE_TITLE,
    SECTION_TWO_TITLE,
    ActivityRow,
    AnnexMember,
    CaseStudy,
    Derivation,
    EventRow,
    FindingItem,
    Footnote,
    NarrativeSection,
    PartItem,
    PreviousCohort,
    ProgrammeFigures,
    QuestionSection,
    ReportData,
    SurveyBar,
    SurveyLine,
    UploadedFigure,
)
from .models import CaseStudy as ReportCaseStudy
from .models import Reference, ReportFigure, ReportPart, SurveyEvidence, YearEndReport


def default_title(cohort: Cohort) -> str:
    return cohort.shape.report_title(cohort_name=cohort.name)


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


def report_event_rows(cohort: Cohort, *, held_only: bool = False) -> list[EventRow]:
    """The cohort's events, numbered, with attendance and guests: two queries. `held_only`: those that have
    started by now (numbered among all, so Workshop 3 stays Workshop 3)."""
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
    if held_only:
        now = timezone.now()
        events = [event for event in events if event.starts_at <= now]
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
            kind=kind.code,
            label=kind.name,
            count=activity_totals[kind.code]["n"],
            hours=activity_totals[kind.code]["hours"] or Decimal("0"),
            places=activity_totals[kind.code]["places"],
            report_group=kind.report_group,
        )
        for kind in cohort.shape.activity_kinds
        if kind.code in activity_totals
    ]


def _by_report_group(cohort: Cohort, activities: list[ActivityRow]) -> list[tuple[str, int]]:
    """Activities counted by the report groups of their kinds, every group of the shape, in its order."""
    counts = {row.kind: row.count for row in activities}
    groups: dict[str, int] = {}
    for kind in cohort.shape.activity_kinds:
        if kind.report_group:
            groups[kind.report_group] = groups.get(kind.report_group, 0) + counts.get(kind.code, 0)
    return list(groups.items())


def report_figures(cohort: Cohort, memberships: list[Membership]) -> ProgrammeFigures:
    by_side = Counter(m.side for m in memberships)
    by_status = Counter(m.status for m in memberships)
    pair_counts = dict(LearningPair.objects.for_cohort(cohort).order_by().values_list("status").annotate(n=Count("pk")))
    event_rows = report_event_rows(cohort, held_only=True)
    activities = report_activity_rows(cohort)
    commitments = [commitment_of(m) for m in memberships]
    return ProgrammeFigures(
        members_by_side=[
            (side.name, by_side[side.code]) for side in cohort.shape.sides if not side.archived or by_side[side.code]
        ],
        side_plurals={side.name: side.plural for side in cohort.shape.sides},
        cohort_phrase=cohort.shape.cohort_phrase,
        visits_by_group=_by_report_group(cohort, activities),
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
            if result.agree_pct is not None and result.answered >= rules.DISCLOSURE_MINIMUM
        )
    return highlights, bars


def report_memberships(cohort: Cohort) -> list[Membership]:
    """Everyone who took part, by surname, with their commitment: one query."""
    return sorted(
        Membership.objects.for_cohort(cohort).taking_part().select_related("user__organisation", "cohort"),
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
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.order_by("order", "pk")),
            Prefetch("disconnects", queryset=Disconnect.objects.order_by("order", "pk")),
        )
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


def _case_study(study: ReportCaseStudy, number: int, expand: Callable[[str], str]) -> CaseStudy:
    """A case study as printed; one from a pair output shows the output's reviewed text where its own is blank."""
    output = study.output
    names = study.credit_names() or (_names(output.credited_people()) if output is not None else [])
    return CaseStudy(
        number=number,
        title=study.title or (output.title if output is not None else ""),
        credits=_joined(names),
        markdown=expand(study.body or (output.body if output is not None else "")),
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
        credits=_joined(_names(output.credited_people())) or output.pair.label,
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


def report_uploaded_figures(cohort: Cohort) -> dict[int, UploadedFigure]:
    """The cohort's uploaded figures by id: one query."""
    return {
        figure.pk: UploadedFigure(
            name=f"upload-{figure.pk}",
            caption=figure.caption,
            description=figure.description,
            media_type=figure.media_type,
            content=bytes(figure.content),
        )
        for figure in ReportFigure.objects.filter(cohort=cohort)
    }


@dataclass
class _Writing:
    narrative: dict[str, NarrativeSection]
    questions: list[QuestionSection]
    subsections: list[PartItem]
    lessons: list[PartItem]
    others: list[CaseStudy]
    notes: list[Footnote]


def report_writing(
    cohort: Cohort, narrative: dict[str, NarrativeSection], figures: dict[int, UploadedFigure]
) -> _Writing:
    """The narrative, each question's framing and findings with their case studies, Section 2's sub-sections and
    lessons, and the case studies of neither, with every citation expanded into a footnote numbered in reading
    order (the order of YearEndReport.NARRATIVE_SECTIONS, each question and Section 2's parts in their places) and
    every [[figure:N]] into the uploaded figure."""
    questions = report_sections(cohort)
    studies = list(ReportCaseStudy.objects.for_cohort(cohort).in_order().with_credits())
    parts = list(ReportPart.objects.filter(cohort=cohort).order_by("order", "pk"))
    numbers = {study.pk: number for number, study in enumerate(studies, start=1)}
    findings = {finding.pk for question in questions for finding in question.findings.all()}
    part_ids = {part.pk for part in parts if part.kind == ReportPart.Kind.SUBSECTION}
    by_finding: dict[int | None, list[ReportCaseStudy]] = {}
    by_part: dict[int, list[ReportCaseStudy]] = {}
    for study in studies:
        if study.finding_id in findings:
            by_finding.setdefault(study.finding_id, []).append(study)
        elif study.part_id in part_ids:
            by_part.setdefault(study.part_id, []).append(study)
        else:
            by_finding.setdefault(None, []).append(study)
    texts = [section.text for section in narrative.values()] + [study.body for study in studies]
    texts += [question.framing for question in questions] + [part.body for part in parts]
    texts += [finding.body for question in questions for finding in question.findings.all()]
    citer = report_citer(cohort, texts)

    def expand(text: str) -> str:
        return expand_figures(citer.expand(text), figures)

    def case(study: ReportCaseStudy) -> CaseStudy:
        return _case_study(study, numbers[study.pk], expand)

    expanded: dict[str, NarrativeSection] = {}

    def narrate(*keys: str) -> None:
        for key in keys:
            section = narrative[key]
            expanded[key] = NarrativeSection(key=key, heading=section.heading, text=expand(section.text))

    narrate(
        "about_authors",
        "acknowledgements",
        "executive_summary",
        "introduction",
        "background",
        "this_report",
        "section_one_intro",
        "selection_criteria",
    )
    sections = []
    for index, question in enumerate(questions, start=1):
        framing = expand(question.framing)
        items = []
        for finding in question.findings.all():
            body = expand(finding.body)
            items.append(
                FindingItem(finding, markdown=body, case_studies=[case(s) for s in by_finding.get(finding.pk, [])])
            )
        sections.append(QuestionSection(number=index, question=question, findings=items, framing=framing))
    narrate("section_two_intro")
    subsections = []
    for number, part in enumerate((p for p in parts if p.kind == ReportPart.Kind.SUBSECTION), start=1):
        body = expand(part.body)
        subsections.append(PartItem(number, part.title, body, [case(s) for s in by_part.get(part.pk, [])]))
    narrate("lessons")
    lessons = [
        PartItem(number, part.title, expand(part.body))
        for number, part in enumerate((p for p in parts if p.kind == ReportPart.Kind.LESSON), start=1)
    ]
    others = [case(study) for study in by_finding.get(None, [])]
    others += [
        _featured_output_case_study(output, len(studies) + index)
        for index, output in enumerate(report_unplaced_outputs(cohort), start=1)
    ]
    narrate("conclusion")
    ordered = {key: expanded[key] for key in YearEndReport.NARRATIVE_SECTIONS}
    return _Writing(ordered, sections, subsections, lessons, others, citer.notes)


def report_questions_and_notes(
    cohort: Cohort, narrative: dict[str, NarrativeSection]
) -> tuple[dict[str, NarrativeSection], list[QuestionSection], list[CaseStudy], list[Footnote]]:
    """report_writing without Section 2: the narrative, the questions, the case studies of no finding, the notes."""
    writing = report_writing(cohort, narrative, {})
    return writing.narrative, writing.questions, writing.others, writing.notes


def report_previous_cohort(cohort: Cohort) -> PreviousCohort | None:
    """The programme's cohort before this one, with its themes and the disconnects it found: three queries."""
    previous = (
        Cohort.objects.filter(programme_id=cohort.programme_id, number__lt=cohort.number)
        .order_by("-number")
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("order", "pk")),
            Prefetch("disconnects_found", queryset=Disconnect.objects.order_by("order", "pk")),
        )
        .first()
    )
    if previous is None:
        return None
    return PreviousCohort(
        name=previous.name,
        starts_on=previous.starts_on,
        ends_on=previous.ends_on,
        themes=[question.short_title for question in previous.questions.all()],
        disconnects=[(d.title, d.practice_finds, d.policy_does) for d in previous.disconnects_found.all()],
    )


def report_survey_lines(cohort: Cohort) -> list[SurveyLine]:
    """The survey questions the facilitator chose, each once, overall or by side (cohorts.surveys' figures; below
    rules.DISCLOSURE_MINIMUM answers a count and no percentage, reports.rules.disclosed_percent)."""
    chosen = list(
        SurveyEvidence.objects.filter(cohort=cohort).select_related("question__survey__cohort").order_by("order", "pk")
    )
    results: dict[int, dict[int, QuestionResult]] = {}
    for survey in {item.question.survey.pk: item.question.survey for item in chosen}.values():
        results[survey.pk] = {result.question.pk: result for result in survey_results(survey).questions}
    sides = cohort.shape.sides
    lines = []
    for item in chosen:
        result = results[item.question.survey_id].get(item.question_id)
        if result is None:
            continue
        if item.breakdown == SurveyEvidence.Breakdown.BY_SIDE:
            groups = [
                (
                    sides.get(side).plural,
                    answered,
                    rules.disclosed_percent(result.agree_pct_by_side.get(side), answered),
                )
                for side, answered in result.answered_by_side.items()
                if answered
            ]
        else:
            groups = [("All respondents", result.answered, rules.disclosed_percent(result.agree_pct, result.answered))]
        survey = item.question.survey
        name = survey.title if survey.cohort.name in survey.title else f"{survey.title}, {survey.cohort.name}"
        lines.append(SurveyLine(question=item.question.text, survey=name, groups=groups))
    return lines


def report_parts_of(cohort: Cohort) -> list[ReportPart]:
    return list(ReportPart.objects.filter(cohort=cohort).order_by("kind", "order", "pk"))


def build_report(cohort: Cohort) -> ReportData:
    """Everything in the year-end report for a cohort, in a constant number of queries."""
    report = year_end_report_for(cohort)
    authors = report.author_names() or list(
        cohort.facilitators.order_by("full_name").values_list("full_name", flat=True)
    )
    memberships = report_memberships(cohort)
    uploaded = report_uploaded_figures(cohort)
    writing = report_writing(cohort, report_narrative(report), uploaded)
    survey_sentences = report_survey_highlights(cohort)
    survey_lines = report_survey_lines(cohort)
    return ReportData(
        cohort=cohort,
        report=report,
        title=report.title or default_title(cohort),
        authors=authors,
        narrative=writing.narrative,
        figures=report_figures(cohort, memberships),
        questions=writing.questions,
        other_insights=[],
        other_case_studies=writing.others,
        survey_highlights=survey_sentences,
        annex=report_annex(memberships, names_need_consent=cohort.programme.annex_names_need_consent),
        built_on=timezone.localdate(),
        footnotes=writing.notes,
        steps_done=report_steps_done(cohort),
        # The survey figure: the chosen questions with enough answers for a percentage.
        survey_bars=[
            SurveyBar(
                label=line.question if who == "All respondents" else f"{who}: {line.question}", percent=pct, answered=n
            )
            for line in survey_lines
            for who, n, pct in line.groups
            if pct is not None
        ],
        partners=list(cohort.programme.partners.order_by("name").values_list("name", flat=True)),
        published_on=report.published_on or cohort.ends_on,
        previous=report_previous_cohort(cohort),
        derivations=[
            Derivation(
                question=question.text,
                short_title=question.short_title,
                disconnects=[disconnect.title for disconnect in question.disconnects.all()],
            )
            for question in (section.question for section in writing.questions)
        ],
        subsections=writing.subsections,
        lesson_items=writing.lessons,
        survey_lines=survey_lines,
        uploaded_figures={figure.name: figure for figure in uploaded.values()},
        section_one_title=report.section_one_title or SECTION_ONE_TITLE,
        section_two_title=report.section_two_title or SECTION_TWO_TITLE,
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
