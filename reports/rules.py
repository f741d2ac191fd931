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
    *, cohort_id: int | None, origin: str, output: Any, event: Any, finding: Any, credited_others: str
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
    if origin in OTHERS_ORIGINS and not credited_others.strip():
        errors["credited_others"] = CREDIT_NEEDED
    if errors:
        raise ValidationError(errors)
