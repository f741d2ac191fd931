"""Writes to the year-end report: the facilitators' narrative, saved as drafts, and its findings' evidence.

`report_save_narrative` saves it (django-simple-history keeps every earlier draft) and refuses to overwrite
a draft someone else saved in the meantime.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.models import Cohort, Finding, Insight, Question
from cohorts.services import EditConflict, finding_save, question_save_framing
from programme.models import User

from .citations import check_citations
from .models import CaseStudy, Reference, YearEndReport

STALE_DRAFT = (
    "{who} saved this report at {when} after you opened it. Your text is below and has not been saved: "
    "copy what you need, reload the page and merge your changes into theirs."
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
) -> YearEndReport:
    """Save a draft of the narrative (creating the cohort's report on first save); every draft is kept in history.

    `based_on` is the draft_marker() of the draft the writer opened: if someone saved since, nothing is saved.
    """
    check_cohort_citations(cohort, executive_summary, introduction, lessons, conclusion)
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
