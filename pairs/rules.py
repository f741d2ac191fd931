"""The pairs app's domain rules, each once: model clean(), services, forms, the admin and the matcher call these.

A rule is a small function that raises ValidationError with its message (a constant tests import),
or a predicate that answers yes or no. Nothing here reads the database on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from programme.shape import Entries, Shape, ShapeEntry

    from .models import PairMember

NOT_IN_COHORT = "This member belongs to another cohort than the {group}."
NOT_CURRENT_MEMBER = "Only accepted or active members of the cohort can join a {group}."
ALREADY_PAIRED = "This member is already in another {group} of the cohort; move them instead."
# The composition rules read the programme's shape: its group word, sizes and sides. Each message is a pattern
# filled with the programme's words (group_message), never a fixed side's name.
SAME_ORGANISATION = "Two current members of a {group} cannot come from the same organisation."
TOO_FEW_SIDES = "An active {group} needs members from at least {count} different sides ({sides})."
SIDES_SO_FAR = "A {group} of {size} members needs members from at least {count} different sides ({sides})."
TOO_FEW_MEMBERS = "An active {group} needs at least {count} members."
TOO_MANY_MEMBERS = "A {group} has at most {count} members."
LEFT_BEFORE_JOINING = "A member cannot leave a pair before the day they joined it."
DONE_NEEDS_SUMMARY = "Write a summary of what you found before marking the step done."
# The programme's last step (in the default shape, step 4, Act) waits for the others; named from the shape.
LAST_STEP_BEFORE_EARLIER_STEPS = "Step {number} ({name}) can only be done once steps {first} to {before} are done."
FUTURE_ACTIVITY_DATE = "Log an activity once it has happened: this date is in the future."
UNKNOWN_ACTIVITY_KIND = "Choose one of the programme's kinds of activity."
ATTENDEE_NOT_IN_PAIR = "Only members of this pair can be recorded as going."
NOTES_READING_NEEDS_REASON = "Say why you need to read this pair's private notes: the pair will see your reason."
# A reading, once logged, shows its reader the notes for this long; then they give a reason again.
PRIVATE_NOTES_READING_LASTS = timedelta(hours=1)


def group_message(pattern: str, shape: Shape, **values: object) -> str:
    """A rule's message in the programme's words: its group word and its sides' plurals."""
    sides = ", ".join(side.plural for side in shape.sides.current())
    return pattern.format(group=shape.group_word, groups=shape.group_word_plural, sides=sides, **values)


def same_organisation(one: int | None, other: int | None) -> bool:
    """Two people from one organisation (by organisation id); people with none recorded share none."""
    return bool(one) and one == other


def may_group(one_organisation: int | None, other_organisation: int | None, *, shape: Shape) -> bool:
    """Whether two people may be in one group as far as their organisations go (the rule can be switched off)."""
    return not (shape.one_per_organisation and same_organisation(one_organisation, other_organisation))


def check_no_shared_organisation(organisation_ids: Iterable[int | None], *, shape: Shape) -> None:
    """Never two from one organisation in a group, when the programme has that rule."""
    if not shape.one_per_organisation:
        return
    known = [organisation for organisation in organisation_ids if organisation]
    if len(known) != len(set(known)):
        raise ValidationError(group_message(SAME_ORGANISATION, shape))


def check_group_size(size: int, *, shape: Shape) -> None:
    """Never more members than the programme's largest group."""
    if size > shape.max_group_size:
        raise ValidationError(group_message(TOO_MANY_MEMBERS, shape, count=shape.max_group_size))


def check_sides_so_far(sides: list[str], *, shape: Shape) -> None:
    """A group of two or more brings a new side with each member until it spans the sides the programme asks
    for: two policymakers alone make no pair (one member alone is a group still forming)."""
    needed = min(shape.min_sides_per_group, len(sides))
    if len(sides) >= 2 and len(set(sides)) < needed:
        raise ValidationError(group_message(SIDES_SO_FAR, shape, size=len(sides), count=needed))


def check_group_composition(*, sides: list[str], organisation_ids: list[int | None], shape: Shape) -> None:
    """An active group: between the programme's smallest and largest size, members from at least its number of
    different sides, and (when the rule is on) no two from one organisation."""
    if len(sides) < shape.min_group_size:
        raise ValidationError(group_message(TOO_FEW_MEMBERS, shape, count=shape.min_group_size))
    check_group_size(len(sides), shape=shape)
    if len(set(sides)) < shape.min_sides_per_group:
        raise ValidationError(group_message(TOO_FEW_SIDES, shape, count=shape.min_sides_per_group))
    check_no_shared_organisation(organisation_ids, shape=shape)


def check_pair_composition(members: list[PairMember], shape: Shape) -> None:
    """The group rules over a pair's current members."""
    check_group_composition(
        sides=[member.membership.side for member in members],
        organisation_ids=[member.membership.user.organisation_id for member in members],
        shape=shape,
    )


def is_complete_pair(members: list[PairMember], shape: Shape) -> bool:
    """The pair's current members may work as an active group under the programme's rules."""
    try:
        check_pair_composition(members, shape)
    except ValidationError:
        return False
    return True


def check_left_after_joining(*, joined_on: date | None, left_on: date | None) -> None:
    if joined_on and left_on and left_on < joined_on:
        raise ValidationError({"left_on": LEFT_BEFORE_JOINING})


def last_step(steps: Entries) -> ShapeEntry | None:
    """The programme's last step (the highest number among its current steps), done only after the earlier ones;
    none when the programme has fewer than two steps."""
    current = sorted(steps.current(), key=lambda entry: entry.number)
    return current[-1] if len(current) >= 2 else None


