"""Comments on a pair's steps: who may write them, and adding one (which tells the pair)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts.permissions import is_cohort_staff
from notifications.models import Kind
from programme.models import User

from .models import LearningPair, StepComment, StepProgress
from .notify import pair_notify
from .permissions import is_pair_member
from .statuses import pair_status_keep

COMMENT_MAX_LENGTH = 5000
COMMENT_EMPTY = "Write something before posting a comment."
COMMENT_TOO_LONG = f"Keep a comment under {COMMENT_MAX_LENGTH:,} characters; split a longer one in two."
ANOTHER_LOOK_STAFF_ONLY = "Only the cohort's staff can ask a pair to look at a step again."
COMMENT_NOT_ALLOWED = "Only the pair's members and the cohort's staff can comment on its steps."


def can_comment(user: User, pair: LearningPair) -> bool:
    """The pair's current members and its cohort's staff write comments on its steps."""
    return is_pair_member(user, pair) or is_cohort_staff(user, pair.cohort)


def check_comment_body(body: str) -> str:
    """The comment as it will be saved, or a clear error for an empty or oversized one."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": COMMENT_EMPTY})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError({"body": COMMENT_TOO_LONG})
    return body


@transaction.atomic
def step_comment_add(*, progress: StepProgress, author: User, body: str) -> StepComment:
    """Post a comment on a step; the pair's members (but not the author) are told, nobody else."""
    pair = progress.pair
    if not can_comment(author, pair):
        raise ValidationError(COMMENT_NOT_ALLOWED)
    comment = StepComment(progress=progress, author=author, body=check_comment_body(body))
    comment.full_clean()
    comment.save()
    pair_status_keep(pair=pair, today=timezone.localdate())
    staff = not is_pair_member(author, pair)
    who = f"{author.full_name}{' (facilitator)' if staff else ''}"
    pair_notify(
        pair=pair,
        kind=Kind.COMMENT,
        key=f"comment:{comment.pk}",
        text=f"{who} commented on step {progress.step} ({progress.get_step_display()}) of pair {pair.number}",
        url=f"{pair.get_absolute_url()}#step-{progress.step}",
        by=author,
    )
    return comment


@transaction.atomic
def step_mark_another_look(*, progress: StepProgress, by: User, needed: bool) -> StepProgress:
    """A facilitator marks a step as needing another look (or clears the mark); the pair is told when marked."""
    pair = progress.pair
    if not is_cohort_staff(by, pair.cohort):
        raise ValidationError(ANOTHER_LOOK_STAFF_ONLY)
    progress = StepProgress.objects.select_for_update().get(pk=progress.pk)
    if progress.needs_another_look == needed:
        return progress
    progress.needs_another_look = needed
    progress.save(update_fields=["needs_another_look", "updated_at"])
    if needed:
        pair_notify(
            pair=pair,
            kind=Kind.COMMENT,
            key=f"another-look:{progress.pk}:{progress.history.count()}",
            text=f"{by.full_name} asks your pair to take another look at step {progress.step} "
            f"({progress.get_step_display()})",
            url=f"{pair.get_absolute_url()}#step-{progress.step}",
            by=by,
        )
    return progress
