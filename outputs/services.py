"""Writes on outputs: creating and editing them, and moving them through review to the public library."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cohorts import rules as cohort_rules
from cohorts.models import Question
from notifications.models import Kind
from pairs.models import LearningPair
from pairs.notify import pair_notify

from . import rules
from .models import Output, OutputRevision

# The output pages and tests read these messages from here too.
from .rules import NEEDS_TITLE_AND_SUMMARY as NEEDS_TITLE_AND_SUMMARY
from .rules import ONLY_DRAFTS_GO_TO_REVIEW as ONLY_DRAFTS_GO_TO_REVIEW
from .rules import ONLY_IN_REVIEW as ONLY_IN_REVIEW
from .rules import ONLY_PUBLISHED_FEATURED as ONLY_PUBLISHED_FEATURED
from .rules import SEND_BACK_NEEDS_COMMENT as SEND_BACK_NEEDS_COMMENT

READ_ONLY_IN_REVIEW = "This output is with your facilitators for review: it can change again once they send it back."
REVISION_SAVED = "Your changes are saved as a new revision; readers see the published version until it is reviewed."

EDITABLE_FIELDS = ("kind", "title", "summary", "body", "link", "due_on", "question", "visibility")


def _tell_pair(output: Output, *, what: str, key: str) -> None:
    """Tell the pair's members what a facilitator did with their output."""
    pair_notify(
        pair=output.pair,
        kind=Kind.OUTPUT_REVIEWED,
        key=f"output:{output.pk}:{key}",
        text=f"Your output “{output.title}” {what}",
        url=reverse("outputs:detail", args=[output.pk]),
    )


def _has_content(output: Output) -> bool:
    return bool(output.summary.strip() or output.body.strip() or output.file or output.link)


def _check_title_and_summary(output: Output | OutputRevision, action: str) -> None:
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


def open_revision(output: Output) -> OutputRevision | None:
    """The revision of a published output being written or reviewed, if there is one."""
    if output.status != Output.Status.PUBLISHED:
        return None
    return output.revisions.open().first()


def output_for_editing(output: Output) -> Output:
    """What the pair edits: the output, or for a published one its open revision laid over a copy of it."""
    revision = open_revision(output)
    if revision is None:
        return output
    draft = Output.objects.get(pk=output.pk)
    for name in OutputRevision.CONTENT_FIELDS:
        setattr(draft, name, getattr(revision, name))
    return draft


def _revision_update(
    *, output: Output, file: UploadedFile | None, clear_file: bool, fields: dict[str, object]
) -> OutputRevision:
    """Edits of a published output go into its open revision (started from the published version)."""
    revision = output.revisions.open().select_for_update().first()
    if revision is None:
        revision = OutputRevision(
            output=output, **{name: getattr(output, name) for name in OutputRevision.CONTENT_FIELDS}
        )
    if revision.status == OutputRevision.Status.IN_REVIEW:
        raise ValidationError(READ_ONLY_IN_REVIEW, code="in_review")
    due_on = cast("date | None", fields.pop("due_on", output.due_on))
    for name, value in fields.items():
        setattr(revision, name, value)
    if file:
        revision.file = file
    elif clear_file:
        revision.file = ""
    _check_title_and_summary(revision, "published")
    revision.full_clean()
    revision.save()
    if due_on != output.due_on:  # a date for the pair's planning, never shown to readers
        output.due_on = due_on
        output.save(update_fields=["due_on", "updated_at"])
    return revision