def last_step_message(steps: Entries) -> str:
    """LAST_STEP_BEFORE_EARLIER_STEPS for the programme's own steps: "Step 4 (Act) ... steps 1 to 3 ..."."""
    current = sorted(steps.current(), key=lambda entry: entry.number)
    if len(current) < 2:
        return ""
    return LAST_STEP_BEFORE_EARLIER_STEPS.format(
        number=current[-1].number, name=current[-1].name, first=current[0].number, before=current[-2].number
    )


def check_step_done(*, status: str, summary: str, step: int, steps: Entries, earlier_steps_open: bool) -> None:
    """A step is done only with a written summary; the programme's last step only after the steps before it."""
    from .models import StepProgress  # the models call these rules

    if status != StepProgress.Status.DONE:
        return
    if not summary.strip():
        raise ValidationError({"summary": DONE_NEEDS_SUMMARY})
    last = last_step(steps)
    if last is not None and step == last.number and earlier_steps_open:
        raise ValidationError(last_step_message(steps))


def check_activity_date(occurred_on: date | None, today: date) -> None:
    """An activity is logged once it has happened."""
    if occurred_on and occurred_on > today:
        raise ValidationError({"occurred_on": FUTURE_ACTIVITY_DATE})


def check_attendees_in_pair(attendee_ids: Iterable[int], pair_membership_ids: set[int]) -> None:
    """Only the pair's members, past or present, can be recorded as going."""
    if any(attendee not in pair_membership_ids for attendee in attendee_ids):
        raise ValidationError({"attendees": ATTENDEE_NOT_IN_PAIR})


# --- Dates and statuses the code keeps -------------------------------------------------------------------


def default_step_due_on(*, starts_on: date, after_days: int) -> date:
    """A new cohort's deadline for a step: the step's default offset (days) after the cohort starts."""
    return starts_on + timedelta(days=after_days)


def step_due_for_pair(*, cohort_due_on: date | None, pair_changed_on: date | None, grace_days: int) -> date | None:
    """When a pair must have done a step: the cohort's date, or, for a pair formed or changed (someone joined)
    after that date, the cohort's grace period from the day it changed. It cannot be behind on a step it could
    not yet have done. StepProgressQuerySet.with_due_dates() computes the same in SQL."""
    if cohort_due_on is None:
        return None
    if pair_changed_on is not None and pair_changed_on > cohort_due_on:
        return pair_changed_on + timedelta(days=grace_days)
    return cohort_due_on


class SignOfLife:
    """What a pair last did, for the stalled rule's explanation."""

    ACTIVITY = "activity"
    STEP_CHANGE = "step change"
    COMMENT = "comment"
    FORMED = "formed"
    CHANGED = "changed"


def last_sign_of_life(
    *,
    formed_on: date,
    changed_on: date | None,
    activity_on: date | None,
    step_changed_on: date | None,
    comment_on: date | None,
) -> tuple[date, str]:
    """The day a pair last showed it was working, and what it was: an activity, a step change or a comment,
    whichever is latest; the day it formed if it has none; never before the day it last changed (re-pairing
    starts the clock again)."""
    signs = [
        (day, kind)
        for day, kind in (
            (activity_on, SignOfLife.ACTIVITY),
            (step_changed_on, SignOfLife.STEP_CHANGE),
            (comment_on, SignOfLife.COMMENT),
        )
        if day is not None
    ]
    since, kind = max(signs, key=lambda sign: sign[0]) if signs else (formed_on, SignOfLife.FORMED)
    if changed_on is not None and changed_on > since:
        since, kind = changed_on, SignOfLife.CHANGED
    return since, kind


def is_stalled(*, since: date, today: date, stalled_after_days: int) -> bool:
    """A pair is stalled when it has shown no sign of life (activity, step change, comment) for the cohort's
    threshold: the one meaning of "stalled", for the status field and the at-risk list alike."""
    return (today - since).days >= stalled_after_days


def pair_status_by_activity(status: str, *, stalled: bool) -> str:
    """The status the stalled rule gives a pair: active and quiet → stalled; stalled and working → active.
    Other statuses (forming, dissolved, completed) are not this rule's to change."""
    from .models import LearningPair  # the models call these rules

    if status == LearningPair.Status.ACTIVE and stalled:
        return LearningPair.Status.STALLED
    if status == LearningPair.Status.STALLED and not stalled:
        return LearningPair.Status.ACTIVE
    return status


STATUS_KEPT_BY_RULE = (
    "A pair becomes stalled, and active again, by rule (no activity, step change or comment for the cohort's "
    "threshold); it cannot be set by hand."
)


def check_status_not_set_by_hand(*, old: str, new: str) -> None:
    """Nobody moves a pair into or out of "stalled" by hand: the stalled rule does."""
    from .models import LearningPair  # the models call these rules

    stalled, active = LearningPair.Status.STALLED, LearningPair.Status.ACTIVE
    if old != new and (new == stalled or (old == stalled and new == active)):
        raise ValidationError(STATUS_KEPT_BY_RULE)


def check_notes_reading_reason(reason: str) -> None:
    """Staff read a pair's private notes only with a reason, which the pair is shown."""
    if not reason.strip():
        raise ValidationError({"reason": NOTES_READING_NEEDS_REASON})


def notes_reading_is_current(read_at: datetime | None, now: datetime) -> bool:
    """Whether a reading logged at `read_at` still lets its reader see the notes."""
    return read_at is not None and now - read_at < PRIVATE_NOTES_READING_LASTS
