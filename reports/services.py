"""Writes to the year-end report: the facilitators' narrative, saved as drafts, and its findings' evidence.

`report_save_narrative` saves it (django-simple-history keeps every earlier draft) and refuses to overwrite
a draft someone else saved in the meantime.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from cohorts.models import Cohort, Finding, Insight, Question, SurveyQuestion
from cohorts.services import EditConflict, event_numbers_keep, finding_save, question_save_framing
from programme.models import User

from . import rules
from .citations import check_citations
from .models import CaseStudy, Reference, ReportExport, ReportFigure, ReportPart, SurveyEvidence, YearEndReport

STALE_DRAFT = (
    "{who} saved this report at {when} after you opened it. Your text is below and has not been saved: "
    "copy what you need, reload the page and merge your changes into theirs."
)


# Every field the narrative form writes, in the report's order.
REPORT_FIELDS = (
    "title",
    "authors",
    "published_on",
    "about_authors",
    "acknowledgements",
    "executive_summary",
    "introduction",
    "background",
    "this_report",
    "section_one_title",
    "section_one_intro",
    "selection_criteria",
    "section_two_title",
    "section_two_intro",
    "lessons",
    "conclusion",
)


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
    **front_and_sections: Any,
) -> YearEndReport:
    """Save a draft of the narrative (creating the cohort's report on first save); every draft is kept in history.

    `front_and_sections` are the other fields of REPORT_FIELDS (authors, publication date, about the authors,
    background, Section 1 and 2 titles and openings...); those not given keep their value.
    `based_on` is the draft_marker() of the draft the writer opened: if someone saved since, nothing is saved.
    """
    unknown = set(front_and_sections) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of the report's narrative: {sorted(unknown)}")
    texts = [value for value in front_and_sections.values() if isinstance(value, str)]
    check_cohort_citations(cohort, executive_summary, introduction, lessons, conclusion, *texts)
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
    for name, value in front_and_sections.items():
        setattr(report, name, value.strip() if name in ("authors", "section_one_title", "section_two_title") else value)
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
    when = timezone.localtime(report.updated_at).strftime("%H:%M on %-d %B %Y")
    raise ValidationError(STALE_DRAFT.format(who=who, when=when), code="stale")


# --- Writing the report: findings' evidence, references and case studies -------------------------------


def cohort_citable_ids(cohort: Cohort) -> tuple[set[int], set[int]]:
    """The pks of the cohort's insights and references: what its texts may cite."""
    return (
        set(Insight.objects.filter(cohort=cohort).values_list("pk", flat=True)),
        set(Reference.objects.filter(cohort=cohort).values_list("pk", flat=True)),
    )


def check_cohort_citations(cohort: Cohort, *texts: str) -> None:
    insight_ids, reference_ids = cohort_citable_ids(cohort)
    check_citations(texts, insight_ids=insight_ids, reference_ids=reference_ids)


@transaction.atomic
def finding_write(
    *,
    finding: Finding,
    title: str,
    body: str,
    case_studies: Iterable[CaseStudy],
    by: User,
    based_on: int | None = None,
) -> Finding:
    """Save a finding with its evidence: its citations must be the cohort's, and the case studies chosen are
    placed after it (those no longer chosen are left without a finding). Raises EditConflict when stale."""
    cohort = finding.question.cohort
    check_cohort_citations(cohort, body)
    chosen = [study.pk for study in case_studies]
    saved = finding_save(finding=finding, title=title, body=body, by=by, based_on=based_on)
    CaseStudy.objects.filter(cohort=cohort, finding=saved).exclude(pk__in=chosen).update(finding=None)
    CaseStudy.objects.filter(cohort=cohort, pk__in=chosen).update(finding=saved)
    return saved


@transaction.atomic
def framing_write(*, question: Question, framing: str, by: User, based_on: int | None = None) -> Question:
    """Save a question's framing, whose citations must be the cohort's. Raises EditConflict when stale."""
    check_cohort_citations(question.cohort, framing)
    return question_save_framing(question=question, framing=framing, by=by, based_on=based_on)


@transaction.atomic
def reference_save(*, reference: Reference) -> Reference:
    """Add or correct a reference (history keeps earlier versions)."""
    reference.full_clean()
    reference.save()
    return reference


@transaction.atomic
def reference_delete(*, reference: Reference) -> None:
    reference.delete()


@transaction.atomic
def case_study_save(
    *,
    case_study: CaseStudy,
    credited_people: Iterable[User],
    by: User,
    based_on: int | None = None,
) -> CaseStudy:
    """Add or save a case study with the people credited; a new one goes last. Raises EditConflict when stale."""
    check_cohort_citations(case_study.cohort, case_study.body)
    if case_study.pk:
        current = CaseStudy.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=case_study.pk)
        if based_on is not None and based_on != current.version:
            raise EditConflict(
                who=current.updated_by.full_name if current.updated_by else "Someone else",
                when=current.updated_at,
                text=current.body,
                version=current.version,
            )
        case_study.version = current.version + 1
    else:
        last = CaseStudy.objects.select_for_update().filter(cohort=case_study.cohort).order_by("-order").first()
        case_study.order = (last.order + 1) if last else 1
    case_study.updated_by = by
    case_study.full_clean()
    case_study.save()
    case_study.credited_people.set(list(credited_people))
    return case_study


