"""Writes on outputs: creating and editing them, and moving them through review to the public library."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cohorts.models import Question
from pairs.models import LearningPair

from .models import Output
from .validators import validate_http_link

NEEDS_TITLE_AND_SUMMARY = "Write a title and a summary before the output is {action}."
ONLY_DRAFTS_GO_TO_REVIEW = "Only a planned or drafting output can be submitted for review."
ONLY_IN_REVIEW = "Only an output in review can be {action}."
SEND_BACK_NEEDS_COMMENT = "Say what the pair should change before sending the output back."
ONLY_PUBLISHED_FEATURED = "Only published outputs can be featured in the year-end report."
QUESTION_OF_OTHER_COHORT = "Choose a question of this pair's cohort."

EDITABLE_FIELDS = ("kind", "title", "summary", "body", "link", "due_on", "question", "visibility")


def _has_content(output: Output) -> bool:
    return bool(output.summary.strip() or output.body.strip() or output.file or output.link)


def _check_title_and_summary(output: Output, action: str) -> None:
    if not (output.title.strip() and output.summary.strip()):
        raise ValidationError(NEEDS_TITLE_AND_SUMMARY.format(action=action), code="needs_summary")


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
    if question is not None and question.cohort_id != pair.cohort_id:
        raise ValidationError({"question": QUESTION_OF_OTHER_COHORT})
    validate_http_link(link)
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
    output.status = Output.Status.DRAFTING if _has_content(output) else Output.Status.PLANNED
    return _save(output)


@transaction.atomic
def output_update(
    *, output: Output, file: UploadedFile | None = None, clear_file: bool = False, **fields: Any
) -> Output:
    """Change an output's text, file or link; a planned output becomes drafting once it has content."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"output_update cannot change {', '.join(sorted(unknown))}")
    question = fields.get("question")
    if question is not None and question.cohort_id != output.pair.cohort_id:
        raise ValidationError({"question": QUESTION_OF_OTHER_COHORT})
    validate_http_link(fields.get("link", ""))
    for name, value in fields.items():
        setattr(output, name, value)
    if file:
        output.file = file
    elif clear_file:
        output.file = ""
    if output.status == Output.Status.PLANNED and _has_content(output):
        output.status = Output.Status.DRAFTING
    if output.status == Output.Status.PUBLISHED:
        _check_title_and_summary(output, "published")
    return _save(output)


@transaction.atomic
def output_submit_for_review(*, output: Output) -> Output:
    """A member asks the cohort's facilitators to review the output."""
    if output.status not in (Output.Status.PLANNED, Output.Status.DRAFTING):
        raise ValidationError(ONLY_DRAFTS_GO_TO_REVIEW, code="wrong_status")
    _check_title_and_summary(output, "submitted for review")
    output.status = Output.Status.IN_REVIEW
    return _save(output)


@transaction.atomic
def output_publish(*, output: Output, now: datetime | None = None) -> Output:
    """A facilitator publishes an output in review; who may then read it follows its visibility.

    It is dated now, or `now` when recording one published earlier.
    """
    if output.status != Output.Status.IN_REVIEW:
        raise ValidationError(ONLY_IN_REVIEW.format(action="published"), code="wrong_status")
    _check_title_and_summary(output, "published")
    output.status = Output.Status.PUBLISHED
    output.published_at = now or timezone.now()
    output.review_comment = ""
    return _save(output)


@transaction.atomic
def output_send_back(*, output: Output, comment: str) -> Output:
    """A facilitator returns an output in review to the pair, saying what to change."""
    if output.status != Output.Status.IN_REVIEW:
        raise ValidationError(ONLY_IN_REVIEW.format(action="sent back"), code="wrong_status")
    if not comment.strip():
        raise ValidationError({"comment": SEND_BACK_NEEDS_COMMENT})
    output.status = Output.Status.DRAFTING
    output.review_comment = comment.strip()
    return _save(output)


@transaction.atomic
def output_feature(*, output: Output, featured: bool = True) -> Output:
    """Mark (or unmark) a published output as a case study for the year-end report."""
    if featured and output.status != Output.Status.PUBLISHED:
        raise ValidationError(ONLY_PUBLISHED_FEATURED, code="not_published")
    output.featured = featured
    return _save(output)


@transaction.atomic
def output_archive(*, output: Output) -> Output:
    """Hide an output from everyone (kept, with its history); an archived output is no longer featured."""
    output.archived = True
    output.featured = False
    return _save(output)
