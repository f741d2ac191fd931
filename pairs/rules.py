"""The pairs app's domain rules, each once: model clean(), services, forms, the admin and the matcher call these.

A rule is a small function that raises ValidationError with its message (a constant tests import),
or a predicate that answers yes or no. Nothing here reads the database on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from cohorts.models import Side

if TYPE_CHECKING:
    from .models import PairMember

NOT_IN_COHORT = "This member belongs to another cohort than the pair."
NOT_CURRENT_MEMBER = "Only accepted or active members of the cohort can join a pair."
ALREADY_PAIRED = "This member is already in another pair of the cohort; move them instead."
SAME_ORGANISATION = "Two current members of a pair cannot come from the same organisation."
ACTIVE_NEEDS_BOTH_SIDES = "An active pair needs at least one policymaker and one practitioner."
SINGLE_SIDED = "A pair of two or more members needs at least one policymaker and one practitioner."
LEFT_BEFORE_JOINING = "A member cannot leave a pair before the day they joined it."
DONE_NEEDS_SUMMARY = "Write a summary of what you found before marking the step done."
ACT_BEFORE_EARLIER_STEPS = "Step 4 (Act) can only be done once steps 1 to 3 are done."
FUTURE_ACTIVITY_DATE = "Log an activity once it has happened: this date is in the future."
ATTENDEE_NOT_IN_PAIR = "Only members of this pair can be recorded as going."


def same_organisation(one: int | None, other: int | None) -> bool:
    """Two people from one organisation (by organisation id); people with none recorded share none."""
    return bool(one) and one == other


def check_no_shared_organisation(organisation_ids: Iterable[int | None]) -> None:
    """Never two from one organisation in a pair."""
    known = [organisation for organisation in organisation_ids if organisation]
    if len(known) != len(set(known)):
        raise ValidationError(SAME_ORGANISATION)


def has_both_sides(sides: Iterable[str]) -> bool:
    return {Side.POLICYMAKER, Side.PRACTITIONER} <= set(sides)


def check_not_single_sided(sides: list[str]) -> None:
    """Two or more members all on one side make no learning pair (one member alone is a pair still forming)."""
    if len(sides) >= 2 and not has_both_sides(sides):
        raise ValidationError(SINGLE_SIDED)


def check_pair_composition(members: list[PairMember]) -> None:
    """An active pair needs both sides among its current members, and no two from one organisation."""
    if not has_both_sides(member.membership.side for member in members):
        raise ValidationError(ACTIVE_NEEDS_BOTH_SIDES)
    check_no_shared_organisation(member.membership.user.organisation_id for member in members)


def is_complete_pair(members: list[PairMember]) -> bool:
    """The pair's current members may work as an active pair."""
    try:
        check_pair_composition(members)
    except ValidationError:
        return False
    return True


def check_left_after_joining(*, joined_on: date | None, left_on: date | None) -> None:
    if joined_on and left_on and left_on < joined_on:
        raise ValidationError({"left_on": LEFT_BEFORE_JOINING})


def check_step_done(*, status: str, summary: str, step: int, earlier_steps_open: bool) -> None:
    """A step is done only with a written summary; step 4 (Act) only after steps 1 to 3."""
    from .models import Step, StepProgress  # the models call these rules

    if status != StepProgress.Status.DONE:
        return
    if not summary.strip():
        raise ValidationError({"summary": DONE_NEEDS_SUMMARY})
    if step == Step.ACT and earlier_steps_open:
        raise ValidationError(ACT_BEFORE_EARLIER_STEPS)


def check_activity_date(occurred_on: date | None, today: date) -> None:
    """An activity is logged once it has happened."""
    if occurred_on and occurred_on > today:
        raise ValidationError({"occurred_on": FUTURE_ACTIVITY_DATE})


def check_attendees_in_pair(attendee_ids: Iterable[int], pair_membership_ids: set[int]) -> None:
    """Only the pair's members, past or present, can be recorded as going."""
    if any(attendee not in pair_membership_ids for attendee in attendee_ids):
        raise ValidationError({"attendees": ATTENDEE_NOT_IN_PAIR})