@transaction.atomic
def case_study_move(*, case_study: CaseStudy, up: bool) -> None:
    """Swap a case study with the one before (up) or after it: the facilitators number them this way."""
    studies = list(CaseStudy.objects.select_for_update().filter(cohort_id=case_study.cohort_id).in_order())
    index = next(i for i, study in enumerate(studies) if study.pk == case_study.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(studies):
        studies[index], studies[other] = studies[other], studies[index]
    for position, study in enumerate(studies, start=1):
        if study.order != position:
            study.order = position
            study.save(update_fields=["order"])


@transaction.atomic
def case_study_delete(*, case_study: CaseStudy) -> None:
    cohort_id = case_study.cohort_id
    case_study.delete()
    for position, study in enumerate(CaseStudy.objects.filter(cohort_id=cohort_id).in_order(), start=1):
        if study.order != position:
            study.order = position
            study.save(update_fields=["order"])


# --- Section 2: sub-sections and lessons, chosen survey evidence, uploaded figures -----------------------


@transaction.atomic
def report_part_save(*, part: ReportPart) -> ReportPart:
    """Add or save a sub-section or lesson, whose citations must be the cohort's; a new one goes last."""
    check_cohort_citations(part.cohort, part.body)
    if not part.pk:
        last = (
            ReportPart.objects.select_for_update().filter(cohort=part.cohort, kind=part.kind).order_by("-order").first()
        )
        part.order = (last.order + 1) if last else 1
    part.full_clean()
    part.save()
    return part


@transaction.atomic
def report_part_delete(*, part: ReportPart) -> None:
    """Delete a part; the rest of its kind are renumbered, and its case studies stay, placed nowhere."""
    cohort_id, kind = part.cohort_id, part.kind
    part.delete()
    for position, other in enumerate(
        ReportPart.objects.filter(cohort_id=cohort_id, kind=kind).order_by("order", "pk"), 1
    ):
        if other.order != position:
            other.order = position
            other.save(update_fields=["order"])


def evidence_questions(cohort: Cohort) -> QuerySet[SurveyQuestion]:
    """The survey questions a report may quote: every survey of its programme's cohorts up to this one."""
    return (
        SurveyQuestion.objects.filter(
            survey__cohort__programme_id=cohort.programme_id, survey__cohort__number__lte=cohort.number
        )
        .exclude(kind=SurveyQuestion.Kind.TEXT)
        .select_related("survey__cohort")
        .order_by("-survey__cohort__number", "survey__opens_at", "order")
    )


@transaction.atomic
def survey_evidence_add(*, cohort: Cohort, question: SurveyQuestion, breakdown: str) -> SurveyEvidence:
    """Put a survey question in the report, once, printed overall or by side."""
    if not evidence_questions(cohort).filter(pk=question.pk).exists():
        raise ValidationError({"question": rules.EVIDENCE_OF_PROGRAMME})
    if SurveyEvidence.objects.filter(cohort=cohort, question=question).exists():
        raise ValidationError({"question": rules.EVIDENCE_ONCE})
    last = SurveyEvidence.objects.select_for_update().filter(cohort=cohort).order_by("-order").first()
    item = SurveyEvidence(cohort=cohort, question=question, breakdown=breakdown, order=(last.order + 1) if last else 1)
    item.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # chosen at the same moment by someone else
        raise ValidationError({"question": rules.EVIDENCE_ONCE}) from None
    return item


@transaction.atomic
def survey_evidence_remove(*, item: SurveyEvidence) -> None:
    item.delete()


@transaction.atomic
def report_figure_upload(*, cohort: Cohort, caption: str, description: str, content: bytes) -> ReportFigure:
    """Keep an uploaded image for a figure that cannot be drawn from data: a PNG or JPEG by its content."""
    media_type = rules.check_figure_image(head=content[:262], size=len(content))
    figure = ReportFigure(
        cohort=cohort, caption=caption.strip(), description=description.strip(), media_type=media_type, content=content
    )
    figure.full_clean(exclude=["content"])
    figure.save()
    return figure


@transaction.atomic
def report_figure_delete(*, figure: ReportFigure) -> None:
    figure.delete()


# A build that has not finished this long after it started is taken for lost (its worker stopped) and may be asked
# for again.
EXPORT_BUILD_LOST_AFTER = timedelta(minutes=15)
EXPORT_FAILED = "something went wrong; try again, and tell your programme manager if it fails again."


def report_export_request(*, cohort: Cohort, kind: str, fingerprint: str) -> ReportExport:
    """Ask for the report as a file of `kind`, built by a task: nothing to do when a file of the report as it is
    now (its `fingerprint`, reports.exports.files) is ready or a build is on its way."""
    from .tasks import report_export_build_task

    with transaction.atomic():
        export, created = (
            ReportExport.objects.select_for_update()
            .defer("content")
            .get_or_create(cohort=cohort, kind=kind, defaults={"requested_at": timezone.now()})
        )
        if not created:
            if export.status == ReportExport.Status.READY and export.fingerprint == fingerprint:
                return export
            lost = export.started_at is not None and timezone.now() - export.started_at > EXPORT_BUILD_LOST_AFTER
            if export.is_pending and not lost:
                return export
            export.status = ReportExport.Status.QUEUED
            export.requested_at = timezone.now()
            export.started_at = None
            export.error = ""
            export.save(update_fields=["status", "requested_at", "started_at", "error"])
        transaction.on_commit(lambda: report_export_build_task.enqueue(export.pk))
    return export


def report_export_build(*, export_id: int) -> str:
    """Build the file a ReportExport asks for and keep it; safe to run twice (a ready file is not built again).
    Returns the status it leaves."""
    from .building import build_report
    from .exports.files import BUILDERS, report_data_fingerprint
    from .figures import FigureToolMissing

    export = ReportExport.objects.defer("content").select_related("cohort__programme").filter(pk=export_id).first()
    if export is None or export.status == ReportExport.Status.READY:
        return export.status if export is not None else "gone"
    ReportExport.objects.filter(pk=export.pk).update(status=ReportExport.Status.BUILDING, started_at=timezone.now())
    cohort = export.cohort
    # As printed from now on: its events keep the numbers it cites them by (issue 17).
    event_numbers_keep(cohort=cohort)
    data = build_report(cohort)
    try:
        content = BUILDERS[export.kind](data)
    except FigureToolMissing as error:
        ReportExport.objects.filter(pk=export.pk).update(status=ReportExport.Status.FAILED, error=str(error))
        return ReportExport.Status.FAILED
    except Exception:
        ReportExport.objects.filter(pk=export.pk).update(status=ReportExport.Status.FAILED, error=EXPORT_FAILED)
        raise
    ReportExport.objects.filter(pk=export.pk).update(
        status=ReportExport.Status.READY,
        content=content,
        fingerprint=report_data_fingerprint(data),
        built_at=timezone.now(),
        error="",
    )
    return ReportExport.Status.READY
