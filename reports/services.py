"""Writes to the year-end report: the facilitators' narrative, saved as drafts.

`report_save_narrative` saves it (django-simple-history keeps every earlier draft) and refuses to overwrite
a draft someone else saved in the meantime.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.models import Cohort
from programme.models import User

from .models import YearEndReport

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
