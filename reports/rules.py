"""The year-end report's rules, each once with its message: services, forms and clean() call them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

OUTPUT_NEEDED = "Choose the pair output this case study comes from."
OUTPUT_OF_COHORT = "Choose an output of one of this cohort's pairs."
EVENT_NEEDED = "Choose the event this case study comes from."
EVENT_OF_COHORT = "Choose an event of this cohort."
FINDING_OF_COHORT = "Choose a finding of this cohort's questions."
CREDIT_NEEDED = "Name the guest or organisation who contributed it."
# Case studies of these origins name where they came from.
OUTPUT_ORIGIN = "pair_output"
EVENT_ORIGIN = "roundtable"
OTHERS_ORIGINS = ("guest", "partner")


def check_case_study(
    *,
    cohort_id: int | None,
    origin: str,
    output: Any,
    event: Any,
    finding: Any,
    credited_others: str,
    part: Any = None,
) -> None:
    """A case study's source belongs to its cohort, and names what its origin needs."""
    errors: dict[str, str] = {}
    if origin == OUTPUT_ORIGIN and output is None:
        errors["output"] = OUTPUT_NEEDED
    if output is not None and output.pair.cohort_id != cohort_id:
        errors["output"] = OUTPUT_OF_COHORT
    if origin == EVENT_ORIGIN and event is None:
        errors["event"] = EVENT_NEEDED
    if event is not None and event.cohort_id != cohort_id:
        errors["event"] = EVENT_OF_COHORT
    if finding is not None and finding.question.cohort_id != cohort_id:
        errors["finding"] = FINDING_OF_COHORT
    if part is not None and part.cohort_id != cohort_id:
        errors["part"] = PART_OF_COHORT
    if origin in OTHERS_ORIGINS and not credited_others.strip():
        errors["credited_others"] = CREDIT_NEEDED
    if errors:
        raise ValidationError(errors)


# Statistical disclosure: no percentage of fewer respondents than this (one person would be 20% or more), as
# official statistics suppress small cells; the count is printed instead.
DISCLOSURE_MINIMUM = 5


def disclosed_percent(percent: int | None, answered: int) -> int | None:
    """The percentage to print, or None when too few answered for one to be shown."""
    return percent if answered >= DISCLOSURE_MINIMUM else None


EVIDENCE_OF_PROGRAMME = "Choose a question of a survey of this programme, from this cohort or an earlier one."
EVIDENCE_ONCE = "This question is already in the report: each is printed once."
PART_OF_COHORT = "Choose a sub-section of this cohort's report."

FIGURE_TYPES = {"image/png": "png", "image/jpeg": "jpg"}
FIGURE_MAX_BYTES = 3 * 1024 * 1024
FIGURE_NOT_IMAGE = "Upload a PNG or JPEG image (this file is not one, whatever its name says)."
FIGURE_TOO_BIG = "Upload an image of at most 3 MB."


def check_figure_size(size: int) -> None:
    if size > FIGURE_MAX_BYTES:
        raise ValidationError(FIGURE_TOO_BIG, code="too_big")


def check_figure_image(*, head: bytes, size: int) -> str:
    """The media type of an uploaded figure, judged from its content (the `filetype` package), or a form error."""
    import filetype

    check_figure_size(size)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in FIGURE_TYPES:
        raise ValidationError(FIGURE_NOT_IMAGE, code="not_image")
    return kind.mime
