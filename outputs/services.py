"""Writes on outputs: creating and editing them, and moving them through review to the public library."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cohorts import rules as cohort_rules
from cohorts.models import Question
from pairs.models import LearningPair

from . import rules
from .models import Output

# The output pages and tests read these messages from here too.
from .rules import NEEDS_TITLE_AND_SUMMARY as NEEDS_TITLE_AND_SUMMARY
from .rules import ONLY_DRAFTS_GO_TO_REVIEW as ONLY_DRAFTS_GO_TO_REVIEW
from .rules import ONLY_IN_REVIEW as ONLY_IN_REVIEW
from .rules import ONLY_PUBLISHED_FEATURED as ONLY_PUBLISHED_FEATURED
from .rules import SEND_BACK_NEEDS_COMMENT as SEND_BACK_NEEDS_COMMENT

EDITABLE_FIELDS = ("kind", "title", "summary", "body", "link", "due_on", "question", "visibility")


def _has_content(output: Output) -> bool:
    return bool(output.summary.strip() or output.body.strip() or output.file or output.link)


def _check_title_and_summary(output: Output, action: str) -> None:
    rules.check_title_and_summary(title=output.title, summary=output.summary, action=action)


def _save(output: Output) -> Output:
    output.full_clean()
    output.save()
    return output


@transaction.atomic
def output_create(
    *,
    pair: LearningPair,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    file: UploadedFile | None = None,
    link: str = "",
    due_on: date | None = None,
    question: Question | None = None,
    visibility: str = Output.Visibility.PAIR,
) -> Output:
    """A new output of the pair: planned until it has some content, drafting once it has."""
    cohort_rules.check_question_in_cohort(question, pair.cohort_id, owner="pair")
    rules.check_http_link(link)
    output = Output(
        pair=pair,
        kind=kind,
        title=title,
        summary=summary,
        body=body,
        link=link,
        due_on=due_on,
        question=question,
        visibility=visibility,
    )
    if file:
        output.file = file
    output.status = rules.status_after_content(Output.Status.PLANNED, has_content=_has_content(output))
    return _save(output)


@transaction.atomic
def output_update(
    *, output: Output, file: UploadedFile | None = None, clear_file: bool = False, **fields: Any
) -> Output:
    """Change an output's text, file or link; a planned output becomes drafting once it has content."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"output_update cannot change {', '.join(sorted(unknown))}")
    cohort_rules.check_question_in_cohort(fields.get("question"), output.pair.cohort_id, owner="pair")
    rules.check_http_link(str(fields.get("link", "")))
    for name, value in fields.items():
        setattr(output, name, value)
    if file:
        output.file = file
    elif clear_file:
        output.file = ""
    output.status = rules.status_after_content(output.status, has_content=_has_content(output))
    if output.status == Output.Status.PUBLISHED:
        _check_title_and_summary(output, "published")
    return _save(output)


@transaction.atomic
def output_submit_for_review(*, output: Output) -> Output:
    """A member asks the cohort's facilitators to review the output."""
    rules.check_can_submit(output.status)
    _check_title_and_summary(output, "submitted for review")
    output.status = Output.Status.IN_REVIEW
    return _save(output)


@transaction.atomic
def output_publish(*, output: Output, now: datetime | None = None) -> Output:
    """A facilitator publishes an output in review; who may then read it follows its visibility.

    It is dated now, or `now` when recording one published earlier.
    """
    rules.check_in_review(output.status, action="published")
    _check_title_and_summary(output, "published")
    output.status = Output.Status.PUBLISHED
    output.published_at = now or timezone.now()
    output.review_comment = ""
    return _save(output)


@transaction.atomic
def output_send_back(*, output: Output, comment: str) -> Output:
    """A facilitator returns an output in review to the pair, saying what to change."""
    rules.check_in_review(output.status, action="sent back")
    rules.check_send_back_comment(comment)
    output.status = Output.Status.DRAFTING
    output.review_comment = comment.strip()
    return _save(output)


@transaction.atomic
def output_feature(*, output: Output, featured: bool = True) -> Output:
    """Mark (or unmark) a published output as a case study for the year-end report."""
    rules.check_can_feature(status=output.status, featured=featured)
    output.featured = featured
    return _save(output)


@transaction.atomic
def output_restore(*, output: Output) -> Output:
    """Bring an archived output back; it is shown again as its status and visibility allow."""
    output.archived = False
    return _save(output)


@transaction.atomic
def output_archive(*, output: Output) -> Output:
    """Hide an output from everyone (kept, with its history); an archived output is no longer featured."""
    output.archived = True
    output.featured = False
    return _save(output)
