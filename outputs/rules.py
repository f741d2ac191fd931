"""The outputs app's domain rules, each once: model clean(), services, forms and the admin call these.

An output moves planned → drafting → in review → published, and back from review to drafting.
A rule is a small function that raises ValidationError with its message (a constant tests import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

if TYPE_CHECKING:
    from .models import Output

NEEDS_TITLE_AND_SUMMARY = "Write a title and a summary before the output is {action}."
ONLY_DRAFTS_GO_TO_REVIEW = "Only a planned or drafting output can be submitted for review."
ONLY_IN_REVIEW = "Only an output in review can be {action}."
SEND_BACK_NEEDS_COMMENT = "Say what the pair should change before sending the output back."
ONLY_PUBLISHED_FEATURED = "Only published outputs can be featured in the year-end report."
LINK_NOT_HTTP = "Enter a web address starting with http:// or https://."
STATUS_CHANGE_NOT_IN_REVIEW = (
    "An output goes through review: submit a planned or drafting one, then publish it or send it back. "
    "It cannot move from {old} to {new} directly."
)

PLANNED, DRAFTING, IN_REVIEW, PUBLISHED = "planned", "drafting", "in_review", "published"

# Links on outputs are web pages: http or https only (no javascript:, data: or file: links).
http_link_validator = URLValidator(schemes=["http", "https"], message=LINK_NOT_HTTP, code="link_scheme")


def check_http_link(link: str) -> None:
    if link:
        try:
            http_link_validator(link)
        except ValidationError as error:
            raise ValidationError({"link": LINK_NOT_HTTP}, code="link_scheme") from error


def check_title_and_summary(*, title: str, summary: str, action: str) -> None:
    """An output is reviewed and published only with a title and a summary."""
    if not (title.strip() and summary.strip()):
        raise ValidationError(NEEDS_TITLE_AND_SUMMARY.format(action=action), code="needs_summary")


def check_can_submit(status: str) -> None:
    if status not in (PLANNED, DRAFTING):
        raise ValidationError(ONLY_DRAFTS_GO_TO_REVIEW, code="wrong_status")


def check_in_review(status: str, *, action: str) -> None:
    """Publishing and sending back are decisions on an output in review."""
    if status != IN_REVIEW:
        raise ValidationError(ONLY_IN_REVIEW.format(action=action), code="wrong_status")


def check_send_back_comment(comment: str) -> None:
    if not comment.strip():
        raise ValidationError({"comment": SEND_BACK_NEEDS_COMMENT})


def check_can_feature(*, status: str, featured: bool) -> None:
    """Only a published output is featured as a case study in the year-end report."""
    if featured and status != PUBLISHED:
        raise ValidationError({"featured": ONLY_PUBLISHED_FEATURED}, code="not_published")


# The status changes review makes, each by its own service: submit, publish, send back.
REVIEW_STEPS = {
    (PLANNED, IN_REVIEW): "submit",
    (DRAFTING, IN_REVIEW): "submit",
    (IN_REVIEW, PUBLISHED): "publish",
    (IN_REVIEW, DRAFTING): "send back",
}


def review_step(old: str, new: str) -> str:
    """The review step that moves an output from one status to another; refused when there is none."""
    if (old, new) not in REVIEW_STEPS:
        raise ValidationError(
            {"status": STATUS_CHANGE_NOT_IN_REVIEW.format(old=old.replace("_", " "), new=new.replace("_", " "))}
        )
    return REVIEW_STEPS[(old, new)]


def status_after_content(status: str, *, has_content: bool) -> str:
    """A planned output becomes drafting once it has some content."""
    return DRAFTING if status == PLANNED and has_content else status


def is_in_review(output: Output) -> bool:
    """An output, or the revision of a published one, that is with the facilitators: read-only for its authors."""
    if output.status == IN_REVIEW:
        return True
    if output.status == PUBLISHED:
        return output.revisions.filter(status=IN_REVIEW).exists()
    return False