@transaction.atomic
def output_update(
    *, output: Output, file: UploadedFile | None = None, clear_file: bool = False, **fields: Any
) -> Output:
    """Change an output's text, file or link; a planned output becomes drafting once it has content.

    An output in review is read-only until sent back. A published output is not changed: the edit
    becomes its revision, which goes through review before readers see it."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"output_update cannot change {', '.join(sorted(unknown))}")
    cohort_rules.check_question_in_cohort(fields.get("question"), output.pair.cohort_id, owner="pair")
    rules.check_http_link(str(fields.get("link", "")))
    # The row is read again under lock; the admin's reason for the change rides on the object it passed.
    change_reason = getattr(output, "_change_reason", None)
    output = Output.objects.select_for_update().get(pk=output.pk)
    if change_reason:
        output._change_reason = change_reason  # type: ignore[attr-defined]
    if output.status == Output.Status.IN_REVIEW:
        raise ValidationError(READ_ONLY_IN_REVIEW, code="in_review")
    if output.status == Output.Status.PUBLISHED:
        _revision_update(output=output, file=file, clear_file=clear_file, fields=dict(fields))
        return output
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
    """A member asks the cohort's facilitators to review the output, or a published output's revision."""
    revision = open_revision(output)
    if revision is not None and revision.status == OutputRevision.Status.DRAFTING:
        _check_title_and_summary(revision, "submitted for review")
        revision.status = OutputRevision.Status.IN_REVIEW
        revision.save(update_fields=["status", "updated_at"])
        return output
    rules.check_can_submit(output.status)
    _check_title_and_summary(output, "submitted for review")
    output.status = Output.Status.IN_REVIEW
    return _save(output)


@transaction.atomic
def output_publish(*, output: Output, now: datetime | None = None) -> Output:
    """A facilitator publishes an output in review, or a published output's revision in review onto it;
    who may then read it follows its visibility.

    It is dated now, or `now` when recording one published earlier.
    """
    revision = open_revision(output)
    if revision is not None and revision.status == OutputRevision.Status.IN_REVIEW:
        for name in OutputRevision.CONTENT_FIELDS:
            setattr(output, name, getattr(revision, name))
        _check_title_and_summary(output, "published")
        # The output keeps its first publication date (the library and feed order by it).
        output.review_comment = ""
        revision.status = OutputRevision.Status.PUBLISHED
        revision.published_at = now or timezone.now()
        revision.review_comment = ""
        revision.save()
        saved = _save(output)
        _tell_pair(saved, what="has its changes published", key=f"revision-published:{revision.pk}")
        return saved
    rules.check_in_review(output.status, action="published")
    _check_title_and_summary(output, "published")
    output.status = Output.Status.PUBLISHED
    output.published_at = now or timezone.now()
    output.review_comment = ""
    saved = _save(output)
    _tell_pair(saved, what="was published", key=f"published:{saved.published_at:%Y%m%d%H%M%S%f}")
    return saved


@transaction.atomic
def output_send_back(*, output: Output, comment: str) -> Output:
    """A facilitator returns an output (or a published output's revision) in review to the pair, saying what
    to change."""
    revision = open_revision(output)
    in_review_revision = revision is not None and revision.status == OutputRevision.Status.IN_REVIEW
    if not in_review_revision:
        rules.check_in_review(output.status, action="sent back")
    rules.check_send_back_comment(comment)
    if in_review_revision:
        revision.status = OutputRevision.Status.DRAFTING  # type: ignore[union-attr]
        revision.review_comment = comment.strip()  # type: ignore[union-attr]
        revision.save()  # type: ignore[union-attr]
        _tell_pair(output, what="has its changes sent back", key=f"revision-sent-back:{timezone.now():%Y%m%d%H%M%S%f}")
        return output
    output.status = Output.Status.DRAFTING
    output.review_comment = comment.strip()
    saved = _save(output)
    _tell_pair(saved, what="was sent back for changes", key=f"sent-back:{timezone.now():%Y%m%d%H%M%S%f}")
    return saved


@transaction.atomic
def output_feature(*, output: Output, featured: bool = True) -> Output:
    """Mark (or unmark) a published output as a case study for the year-end report."""
    rules.check_can_feature(status=output.status, featured=featured)
    was_featured = Output.objects.filter(pk=output.pk, featured=True).exists()
    output.featured = featured
    saved = _save(output)
    if featured and not was_featured:
        _tell_pair(saved, what="is featured as a case study in the year-end report", key="featured")
    return saved


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
